/**
 * CenterCrop: crops the central part of images (Keras's
 * `layers/preprocessing/image_preprocessing/center_crop.py`).
 */
import { tf, type Tensor } from "../../backend/tfjs.js";
import type { Shape } from "../../backend/keras-tensor.js";
import { standardizeDataFormat } from "../../backend/config.js";
import { resize } from "../../ops/image.js";
import { registerBuiltin } from "../../saving/object-registration.js";
import { Layer, type CallArgs, type LayerArgs } from "../layer.js";
import { singleShape, singleTensor } from "../layer-utils.js";

/** Options of CenterCrop. */
export interface CenterCropArgs extends LayerArgs {
  /** Output height (also the first positional argument). */
  height?: number;
  /** Output width (also the second positional argument). */
  width?: number;
  /** `"channels_last"` or `"channels_first"`; default from the Keras config. */
  dataFormat?: "channels_last" | "channels_first" | null;
}

/**
 * Crops the centered `[height, width]` window of images (`[batch, h, w, c]`
 * or `[h, w, c]`); an image smaller than the target in either dimension is
 * instead cropped to the target aspect ratio and resized (Keras's
 * `smart_resize`). Outputs are in the compute dtype (float32).
 *
 * ```ts
 * layers.CenterCrop(24, 24)(images);
 * ```
 */
export class CenterCrop extends Layer {
  readonly height: number;
  readonly width: number;
  readonly dataFormat: "channels_last" | "channels_first";

  /** `new CenterCrop(24, 24)` or `new CenterCrop({ height: 24, width: 24 })`. */
  constructor(height?: number | CenterCropArgs, width?: number, args: CenterCropArgs = {}) {
    const opts: CenterCropArgs = typeof height === "object" && height !== null ? { ...height } : { ...args, height, width };
    if (!Number.isInteger(opts.height) || !Number.isInteger(opts.width)) {
      throw new Error(`CenterCrop: \`height\` and \`width\` must be integers. Received: height=${opts.height}, width=${opts.width}`);
    }
    super(opts);
    this.height = opts.height as number;
    this.width = opts.width as number;
    this.dataFormat = standardizeDataFormat(opts.dataFormat);
  }

  override call(inputs: unknown, _kwargs?: CallArgs): Tensor {
    const x0 = singleTensor(inputs, this.name);
    const x = x0.dtype === this.computeDtype ? x0 : tf.cast(x0, this.computeDtype);
    if (x.rank !== 3 && x.rank !== 4) throw new Error(`Layer "${this.name}": expected images of rank 3 or 4. Received: shape=[${x.shape}]`);
    const cf = this.dataFormat === "channels_first";
    const hAxis = cf ? x.rank - 2 : x.rank - 3;
    const wAxis = hAxis + 1;
    const h = x.shape[hAxis];
    const w = x.shape[wAxis];
    const hDiff = h - this.height;
    const wDiff = w - this.width;
    if (hDiff >= 0 && wDiff >= 0) {
      const begin = Array(x.rank).fill(0);
      const size = [...x.shape];
      begin[hAxis] = Math.floor(hDiff / 2);
      begin[wAxis] = Math.floor(wDiff / 2);
      size[hAxis] = this.height;
      size[wAxis] = this.width;
      return tf.slice(x, begin, size);
    }
    return resize(x, [this.height, this.width], { interpolation: "bilinear", cropToAspectRatio: true, dataFormat: this.dataFormat });
  }

  override computeOutputShape(inputShape: unknown): Shape {
    const s = singleShape(inputShape, this.name);
    if (s.length !== 3 && s.length !== 4) {
      throw new Error("`input_shape` must be a non-nested tuple or list of rank-1 with size 3 (unbatched) or 4 (batched). ");
    }
    const out = [...s];
    const hAxis = this.dataFormat === "channels_first" ? s.length - 2 : s.length - 3;
    out[hAxis] = this.height;
    out[hAxis + 1] = this.width;
    return out;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), data_format: this.dataFormat, height: this.height, width: this.width };
  }
}
registerBuiltin("keras.layers", CenterCrop);
