/**
 * GlobalAveragePooling2D (Keras's `layers/pooling/global_average_pooling2d.py`), also exported as GlobalAvgPool2D.
 */
import { registerBuiltin } from "../../saving/object-registration.js";
import { BaseGlobalPooling, type BaseGlobalPoolingArgs } from "./base-global-pooling.js";

/** Options of GlobalAveragePooling2D (see {@link BaseGlobalPoolingArgs}). */
export type GlobalAveragePooling2DArgs = BaseGlobalPoolingArgs;

/**
 * Global average pooling over the 2 spatial dimension(s): the mean over all positions of each channel.
 * Output: `[batch, channels]`, or with `keepdims` the input rank with spatial sizes 1.
 *
 * ```ts
 * layers.GlobalAveragePooling2D()(tf.zeros([2, 5, 5, 3])).shape;   // [2, 3]
 * ```
 */
export class GlobalAveragePooling2D extends BaseGlobalPooling {
  /** `new GlobalAveragePooling2D({ dataFormat, keepdims })`; every option is optional. */
  constructor(args: GlobalAveragePooling2DArgs = {}) {
    super(2, "average", args);
  }
}
registerBuiltin("keras.layers", GlobalAveragePooling2D);
registerBuiltin("keras.layers", GlobalAveragePooling2D, "GlobalAvgPool2D");
