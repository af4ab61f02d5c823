/**
 * GRUCell: one step of a Gated Recurrent Unit layer (Keras's `layers/rnn/gru.py`).
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

/** Options of GRUCell. */
export interface GRUCellArgs extends LayerArgs {
  /** Positive integer, the dimensionality of the output space (also the first positional argument). */
  units?: number;
  /** Activation of the candidate state. Default `"tanh"`; null for none (linear). */
  activation?: ActivationLike;
  /** Activation of the update and reset gates. Default `"sigmoid"`. */
  recurrentActivation?: ActivationLike;
  /**
   * Apply the reset gate after the recurrent matmul (true, the cuDNN-compatible
   * variant, with separate input and recurrent biases: bias shape `[2, 3 * units]`)
   * or before it (false, bias `[3 * units]`). Default true.
   */
  resetAfter?: boolean;
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
 * Cell class for GRU. The kernels hold the three gates side by side in the
 * order update, reset, candidate (`[z | r | h]`, `3 * units` columns):
 *
 * ```
 * z = σ(x·Wz + h·Uz + b), r = σ(x·Wr + h·Ur + b)
 * resetAfter: h~ = tanh(x·Wh + bx + r * (h·Uh + bh));  else: h~ = tanh(x·Wh + (r * h)·Uh + b)
 * h' = z * h + (1 - z) * h~
 * ```
 *
 * ```ts
 * const rnn = layers.RNN(layers.GRUCell(4));
 * rnn(tf.ones([2, 5, 3])).shape;   // [2, 4]
 * ```
 */
export class GRUCell extends Layer implements FusedRNNCell {
  /** Dimensionality of the output space (and of the state). */
  readonly units: number;
  /** Activation of the candidate state. */
  readonly activation: ActivationFn;
  /** Activation of the gates. */
  readonly recurrentActivation: ActivationFn;
  /** Whether a bias is used. */
  readonly useBias: boolean;
  /** Whether the reset gate is applied after the recurrent matmul. */
  readonly resetAfter: boolean;
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
  /** `units`: one state. */
  readonly stateSize: number;
  /** `units`. */
  readonly outputSize: number;
  /** `[inputDim, 3 * units]`. */
  kernel: Variable | null = null;
  /** `[units, 3 * units]`. */
  recurrentKernel: Variable | null = null;
  /** `[2, 3 * units]` with `resetAfter` (input bias, recurrent bias), else `[3 * units]`; null without bias. */
  bias: Variable | null = null;
  private dpMask: Tensor | null = null;
  private recDpMask: Tensor | null = null;

  /** `new GRUCell(4)` or `new GRUCell({ units: 4, resetAfter: false })`. */
  constructor(units: number | GRUCellArgs, args: GRUCellArgs = {}) {
    const opts: GRUCellArgs = typeof units === "object" && units !== null ? { ...units } : { ...args, units };
    const u = checkUnits(opts.units);
    const { implementation: _impl, ...rest } = opts as GRUCellArgs & { implementation?: unknown };
    void _impl;
    super(rest);
    this.units = u;
    this.activation = activations.get(opts.activation === undefined ? "tanh" : opts.activation);
    this.recurrentActivation = activations.get(opts.recurrentActivation === undefined ? "sigmoid" : opts.recurrentActivation);
    this.useBias = opts.useBias ?? true;
    this.resetAfter = opts.resetAfter ?? true;
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
    this.stateSize = u;
    this.outputSize = u;
  }

  override build(inputShape: unknown): void {
    const shape = stepInputShape(inputShape, this.name);
    const inputDim = shape[shape.length - 1];
    if (typeof inputDim !== "number") throw new Error(`Cell "${this.name}" needs a known last input dimension. Received: input_shape=${JSON.stringify(shape)}`);
    const u = this.units;
    this.kernel = this.addWeight({
      name: "kernel",
      shape: [inputDim, 3 * u],
      initializer: this.kernelInitializer,
      regularizer: this.kernelRegularizer,
      constraint: this.kernelConstraint,
    });
    this.recurrentKernel = this.addWeight({
      name: "recurrent_kernel",
      shape: [u, 3 * u],
      initializer: this.recurrentInitializer,
      regularizer: this.recurrentRegularizer,
      constraint: this.recurrentConstraint,
    });
    this.bias = this.useBias
      ? this.addWeight({
          name: "bias",
          shape: this.resetAfter ? [2, 3 * u] : [3 * u],
          initializer: this.biasInitializer,
          regularizer: this.biasRegularizer,
          constraint: this.biasConstraint,
        })
      : null;
    this.built = true;
  }

