/**
 * AveragePooling1D (Keras's `layers/pooling/average_pooling1d.py`), also exported as AvgPool1D.
 */
import { registerBuiltin } from "../../saving/object-registration.js";
import type { IntOrTuple } from "../convolutional/base-conv.js";
import { BasePooling, poolSizeArgs, type BasePoolingArgs } from "./base-pooling.js";

/** Options of AveragePooling1D (see {@link BasePoolingArgs}; `poolSize` is required). */
export type AveragePooling1DArgs = BasePoolingArgs;

/**
 * 1D average pooling: the mean of each `poolSize` window, moved by `strides`
 * (default: `poolSize`). With `"same"` padding the output has `ceil(in / stride)`
 * positions and padded positions are left out of the average.
 *
 * ```ts
 * layers.AveragePooling1D(3, { strides: 2, padding: "same" })(tf.zeros([2, 9, 3])).shape;   // [2, 5, 3]
 * ```
 */
export class AveragePooling1D extends BasePooling {
  /** `new AveragePooling1D(poolSize, options)` or `new AveragePooling1D({ poolSize, ... })`. */
  constructor(poolSize: IntOrTuple | AveragePooling1DArgs, args?: AveragePooling1DArgs) {
    super(1, "average", poolSizeArgs(poolSize, args));
  }
}
registerBuiltin("keras.layers", AveragePooling1D);
registerBuiltin("keras.layers", AveragePooling1D, "AvgPool1D");
