/**
 * BaseConv: the shared body of Conv1D, Conv2D and Conv3D (Keras's
 * `layers/convolutional/base_conv.py`), plus the argument helpers every
 * convolution and pooling layer uses (tuples, padding, data format, output
 * shapes).
 */
import { tf, type Tensor } from "../../backend/tfjs.js";
import type { Shape } from "../../backend/keras-tensor.js";
import type { Variable } from "../../backend/variable.js";
import { standardizeDataFormat } from "../../backend/config.js";
import * as activations from "../../activations/index.js";
import * as initializers from "../../initializers/index.js";
import * as regularizers from "../../regularizers/index.js";
import * as constraints from "../../constraints/index.js";
import type { ActivationFn, ActivationLike } from "../../activations/index.js";
import type { Initializer, InitializerLike } from "../../initializers/initializer.js";
import type { Regularizer, RegularizerLike } from "../../regularizers/regularizer.js";
import type { Constraint, ConstraintLike } from "../../constraints/constraint.js";
import { conv } from "../../ops/nn.js";
import { InputSpec } from "../input-spec.js";
import { Layer, type CallArgs, type LayerArgs } from "../layer.js";
import { serializeConstraint, serializeInitializer, serializeRegularizer, singleShape, singleTensor } from "../layer-utils.js";

/** An integer, or one integer per spatial dimension. */
export type IntOrTuple = number | readonly number[];
/** Where the channels axis sits: last (`[batch, ..., channels]`) or first (`[batch, channels, ...]`). */
export type DataFormat = "channels_last" | "channels_first";
/** Padding of a convolution: `"valid"` (none), `"same"` (output size `ceil(in / stride)`), or `"causal"` (Conv1D only). */
export type ConvPadding = "valid" | "same" | "causal";

// ---------------------------------------------------------------- argument helpers

/** Keras's `standardize_tuple`: an int or a list of `n` ints, all positive (or non-negative with `allowZero`). */
export function standardizeTuple(value: unknown, n: number, name: string, allowZero = false): number[] {
  const msg = `The \`${name}\` argument must be a tuple of ${n} integers. Received ${name}=${JSON.stringify(value)}`;
  let tuple: number[];
  if (typeof value === "number") tuple = new Array<number>(n).fill(value);
  else if (Array.isArray(value)) {
    if (value.length !== n) throw new Error(msg);
    tuple = value.map((v) => {
      if (typeof v !== "number") throw new Error(`${msg} including element ${JSON.stringify(v)} of type ${typeof v}`);
      return v;
    });
  } else throw new Error(msg);
  if (tuple.some((v) => !Number.isInteger(v))) throw new Error(msg);
  const bad = tuple.filter((v) => (allowZero ? v < 0 : v <= 0));
  if (bad.length > 0) {
    throw new Error(`${msg}, including values {${[...new Set(bad)].join(", ")}} that do not satisfy \`value ${allowZero ? ">= 0" : "> 0"}\``);
  }
  return tuple;
}

/** Keras's `standardize_padding`: lower-cased `"valid"`, `"same"` (or `"causal"` when allowed). */
export function standardizePadding(value: unknown, allowCausal = false): ConvPadding {
  const allowed = allowCausal ? ["valid", "same", "causal"] : ["valid", "same"];
  const p = typeof value === "string" ? value.toLowerCase() : value;
  if (typeof p !== "string" || !allowed.includes(p)) {
    throw new Error(
      `The \`padding\` argument must be a list/tuple or one of {${allowed.map((a) => `'${a}'`).join(", ")}}. Received: ${String(value)}`,
    );
  }
  return p as ConvPadding;
}

/** Keras's `standardize_data_format`: null gives `keras.config.imageDataFormat()`. */
export function standardizeDataFormatArg(value: unknown): DataFormat {
  if (value != null && typeof value !== "string") {
    throw new Error(
      `The \`data_format\` argument must be one of {'channels_first', 'channels_last'}. Received: data_format=${String(value)}`,
    );
  }
  return standardizeDataFormat(value);
}

