/**
 * AveragePooling2D (Keras's `layers/pooling/average_pooling2d.py`), also exported as AvgPool2D.
 */
import { registerBuiltin } from "../../saving/object-registration.js";
import type { IntOrTuple } from "../convolutional/base-conv.js";
import { BasePooling, poolSizeArgs, type BasePoolingArgs } from "./base-pooling.js";

/** Options of AveragePooling2D (see {@link BasePoolingArgs}; `poolSize` is required). */
export type AveragePooling2DArgs = BasePoolingArgs;

/**
 * 2D average pooling: the mean of each `poolSize` window, moved by `strides`
 * (default: `poolSize`). With `"same"` padding the output has `ceil(in / stride)`
 * positions and padded positions are left out of the average.
 *
 * ```ts
 * layers.AveragePooling2D(2)(tf.zeros([2, 6, 6, 3])).shape;   // [2, 3, 3, 3]
 * ```
 */
export class AveragePooling2D extends BasePooling {
  /** `new AveragePooling2D(poolSize, options)` or `new AveragePooling2D({ poolSize, ... })`. */
  constructor(poolSize: IntOrTuple | AveragePooling2DArgs, args?: AveragePooling2DArgs) {
    super(2, "average", poolSizeArgs(poolSize, args));
  }
}
registerBuiltin("keras.layers", AveragePooling2D);
registerBuiltin("keras.layers", AveragePooling2D, "AvgPool2D");
