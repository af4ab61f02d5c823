/** The Regularizer base (Keras's `keras.regularizers.Regularizer`). */
import type { Tensor } from "../backend/tfjs.js";
import type { SerializedObject } from "../saving/serialized.js";

/** Maps a weight to a scalar penalty added to the loss. */
export abstract class Regularizer {
  /** The scalar penalty for `x`. */
  abstract call(x: Tensor): Tensor;

  /** The constructor arguments, snake_case, as Keras serializes them. */
  getConfig(): Record<string, unknown> {
    return {};
  }
}

/** A plain function used as a regularizer. */
export type RegularizerFn = (x: Tensor) => Tensor;

/** What `regularizers.get` accepts. */
export type RegularizerLike = string | Regularizer | RegularizerFn | SerializedObject;
