/**
 * RandomBrightness (Keras's `image_preprocessing/random_brightness.py`).
 */
import { tf, type Tensor } from "../../../backend/tfjs.js";
import { SeedGenerator } from "../../../random/seed-generator.js";
import { registerBuiltin } from "../../../saving/object-registration.js";
import { BaseImagePreprocessingLayer, type BaseImagePreprocessingLayerArgs, type RandomTransformationOptions } from "./base-image-preprocessing-layer.js";
import { parseFactor, parseValueRange, perImage, uniformArray, type FactorLike } from "./image-utils.js";

/** Options of RandomBrightness. */
export interface RandomBrightnessArgs extends BaseImagePreprocessingLayerArgs {
  /**
   * The brightness delta range as a fraction of the value range, in
   * [-1, 1] (first positional argument): `0.2` adds a random delta in
   * [-20%, 20%] of `valueRange`'s width; `[-0.2, 0.5]` a delta in [-20%, 50%]. Required.
   */
  factor?: FactorLike;
  /** The range of the input values, `[low, high]`; outputs are clipped to it. Default `[0, 255]`. */
  valueRange?: readonly [number, number] | readonly number[];
  /** Integer seed of the layer's SeedGenerator. Default none. */
  seed?: number | null;
}

/** The per-image deltas of one call (in value units). */
export interface BrightnessTransformation {
  rgbDelta: number[];
}

/**
 * Randomly adjusts the brightness of each image during training: adds
 * `delta * (high - low)` to every pixel and channel, then clips to
 * `valueRange`. Identity with `training: false`.
 *
 * ```ts
 * const bright = layers.RandomBrightness(0.2, { valueRange: [0, 1] });
 * ```
 */
export class RandomBrightness extends BaseImagePreprocessingLayer {
  /** `[lower, upper]` of the delta, as fractions of the value range. */
  readonly factor: [number, number];
  /** `[low, high]`, sorted. */
  readonly valueRange: [number, number];
  /** The integer seed given, or null. */
  readonly seed: number | null;

  /** `new RandomBrightness(0.2)` or `new RandomBrightness({ factor: [-0.1, 0.3] })`. */
  constructor(factor: FactorLike | RandomBrightnessArgs, args: RandomBrightnessArgs = {}) {
    const opts: RandomBrightnessArgs =
      typeof factor === "object" && factor !== null && !Array.isArray(factor) ? { ...(factor as RandomBrightnessArgs) } : { ...args, factor: factor as FactorLike };
    super(opts);
    if (opts.factor === undefined) throw new Error("RandomBrightness requires a `factor` argument.");
    this.factor = parseFactor(opts.factor, [-1, 1]);
    this.valueRange = parseValueRange(opts.valueRange ?? [0, 255]);
    this.seed = opts.seed ?? null;
    this.generator = new SeedGenerator(this.seed);
  }

  override getRandomTransformation(images: Tensor, options: RandomTransformationOptions = {}): BrightnessTransformation {
    const n = images.shape[0] as number;
    if (options.training === false) return { rgbDelta: new Array<number>(n).fill(0) };
    const width = this.valueRange[1] - this.valueRange[0];
    const u = uniformArray(this.seedFrom(options.seed), n, this.factor[0], this.factor[1]);
    return { rgbDelta: u.map((v) => v * width) };
  }

  override transformImages(images: Tensor, transformation: unknown, training = true): Tensor {
    const x = this.castImages(images);
    if (!training) return x;
    const t = transformation as BrightnessTransformation;
    return tf.tidy(() =>
      tf.clipByValue(tf.add(x, perImage(t.rgbDelta, x.shape[0] as number)), this.valueRange[0], this.valueRange[1]),
    );
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), factor: [...this.factor], value_range: [...this.valueRange], seed: this.seed };
  }
}
registerBuiltin("keras.layers", RandomBrightness);
