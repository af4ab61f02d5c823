/**
 * BaseDepthwiseConv: the shared body of DepthwiseConv1D and DepthwiseConv2D
 * (Keras's `layers/convolutional/base_depthwise_conv.py`).
 */
import type { Tensor } from "../../backend/tfjs.js";
import type { Shape } from "../../backend/keras-tensor.js";
import type { Variable } from "../../backend/variable.js";
import * as activations from "../../activations/index.js";
import * as initializers from "../../initializers/index.js";
import * as regularizers from "../../regularizers/index.js";
import * as constraints from "../../constraints/index.js";
import type { ActivationFn, ActivationLike } from "../../activations/index.js";
import type { Initializer, InitializerLike } from "../../initializers/initializer.js";
import type { Regularizer, RegularizerLike } from "../../regularizers/regularizer.js";
import type { Constraint, ConstraintLike } from "../../constraints/constraint.js";
import { depthwiseConv } from "../../ops/nn.js";
import { InputSpec } from "../input-spec.js";
import { Layer, type CallArgs, type LayerArgs } from "../layer.js";
import { serializeConstraint, serializeInitializer, serializeRegularizer, singleShape } from "../layer-utils.js";
import {
  addChannelBias,
  computeConvOutputShape,
  floatInput,
  inputChannels,
  standardizeDataFormatArg,
  standardizePadding,
  standardizeTuple,
  type DataFormat,
  type IntOrTuple,
} from "./base-conv.js";

/** Options of DepthwiseConv1D / DepthwiseConv2D. */
export interface BaseDepthwiseConvArgs extends LayerArgs {
  /** Size of the window: an int or one per spatial dimension (first positional argument). */
  kernelSize?: IntOrTuple;
  /** Strides: an int or one per spatial dimension. Default 1. */
  strides?: IntOrTuple;
  /** `"valid"` (default) or `"same"`. */
  padding?: "valid" | "same" | string;
  /** Output channels per input channel; the output has `inChannels * depthMultiplier` channels. Default 1. */
  depthMultiplier?: number;
  /** `"channels_last"` or `"channels_first"`. Default: `keras.config.imageDataFormat()`. */
  dataFormat?: DataFormat | null;
  /** Dilation rate: an int or one per spatial dimension. Default 1. */
  dilationRate?: IntOrTuple;
  /** Activation applied to the output. Default none (`"linear"`). */
  activation?: ActivationLike;
  /** Whether a bias vector is added. Default true. */
  useBias?: boolean;
  /** Initializer of the depthwise kernel. Default `"glorot_uniform"`. */
  depthwiseInitializer?: InitializerLike;
  /** Initializer of the bias. Default `"zeros"`. */
  biasInitializer?: InitializerLike;
  /** Regularizer of the depthwise kernel. Default none. */
  depthwiseRegularizer?: RegularizerLike | null;
  /** Regularizer of the bias. Default none. */
  biasRegularizer?: RegularizerLike | null;
  /** Constraint of the depthwise kernel. Default none. */
  depthwiseConstraint?: ConstraintLike | null;
  /** Constraint of the bias. Default none. */
  biasConstraint?: ConstraintLike | null;
}

/**
 * The depthwise convolution layer: each input channel is convolved with its
 * own `depthMultiplier` filters (no mixing across channels). The kernel
 * (weight name `kernel`) has shape `[...kernelSize, inChannels, depthMultiplier]`.
 */
export class BaseDepthwiseConv extends Layer {
  readonly rank: number;
  readonly depthMultiplier: number;
  readonly kernelSize: number[];
  readonly strides: number[];
  readonly dilationRate: number[];
  readonly padding: "valid" | "same";
  readonly dataFormat: DataFormat;
  readonly activation: ActivationFn;
  readonly useBias: boolean;
  readonly depthwiseInitializer: Initializer;
  readonly biasInitializer: Initializer;
  readonly depthwiseRegularizer: Regularizer | null;
  readonly biasRegularizer: Regularizer | null;
  readonly depthwiseConstraint: Constraint | null;
  readonly biasConstraint: Constraint | null;
  /** The depthwise kernel, shape `[...kernelSize, inChannels, depthMultiplier]` (created by `build`). */
  kernel: Variable | null = null;
  /** The bias, shape `[inChannels * depthMultiplier]` (null when `useBias` is false). */
  bias: Variable | null = null;

