/**
 * AdaptiveMaxPooling3D (Keras's `layers/pooling/adaptive_max_pooling3d.py`).
 */
import { registerBuiltin } from "../../saving/object-registration.js";
import type { IntOrTuple } from "../convolutional/base-conv.js";
import { BaseAdaptivePooling, outputSizeArgs, type BaseAdaptivePoolingArgs } from "./base-adaptive-pooling.js";

/** Options of AdaptiveMaxPooling3D (see {@link BaseAdaptivePoolingArgs}). */
export type AdaptiveMaxPooling3DArgs = BaseAdaptivePoolingArgs;

/**
 * Adaptive 3D max pooling: the maximum over windows chosen so the spatial
 * output has exactly `outputSize` positions, whatever the input size.
 *
 * ```ts
 * layers.AdaptiveMaxPooling3D(2)(tf.zeros([1, 5, 5, 5, 2])).shape;   // [1, 2, 2, 2, 2]
 * ```
 */
export class AdaptiveMaxPooling3D extends BaseAdaptivePooling {
  /** `new AdaptiveMaxPooling3D(outputSize, options)` or `new AdaptiveMaxPooling3D({ outputSize, ... })`. */
  constructor(outputSize: IntOrTuple | AdaptiveMaxPooling3DArgs, args?: AdaptiveMaxPooling3DArgs) {
    super(3, "max", outputSizeArgs(outputSize, args));
  }
}
registerBuiltin("keras.layers", AdaptiveMaxPooling3D);
