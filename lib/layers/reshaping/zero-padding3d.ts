/**
 * ZeroPadding3D (Keras's `layers/reshaping/zero_padding3d.py`).
 */
import type { Tensor } from "../../backend/tfjs.js";
import type { Shape } from "../../backend/keras-tensor.js";
import { standardizeDataFormat, type ImageDataFormat } from "../../backend/config.js";
import { registerBuiltin } from "../../saving/object-registration.js";
import { InputSpec } from "../input-spec.js";
import { Layer, type CallArgs, type LayerArgs } from "../layer.js";
import { singleShape, singleTensor } from "../layer-utils.js";
import { padAxes, paddedShape, pairsToConfig, spatialAxes, standardizePairs } from "./spatial-utils.js";

/** What ZeroPadding3D accepts as `padding`: an int, 3 ints (symmetric per dim), or 3 `[before, after]` pairs. */
export type ZeroPadding3DSpec = number | readonly number[] | readonly (readonly number[])[];

/** Options of ZeroPadding3D. */
export interface ZeroPadding3DArgs extends LayerArgs {
  /** The zeros added per spatial dimension (also the first positional argument). Default `[[1, 1], [1, 1], [1, 1]]`. */
  padding?: ZeroPadding3DSpec;
  /** `"channels_last"` or `"channels_first"`. Default: `keras.config.imageDataFormat()`. */
  dataFormat?: string | null;
}

/**
 * Pads the 3 spatial dimensions of 5D inputs with zeros, `[before, after]` per dimension.
 *
 * ```ts
 * layers.ZeroPadding3D(1)(x);  // one zero on both sides of every spatial dimension
 * ```
 */
export class ZeroPadding3D extends Layer {
  /** `[before, after]` per spatial dimension. */
  readonly padding: [number, number][];
  /** `"channels_last"` or `"channels_first"`. */
  readonly dataFormat: ImageDataFormat;

  /** `new ZeroPadding3D(1)`, `new ZeroPadding3D([[1, 1], [1, 1], [1, 1]])` or `new ZeroPadding3D({ padding, dataFormat })`. */
  constructor(padding?: ZeroPadding3DSpec | ZeroPadding3DArgs, args: ZeroPadding3DArgs = {}) {
    const opts: ZeroPadding3DArgs =
      typeof padding === "object" && padding !== null && !Array.isArray(padding)
        ? { ...(padding as ZeroPadding3DArgs) }
        : { ...args, padding: (padding as ZeroPadding3DSpec | undefined) ?? args.padding };
    super(opts);
    this.dataFormat = standardizeDataFormat(opts.dataFormat);
    this.padding = standardizePairs(opts.padding ?? [[1, 1], [1, 1], [1, 1]], 3, "padding");
    this.inputSpec = new InputSpec({ ndim: 5 });
  }

  override call(inputs: unknown, _kwargs?: CallArgs): Tensor {
    return padAxes(singleTensor(inputs, this.name), this.padding, spatialAxes(5, this.dataFormat));
  }

  override computeOutputShape(inputShape: unknown): Shape {
    return paddedShape(singleShape(inputShape, this.name), this.padding, spatialAxes(5, this.dataFormat));
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), padding: pairsToConfig(this.padding), data_format: this.dataFormat };
  }
}
registerBuiltin("keras.layers", ZeroPadding3D);
