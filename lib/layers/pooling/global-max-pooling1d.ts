/**
 * GlobalMaxPooling1D (Keras's `layers/pooling/global_max_pooling1d.py`), also exported as GlobalMaxPool1D.
 */
import { registerBuiltin } from "../../saving/object-registration.js";
import { BaseGlobalPooling, type BaseGlobalPoolingArgs } from "./base-global-pooling.js";

/** Options of GlobalMaxPooling1D (see {@link BaseGlobalPoolingArgs}). */
export type GlobalMaxPooling1DArgs = BaseGlobalPoolingArgs;

/**
 * Global max pooling over the 1 spatial dimension(s): the maximum over all positions of each channel.
 * Output: `[batch, channels]`, or with `keepdims` the input rank with spatial sizes 1.
 *
 * ```ts
 * layers.GlobalMaxPooling1D()(tf.zeros([2, 6, 4])).shape;   // [2, 4]
 * ```
 */
export class GlobalMaxPooling1D extends BaseGlobalPooling {
  /** `new GlobalMaxPooling1D({ dataFormat, keepdims })`; every option is optional. */
  constructor(args: GlobalMaxPooling1DArgs = {}) {
    super(1, "max", args);
  }
}
registerBuiltin("keras.layers", GlobalMaxPooling1D);
registerBuiltin("keras.layers", GlobalMaxPooling1D, "GlobalMaxPool1D");
