/**
 * Add (Keras's `layers/merging/add.py`).
 */
import { tf, type Tensor } from "../../backend/tfjs.js";
import type { KerasTensor } from "../../backend/keras-tensor.js";
import type { TensorLike } from "../../ops/convert.js";
import { registerBuiltin } from "../../saving/object-registration.js";
import type { LayerOutput } from "../layer.js";
import { Merge, unifyDtypes, type MergeArgs } from "./base-merge.js";

/**
 * Adds a list of inputs element-wise. The inputs must have the same shape up to broadcasting.
 *
 * ```ts
 * layers.Add()([x1, x2]);
 * ```
 */
export class Add extends Merge {
  /** `new Add()` or `new Add({ name })`. */
  constructor(args: MergeArgs = {}) {
    super(args);
  }

  protected override mergeFunction(inputs: Tensor[]): Tensor {
    const xs = unifyDtypes(inputs);
    let out = xs[0];
    for (let i = 1; i < xs.length; i++) out = tf.add(out, xs[i]);
    return out;
  }
}
registerBuiltin("keras.layers", Add);

/** Functional interface to the `Add` layer: `layers.add([x1, x2])`. */
export function add<T extends readonly (TensorLike | KerasTensor)[]>(inputs: T, args: MergeArgs = {}): LayerOutput<T> {
  return new Add(args).apply(inputs);
}
