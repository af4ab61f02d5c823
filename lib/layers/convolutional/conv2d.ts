/**
 * Conv2D (Keras's `layers/convolutional/conv2d.py`), also exported as Convolution2D.
 */
import { registerBuiltin } from "../../saving/object-registration.js";
import { BaseConv, filtersKernelArgs, type BaseConvArgs, type IntOrTuple } from "./base-conv.js";

/** Options of Conv2D (see {@link BaseConvArgs}). */
export type Conv2DArgs = BaseConvArgs;

/**
 * 2D convolution layer (spatial convolution over images).
 *
 * The kernel has shape `[...kernelSize, inChannels / groups, filters]`.
 * Input shape: `[batch, height, width, channels]` (`"channels_last"`, the default) or the channels-first
 * equivalent; output: the same rank with `filters` channels.
 *
 * ```ts
 * layers.Conv2D(16, 3, { activation: "relu" })(tf.zeros([2, 28, 28, 1])).shape;   // [2, 26, 26, 16]
 * ```
 */
export class Conv2D extends BaseConv {
  /** `new Conv2D(filters, kernelSize, options)`, `new Conv2D(filters, { kernelSize, ... })` or `new Conv2D({ filters, kernelSize, ... })`. */
  constructor(filters: number | Conv2DArgs, kernelSize?: IntOrTuple | Conv2DArgs, args?: Conv2DArgs) {
    super(2, filtersKernelArgs(filters, kernelSize, args));
  }
}
registerBuiltin("keras.layers", Conv2D);
registerBuiltin("keras.layers", Conv2D, "Convolution2D");
