/**
 * GlobalAveragePooling3D (Keras's `layers/pooling/global_average_pooling3d.py`), also exported as GlobalAvgPool3D.
 */
import { registerBuiltin } from "../../saving/object-registration.js";
import { BaseGlobalPooling, type BaseGlobalPoolingArgs } from "./base-global-pooling.js";

/** Options of GlobalAveragePooling3D (see {@link BaseGlobalPoolingArgs}). */
export type GlobalAveragePooling3DArgs = BaseGlobalPoolingArgs;

/**
 * Global average pooling over the 3 spatial dimension(s): the mean over all positions of each channel.
 * Output: `[batch, channels]`, or with `keepdims` the input rank with spatial sizes 1.
 *
 * ```ts
 * layers.GlobalAveragePooling3D()(tf.zeros([1, 4, 4, 4, 2])).shape;   // [1, 2]
 * ```
 */
export class GlobalAveragePooling3D extends BaseGlobalPooling {
  /** `new GlobalAveragePooling3D({ dataFormat, keepdims })`; every option is optional. */
  constructor(args: GlobalAveragePooling3DArgs = {}) {
    super(3, "average", args);
  }
}
registerBuiltin("keras.layers", GlobalAveragePooling3D);
registerBuiltin("keras.layers", GlobalAveragePooling3D, "GlobalAvgPool3D");
