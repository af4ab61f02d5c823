/**
 * SimpleRNNCell: one step of a fully-connected RNN (Keras's `layers/rnn/simple_rnn.py`).
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

/** Options of SimpleRNNCell. */
export interface SimpleRNNCellArgs extends LayerArgs {
  /** Positive integer, the dimensionality of the output space (also the first positional argument). */
  units?: number;
  /** Activation function. Default `"tanh"`; null for none (linear). */
  activation?: ActivationLike;
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

/** Keras's check of `units`. */
export function checkUnits(units: unknown): number {
  if (typeof units !== "number" || !Number.isInteger(units) || units <= 0) {
    throw new Error(`Received an invalid value for argument \`units\`, expected a positive integer, got ${String(units)}.`);
  }
  return units;
}

/** Clips a dropout rate to [0, 1], as Keras does. */
export function clipRate(rate: number | undefined): number {
  return Math.min(1, Math.max(0, rate ?? 0));
}

/**
 * Cell class for SimpleRNN: `output = activation(x·kernel + h·recurrentKernel + bias)`;
 * the output is also the new state.
 *
 * ```ts
 * const rnn = layers.RNN(layers.SimpleRNNCell(4));
 * rnn(tf.ones([2, 5, 3])).shape;   // [2, 4]
 * ```
 */
export class SimpleRNNCell extends Layer implements FusedRNNCell {
  /** Dimensionality of the output space (and of the state). */
  readonly units: number;
  /** The activation function. */
  readonly activation: ActivationFn;
  /** Whether a bias is used. */
  readonly useBias: boolean;
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
  /** `[inputDim, units]`. */
  kernel: Variable | null = null;
  /** `[units, units]`. */
  recurrentKernel: Variable | null = null;
  /** `[units]`, or null without bias. */
  bias: Variable | null = null;
  private dpMask: Tensor | null = null;
  private recDpMask: Tensor | null = null;

  /** `new SimpleRNNCell(4)` or `new SimpleRNNCell({ units: 4 })`. */
  constructor(units: number | SimpleRNNCellArgs, args: SimpleRNNCellArgs = {}) {
    const opts: SimpleRNNCellArgs = typeof units === "object" && units !== null ? { ...units } : { ...args, units };
    const u = checkUnits(opts.units);
    super(opts);
    this.units = u;
    this.activation = activations.get(opts.activation === undefined ? "tanh" : opts.activation);
    this.useBias = opts.useBias ?? true;
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
    this.kernel = this.addWeight({
      name: "kernel",
      shape: [inputDim, this.units],
      initializer: this.kernelInitializer,
      regularizer: this.kernelRegularizer,
      constraint: this.kernelConstraint,
    });
    this.recurrentKernel = this.addWeight({
      name: "recurrent_kernel",
      shape: [this.units, this.units],
      initializer: this.recurrentInitializer,
      regularizer: this.recurrentRegularizer,
      constraint: this.recurrentConstraint,
    });
    this.bias = this.useBias
      ? this.addWeight({
          name: "bias",
          shape: [this.units],
          initializer: this.biasInitializer,
          regularizer: this.biasRegularizer,
          constraint: this.biasConstraint,
        })
      : null;
    this.built = true;
  }

  /** One step: `cell(x, { states: [h] })` or `cell([x, h])` gives `[output, [output]]`. */
  override call(inputs: unknown, kwargs: RNNCellCallArgs = {}): [Tensor, Tensor[]] {
    const { x, states } = cellStepArgs(inputs, kwargs, this.name);
    const training = kwargs.training === true;
    let xin = asFloat(x);
    let h = states[0];
    if (training && this.dropout > 0) {
      this.dpMask = reuseDropoutMask(this.dpMask, xin.shape, this.dropout, this.seedGenerator);
      xin = tf.mul(xin, this.dpMask);
    }
    if (training && this.recurrentDropout > 0) {
      this.recDpMask = reuseDropoutMask(this.recDpMask, h.shape, this.recurrentDropout, this.seedGenerator);
      h = tf.mul(h, this.recDpMask);
    }
    const xp = projectLastAxis(xin, (this.kernel as Variable).value, this.bias ? this.bias.value : null);
    const out = this.activation(tf.add(xp, tf.matMul(h, (this.recurrentKernel as Variable).value)));
    return [out, [out]];
  }

  /** The fast path: all timesteps projected with one matmul. */
  prepareSequence(sequences: Tensor, timeAxis: 0 | 1, training: boolean): SequenceStepper {
    let x = asFloat(sequences);
    const batch = x.shape[timeAxis === 1 ? 0 : 1] as number;
    if (training && this.dropout > 0) {
      x = tf.mul(x, tf.expandDims(makeDropoutMask([batch, x.shape[x.rank - 1] as number], this.dropout, this.seedGenerator), timeAxis));
    }
    const inputs = unstackSteps(projectLastAxis(x, (this.kernel as Variable).value, this.bias ? this.bias.value : null), timeAxis);
    const rk = (this.recurrentKernel as Variable).value;
    const rmask = training && this.recurrentDropout > 0 ? makeDropoutMask([batch, this.units], this.recurrentDropout, this.seedGenerator) : null;
    const act = fastActivation(this.activation);
    return {
      inputs,
      step(xp: Tensor, states: Tensor[]): [Tensor, Tensor[]] {
        const h = rmask ? tf.mul(states[0], rmask) : states[0];
        const out = act(tf.add(xp, tf.matMul(h, rk)));
        return [out, [out]];
      },
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
      seed: this.seed,
    };
  }
}
registerBuiltin("keras.layers", SimpleRNNCell);
