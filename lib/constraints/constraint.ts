/** The Constraint base (Keras's `keras.constraints.Constraint`). */
import type { Tensor } from "../backend/tfjs.js";
import type { SerializedObject } from "../saving/serialized.js";

/** Projects a weight back into its allowed set after each optimizer update. */
export abstract class Constraint {
  /** The projected value of `w`. */
  abstract call(w: Tensor): Tensor;

  /** The constructor arguments, snake_case, as Keras serializes them. */
  getConfig(): Record<string, unknown> {
    return {};
  }
}

/** A plain function used as a constraint. */
export type ConstraintFn = (w: Tensor) => Tensor;

/** What `constraints.get` accepts. */
export type ConstraintLike = string | Constraint | ConstraintFn | SerializedObject;
