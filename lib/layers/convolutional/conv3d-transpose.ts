/**
 * Conv3DTranspose (Keras's `layers/convolutional/conv3d_transpose.py`), also exported as Convolution3DTranspose.
 */
import { registerBuiltin } from "../../saving/object-registration.js";
import { BaseConvTranspose, type BaseConvTransposeArgs } from "./base-conv-transpose.js";
import { filtersKernelArgs, type IntOrTuple } from "./base-conv.js";

/** Options of Conv3DTranspose (see {@link BaseConvTransposeArgs}). */
export type Conv3DTransposeArgs = BaseConvTransposeArgs;

/**
 * 3D transposed convolution layer ("deconvolution"): goes from the shape of
 * a convolution's output back to the shape of its input, e.g. to upsample.
 * The kernel has shape `[...kernelSize, filters, inChannels]`.
 * Input shape: `[batch, d1, d2, d3, channels]` (channels last, the default); output: the same rank with
 * `filters` channels and spatial sizes `(in - 1) * s + max(k, s)` (`"valid"`) or `in * s` (`"same"`).
 *
 * ```ts
 * layers.Conv3DTranspose(2, 2, { strides: 2 })(tf.zeros([1, 3, 3, 3, 4])).shape;   // [1, 6, 6, 6, 2]
 * ```
 */
export class Conv3DTranspose extends BaseConvTranspose {
  /** `new Conv3DTranspose(filters, kernelSize, options)`, or with the sizes in the options object. */
  constructor(filters: number | Conv3DTransposeArgs, kernelSize?: IntOrTuple | Conv3DTransposeArgs, args?: Conv3DTransposeArgs) {
    super(3, filtersKernelArgs(filters, kernelSize, args));
  }
}
registerBuiltin("keras.layers", Conv3DTranspose);
registerBuiltin("keras.layers", Conv3DTranspose, "Convolution3DTranspose");
