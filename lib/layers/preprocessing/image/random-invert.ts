/**
 * RandomInvert (Keras's `image_preprocessing/random_invert.py`).
 */
import { tf, type Tensor } from "../../../backend/tfjs.js";
import { SeedGenerator } from "../../../random/seed-generator.js";
import { registerBuiltin } from "../../../saving/object-registration.js";
import { BaseImagePreprocessingLayer, type BaseImagePreprocessingLayerArgs, type RandomTransformationOptions } from "./base-image-preprocessing-layer.js";
import { mainArg, parseFactor, perImage, uniformArray, type FactorLike } from "./image-utils.js";

/** Options of RandomInvert. */
export interface RandomInvertArgs extends BaseImagePreprocessingLayerArgs {
  /**
   * The inversion probability range, in [0, 1] (first positional argument):
   * each call draws a probability `p` in [0, f] (or in `[lower, upper]`)
   * and inverts each image with probability `p`. Default 1.
   */
  factor?: FactorLike;
  /** The range of the input values; images become `high - x`. Default `[0, 255]`. */
  valueRange?: readonly number[];
  /** Integer seed of the layer's SeedGenerator. Default none. */
  seed?: number | null;
}

/** Which images are inverted (1) in one call. */
export interface InvertTransformation {
  applyInversion: number[];
}

/**
 * Randomly inverts images (`valueRange[1] - x`) during training. Identity
 * with `training: false`.
 *
 * ```ts
 * const invert = layers.RandomInvert(0.5, { valueRange: [0, 1] });
 * ```
 */
export class RandomInvert extends BaseImagePreprocessingLayer {
  readonly factor: [number, number];
  readonly valueRange: [number, number];
  readonly seed: number | null;

  /** `new RandomInvert(0.5)` or `new RandomInvert({ factor: 0.5 })`. */
  constructor(factor: FactorLike | RandomInvertArgs = 1, args: RandomInvertArgs = {}) {
    const opts = mainArg<RandomInvertArgs>(factor, args, "factor");
    super(opts);
    this.factor = parseFactor(opts.factor ?? 1, [0, 1]);
    const vr = opts.valueRange ?? [0, 255];
    this.valueRange = [vr[0], vr[1]];
    this.seed = opts.seed ?? null;
    this.generator = new SeedGenerator(this.seed);
  }

  override getRandomTransformation(images: Tensor, options: RandomTransformationOptions = {}): InvertTransformation | null {
    if (options.training === false) return null;
    const n = images.shape[0] as number;
    const seed = this.seedFrom(options.seed);
    const p = uniformArray(seed, n, this.factor[0], this.factor[1]);
    const u = uniformArray(seed, n);
    return { applyInversion: u.map((v, i) => (v < p[i] ? 1 : 0)) };
  }

  override transformImages(images: Tensor, transformation: unknown, training = true): Tensor {
    const x = this.castImages(images);
    if (!training || !transformation) return x;
    const t = transformation as InvertTransformation;
    return tf.tidy(() => {
      const cond = tf.cast(perImage(t.applyInversion, x.shape[0] as number), "bool");
      return tf.where(tf.broadcastTo(cond, x.shape), tf.sub(this.valueRange[1], x), x);
    });
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), factor: [...this.factor], value_range: [...this.valueRange], seed: this.seed };
  }
}
registerBuiltin("keras.layers", RandomInvert);