/** The channels axis size of a shape for a data format (throws naming the layer when unknown). */
export function inputChannels(shape: Shape, dataFormat: DataFormat, layerName: string): number {
  const c = dataFormat === "channels_last" ? shape[shape.length - 1] : shape[1];
  if (typeof c !== "number") {
    throw new Error(
      `Layer "${layerName}": the channel dimension of the inputs should be defined (data_format=${dataFormat}). ` +
        `Received: input_shape=${JSON.stringify(shape)}`,
    );
  }
  return c;
}

/** Keras's `compute_conv_output_shape` (valid / same / causal), unknown sizes stay null. */
export function computeConvOutputShape(
  inputShape: Shape,
  filters: number,
  kernelSize: readonly number[],
  strides: readonly number[],
  padding: ConvPadding,
  dataFormat: DataFormat,
  dilationRate: readonly number[],
  layerName: string,
): Shape {
  const rank = kernelSize.length;
  if (inputShape.length !== rank + 2) {
    throw new Error(
      `Layer "${layerName}": kernel shape must have the same length as input, but received kernel of shape ` +
        `${JSON.stringify([...kernelSize, dataFormat === "channels_last" ? inputShape[inputShape.length - 1] : inputShape[1], filters])} ` +
        `and input of shape ${JSON.stringify(inputShape)}.`,
    );
  }
  const spatial = dataFormat === "channels_last" ? inputShape.slice(1, -1) : inputShape.slice(2);
  const out = spatial.map((len, i) => {
    if (len === null) return null;
    if (padding === "valid") {
      const o = Math.floor((len - dilationRate[i] * (kernelSize[i] - 1) - 1) / strides[i]) + 1;
      if (o <= 0) {
        throw new Error(
          `Layer "${layerName}": computed output size would be zero or negative. Received \`inputs shape=${JSON.stringify(inputShape)}\`, ` +
            `\`kernel_size=${JSON.stringify(kernelSize)}\`, \`dilation_rate=${JSON.stringify(dilationRate)}\`, ` +
            `\`strides=${JSON.stringify(strides)}\`, \`padding=${padding}\`.`,
        );
      }
      return o;
    }
    return Math.floor((len - 1) / strides[i]) + 1;
  });
  return dataFormat === "channels_last" ? [inputShape[0], ...out, filters] : [inputShape[0], filters, ...out];
}

/** Adds a per-channel bias on the channels axis of `x`. */
export function addChannelBias(x: Tensor, bias: Tensor, dataFormat: DataFormat): Tensor {
  if (dataFormat === "channels_last") return tf.add(x, bias);
  const shape = [1, bias.shape[0], ...new Array<number>(x.rank - 2).fill(1)];
  return tf.add(x, tf.reshape(bias, shape));
}

/** Casts layer inputs to float32 (the kernels' dtype) when they are not. */
export function floatInput(inputs: unknown, layerName: string): Tensor {
  const x = singleTensor(inputs, layerName);
  return x.dtype === "float32" ? x : tf.cast(x, "float32");
}

/**
 * Resolves the `(filters, kernelSize, options)` call forms of the convolution
 * layers: `Conv2D(32, 3, {...})`, `Conv2D(32, {kernelSize: 3, ...})` and
 * `Conv2D({filters: 32, kernelSize: 3})`.
 */
export function filtersKernelArgs<T extends { filters?: number | null; kernelSize?: IntOrTuple }>(
  filters: number | T | undefined,
  kernelSize: IntOrTuple | T | undefined,
  args: T | undefined,
): T {
  if (typeof filters === "object" && filters !== null) return { ...filters };
  if (typeof kernelSize === "object" && kernelSize !== null && !Array.isArray(kernelSize)) {
    return { ...(kernelSize as T), filters: filters as number };
  }
  return { ...(args ?? ({} as T)), filters: filters as number, kernelSize: kernelSize as IntOrTuple };
}

// ---------------------------------------------------------------- BaseConv

