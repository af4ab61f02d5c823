/** Lamb: Adam with layer-wise trust ratios. */
import { tf, type Tensor } from "../backend/tfjs.js";
import type { Variable } from "../backend/variable.js";
import { registerBuiltin } from "../saving/object-registration.js";
import { Optimizer, optimizerArgs, type LearningRateLike, type OptimizerOptions } from "./optimizer.js";

/** Options of Lamb. */
export interface LambOptions extends OptimizerOptions {
  /** Decay rate of the first moment. Default 0.9. */
  beta1?: number;
  /** Decay rate of the second moment. Default 0.999. */
  beta2?: number;
  /** Numerical stability constant. Default 1e-7. */
  epsilon?: number;
}

/**
 * Keras's `Lamb` (You et al., 2019): the bias-corrected Adam direction
 * `u = m̂ / (sqrt(v̂) + eps)` scaled per variable by `‖w‖ / ‖u‖` (1 when either
 * norm is 0). Default learning rate 0.001.
 */
export class Lamb extends Optimizer {
  /** Keras's `beta_1` (see the constructor options for its default). */
  beta1: number;
  /** Keras's `beta_2` (see the constructor options for its default). */
  beta2: number;
  /** Keras's `epsilon` (see the constructor options for its default). */
  epsilon: number;
  protected _momentums: Variable[] = [];
  protected _velocities: Variable[] = [];

  constructor(learningRate?: LearningRateLike | LambOptions, options?: LambOptions) {
    const o = optimizerArgs<LambOptions>(learningRate, options);
    super({ ...o, learningRate: o.learningRate ?? 0.001 });
    this.beta1 = o.beta1 ?? 0.9;
    this.beta2 = o.beta2 ?? 0.999;
    this.epsilon = o.epsilon ?? 1e-7;
  }

  override build(variables: readonly Variable[]): void {
    if (this.built) return;
    super.build(variables);
    [this._momentums, this._velocities] = this.addOptimizerVariables(variables, ["momentum", "velocity"]);
  }

  override updateStep(gradient: Tensor, variable: Variable, learningRate: Tensor): void {
    const s = this.stepValue("lamb", () => {
      const t = this.localStep();
      return tf.stack([
        tf.sub(1.0, tf.pow(this.constant(this.beta1), t)),
        tf.sub(1.0, tf.pow(this.constant(this.beta2), t)),
      ]);
    });
    const [oneMinusBeta1Power, oneMinusBeta2Power] = tf.unstack(s);
    const i = this.getVariableIndex(variable);
    const m = this._momentums[i];
    const v = this._velocities[i];
    this.assignAdd(m, tf.mul(tf.sub(gradient, m.value), this.constant(1 - this.beta1)));
    this.assignAdd(v, tf.mul(tf.sub(tf.square(gradient), v.value), this.constant(1 - this.beta2)));
    const mTHat = tf.div(m.value, oneMinusBeta1Power);
    const vSqrt = tf.add(tf.sqrt(tf.div(v.value, oneMinusBeta2Power)), this.constant(this.epsilon));
    const update = tf.div(mTHat, vSqrt);
    const wNorm = tf.sqrt(tf.sum(tf.pow(variable.value, 2)));
    const gNorm = tf.sqrt(tf.sum(tf.pow(update, 2)));
    const one = this.constant(1);
    const ratio = tf.where(tf.greater(wNorm, 0), tf.where(tf.greater(gNorm, 0), tf.div(wNorm, gNorm), one), one);
    this.assignSub(variable, tf.mul(tf.mul(ratio, learningRate), update));
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), beta_1: this.beta1, beta_2: this.beta2, epsilon: this.epsilon };
  }
}

registerBuiltin("keras.optimizers", Lamb);
