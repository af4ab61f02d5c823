/**
 * ZeroPadding1D (Keras's `layers/reshaping/zero_padding1d.py`).
 */
import type { Tensor } from "../../backend/tfjs.js";
import type { Shape } from "../../backend/keras-tensor.js";
import { standardizeDataFormat, type ImageDataFormat } from "../../backend/config.js";
import { registerBuiltin } from "../../saving/object-registration.js";
import { InputSpec } from "../input-spec.js";
import { Layer, type CallArgs, type LayerArgs } from "../layer.js";
import { singleShape, singleTensor } from "../layer-utils.js";
import { padAxes, paddedShape, spatialAxes, standardizeTuple } from "./spatial-utils.js";

/** Options of ZeroPadding1D. */
export interface ZeroPadding1DArgs extends LayerArgs {
  /** Zeros added at the start and end of the steps axis: an int (both) or `[start, end]` (also the first positional argument). Default 1. */
  padding?: number | readonly number[];
  /** `"channels_last"` (steps on axis 1) or `"channels_first"` (steps on axis 2). Default: `keras.config.imageDataFormat()`. */
  dataFormat?: string | null;
}

/**
 * Pads `(batch, steps, features)` inputs with zeros along the steps axis.
 *
 * ```ts
 * layers.ZeroPadding1D(2)(x);  // steps 10 → 14
 * ```
 */
export class ZeroPadding1D extends Layer {
  /** `[start, end]` zeros. */
  readonly padding: [number, number];
  /** `"channels_last"` or `"channels_first"`. */
  readonly dataFormat: ImageDataFormat;

  /** `new ZeroPadding1D(1)`, `new ZeroPadding1D([1, 2])` or `new ZeroPadding1D({ padding: [1, 2] })`. */
  constructor(padding?: number | readonly number[] | ZeroPadding1DArgs, args: ZeroPadding1DArgs = {}) {
    const opts: ZeroPadding1DArgs =
      typeof padding === "object" && padding !== null && !Array.isArray(padding)
        ? { ...(padding as ZeroPadding1DArgs) }
        : { ...args, padding: (padding as number | number[] | undefined) ?? args.padding };
    super(opts);
    this.dataFormat = standardizeDataFormat(opts.dataFormat);
    this.padding = standardizeTuple(opts.padding ?? 1, 2, "padding", true) as [number, number];
    this.inputSpec = new InputSpec({ ndim: 3 });
  }

  override call(inputs: unknown, _kwargs?: CallArgs): Tensor {
    return padAxes(singleTensor(inputs, this.name), [this.padding], spatialAxes(3, this.dataFormat));
  }

  override computeOutputShape(inputShape: unknown): Shape {
    return paddedShape(singleShape(inputShape, this.name), [this.padding], spatialAxes(3, this.dataFormat));
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), padding: [...this.padding], data_format: this.dataFormat };
  }
}
registerBuiltin("keras.layers", ZeroPadding1D);
