/**
 * ConvLSTM: the base of ConvLSTM1D/2D/3D, an RNN over a ConvLSTMCell
 * (Keras's `layers/rnn/conv_lstm.py`).
 */
import type { Shape } from "../../backend/keras-tensor.js";
import { registerBuiltin } from "../../saving/object-registration.js";
import { InputSpec } from "../input-spec.js";
import { isShapeLike, serializeRegularizer } from "../layer-utils.js";
import { ConvLSTMCell, convLSTMOwnConfig, type ConvLSTMCellArgs } from "./conv-lstm-cell.js";
import { RNN, type RNNArgs } from "./rnn.js";
import { splitRecurrentArgs } from "./simple-rnn.js";

/** Options of ConvLSTM1D/2D/3D: those of ConvLSTMCell plus RNN's flags. */
export interface ConvLSTMArgs extends ConvLSTMCellArgs, Omit<RNNArgs, "cell"> {}

/**
 * Convolutional LSTM over `[batch, time, ...spatial, channels]` inputs
 * (channels first: `[batch, time, channels, ...spatial]`). The input
 * convolution runs once over all timesteps; the recurrent one (padding
 * `"same"`) at each step.
 *
 * Output: the last frame `[batch, ...outSpatial, filters]`, or all of them
 * with `returnSequences`; with `returnState`, `[output, h, c]`.
 */
export class ConvLSTM extends RNN {
  declare readonly cell: ConvLSTMCell;

  /** `new ConvLSTM(2, { filters: 8, kernelSize: 3 })` (use ConvLSTM1D/2D/3D). */
  constructor(rank: number | ConvLSTMArgs, args: ConvLSTMArgs = {}) {
    const opts: ConvLSTMArgs = typeof rank === "object" && rank !== null ? { ...rank } : { ...args, rank };
    const { rnnArgs, cellArgs } = splitRecurrentArgs<ConvLSTMCellArgs>(opts);
    const cell = new ConvLSTMCell({ ...cellArgs, name: "conv_lstm_cell", dtype: opts.dtype, trainable: opts.trainable ?? true });
    super(cell, rnnArgs);
    this.inputSpec = new InputSpec({ ndim: cell.rank + 3 });
  }

  /** Number of output channels. */
  get filters(): number {
    return this.cell.filters;
  }

  override computeOutputShape(inputShape: unknown): Shape | Shape[] {
    const s = isShapeLike(inputShape) ? inputShape : ((inputShape as Shape[])[0] as Shape);
    const batch = s[0] ?? null;
    const steps = s[1] ?? null;
    const frame = this.cell.frameShape([batch, ...s.slice(2)]).slice(1);
    const out: Shape = this.returnSequences ? [batch, steps, ...frame] : [batch, ...frame];
    if (!this.returnState) return out;
    return [out, [batch, ...frame], [batch, ...frame]];
  }

  override getConfig(): Record<string, unknown> {
    const config: Record<string, unknown> = {
      ...this.rnnConfig(),
      ...convLSTMOwnConfig(this.cell),
      activity_regularizer: serializeRegularizer(this.activityRegularizer),
      seed: this.cell.seed,
    };
    if (this.constructor === ConvLSTM) config.rank = this.cell.rank;
    return config;
  }
}
registerBuiltin("keras.layers", ConvLSTM);
