/**
 * Cropping2D (Keras's `layers/reshaping/cropping2d.py`).
 */
import type { Tensor } from "../../backend/tfjs.js";
import type { Shape } from "../../backend/keras-tensor.js";
import { standardizeDataFormat, type ImageDataFormat } from "../../backend/config.js";
import { registerBuiltin } from "../../saving/object-registration.js";
import { InputSpec } from "../input-spec.js";
import { Layer, type CallArgs, type LayerArgs } from "../layer.js";
import { singleShape, singleTensor } from "../layer-utils.js";
import { cropAxes, croppedShape, pairsToConfig, spatialAxes, standardizePairs } from "./spatial-utils.js";

/** What Cropping2D accepts as `cropping`: an int, 2 ints (symmetric per dim), or 2 `[before, after]` pairs. */
export type Cropping2DSpec = number | readonly number[] | readonly (readonly number[])[];

/** Options of Cropping2D. */
export interface Cropping2DArgs extends LayerArgs {
  /** The crop per spatial dimension (also the first positional argument). Default `[[0, 0], [0, 0]]`. */
  cropping?: Cropping2DSpec;
  /** `"channels_last"` or `"channels_first"`. Default: `keras.config.imageDataFormat()`. */
  dataFormat?: string | null;
}

/**
 * Crops the 2 spatial dimensions of 4D inputs by `[before, after]` per dimension.
 *
 * ```ts
 * layers.Cropping2D(1)(x);  // removes one step on both sides of every spatial dimension
 * ```
 */
export class Cropping2D extends Layer {
  /** `[before, after]` per spatial dimension. */
  readonly cropping: [number, number][];
  /** `"channels_last"` or `"channels_first"`. */
  readonly dataFormat: ImageDataFormat;

  /** `new Cropping2D(1)`, `new Cropping2D([[0, 0], [0, 0]])` or `new Cropping2D({ cropping, dataFormat })`. */
  constructor(cropping?: Cropping2DSpec | Cropping2DArgs, args: Cropping2DArgs = {}) {
    const opts: Cropping2DArgs =
      typeof cropping === "object" && cropping !== null && !Array.isArray(cropping)
        ? { ...(cropping as Cropping2DArgs) }
        : { ...args, cropping: (cropping as Cropping2DSpec | undefined) ?? args.cropping };
    super(opts);
    this.dataFormat = standardizeDataFormat(opts.dataFormat);
    this.cropping = standardizePairs(opts.cropping ?? [[0, 0], [0, 0]], 2, "cropping");
    this.inputSpec = new InputSpec({ ndim: 4 });
  }

  override call(inputs: unknown, _kwargs?: CallArgs): Tensor {
    return cropAxes(singleTensor(inputs, this.name), this.cropping, spatialAxes(4, this.dataFormat), this.name);
  }

  override computeOutputShape(inputShape: unknown): Shape {
    return croppedShape(singleShape(inputShape, this.name), this.cropping, spatialAxes(4, this.dataFormat), this.name);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), cropping: pairsToConfig(this.cropping), data_format: this.dataFormat };
  }
}
registerBuiltin("keras.layers", Cropping2D);
