/**
 * BaseSeparableConv: the shared body of SeparableConv1D and SeparableConv2D
 * (Keras's `layers/convolutional/base_separable_conv.py`).
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
import { separableConv } from "../../ops/nn.js";
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

/** Options of SeparableConv1D / SeparableConv2D. */
export interface BaseSeparableConvArgs extends LayerArgs {
  /** Positive integer, the number of output channels (first positional argument). */
  filters?: number;
  /** Size of the depthwise window: an int or one per spatial dimension (second positional argument). */
  kernelSize?: IntOrTuple;
  /** Strides of the depthwise step: an int or one per spatial dimension. Default 1. */
  strides?: IntOrTuple;
  /** `"valid"` (default) or `"same"`. */
  padding?: "valid" | "same" | string;
  /** `"channels_last"` or `"channels_first"`. Default: `keras.config.imageDataFormat()`. */
  dataFormat?: DataFormat | null;
  /** Dilation rate of the depthwise step: an int or one per spatial dimension. Default 1. */
  dilationRate?: IntOrTuple;
  /** Depthwise output channels per input channel. Default 1. */
  depthMultiplier?: number;
  /** Activation applied to the output. Default none (`"linear"`). */
  activation?: ActivationLike;
  /** Whether a bias vector is added. Default true. */
  useBias?: boolean;
  /** Initializer of the depthwise kernel. Default `"glorot_uniform"`. */
  depthwiseInitializer?: InitializerLike;
  /** Initializer of the pointwise kernel. Default `"glorot_uniform"`. */
  pointwiseInitializer?: InitializerLike;
  /** Initializer of the bias. Default `"zeros"`. */
  biasInitializer?: InitializerLike;
  /** Regularizer of the depthwise kernel. Default none. */
  depthwiseRegularizer?: RegularizerLike | null;
  /** Regularizer of the pointwise kernel. Default none. */
  pointwiseRegularizer?: RegularizerLike | null;
  /** Regularizer of the bias. Default none. */
  biasRegularizer?: RegularizerLike | null;
  /** Constraint of the depthwise kernel. Default none. */
  depthwiseConstraint?: ConstraintLike | null;
  /** Constraint of the pointwise kernel. Default none. */
  pointwiseConstraint?: ConstraintLike | null;
  /** Constraint of the bias. Default none. */
  biasConstraint?: ConstraintLike | null;
}

/**
 * The separable convolution layer: a depthwise convolution (each channel on
 * its own) followed by a pointwise (1x1) convolution that mixes channels.
 * Weights, in order: `depthwise_kernel` `[...kernelSize, inChannels, depthMultiplier]`,
 * `pointwise_kernel` `[1, ..., inChannels * depthMultiplier, filters]`, `bias` `[filters]`.
 */
export class BaseSeparableConv extends Layer {
  readonly rank: number;
  readonly depthMultiplier: number;
  readonly filters: number;
  readonly kernelSize: number[];
  readonly strides: number[];
  readonly dilationRate: number[];
  readonly padding: "valid" | "same";
  readonly dataFormat: DataFormat;
  readonly activation: ActivationFn;
  readonly useBias: boolean;
  readonly depthwiseInitializer: Initializer;
  readonly pointwiseInitializer: Initializer;
  readonly biasInitializer: Initializer;
  readonly depthwiseRegularizer: Regularizer | null;
  readonly pointwiseRegularizer: Regularizer | null;
  readonly biasRegularizer: Regularizer | null;
  readonly depthwiseConstraint: Constraint | null;
  readonly pointwiseConstraint: Constraint | null;
  readonly biasConstraint: Constraint | null;
  /** The depthwise kernel (created by `build`). */
  depthwiseKernel: Variable | null = null;
  /** The pointwise kernel (created by `build`). */
  pointwiseKernel: Variable | null = null;
  /** The bias, shape `[filters]` (null when `useBias` is false). */
  bias: Variable | null = null;

