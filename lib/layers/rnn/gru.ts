/**
 * GRU: the Gated Recurrent Unit layer (Cho et al. 2014; Keras's `layers/rnn/gru.py`).
 */
import * as activations from "../../activations/index.js";
import type { ActivationFn } from "../../activations/index.js";
import { registerBuiltin } from "../../saving/object-registration.js";
import { InputSpec } from "../input-spec.js";
import { serializeConstraint, serializeInitializer, serializeRegularizer } from "../layer-utils.js";
import { GRUCell, type GRUCellArgs } from "./gru-cell.js";
import { RNN, type RNNArgs } from "./rnn.js";
import { splitRecurrentArgs } from "./simple-rnn.js";

/** Options of GRU: those of GRUCell plus RNN's flags. */
export interface GRUArgs extends GRUCellArgs, Omit<RNNArgs, "cell"> {
  /** Keras's cuDNN switch (`"auto"`, true, false); accepted and ignored. Default `"auto"`. */
  useCudnn?: "auto" | boolean;
}

/**
 * Gated Recurrent Unit layer: an RNN over a GRUCell (gates in the kernel
 * columns in the order z, r, h). The default `resetAfter: true` is the
 * variant cuDNN runs (bias `[2, 3 * units]`); `resetAfter: false` is the
 * original one (bias `[3 * units]`).
 *
 * Input `[batch, timesteps, features]`; output `[batch, units]`, or
 * `[batch, timesteps, units]` with `returnSequences`; with `returnState`,
 * `[output, h]`.
 *
 * ```ts
 * const gru = layers.GRU(4, { returnSequences: true });
 * gru(tf.ones([32, 10, 8])).shape;   // [32, 10, 4]
 * ```
 */
export class GRU extends RNN {
  declare readonly cell: GRUCell;

  /** `new GRU(4)` or `new GRU({ units: 4, resetAfter: false })`. */
  constructor(units: number | GRUArgs, args: GRUArgs = {}) {
    const opts: GRUArgs = typeof units === "object" && units !== null ? { ...units } : { ...args, units };
    const useCudnn = opts.useCudnn ?? "auto";
    if (useCudnn !== "auto" && useCudnn !== true && useCudnn !== false) {
      throw new Error(`Invalid valid received for argument \`use_cudnn\`. Expected one of {'auto', True, False}. Received: use_cudnn=${String(useCudnn)}`);
    }
    const { rnnArgs, cellArgs } = splitRecurrentArgs<GRUCellArgs>(opts);
    const cell = new GRUCell({ ...cellArgs, name: "gru_cell", dtype: opts.dtype, trainable: opts.trainable ?? true });
    super(cell, rnnArgs);
    this.inputSpec = new InputSpec({ ndim: 3 });
  }

  /** Dimensionality of the output space. */
  get units(): number {
    return this.cell.units;
  }

  /** Whether the reset gate is applied after the recurrent matmul. */
  get resetAfter(): boolean {
    return this.cell.resetAfter;
  }

  /** Activation of the candidate state. */
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
      kernel_regularizer: serializeRegularizer(c.kernelRegularizer),
      recurrent_regularizer: serializeRegularizer(c.recurrentRegularizer),
      bias_regularizer: serializeRegularizer(c.biasRegularizer),
      activity_regularizer: serializeRegularizer(this.activityRegularizer),
      kernel_constraint: serializeConstraint(c.kernelConstraint),
      recurrent_constraint: serializeConstraint(c.recurrentConstraint),
      bias_constraint: serializeConstraint(c.biasConstraint),
      dropout: c.dropout,
      recurrent_dropout: c.recurrentDropout,
      reset_after: c.resetAfter,
      seed: c.seed,
    };
  }
}
registerBuiltin("keras.layers", GRU);
