/**
 * ConvLSTM1D: a 1D convolutional LSTM (Keras's `layers/rnn/conv_lstm1d.py`).
 */
import { registerBuiltin } from "../../saving/object-registration.js";
import type { IntOrTuple } from "../convolutional/base-conv.js";
import { ConvLSTM, type ConvLSTMArgs } from "./conv-lstm.js";

/** Options of ConvLSTM1D (see {@link ConvLSTMArgs}; `rank` is 1). */
export type ConvLSTM1DArgs = Omit<ConvLSTMArgs, "rank">;

/**
 * 1D convolutional LSTM: like an LSTM, but the input and recurrent
 * transformations are 1D convolutions. Input: `[batch, time, steps, channels]`
 * (`"channels_last"`, the default) or `[batch, time, channels, steps]`.
 *
 * ```ts
 * const layer = layers.ConvLSTM1D(4, 3, { padding: "same", returnSequences: true });
 * layer(tf.zeros([2, 5, 8, 3])).shape;   // [2, 5, 8, 4]
 * ```
 */
export class ConvLSTM1D extends ConvLSTM {
  /** `new ConvLSTM1D(filters, kernelSize, options)`, `new ConvLSTM1D(filters, { kernelSize, ... })` or `new ConvLSTM1D({ filters, kernelSize, ... })`. */
  constructor(filters: number | ConvLSTM1DArgs, kernelSize?: IntOrTuple | ConvLSTM1DArgs, args: ConvLSTM1DArgs = {}) {
    let opts: ConvLSTM1DArgs;
    if (typeof filters === "object" && filters !== null) opts = { ...filters };
    else if (typeof kernelSize === "object" && kernelSize !== null && !Array.isArray(kernelSize)) opts = { ...(kernelSize as ConvLSTM1DArgs), filters };
    else opts = { ...args, filters, kernelSize: kernelSize as IntOrTuple | undefined };
    super({ ...opts, rank: 1 });
  }
}
registerBuiltin("keras.layers", ConvLSTM1D);