  constructor(rank: number, args: BaseSeparableConvArgs) {
    const dm = args.depthMultiplier ?? 1;
    if (!Number.isInteger(dm) || dm <= 0) {
      throw new Error(
        `Invalid value for argument \`depth_multiplier\`. Expected a strictly positive value. Received depth_multiplier=${dm}.`,
      );
    }
    const filters = args.filters;
    if (typeof filters !== "number" || !Number.isInteger(filters) || filters <= 0) {
      throw new Error(`Invalid value for argument \`filters\`. Expected a strictly positive value. Received filters=${String(filters)}.`);
    }
    super(args);
    this.rank = rank;
    this.depthMultiplier = dm;
    this.filters = filters;
    if (args.kernelSize === undefined) throw new Error("Missing argument `kernel_size` of a separable convolution layer.");
    this.kernelSize = standardizeTuple(args.kernelSize, rank, "kernel_size");
    this.strides = standardizeTuple(args.strides ?? 1, rank, "strides");
    this.dilationRate = standardizeTuple(args.dilationRate ?? 1, rank, "dilation_rate");
    this.padding = standardizePadding(args.padding ?? "valid") as "valid" | "same";
    this.dataFormat = standardizeDataFormatArg(args.dataFormat);
    this.activation = activations.get(args.activation);
    this.useBias = args.useBias ?? true;
    this.depthwiseInitializer = initializers.get(args.depthwiseInitializer ?? "glorot_uniform");
    this.pointwiseInitializer = initializers.get(args.pointwiseInitializer ?? "glorot_uniform");
    this.biasInitializer = initializers.get(args.biasInitializer ?? "zeros");
    this.depthwiseRegularizer = regularizers.get(args.depthwiseRegularizer);
    this.pointwiseRegularizer = regularizers.get(args.pointwiseRegularizer);
    this.biasRegularizer = regularizers.get(args.biasRegularizer);
    this.depthwiseConstraint = constraints.get(args.depthwiseConstraint);
    this.pointwiseConstraint = constraints.get(args.pointwiseConstraint);
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
    this.depthwiseKernel = this.addWeight({
      name: "depthwise_kernel",
      shape: [...this.kernelSize, channels, this.depthMultiplier],
      initializer: this.depthwiseInitializer,
      regularizer: this.depthwiseRegularizer,
      constraint: this.depthwiseConstraint,
    });
    this.pointwiseKernel = this.addWeight({
      name: "pointwise_kernel",
      shape: [...new Array<number>(this.rank).fill(1), channels * this.depthMultiplier, this.filters],
      initializer: this.pointwiseInitializer,
      regularizer: this.pointwiseRegularizer,
      constraint: this.pointwiseConstraint,
    });
    this.bias = this.useBias
      ? this.addWeight({
          name: "bias",
          shape: [this.filters],
          initializer: this.biasInitializer,
          regularizer: this.biasRegularizer,
          constraint: this.biasConstraint,
        })
      : null;
    this.built = true;
  }

  override call(inputs: unknown, _kwargs?: CallArgs): Tensor {
    const x = floatInput(inputs, this.name);
    let y = separableConv(
      x,
      (this.depthwiseKernel as Variable).value,
      (this.pointwiseKernel as Variable).value,
      this.strides,
      this.padding,
      this.dataFormat,
      this.dilationRate,
    );
    if (this.bias) y = addChannelBias(y, this.bias.value, this.dataFormat);
    return this.activation(y);
  }

  override computeOutputShape(inputShape: unknown): Shape {
    const shape = singleShape(inputShape, this.name);
    return computeConvOutputShape(
      shape,
      this.filters,
      this.kernelSize,
      this.strides,
      this.padding,
      this.dataFormat,
      this.dilationRate,
      this.name,
    );
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      depth_multiplier: this.depthMultiplier,
      filters: this.filters,
      kernel_size: [...this.kernelSize],
      strides: [...this.strides],
      padding: this.padding,
      data_format: this.dataFormat,
      dilation_rate: [...this.dilationRate],
      activation: activations.serialize(this.activation),
      use_bias: this.useBias,
      depthwise_initializer: serializeInitializer(this.depthwiseInitializer),
      pointwise_initializer: serializeInitializer(this.pointwiseInitializer),
      bias_initializer: serializeInitializer(this.biasInitializer),
      depthwise_regularizer: serializeRegularizer(this.depthwiseRegularizer),
      pointwise_regularizer: serializeRegularizer(this.pointwiseRegularizer),
      bias_regularizer: serializeRegularizer(this.biasRegularizer),
      activity_regularizer: serializeRegularizer(this.activityRegularizer),
      depthwise_constraint: serializeConstraint(this.depthwiseConstraint),
      pointwise_constraint: serializeConstraint(this.pointwiseConstraint),
      bias_constraint: serializeConstraint(this.biasConstraint),
    };
  }
}
