/** The Regularizer base (Keras's `keras.regularizers.Regularizer`). */
import type { Tensor } from "../backend/tfjs.js";
import type { SerializedObject } from "../saving/serialized.js";
import { configToOptions } from "../saving/module-objects.js";

/** Maps a weight to a scalar penalty added to the loss. */
export abstract class Regularizer {
  /** The scalar penalty for `x`. */
  abstract call(x: Tensor): Tensor;

  /** The constructor arguments, snake_case, as Keras serializes them. */
  getConfig(): Record<string, unknown> {
    return {};
  }

  /**
   * Builds a regularizer from `getConfig()`'s output (snake_case keys,
   * passed to the constructor as camelCase options).
   */
  static fromConfig(config: Record<string, unknown>): Regularizer {
    return new (this as unknown as new (options: Record<string, unknown>) => Regularizer)(configToOptions(config));
  }
}

/** A plain function used as a regularizer. */
export type RegularizerFn = (x: Tensor) => Tensor;

/** What `regularizers.get` accepts. */
export type RegularizerLike = string | Regularizer | RegularizerFn | SerializedObject;
