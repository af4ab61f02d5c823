/**
 * RandomHue (Keras's `image_preprocessing/random_hue.py`).
 */
import { tf, type Tensor } from "../../../backend/tfjs.js";
import { hsvToRgb, rgbToHsv } from "../../../ops/image.js";
import { SeedGenerator } from "../../../random/seed-generator.js";
import { registerBuiltin } from "../../../saving/object-registration.js";
import { BaseImagePreprocessingLayer, type BaseImagePreprocessingLayerArgs, type RandomTransformationOptions } from "./base-image-preprocessing-layer.js";
import { channelAxis, mainArg, parseFactor, perImage, uniformArray, type FactorLike } from "./image-utils.js";

/** Options of RandomHue. */
export interface RandomHueArgs extends BaseImagePreprocessingLayerArgs {
  /**
   * The hue shift range, in [0, 1] (first positional argument): the hue
   * rotates by a random amount in [-f/2, f/2] of the hue circle. `0` keeps
   * the image, `1` allows any hue. A pair `[lower, upper]` draws the
   * magnitude in that range. Required.
   */
  factor?: FactorLike;
  /** The range of the input values. Default `[0, 255]`. */
  valueRange?: readonly number[];
  /** Integer seed of the layer's SeedGenerator. Default none. */
  seed?: number | null;
}

/** The per-image hue shifts (fractions of the hue circle). */
export interface HueTransformation {
  factor: number[];
}

/**
 * Randomly shifts the hue of RGB images during training (through HSV).
 * Identity with `training: false`.
 *
 * ```ts
 * const hue = layers.RandomHue(0.2, { valueRange: [0, 1] });
 * ```
 */
export class RandomHue extends BaseImagePreprocessingLayer {
  readonly factor: [number, number];
  readonly valueRange: [number, number];
  readonly seed: number | null;

  /** `new RandomHue(0.2)` or `new RandomHue({ factor: 0.2 })`. */
  constructor(factor: FactorLike | RandomHueArgs, args: RandomHueArgs = {}) {
    const opts = mainArg<RandomHueArgs>(factor, args, "factor");
    super(opts);
    if (opts.factor === undefined) throw new Error("RandomHue requires a `factor` argument.");
    this.factor = parseFactor(opts.factor, [0, 1]);
    const vr = opts.valueRange ?? [0, 255];
    this.valueRange = [vr[0], vr[1]];
    this.seed = opts.seed ?? null;
    this.generator = new SeedGenerator(this.seed);
  }

  override getRandomTransformation(images: Tensor, options: RandomTransformationOptions = {}): HueTransformation {
    const n = images.shape[0] as number;
    const seed = this.seedFrom(options.seed);
    const invert = uniformArray(seed, n).map((v) => (v > 0.5 ? -1 : 1));
    const f = uniformArray(seed, n, this.factor[0], this.factor[1]);
    return { factor: f.map((v, i) => invert[i] * v * 0.5) };
  }

  override transformImages(images: Tensor, transformation: unknown, training = true): Tensor {
    const x = this.castImages(images);
    if (!training) return x;
    const t = transformation as HueTransformation;
    return tf.tidy(() => {
      const unit = this.transformValueRange(x, this.valueRange, [0, 1]);
      const hsv = rgbToHsv(unit, this.dataFormat) as Tensor;
      const [h, s, v] = tf.split(hsv, 3, channelAxis(this.dataFormat));
      let hue = tf.add(h, perImage(t.factor, x.shape[0] as number));
      hue = tf.where(tf.greater(hue, 1), tf.sub(hue, 1), hue);
      hue = tf.where(tf.less(hue, 0), tf.add(hue, 1), hue);
      const rgb = hsvToRgb(tf.concat([hue, s, v], channelAxis(this.dataFormat)), this.dataFormat) as Tensor;
      return this.transformValueRange(tf.clipByValue(rgb, 0, 1), [0, 1], this.valueRange);
    });
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), factor: [...this.factor], value_range: [...this.valueRange], seed: this.seed };
  }
}
registerBuiltin("keras.layers", RandomHue);
