/**
 * MaxPooling1D (Keras's `layers/pooling/max_pooling1d.py`), also exported as MaxPool1D.
 */
import { registerBuiltin } from "../../saving/object-registration.js";
import type { IntOrTuple } from "../convolutional/base-conv.js";
import { BasePooling, poolSizeArgs, type BasePoolingArgs } from "./base-pooling.js";

/** Options of MaxPooling1D (see {@link BasePoolingArgs}; `poolSize` defaults to `2`). */
export type MaxPooling1DArgs = BasePoolingArgs;

/**
 * 1D max pooling: the maximum of each `poolSize` window, moved by `strides`
 * (default: `poolSize`). With `"same"` padding the output has `ceil(in / stride)`
 * positions.
 *
 * ```ts
 * layers.MaxPooling1D(2)(tf.zeros([2, 9, 3])).shape;   // [2, 4, 3]
 * ```
 */
export class MaxPooling1D extends BasePooling {
  /** `new MaxPooling1D(poolSize, options)` or `new MaxPooling1D({ poolSize, ... })`. */
  constructor(poolSize?: IntOrTuple | MaxPooling1DArgs, args?: MaxPooling1DArgs) {
    super(1, "max", { poolSize: 2, ...poolSizeArgs(poolSize, args) });
  }
}
registerBuiltin("keras.layers", MaxPooling1D);
registerBuiltin("keras.layers", MaxPooling1D, "MaxPool1D");
