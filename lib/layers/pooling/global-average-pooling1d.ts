/**
 * GlobalAveragePooling1D (Keras's `layers/pooling/global_average_pooling1d.py`), also exported as GlobalAvgPool1D.
 */
import { tf, type Tensor } from "../../backend/tfjs.js";
import { registerBuiltin } from "../../saving/object-registration.js";
import type { CallArgs } from "../layer.js";
import { floatInput } from "../convolutional/base-conv.js";
import { BaseGlobalPooling, type BaseGlobalPoolingArgs } from "./base-global-pooling.js";

/** Options of GlobalAveragePooling1D (see {@link BaseGlobalPoolingArgs}). */
export type GlobalAveragePooling1DArgs = BaseGlobalPoolingArgs;

/**
 * Global average pooling over the steps of a sequence: the mean over time of
 * each channel. With a mask (`[batch, steps]`, e.g. from `Embedding({ maskZero: true })`
 * or `Masking`), masked steps are left out of the mean; the output carries no mask.
 *
 * ```ts
 * layers.GlobalAveragePooling1D()(tf.zeros([2, 6, 4])).shape;   // [2, 4]
 * ```
 */
export class GlobalAveragePooling1D extends BaseGlobalPooling {
  /** `new GlobalAveragePooling1D({ dataFormat, keepdims })`; every option is optional. */
  constructor(args: GlobalAveragePooling1DArgs = {}) {
    super(1, "average", args);
    this.supportsMasking = true;
  }

  override call(inputs: unknown, kwargs?: CallArgs): Tensor {
    const x = floatInput(inputs, this.name);
    const stepsAxis = this.dataFormat === "channels_last" ? 1 : 2;
    const mask = kwargs?.mask;
    if (!(mask instanceof tf.Tensor)) return tf.mean(x, stepsAxis, this.keepdims);
    const m = tf.expandDims(tf.cast(mask, "bool"), this.dataFormat === "channels_last" ? 2 : 1);
    const masked = tf.where(tf.broadcastTo(m, x.shape), x, tf.zerosLike(x));
    const count = tf.sum(tf.cast(m, "float32"), stepsAxis, this.keepdims);
    return tf.div(tf.sum(masked, stepsAxis, this.keepdims), count);
  }

  override computeMask(_inputs: unknown, _mask: unknown): null {
    return null;
  }
}
registerBuiltin("keras.layers", GlobalAveragePooling1D);
registerBuiltin("keras.layers", GlobalAveragePooling1D, "GlobalAvgPool1D");
