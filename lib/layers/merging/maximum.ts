/**
 * Maximum (Keras's `layers/merging/maximum.py`).
 */
import { tf, type Tensor } from "../../backend/tfjs.js";
import type { KerasTensor } from "../../backend/keras-tensor.js";
import type { TensorLike } from "../../ops/convert.js";
import { registerBuiltin } from "../../saving/object-registration.js";
import type { LayerOutput } from "../layer.js";
import { Merge, unifyDtypes, type MergeArgs } from "./base-merge.js";

/**
 * Computes the element-wise maximum of a list of inputs. The inputs must have the same shape up to broadcasting.
 *
 * ```ts
 * layers.Maximum()([x1, x2]);
 * ```
 */
export class Maximum extends Merge {
  /** `new Maximum()` or `new Maximum({ name })`. */
  constructor(args: MergeArgs = {}) {
    super(args);
  }

  protected override mergeFunction(inputs: Tensor[]): Tensor {
    const xs = unifyDtypes(inputs);
    let out = xs[0];
    for (let i = 1; i < xs.length; i++) out = tf.maximum(out, xs[i]);
    return out;
  }
}
registerBuiltin("keras.layers", Maximum);

/** Functional interface to the `Maximum` layer: `layers.maximum([x1, x2])`. */
export function maximum<T extends readonly (TensorLike | KerasTensor)[]>(inputs: T, args: MergeArgs = {}): LayerOutput<T> {
  return new Maximum(args).apply(inputs);
}
