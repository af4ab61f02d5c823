/**
 * UpSampling2D (Keras's `layers/reshaping/up_sampling2d.py`).
 */
import { tf, type Tensor } from "../../backend/tfjs.js";
import type { Shape } from "../../backend/keras-tensor.js";
import { standardizeDataFormat, type ImageDataFormat } from "../../backend/config.js";
import { registerBuiltin } from "../../saving/object-registration.js";
import { InputSpec } from "../input-spec.js";
import { Layer, type CallArgs, type LayerArgs } from "../layer.js";
import { singleShape, singleTensor, toFloat } from "../layer-utils.js";
import { einsum } from "../../ops/numpy/linalg.js";
import { repeatAxis, spatialAxes, standardizeTuple } from "./spatial-utils.js";

/**
 * The `[n * factor, n]` matrix of bilinear up-sampling with half-pixel
 * centers (Keras's `ops.image.resize`): output i samples input position
 * `(i + 0.5) / factor - 0.5`, clamped to the edges.
 */
function bilinearWeights(n: number, factor: number): Float32Array {
  const m = n * factor;
  const out = new Float32Array(m * n);
  for (let i = 0; i < m; i++) {
    const src = Math.min(Math.max((i + 0.5) / factor - 0.5, 0), n - 1);
    const i0 = Math.floor(src);
    const i1 = Math.min(i0 + 1, n - 1);
    const frac = src - i0;
    out[i * n + i0] += 1 - frac;
    out[i * n + i1] += frac;
  }
  return out;
}

/** Options of UpSampling2D. */
export interface UpSampling2DArgs extends LayerArgs {
  /** Factors for rows and columns: an int (both) or `[rows, cols]` (also the first positional argument). Default `[2, 2]`. */
  size?: number | readonly number[];
  /** `"channels_last"` or `"channels_first"`. Default: `keras.config.imageDataFormat()`. */
  dataFormat?: string | null;
  /** `"nearest"` (repeat pixels) or `"bilinear"` (half-pixel centers, as Keras's `ops.image.resize`). Default `"nearest"`. */
  interpolation?: string;
}

/**
 * Up-samples images by repeating rows and columns (`"nearest"`) or by
 * bilinear interpolation (`"bilinear"`).
 *
 * ```ts
 * layers.UpSampling2D(2)(images);                           // [b, 4, 4, c] → [b, 8, 8, c]
 * layers.UpSampling2D({ size: 2, interpolation: "bilinear" })(images);
 * ```
 */
export class UpSampling2D extends Layer {
  /** `[rows, cols]` factors. */
  readonly size: [number, number];
  /** `"channels_last"` or `"channels_first"`. */
  readonly dataFormat: ImageDataFormat;
  /** `"nearest"` or `"bilinear"`. */
  readonly interpolation: string;

  /** `new UpSampling2D(2)`, `new UpSampling2D([2, 3])` or `new UpSampling2D({ size, dataFormat, interpolation })`. */
  constructor(size?: number | readonly number[] | UpSampling2DArgs, args: UpSampling2DArgs = {}) {
    const opts: UpSampling2DArgs =
      typeof size === "object" && size !== null && !Array.isArray(size)
        ? { ...(size as UpSampling2DArgs) }
        : { ...args, size: (size as number | number[] | undefined) ?? args.size };
    super(opts);
    this.dataFormat = standardizeDataFormat(opts.dataFormat);
    this.size = standardizeTuple(opts.size ?? [2, 2], 2, "size") as [number, number];
    this.interpolation = (opts.interpolation ?? "nearest").toLowerCase();
    if (this.interpolation !== "nearest" && this.interpolation !== "bilinear") {
      throw new Error(
        `UpSampling2D: interpolation '${this.interpolation}' is not supported by tskeras; use "nearest" or "bilinear".`,
      );
    }
    this.inputSpec = new InputSpec({ ndim: 4 });
  }

  override call(inputs: unknown, _kwargs?: CallArgs): Tensor {
    let x = singleTensor(inputs, this.name);
    const cf = this.dataFormat === "channels_first";
    if (cf) x = tf.transpose(x, [0, 2, 3, 1]);
    if (this.interpolation === "nearest") {
      x = repeatAxis(repeatAxis(x, 1, this.size[0]), 2, this.size[1]);
    } else {
      // Separable interpolation matrices (exact, and differentiable on every backend).
      const dtype = x.dtype;
      const [, h, w] = x.shape;
      const wh = tf.tensor2d(bilinearWeights(h, this.size[0]), [h * this.size[0], h]);
      const ww = tf.tensor2d(bilinearWeights(w, this.size[1]), [w * this.size[1], w]);
      x = einsum("jw,biwc->bijc", ww, einsum("ih,bhwc->biwc", wh, toFloat(x)) as Tensor) as Tensor;
      if (dtype !== "float32") x = tf.cast(dtype === "int32" ? tf.round(x) : x, dtype);
    }
    return cf ? tf.transpose(x, [0, 3, 1, 2]) : x;
  }

  override computeOutputShape(inputShape: unknown): Shape {
    const s = singleShape(inputShape, this.name);
    const out = [...s];
    spatialAxes(4, this.dataFormat).forEach((a, i) => {
      const d = s[a];
      out[a] = d === null ? null : d * this.size[i];
    });
    return out;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), size: [...this.size], data_format: this.dataFormat, interpolation: this.interpolation };
  }
}
registerBuiltin("keras.layers", UpSampling2D);
