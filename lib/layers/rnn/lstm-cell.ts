/**
 * LSTMCell: one step of a Long Short-Term Memory layer (Keras's `layers/rnn/lstm.py`).
 */
import { tf, type Tensor } from "../../backend/tfjs.js";
import type { Shape } from "../../backend/keras-tensor.js";
import type { DTypeLike } from "../../backend/dtypes.js";
import type { Variable } from "../../backend/variable.js";
import * as activations from "../../activations/index.js";
import * as initializers from "../../initializers/index.js";
import * as regularizers from "../../regularizers/index.js";
import * as constraints from "../../constraints/index.js";
import type { ActivationFn, ActivationLike } from "../../activations/index.js";
import type { Initializer, InitializerLike } from "../../initializers/initializer.js";
import type { Regularizer, RegularizerLike } from "../../regularizers/regularizer.js";
import type { Constraint, ConstraintLike } from "../../constraints/constraint.js";
import { SeedGenerator } from "../../random/seed-generator.js";
import { registerBuiltin } from "../../saving/object-registration.js";
import { Layer, type LayerArgs } from "../layer.js";
import { serializeConstraint, serializeInitializer, serializeRegularizer } from "../layer-utils.js";
import { checkUnits, clipRate } from "./simple-rnn-cell.js";
import {
  asFloat,
  stepInputShape,
  cellStepArgs,
  fastActivation,
  makeDropoutMask,
  projectLastAxis,
  unstackSteps,
  reuseDropoutMask,
  type FusedRNNCell,
  type RNNCellCallArgs,
  type SequenceStepper,
} from "./rnn.js";

/** Options of LSTMCell. */
export interface LSTMCellArgs extends LayerArgs {
  /** Positive integer, the dimensionality of the output space (also the first positional argument). */
  units?: number;
  /** Activation of the candidate and of the output. Default `"tanh"`; null for none (linear). */
  activation?: ActivationLike;
  /** Activation of the input, forget and output gates. Default `"sigmoid"`. */
  recurrentActivation?: ActivationLike;
  /** Add 1 to the forget gate's bias at initialization (Jozefowicz et al.). Default true. */
  unitForgetBias?: boolean;
  /** Whether the layer uses a bias vector. Default true. */
  useBias?: boolean;
  /** Initializer of the input kernel. Default `"glorot_uniform"`. */
  kernelInitializer?: InitializerLike;
  /** Initializer of the recurrent kernel. Default `"orthogonal"`. */
  recurrentInitializer?: InitializerLike;
  /** Initializer of the bias. Default `"zeros"`. */
  biasInitializer?: InitializerLike;
  /** Regularizer of the input kernel. Default none. */
  kernelRegularizer?: RegularizerLike | null;
  /** Regularizer of the recurrent kernel. Default none. */
  recurrentRegularizer?: RegularizerLike | null;
  /** Regularizer of the bias. Default none. */
  biasRegularizer?: RegularizerLike | null;
  /** Constraint of the input kernel. Default none. */
  kernelConstraint?: ConstraintLike | null;
  /** Constraint of the recurrent kernel. Default none. */
  recurrentConstraint?: ConstraintLike | null;
  /** Constraint of the bias. Default none. */
  biasConstraint?: ConstraintLike | null;
  /** Fraction of the input units to drop (training only), in [0, 1]. Default 0. */
  dropout?: number;
  /** Fraction of the recurrent units to drop (training only), in [0, 1]. Default 0. */
  recurrentDropout?: number;
  /** Seed of the dropout masks. Default none. */
  seed?: number | null;
}

/**
 * Cell class for LSTM. The kernels hold the four gates side by side in the
 * order input, forget, cell, output (`[i | f | c | o]`, `4 * units` columns):
 *
 * ```
 * z = x·kernel + h·recurrentKernel + bias
 * i = σ(z_i), f = σ(z_f), o = σ(z_o), c' = f * c + i * tanh(z_c), h' = o * tanh(c')
 * ```
 *
 * States: `[h, c]`, each `[batch, units]`.
 *
 * ```ts
 * const rnn = layers.RNN(layers.LSTMCell(4));
 * rnn(tf.ones([2, 5, 3])).shape;   // [2, 4]
 * ```
 */
