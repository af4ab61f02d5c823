/**
 * BaseAdaptivePooling: the shared body of the Adaptive Average/Max Pooling
 * 1D/2D/3D layers (Keras's `layers/pooling/base_adaptive_pooling.py`).
 */
import type { Tensor } from "../../backend/tfjs.js";
import type { Shape } from "../../backend/keras-tensor.js";
import { adaptiveAveragePool, adaptiveMaxPool } from "../../ops/nn.js";
import { Layer, type CallArgs, type LayerArgs } from "../layer.js";
import { singleShape } from "../layer-utils.js";
import { floatInput, standardizeDataFormatArg, type DataFormat, type IntOrTuple } from "../convolutional/base-conv.js";

/** Options of the adaptive pooling layers. */
export interface BaseAdaptivePoolingArgs extends LayerArgs {
  /** The spatial output size: an int (the same for every dimension) or one per dimension (first positional argument). */
  outputSize?: IntOrTuple;
  /** `"channels_last"` or `"channels_first"`. Default: `keras.config.imageDataFormat()` (`"channels_last"`). */
  dataFormat?: DataFormat | null;
}

/** Resolves `(outputSize, options)` and `({ outputSize, ... })`. */
export function outputSizeArgs<T extends { outputSize?: IntOrTuple }>(outputSize: IntOrTuple | T, args: T | undefined): T {
  if (typeof outputSize === "object" && outputSize !== null && !Array.isArray(outputSize)) return { ...(outputSize as T) };
  return { ...(args ?? ({} as T)), outputSize: outputSize as IntOrTuple };
}

/**
 * Adaptive pooling: pools to a fixed spatial output size whatever the input
 * size; output position `i` of a dimension of length `L` covers
 * `[floor(i * L / out), ceil((i + 1) * L / out))` (as PyTorch).
 */
export class BaseAdaptivePooling extends Layer {
  /** The spatial output size, one value per dimension. */
  readonly outputSize: number[];
  /** `"channels_last"` or `"channels_first"`. */
  readonly dataFormat: DataFormat;
  /** `"max"` or `"average"`. */
  readonly poolMode: "max" | "average";

  constructor(poolDimensions: number, poolMode: "max" | "average", args: BaseAdaptivePoolingArgs) {
    super(args);
    const size = args.outputSize;
    const what = poolDimensions === 1 ? "an integer or tuple of 1 integer" : `an integer or a tuple of ${poolDimensions} integers`;
    let tuple: number[];
    if (typeof size === "number") tuple = new Array<number>(poolDimensions).fill(size);
    else if (Array.isArray(size) && size.length === poolDimensions && size.every((v) => typeof v === "number")) tuple = [...(size as number[])];
    else throw new Error(`\`output_size\` must be ${what}. Received: ${JSON.stringify(size)}`);
    if (tuple.some((v) => !Number.isInteger(v) || v <= 0)) {
      throw new Error(`\`output_size\` must contain positive integers. Received: ${JSON.stringify(size)}`);
    }
    this.outputSize = tuple;
    this.poolMode = poolMode;
    this.dataFormat = standardizeDataFormatArg(args.dataFormat);
  }

  override call(inputs: unknown, _kwargs?: CallArgs): Tensor {
    const x = floatInput(inputs, this.name);
    return this.poolMode === "max"
      ? adaptiveMaxPool(x, this.outputSize, this.dataFormat)
      : adaptiveAveragePool(x, this.outputSize, this.dataFormat);
  }

  override computeOutputShape(inputShape: unknown): Shape {
    const s = singleShape(inputShape, this.name);
    return this.dataFormat === "channels_last" ? [s[0], ...this.outputSize, s[s.length - 1]] : [s[0], s[1], ...this.outputSize];
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), output_size: [...this.outputSize], data_format: this.dataFormat };
  }
}
