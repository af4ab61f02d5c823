/**
 * MaxPooling2D (Keras's `layers/pooling/max_pooling2d.py`), also exported as MaxPool2D.
 */
import { registerBuiltin } from "../../saving/object-registration.js";
import type { IntOrTuple } from "../convolutional/base-conv.js";
import { BasePooling, poolSizeArgs, type BasePoolingArgs } from "./base-pooling.js";

/** Options of MaxPooling2D (see {@link BasePoolingArgs}; `poolSize` defaults to `[2, 2]`). */
export type MaxPooling2DArgs = BasePoolingArgs;

/**
 * 2D max pooling: the maximum of each `poolSize` window, moved by `strides`
 * (default: `poolSize`). With `"same"` padding the output has `ceil(in / stride)`
 * positions.
 *
 * ```ts
 * layers.MaxPooling2D()(tf.zeros([2, 6, 6, 3])).shape;   // [2, 3, 3, 3]
 * ```
 */
export class MaxPooling2D extends BasePooling {
  /** `new MaxPooling2D(poolSize, options)` or `new MaxPooling2D({ poolSize, ... })`. */
  constructor(poolSize?: IntOrTuple | MaxPooling2DArgs, args?: MaxPooling2DArgs) {
    super(2, "max", { poolSize: [2, 2], ...poolSizeArgs(poolSize, args) });
  }
}
registerBuiltin("keras.layers", MaxPooling2D);
registerBuiltin("keras.layers", MaxPooling2D, "MaxPool2D");
