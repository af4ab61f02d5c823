/**
 * SeparableConv1D (Keras's `layers/convolutional/separable_conv1d.py`), also exported as SeparableConvolution1D.
 */
import { registerBuiltin } from "../../saving/object-registration.js";
import { BaseSeparableConv, type BaseSeparableConvArgs } from "./base-separable-conv.js";
import { filtersKernelArgs, type IntOrTuple } from "./base-conv.js";

/** Options of SeparableConv1D (see {@link BaseSeparableConvArgs}). */
export type SeparableConv1DArgs = BaseSeparableConvArgs;

/**
 * 1D separable convolution: a depthwise convolution (each channel on its own,
 * `depthMultiplier` filters per channel) followed by a pointwise (1x1)
 * convolution to `filters` channels. Input shape: `[batch, steps, channels]` (channels last, the default).
 *
 * ```ts
 * layers.SeparableConv1D(8, 3)(tf.zeros([2, 10, 4])).shape;   // [2, 8, 8]
 * ```
 */
export class SeparableConv1D extends BaseSeparableConv {
  /** `new SeparableConv1D(filters, kernelSize, options)`, or with the sizes in the options object. */
  constructor(filters: number | SeparableConv1DArgs, kernelSize?: IntOrTuple | SeparableConv1DArgs, args?: SeparableConv1DArgs) {
    super(1, filtersKernelArgs(filters, kernelSize, args));
  }
}
registerBuiltin("keras.layers", SeparableConv1D);
registerBuiltin("keras.layers", SeparableConv1D, "SeparableConvolution1D");
