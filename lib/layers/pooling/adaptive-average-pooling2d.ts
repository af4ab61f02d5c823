/**
 * AdaptiveAveragePooling2D (Keras's `layers/pooling/adaptive_average_pooling2d.py`).
 */
import { registerBuiltin } from "../../saving/object-registration.js";
import type { IntOrTuple } from "../convolutional/base-conv.js";
import { BaseAdaptivePooling, outputSizeArgs, type BaseAdaptivePoolingArgs } from "./base-adaptive-pooling.js";

/** Options of AdaptiveAveragePooling2D (see {@link BaseAdaptivePoolingArgs}). */
export type AdaptiveAveragePooling2DArgs = BaseAdaptivePoolingArgs;

/**
 * Adaptive 2D average pooling: the mean over windows chosen so the spatial
 * output has exactly `outputSize` positions, whatever the input size.
 *
 * ```ts
 * layers.AdaptiveAveragePooling2D([2, 3])(tf.zeros([2, 7, 9, 3])).shape;   // [2, 2, 3, 3]
 * ```
 */
export class AdaptiveAveragePooling2D extends BaseAdaptivePooling {
  /** `new AdaptiveAveragePooling2D(outputSize, options)` or `new AdaptiveAveragePooling2D({ outputSize, ... })`. */
  constructor(outputSize: IntOrTuple | AdaptiveAveragePooling2DArgs, args?: AdaptiveAveragePooling2DArgs) {
    super(2, "average", outputSizeArgs(outputSize, args));
  }
}
registerBuiltin("keras.layers", AdaptiveAveragePooling2D);
