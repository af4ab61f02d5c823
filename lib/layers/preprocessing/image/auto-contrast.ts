/**
 * AutoContrast (Keras's `image_preprocessing/auto_contrast.py`).
 */
import { tf, type Tensor } from "../../../backend/tfjs.js";
import { registerBuiltin } from "../../../saving/object-registration.js";
import { BaseImagePreprocessingLayer, type BaseImagePreprocessingLayerArgs } from "./base-image-preprocessing-layer.js";
import { mainArg, parseValueRange } from "./image-utils.js";

/** Options of AutoContrast. */
export interface AutoContrastArgs extends BaseImagePreprocessingLayerArgs {
  /** The range of the input values (first positional argument). Default `[0, 255]`. */
  valueRange?: readonly number[];
}

/**
 * Stretches each image's values, per channel, to fill `valueRange` (the
 * channel's minimum maps to the low end and its maximum to the high end;
 * constant channels are kept). Applied in training and at inference.
 *
 * ```ts
 * const auto = layers.AutoContrast([0, 1]);
 * ```
 */
export class AutoContrast extends BaseImagePreprocessingLayer {
  readonly valueRange: [number, number];

  /** `new AutoContrast([0, 1])` or `new AutoContrast({ valueRange: [0, 1] })`. */
  constructor(valueRange: readonly number[] | AutoContrastArgs = [0, 255], args: AutoContrastArgs = {}) {
    const opts = mainArg<AutoContrastArgs>(valueRange, args, "valueRange");
    super(opts);
    this.valueRange = parseValueRange(opts.valueRange ?? [0, 255]);
  }

  override transformImages(images: Tensor, transformation: unknown, training = true): Tensor {
    void transformation;
    void training;
    const original = this.castImages(images);
    return tf.tidy(() => {
      const x = this.transformValueRange(original, this.valueRange, [0, 255]);
      const axes = this.dataFormat === "channels_first" ? [2, 3] : [1, 2];
      const low = tf.min(x, axes, true);
      const high = tf.max(x, axes, true);
      const range = tf.sub(high, low);
      const flat = tf.lessEqual(range, 0);
      const scale = tf.div(255, tf.where(flat, tf.onesLike(range), range));
      const out = tf.clipByValue(tf.mul(tf.sub(x, low), scale), 0, 255);
      const res = this.transformValueRange(out, [0, 255], this.valueRange);
      // Constant channels (Keras: NaN from 0/0) keep the input.
      return tf.where(tf.broadcastTo(flat, res.shape), original, res);
    });
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), value_range: [...this.valueRange] };
  }
}
registerBuiltin("keras.layers", AutoContrast);
