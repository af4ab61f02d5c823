/**
 * BasePooling: the shared body of the Max/Average Pooling 1D/2D/3D layers
 * (Keras's `layers/pooling/base_pooling.py`).
 */
import type { Tensor } from "../../backend/tfjs.js";
import type { Shape } from "../../backend/keras-tensor.js";
import { averagePool, maxPool } from "../../ops/nn.js";
import { InputSpec } from "../input-spec.js";
import { Layer, type CallArgs, type LayerArgs } from "../layer.js";
import { singleShape } from "../layer-utils.js";
import {
  floatInput,
  standardizeDataFormatArg,
  standardizePadding,
  standardizeTuple,
  type DataFormat,
  type IntOrTuple,
} from "../convolutional/base-conv.js";

/** Options of the Max/Average Pooling layers. */
export interface BasePoolingArgs extends LayerArgs {
  /** Size of the pooling window: an int or one per spatial dimension (first positional argument). */
  poolSize?: IntOrTuple;
  /** Stride of the window: an int or one per spatial dimension. Default null: `poolSize`. */
  strides?: IntOrTuple | null;
  /** `"valid"` (no padding, default) or `"same"` (output size `ceil(in / stride)`). */
  padding?: "valid" | "same" | string;
  /** `"channels_last"` or `"channels_first"`. Default: `keras.config.imageDataFormat()` (`"channels_last"`). */
  dataFormat?: DataFormat | null;
}

/** Keras's `compute_pooling_output_shape`. */
export function computePoolingOutputShape(
  inputShape: Shape,
  poolSize: readonly number[],
  strides: readonly number[],
  padding: "valid" | "same",
  dataFormat: DataFormat,
  layerName: string,
): Shape {
  const spatial = dataFormat === "channels_last" ? inputShape.slice(1, -1) : inputShape.slice(2);
  const out = spatial.map((len, i) => {
    if (len === null) return null;
    if (padding === "valid") {
      const o = Math.floor((len - poolSize[i]) / strides[i]) + 1;
      if (o <= 0) {
        throw new Error(
          `Layer "${layerName}": computed output size would be zero or negative. Received: \`inputs.shape=${JSON.stringify(inputShape)}\`, ` +
            `\`pool_size=${JSON.stringify(poolSize)}\`, \`strides=${JSON.stringify(strides)}\`, \`padding=${padding}\`.`,
        );
      }
      return o;
    }
    return Math.floor((len - 1) / strides[i]) + 1;
  });
  return dataFormat === "channels_last"
    ? [inputShape[0], ...out, inputShape[inputShape.length - 1]]
    : [inputShape[0], inputShape[1], ...out];
}

/**
 * Resolves the `(poolSize, options)` call forms of the pooling layers:
 * `MaxPooling2D(2, {...})`, `MaxPooling2D({ poolSize: 2, ... })`.
 */
export function poolSizeArgs<T extends { poolSize?: IntOrTuple }>(poolSize: IntOrTuple | T | undefined, args: T | undefined): T {
  if (typeof poolSize === "object" && poolSize !== null && !Array.isArray(poolSize)) return { ...(poolSize as T) };
  const out = { ...(args ?? ({} as T)) };
  if (poolSize !== undefined) out.poolSize = poolSize as IntOrTuple;
  return out;
}

/** Max or average pooling over 1, 2 or 3 spatial dimensions. */
export class BasePooling extends Layer {
  /** Window size per spatial dimension. */
  readonly poolSize: number[];
  /** Strides per spatial dimension. */
  readonly strides: number[];
  /** `"max"` or `"average"`. */
  readonly poolMode: "max" | "average";
  /** `"valid"` or `"same"`. */
  readonly padding: "valid" | "same";
  /** `"channels_last"` or `"channels_first"`. */
  readonly dataFormat: DataFormat;
  /** Number of spatial dimensions. */
  readonly poolDimensions: number;

  constructor(poolDimensions: number, poolMode: "max" | "average", args: BasePoolingArgs) {
    super(args);
    if (args.poolSize === undefined) throw new Error(`Missing argument \`pool_size\` of ${new.target.name}.`);
    this.poolDimensions = poolDimensions;
    this.poolSize = standardizeTuple(args.poolSize, poolDimensions, "pool_size");
    this.strides = standardizeTuple(args.strides ?? args.poolSize, poolDimensions, "strides", true);
    this.poolMode = poolMode;
    this.padding = standardizePadding(args.padding ?? "valid") as "valid" | "same";
    this.dataFormat = standardizeDataFormatArg(args.dataFormat);
    this.inputSpec = new InputSpec({ ndim: poolDimensions + 2 });
    this.built = true;
  }

  override call(inputs: unknown, _kwargs?: CallArgs): Tensor {
    const x = floatInput(inputs, this.name);
    return this.poolMode === "max"
      ? maxPool(x, this.poolSize, this.strides, this.padding, this.dataFormat)
      : averagePool(x, this.poolSize, this.strides, this.padding, this.dataFormat);
  }

  override computeOutputShape(inputShape: unknown): Shape {
    return computePoolingOutputShape(singleShape(inputShape, this.name), this.poolSize, this.strides, this.padding, this.dataFormat, this.name);
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      pool_size: [...this.poolSize],
      padding: this.padding,
      strides: [...this.strides],
      data_format: this.dataFormat,
    };
  }
}
