/**
 * BaseConvTranspose: the shared body of Conv1DTranspose, Conv2DTranspose and
 * Conv3DTranspose (Keras's `layers/convolutional/base_conv_transpose.py`).
 */
import { tf, type Tensor } from "../../backend/tfjs.js";
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
import { convTranspose } from "../../ops/nn.js";
import { InputSpec } from "../input-spec.js";
import { Layer, type CallArgs, type LayerArgs } from "../layer.js";
import { serializeConstraint, serializeInitializer, serializeRegularizer, singleShape } from "../layer-utils.js";
import {
  addChannelBias,
  floatInput,
  inputChannels,
  standardizeDataFormatArg,
  standardizePadding,
  standardizeTuple,
  type DataFormat,
  type IntOrTuple,
} from "./base-conv.js";

/** Options of Conv1DTranspose / Conv2DTranspose / Conv3DTranspose. */
export interface BaseConvTransposeArgs extends LayerArgs {
  /** Positive integer, the number of output channels (first positional argument). */
  filters?: number;
  /** Size of the window: an int or one per spatial dimension (second positional argument). */
  kernelSize?: IntOrTuple;
  /** Strides (the upsampling factor): an int or one per spatial dimension. Default 1. */
  strides?: IntOrTuple;
  /** `"valid"` (default) or `"same"`. */
  padding?: "valid" | "same" | string;
  /**
   * Extra size added to one side of each spatial output dimension; each value
   * must be less than the stride. Default null: the size is inferred
   * (`"valid"`: `(in - 1) * s + max(k, s)`, `"same"`: `in * s`).
   */
  outputPadding?: IntOrTuple | null;
  /** `"channels_last"` or `"channels_first"`. Default: `keras.config.imageDataFormat()`. */
  dataFormat?: DataFormat | null;
  /** Dilation rate: an int or one per spatial dimension. Default 1. */
  dilationRate?: IntOrTuple;
  /** Activation applied to the output. Default none (`"linear"`). */
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
  /** Constraint of the kernel. Default none. */
  kernelConstraint?: ConstraintLike | null;
  /** Constraint of the bias. Default none. */
  biasConstraint?: ConstraintLike | null;
}

/**
 * tfjs ships no gradient for `Conv3DBackpropInputV2` (the kernel of
 * `conv3dTranspose`), so Conv3DTranspose could not train; this is the one
 * its 2D counterpart has: a conv3d for the input, a filter backprop for the kernel.
 */
if (tf.getGradient("Conv3DBackpropInputV2") === undefined) {
  tf.registerGradient({
    kernelName: "Conv3DBackpropInputV2",
    inputsToSave: ["dy", "filter"],
    gradFunc: (ddx, saved, attrs) => {
      const [dy, filter] = saved;
      const { strides, pad } = attrs as unknown as { strides: [number, number, number]; pad: "valid" | "same" };
      const g = ddx as tf.Tensor5D;
      return {
        dy: () => tf.conv3d(g, filter as tf.Tensor5D, strides, pad),
        filter: () => tf.engine().runKernel("Conv3DBackpropFilterV2", { x: g, dy }, { strides, pad, filterShape: filter.shape }) as Tensor,
      };
    },
  });
}

/** One spatial output size of a transposed convolution (Keras's `_get_output_shape_given_tf_padding`). */
export function convTransposeOutputLength(
  inputLength: number | null,
  kernelSize: number,
  stride: number,
  padding: "valid" | "same",
  outputPadding: number | null,
  dilation: number,
): number | null {
  if (inputLength === null) return null;
  const k = (kernelSize - 1) * dilation + 1;
  if (padding === "valid") {
    const op = outputPadding ?? Math.max(k, stride) - k;
    return (inputLength - 1) * stride + k + op;
  }
  if (outputPadding === null) return inputLength * stride;
  return (inputLength - 1) * stride + (k % 2) + outputPadding;
}

/**
 * The transposed convolution layer (sometimes called deconvolution): the
 * gradient of a convolution with respect to its input, used to upsample.
 * The kernel has shape `[...kernelSize, filters, inChannels]`.
 */
