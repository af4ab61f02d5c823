/**
 * AveragePooling3D (Keras's `layers/pooling/average_pooling3d.py`), also exported as AvgPool3D.
 */
import { registerBuiltin } from "../../saving/object-registration.js";
import type { IntOrTuple } from "../convolutional/base-conv.js";
import { BasePooling, poolSizeArgs, type BasePoolingArgs } from "./base-pooling.js";

/** Options of AveragePooling3D (see {@link BasePoolingArgs}; `poolSize` is required). */
export type AveragePooling3DArgs = BasePoolingArgs;

/**
 * 3D average pooling: the mean of each `poolSize` window, moved by `strides`
 * (default: `poolSize`). With `"same"` padding the output has `ceil(in / stride)`
 * positions and padded positions are left out of the average.
 *
 * ```ts
 * layers.AveragePooling3D(2)(tf.zeros([1, 4, 4, 4, 2])).shape;   // [1, 2, 2, 2, 2]
 * ```
 */
export class AveragePooling3D extends BasePooling {
  /** `new AveragePooling3D(poolSize, options)` or `new AveragePooling3D({ poolSize, ... })`. */
  constructor(poolSize: IntOrTuple | AveragePooling3DArgs, args?: AveragePooling3DArgs) {
    super(3, "average", poolSizeArgs(poolSize, args));
  }
}
registerBuiltin("keras.layers", AveragePooling3D);
registerBuiltin("keras.layers", AveragePooling3D, "AvgPool3D");
