/**
 * UpSampling3D (Keras's `layers/reshaping/up_sampling3d.py`).
 */
import type { Tensor } from "../../backend/tfjs.js";
import type { Shape } from "../../backend/keras-tensor.js";
import { standardizeDataFormat, type ImageDataFormat } from "../../backend/config.js";
import { registerBuiltin } from "../../saving/object-registration.js";
import { InputSpec } from "../input-spec.js";
import { Layer, type CallArgs, type LayerArgs } from "../layer.js";
import { singleShape, singleTensor } from "../layer-utils.js";
import { repeatAxis, spatialAxes, standardizeTuple } from "./spatial-utils.js";

/** Options of UpSampling3D. */
export interface UpSampling3DArgs extends LayerArgs {
  /** Factors for the 3 spatial dims: an int (all) or 3 ints (also the first positional argument). Default `[2, 2, 2]`. */
  size?: number | readonly number[];
  /** `"channels_last"` or `"channels_first"`. Default: `keras.config.imageDataFormat()`. */
  dataFormat?: string | null;
}

/**
 * Up-samples 5D volumes by repeating the entries along each spatial dimension.
 *
 * ```ts
 * layers.UpSampling3D(2)(volumes);  // [b, 2, 2, 2, c] → [b, 4, 4, 4, c]
 * ```
 */
export class UpSampling3D extends Layer {
  /** Factors per spatial dimension. */
  readonly size: [number, number, number];
  /** `"channels_last"` or `"channels_first"`. */
  readonly dataFormat: ImageDataFormat;

  /** `new UpSampling3D(2)`, `new UpSampling3D([1, 2, 2])` or `new UpSampling3D({ size, dataFormat })`. */
  constructor(size?: number | readonly number[] | UpSampling3DArgs, args: UpSampling3DArgs = {}) {
    const opts: UpSampling3DArgs =
      typeof size === "object" && size !== null && !Array.isArray(size)
        ? { ...(size as UpSampling3DArgs) }
        : { ...args, size: (size as number | number[] | undefined) ?? args.size };
    super(opts);
    this.dataFormat = standardizeDataFormat(opts.dataFormat);
    this.size = standardizeTuple(opts.size ?? [2, 2, 2], 3, "size") as [number, number, number];
    this.inputSpec = new InputSpec({ ndim: 5 });
  }

  override call(inputs: unknown, _kwargs?: CallArgs): Tensor {
    let x = singleTensor(inputs, this.name);
    spatialAxes(5, this.dataFormat).forEach((a, i) => {
      x = repeatAxis(x, a, this.size[i]);
    });
    return x;
  }

  override computeOutputShape(inputShape: unknown): Shape {
    const s = singleShape(inputShape, this.name);
    const out = [...s];
    spatialAxes(5, this.dataFormat).forEach((a, i) => {
      const d = s[a];
      out[a] = d === null ? null : d * this.size[i];
    });
    return out;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), size: [...this.size], data_format: this.dataFormat };
  }
}
registerBuiltin("keras.layers", UpSampling3D);
