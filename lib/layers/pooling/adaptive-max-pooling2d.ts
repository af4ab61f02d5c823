/**
 * AdaptiveMaxPooling2D (Keras's `layers/pooling/adaptive_max_pooling2d.py`).
 */
import { registerBuiltin } from "../../saving/object-registration.js";
import type { IntOrTuple } from "../convolutional/base-conv.js";
import { BaseAdaptivePooling, outputSizeArgs, type BaseAdaptivePoolingArgs } from "./base-adaptive-pooling.js";

/** Options of AdaptiveMaxPooling2D (see {@link BaseAdaptivePoolingArgs}). */
export type AdaptiveMaxPooling2DArgs = BaseAdaptivePoolingArgs;

/**
 * Adaptive 2D max pooling: the maximum over windows chosen so the spatial
 * output has exactly `outputSize` positions, whatever the input size.
 *
 * ```ts
 * layers.AdaptiveMaxPooling2D([2, 3])(tf.zeros([2, 7, 9, 3])).shape;   // [2, 2, 3, 3]
 * ```
 */
export class AdaptiveMaxPooling2D extends BaseAdaptivePooling {
  /** `new AdaptiveMaxPooling2D(outputSize, options)` or `new AdaptiveMaxPooling2D({ outputSize, ... })`. */
  constructor(outputSize: IntOrTuple | AdaptiveMaxPooling2DArgs, args?: AdaptiveMaxPooling2DArgs) {
    super(2, "max", outputSizeArgs(outputSize, args));
  }
}
registerBuiltin("keras.layers", AdaptiveMaxPooling2D);
