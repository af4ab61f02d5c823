/**
 * GlobalMaxPooling2D (Keras's `layers/pooling/global_max_pooling2d.py`), also exported as GlobalMaxPool2D.
 */
import { registerBuiltin } from "../../saving/object-registration.js";
import { BaseGlobalPooling, type BaseGlobalPoolingArgs } from "./base-global-pooling.js";

/** Options of GlobalMaxPooling2D (see {@link BaseGlobalPoolingArgs}). */
export type GlobalMaxPooling2DArgs = BaseGlobalPoolingArgs;

/**
 * Global max pooling over the 2 spatial dimension(s): the maximum over all positions of each channel.
 * Output: `[batch, channels]`, or with `keepdims` the input rank with spatial sizes 1.
 *
 * ```ts
 * layers.GlobalMaxPooling2D({ keepdims: true })(tf.zeros([2, 5, 5, 3])).shape;   // [2, 1, 1, 3]
 * ```
 */
export class GlobalMaxPooling2D extends BaseGlobalPooling {
  /** `new GlobalMaxPooling2D({ dataFormat, keepdims })`; every option is optional. */
  constructor(args: GlobalMaxPooling2DArgs = {}) {
    super(2, "max", args);
  }
}
registerBuiltin("keras.layers", GlobalMaxPooling2D);
registerBuiltin("keras.layers", GlobalMaxPooling2D, "GlobalMaxPool2D");
