/**
 * RandomColorJitter (Keras's `image_preprocessing/random_color_jitter.py`).
 */
import { tf, type Tensor } from "../../../backend/tfjs.js";
import { SeedGenerator } from "../../../random/seed-generator.js";
import { registerBuiltin } from "../../../saving/object-registration.js";
import { BaseImagePreprocessingLayer, type BaseImagePreprocessingLayerArgs } from "./base-image-preprocessing-layer.js";
import type { FactorLike } from "./image-utils.js";
import { RandomBrightness } from "./random-brightness.js";
import { RandomContrast } from "./random-contrast.js";
import { RandomHue } from "./random-hue.js";
import { RandomSaturation } from "./random-saturation.js";

/** Options of RandomColorJitter. */
export interface RandomColorJitterArgs extends BaseImagePreprocessingLayerArgs {
  /** The range of the input values. Default `[0, 255]`. */
  valueRange?: readonly number[];
  /** RandomBrightness's factor, or null to skip brightness. Default null. */
  brightnessFactor?: FactorLike | null;
  /** RandomContrast's factor, or null to skip contrast. Default null. */
  contrastFactor?: FactorLike | null;
  /** RandomSaturation's factor, or null to skip saturation. Default null. */
  saturationFactor?: FactorLike | null;
  /** RandomHue's factor, or null to skip hue. Default null. */
  hueFactor?: FactorLike | null;
  /** Integer seed of the layer's SeedGenerator. Default none. */
  seed?: number | null;
}

/**
 * Randomly adjusts brightness, contrast, saturation and hue (in that order,
 * each only when its factor is given) during training. Identity with
 * `training: false`.
 *
 * ```ts
 * const jitter = layers.RandomColorJitter({ valueRange: [0, 1], brightnessFactor: 0.2, hueFactor: 0.1 });
 * ```
 */
export class RandomColorJitter extends BaseImagePreprocessingLayer {
  readonly valueRange: [number, number];
  readonly brightnessFactor: FactorLike | null;
  readonly contrastFactor: FactorLike | null;
  readonly saturationFactor: FactorLike | null;
  readonly hueFactor: FactorLike | null;
  readonly seed: number | null;
  readonly randomBrightness: RandomBrightness | null;
  readonly randomContrast: RandomContrast | null;
  readonly randomSaturation: RandomSaturation | null;
  readonly randomHue: RandomHue | null;

  /** `new RandomColorJitter({ brightnessFactor: 0.2, contrastFactor: 0.2 })`. */
  constructor(args: RandomColorJitterArgs = {}) {
    super(args);
    const vr = args.valueRange ?? [0, 255];
    this.valueRange = [vr[0], vr[1]];
    this.brightnessFactor = args.brightnessFactor ?? null;
    this.contrastFactor = args.contrastFactor ?? null;
    this.saturationFactor = args.saturationFactor ?? null;
    this.hueFactor = args.hueFactor ?? null;
    this.seed = args.seed ?? null;
    this.generator = new SeedGenerator(this.seed);
    const common = { valueRange: this.valueRange, seed: this.seed, dataFormat: this.dataFormat };
    this.randomBrightness = this.brightnessFactor === null ? null : new RandomBrightness(this.brightnessFactor, common);
    this.randomContrast = this.contrastFactor === null ? null : new RandomContrast(this.contrastFactor, common);
    this.randomSaturation = this.saturationFactor === null ? null : new RandomSaturation(this.saturationFactor, common);
    this.randomHue = this.hueFactor === null ? null : new RandomHue(this.hueFactor, common);
  }

  override transformImages(images: Tensor, transformation: unknown, training = true): Tensor {
    void transformation;
    let x = this.castImages(images);
    if (!training) return x;
    const seed = this.seedFrom();
    return tf.tidy(() => {
      for (const layer of [this.randomBrightness, this.randomContrast, this.randomSaturation, this.randomHue]) {
        if (layer === null) continue;
        x = layer.transformImages(x, layer.getRandomTransformation(x, { seed }), true);
      }
      return x;
    });
  }

  override getConfig(): Record<string, unknown> {
    const copy = (f: FactorLike | null): FactorLike | null => (Array.isArray(f) ? [...(f as number[])] : f);
    return {
      ...super.getConfig(),
      value_range: [...this.valueRange],
      brightness_factor: copy(this.brightnessFactor),
      contrast_factor: copy(this.contrastFactor),
      saturation_factor: copy(this.saturationFactor),
      hue_factor: copy(this.hueFactor),
      seed: this.seed,
    };
  }
}
registerBuiltin("keras.layers", RandomColorJitter);
