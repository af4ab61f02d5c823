/** The Constraint base (Keras's `keras.constraints.Constraint`). */
import type { Tensor } from "../backend/tfjs.js";
import type { SerializedObject } from "../saving/serialized.js";
import { configToOptions } from "../saving/module-objects.js";

/** Projects a weight back into its allowed set after each optimizer update. */
export abstract class Constraint {
  /** The projected value of `w`. */
  abstract call(w: Tensor): Tensor;

  /** The constructor arguments, snake_case, as Keras serializes them. */
  getConfig(): Record<string, unknown> {
    return {};
  }

  /**
   * Builds a constraint from `getConfig()`'s output (snake_case keys,
   * passed to the constructor as camelCase options).
   */
  static fromConfig(config: Record<string, unknown>): Constraint {
    return new (this as unknown as new (options: Record<string, unknown>) => Constraint)(configToOptions(config));
  }
}

/** A plain function used as a constraint. */
export type ConstraintFn = (w: Tensor) => Tensor;

/** What `constraints.get` accepts. */
export type ConstraintLike = string | Constraint | ConstraintFn | SerializedObject;
