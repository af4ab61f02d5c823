/**
 * DepthwiseConv2D (Keras's `layers/convolutional/depthwise_conv2d.py`).
 */
import { registerBuiltin } from "../../saving/object-registration.js";
import { BaseDepthwiseConv, kernelSizeArgs, type BaseDepthwiseConvArgs } from "./base-depthwise-conv.js";
import type { IntOrTuple } from "./base-conv.js";

/** Options of DepthwiseConv2D (see {@link BaseDepthwiseConvArgs}). */
export type DepthwiseConv2DArgs = BaseDepthwiseConvArgs;

/**
 * 2D depthwise convolution: each input channel is convolved with its own
 * `depthMultiplier` filters, giving `inChannels * depthMultiplier` output channels.
 * The kernel (weight `kernel`) has shape `[...kernelSize, inChannels, depthMultiplier]`.
 * Input shape: `[batch, height, width, channels]` (channels last, the default).
 *
 * ```ts
 * layers.DepthwiseConv2D(3, { padding: "same" })(tf.zeros([1, 8, 8, 3])).shape;   // [1, 8, 8, 3]
 * ```
 */
export class DepthwiseConv2D extends BaseDepthwiseConv {
  /** `new DepthwiseConv2D(kernelSize, options)` or `new DepthwiseConv2D({ kernelSize, ... })`. */
  constructor(kernelSize: IntOrTuple | DepthwiseConv2DArgs, args?: DepthwiseConv2DArgs) {
    super(2, kernelSizeArgs(kernelSize, args));
  }
}
registerBuiltin("keras.layers", DepthwiseConv2D);
