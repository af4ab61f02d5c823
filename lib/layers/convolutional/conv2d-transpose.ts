/**
 * Conv2DTranspose (Keras's `layers/convolutional/conv2d_transpose.py`), also exported as Convolution2DTranspose.
 */
import { registerBuiltin } from "../../saving/object-registration.js";
import { BaseConvTranspose, type BaseConvTransposeArgs } from "./base-conv-transpose.js";
import { filtersKernelArgs, type IntOrTuple } from "./base-conv.js";

/** Options of Conv2DTranspose (see {@link BaseConvTransposeArgs}). */
export type Conv2DTransposeArgs = BaseConvTransposeArgs;

/**
 * 2D transposed convolution layer ("deconvolution"): goes from the shape of
 * a convolution's output back to the shape of its input, e.g. to upsample.
 * The kernel has shape `[...kernelSize, filters, inChannels]`.
 * Input shape: `[batch, height, width, channels]` (channels last, the default); output: the same rank with
 * `filters` channels and spatial sizes `(in - 1) * s + max(k, s)` (`"valid"`) or `in * s` (`"same"`).
 *
 * ```ts
 * layers.Conv2DTranspose(8, 3, { strides: 2, padding: "same" })(tf.zeros([1, 7, 7, 16])).shape;   // [1, 14, 14, 8]
 * ```
 */
export class Conv2DTranspose extends BaseConvTranspose {
  /** `new Conv2DTranspose(filters, kernelSize, options)`, or with the sizes in the options object. */
  constructor(filters: number | Conv2DTransposeArgs, kernelSize?: IntOrTuple | Conv2DTransposeArgs, args?: Conv2DTransposeArgs) {
    super(2, filtersKernelArgs(filters, kernelSize, args));
  }
}
registerBuiltin("keras.layers", Conv2DTranspose);
registerBuiltin("keras.layers", Conv2DTranspose, "Convolution2DTranspose");
