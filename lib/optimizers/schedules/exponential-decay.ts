/** ExponentialDecay: `initialLearningRate * decayRate ** (step / decaySteps)`. */
import { tf, type Tensor } from "../../backend/tfjs.js";
import type { TensorLike } from "../../ops/convert.js";
import { registerBuiltin } from "../../saving/object-registration.js";
import { LearningRateSchedule, checkDecaySteps, isOptionsObject, requireNumber, stepToFloat } from "./learning-rate-schedule.js";

/** Options of ExponentialDecay (Keras's arguments, camelCased). */
export interface ExponentialDecayOptions {
  /** The learning rate at step 0. */
  initialLearningRate?: number;
  /** Steps per decay period (> 0). */
  decaySteps?: number;
  /** Factor applied per period. */
  decayRate?: number;
  /** Decay in discrete steps (`floor(step / decaySteps)`). Default false. */
  staircase?: boolean;
  /** Default `"ExponentialDecay"`. */
  name?: string;
}

/**
 * Keras's `ExponentialDecay`:
 * `initialLearningRate * decayRate ** (step / decaySteps)` (the exponent
 * floored when `staircase`).
 *
 * ```ts
 * new ExponentialDecay(0.1, 1000, 0.96)  // or new ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 1000, decayRate: 0.96 })
 * ```
 */
export class ExponentialDecay extends LearningRateSchedule {
  /** Keras's `initial_learning_rate` (see the constructor options for its default). */
  initialLearningRate: number;
  /** Keras's `decay_steps` (see the constructor options for its default). */
  decaySteps: number;
  /** Keras's `decay_rate` (see the constructor options for its default). */
  decayRate: number;
  /** Keras's `staircase` (see the constructor options for its default). */
  staircase: boolean;
  /** Keras's `name` (see the constructor options for its default). */
  name: string;

  constructor(
    initialLearningRate: number | ExponentialDecayOptions,
    decaySteps?: number,
    decayRate?: number,
    options: ExponentialDecayOptions = {},
  ) {
    super();
    const o: ExponentialDecayOptions = isOptionsObject(initialLearningRate)
      ? initialLearningRate
      : { ...options, initialLearningRate, decaySteps, decayRate };
    this.initialLearningRate = requireNumber(o.initialLearningRate, "ExponentialDecay", "initial_learning_rate");
    this.decaySteps = requireNumber(o.decaySteps, "ExponentialDecay", "decay_steps");
    this.decayRate = requireNumber(o.decayRate, "ExponentialDecay", "decay_rate");
    this.staircase = o.staircase ?? false;
    this.name = o.name ?? "ExponentialDecay";
    checkDecaySteps(this.decaySteps);
  }

  override call(step: TensorLike): Tensor {
    return tf.tidy(() => {
      const s = stepToFloat(step);
      let p = tf.div(s, tf.scalar(this.decaySteps, "float32"));
      if (this.staircase) p = tf.floor(p);
      return tf.mul(tf.scalar(this.initialLearningRate, "float32"), tf.pow(tf.scalar(this.decayRate, "float32"), p));
    });
  }

  override getConfig(): Record<string, unknown> {
    return {
      initial_learning_rate: this.initialLearningRate,
      decay_steps: this.decaySteps,
      decay_rate: this.decayRate,
      staircase: this.staircase,
      name: this.name,
    };
  }
}

registerBuiltin("keras.optimizers.schedules", ExponentialDecay);
