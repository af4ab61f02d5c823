/**
 * RandomGrayscale (Keras's `image_preprocessing/random_grayscale.py`).
 */
import { tf, type Tensor } from "../../../backend/tfjs.js";
import { rgbToGrayscale } from "../../../ops/image.js";
import { SeedGenerator } from "../../../random/seed-generator.js";
import { registerBuiltin } from "../../../saving/object-registration.js";
import { BaseImagePreprocessingLayer, type BaseImagePreprocessingLayerArgs, type RandomTransformationOptions } from "./base-image-preprocessing-layer.js";
import { mainArg, perImage, uniformArray } from "./image-utils.js";

/** Options of RandomGrayscale. */
export interface RandomGrayscaleArgs extends BaseImagePreprocessingLayerArgs {
  /** The probability of turning each image gray, in [0, 1] (first positional argument). Default 0.5. */
  factor?: number;
  /** Integer seed of the layer's SeedGenerator. Default none. */
  seed?: number | null;
}

/** Which images of the batch turn gray (1) in one call. */
export interface GrayscaleTransformation {
  shouldApply: number[];
}

/**
 * Randomly converts RGB images to grayscale during training, keeping 3
 * channels (each holds the luma 0.2989 R + 0.587 G + 0.114 B). Identity with
 * `training: false`.
 *
 * ```ts
 * const gray = layers.RandomGrayscale(0.2);
 * ```
 */
export class RandomGrayscale extends BaseImagePreprocessingLayer {
  /** The probability of the conversion. */
  readonly factor: number;
  readonly seed: number | null;

  /** `new RandomGrayscale(0.3)` or `new RandomGrayscale({ factor: 0.3 })`. */
  constructor(factor: number | RandomGrayscaleArgs = 0.5, args: RandomGrayscaleArgs = {}) {
    const opts = mainArg<RandomGrayscaleArgs>(factor, args, "factor");
    super(opts);
    const f = opts.factor ?? 0.5;
    if (typeof f !== "number" || f < 0 || f > 1) throw new Error(`\`factor\` should be between 0 and 1. Received: factor=${String(f)}`);
    this.factor = f;
    this.seed = opts.seed ?? null;
    this.generator = new SeedGenerator(this.seed);
  }

  override getRandomTransformation(images: Tensor, options: RandomTransformationOptions = {}): GrayscaleTransformation {
    const u = uniformArray(this.seedFrom(options.seed), images.shape[0] as number);
    return { shouldApply: u.map((v) => (v < this.factor ? 1 : 0)) };
  }

  override transformImages(images: Tensor, transformation: unknown, training = true): Tensor {
    const x = this.castImages(images);
    if (!training) return x;
    const t = transformation as GrayscaleTransformation;
    return tf.tidy(() => {
      const gray = rgbToGrayscale(x, this.dataFormat) as Tensor;
      const cond = tf.cast(perImage(t.shouldApply, x.shape[0] as number), "bool");
      return tf.where(cond, tf.broadcastTo(gray, x.shape), x);
    });
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), factor: this.factor };
  }
}
registerBuiltin("keras.layers", RandomGrayscale);
