/** The Initializer base (Keras's `keras.initializers.Initializer`). */
import type { Tensor } from "../backend/tfjs.js";
import type { DTypeLike } from "../backend/dtypes.js";
import type { SerializedObject } from "../saving/serialized.js";
import { configToOptions } from "../saving/module-objects.js";

/** Makes the initial value of a weight from its shape and dtype. */
export abstract class Initializer {
  /** Returns a new tensor of `shape` and `dtype` (default floatx). */
  abstract call(shape: number[], dtype?: DTypeLike): Tensor;

  /** The constructor arguments, snake_case, as Keras serializes them. */
  getConfig(): Record<string, unknown> {
    return {};
  }

  /**
   * Builds an initializer from `getConfig()`'s output (snake_case keys,
   * passed to the constructor as camelCase options).
   */
  static fromConfig(config: Record<string, unknown>): Initializer {
    return new (this as unknown as new (options: Record<string, unknown>) => Initializer)(configToOptions(config));
  }

  /** A new initializer of the same class and config. */
  clone(): Initializer {
    return (this.constructor as typeof Initializer).fromConfig(this.getConfig());
  }
}

/** A plain function used as an initializer. */
export type InitializerFn = (shape: number[], dtype?: DTypeLike) => Tensor;

/** What `initializers.get` accepts: a name (`"glorot_uniform"`), an Initializer, a function, or a serialized config. */
export type InitializerLike = string | Initializer | InitializerFn | SerializedObject;
