/**
 * MaxPooling3D (Keras's `layers/pooling/max_pooling3d.py`), also exported as MaxPool3D.
 */
import { registerBuiltin } from "../../saving/object-registration.js";
import type { IntOrTuple } from "../convolutional/base-conv.js";
import { BasePooling, poolSizeArgs, type BasePoolingArgs } from "./base-pooling.js";

/** Options of MaxPooling3D (see {@link BasePoolingArgs}; `poolSize` defaults to `[2, 2, 2]`). */
export type MaxPooling3DArgs = BasePoolingArgs;

/**
 * 3D max pooling: the maximum of each `poolSize` window, moved by `strides`
 * (default: `poolSize`). With `"same"` padding the output has `ceil(in / stride)`
 * positions.
 *
 * ```ts
 * layers.MaxPooling3D()(tf.zeros([1, 4, 4, 4, 2])).shape;   // [1, 2, 2, 2, 2]
 * ```
 */
export class MaxPooling3D extends BasePooling {
  /** `new MaxPooling3D(poolSize, options)` or `new MaxPooling3D({ poolSize, ... })`. */
  constructor(poolSize?: IntOrTuple | MaxPooling3DArgs, args?: MaxPooling3DArgs) {
    super(3, "max", { poolSize: [2, 2, 2], ...poolSizeArgs(poolSize, args) });
  }
}
registerBuiltin("keras.layers", MaxPooling3D);
registerBuiltin("keras.layers", MaxPooling3D, "MaxPool3D");
