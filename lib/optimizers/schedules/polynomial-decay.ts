/** PolynomialDecay: from `initialLearningRate` to `endLearningRate` along `(1 - step / decaySteps) ** power`. */
import { tf, type Tensor } from "../../backend/tfjs.js";
import type { TensorLike } from "../../ops/convert.js";
import { registerBuiltin } from "../../saving/object-registration.js";
import { LearningRateSchedule, checkDecaySteps, isOptionsObject, requireNumber, stepToFloat } from "./learning-rate-schedule.js";

/** Options of PolynomialDecay (Keras's arguments, camelCased). */
export interface PolynomialDecayOptions {
  /** The learning rate at step 0. */
  initialLearningRate?: number;
  /** Steps to reach `endLearningRate` (> 0). */
  decaySteps?: number;
  /** The final learning rate. Default 0.0001. */
  endLearningRate?: number;
  /** The polynomial's power. Default 1.0. */
  power?: number;
  /** Restart past `decaySteps` (with a period that grows to the next multiple). Default false. */
  cycle?: boolean;
  /** Default `"PolynomialDecay"`. */
  name?: string;
}

/**
 * Keras's `PolynomialDecay`:
 * `(initial - end) * (1 - min(step, decaySteps) / decaySteps) ** power + end`;
 * with `cycle`, `decaySteps` becomes `decaySteps * ceil(step / decaySteps)`
 * (1 at step 0).
 */
export class PolynomialDecay extends LearningRateSchedule {
  /** Keras's `initial_learning_rate` (see the constructor options for its default). */
  initialLearningRate: number;
  /** Keras's `decay_steps` (see the constructor options for its default). */
  decaySteps: number;
  /** Keras's `end_learning_rate` (see the constructor options for its default). */
  endLearningRate: number;
  /** Keras's `power` (see the constructor options for its default). */
  power: number;
  /** Keras's `cycle` (see the constructor options for its default). */
  cycle: boolean;
  /** Keras's `name` (see the constructor options for its default). */
  name: string;

  constructor(
    initialLearningRate: number | PolynomialDecayOptions,
    decaySteps?: number,
    options: PolynomialDecayOptions = {},
  ) {
    super();
    const o: PolynomialDecayOptions = isOptionsObject(initialLearningRate)
      ? initialLearningRate
      : { ...options, initialLearningRate, decaySteps };
    this.initialLearningRate = requireNumber(o.initialLearningRate, "PolynomialDecay", "initial_learning_rate");
    this.decaySteps = requireNumber(o.decaySteps, "PolynomialDecay", "decay_steps");
    this.endLearningRate = o.endLearningRate ?? 0.0001;
    this.power = o.power ?? 1.0;
    this.cycle = o.cycle ?? false;
    this.name = o.name ?? "PolynomialDecay";
    checkDecaySteps(this.decaySteps);
  }

  override call(step: TensorLike): Tensor {
    return tf.tidy(() => {
      const initial = tf.scalar(this.initialLearningRate, "float32");
      const end = tf.scalar(this.endLearningRate, "float32");
      const power = tf.scalar(this.power, "float32");
      let s = stepToFloat(step);
      let decaySteps = tf.scalar(this.decaySteps, "float32");
      if (this.cycle) {
        const multiplier = tf.where(tf.equal(s, 0), tf.scalar(1, "float32"), tf.ceil(tf.div(s, decaySteps)));
        decaySteps = tf.mul(decaySteps, multiplier);
      } else {
        s = tf.minimum(s, decaySteps);
      }
      const p = tf.div(s, decaySteps);
      return tf.add(tf.mul(tf.sub(initial, end), tf.pow(tf.sub(1, p), power)), end);
    });
  }

  override getConfig(): Record<string, unknown> {
    return {
      initial_learning_rate: this.initialLearningRate,
      decay_steps: this.decaySteps,
      end_learning_rate: this.endLearningRate,
      power: this.power,
      cycle: this.cycle,
      name: this.name,
    };
  }
}

registerBuiltin("keras.optimizers.schedules", PolynomialDecay);
