/**
 * Average (Keras's `layers/merging/average.py`).
 */
import { tf, type Tensor } from "../../backend/tfjs.js";
import type { KerasTensor } from "../../backend/keras-tensor.js";
import type { TensorLike } from "../../ops/convert.js";
import { registerBuiltin } from "../../saving/object-registration.js";
import type { LayerOutput } from "../layer.js";
import { Merge, unifyDtypes, type MergeArgs } from "./base-merge.js";

/**
 * Averages a list of inputs element-wise. The inputs must have the same
 * shape up to broadcasting.
 *
 * ```ts
 * layers.Average()([x1, x2]);
 * ```
 */
export class Average extends Merge {
  /** `new Average()` or `new Average({ name })`. */
  constructor(args: MergeArgs = {}) {
    super(args);
  }

  protected override mergeFunction(inputs: Tensor[]): Tensor {
    const xs = unifyDtypes(inputs);
    let out = xs[0];
    for (let i = 1; i < xs.length; i++) out = tf.add(out, xs[i]);
    return tf.div(out, xs.length);
  }
}
registerBuiltin("keras.layers", Average);

/** Functional interface to the `Average` layer: `layers.average([x1, x2])`. */
export function average<T extends readonly (TensorLike | KerasTensor)[]>(inputs: T, args: MergeArgs = {}): LayerOutput<T> {
  return new Average(args).apply(inputs);
}
