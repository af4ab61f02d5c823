/**
 * Minimum (Keras's `layers/merging/minimum.py`).
 */
import { tf, type Tensor } from "../../backend/tfjs.js";
import type { KerasTensor } from "../../backend/keras-tensor.js";
import type { TensorLike } from "../../ops/convert.js";
import { registerBuiltin } from "../../saving/object-registration.js";
import type { LayerOutput } from "../layer.js";
import { Merge, unifyDtypes, type MergeArgs } from "./base-merge.js";

/**
 * Computes the element-wise minimum of a list of inputs. The inputs must have the same shape up to broadcasting.
 *
 * ```ts
 * layers.Minimum()([x1, x2]);
 * ```
 */
export class Minimum extends Merge {
  /** `new Minimum()` or `new Minimum({ name })`. */
  constructor(args: MergeArgs = {}) {
    super(args);
  }

  protected override mergeFunction(inputs: Tensor[]): Tensor {
    const xs = unifyDtypes(inputs);
    let out = xs[0];
    for (let i = 1; i < xs.length; i++) out = tf.minimum(out, xs[i]);
    return out;
  }
}
registerBuiltin("keras.layers", Minimum);

/** Functional interface to the `Minimum` layer: `layers.minimum([x1, x2])`. */
export function minimum<T extends readonly (TensorLike | KerasTensor)[]>(inputs: T, args: MergeArgs = {}): LayerOutput<T> {
  return new Minimum(args).apply(inputs);
}
