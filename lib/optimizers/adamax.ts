/** Adamax: Adam with the infinity norm. */
import { tf, type Tensor } from "../backend/tfjs.js";
import type { Variable } from "../backend/variable.js";
import { registerBuiltin } from "../saving/object-registration.js";
import { Optimizer, optimizerArgs, type LearningRateLike, type OptimizerOptions } from "./optimizer.js";

/** Options of Adamax. */
export interface AdamaxOptions extends OptimizerOptions {
  /** Decay rate of the first moment. Default 0.9. */
  beta1?: number;
  /** Decay rate of the exponentially weighted infinity norm. Default 0.999. */
  beta2?: number;
  /** Numerical stability constant. Default 1e-7. */
  epsilon?: number;
}

/**
 * Keras's `Adamax`: `m += (g - m) * (1 - beta1); u = max(beta2 * u, |g|);
 * w -= lr * m / ((1 - beta1^t) * (u + epsilon))`. Default learning rate 0.001.
 */
export class Adamax extends Optimizer {
  /** Keras's `beta_1` (see the constructor options for its default). */
  beta1: number;
  /** Keras's `beta_2` (see the constructor options for its default). */
  beta2: number;
  /** Keras's `epsilon` (see the constructor options for its default). */
  epsilon: number;
  protected _m: Variable[] = [];
  protected _u: Variable[] = [];

  constructor(learningRate?: LearningRateLike | AdamaxOptions, options?: AdamaxOptions) {
    const o = optimizerArgs<AdamaxOptions>(learningRate, options);
    super({ ...o, learningRate: o.learningRate ?? 0.001 });
    this.beta1 = o.beta1 ?? 0.9;
    this.beta2 = o.beta2 ?? 0.999;
    this.epsilon = o.epsilon ?? 1e-7;
  }

  override build(variables: readonly Variable[]): void {
    if (this.built) return;
    super.build(variables);
    [this._m, this._u] = this.addOptimizerVariables(variables, ["momentum", "norm"]);
  }

  override updateStep(gradient: Tensor, variable: Variable, learningRate: Tensor): void {
    const oneMinusBeta1Power = this.stepValue("adamax_1_minus_beta_1_power", () =>
      tf.sub(1, tf.pow(this.constant(this.beta1), this.localStep())),
    );
    const i = this.getVariableIndex(variable);
    const m = this._m[i];
    const u = this._u[i];
    this.assignAdd(m, tf.mul(tf.sub(gradient, m.value), this.constant(1 - this.beta1)));
    this.assign(u, tf.maximum(tf.mul(this.constant(this.beta2), u.value), tf.abs(gradient)));
    this.assignSub(
      variable,
      tf.div(tf.mul(learningRate, m.value), tf.mul(oneMinusBeta1Power, tf.add(u.value, this.constant(this.epsilon)))),
    );
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), beta_1: this.beta1, beta_2: this.beta2, epsilon: this.epsilon };
  }
}

registerBuiltin("keras.optimizers", Adamax);
