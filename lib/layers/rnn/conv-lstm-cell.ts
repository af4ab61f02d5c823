/**
 * ConvLSTMCell: one step of a convolutional LSTM (Keras's `layers/rnn/conv_lstm.py`).
 */
import { tf, type Tensor } from "../../backend/tfjs.js";
import type { Shape } from "../../backend/keras-tensor.js";
import type { Variable } from "../../backend/variable.js";
import type { DTypeLike } from "../../backend/dtypes.js";
import * as activations from "../../activations/index.js";
import * as initializers from "../../initializers/index.js";
import * as regularizers from "../../regularizers/index.js";
import * as constraints from "../../constraints/index.js";
import type { ActivationFn, ActivationLike } from "../../activations/index.js";
import type { Initializer, InitializerLike } from "../../initializers/initializer.js";
import type { Regularizer, RegularizerLike } from "../../regularizers/regularizer.js";
import type { Constraint, ConstraintLike } from "../../constraints/constraint.js";
import { conv } from "../../ops/nn.js";
import { SeedGenerator } from "../../random/seed-generator.js";
import { registerBuiltin } from "../../saving/object-registration.js";
import {
  addChannelBias,
  computeConvOutputShape,
  standardizeDataFormatArg,
  standardizePadding,
  standardizeTuple,
  type DataFormat,
  type IntOrTuple,
} from "../convolutional/base-conv.js";
import { InputSpec } from "../input-spec.js";
import { Layer, type LayerArgs } from "../layer.js";
import { serializeConstraint, serializeInitializer, serializeRegularizer } from "../layer-utils.js";
import {
  asFloat,
  stepInputShape,
  cellStepArgs,
  fastActivation,
  makeDropoutMask,
  reuseDropoutMask,
  type FusedRNNCell,
  type RNNCellCallArgs,
  type SequenceStepper,
} from "./rnn.js";
import { clipRate } from "./simple-rnn-cell.js";

/** Options of ConvLSTMCell (and, with RNN's flags, of ConvLSTM1D/2D/3D). */
export interface ConvLSTMCellArgs extends LayerArgs {
  /** Number of spatial dimensions: 1, 2 or 3 (set by ConvLSTM1D/2D/3D). */
  rank?: number;
  /** Number of output channels (also the first positional argument of ConvLSTM1D/2D/3D). */
  filters?: number;
  /** Size of the convolution window: an int or one per spatial dimension. */
  kernelSize?: IntOrTuple;
  /** Strides of the input convolution. Default 1. */
  strides?: IntOrTuple;
  /** `"valid"` or `"same"` (input convolution; the recurrent one is always `"same"`). Default `"valid"`. */
  padding?: "valid" | "same";
  /** `"channels_last"` or `"channels_first"`. Default `keras.config.imageDataFormat()`. */
  dataFormat?: DataFormat | null;
  /** Dilation rate of the input convolution. Default 1. */
  dilationRate?: IntOrTuple;
  /** Activation of the candidate and output. Default `"tanh"`. */
  activation?: ActivationLike;
  /** Activation of the gates. Default `"sigmoid"`. */
  recurrentActivation?: ActivationLike;
  /** Whether a bias is used. Default true. */
  useBias?: boolean;
  /** Initializer of the input kernel. Default `"glorot_uniform"`. */
  kernelInitializer?: InitializerLike;
  /** Initializer of the recurrent kernel. Default `"orthogonal"`. */
  recurrentInitializer?: InitializerLike;
  /** Initializer of the bias. Default `"zeros"`. */
  biasInitializer?: InitializerLike;
  /** Add 1 to the forget gate's bias at initialization. Default true. */
  unitForgetBias?: boolean;
  kernelRegularizer?: RegularizerLike | null;
  recurrentRegularizer?: RegularizerLike | null;
  biasRegularizer?: RegularizerLike | null;
  kernelConstraint?: ConstraintLike | null;
  recurrentConstraint?: ConstraintLike | null;
  biasConstraint?: ConstraintLike | null;
  /** Input dropout rate (training only). Default 0. */
  dropout?: number;
  /** Recurrent dropout rate (training only). Default 0. */
  recurrentDropout?: number;
  /** Seed of the dropout masks. Default none. */
  seed?: number | null;
}

/**
 * Cell class for the ConvLSTM layers: an LSTM whose matmuls are
 * convolutions. The kernel is `[...kernelSize, inChannels, 4 * filters]`
 * and the recurrent kernel `[...kernelSize, filters, 4 * filters]`, gates in
 * the order i, f, c, o along the last axis. States: `[h, c]`, each of the
 * shape of one output frame.
 */