export class LSTMCell extends Layer implements FusedRNNCell {
  /** Dimensionality of the output space (and of each state). */
  readonly units: number;
  /** Activation of the candidate and of the output. */
  readonly activation: ActivationFn;
  /** Activation of the gates. */
  readonly recurrentActivation: ActivationFn;
  /** Whether a bias is used. */
  readonly useBias: boolean;
  /** Whether the forget gate's bias starts at 1. */
  readonly unitForgetBias: boolean;
  readonly kernelInitializer: Initializer;
  readonly recurrentInitializer: Initializer;
  readonly biasInitializer: Initializer;
  readonly kernelRegularizer: Regularizer | null;
  readonly recurrentRegularizer: Regularizer | null;
  readonly biasRegularizer: Regularizer | null;
  readonly kernelConstraint: Constraint | null;
  readonly recurrentConstraint: Constraint | null;
  readonly biasConstraint: Constraint | null;
  /** Input dropout rate. */
  readonly dropout: number;
  /** Recurrent dropout rate. */
  readonly recurrentDropout: number;
  /** The seed given, or null. */
  readonly seed: number | null;
  /** Source of the dropout masks. */
  readonly seedGenerator: SeedGenerator;
  /** `[units, units]`: the states h and c. */
  readonly stateSize: number[];
  /** `units`. */
  readonly outputSize: number;
  /** `[inputDim, 4 * units]`. */
  kernel: Variable | null = null;
  /** `[units, 4 * units]`. */
  recurrentKernel: Variable | null = null;
  /** `[4 * units]`, or null without bias. */
  bias: Variable | null = null;
  private dpMask: Tensor | null = null;
  private recDpMask: Tensor | null = null;

  /** `new LSTMCell(4)` or `new LSTMCell({ units: 4 })`. */
  constructor(units: number | LSTMCellArgs, args: LSTMCellArgs = {}) {
    const opts: LSTMCellArgs = typeof units === "object" && units !== null ? { ...units } : { ...args, units };
    const u = checkUnits(opts.units);
    const { implementation: _impl, ...rest } = opts as LSTMCellArgs & { implementation?: unknown };
    void _impl;
    super(rest);
    this.units = u;
    this.activation = activations.get(opts.activation === undefined ? "tanh" : opts.activation);
    this.recurrentActivation = activations.get(opts.recurrentActivation === undefined ? "sigmoid" : opts.recurrentActivation);
    this.useBias = opts.useBias ?? true;
    this.unitForgetBias = opts.unitForgetBias ?? true;
    this.kernelInitializer = initializers.get(opts.kernelInitializer ?? "glorot_uniform");
    this.recurrentInitializer = initializers.get(opts.recurrentInitializer ?? "orthogonal");
    this.biasInitializer = initializers.get(opts.biasInitializer ?? "zeros");
    this.kernelRegularizer = regularizers.get(opts.kernelRegularizer);
    this.recurrentRegularizer = regularizers.get(opts.recurrentRegularizer);
    this.biasRegularizer = regularizers.get(opts.biasRegularizer);
    this.kernelConstraint = constraints.get(opts.kernelConstraint);
    this.recurrentConstraint = constraints.get(opts.recurrentConstraint);
    this.biasConstraint = constraints.get(opts.biasConstraint);
    this.dropout = clipRate(opts.dropout);
    this.recurrentDropout = clipRate(opts.recurrentDropout);
    this.seed = opts.seed ?? null;
    this.seedGenerator = new SeedGenerator(this.seed);
    this.stateSize = [u, u];
    this.outputSize = u;
  }

  override build(inputShape: unknown): void {
    const shape = stepInputShape(inputShape, this.name);
    const inputDim = shape[shape.length - 1];
    if (typeof inputDim !== "number") throw new Error(`Cell "${this.name}" needs a known last input dimension. Received: input_shape=${JSON.stringify(shape)}`);
    const u = this.units;
    this.kernel = this.addWeight({
      name: "kernel",
      shape: [inputDim, 4 * u],
      initializer: this.kernelInitializer,
      regularizer: this.kernelRegularizer,
      constraint: this.kernelConstraint,
    });
    this.recurrentKernel = this.addWeight({
      name: "recurrent_kernel",
      shape: [u, 4 * u],
      initializer: this.recurrentInitializer,
      regularizer: this.recurrentRegularizer,
      constraint: this.recurrentConstraint,
    });
    if (this.useBias) {
      const init = this.biasInitializer;
      const biasInit = this.unitForgetBias
        ? (_shape: number[], dtype?: DTypeLike): Tensor =>
            tf.tidy(() => tf.concat([init.call([u], dtype), tf.ones([u]), init.call([2 * u], dtype)]))
        : init;
      this.bias = this.addWeight({
        name: "bias",
        shape: [4 * u],
        initializer: biasInit,
        regularizer: this.biasRegularizer,
        constraint: this.biasConstraint,
      });
    } else {
      this.bias = null;
    }
    this.built = true;
  }

