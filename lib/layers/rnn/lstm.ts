/**
 * LSTM: the Long Short-Term Memory layer (Hochreiter 1997; Keras's `layers/rnn/lstm.py`).
 */
import * as activations from "../../activations/index.js";
import type { ActivationFn } from "../../activations/index.js";
import { registerBuiltin } from "../../saving/object-registration.js";
import { InputSpec } from "../input-spec.js";
import { serializeConstraint, serializeInitializer, serializeRegularizer } from "../layer-utils.js";
import { LSTMCell, type LSTMCellArgs } from "./lstm-cell.js";
import { RNN, type RNNArgs } from "./rnn.js";
import { splitRecurrentArgs } from "./simple-rnn.js";

/** Options of LSTM: those of LSTMCell plus RNN's flags. */
export interface LSTMArgs extends LSTMCellArgs, Omit<RNNArgs, "cell"> {
  /** Keras's cuDNN switch (`"auto"`, true, false); accepted and ignored. Default `"auto"`. */
  useCudnn?: "auto" | boolean;
}

/**
 * Long Short-Term Memory layer: an RNN over an LSTMCell (gates in the kernel
 * columns in the order i, f, c, o).
 *
 * Input `[batch, timesteps, features]`; output `[batch, units]`, or
 * `[batch, timesteps, units]` with `returnSequences`; with `returnState`,
 * `[output, h, c]`.
 *
 * ```ts
 * const lstm = layers.LSTM(4, { returnSequences: true, returnState: true });
 * const [seq, h, c] = lstm(tf.ones([32, 10, 8]));   // [32, 10, 4], [32, 4], [32, 4]
 * ```
 */
export class LSTM extends RNN {
  declare readonly cell: LSTMCell;

  /** `new LSTM(4)` or `new LSTM({ units: 4, returnSequences: true })`. */
  constructor(units: number | LSTMArgs, args: LSTMArgs = {}) {
    const opts: LSTMArgs = typeof units === "object" && units !== null ? { ...units } : { ...args, units };
    const useCudnn = opts.useCudnn ?? "auto";
    if (useCudnn !== "auto" && useCudnn !== true && useCudnn !== false) {
      throw new Error(`Invalid valid received for argument \`use_cudnn\`. Expected one of {'auto', True, False}. Received: use_cudnn=${String(useCudnn)}`);
    }
    const { rnnArgs, cellArgs } = splitRecurrentArgs<LSTMCellArgs>(opts);
    const cell = new LSTMCell({ ...cellArgs, name: "lstm_cell", dtype: opts.dtype, trainable: opts.trainable ?? true });
    super(cell, rnnArgs);
    this.inputSpec = new InputSpec({ ndim: 3 });
  }

  /** Dimensionality of the output space. */
  get units(): number {
    return this.cell.units;
  }

  /** Activation of the candidate and output. */
  get activation(): ActivationFn {
    return this.cell.activation;
  }

  /** Activation of the gates. */
  get recurrentActivation(): ActivationFn {
    return this.cell.recurrentActivation;
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
      recurrent_activation: activations.serialize(c.recurrentActivation),
      use_bias: c.useBias,
      kernel_initializer: serializeInitializer(c.kernelInitializer),
      recurrent_initializer: serializeInitializer(c.recurrentInitializer),
      bias_initializer: serializeInitializer(c.biasInitializer),
      unit_forget_bias: c.unitForgetBias,
      kernel_regularizer: serializeRegularizer(c.kernelRegularizer),
      recurrent_regularizer: serializeRegularizer(c.recurrentRegularizer),
      bias_regularizer: serializeRegularizer(c.biasRegularizer),
      activity_regularizer: serializeRegularizer(this.activityRegularizer),
      kernel_constraint: serializeConstraint(c.kernelConstraint),
      recurrent_constraint: serializeConstraint(c.recurrentConstraint),
      bias_constraint: serializeConstraint(c.biasConstraint),
      dropout: c.dropout,
      recurrent_dropout: c.recurrentDropout,
      seed: c.seed,
    };
  }
}
registerBuiltin("keras.layers", LSTM);
