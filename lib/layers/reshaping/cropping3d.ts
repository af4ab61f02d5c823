/**
 * Cropping3D (Keras's `layers/reshaping/cropping3d.py`).
 */
import type { Tensor } from "../../backend/tfjs.js";
import type { Shape } from "../../backend/keras-tensor.js";
import { standardizeDataFormat, type ImageDataFormat } from "../../backend/config.js";
import { registerBuiltin } from "../../saving/object-registration.js";
import { InputSpec } from "../input-spec.js";
import { Layer, type CallArgs, type LayerArgs } from "../layer.js";
import { singleShape, singleTensor } from "../layer-utils.js";
import { cropAxes, croppedShape, pairsToConfig, spatialAxes, standardizePairs } from "./spatial-utils.js";

/** What Cropping3D accepts as `cropping`: an int, 3 ints (symmetric per dim), or 3 `[before, after]` pairs. */
export type Cropping3DSpec = number | readonly number[] | readonly (readonly number[])[];

/** Options of Cropping3D. */
export interface Cropping3DArgs extends LayerArgs {
  /** The crop per spatial dimension (also the first positional argument). Default `[[1, 1], [1, 1], [1, 1]]`. */
  cropping?: Cropping3DSpec;
  /** `"channels_last"` or `"channels_first"`. Default: `keras.config.imageDataFormat()`. */
  dataFormat?: string | null;
}

/**
 * Crops the 3 spatial dimensions of 5D inputs by `[before, after]` per dimension.
 *
 * ```ts
 * layers.Cropping3D(1)(x);  // removes one step on both sides of every spatial dimension
 * ```
 */
export class Cropping3D extends Layer {
  /** `[before, after]` per spatial dimension. */
  readonly cropping: [number, number][];
  /** `"channels_last"` or `"channels_first"`. */
  readonly dataFormat: ImageDataFormat;

  /** `new Cropping3D(1)`, `new Cropping3D([[1, 1], [1, 1], [1, 1]])` or `new Cropping3D({ cropping, dataFormat })`. */
  constructor(cropping?: Cropping3DSpec | Cropping3DArgs, args: Cropping3DArgs = {}) {
    const opts: Cropping3DArgs =
      typeof cropping === "object" && cropping !== null && !Array.isArray(cropping)
        ? { ...(cropping as Cropping3DArgs) }
        : { ...args, cropping: (cropping as Cropping3DSpec | undefined) ?? args.cropping };
    super(opts);
    this.dataFormat = standardizeDataFormat(opts.dataFormat);
    this.cropping = standardizePairs(opts.cropping ?? [[1, 1], [1, 1], [1, 1]], 3, "cropping");
    this.inputSpec = new InputSpec({ ndim: 5 });
  }

  override call(inputs: unknown, _kwargs?: CallArgs): Tensor {
    return cropAxes(singleTensor(inputs, this.name), this.cropping, spatialAxes(5, this.dataFormat), this.name);
  }

  override computeOutputShape(inputShape: unknown): Shape {
    return croppedShape(singleShape(inputShape, this.name), this.cropping, spatialAxes(5, this.dataFormat), this.name);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), cropping: pairsToConfig(this.cropping), data_format: this.dataFormat };
  }
}
registerBuiltin("keras.layers", Cropping3D);
