/** InverseTimeDecay: `initialLearningRate / (1 + decayRate * step / decaySteps)`. */
import { tf, type Tensor } from "../../backend/tfjs.js";
import type { TensorLike } from "../../ops/convert.js";
import { registerBuiltin } from "../../saving/object-registration.js";
import { LearningRateSchedule, checkDecaySteps, isOptionsObject, requireNumber, stepToFloat } from "./learning-rate-schedule.js";

/** Options of InverseTimeDecay (Keras's arguments, camelCased). */
export interface InverseTimeDecayOptions {
  /** The learning rate at step 0. */
  initialLearningRate?: number;
  /** How often to apply the decay (> 0). */
  decaySteps?: number;
  /** The decay rate. */
  decayRate?: number;
  /** Decay in discrete steps (`floor(step / decaySteps)`). Default false. */
  staircase?: boolean;
  /** Default `"InverseTimeDecay"`. */
  name?: string;
}

/**
 * Keras's `InverseTimeDecay`:
 * `initialLearningRate / (1 + decayRate * step / decaySteps)` (the ratio
 * floored when `staircase`).
 */
export class InverseTimeDecay extends LearningRateSchedule {
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
    initialLearningRate: number | InverseTimeDecayOptions,
    decaySteps?: number,
    decayRate?: number,
    options: InverseTimeDecayOptions = {},
  ) {
    super();
    const o: InverseTimeDecayOptions = isOptionsObject(initialLearningRate)
      ? initialLearningRate
      : { ...options, initialLearningRate, decaySteps, decayRate };
    this.initialLearningRate = requireNumber(o.initialLearningRate, "InverseTimeDecay", "initial_learning_rate");
    this.decaySteps = requireNumber(o.decaySteps, "InverseTimeDecay", "decay_steps");
    this.decayRate = requireNumber(o.decayRate, "InverseTimeDecay", "decay_rate");
    this.staircase = o.staircase ?? false;
    this.name = o.name ?? "InverseTimeDecay";
    checkDecaySteps(this.decaySteps);
  }

  override call(step: TensorLike): Tensor {
    return tf.tidy(() => {
      const s = stepToFloat(step);
      let p = tf.div(s, tf.scalar(this.decaySteps, "float32"));
      if (this.staircase) p = tf.floor(p);
      const denom = tf.add(tf.scalar(1, "float32"), tf.mul(tf.scalar(this.decayRate, "float32"), p));
      return tf.div(tf.scalar(this.initialLearningRate, "float32"), denom);
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

registerBuiltin("keras.optimizers.schedules", InverseTimeDecay);
