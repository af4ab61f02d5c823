/**
 * RandomFlip (Keras's `image_preprocessing/random_flip.py`).
 */
import { tf, type Tensor } from "../../../backend/tfjs.js";
import { SeedGenerator } from "../../../random/seed-generator.js";
import { registerBuiltin } from "../../../saving/object-registration.js";
import { BaseImagePreprocessingLayer, type BaseImagePreprocessingLayerArgs, type RandomTransformationOptions } from "./base-image-preprocessing-layer.js";
import { perImage, uniformArray, type Interpolation } from "./image-utils.js";

/** Which flips RandomFlip makes. */
export type FlipMode = "horizontal" | "vertical" | "horizontal_and_vertical";

/** Options of RandomFlip. */
export interface RandomFlipArgs extends BaseImagePreprocessingLayerArgs {
  /** `"horizontal"`, `"vertical"` or `"horizontal_and_vertical"` (default; also the first positional argument). */
  mode?: FlipMode;
  /** Integer seed of the layer's SeedGenerator. Default none (from the global seed). */
  seed?: number | null;
}

/** The per-image flip decisions of one call. */
export interface FlipTransformation {
  /** 1 where the image is flipped, one entry per image. */
  flips: number[];
}

/**
 * Randomly flips images during training: each image is flipped (each
 * direction the mode names, together) with probability 1/2. Identity when
 * called with `training: false`.
 *
 * ```ts
 * const flip = layers.RandomFlip("horizontal", { seed: 1 });
 * flip(images, { training: true });
 * ```
 */
export class RandomFlip extends BaseImagePreprocessingLayer {
  /** The flip mode. */
  readonly mode: FlipMode;
  /** The integer seed given, or null. */
  readonly seed: number | null;

  /** `new RandomFlip("horizontal")` or `new RandomFlip({ mode: "horizontal", seed: 1 })`. */
  constructor(mode: FlipMode | RandomFlipArgs = "horizontal_and_vertical", args: RandomFlipArgs = {}) {
    const opts: RandomFlipArgs = typeof mode === "object" && mode !== null ? { ...mode } : { ...args, mode };
    super(opts);
    const m = opts.mode ?? "horizontal_and_vertical";
    if (m !== "horizontal" && m !== "vertical" && m !== "horizontal_and_vertical") {
      throw new Error(
        `RandomFlip layer ${this.name} received an unknown mode argument ${String(m)}. ` +
          "Expected one of 'horizontal', 'vertical', 'horizontal_and_vertical'.",
      );
    }
    this.mode = m;
    this.seed = opts.seed ?? null;
    this.generator = new SeedGenerator(this.seed);
  }

  override getRandomTransformation(images: Tensor, options: RandomTransformationOptions = {}): FlipTransformation | null {
    if (options.training === false) return null;
    const u = uniformArray(this.seedFrom(options.seed), images.shape[0]);
    return { flips: u.map((v) => (v <= 0.5 ? 1 : 0)) };
  }

  protected override transformImagesWith(images: Tensor, transformation: unknown, _interpolation: Interpolation): Tensor {
    const t = transformation as FlipTransformation | null;
    if (!t) return images;
    return tf.tidy(() => {
      const n = images.shape[0] as number;
      const cond = tf.cast(perImage(t.flips, n), "bool");
      const [hAxis, wAxis] = this.dataFormat === "channels_last" ? [1, 2] : [2, 3];
      let out = images;
      if (this.mode !== "vertical") out = tf.where(cond, tf.reverse(out, wAxis), out);
      if (this.mode !== "horizontal") out = tf.where(cond, tf.reverse(out, hAxis), out);
      return out;
    });
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), seed: this.seed, mode: this.mode, data_format: this.dataFormat };
  }
}
registerBuiltin("keras.layers", RandomFlip);