  /** One step: `cell(x, { states: [h, c] })` or `cell([x, h, c])` gives `[h', [h', c']]`. */
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
    const xp = projectLastAxis(xin, (this.kernel as Variable).value, this.bias ? this.bias.value : null);
    return lstmStep(xp, states[0], states[1], (this.recurrentKernel as Variable).value, rmask, this.activation, this.recurrentActivation);
  }

  /** The fast path: all timesteps projected with one matmul. */
  prepareSequence(sequences: Tensor, timeAxis: 0 | 1, training: boolean): SequenceStepper {
    let x = asFloat(sequences);
    const batch = x.shape[timeAxis === 1 ? 0 : 1] as number;
    if (training && this.dropout > 0 && this.dropout < 1) {
      x = tf.mul(x, tf.expandDims(makeDropoutMask([batch, x.shape[x.rank - 1] as number], this.dropout, this.seedGenerator), timeAxis));
    }
    const inputs = unstackSteps(projectLastAxis(x, (this.kernel as Variable).value, this.bias ? this.bias.value : null), timeAxis);
    const rk = (this.recurrentKernel as Variable).value;
    const rmask =
      training && this.recurrentDropout > 0 && this.recurrentDropout < 1
        ? makeDropoutMask([batch, this.units], this.recurrentDropout, this.seedGenerator)
        : null;
    const act = fastActivation(this.activation);
    const ract = fastActivation(this.recurrentActivation);
    return {
      inputs,
      step: (xp: Tensor, states: Tensor[]): [Tensor, Tensor[]] => lstmStep(xp, states[0], states[1], rk, rmask, act, ract),
    };
  }

  /** Forgets the cached dropout mask (RNN calls it after each sequence). */
  resetDropoutMask(): void {
    this.dpMask = null;
  }

  /** Forgets the cached recurrent dropout mask. */
  resetRecurrentDropoutMask(): void {
    this.recDpMask = null;
  }

  /** Zeros `[batchSize, units]` for h and for c. */
  getInitialState(batchSize: number): Tensor[] {
    return [tf.zeros([batchSize, this.units]), tf.zeros([batchSize, this.units])];
  }

  override computeOutputShape(inputShape: unknown): [Shape, Shape[]] {
    const batch = stepInputShape(inputShape, this.name)[0];
    return [
      [batch, this.units],
      [
        [batch, this.units],
        [batch, this.units],
      ],
    ];
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      units: this.units,
      activation: activations.serialize(this.activation),
      recurrent_activation: activations.serialize(this.recurrentActivation),
      use_bias: this.useBias,
      unit_forget_bias: this.unitForgetBias,
      kernel_initializer: serializeInitializer(this.kernelInitializer),
      recurrent_initializer: serializeInitializer(this.recurrentInitializer),
      bias_initializer: serializeInitializer(this.biasInitializer),
      kernel_regularizer: serializeRegularizer(this.kernelRegularizer),
      recurrent_regularizer: serializeRegularizer(this.recurrentRegularizer),
      bias_regularizer: serializeRegularizer(this.biasRegularizer),
      kernel_constraint: serializeConstraint(this.kernelConstraint),
      recurrent_constraint: serializeConstraint(this.recurrentConstraint),
      bias_constraint: serializeConstraint(this.biasConstraint),
      dropout: this.dropout,
      recurrent_dropout: this.recurrentDropout,
      seed: this.seed,
    };
  }
}
registerBuiltin("keras.layers", LSTMCell);

/** One LSTM step from the projected input `xp = x·kernel + bias` (`[batch, 4 * units]`). */
function lstmStep(
  xp: Tensor,
  h: Tensor,
  c: Tensor,
  rk: Tensor,
  rmask: Tensor | null,
  act: ActivationFn,
  ract: ActivationFn,
): [Tensor, Tensor[]] {
  const z = tf.add(xp, tf.matMul(rmask ? tf.mul(h, rmask) : h, rk));
  const [zi, zf, zc, zo] = tf.split(z, 4, 1);
  const i = ract(zi);
  const f = ract(zf);
  const o = ract(zo);
  const cNew = tf.add(tf.mul(f, c), tf.mul(i, act(zc)));
  const hNew = tf.mul(o, act(cNew));
  return [hNew, [hNew, cNew]];
}
