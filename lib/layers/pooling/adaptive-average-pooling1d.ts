/**
 * AdaptiveAveragePooling1D (Keras's `layers/pooling/adaptive_average_pooling1d.py`).
 */
import { registerBuiltin } from "../../saving/object-registration.js";
import type { IntOrTuple } from "../convolutional/base-conv.js";
import { BaseAdaptivePooling, outputSizeArgs, type BaseAdaptivePoolingArgs } from "./base-adaptive-pooling.js";

/** Options of AdaptiveAveragePooling1D (see {@link BaseAdaptivePoolingArgs}). */
export type AdaptiveAveragePooling1DArgs = BaseAdaptivePoolingArgs;

/**
 * Adaptive 1D average pooling: the mean over windows chosen so the spatial
 * output has exactly `outputSize` positions, whatever the input size.
 *
 * ```ts
 * layers.AdaptiveAveragePooling1D(4)(tf.zeros([2, 10, 3])).shape;   // [2, 4, 3]
 * ```
 */
export class AdaptiveAveragePooling1D extends BaseAdaptivePooling {
  /** `new AdaptiveAveragePooling1D(outputSize, options)` or `new AdaptiveAveragePooling1D({ outputSize, ... })`. */
  constructor(outputSize: IntOrTuple | AdaptiveAveragePooling1DArgs, args?: AdaptiveAveragePooling1DArgs) {
    super(1, "average", outputSizeArgs(outputSize, args));
  }
}
registerBuiltin("keras.layers", AdaptiveAveragePooling1D);