export class ConvLSTMCell extends Layer implements FusedRNNCell {
  /** Number of spatial dimensions. */
  readonly rank: number;
  /** Number of output channels. */
  readonly filters: number;
  readonly kernelSize: number[];
  readonly strides: number[];
  readonly padding: "valid" | "same";
  readonly dataFormat: DataFormat;
  readonly dilationRate: number[];
  readonly activation: ActivationFn;
  readonly recurrentActivation: ActivationFn;
  readonly useBias: boolean;
  readonly kernelInitializer: Initializer;
  readonly recurrentInitializer: Initializer;
  readonly biasInitializer: Initializer;
  readonly unitForgetBias: boolean;
  readonly kernelRegularizer: Regularizer | null;
  readonly recurrentRegularizer: Regularizer | null;
  readonly biasRegularizer: Regularizer | null;
  readonly kernelConstraint: Constraint | null;
  readonly recurrentConstraint: Constraint | null;
  readonly biasConstraint: Constraint | null;
  readonly dropout: number;
  readonly recurrentDropout: number;
  readonly seed: number | null;
  readonly seedGenerator: SeedGenerator;
  /** `[filters, filters]`: two states (h and c), each a frame with `filters` channels. */
  readonly stateSize: number[];
  /** `filters`. */
  readonly outputSize: number;
  /** The input kernel. */
  kernel: Variable | null = null;
  /** The recurrent kernel. */
  recurrentKernel: Variable | null = null;
  /** `[4 * filters]`, or null without bias. */
  bias: Variable | null = null;
  private stepInputShape: Shape | null = null;
  private dpMask: Tensor | null = null;
  private recDpMask: Tensor | null = null;

  /** `new ConvLSTMCell({ rank: 2, filters: 8, kernelSize: 3 })`. */
  constructor(args: ConvLSTMCellArgs) {
    const { rank: r, filters, kernelSize, strides, padding, dataFormat, dilationRate, ...rest } = args;
    const rank = r ?? 2;
    if (!Number.isInteger(rank) || rank < 1 || rank > 3) {
      throw new Error(`Rank ${rank} convolutions are not currently implemented. Received: rank=${rank}`);
    }
    if (typeof filters !== "number" || !Number.isInteger(filters) || filters <= 0) {
      throw new Error(`Invalid value for argument \`filters\`. Expected a strictly positive value. Received filters=${String(filters)}.`);
    }
    const ks = standardizeTuple(kernelSize, rank, "kernel_size");
    const st = standardizeTuple(strides ?? 1, rank, "strides", true);
    const dr = standardizeTuple(dilationRate ?? 1, rank, "dilation_rate");
    if (Math.max(...st) > 1 && Math.max(...dr) > 1) {
      throw new Error(
        `Specifying \`strides > 1\` is not compatible with \`dilation_rate > 1\`. Please provide \`strides=1\` or \`dilation_rate=1\`. Received: strides=${JSON.stringify(st)} and dilation_rate=${JSON.stringify(dr)}`,
      );
    }
    super(rest);
    this.rank = rank;
    this.filters = filters;
    this.kernelSize = ks;
    this.strides = st;
    this.padding = standardizePadding(padding ?? "valid") as "valid" | "same";
    this.dataFormat = standardizeDataFormatArg(dataFormat);
    this.dilationRate = dr;
    this.activation = activations.get(rest.activation === undefined ? "tanh" : rest.activation);
    this.recurrentActivation = activations.get(rest.recurrentActivation === undefined ? "sigmoid" : rest.recurrentActivation);
    this.useBias = rest.useBias ?? true;
    this.kernelInitializer = initializers.get(rest.kernelInitializer ?? "glorot_uniform");
    this.recurrentInitializer = initializers.get(rest.recurrentInitializer ?? "orthogonal");
    this.biasInitializer = initializers.get(rest.biasInitializer ?? "zeros");
    this.unitForgetBias = rest.unitForgetBias ?? true;
    this.kernelRegularizer = regularizers.get(rest.kernelRegularizer);
    this.recurrentRegularizer = regularizers.get(rest.recurrentRegularizer);
    this.biasRegularizer = regularizers.get(rest.biasRegularizer);
    this.kernelConstraint = constraints.get(rest.kernelConstraint);
    this.recurrentConstraint = constraints.get(rest.recurrentConstraint);
    this.biasConstraint = constraints.get(rest.biasConstraint);
    this.dropout = clipRate(rest.dropout);
    this.recurrentDropout = clipRate(rest.recurrentDropout);
    this.seed = rest.seed ?? null;
    this.seedGenerator = new SeedGenerator(this.seed);
    this.stateSize = [filters, filters];
    this.outputSize = filters;
    this.inputSpec = new InputSpec({ ndim: rank + 2 });
  }

