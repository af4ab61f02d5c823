/**
 * RandAugment (Keras's `image_preprocessing/rand_augment.py`).
 */
import { tf, type Tensor } from "../../../backend/tfjs.js";
import { SeedGenerator } from "../../../random/seed-generator.js";
import { registerBuiltin } from "../../../saving/object-registration.js";
import { BaseImagePreprocessingLayer, type BaseImagePreprocessingLayerArgs, type RandomTransformationOptions } from "./base-image-preprocessing-layer.js";
import { checkInterpolation, parseFactor, randintArray, type FactorLike, type Interpolation } from "./image-utils.js";
import { AutoContrast } from "./auto-contrast.js";
import { Equalization } from "./equalization.js";
import { RandomBrightness } from "./random-brightness.js";
import { RandomColorDegeneration } from "./random-color-degeneration.js";
import { RandomContrast } from "./random-contrast.js";
import { RandomPosterization } from "./random-posterization.js";
import { RandomRotation } from "./random-rotation.js";
import { RandomSharpness } from "./random-sharpness.js";
import { RandomShear } from "./random-shear.js";
import { RandomTranslation } from "./random-translation.js";
import { Solarization } from "./solarization.js";

/** Options of RandAugment. */
export interface RandAugmentArgs extends BaseImagePreprocessingLayerArgs {
  /** The range of the input values. Default `[0, 255]`. */
  valueRange?: readonly number[];
  /** How many augmentations are applied in sequence. Default 2. */
  numOps?: number;
  /** The strength of every augmentation, in [0, 1]. Default 0.5. */
  factor?: FactorLike;
  /** Interpolation of the geometric augmentations. Default `"bilinear"`. */
  interpolation?: Interpolation;
  /** Integer seed of the layer's SeedGenerator. Default none. */
  seed?: number | null;
}

/** The augmentations RandAugment picks from, in Keras's order. */
export const RAND_AUGMENT_LAYERS = [
  "randomShear",
  "randomTranslation",
  "randomRotation",
  "randomBrightness",
  "randomColorDegeneration",
  "randomContrast",
  "randomSharpness",
  "randomPosterization",
  "solarization",
  "autoContrast",
  "equalization",
] as const;

type AugmentName = (typeof RAND_AUGMENT_LAYERS)[number];

/** Builds the sublayers RandAugment and AugMix share. */
export function makeAugmentLayers(
  factor: [number, number],
  valueRange: [number, number],
  interpolation: Interpolation,
  seed: number | null,
  dataFormat: BaseImagePreprocessingLayerArgs["dataFormat"],
): Record<AugmentName, BaseImagePreprocessingLayer> {
  const common = { seed, dataFormat };
  const color = { ...common, valueRange };
  return {
    randomShear: new RandomShear({ xFactor: factor, yFactor: factor, interpolation, ...common }),
    randomTranslation: new RandomTranslation({ heightFactor: factor, widthFactor: factor, interpolation, ...common }),
    randomRotation: new RandomRotation({ factor, interpolation, ...common }),
    randomBrightness: new RandomBrightness({ factor, ...color }),
    randomColorDegeneration: new RandomColorDegeneration({ factor, ...color }),
    randomContrast: new RandomContrast({ factor, ...color }),
    randomSharpness: new RandomSharpness({ factor, ...color }),
    randomPosterization: new RandomPosterization({ factor: Math.max(1, Math.trunc(8 * factor[1])), ...color }),
    solarization: new Solarization({ additionFactor: factor, thresholdFactor: factor, ...color }),
    autoContrast: new AutoContrast({ valueRange, dataFormat }),
    equalization: new Equalization({ valueRange, dataFormat }),
  };
}

/**
 * RandAugment (Cubuk et al., 2019): applies `numOps` augmentations, each
 * picked at random from shear, translation, rotation, brightness, color
 * degeneration, contrast, sharpness, posterization, solarization,
 * auto-contrast and equalization, all with strength `factor`. Identity with
 * `training: false`.
 *
 * ```ts
 * const aug = layers.RandAugment({ valueRange: [0, 255], numOps: 2, factor: 0.5 });
 * ```
 */
export class RandAugment extends BaseImagePreprocessingLayer {
  readonly valueRange: [number, number];
  readonly numOps: number;
  readonly factor: [number, number];
  readonly seed: number | null;
  /** The augmentation layers, by name. */
  readonly augmentLayers: Record<AugmentName, BaseImagePreprocessingLayer>;

  /** `new RandAugment({ numOps: 2, factor: 0.5 })`. */
  constructor(args: RandAugmentArgs = {}) {
    super(args);
    const vr = args.valueRange ?? [0, 255];
    this.valueRange = [vr[0], vr[1]];
    this.numOps = args.numOps ?? 2;
    this.factor = parseFactor(args.factor ?? 0.5, [0, 1]);
    this.interpolation = checkInterpolation(args.interpolation ?? "bilinear");
    this.seed = args.seed ?? null;
    this.generator = new SeedGenerator(this.seed);
    this.augmentLayers = makeAugmentLayers(this.factor, this.valueRange, this.interpolation, this.seed, this.dataFormat);
  }

  override getRandomTransformation(images: Tensor, options: RandomTransformationOptions = {}): unknown {
    if (options.training === false) return null;
    const seed = this.seedFrom(options.seed);
    const layerIdxes = randintArray(seed, this.numOps, 0, RAND_AUGMENT_LAYERS.length);
    return { layerIdxes, seed };
  }

  override transformImages(images: Tensor, transformation: unknown, training = true): Tensor {
    let x = this.castImages(images);
    if (!training || !transformation) return x;
    const { layerIdxes, seed } = transformation as { layerIdxes: number[]; seed: SeedGenerator };
    return tf.tidy(() => {
      // One transformation per augmentation and call, reused if it is picked twice (as Keras).
      const drawn = new Map<number, unknown>();
      for (const i of layerIdxes) {
        const layer = this.augmentLayers[RAND_AUGMENT_LAYERS[i]];
        if (!drawn.has(i)) drawn.set(i, layer.getRandomTransformation(x, { seed }));
        x = layer.transformImages(x, drawn.get(i), true);
      }
      return x;
    });
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      value_range: [...this.valueRange],
      num_ops: this.numOps,
      factor: [...this.factor],
      interpolation: this.interpolation,
      seed: this.seed,
    };
  }
}
registerBuiltin("keras.layers", RandAugment);
