/**
 * GlobalMaxPooling3D (Keras's `layers/pooling/global_max_pooling3d.py`), also exported as GlobalMaxPool3D.
 */
import { registerBuiltin } from "../../saving/object-registration.js";
import { BaseGlobalPooling, type BaseGlobalPoolingArgs } from "./base-global-pooling.js";

/** Options of GlobalMaxPooling3D (see {@link BaseGlobalPoolingArgs}). */
export type GlobalMaxPooling3DArgs = BaseGlobalPoolingArgs;

/**
 * Global max pooling over the 3 spatial dimension(s): the maximum over all positions of each channel.
 * Output: `[batch, channels]`, or with `keepdims` the input rank with spatial sizes 1.
 *
 * ```ts
 * layers.GlobalMaxPooling3D()(tf.zeros([1, 4, 4, 4, 2])).shape;   // [1, 2]
 * ```
 */
export class GlobalMaxPooling3D extends BaseGlobalPooling {
  /** `new GlobalMaxPooling3D({ dataFormat, keepdims })`; every option is optional. */
  constructor(args: GlobalMaxPooling3DArgs = {}) {
    super(3, "max", args);
  }
}
registerBuiltin("keras.layers", GlobalMaxPooling3D);
registerBuiltin("keras.layers", GlobalMaxPooling3D, "GlobalMaxPool3D");