  private get channelAxis(): number {
    return this.dataFormat === "channels_last" ? -1 : 1;
  }

  override build(inputShape: unknown): void {
    const shape = stepInputShape(inputShape, this.name);
    const spatial = this.dataFormat === "channels_first" ? shape.slice(2) : shape.slice(1, -1);
    if (spatial.some((d) => d === null)) {
      throw new Error(`ConvLSTM layers only support static input shapes for the spatial dimension. Received invalid input shape: input_shape=${JSON.stringify(shape)}`);
    }
    const inputDim = this.dataFormat === "channels_first" ? shape[1] : shape[shape.length - 1];
    if (typeof inputDim !== "number") {
      throw new Error(`The channel dimension of the inputs (last axis) should be defined. Found None. Full input shape received: input_shape=${JSON.stringify(shape)}`);
    }
    this.stepInputShape = [...shape];
    this.inputSpec = new InputSpec({ ndim: this.rank + 2, shape: [null, ...shape.slice(1)] });
    const f = this.filters;
    this.kernel = this.addWeight({
      name: "kernel",
      shape: [...this.kernelSize, inputDim, 4 * f],
      initializer: this.kernelInitializer,
      regularizer: this.kernelRegularizer,
      constraint: this.kernelConstraint,
    });
    this.recurrentKernel = this.addWeight({
      name: "recurrent_kernel",
      shape: [...this.kernelSize, f, 4 * f],
      initializer: this.recurrentInitializer,
      regularizer: this.recurrentRegularizer,
      constraint: this.recurrentConstraint,
    });
    if (this.useBias) {
      const init = this.biasInitializer;
      const biasInit = this.unitForgetBias
        ? (_shape: number[], dtype?: DTypeLike): Tensor =>
            tf.tidy(() => tf.concat([init.call([f], dtype), tf.ones([f]), init.call([2 * f], dtype)]))
        : init;
      this.bias = this.addWeight({
        name: "bias",
        shape: [4 * f],
        initializer: biasInit,
        regularizer: this.biasRegularizer,
        constraint: this.biasConstraint,
      });
    } else {
      this.bias = null;
    }
    this.built = true;
  }

  /** The input convolution (all four gates at once) plus the bias. */
  private inputConv(x: Tensor): Tensor {
    const y = conv(x, (this.kernel as Variable).value, this.strides, this.padding, this.dataFormat, this.dilationRate) as Tensor;
    return this.bias ? addChannelBias(y, this.bias.value, this.dataFormat) : y;
  }

  private step(
    xp: Tensor,
    h: Tensor,
    c: Tensor,
    rk: Tensor,
    rmask: Tensor | null,
    act: ActivationFn,
    ract: ActivationFn,
  ): [Tensor, Tensor[]] {
    const rec = conv(rmask ? tf.mul(h, rmask) : h, rk, 1, "same", this.dataFormat) as Tensor;
    const axis = this.channelAxis === -1 ? xp.rank - 1 : 1;
    const z = tf.add(xp, rec);
    const [zi, zf, zc, zo] = tf.split(z, 4, axis);
    const i = ract(zi);
    const f = ract(zf);
    const o = ract(zo);
    const cNew = tf.add(tf.mul(f, c), tf.mul(i, act(zc)));
    const hNew = tf.mul(o, act(cNew));
    return [hNew, [hNew, cNew]];
  }

  /** One step: `cell(x, { states: [h, c] })` gives `[h', [h', c']]`. */
  override call(inputs: unknown, kwargs: RNNCellCallArgs = {}): [Tensor, Tensor[]] {
    const { x, states } = cellStepArgs(inputs, kwargs, this.name);
    const training = kwargs.training === true;
    let xin = asFloat(x);
    if (training && this.dropout > 0 && this.dropout < 1) {
      this.dpMask = reuseDropoutMask(this.dpMask, xin.shape, this.dropout, this.seedGenerator);
      xin = tf.mul(xin, this.dpMask);
    }
    let rmask: Tensor | null = null;
    if (training && this.recurrentDropout > 0 && this.recurrentDropout < 1) {
      this.recDpMask = reuseDropoutMask(this.recDpMask, states[0].shape, this.recurrentDropout, this.seedGenerator);
      rmask = this.recDpMask;
    }
    return this.step(this.inputConv(xin), states[0], states[1], (this.recurrentKernel as Variable).value, rmask, this.activation, this.recurrentActivation);
  }