  constructor(rank: number, args: BaseDepthwiseConvArgs) {
    const dm = args.depthMultiplier ?? 1;
    if (!Number.isInteger(dm) || dm <= 0) {
      throw new Error(
        `Invalid value for argument \`depth_multiplier\`. Expected a strictly positive value. Received depth_multiplier=${dm}.`,
      );
    }
    super(args);
    this.rank = rank;
    this.depthMultiplier = dm;
    if (args.kernelSize === undefined) throw new Error("Missing argument `kernel_size` of a depthwise convolution layer.");
    this.kernelSize = standardizeTuple(args.kernelSize, rank, "kernel_size");
    this.strides = standardizeTuple(args.strides ?? 1, rank, "strides");
    this.dilationRate = standardizeTuple(args.dilationRate ?? 1, rank, "dilation_rate");
    this.padding = standardizePadding(args.padding ?? "valid") as "valid" | "same";
    this.dataFormat = standardizeDataFormatArg(args.dataFormat);
    this.activation = activations.get(args.activation);
    this.useBias = args.useBias ?? true;
    this.depthwiseInitializer = initializers.get(args.depthwiseInitializer ?? "glorot_uniform");
    this.biasInitializer = initializers.get(args.biasInitializer ?? "zeros");
    this.depthwiseRegularizer = regularizers.get(args.depthwiseRegularizer);
    this.biasRegularizer = regularizers.get(args.biasRegularizer);
    this.depthwiseConstraint = constraints.get(args.depthwiseConstraint);
    this.biasConstraint = constraints.get(args.biasConstraint);
    this.inputSpec = new InputSpec({ minNdim: rank + 2 });
    if (Math.max(...this.strides) > 1 && Math.max(...this.dilationRate) > 1) {
      throw new Error(
        "`strides > 1` not supported in conjunction with `dilation_rate > 1`. " +
          `Received: strides=${JSON.stringify(this.strides)} and dilation_rate=${JSON.stringify(this.dilationRate)}`,
      );
    }
  }

  override build(inputShape: unknown): void {
    const shape = singleShape(inputShape, this.name);
    const channels = inputChannels(shape, this.dataFormat, this.name);
    const channelAxis = this.dataFormat === "channels_last" ? -1 : 1;
    this.inputSpec = new InputSpec({ minNdim: this.rank + 2, axes: { [channelAxis]: channels } });
    this.computeOutputShape(shape);
    this.kernel = this.addWeight({
      name: "kernel",
      shape: [...this.kernelSize, channels, this.depthMultiplier],
      initializer: this.depthwiseInitializer,
      regularizer: this.depthwiseRegularizer,
      constraint: this.depthwiseConstraint,
    });
    this.bias = this.useBias
      ? this.addWeight({
          name: "bias",
          shape: [channels * this.depthMultiplier],
          initializer: this.biasInitializer,
          regularizer: this.biasRegularizer,
          constraint: this.biasConstraint,
        })
      : null;
    this.built = true;
  }

  override call(inputs: unknown, _kwargs?: CallArgs): Tensor {
    const x = floatInput(inputs, this.name);
    let y = depthwiseConv(x, (this.kernel as Variable).value, this.strides, this.padding, this.dataFormat, this.dilationRate);
    if (this.bias) y = addChannelBias(y, this.bias.value, this.dataFormat);
    return this.activation(y);
  }

  override computeOutputShape(inputShape: unknown): Shape {
    const shape = singleShape(inputShape, this.name);
    const channels = this.dataFormat === "channels_last" ? shape[shape.length - 1] : shape[1];
    const out = computeConvOutputShape(
      shape,
      typeof channels === "number" ? channels * this.depthMultiplier : 0,
      this.kernelSize,
      this.strides,
      this.padding,
      this.dataFormat,
      this.dilationRate,
      this.name,
    );
    if (typeof channels !== "number") out[this.dataFormat === "channels_last" ? out.length - 1 : 1] = null;
    return out;
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      depth_multiplier: this.depthMultiplier,
      kernel_size: [...this.kernelSize],
      strides: [...this.strides],
      padding: this.padding,
      data_format: this.dataFormat,
      dilation_rate: [...this.dilationRate],
      activation: activations.serialize(this.activation),
      use_bias: this.useBias,
      depthwise_initializer: serializeInitializer(this.depthwiseInitializer),
      bias_initializer: serializeInitializer(this.biasInitializer),
      depthwise_regularizer: serializeRegularizer(this.depthwiseRegularizer),
      bias_regularizer: serializeRegularizer(this.biasRegularizer),
      activity_regularizer: serializeRegularizer(this.activityRegularizer),
      depthwise_constraint: serializeConstraint(this.depthwiseConstraint),
      bias_constraint: serializeConstraint(this.biasConstraint),
    };
  }
}

/**
 * Resolves the `(kernelSize, options)` call forms of the depthwise layers:
 * `DepthwiseConv2D(3, {...})` and `DepthwiseConv2D({ kernelSize: 3, ... })`.
 */
export function kernelSizeArgs<T extends { kernelSize?: IntOrTuple }>(kernelSize: IntOrTuple | T | undefined, args: T | undefined): T {
  if (typeof kernelSize === "object" && kernelSize !== null && !Array.isArray(kernelSize)) return { ...(kernelSize as T) };
  return { ...(args ?? ({} as T)), kernelSize: kernelSize as IntOrTuple };
}
