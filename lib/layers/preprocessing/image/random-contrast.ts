/**
 * RandomContrast (Keras's `image_preprocessing/random_contrast.py`).
 */
import { tf, type Tensor } from "../../../backend/tfjs.js";
import { SeedGenerator } from "../../../random/seed-generator.js";
import { registerBuiltin } from "../../../saving/object-registration.js";
import { BaseImagePreprocessingLayer, type BaseImagePreprocessingLayerArgs, type RandomTransformationOptions } from "./base-image-preprocessing-layer.js";
import { parseFactor, perImage, uniformArray, type FactorLike } from "./image-utils.js";

/** Options of RandomContrast. */
export interface RandomContrastArgs extends BaseImagePreprocessingLayerArgs {
  /**
   * The contrast range (first positional argument), in [0, 1]: a number
   * `f` draws the contrast factor in [1 - f, 1 + f]; a pair `[lower,
   * upper]` draws it in [1 - lower, 1 + upper]. Required.
   */
  factor?: FactorLike;
  /** The range of the input values, `[low, high]`; outputs are clipped to it. Default `[0, 255]`. */
  valueRange?: readonly [number, number] | readonly number[];
  /** Integer seed of the layer's SeedGenerator. Default none. */
  seed?: number | null;
}

/** The per-image contrast factors of one call. */
export interface ContrastTransformation {
  contrastFactor: number[];
}

/**
 * Randomly adjusts the contrast of each image during training:
 * `(x - mean) * factor + mean`, with the mean taken per image and channel
 * over the pixels, then clipped to `valueRange`. Identity with
 * `training: false`.
 *
 * ```ts
 * const contrast = layers.RandomContrast(0.2, { valueRange: [0, 1] });
 * ```
 */
export class RandomContrast extends BaseImagePreprocessingLayer {
  /** `[lower, upper]`: the contrast factor is drawn in [1 - lower, 1 + upper]. */
  readonly factor: [number, number];
  /** The value range as given. */
  readonly valueRange: [number, number];
  /** The integer seed given, or null. */
  readonly seed: number | null;

  /** `new RandomContrast(0.2)` or `new RandomContrast({ factor: 0.2, seed: 1 })`. */
  constructor(factor: FactorLike | RandomContrastArgs, args: RandomContrastArgs = {}) {
    const opts: RandomContrastArgs =
      typeof factor === "object" && factor !== null && !Array.isArray(factor) ? { ...(factor as RandomContrastArgs) } : { ...args, factor: factor as FactorLike };
    super(opts);
    if (opts.factor === undefined) throw new Error("RandomContrast requires a `factor` argument.");
    this.factor = parseFactor(opts.factor, [0, 1]);
    const vr = opts.valueRange ?? [0, 255];
    this.valueRange = [vr[0], vr[1]];
    this.seed = opts.seed ?? null;
    this.generator = new SeedGenerator(this.seed);
  }

  override getRandomTransformation(images: Tensor, options: RandomTransformationOptions = {}): ContrastTransformation {
    const n = images.shape[0] as number;
    if (options.training === false) return { contrastFactor: new Array<number>(n).fill(0) };
    return { contrastFactor: uniformArray(this.seedFrom(options.seed), n, 1 - this.factor[0], 1 + this.factor[1]) };
  }

  override transformImages(images: Tensor, transformation: unknown, training = true): Tensor {
    const x = this.castImages(images);
    if (!training) return x;
    const t = transformation as ContrastTransformation;
    return tf.tidy(() => {
      const axes = this.dataFormat === "channels_first" ? [2, 3] : [1, 2];
      const mean = tf.mean(x, axes, true);
      const factor = perImage(t.contrastFactor, x.shape[0] as number);
      const out = tf.add(tf.mul(tf.sub(x, mean), factor), mean);
      return tf.clipByValue(out, this.valueRange[0], this.valueRange[1]);
    });
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), factor: [...this.factor], value_range: [...this.valueRange], seed: this.seed };
  }
}
registerBuiltin("keras.layers", RandomContrast);
