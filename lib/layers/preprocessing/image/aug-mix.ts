/**
 * AugMix (Keras's `image_preprocessing/aug_mix.py`).
 */
import { tf, type Tensor } from "../../../backend/tfjs.js";
import { beta, gamma } from "../../../random/random.js";
import { SeedGenerator } from "../../../random/seed-generator.js";
import { registerBuiltin } from "../../../saving/object-registration.js";
import { BaseImagePreprocessingLayer, type BaseImagePreprocessingLayerArgs, type RandomTransformationOptions } from "./base-image-preprocessing-layer.js";
import { checkInterpolation, parseFactor, randintArray, type FactorLike, type Interpolation } from "./image-utils.js";
import { makeAugmentLayers, RAND_AUGMENT_LAYERS } from "./rand-augment.js";

/** Options of AugMix. */
export interface AugMixArgs extends BaseImagePreprocessingLayerArgs {
  /** The range of the input values. Default `[0, 255]`. */
  valueRange?: readonly number[];
  /** The number of augmentation chains mixed. Default 3. */
  numChains?: number;
  /** The maximum number of augmentations per chain (each step may be skipped). Default 3. */
  chainDepth?: number;
  /** The strength of the augmentations, in [0, 1]. Default 0.3. */
  factor?: FactorLike;
  /** The Dirichlet and Beta parameter of the mixing weights. Default 1. */
  alpha?: number;
  /** Use all 11 augmentations (true, default) or only the 7 that do not overlap ImageNet-C corruptions. */
  allOps?: boolean;
  /** Interpolation of the geometric augmentations. Default `"bilinear"`. */
  interpolation?: Interpolation;
  /** Integer seed of the layer's SeedGenerator. Default none. */
  seed?: number | null;
}

const SMALL_SET = [
  "randomShear",
  "randomTranslation",
  "randomRotation",
  "randomPosterization",
  "solarization",
  "autoContrast",
  "equalization",
] as const;
const ALL_SET = [...SMALL_SET, "randomBrightness", "randomColorDegeneration", "randomContrast", "randomSharpness"] as const;

interface ChainStep {
  layerName: (typeof RAND_AUGMENT_LAYERS)[number];
  transformation: unknown;
}

/** The draws of one call. */
export interface AugMixTransformation {
  chainMixingWeights: number[];
  weightSample: number;
  chainTransforms: ChainStep[][];
}

/**
 * AugMix (Hendrycks et al., 2020): mixes `numChains` chains of random
 * augmentations with Dirichlet weights, then blends the mix with the
 * original image by a Beta weight. Identity with `training: false`.
 *
 * ```ts
 * const augmix = layers.AugMix({ valueRange: [0, 1] });
 * ```
 */
export class AugMix extends BaseImagePreprocessingLayer {
  readonly valueRange: [number, number];
  readonly numChains: number;
  readonly chainDepth: number;
  readonly factor: [number, number];
  readonly alpha: number;
  readonly allOps: boolean;
  readonly seed: number | null;
  /** The augmentation layers, by name. */
  readonly augmentLayers: ReturnType<typeof makeAugmentLayers>;

  /** `new AugMix({ numChains: 3, chainDepth: 3 })`. */
  constructor(args: AugMixArgs = {}) {
    super(args);
    const vr = args.valueRange ?? [0, 255];
    this.valueRange = [vr[0], vr[1]];
    this.numChains = args.numChains ?? 3;
    this.chainDepth = args.chainDepth ?? 3;
    this.factor = parseFactor(args.factor ?? 0.3, [0, 1]);
    this.alpha = args.alpha ?? 1;
    this.allOps = args.allOps ?? true;
    this.interpolation = checkInterpolation(args.interpolation ?? "bilinear");
    this.seed = args.seed ?? null;
    this.generator = new SeedGenerator(this.seed);
    this.augmentLayers = makeAugmentLayers(this.factor, this.valueRange, this.interpolation, this.seed, this.dataFormat);
  }

  override getRandomTransformation(images: Tensor, options: RandomTransformationOptions = {}): AugMixTransformation | null {
    if (options.training === false) return null;
    const seed = this.seedFrom(options.seed);
    const g = gamma([this.numChains], this.alpha, { seed });
    const gv = Array.from(g.dataSync());
    g.dispose();
    const total = gv.reduce((a, b) => a + b, 0);
    const chainMixingWeights = gv.map((v) => v / total);
    const b = beta([], this.alpha, this.alpha, { seed });
    const weightSample = b.dataSync()[0];
    b.dispose();
    const names = this.allOps ? ALL_SET : SMALL_SET;
    const chainTransforms: ChainStep[][] = [];
    // Keras picks the steps with Python's unseeded `random.choice`; here they follow the layer's seed.
    const picks = randintArray(seed, this.numChains * this.chainDepth, 0, names.length + 1);
    for (let c = 0; c < this.numChains; c++) {
      const steps: ChainStep[] = [];
      for (let d = 0; d < this.chainDepth; d++) {
        const k = picks[c * this.chainDepth + d];
        if (k === names.length) continue;
        const layerName = names[k];
        steps.push({ layerName, transformation: this.augmentLayers[layerName].getRandomTransformation(images, { seed }) });
      }
      chainTransforms.push(steps);
    }
    return { chainMixingWeights, weightSample, chainTransforms };
  }

  override transformImages(images: Tensor, transformation: unknown, training = true): Tensor {
    const x = this.castImages(images);
    if (!training || !transformation) return x;
    const t = transformation as AugMixTransformation;
    return tf.tidy(() => {
      let mixed: Tensor = tf.zerosLike(x);
      t.chainTransforms.forEach((steps, i) => {
        let y = x;
        for (const s of steps) y = this.augmentLayers[s.layerName].transformImages(y, s.transformation, true);
        mixed = tf.add(mixed, tf.mul(y, t.chainMixingWeights[i]));
      });
      const out = tf.add(tf.mul(x, t.weightSample), tf.mul(mixed, 1 - t.weightSample));
      return tf.clipByValue(out, this.valueRange[0], this.valueRange[1]);
    });
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      value_range: [...this.valueRange],
      num_chains: this.numChains,
      chain_depth: this.chainDepth,
      factor: [...this.factor],
      alpha: this.alpha,
      all_ops: this.allOps,
      interpolation: this.interpolation,
      seed: this.seed,
    };
  }
}
registerBuiltin("keras.layers", AugMix);
