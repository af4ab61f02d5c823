/**
 * RandomPosterization (Keras's `image_preprocessing/random_posterization.py`).
 */
import { tf, type Tensor } from "../../../backend/tfjs.js";
import { SeedGenerator } from "../../../random/seed-generator.js";
import { registerBuiltin } from "../../../saving/object-registration.js";
import { BaseImagePreprocessingLayer, type BaseImagePreprocessingLayerArgs, type RandomTransformationOptions } from "./base-image-preprocessing-layer.js";
import { mainArg, parseFactor, parseValueRange, perImage, randintArray, type FactorLike } from "./image-utils.js";

/** Options of RandomPosterization. */
export interface RandomPosterizationArgs extends BaseImagePreprocessingLayerArgs {
  /**
   * The number of bits to keep per channel, in [1, 8] (first positional
   * argument): a number `b` draws the bit count in [1, b); a pair in
   * `[lower, upper)` (a pair of equal values fixes it). Required.
   */
  factor?: FactorLike;
  /** The range of the input values. Default `[0, 255]`. */
  valueRange?: readonly number[];
  /** Integer seed of the layer's SeedGenerator. Default none. */
  seed?: number | null;
}

/** The per-image shifts (8 - bits kept). */
export interface PosterizationTransformation {
  shiftFactor: number[];
}

/**
 * Reduces the number of bits of each color channel during training
 * (values are mapped to [0, 255], truncated to 8-bit integers, and their
 * low bits cleared). Identity with `training: false`.
 *
 * ```ts
 * const poster = layers.RandomPosterization(4);
 * ```
 */
export class RandomPosterization extends BaseImagePreprocessingLayer {
  readonly factor: [number, number];
  readonly valueRange: [number, number];
  readonly seed: number | null;

  /** `new RandomPosterization(4)` or `new RandomPosterization({ factor: [2, 5] })`. */
  constructor(factor: FactorLike | RandomPosterizationArgs, args: RandomPosterizationArgs = {}) {
    const opts = mainArg<RandomPosterizationArgs>(factor, args, "factor");
    super(opts);
    if (opts.factor === undefined) throw new Error("RandomPosterization requires a `factor` argument.");
    this.factor = parseFactor(opts.factor, [1, 8]);
    this.valueRange = parseValueRange(opts.valueRange ?? [0, 255]);
    this.seed = opts.seed ?? null;
    this.generator = new SeedGenerator(this.seed);
  }

  override getRandomTransformation(images: Tensor, options: RandomTransformationOptions = {}): PosterizationTransformation {
    const n = images.shape[0] as number;
    const seed = this.seedFrom(options.seed);
    const bits =
      this.factor[0] !== this.factor[1]
        ? randintArray(seed, n, this.factor[0], this.factor[1])
        : new Array<number>(n).fill(this.factor[0]);
    return { shiftFactor: bits.map((b) => 8 - b) };
  }

  override transformImages(images: Tensor, transformation: unknown, training = true): Tensor {
    const x = this.castImages(images);
    if (!training) return x;
    const t = transformation as PosterizationTransformation;
    return tf.tidy(() => {
      const scale = perImage(
        t.shiftFactor.map((s) => 2 ** s),
        x.shape[0] as number,
      );
      // uint8 truncation, then (v >> s) << s.
      const v = tf.clipByValue(tf.floor(this.transformValueRange(x, this.valueRange, [0, 255])), 0, 255);
      const poster = tf.mul(tf.floor(tf.div(v, scale)), scale);
      return this.transformValueRange(poster, [0, 255], this.valueRange);
    });
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), factor: [...this.factor], value_range: [...this.valueRange], seed: this.seed };
  }
}
registerBuiltin("keras.layers", RandomPosterization);
