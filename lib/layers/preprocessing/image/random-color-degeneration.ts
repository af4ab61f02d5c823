/**
 * RandomColorDegeneration (Keras's `image_preprocessing/random_color_degeneration.py`).
 */
import { tf, type Tensor } from "../../../backend/tfjs.js";
import type { Shape } from "../../../backend/keras-tensor.js";
import { rgbToGrayscale } from "../../../ops/image.js";
import { SeedGenerator } from "../../../random/seed-generator.js";
import { registerBuiltin } from "../../../saving/object-registration.js";
import { isPlainObject } from "../../../utils/tree.js";
import { BaseImagePreprocessingLayer, type BaseImagePreprocessingLayerArgs, type RandomTransformationOptions } from "./base-image-preprocessing-layer.js";
import { mainArg, parseFactor, parseValueRange, perImage, uniformArray, type FactorLike } from "./image-utils.js";

/** Options of RandomColorDegeneration. */
export interface RandomColorDegenerationArgs extends BaseImagePreprocessingLayerArgs {
  /**
   * The degeneration range, in [0, 1] (first positional argument): a drawn
   * `f` blends each RGB image toward its grayscale version by `f` (0 keeps
   * it, 1 gives gray). A number `f` draws in [0, f]; a pair in `[lower, upper]`. Required.
   */
  factor?: FactorLike;
  /** The range of the input values; outputs are clipped to it. Default `[0, 255]`. */
  valueRange?: readonly number[];
  /** Integer seed of the layer's SeedGenerator. Default none. */
  seed?: number | null;
}

/** The per-image blend factors. */
export interface ColorDegenerationTransformation {
  factor: number[];
}

/**
 * Randomly reduces the color of RGB images during training:
 * `x + f * (gray(x) - x)`, clipped to `valueRange`. Identity with
 * `training: false`.
 *
 * ```ts
 * const fade = layers.RandomColorDegeneration(0.5);
 * ```
 */
export class RandomColorDegeneration extends BaseImagePreprocessingLayer {
  readonly factor: [number, number];
  readonly valueRange: [number, number];
  readonly seed: number | null;

  /** `new RandomColorDegeneration(0.5)` or `new RandomColorDegeneration({ factor: 0.5 })`. */
  constructor(factor: FactorLike | RandomColorDegenerationArgs, args: RandomColorDegenerationArgs = {}) {
    const opts = mainArg<RandomColorDegenerationArgs>(factor, args, "factor");
    super(opts);
    if (opts.factor === undefined) throw new Error("RandomColorDegeneration requires a `factor` argument.");
    // Keras's documented range: a number f draws in [0, f].
    this.factor = parseFactor(opts.factor, [0, 1]);
    this.valueRange = parseValueRange(opts.valueRange ?? [0, 255]);
    this.seed = opts.seed ?? null;
    this.generator = new SeedGenerator(this.seed);
  }

  override getRandomTransformation(images: Tensor, options: RandomTransformationOptions = {}): ColorDegenerationTransformation {
    return { factor: uniformArray(this.seedFrom(options.seed), images.shape[0] as number, this.factor[0], this.factor[1]) };
  }

  override transformImages(images: Tensor, transformation: unknown, training = true): Tensor {
    const x = this.castImages(images);
    if (!training) return x;
    const t = transformation as ColorDegenerationTransformation;
    return tf.tidy(() => {
      const gray = rgbToGrayscale(x, this.dataFormat) as Tensor;
      const f = perImage(t.factor, x.shape[0] as number);
      return tf.clipByValue(tf.add(x, tf.mul(f, tf.sub(gray, x))), this.valueRange[0], this.valueRange[1]);
    });
  }

  override computeOutputShape(inputShape: unknown): unknown {
    const s = (isPlainObject(inputShape) ? inputShape.images : inputShape) as Shape;
    if (s.length !== 3 && s.length !== 4) {
      throw new Error(`Invalid images rank: expected rank 3 (single image) or rank 4 (batch of images). Received: input_shape=[${s.join(", ")}]`);
    }
    const c = this.dataFormat === "channels_last" ? s[s.length - 1] : s[s.length - 3];
    if (c !== null && c !== 3) throw new Error(`Input images must have 3 channels, but received images with ${c} channels.`);
    return inputShape;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), factor: [...this.factor], value_range: [...this.valueRange], seed: this.seed };
  }
}
registerBuiltin("keras.layers", RandomColorDegeneration);
