/**
 * DepthwiseConv1D (Keras's `layers/convolutional/depthwise_conv1d.py`).
 */
import { registerBuiltin } from "../../saving/object-registration.js";
import { BaseDepthwiseConv, kernelSizeArgs, type BaseDepthwiseConvArgs } from "./base-depthwise-conv.js";
import type { IntOrTuple } from "./base-conv.js";

/** Options of DepthwiseConv1D (see {@link BaseDepthwiseConvArgs}). */
export type DepthwiseConv1DArgs = BaseDepthwiseConvArgs;

/**
 * 1D depthwise convolution: each input channel is convolved with its own
 * `depthMultiplier` filters, giving `inChannels * depthMultiplier` output channels.
 * The kernel (weight `kernel`) has shape `[...kernelSize, inChannels, depthMultiplier]`.
 * Input shape: `[batch, steps, channels]` (channels last, the default).
 *
 * ```ts
 * layers.DepthwiseConv1D(3, { depthMultiplier: 2 })(tf.zeros([2, 10, 4])).shape;   // [2, 8, 8]
 * ```
 */
export class DepthwiseConv1D extends BaseDepthwiseConv {
  /** `new DepthwiseConv1D(kernelSize, options)` or `new DepthwiseConv1D({ kernelSize, ... })`. */
  constructor(kernelSize: IntOrTuple | DepthwiseConv1DArgs, args?: DepthwiseConv1DArgs) {
    super(1, kernelSizeArgs(kernelSize, args));
  }
}
registerBuiltin("keras.layers", DepthwiseConv1D);
