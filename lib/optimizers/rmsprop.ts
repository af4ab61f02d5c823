/** RMSprop: divide the gradient by a moving average of its magnitude. */
import { tf, type Tensor } from "../backend/tfjs.js";
import type { Variable } from "../backend/variable.js";
import { registerBuiltin } from "../saving/object-registration.js";
import { Optimizer, optimizerArgs, type LearningRateLike, type OptimizerOptions } from "./optimizer.js";

/** Options of RMSprop. */
export interface RMSpropOptions extends OptimizerOptions {
  /** Discounting factor of the squared-gradient average. Default 0.9. */
  rho?: number;
  /** Momentum (> 0 adds a `momentum` slot). Default 0.0. */
  momentum?: number;
  /** Numerical stability constant. Default 1e-7. */
  epsilon?: number;
  /** Normalize by the estimated variance instead of the second moment. Default false. */
  centered?: boolean;
}

/**
 * Keras's `RMSprop`: `v = rho * v + (1 - rho) * g²`;
 * `w -= lr * g / sqrt(v + epsilon)` (centered: `sqrt(v - mean(g)² + epsilon)`),
 * through a momentum slot when `momentum > 0`. Default learning rate 0.001.
 */
export class RMSprop extends Optimizer {
  /** Keras's `rho` (see the constructor options for its default). */
  rho: number;
  /** Keras's `momentum` (see the constructor options for its default). */
  momentum: number;
  /** Keras's `epsilon` (see the constructor options for its default). */
  epsilon: number;
  /** Keras's `centered` (see the constructor options for its default). */
  centered: boolean;
  protected _velocities: Variable[] = [];
  protected _momentums: Variable[] = [];
  protected _averageGradients: Variable[] = [];

  constructor(learningRate?: LearningRateLike | RMSpropOptions, options?: RMSpropOptions) {
    const o = optimizerArgs<RMSpropOptions>(learningRate, options);
    super({ ...o, learningRate: o.learningRate ?? 0.001 });
    this.rho = o.rho ?? 0.9;
    this.momentum = o.momentum ?? 0.0;
    this.epsilon = o.epsilon ?? 1e-7;
    this.centered = o.centered ?? false;
  }

  override build(variables: readonly Variable[]): void {
    if (this.built) return;
    super.build(variables);
    this._velocities = this.addOptimizerVariables(variables, "velocity");
    this._momentums = this.momentum > 0 ? this.addOptimizerVariables(variables, "momentum") : [];
    this._averageGradients = this.centered ? this.addOptimizerVariables(variables, "average_gradient") : [];
  }

  override updateStep(gradient: Tensor, variable: Variable, learningRate: Tensor): void {
    const i = this.getVariableIndex(variable);
    const velocity = this._velocities[i];
    const rho = this.constant(this.rho);
    const oneMinusRho = this.constant(1 - this.rho);
    const eps = this.constant(this.epsilon);
    this.assign(velocity, tf.add(tf.mul(rho, velocity.value), tf.mul(oneMinusRho, tf.square(gradient))));
    let denominator: Tensor;
    if (this.centered) {
      const avg = this._averageGradients[i];
      this.assign(avg, tf.add(tf.mul(rho, avg.value), tf.mul(oneMinusRho, gradient)));
      denominator = tf.add(tf.sub(velocity.value, tf.square(avg.value)), eps);
    } else {
      denominator = tf.add(velocity.value, eps);
    }
    const increment = tf.div(tf.mul(learningRate, gradient), tf.sqrt(denominator));
    if (this.momentum > 0) {
      const m = this._momentums[i];
      this.assign(m, tf.add(tf.mul(this.constant(this.momentum), m.value), increment));
      this.assignSub(variable, m.value);
    } else {
      this.assignSub(variable, increment);
    }
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      rho: this.rho,
      momentum: this.momentum,
      epsilon: this.epsilon,
      centered: this.centered,
    };
  }
}

registerBuiltin("keras.optimizers", RMSprop);
