/** Lion: sign-based updates from interpolated momentum. */
import { tf, type Tensor } from "../backend/tfjs.js";
import type { Variable } from "../backend/variable.js";
import { registerBuiltin } from "../saving/object-registration.js";
import { Optimizer, optimizerArgs, type LearningRateLike, type OptimizerOptions } from "./optimizer.js";

/** Options of Lion. */
export interface LionOptions extends OptimizerOptions {
  /** Interpolation of momentum and gradient for the update, in (0, 1]. Default 0.9. */
  beta1?: number;
  /** Decay rate of the momentum. Default 0.99. */
  beta2?: number;
}

/**
 * Keras's `Lion` (Chen et al., 2023):
 * `w -= lr * sign(beta1 * m + (1 - beta1) * g); m = beta2 * m + (1 - beta2) * g`.
 * Default learning rate 0.001.
 */
export class Lion extends Optimizer {
  /** Keras's `beta_1` (see the constructor options for its default). */
  beta1: number;
  /** Keras's `beta_2` (see the constructor options for its default). */
  beta2: number;
  protected _momentums: Variable[] = [];

  constructor(learningRate?: LearningRateLike | LionOptions, options?: LionOptions) {
    const o = optimizerArgs<LionOptions>(learningRate, options);
    super({ ...o, learningRate: o.learningRate ?? 0.001 });
    this.beta1 = o.beta1 ?? 0.9;
    this.beta2 = o.beta2 ?? 0.99;
    if (this.beta1 <= 0 || this.beta1 > 1) {
      throw new Error(
        "Argument `beta_1` must be in the [0, 1] range. Otherwise, the optimizer degenerates to SignSGD. " +
          `Received: beta_1=${this.beta1}.`,
      );
    }
  }

  override build(variables: readonly Variable[]): void {
    if (this.built) return;
    super.build(variables);
    this._momentums = this.addOptimizerVariables(variables, "momentum");
  }

  override updateStep(gradient: Tensor, variable: Variable, learningRate: Tensor): void {
    const beta1 = this.constant(this.beta1);
    const beta2 = this.constant(this.beta2);
    const m = this._momentums[this.getVariableIndex(variable)];
    this.assignSub(
      variable,
      tf.mul(learningRate, tf.sign(tf.add(tf.mul(m.value, beta1), tf.mul(gradient, tf.sub(1.0, beta1))))),
    );
    this.assign(m, tf.add(tf.mul(m.value, beta2), tf.mul(gradient, tf.sub(1.0, beta2))));
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), beta_1: this.beta1, beta_2: this.beta2 };
  }
}

registerBuiltin("keras.optimizers", Lion);
