/**
 * RandomGaussianBlur (Keras's `image_preprocessing/random_gaussian_blur.py`).
 */
import { tf, type Tensor } from "../../../backend/tfjs.js";
import { SeedGenerator } from "../../../random/seed-generator.js";
import { registerBuiltin } from "../../../saving/object-registration.js";
import { BaseImagePreprocessingLayer, type BaseImagePreprocessingLayerArgs, type RandomTransformationOptions } from "./base-image-preprocessing-layer.js";
import { gaussianBlur, mainArg, parseFactor, perImage, uniformArray, type FactorLike } from "./image-utils.js";

/** Options of RandomGaussianBlur. */
export interface RandomGaussianBlurArgs extends BaseImagePreprocessingLayerArgs {
  /** The blur probability range, in [0, 1] (first positional argument): a number `f` draws it in [0, f]. Default 1. */
  factor?: FactorLike;
  /** The kernel size: an odd integer, or a pair of odd integers `[x, y]`. Default 3. */
  kernelSize?: number | readonly number[];
  /** The range of the standard deviation, in [0, 1]: a number `s` draws it in [0, s]. Default 1. */
  sigma?: FactorLike;
  /** The range of the input values; outputs are clipped to it. Default `[0, 255]`. */
  valueRange?: readonly number[];
  /** Integer seed of the layer's SeedGenerator. Default none. */
  seed?: number | null;
}

/** Which images are blurred, and the `[x, y]` standard deviations of the call. */
export interface GaussianBlurTransformation {
  shouldApplyBlur: number[];
  blurFactor: [number, number];
}

/**
 * Randomly blurs images with a Gaussian kernel during training. Identity
 * with `training: false`.
 *
 * ```ts
 * const blur = layers.RandomGaussianBlur(0.5, { kernelSize: 5, sigma: [0.5, 1] });
 * ```
 */
export class RandomGaussianBlur extends BaseImagePreprocessingLayer {
  readonly factor: [number, number];
  readonly kernelSize: [number, number];
  readonly sigma: [number, number];
  readonly valueRange: [number, number];
  readonly seed: number | null;

  /** `new RandomGaussianBlur(0.5)` or `new RandomGaussianBlur({ factor: 0.5, kernelSize: 5 })`. */
  constructor(factor: FactorLike | RandomGaussianBlurArgs = 1, args: RandomGaussianBlurArgs = {}) {
    const opts = mainArg<RandomGaussianBlurArgs>(factor, args, "factor");
    super(opts);
    this.factor = parseFactor(opts.factor ?? 1, [0, 1]);
    const ks = opts.kernelSize ?? 3;
    const pair = typeof ks === "number" ? [ks, ks] : [...ks];
    if (pair.length !== 2 || pair.some((k) => !Number.isInteger(k) || k % 2 === 0 || k < 1)) {
      throw new Error(`kernel_size must be an odd number. Received: kernel_size=${JSON.stringify(ks)}`);
    }
    this.kernelSize = [pair[0], pair[1]];
    this.sigma = parseFactor(opts.sigma ?? 1, [0, 1], "sigma");
    const vr = opts.valueRange ?? [0, 255];
    this.valueRange = [vr[0], vr[1]];
    this.seed = opts.seed ?? null;
    this.generator = new SeedGenerator(this.seed);
  }

  override getRandomTransformation(images: Tensor, options: RandomTransformationOptions = {}): GaussianBlurTransformation | null {
    if (options.training === false) return null;
    const n = images.shape[0] as number;
    const seed = this.seedFrom(options.seed);
    const p = uniformArray(seed, n, this.factor[0], this.factor[1]);
    const u = uniformArray(seed, n);
    const s = uniformArray(seed, 2, this.sigma[0], this.sigma[1]).map((v) => v + 1e-6);
    return { shouldApplyBlur: u.map((v, i) => (v < p[i] ? 1 : 0)), blurFactor: [s[0], s[1]] };
  }

  override transformImages(images: Tensor, transformation: unknown, training = true): Tensor {
    const x = this.castImages(images);
    if (!training || !transformation) return x;
    const t = transformation as GaussianBlurTransformation;
    return tf.tidy(() => {
      const blurred = gaussianBlur(x, this.kernelSize, t.blurFactor, this.dataFormat);
      const cond = tf.broadcastTo(tf.cast(perImage(t.shouldApplyBlur, x.shape[0] as number), "bool"), x.shape);
      return tf.clipByValue(tf.where(cond, blurred, x), this.valueRange[0], this.valueRange[1]);
    });
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      factor: [...this.factor],
      kernel_size: [...this.kernelSize],
      sigma: [...this.sigma],
      value_range: [...this.valueRange],
      seed: this.seed,
    };
  }
}
registerBuiltin("keras.layers", RandomGaussianBlur);
