/** CosineDecay: a cosine curve from the (warmed-up) learning rate down to `alpha` of it. */
import { tf, type Tensor } from "../../backend/tfjs.js";
import type { TensorLike } from "../../ops/convert.js";
import { registerBuiltin } from "../../saving/object-registration.js";
import { LearningRateSchedule, checkDecaySteps, isOptionsObject, requireNumber, stepToFloat } from "./learning-rate-schedule.js";

/** Options of CosineDecay (Keras's arguments, camelCased). */
export interface CosineDecayOptions {
  /** The learning rate at step 0 (the start of warmup when there is one). */
  initialLearningRate?: number;
  /** Steps of the cosine decay (> 0). */
  decaySteps?: number;
  /** The floor, as a fraction of the decayed-from rate. Default 0.0. */
  alpha?: number;
  /** Default `"CosineDecay"`. */
  name?: string;
  /** The rate reached at the end of a linear warmup; null (default) means no warmup. */
  warmupTarget?: number | null;
  /** Steps of linear warmup. Default 0. */
  warmupSteps?: number;
}

/**
 * Keras's `CosineDecay` (SGDR without restarts), with optional linear warmup:
 * for `step < warmupSteps` the rate goes linearly from `initialLearningRate`
 * to `warmupTarget`; then it decays from `warmupTarget` (or
 * `initialLearningRate` without warmup) as
 * `lr * ((1 - alpha) * 0.5 * (1 + cos(pi * t / decaySteps)) + alpha)`, with
 * `t` capped at `decaySteps`.
 */
export class CosineDecay extends LearningRateSchedule {
  /** Keras's `initial_learning_rate` (see the constructor options for its default). */
  initialLearningRate: number;
  /** Keras's `decay_steps` (see the constructor options for its default). */
  decaySteps: number;
  /** Keras's `alpha` (see the constructor options for its default). */
  alpha: number;
  /** Keras's `name` (see the constructor options for its default). */
  name: string;
  /** Keras's `warmup_target` (see the constructor options for its default). */
  warmupTarget: number | null;
  /** Keras's `warmup_steps` (see the constructor options for its default). */
  warmupSteps: number;

  constructor(initialLearningRate: number | CosineDecayOptions, decaySteps?: number, options: CosineDecayOptions = {}) {
    super();
    const o: CosineDecayOptions = isOptionsObject(initialLearningRate)
      ? initialLearningRate
      : { ...options, initialLearningRate, decaySteps };
    this.initialLearningRate = requireNumber(o.initialLearningRate, "CosineDecay", "initial_learning_rate");
    this.decaySteps = requireNumber(o.decaySteps, "CosineDecay", "decay_steps");
    this.alpha = o.alpha ?? 0.0;
    this.name = o.name ?? "CosineDecay";
    this.warmupSteps = o.warmupSteps ?? 0;
    this.warmupTarget = o.warmupTarget ?? null;
    checkDecaySteps(this.decaySteps);
  }

  private decayFunction(step: Tensor, decaySteps: Tensor, decayFromLr: Tensor): Tensor {
    const completedFraction = tf.div(step, decaySteps);
    const pi = tf.scalar(Math.PI, "float32");
    const cosineDecayed = tf.mul(0.5, tf.add(1.0, tf.cos(tf.mul(pi, completedFraction))));
    const decayed = tf.add(tf.mul(tf.scalar(1 - this.alpha, "float32"), cosineDecayed), tf.scalar(this.alpha, "float32"));
    return tf.mul(decayFromLr, decayed);
  }

  override call(step: TensorLike): Tensor {
    return tf.tidy(() => {
      const initial = tf.scalar(this.initialLearningRate, "float32");
      const decaySteps = tf.scalar(this.decaySteps, "float32");
      let s = stepToFloat(step);
      if (this.warmupTarget === null) {
        s = tf.minimum(s, decaySteps);
        return this.decayFunction(s, decaySteps, initial);
      }
      const warmupTarget = tf.scalar(this.warmupTarget, "float32");
      const warmupSteps = tf.scalar(this.warmupSteps, "float32");
      s = tf.minimum(s, tf.add(decaySteps, warmupSteps));
      // Keras's ops.cond, evaluated on both branches and selected without a read-back.
      const warm = tf.add(tf.mul(tf.sub(warmupTarget, initial), tf.div(s, warmupSteps)), initial);
      const decayed = this.decayFunction(tf.sub(s, warmupSteps), decaySteps, warmupTarget);
      return tf.where(tf.less(s, warmupSteps), warm, decayed);
    });
  }

  override getConfig(): Record<string, unknown> {
    return {
      initial_learning_rate: this.initialLearningRate,
      decay_steps: this.decaySteps,
      alpha: this.alpha,
      name: this.name,
      warmup_target: this.warmupTarget,
      warmup_steps: this.warmupSteps,
    };
  }
}

registerBuiltin("keras.optimizers.schedules", CosineDecay);
