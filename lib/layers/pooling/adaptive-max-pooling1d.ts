/**
 * AdaptiveMaxPooling1D (Keras's `layers/pooling/adaptive_max_pooling1d.py`).
 */
import { registerBuiltin } from "../../saving/object-registration.js";
import type { IntOrTuple } from "../convolutional/base-conv.js";
import { BaseAdaptivePooling, outputSizeArgs, type BaseAdaptivePoolingArgs } from "./base-adaptive-pooling.js";

/** Options of AdaptiveMaxPooling1D (see {@link BaseAdaptivePoolingArgs}). */
export type AdaptiveMaxPooling1DArgs = BaseAdaptivePoolingArgs;

/**
 * Adaptive 1D max pooling: the maximum over windows chosen so the spatial
 * output has exactly `outputSize` positions, whatever the input size.
 *
 * ```ts
 * layers.AdaptiveMaxPooling1D(4)(tf.zeros([2, 10, 3])).shape;   // [2, 4, 3]
 * ```
 */
export class AdaptiveMaxPooling1D extends BaseAdaptivePooling {
  /** `new AdaptiveMaxPooling1D(outputSize, options)` or `new AdaptiveMaxPooling1D({ outputSize, ... })`. */
  constructor(outputSize: IntOrTuple | AdaptiveMaxPooling1DArgs, args?: AdaptiveMaxPooling1DArgs) {
    super(1, "max", outputSizeArgs(outputSize, args));
  }
}
registerBuiltin("keras.layers", AdaptiveMaxPooling1D);