export class BaseConvTranspose extends Layer {
  /** Number of spatial dimensions (1, 2 or 3). */
  readonly rank: number;
  /** Number of output channels. */
  readonly filters: number;
  readonly kernelSize: number[];
  readonly strides: number[];
  readonly dilationRate: number[];
  /** `"valid"` or `"same"`. */
  readonly padding: "valid" | "same";
  /** Per-dimension output padding, or null (inferred). */
  readonly outputPadding: number[] | null;
  readonly dataFormat: DataFormat;
  readonly activation: ActivationFn;
  readonly useBias: boolean;
  readonly kernelInitializer: Initializer;
  readonly biasInitializer: Initializer;
  readonly kernelRegularizer: Regularizer | null;
  readonly biasRegularizer: Regularizer | null;
  readonly kernelConstraint: Constraint | null;
  readonly biasConstraint: Constraint | null;
  /** The kernel, shape `[...kernelSize, filters, inChannels]` (created by `build`). */
  kernel: Variable | null = null;
  /** The bias, shape `[filters]` (null when `useBias` is false). */
  bias: Variable | null = null;

  constructor(rank: number, args: BaseConvTransposeArgs) {
    const filters = args.filters;
    if (typeof filters !== "number" || !Number.isInteger(filters) || filters <= 0) {
      throw new Error(`Invalid value for argument \`filters\`. Expected a strictly positive value. Received filters=${String(filters)}.`);
    }
    super(args);
    this.rank = rank;
    this.filters = filters;
    if (args.kernelSize === undefined) throw new Error("Missing argument `kernel_size` of a transposed convolution layer.");
    this.kernelSize = standardizeTuple(args.kernelSize, rank, "kernel_size");
    this.strides = standardizeTuple(args.strides ?? 1, rank, "strides");
    this.dilationRate = standardizeTuple(args.dilationRate ?? 1, rank, "dilation_rate");
    this.padding = standardizePadding(args.padding ?? "valid") as "valid" | "same";
    this.outputPadding = args.outputPadding == null ? null : standardizeTuple(args.outputPadding, rank, "output_padding", true);
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
    if (this.outputPadding) {
      this.outputPadding.forEach((op, i) => {
        if (op >= this.strides[i]) {
          throw new Error(
            `\`output_padding\` must be strictly less than \`strides\` for all dimensions. At dimension ${i}, ` +
              `\`output_padding\` is ${op} but \`strides\` is ${this.strides[i]}. ` +
              `Received: output_padding=${JSON.stringify(this.outputPadding)}, strides=${JSON.stringify(this.strides)}`,
          );
        }
      });
    }
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
    this.kernel = this.addWeight({
      name: "kernel",
      shape: [...this.kernelSize, this.filters, channels],
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

  override call(inputs: unknown, _kwargs?: CallArgs): Tensor {
    const x = floatInput(inputs, this.name);
    let y = convTranspose(x, (this.kernel as Variable).value, this.strides, this.padding, this.outputPadding, this.dataFormat, this.dilationRate);
    if (this.bias) y = addChannelBias(y, this.bias.value, this.dataFormat);
    return this.activation(y);
  }

  override computeOutputShape(inputShape: unknown): Shape {
    const shape = singleShape(inputShape, this.name);
    if (shape.length !== this.rank + 2) {
      throw new Error(`Layer "${this.name}" expects inputs of rank ${this.rank + 2}. Received: input_shape=${JSON.stringify(shape)}`);
    }
    const spatial = this.dataFormat === "channels_last" ? shape.slice(1, -1) : shape.slice(2);
    const out = spatial.map((len, i) =>
      convTransposeOutputLength(
        len,
        this.kernelSize[i],
        this.strides[i],
        this.padding,
        this.outputPadding ? this.outputPadding[i] : null,
        this.dilationRate[i],
      ),
    );
    return this.dataFormat === "channels_last" ? [shape[0], ...out, this.filters] : [shape[0], this.filters, ...out];
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      filters: this.filters,
      kernel_size: [...this.kernelSize],
      strides: [...this.strides],
      padding: this.padding,
      output_padding: this.outputPadding ? [...this.outputPadding] : null,
      data_format: this.dataFormat,
      dilation_rate: [...this.dilationRate],
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
