/**
 * Multiply (Keras's `layers/merging/multiply.py`).
 */
import { tf, type Tensor } from "../../backend/tfjs.js";
import type { KerasTensor } from "../../backend/keras-tensor.js";
import type { TensorLike } from "../../ops/convert.js";
import { registerBuiltin } from "../../saving/object-registration.js";
import type { LayerOutput } from "../layer.js";
import { Merge, unifyDtypes, type MergeArgs } from "./base-merge.js";

/**
 * Multiplies a list of inputs element-wise. The inputs must have the same shape up to broadcasting.
 *
 * ```ts
 * layers.Multiply()([x1, x2]);
 * ```
 */
export class Multiply extends Merge {
  /** `new Multiply()` or `new Multiply({ name })`. */
  constructor(args: MergeArgs = {}) {
    super(args);
  }

  protected override mergeFunction(inputs: Tensor[]): Tensor {
    const xs = unifyDtypes(inputs);
    let out = xs[0];
    for (let i = 1; i < xs.length; i++) out = tf.mul(out, xs[i]);
    return out;
  }
}
registerBuiltin("keras.layers", Multiply);

/** Functional interface to the `Multiply` layer: `layers.multiply([x1, x2])`. */
export function multiply<T extends readonly (TensorLike | KerasTensor)[]>(inputs: T, args: MergeArgs = {}): LayerOutput<T> {
  return new Multiply(args).apply(inputs);
}
