/**
 * RandomSharpness (Keras's `image_preprocessing/random_sharpness.py`).
 */
import { tf, type Tensor } from "../../../backend/tfjs.js";
import { SeedGenerator } from "../../../random/seed-generator.js";
import { registerBuiltin } from "../../../saving/object-registration.js";
import { BaseImagePreprocessingLayer, type BaseImagePreprocessingLayerArgs, type RandomTransformationOptions } from "./base-image-preprocessing-layer.js";
import { depthwiseSame, fromNHWC, mainArg, parseFactor, parseValueRange, perImage, toNHWC, uniformArray, type FactorLike } from "./image-utils.js";

/** Options of RandomSharpness. */
export interface RandomSharpnessArgs extends BaseImagePreprocessingLayerArgs {
  /**
   * The sharpness range, in [0, 1] (first positional argument): a drawn
   * `f` blends the image with its smoothed version by `1 - 2f`, so 0.5 keeps
   * the image, 0 blurs it and 1 sharpens it. A number `f` draws in [0, f];
   * a pair in `[lower, upper]`. Required.
   */
  factor?: FactorLike;
  /** The range of the input values; outputs are clipped to it. Default `[0, 255]`. */
  valueRange?: readonly number[];
  /** Integer seed of the layer's SeedGenerator. Default none. */
  seed?: number | null;
}

/** The per-image sharpness factors. */
export interface SharpnessTransformation {
  factor: number[];
}

const A = 1 / 13;
const B = 5 / 13;
const SMOOTH = [
  [A, A, A],
  [A, B, A],
  [A, A, A],
];

/**
 * Randomly sharpens or blurs images during training:
 * `x + (1 - 2f) * (smooth(x) - x)` with a 3x3 smoothing kernel, clipped
 * to `valueRange`. Identity with `training: false`.
 *
 * ```ts
 * const sharp = layers.RandomSharpness(0.3);
 * ```
 */
export class RandomSharpness extends BaseImagePreprocessingLayer {
  readonly factor: [number, number];
  readonly valueRange: [number, number];
  readonly seed: number | null;

  /** `new RandomSharpness(0.5)` or `new RandomSharpness({ factor: [0.2, 0.8] })`. */
  constructor(factor: FactorLike | RandomSharpnessArgs, args: RandomSharpnessArgs = {}) {
    const opts = mainArg<RandomSharpnessArgs>(factor, args, "factor");
    super(opts);
    if (opts.factor === undefined) throw new Error("RandomSharpness requires a `factor` argument.");
    this.factor = parseFactor(opts.factor, [0, 1]);
    this.valueRange = parseValueRange(opts.valueRange ?? [0, 255]);
    this.seed = opts.seed ?? null;
    this.generator = new SeedGenerator(this.seed);
  }

  override getRandomTransformation(images: Tensor, options: RandomTransformationOptions = {}): SharpnessTransformation {
    return { factor: uniformArray(this.seedFrom(options.seed), images.shape[0] as number, this.factor[0], this.factor[1]) };
  }

  override transformImages(images: Tensor, transformation: unknown, training = true): Tensor {
    const x = this.castImages(images);
    if (!training) return x;
    const t = transformation as SharpnessTransformation;
    return tf.tidy(() => {
      const nhwc = toNHWC(x, this.dataFormat);
      const smooth = depthwiseSame(nhwc, SMOOTH);
      const f = perImage(
        t.factor.map((v) => 1 - 2 * v),
        x.shape[0] as number,
      );
      const out = tf.clipByValue(tf.add(nhwc, tf.mul(f, tf.sub(smooth, nhwc))), this.valueRange[0], this.valueRange[1]);
      return fromNHWC(out, this.dataFormat);
    });
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), factor: [...this.factor], value_range: [...this.valueRange], seed: this.seed };
  }
}
registerBuiltin("keras.layers", RandomSharpness);