/** Options of Conv1D / Conv2D / Conv3D. */
export interface BaseConvArgs extends LayerArgs {
  /** Positive integer, the number of output channels (first positional argument). */
  filters?: number;
  /** Size of the convolution window: an int or one per spatial dimension (second positional argument). */
  kernelSize?: IntOrTuple;
  /** Stride of the window: an int or one per spatial dimension. Default 1. `strides > 1` cannot be combined with `dilationRate > 1`. */
  strides?: IntOrTuple;
  /**
   * `"valid"` (no padding, default), `"same"` (pads so the output has
   * `ceil(in / stride)` positions; an odd total puts the extra row after) or,
   * for Conv1D only, `"causal"` (left padding only, for temporal models).
   */
  padding?: ConvPadding | string;
  /** `"channels_last"` or `"channels_first"`. Default: `keras.config.imageDataFormat()` (`"channels_last"`). */
  dataFormat?: DataFormat | null;
  /** Dilation rate of the (atrous) convolution: an int or one per spatial dimension. Default 1. */
  dilationRate?: IntOrTuple;
  /** Number of groups the input channels are split into; both channels and filters must divide by it. Default 1. */
  groups?: number;
  /** Activation applied to the output: a name, a function, or null for none. Default none (`"linear"`). */
  activation?: ActivationLike;
  /** Whether a bias vector is added. Default true. */
  useBias?: boolean;
  /** Initializer of the kernel. Default `"glorot_uniform"`. */
  kernelInitializer?: InitializerLike;
  /** Initializer of the bias. Default `"zeros"`. */
  biasInitializer?: InitializerLike;
  /** Regularizer of the kernel. Default none. */
  kernelRegularizer?: RegularizerLike | null;
  /** Regularizer of the bias. Default none. */
  biasRegularizer?: RegularizerLike | null;
  /** Constraint applied to the kernel after each optimizer update. Default none. */
  kernelConstraint?: ConstraintLike | null;
  /** Constraint applied to the bias after each optimizer update. Default none. */
  biasConstraint?: ConstraintLike | null;
  /** LoRA is not supported by tskeras; must be null. */
  loraRank?: number | null;
  /** LoRA is not supported by tskeras; ignored. */
  loraAlpha?: number | null;
}

/**
 * The N-D convolution layer (N = 1, 2, 3): a kernel of shape
 * `[...kernelSize, inChannels / groups, filters]` convolved with the input,
 * plus a bias, then the activation.
 */
export class BaseConv extends Layer {
  /** Number of spatial dimensions (1, 2 or 3). */
  readonly rank: number;
  /** Number of output channels. */
  readonly filters: number;
  /** Number of channel groups. */
  readonly groups: number;
  /** Window size per spatial dimension. */
  readonly kernelSize: number[];
  /** Strides per spatial dimension. */
  readonly strides: number[];
  /** Dilation rate per spatial dimension. */
  readonly dilationRate: number[];
  /** `"valid"`, `"same"` or `"causal"`. */
  readonly padding: ConvPadding;
  /** `"channels_last"` or `"channels_first"`. */
  readonly dataFormat: DataFormat;
  /** The activation function. */
  readonly activation: ActivationFn;
  /** Whether a bias is added. */
  readonly useBias: boolean;
  readonly kernelInitializer: Initializer;
  readonly biasInitializer: Initializer;
  readonly kernelRegularizer: Regularizer | null;
  readonly biasRegularizer: Regularizer | null;
  readonly kernelConstraint: Constraint | null;
  readonly biasConstraint: Constraint | null;
  /** The kernel, shape `[...kernelSize, inChannels / groups, filters]` (created by `build`). */
  kernel: Variable | null = null;
  /** The bias, shape `[filters]` (null when `useBias` is false). */
  bias: Variable | null = null;

