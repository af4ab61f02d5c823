/**
 * Conv1D (Keras's `layers/convolutional/conv1d.py`), also exported as Convolution1D.
 */
import { registerBuiltin } from "../../saving/object-registration.js";
import { BaseConv, filtersKernelArgs, type BaseConvArgs, type IntOrTuple } from "./base-conv.js";

/** Options of Conv1D (see {@link BaseConvArgs}). */
export type Conv1DArgs = BaseConvArgs;

/**
 * 1D convolution layer (temporal convolution). Supports `padding: "causal"` (output[t] sees only input[<= t]).
 *
 * The kernel has shape `[...kernelSize, inChannels / groups, filters]`.
 * Input shape: `[batch, steps, channels]` (`"channels_last"`, the default) or the channels-first
 * equivalent; output: the same rank with `filters` channels.
 *
 * ```ts
 * layers.Conv1D(8, 3, { padding: "causal" })(tf.zeros([2, 10, 4])).shape;   // [2, 10, 8]
 * ```
 */
export class Conv1D extends BaseConv {
  /** `new Conv1D(filters, kernelSize, options)`, `new Conv1D(filters, { kernelSize, ... })` or `new Conv1D({ filters, kernelSize, ... })`. */
  constructor(filters: number | Conv1DArgs, kernelSize?: IntOrTuple | Conv1DArgs, args?: Conv1DArgs) {
    super(1, filtersKernelArgs(filters, kernelSize, args));
  }
}
registerBuiltin("keras.layers", Conv1D);
registerBuiltin("keras.layers", Conv1D, "Convolution1D");
