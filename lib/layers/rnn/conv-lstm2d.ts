/**
 * ConvLSTM2D: a 2D convolutional LSTM (Keras's `layers/rnn/conv_lstm2d.py`).
 */
import { registerBuiltin } from "../../saving/object-registration.js";
import type { IntOrTuple } from "../convolutional/base-conv.js";
import { ConvLSTM, type ConvLSTMArgs } from "./conv-lstm.js";

/** Options of ConvLSTM2D (see {@link ConvLSTMArgs}; `rank` is 2). */
export type ConvLSTM2DArgs = Omit<ConvLSTMArgs, "rank">;

/**
 * 2D convolutional LSTM: like an LSTM, but the input and recurrent
 * transformations are 2D convolutions. Input: `[batch, time, rows, cols, channels]`
 * (`"channels_last"`, the default) or `[batch, time, channels, rows, cols]`.
 *
 * ```ts
 * const layer = layers.ConvLSTM2D(4, 3, { padding: "same", returnSequences: true });
 * layer(tf.zeros([2, 5, 8, 8, 3])).shape;   // [2, 5, 8, 8, 4]
 * ```
 */
export class ConvLSTM2D extends ConvLSTM {
  /** `new ConvLSTM2D(filters, kernelSize, options)`, `new ConvLSTM2D(filters, { kernelSize, ... })` or `new ConvLSTM2D({ filters, kernelSize, ... })`. */
  constructor(filters: number | ConvLSTM2DArgs, kernelSize?: IntOrTuple | ConvLSTM2DArgs, args: ConvLSTM2DArgs = {}) {
    let opts: ConvLSTM2DArgs;
    if (typeof filters === "object" && filters !== null) opts = { ...filters };
    else if (typeof kernelSize === "object" && kernelSize !== null && !Array.isArray(kernelSize)) opts = { ...(kernelSize as ConvLSTM2DArgs), filters };
    else opts = { ...args, filters, kernelSize: kernelSize as IntOrTuple | undefined };
    super({ ...opts, rank: 2 });
  }
}
registerBuiltin("keras.layers", ConvLSTM2D);
