/**
 * Conv1DTranspose (Keras's `layers/convolutional/conv1d_transpose.py`), also exported as Convolution1DTranspose.
 */
import { registerBuiltin } from "../../saving/object-registration.js";
import { BaseConvTranspose, type BaseConvTransposeArgs } from "./base-conv-transpose.js";
import { filtersKernelArgs, type IntOrTuple } from "./base-conv.js";

/** Options of Conv1DTranspose (see {@link BaseConvTransposeArgs}). */
export type Conv1DTransposeArgs = BaseConvTransposeArgs;

/**
 * 1D transposed convolution layer ("deconvolution"): goes from the shape of
 * a convolution's output back to the shape of its input, e.g. to upsample.
 * The kernel has shape `[...kernelSize, filters, inChannels]`.
 * Input shape: `[batch, steps, channels]` (channels last, the default); output: the same rank with
 * `filters` channels and spatial sizes `(in - 1) * s + max(k, s)` (`"valid"`) or `in * s` (`"same"`).
 *
 * ```ts
 * layers.Conv1DTranspose(4, 3, { strides: 2 })(tf.zeros([2, 5, 3])).shape;   // [2, 11, 4]
 * ```
 */
export class Conv1DTranspose extends BaseConvTranspose {
  /** `new Conv1DTranspose(filters, kernelSize, options)`, or with the sizes in the options object. */
  constructor(filters: number | Conv1DTransposeArgs, kernelSize?: IntOrTuple | Conv1DTransposeArgs, args?: Conv1DTransposeArgs) {
    super(1, filtersKernelArgs(filters, kernelSize, args));
  }
}
registerBuiltin("keras.layers", Conv1DTranspose);
registerBuiltin("keras.layers", Conv1DTranspose, "Convolution1DTranspose");
