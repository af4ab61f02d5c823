/**
 * AdaptiveAveragePooling3D (Keras's `layers/pooling/adaptive_average_pooling3d.py`).
 */
import { registerBuiltin } from "../../saving/object-registration.js";
import type { IntOrTuple } from "../convolutional/base-conv.js";
import { BaseAdaptivePooling, outputSizeArgs, type BaseAdaptivePoolingArgs } from "./base-adaptive-pooling.js";

/** Options of AdaptiveAveragePooling3D (see {@link BaseAdaptivePoolingArgs}). */
export type AdaptiveAveragePooling3DArgs = BaseAdaptivePoolingArgs;

/**
 * Adaptive 3D average pooling: the mean over windows chosen so the spatial
 * output has exactly `outputSize` positions, whatever the input size.
 *
 * ```ts
 * layers.AdaptiveAveragePooling3D(2)(tf.zeros([1, 5, 5, 5, 2])).shape;   // [1, 2, 2, 2, 2]
 * ```
 */
export class AdaptiveAveragePooling3D extends BaseAdaptivePooling {
  /** `new AdaptiveAveragePooling3D(outputSize, options)` or `new AdaptiveAveragePooling3D({ outputSize, ... })`. */
  constructor(outputSize: IntOrTuple | AdaptiveAveragePooling3DArgs, args?: AdaptiveAveragePooling3DArgs) {
    super(3, "average", outputSizeArgs(outputSize, args));
  }
}
registerBuiltin("keras.layers", AdaptiveAveragePooling3D);
