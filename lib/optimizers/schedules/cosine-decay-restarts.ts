/** CosineDecayRestarts: cosine decay with warm restarts (SGDR). */
import { tf, type Tensor } from "../../backend/tfjs.js";
import type { TensorLike } from "../../ops/convert.js";
import { registerBuiltin } from "../../saving/object-registration.js";
import { LearningRateSchedule, checkDecaySteps, isOptionsObject, requireNumber, stepToFloat } from "./learning-rate-schedule.js";

/** Options of CosineDecayRestarts (Keras's arguments, camelCased). */
export interface CosineDecayRestartsOptions {
  /** The learning rate at step 0. */
  initialLearningRate?: number;
  /** Length of the first period (> 0). */
  firstDecaySteps?: number;
  /** Factor on each period's length. Default 2.0. */
  tMul?: number;
  /** Factor on each period's initial rate. Default 1.0. */
  mMul?: number;
  /** The floor, as a fraction of the initial rate. Default 0.0. */
  alpha?: number;
  /** Default `"SGDRDecay"`. */
  name?: string;
}

/**
 * Keras's `CosineDecayRestarts` (Loshchilov & Hutter's SGDR): the cosine decay
 * of `CosineDecay` restarted after each period; period `i` lasts
 * `firstDecaySteps * tMul ** i` steps and starts at
 * `initialLearningRate * mMul ** i`.
 */
export class CosineDecayRestarts extends LearningRateSchedule {
  /** Keras's `initial_learning_rate` (see the constructor options for its default). */
  initialLearningRate: number;
  /** Keras's `first_decay_steps` (see the constructor options for its default). */
  firstDecaySteps: number;
  /** Keras's `t_mul` (see the constructor options for its default). */
  tMul: number;
  /** Keras's `m_mul` (see the constructor options for its default). */
  mMul: number;
  /** Keras's `alpha` (see the constructor options for its default). */
  alpha: number;
  /** Keras's `name` (see the constructor options for its default). */
  name: string;

  constructor(
    initialLearningRate: number | CosineDecayRestartsOptions,
    firstDecaySteps?: number,
    options: CosineDecayRestartsOptions = {},
  ) {
    super();
    const o: CosineDecayRestartsOptions = isOptionsObject(initialLearningRate)
      ? initialLearningRate
      : { ...options, initialLearningRate, firstDecaySteps };
    this.initialLearningRate = requireNumber(o.initialLearningRate, "CosineDecayRestarts", "initial_learning_rate");
    this.firstDecaySteps = requireNumber(o.firstDecaySteps, "CosineDecayRestarts", "first_decay_steps");
    this.tMul = o.tMul ?? 2.0;
    this.mMul = o.mMul ?? 1.0;
    this.alpha = o.alpha ?? 0.0;
    this.name = o.name ?? "SGDRDecay";
    checkDecaySteps(this.firstDecaySteps, "first_decay_steps");
  }

  override call(step: TensorLike): Tensor {
    return tf.tidy(() => {
      const initial = tf.scalar(this.initialLearningRate, "float32");
      const firstDecaySteps = tf.scalar(this.firstDecaySteps, "float32");
      const alpha = tf.scalar(this.alpha, "float32");
      const tMul = tf.scalar(this.tMul, "float32");
      const mMul = tf.scalar(this.mMul, "float32");
      let completedFraction = tf.div(stepToFloat(step), firstDecaySteps);
      let iRestart: Tensor;
      if (Math.fround(this.tMul) === 1.0) {
        iRestart = tf.floor(completedFraction);
        completedFraction = tf.sub(completedFraction, iRestart);
      } else {
        iRestart = tf.floor(tf.div(tf.log(tf.sub(1.0, tf.mul(completedFraction, tf.sub(1.0, tMul)))), tf.log(tMul)));
        const sumR = tf.div(tf.sub(1.0, tf.pow(tMul, iRestart)), tf.sub(1.0, tMul));
        completedFraction = tf.div(tf.sub(completedFraction, sumR), tf.pow(tMul, iRestart));
      }
      const mFac = tf.pow(mMul, iRestart);
      const cosineDecayed = tf.mul(
        tf.mul(0.5, mFac),
        tf.add(1.0, tf.cos(tf.mul(tf.scalar(Math.PI, "float32"), completedFraction))),
      );
      const decayed = tf.add(tf.mul(tf.sub(1, alpha), cosineDecayed), alpha);
      return tf.mul(initial, decayed);
    });
  }

  override getConfig(): Record<string, unknown> {
    return {
      initial_learning_rate: this.initialLearningRate,
      first_decay_steps: this.firstDecaySteps,
      t_mul: this.tMul,
      m_mul: this.mMul,
      alpha: this.alpha,
      name: this.name,
    };
  }
}

registerBuiltin("keras.optimizers.schedules", CosineDecayRestarts);
