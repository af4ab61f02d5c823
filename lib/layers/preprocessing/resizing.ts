/**
 * Resizing: resizes images to a target height and width (Keras's
 * `layers/preprocessing/image_preprocessing/resizing.py`).
 */
import { tf, type Tensor } from "../../backend/tfjs.js";
import type { Shape } from "../../backend/keras-tensor.js";
import { standardizeDataFormat } from "../../backend/config.js";
import { resize } from "../../ops/image.js";
import { registerBuiltin } from "../../saving/object-registration.js";
import { Layer, type CallArgs, type LayerArgs } from "../layer.js";
import { singleShape, singleTensor } from "../layer-utils.js";

/** Options of Resizing. */
export interface ResizingArgs extends LayerArgs {
  /** Output height (also the first positional argument). */
  height?: number;
  /** Output width (also the second positional argument). */
  width?: number;
  /** `"bilinear"` (default) or `"nearest"`. */
  interpolation?: "bilinear" | "nearest";
  /** Crop the largest centered window of the target aspect ratio before resizing. Default false. */
  cropToAspectRatio?: boolean;
  /** Pad (with `fillValue`) to the target aspect ratio before resizing. Default false. */
  padToAspectRatio?: boolean;
  /** Padding mode; only `"constant"` (default). */
  fillMode?: "constant";
  /** Padding value with `padToAspectRatio`. Default 0. */
  fillValue?: number;
  /** Antialiasing; only false (default) is supported. */
  antialias?: boolean;
  /** `"channels_last"` or `"channels_first"`; default from the Keras config. */
  dataFormat?: "channels_last" | "channels_first" | null;
}

/**
 * Resizes a batch of images `[batch, height, width, channels]` (or one image
 * `[height, width, channels]`) to `[height, width]`, with half-pixel centers
 * as Keras; integer images are rounded back to their dtype.
 *
 * ```ts
 * layers.Resizing(64, 64)(images);   // [batch, 64, 64, channels]
 * ```
 */
export class Resizing extends Layer {
  readonly height: number;
  readonly width: number;
  readonly interpolation: "bilinear" | "nearest";
  readonly cropToAspectRatio: boolean;
  readonly padToAspectRatio: boolean;
  readonly fillMode: "constant";
  readonly fillValue: number;
  readonly antialias: boolean;
  readonly dataFormat: "channels_last" | "channels_first";

  /** `new Resizing(64, 64, {...})` or `new Resizing({ height: 64, width: 64 })`. */
  constructor(height?: number | ResizingArgs, width?: number, args: ResizingArgs = {}) {
    const opts: ResizingArgs = typeof height === "object" && height !== null ? { ...height } : { ...args, height, width };
    if (!Number.isInteger(opts.height) || !Number.isInteger(opts.width)) {
      throw new Error(`Resizing: \`height\` and \`width\` must be integers. Received: height=${opts.height}, width=${opts.width}`);
    }
    const interpolation = opts.interpolation ?? "bilinear";
    if (interpolation !== "bilinear" && interpolation !== "nearest") {
      throw new Error(`Resizing: interpolation '${String(interpolation)}' is not supported by tskeras; use "bilinear" or "nearest".`);
    }
    if (opts.antialias) throw new Error("Resizing: antialias=true is not supported by tskeras.");
    if ((opts.fillMode ?? "constant") !== "constant") throw new Error(`Resizing: only fill_mode="constant" is supported. Received: ${opts.fillMode}`);
    super(opts);
    this.height = opts.height as number;
    this.width = opts.width as number;
    this.interpolation = interpolation;
    this.cropToAspectRatio = opts.cropToAspectRatio ?? false;
    this.padToAspectRatio = opts.padToAspectRatio ?? false;
    this.fillMode = "constant";
    this.fillValue = opts.fillValue ?? 0;
    this.antialias = false;
    this.dataFormat = standardizeDataFormat(opts.dataFormat);
  }

  override call(inputs: unknown, _kwargs?: CallArgs): Tensor {
    const x = singleTensor(inputs, this.name);
    const out = resize(x, [this.height, this.width], {
      interpolation: this.interpolation,
      cropToAspectRatio: this.cropToAspectRatio,
      padToAspectRatio: this.padToAspectRatio,
      fillValue: this.fillValue,
      dataFormat: this.dataFormat,
    });
    return out.dtype === x.dtype ? out : tf.cast(out, x.dtype);
  }

  override computeOutputShape(inputShape: unknown): Shape {
    const s = singleShape(inputShape, this.name);
    if (s.length !== 3 && s.length !== 4) throw new Error(`Layer "${this.name}": expected images of rank 3 or 4. Received: input_shape=[${s}]`);
    const out = [...s];
    const [hAxis, wAxis] = this.dataFormat === "channels_first" ? [s.length - 2, s.length - 1] : [s.length - 3, s.length - 2];
    out[hAxis] = this.height;
    out[wAxis] = this.width;
    return out;
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      data_format: this.dataFormat,
      height: this.height,
      width: this.width,
      interpolation: this.interpolation,
      crop_to_aspect_ratio: this.cropToAspectRatio,
      pad_to_aspect_ratio: this.padToAspectRatio,
      fill_mode: this.fillMode,
      fill_value: this.fillValue,
      antialias: this.antialias,
    };
  }
}
registerBuiltin("keras.layers", Resizing);
