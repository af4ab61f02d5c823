/**
 * ConvLSTM3D: a 3D convolutional LSTM (Keras's `layers/rnn/conv_lstm3d.py`).
 */
import { registerBuiltin } from "../../saving/object-registration.js";
import type { IntOrTuple } from "../convolutional/base-conv.js";
import { ConvLSTM, type ConvLSTMArgs } from "./conv-lstm.js";

/** Options of ConvLSTM3D (see {@link ConvLSTMArgs}; `rank` is 3). */
export type ConvLSTM3DArgs = Omit<ConvLSTMArgs, "rank">;

/**
 * 3D convolutional LSTM: like an LSTM, but the input and recurrent
 * transformations are 3D convolutions. Input: `[batch, time, d1, d2, d3, channels]`
 * (`"channels_last"`, the default) or `[batch, time, channels, d1, d2, d3]`.
 *
 * ```ts
 * const layer = layers.ConvLSTM3D(4, 3, { padding: "same", returnSequences: true });
 * layer(tf.zeros([2, 5, 4, 4, 4, 3])).shape;   // [2, 5, 4, 4, 4, 4]
 * ```
 */
export class ConvLSTM3D extends ConvLSTM {
  /** `new ConvLSTM3D(filters, kernelSize, options)`, `new ConvLSTM3D(filters, { kernelSize, ... })` or `new ConvLSTM3D({ filters, kernelSize, ... })`. */
  constructor(filters: number | ConvLSTM3DArgs, kernelSize?: IntOrTuple | ConvLSTM3DArgs, args: ConvLSTM3DArgs = {}) {
    let opts: ConvLSTM3DArgs;
    if (typeof filters === "object" && filters !== null) opts = { ...filters };
    else if (typeof kernelSize === "object" && kernelSize !== null && !Array.isArray(kernelSize)) opts = { ...(kernelSize as ConvLSTM3DArgs), filters };
    else opts = { ...args, filters, kernelSize: kernelSize as IntOrTuple | undefined };
    super({ ...opts, rank: 3 });
  }
}
registerBuiltin("keras.layers", ConvLSTM3D);