  constructor(rank: number, args: BaseConvArgs) {
    const filters = args.filters;
    if (typeof filters !== "number" || !Number.isInteger(filters) || filters <= 0) {
      throw new Error(`Invalid value for argument \`filters\`. Expected a strictly positive value. Received filters=${String(filters)}.`);
    }
    if (args.loraRank) throw new Error("Convolution layers: LoRA (`loraRank`) is not supported by tskeras.");
    super(args);
    this.rank = rank;
    this.filters = filters;
    this.groups = args.groups ?? 1;
    if (!Number.isInteger(this.groups) || this.groups <= 0) {
      throw new Error(`The number of groups must be a positive integer. Received: groups=${this.groups}.`);
    }
    if (this.filters % this.groups !== 0) {
      throw new Error(
        "The number of filters must be evenly divisible by the number of groups. " +
          `Received: groups=${this.groups}, filters=${this.filters}.`,
      );
    }
    if (args.kernelSize === undefined) throw new Error("Missing argument `kernel_size` of a convolution layer.");
    this.kernelSize = standardizeTuple(args.kernelSize, rank, "kernel_size");
    this.strides = standardizeTuple(args.strides ?? 1, rank, "strides");
    this.dilationRate = standardizeTuple(args.dilationRate ?? 1, rank, "dilation_rate");
    this.padding = standardizePadding(args.padding ?? "valid", rank === 1);
    this.dataFormat = standardizeDataFormatArg(args.dataFormat);
    this.activation = activations.get(args.activation);
    this.useBias = args.useBias ?? true;
    this.kernelInitializer = initializers.get(args.kernelInitializer ?? "glorot_uniform");
    this.biasInitializer = initializers.get(args.biasInitializer ?? "zeros");
    this.kernelRegularizer = regularizers.get(args.kernelRegularizer);
    this.biasRegularizer = regularizers.get(args.biasRegularizer);
    this.kernelConstraint = constraints.get(args.kernelConstraint);
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
    if (channels % this.groups !== 0) {
      throw new Error(
        `Layer "${this.name}": the number of input channels must be evenly divisible by the number of groups. ` +
          `Received groups=${this.groups}, but the input has ${channels} channels (full input shape is ${JSON.stringify(shape)}).`,
      );
    }
    this.computeOutputShape(shape);
    this.kernel = this.addWeight({
      name: "kernel",
      shape: [...this.kernelSize, channels / this.groups, this.filters],
      initializer: this.kernelInitializer,
      regularizer: this.kernelRegularizer,
      constraint: this.kernelConstraint,
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

  /** The convolution itself (without bias and activation). */
  protected convolutionOp(x: Tensor, kernel: Tensor): Tensor {
    let padding = this.padding;
    let input = x;
    if (padding === "causal") {
      const left = this.dilationRate[0] * (this.kernelSize[0] - 1);
      const pads: [number, number][] =
        this.dataFormat === "channels_last"
          ? [
              [0, 0],
              [left, 0],
              [0, 0],
            ]
          : [
              [0, 0],
              [0, 0],
              [left, 0],
            ];
      input = tf.pad(x, pads);
      padding = "valid";
    }
    return conv(input, kernel, this.strides, padding, this.dataFormat, this.dilationRate);
  }

  override call(inputs: unknown, _kwargs?: CallArgs): Tensor {
    const x = floatInput(inputs, this.name);
    let y = this.convolutionOp(x, (this.kernel as Variable).value);
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
      filters: this.filters,
      kernel_size: [...this.kernelSize],
      strides: [...this.strides],
      padding: this.padding,
      data_format: this.dataFormat,
      dilation_rate: [...this.dilationRate],
      groups: this.groups,
      activation: activations.serialize(this.activation),
      use_bias: this.useBias,
      kernel_initializer: serializeInitializer(this.kernelInitializer),
      bias_initializer: serializeInitializer(this.biasInitializer),
      kernel_regularizer: serializeRegularizer(this.kernelRegularizer),
      bias_regularizer: serializeRegularizer(this.biasRegularizer),
      activity_regularizer: serializeRegularizer(this.activityRegularizer),
      kernel_constraint: serializeConstraint(this.kernelConstraint),
      bias_constraint: serializeConstraint(this.biasConstraint),
    };
  }
}
