/**
 * BaseGlobalPooling: the shared body of the Global Max/Average Pooling
 * 1D/2D/3D layers (Keras's `layers/pooling/base_global_pooling.py`).
 */
import { tf, type Tensor } from "../../backend/tfjs.js";
import type { Shape } from "../../backend/keras-tensor.js";
import { InputSpec } from "../input-spec.js";
import { Layer, type CallArgs, type LayerArgs } from "../layer.js";
import { singleShape } from "../layer-utils.js";
import { floatInput, standardizeDataFormatArg, type DataFormat } from "../convolutional/base-conv.js";

/** Options of the global pooling layers. */
export interface BaseGlobalPoolingArgs extends LayerArgs {
  /** `"channels_last"` or `"channels_first"`. Default: `keras.config.imageDataFormat()` (`"channels_last"`). */
  dataFormat?: DataFormat | null;
  /** Keep the spatial dimensions with size 1 (`[batch, 1, 1, channels]` rather than `[batch, channels]`). Default false. */
  keepdims?: boolean;
}

/** Max or average over all spatial positions. */
export class BaseGlobalPooling extends Layer {
  /** `"channels_last"` or `"channels_first"`. */
  readonly dataFormat: DataFormat;
  /** Whether the spatial dimensions are kept with size 1. */
  readonly keepdims: boolean;
  /** Number of spatial dimensions. */
  readonly poolDimensions: number;
  /** `"max"` or `"average"`. */
  readonly poolMode: "max" | "average";

  constructor(poolDimensions: number, poolMode: "max" | "average", args: BaseGlobalPoolingArgs = {}) {
    super(args);
    this.poolDimensions = poolDimensions;
    this.poolMode = poolMode;
    this.dataFormat = standardizeDataFormatArg(args.dataFormat);
    this.keepdims = args.keepdims ?? false;
    this.inputSpec = new InputSpec({ ndim: poolDimensions + 2 });
    this.built = true;
  }

  /** The spatial axes of the input. */
  protected spatialAxes(): number[] {
    const start = this.dataFormat === "channels_last" ? 1 : 2;
    return Array.from({ length: this.poolDimensions }, (_, i) => start + i);
  }

  override call(inputs: unknown, _kwargs?: CallArgs): Tensor {
    const x = floatInput(inputs, this.name);
    const axes = this.spatialAxes();
    return this.poolMode === "max" ? tf.max(x, axes, this.keepdims) : tf.mean(x, axes, this.keepdims);
  }

  override computeOutputShape(inputShape: unknown): Shape {
    const s = singleShape(inputShape, this.name);
    const n = s.length - 2;
    const ones = new Array<number>(n).fill(1);
    if (this.dataFormat === "channels_last") {
      return this.keepdims ? [s[0], ...ones, s[s.length - 1]] : [s[0], s[s.length - 1]];
    }
    return this.keepdims ? [s[0], s[1], ...ones] : [s[0], s[1]];
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), data_format: this.dataFormat, keepdims: this.keepdims };
  }
}
