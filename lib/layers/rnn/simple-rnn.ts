/**
 * SimpleRNN: a fully-connected RNN whose output is fed back as its state
 * (Keras's `layers/rnn/simple_rnn.py`).
 */
import * as activations from "../../activations/index.js";
import type { ActivationFn } from "../../activations/index.js";
import { registerBuiltin } from "../../saving/object-registration.js";
import { InputSpec } from "../input-spec.js";
import { serializeConstraint, serializeInitializer, serializeRegularizer } from "../layer-utils.js";
import { RNN, type RNNArgs } from "./rnn.js";
import { SimpleRNNCell, type SimpleRNNCellArgs } from "./simple-rnn-cell.js";

/** Options of SimpleRNN: those of SimpleRNNCell plus RNN's flags. */
export interface SimpleRNNArgs extends SimpleRNNCellArgs, Omit<RNNArgs, "cell"> {}

/** Splits recurrent-layer options into the cell's and the RNN's. */
export function splitRecurrentArgs<A extends object>(
  opts: A & Omit<RNNArgs, "cell">,
): { rnnArgs: Omit<RNNArgs, "cell">; cellArgs: A } {
  const { returnSequences, returnState, goBackwards, stateful, unroll, zeroOutputForMask, timeMajor, name, activityRegularizer, inputShape, batchSize, batchInputShape, ...rest } =
    opts as A & Omit<RNNArgs, "cell">;
  const rnnArgs: Omit<RNNArgs, "cell"> = {
    returnSequences,
    returnState,
    goBackwards,
    stateful,
    unroll,
    zeroOutputForMask,
    timeMajor,
    name,
    activityRegularizer,
    inputShape,
    batchSize,
    batchInputShape,
    dtype: opts.dtype,
    trainable: opts.trainable,
  };
  const cellArgs = { ...rest } as A & { useCudnn?: unknown; implementation?: unknown };
  delete cellArgs.useCudnn;
  delete cellArgs.implementation;
  return { rnnArgs, cellArgs };
}

/**
 * Fully-connected RNN where the output is fed back to the input:
 * `h_t = activation(x_t·kernel + h_{t-1}·recurrentKernel + bias)`.
 *
 * Input `[batch, timesteps, features]`; output `[batch, units]`, or
 * `[batch, timesteps, units]` with `returnSequences`.
 *
 * ```ts
 * const rnn = layers.SimpleRNN(4, { returnSequences: true });
 * rnn(tf.ones([32, 10, 8])).shape;   // [32, 10, 4]
 * ```
 */
export class SimpleRNN extends RNN {
  declare readonly cell: SimpleRNNCell;

  /** `new SimpleRNN(4)` or `new SimpleRNN({ units: 4, returnSequences: true })`. */
  constructor(units: number | SimpleRNNArgs, args: SimpleRNNArgs = {}) {
    const opts: SimpleRNNArgs = typeof units === "object" && units !== null ? { ...units } : { ...args, units };
    const { rnnArgs, cellArgs } = splitRecurrentArgs<SimpleRNNCellArgs>(opts);
    const cell = new SimpleRNNCell({ ...cellArgs, name: "simple_rnn_cell", dtype: opts.dtype, trainable: opts.trainable ?? true });
    super(cell, rnnArgs);
    this.inputSpec = new InputSpec({ ndim: 3 });
  }

  /** Dimensionality of the output space. */
  get units(): number {
    return this.cell.units;
  }

  /** The activation function. */
  get activation(): ActivationFn {
    return this.cell.activation;
  }

  /** Input dropout rate. */
  get dropout(): number {
    return this.cell.dropout;
  }

  /** Recurrent dropout rate. */
  get recurrentDropout(): number {
    return this.cell.recurrentDropout;
  }

  override getConfig(): Record<string, unknown> {
    const c = this.cell;
    return {
      ...this.rnnConfig(),
      units: c.units,
      activation: activations.serialize(c.activation),
      use_bias: c.useBias,
      kernel_initializer: serializeInitializer(c.kernelInitializer),
      recurrent_initializer: serializeInitializer(c.recurrentInitializer),
      bias_initializer: serializeInitializer(c.biasInitializer),
      kernel_regularizer: serializeRegularizer(c.kernelRegularizer),
      recurrent_regularizer: serializeRegularizer(c.recurrentRegularizer),
      bias_regularizer: serializeRegularizer(c.biasRegularizer),
      activity_regularizer: serializeRegularizer(this.activityRegularizer),
      kernel_constraint: serializeConstraint(c.kernelConstraint),
      recurrent_constraint: serializeConstraint(c.recurrentConstraint),
      bias_constraint: serializeConstraint(c.biasConstraint),
      dropout: c.dropout,
      recurrent_dropout: c.recurrentDropout,
    };
  }
}
registerBuiltin("keras.layers", SimpleRNN);
