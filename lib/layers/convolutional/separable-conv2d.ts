/**
 * SeparableConv2D (Keras's `layers/convolutional/separable_conv2d.py`), also exported as SeparableConvolution2D.
 */
import { registerBuiltin } from "../../saving/object-registration.js";
import { BaseSeparableConv, type BaseSeparableConvArgs } from "./base-separable-conv.js";
import { filtersKernelArgs, type IntOrTuple } from "./base-conv.js";

/** Options of SeparableConv2D (see {@link BaseSeparableConvArgs}). */
export type SeparableConv2DArgs = BaseSeparableConvArgs;

/**
 * 2D separable convolution: a depthwise convolution (each channel on its own,
 * `depthMultiplier` filters per channel) followed by a pointwise (1x1)
 * convolution to `filters` channels. Input shape: `[batch, height, width, channels]` (channels last, the default).
 *
 * ```ts
 * layers.SeparableConv2D(16, 3, { padding: "same" })(tf.zeros([1, 8, 8, 3])).shape;   // [1, 8, 8, 16]
 * ```
 */
export class SeparableConv2D extends BaseSeparableConv {
  /** `new SeparableConv2D(filters, kernelSize, options)`, or with the sizes in the options object. */
  constructor(filters: number | SeparableConv2DArgs, kernelSize?: IntOrTuple | SeparableConv2DArgs, args?: SeparableConv2DArgs) {
    super(2, filtersKernelArgs(filters, kernelSize, args));
  }
}
registerBuiltin("keras.layers", SeparableConv2D);
registerBuiltin("keras.layers", SeparableConv2D, "SeparableConvolution2D");