  /** The fast path: the input convolution runs once over all timesteps (folded into the batch). */
  prepareSequence(sequences: Tensor, timeAxis: 0 | 1, training: boolean): SequenceStepper {
    let x = asFloat(sequences);
    const [d0, d1] = x.shape as [number, number];
    const batch = timeAxis === 1 ? d0 : d1;
    const frame = x.shape.slice(2);
    if (training && this.dropout > 0 && this.dropout < 1) {
      x = tf.mul(x, tf.expandDims(makeDropoutMask([batch, ...frame], this.dropout, this.seedGenerator), timeAxis));
    }
    const proj = this.inputConv(tf.reshape(x, [d0 * d1, ...frame]));
    const inputs = tf.unstack(tf.reshape(proj, [d0, d1, ...proj.shape.slice(1)]), timeAxis);
    const rk = (this.recurrentKernel as Variable).value;
    const stateShape = (inputs[0] as Tensor).shape.slice();
    stateShape[this.channelAxis === -1 ? stateShape.length - 1 : 1] = this.filters;
    const rmask =
      training && this.recurrentDropout > 0 && this.recurrentDropout < 1
        ? makeDropoutMask(stateShape, this.recurrentDropout, this.seedGenerator)
        : null;
    const act = fastActivation(this.activation);
    const ract = fastActivation(this.recurrentActivation);
    return { inputs, step: (xp, states) => this.step(xp, states[0] as Tensor, states[1] as Tensor, rk, rmask, act, ract) };
  }

  /** Forgets the cached dropout mask (RNN calls it after each sequence). */
  resetDropoutMask(): void {
    this.dpMask = null;
  }

  /** Forgets the cached recurrent dropout mask. */
  resetRecurrentDropoutMask(): void {
    this.recDpMask = null;
  }

  /** The shape of one output frame (and of each state) for a step input shape. */
  frameShape(stepShape: Shape): Shape {
    return computeConvOutputShape(stepShape, this.filters, this.kernelSize, this.strides, this.padding, this.dataFormat, this.dilationRate, this.name);
  }

  /** Zero `h` and `c` frames for a batch. */
  getInitialState(batchSize: number): Tensor[] {
    if (!this.stepInputShape) throw new Error(`Cell "${this.name}" must be built before making its initial state.`);
    const shape = this.frameShape([batchSize, ...this.stepInputShape.slice(1)]) as number[];
    return [tf.zeros(shape), tf.zeros(shape)];
  }

  override computeOutputShape(inputShape: unknown): [Shape, Shape[]] {
    const out = this.frameShape(stepInputShape(inputShape, this.name));
    return [out, [out, [...out]]];
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      rank: this.rank,
      ...convLSTMOwnConfig(this),
      seed: this.seed,
    };
  }
}
registerBuiltin("keras.layers", ConvLSTMCell);

/** The config keys the ConvLSTM cell and layers share (without `seed`). */
export function convLSTMOwnConfig(c: ConvLSTMCell): Record<string, unknown> {
  return {
    filters: c.filters,
    kernel_size: [...c.kernelSize],
    strides: [...c.strides],
    padding: c.padding,
    data_format: c.dataFormat,
    dilation_rate: [...c.dilationRate],
    activation: activations.serialize(c.activation),
    recurrent_activation: activations.serialize(c.recurrentActivation),
    use_bias: c.useBias,
    kernel_initializer: serializeInitializer(c.kernelInitializer),
    recurrent_initializer: serializeInitializer(c.recurrentInitializer),
    bias_initializer: serializeInitializer(c.biasInitializer),
    unit_forget_bias: c.unitForgetBias,
    kernel_regularizer: serializeRegularizer(c.kernelRegularizer),
    recurrent_regularizer: serializeRegularizer(c.recurrentRegularizer),
    bias_regularizer: serializeRegularizer(c.biasRegularizer),
    kernel_constraint: serializeConstraint(c.kernelConstraint),
    recurrent_constraint: serializeConstraint(c.recurrentConstraint),
    bias_constraint: serializeConstraint(c.biasConstraint),
    dropout: c.dropout,
    recurrent_dropout: c.recurrentDropout,
  };
}
