/**
 * Conv3D (Keras's `layers/convolutional/conv3d.py`), also exported as Convolution3D.
 */
import { registerBuiltin } from "../../saving/object-registration.js";
import { BaseConv, filtersKernelArgs, type BaseConvArgs, type IntOrTuple } from "./base-conv.js";

/** Options of Conv3D (see {@link BaseConvArgs}). */
export type Conv3DArgs = BaseConvArgs;

/**
 * 3D convolution layer (spatial convolution over volumes).
 *
 * The kernel has shape `[...kernelSize, inChannels / groups, filters]`.
 * Input shape: `[batch, d1, d2, d3, channels]` (`"channels_last"`, the default) or the channels-first
 * equivalent; output: the same rank with `filters` channels.
 *
 * ```ts
 * layers.Conv3D(4, 3, { padding: "same" })(tf.zeros([1, 8, 8, 8, 2])).shape;   // [1, 8, 8, 8, 4]
 * ```
 */
export class Conv3D extends BaseConv {
  /** `new Conv3D(filters, kernelSize, options)`, `new Conv3D(filters, { kernelSize, ... })` or `new Conv3D({ filters, kernelSize, ... })`. */
  constructor(filters: number | Conv3DArgs, kernelSize?: IntOrTuple | Conv3DArgs, args?: Conv3DArgs) {
    super(3, filtersKernelArgs(filters, kernelSize, args));
  }
}
registerBuiltin("keras.layers", Conv3D);
registerBuiltin("keras.layers", Conv3D, "Convolution3D");