  /** `[input bias, recurrent bias]` (the recurrent one null unless `resetAfter`). */
  private biases(): [Tensor | null, Tensor | null] {
    if (!this.bias) return [null, null];
    const b = this.bias.value;
    if (!this.resetAfter) return [b, null];
    const [bi, br] = tf.unstack(b, 0);
    return [bi, br];
  }

  /** One step: `cell(x, { states: [h] })` or `cell([x, h])` gives `[h', [h']]`. */
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
    const [bi, br] = this.biases();
    const xp = projectLastAxis(xin, (this.kernel as Variable).value, bi);
    const stepper = this.stepFn((this.recurrentKernel as Variable).value, br, rmask, this.activation, this.recurrentActivation);
    return stepper(xp, states);
  }

  /** The fast path: all timesteps projected with one matmul. */
  prepareSequence(sequences: Tensor, timeAxis: 0 | 1, training: boolean): SequenceStepper {
    let x = asFloat(sequences);
    const batch = x.shape[timeAxis === 1 ? 0 : 1] as number;
    if (training && this.dropout > 0 && this.dropout < 1) {
      x = tf.mul(x, tf.expandDims(makeDropoutMask([batch, x.shape[x.rank - 1] as number], this.dropout, this.seedGenerator), timeAxis));
    }
    const [bi, br] = this.biases();
    const inputs = unstackSteps(projectLastAxis(x, (this.kernel as Variable).value, bi), timeAxis);
    const rmask =
      training && this.recurrentDropout > 0 && this.recurrentDropout < 1
        ? makeDropoutMask([batch, this.units], this.recurrentDropout, this.seedGenerator)
        : null;
    const step = this.stepFn((this.recurrentKernel as Variable).value, br, rmask, fastActivation(this.activation), fastActivation(this.recurrentActivation));
    return { inputs, step };
  }

  /** The step from the projected input `xp = x·kernel + inputBias` (`[batch, 3 * units]`). */
  private stepFn(
    rk: Tensor,
    recurrentBias: Tensor | null,
    rmask: Tensor | null,
    act: ActivationFn,
    ract: ActivationFn,
  ): (xp: Tensor, states: Tensor[]) => [Tensor, Tensor[]] {
    const u = this.units;
    if (this.resetAfter) {
      return (xp, states) => {
        const h = states[0];
        const hIn = rmask ? tf.mul(h, rmask) : h;
        let inner = tf.matMul(hIn, rk);
        if (recurrentBias) inner = tf.add(inner, recurrentBias);
        const [xz, xr, xh] = tf.split(xp, 3, 1);
        const [iz, ir, ih] = tf.split(inner, 3, 1);
        const z = ract(tf.add(xz, iz));
        const r = ract(tf.add(xr, ir));
        const hh = act(tf.add(xh, tf.mul(r, ih)));
        const hNew = tf.add(tf.mul(z, tf.sub(h, hh)), hh);
        return [hNew, [hNew]];
      };
    }
    const rkZR = tf.slice(rk, [0, 0], [u, 2 * u]);
    const rkH = tf.slice(rk, [0, 2 * u], [u, u]);
    return (xp, states) => {
      const h = states[0];
      const hIn = rmask ? tf.mul(h, rmask) : h;
      const [xzr, xh] = tf.split(xp, [2 * u, u], 1);
      const zr = ract(tf.add(xzr, tf.matMul(hIn, rkZR)));
      const [z, r] = tf.split(zr, 2, 1);
      const hh = act(tf.add(xh, tf.matMul(tf.mul(r, hIn), rkH)));
      const hNew = tf.add(tf.mul(z, tf.sub(h, hh)), hh);
      return [hNew, [hNew]];
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

  /** Zeros `[batchSize, units]`. */
  getInitialState(batchSize: number): Tensor[] {
    return [tf.zeros([batchSize, this.units])];
  }

  override computeOutputShape(inputShape: unknown): [Shape, Shape[]] {
    const batch = stepInputShape(inputShape, this.name)[0];
    return [[batch, this.units], [[batch, this.units]]];
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      units: this.units,
      activation: activations.serialize(this.activation),
      recurrent_activation: activations.serialize(this.recurrentActivation),
      use_bias: this.useBias,
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
      reset_after: this.resetAfter,
      seed: this.seed,
    };
  }
}
registerBuiltin("keras.layers", GRUCell);
