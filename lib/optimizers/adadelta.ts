/** Adadelta: adaptive learning rates from moving windows of gradient and update magnitudes. */
import { tf, type Tensor } from "../backend/tfjs.js";
import type { Variable } from "../backend/variable.js";
import { registerBuiltin } from "../saving/object-registration.js";
import { Optimizer, optimizerArgs, type LearningRateLike, type OptimizerOptions } from "./optimizer.js";

/** Options of Adadelta. */
export interface AdadeltaOptions extends OptimizerOptions {
  /** Decay rate of the running averages. Default 0.95. */
  rho?: number;
  /** Numerical stability constant. Default 1e-7. */
  epsilon?: number;
}

/**
 * Keras's `Adadelta`: `E[g²] = rho * E[g²] + (1 - rho) * g²;
 * d = -sqrt(E[d²] + eps) * g / sqrt(E[g²] + eps); E[d²] = rho * E[d²] + (1 - rho) * d²;
 * w += lr * d`. Default learning rate 0.001.
 */
export class Adadelta extends Optimizer {
  /** Keras's `rho` (see the constructor options for its default). */
  rho: number;
  /** Keras's `epsilon` (see the constructor options for its default). */
  epsilon: number;
  protected _accumulatedGrads: Variable[] = [];
  protected _accumulatedDeltaVars: Variable[] = [];

  constructor(learningRate?: LearningRateLike | AdadeltaOptions, options?: AdadeltaOptions) {
    const o = optimizerArgs<AdadeltaOptions>(learningRate, options);
    super({ ...o, learningRate: o.learningRate ?? 0.001 });
    this.rho = o.rho ?? 0.95;
    this.epsilon = o.epsilon ?? 1e-7;
  }

  override build(variables: readonly Variable[]): void {
    if (this.built) return;
    super.build(variables);
    [this._accumulatedGrads, this._accumulatedDeltaVars] = this.addOptimizerVariables(variables, [
      "accumulated_grad",
      "accumulated_delta_var",
    ]);
  }

  override updateStep(gradient: Tensor, variable: Variable, learningRate: Tensor): void {
    const i = this.getVariableIndex(variable);
    const accGrad = this._accumulatedGrads[i];
    const accDelta = this._accumulatedDeltaVars[i];
    const rho = this.constant(this.rho);
    const oneMinusRho = this.constant(1 - this.rho);
    const eps = this.constant(this.epsilon);
    const rms = (x: Tensor): Tensor => tf.sqrt(tf.add(x, eps));
    this.assign(accGrad, tf.add(tf.mul(rho, accGrad.value), tf.mul(oneMinusRho, tf.square(gradient))));
    const deltaVar = tf.neg(tf.div(tf.mul(rms(accDelta.value), gradient), rms(accGrad.value)));
    this.assign(accDelta, tf.add(tf.mul(rho, accDelta.value), tf.mul(oneMinusRho, tf.square(deltaVar))));
    this.assignAdd(variable, tf.mul(learningRate, deltaVar));
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), rho: this.rho, epsilon: this.epsilon };
  }
}

registerBuiltin("keras.optimizers", Adadelta);
