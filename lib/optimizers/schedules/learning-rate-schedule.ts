/**
 * The LearningRateSchedule base (Keras's
 * `keras.optimizers.schedules.LearningRateSchedule`): a serializable
 * function from the optimizer's step to a learning rate.
 */
import { tf, type Tensor } from "../../backend/tfjs.js";
import { convertToTensor, type TensorLike } from "../../ops/convert.js";
import { configToOptions } from "../../saving/module-objects.js";
import { registerBuiltin } from "../../saving/object-registration.js";

/**
 * A learning rate that changes with the training step. Subclasses implement
 * `call(step)` (a scalar tensor the caller owns) and `getConfig()`.
 *
 * ```ts
 * class MySchedule extends LearningRateSchedule {
 *   call(step: TensorLike) { return tf.div(0.1, tf.add(1, tf.cast(toTensor(step), "float32"))); }
 *   getConfig() { return {}; }
 * }
 * ```
 */
export abstract class LearningRateSchedule {
  /** The learning rate at `step` (a number or an int/float scalar tensor), as a new float32 scalar tensor. */
  abstract call(step: TensorLike): Tensor;

  /** The constructor arguments with Keras's snake_case keys. */
  getConfig(): Record<string, unknown> {
    throw new Error(
      `Learning rate schedule '${this.constructor.name}' must override \`getConfig()\` in order to be serializable.`,
    );
  }

  /** Builds a schedule from `getConfig()`'s output (snake_case keys become camelCase options). */
  static fromConfig(config: Record<string, unknown>): LearningRateSchedule {
    return new (this as unknown as new (options: Record<string, unknown>) => LearningRateSchedule)(
      configToOptions(config),
    );
  }
}

registerBuiltin("keras.optimizers.schedules", LearningRateSchedule);

/** `step` as a float32 scalar tensor (Keras's `ops.cast(step, dtype)`). */
export function stepToFloat(step: TensorLike): Tensor {
  const t = convertToTensor(step);
  if (t.dtype === "float32") return t;
  const c = tf.cast(t, "float32");
  if (t !== step) t.dispose();
  return c;
}

/** Throws Keras's error for a non-positive `decay_steps`. */
export function checkDecaySteps(value: number, argName = "decay_steps"): void {
  if (!(value > 0)) throw new Error(`Argument \`${argName}\` must be > 0. Received: ${argName}=${value}`);
}

/** Picks the options object out of `(firstPositional | options, ...)` constructor arguments. */
export function isOptionsObject(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x) && !(x instanceof tf.Tensor);
}

/** Reads a required number option, with Keras's message when it is missing. */
export function requireNumber(value: unknown, cls: string, arg: string): number {
  if (typeof value !== "number" || Number.isNaN(value)) {
    throw new Error(`${cls}: argument \`${arg}\` must be a number. Received: ${arg}=${String(value)}`);
  }
  return value;
}
