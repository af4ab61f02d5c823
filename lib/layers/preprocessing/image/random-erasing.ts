/**
 * RandomErasing (Keras's `image_preprocessing/random_erasing.py`).
 */
import { tf, type Tensor } from "../../../backend/tfjs.js";
import { normal } from "../../../random/random.js";
import { SeedGenerator } from "../../../random/seed-generator.js";
import { registerBuiltin } from "../../../saving/object-registration.js";
import { BaseImagePreprocessingLayer, type BaseImagePreprocessingLayerArgs, type RandomTransformationOptions } from "./base-image-preprocessing-layer.js";
import { boxMask, mainArg, parseFactor, perImage, uniformArray, type FactorLike } from "./image-utils.js";

/** Options of RandomErasing. */
export interface RandomErasingArgs extends BaseImagePreprocessingLayerArgs {
  /** The erasing probability range, in [0, 1] (first positional argument): a number `f` draws it in [0, f]. Default 1. */
  factor?: FactorLike;
  /** The range of the erased area's side fractions (squared), in [0, 1]. Default `[0.02, 0.33]`. */
  scale?: FactorLike;
  /** The fill value: a number, 3 numbers (per channel), or null for Gaussian noise scaled by `valueRange[1]`. Default null. */
  fillValue?: number | readonly number[] | null;
  /** The range of the input values; fill values are clipped to it. Default `[0, 255]`. */
  valueRange?: readonly number[];
  /** Integer seed of the layer's SeedGenerator. Default none. */
  seed?: number | null;
}

/** What one call erases. */
export interface ErasingTransformation {
  applyErasing: number[];
  /** Boolean mask of the erased pixels, the images' shape. */
  batchMasks: Tensor;
  /** Fill values, the images' shape. */
  fillValue: Tensor;
}

/**
 * Randomly erases a rectangle of each image during training, replacing it
 * with `fillValue` (Gaussian noise by default). Identity with `training: false`.
 *
 * ```ts
 * const erase = layers.RandomErasing(0.5, { fillValue: 0 });
 * ```
 */
export class RandomErasing extends BaseImagePreprocessingLayer {
  readonly factor: [number, number];
  readonly scale: [number, number];
  readonly fillValue: number | number[] | null;
  readonly valueRange: [number, number];
  readonly seed: number | null;

  /** `new RandomErasing(0.5)` or `new RandomErasing({ factor: 0.5, scale: [0.1, 0.3] })`. */
  constructor(factor: FactorLike | RandomErasingArgs = 1, args: RandomErasingArgs = {}) {
    const opts = mainArg<RandomErasingArgs>(factor, args, "factor");
    super(opts);
    this.factor = parseFactor(opts.factor ?? 1, [0, 1]);
    this.scale = parseFactor(opts.scale ?? [0.02, 0.33], [0, 1], "scale");
    const fv = opts.fillValue ?? null;
    if (fv !== null && typeof fv !== "number" && !(Array.isArray(fv) && fv.length === 3)) {
      throw new Error("The `fill_value` argument should be a number (or a list of three numbers) ");
    }
    this.fillValue = Array.isArray(fv) ? [...fv] : (fv as number | null);
    const vr = opts.valueRange ?? [0, 255];
    this.valueRange = [vr[0], vr[1]];
    this.seed = opts.seed ?? null;
    this.generator = new SeedGenerator(this.seed);
  }

  override getRandomTransformation(images: Tensor, options: RandomTransformationOptions = {}): ErasingTransformation | null {
    if (options.training === false) return null;
    const n = images.shape[0] as number;
    const [h, w] = this.imageSize(images);
    const seed = this.seedFrom(options.seed);
    const mix = uniformArray(seed, 2 * n, this.scale[0], this.scale[1]).map(Math.sqrt);
    const bounds = (len: number, ratios: number[]): [number[], number[]] => {
      const u = uniformArray(seed, n);
      const start = ratios.map((r, i) => u[i] * (len - r * len));
      return [start, start.map((s, i) => s + ratios[i] * len)];
    };
    const [x0, x1] = bounds(
      w,
      Array.from({ length: n }, (_, i) => mix[2 * i]),
    );
    const [y0, y1] = bounds(
      h,
      Array.from({ length: n }, (_, i) => mix[2 * i + 1]),
    );
    const p = uniformArray(seed, n, this.factor[0], this.factor[1]);
    const u = uniformArray(seed, n);
    const applyErasing = u.map((v, i) => (v < p[i] ? 1 : 0));
    return tf.tidy(() => {
      const batchMasks = boxMask(images.shape as number[], this.dataFormat, x0, x1, y0, y1);
      let fill: Tensor;
      if (this.fillValue === null) fill = tf.mul(normal(images.shape as number[], { seed }), this.valueRange[1]);
      else if (Array.isArray(this.fillValue)) {
        const shape = this.dataFormat === "channels_last" ? [1, 1, 1, 3] : [1, 3, 1, 1];
        fill = tf.broadcastTo(tf.reshape(tf.tensor1d(this.fillValue), shape), images.shape);
      } else fill = tf.fill(images.shape, this.fillValue as number);
      const fillValue = tf.clipByValue(fill, this.valueRange[0], this.valueRange[1]);
      return { applyErasing, batchMasks, fillValue };
    }) as unknown as ErasingTransformation;
  }

  override transformImages(images: Tensor, transformation: unknown, training = true): Tensor {
    const x = this.castImages(images);
    if (!training || !transformation) return x;
    const t = transformation as ErasingTransformation;
    return tf.tidy(() => {
      const erased = tf.where(t.batchMasks, t.fillValue, x);
      const cond = tf.broadcastTo(tf.cast(perImage(t.applyErasing, x.shape[0] as number), "bool"), x.shape);
      return tf.where(cond, erased, x);
    });
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      factor: [...this.factor],
      scale: [...this.scale],
      fill_value: Array.isArray(this.fillValue) ? [...this.fillValue] : this.fillValue,
      value_range: [...this.valueRange],
      seed: this.seed,
    };
  }
}
registerBuiltin("keras.layers", RandomErasing);
