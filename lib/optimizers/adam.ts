/** Adam: adaptive first and second moment estimates (with optional AMSGrad). */
import { tf, type Tensor } from "../backend/tfjs.js";
import type { Variable } from "../backend/variable.js";
import { registerBuiltin } from "../saving/object-registration.js";
import { Optimizer, optimizerArgs, type LearningRateLike, type OptimizerOptions } from "./optimizer.js";
import { fusableAdamVariables, fusedAdamStep } from "./fused-adam.js";

/** Options of Adam. */
export interface AdamOptions extends OptimizerOptions {
  /** Decay rate of the first moment. Default 0.9. */
  beta1?: number;
  /** Decay rate of the second moment. Default 0.999. */
  beta2?: number;
  /** Numerical stability constant ("epsilon hat"). Default 1e-7. */
  epsilon?: number;
  /** Use the AMSGrad variant (keeps the max of the second moments). Default false. */
  amsgrad?: boolean;
}

/**
 * Keras's `Adam` (Kingma & Ba, 2014):
 * `m += (g - m) * (1 - beta1); v += (g² - v) * (1 - beta2);
 * w -= m * lr * sqrt(1 - beta2^t) / (1 - beta1^t) / (sqrt(v) + epsilon)`.
 * Default learning rate 0.001.
 */
export class Adam extends Optimizer {
  /** Keras's `beta_1` (see the constructor options for its default). */
  beta1: number;
  /** Keras's `beta_2` (see the constructor options for its default). */
  beta2: number;
  /** Keras's `epsilon` (see the constructor options for its default). */
  epsilon: number;
  /** Keras's `amsgrad` (see the constructor options for its default). */
  amsgrad: boolean;
  protected _momentums: Variable[] = [];
  protected _velocities: Variable[] = [];
  protected _velocityHats: Variable[] = [];

  constructor(learningRate?: LearningRateLike | AdamOptions, options?: AdamOptions) {
    const o = optimizerArgs<AdamOptions>(learningRate, options);
    super({ ...o, learningRate: o.learningRate ?? 0.001 });
    this.beta1 = o.beta1 ?? 0.9;
    this.beta2 = o.beta2 ?? 0.999;
    this.epsilon = o.epsilon ?? 1e-7;
    this.amsgrad = o.amsgrad ?? false;
  }

  override build(variables: readonly Variable[]): void {
    if (this.built) return;
    super.build(variables);
    [this._momentums, this._velocities] = this.addOptimizerVariables(variables, ["momentum", "velocity"]);
    if (this.amsgrad) this._velocityHats = this.addOptimizerVariables(variables, "velocity_hat");
  }

  /**
   * On the cpu and wasm backends, the variables' updates in one kernel
   * (lib/optimizers/fused-adam.ts; on wasm the small variables only); the
   * others, and everything for AMSGrad or a subclass with its own
   * `updateStep`, one `updateStep` per variable.
   */
  protected override backendUpdateStep(grads: Tensor[], variables: Variable[], learningRate: Tensor): void {
    const fused = !this.amsgrad && this.updateStep === Adam.prototype.updateStep ? fusableAdamVariables(grads, variables) : [];
    if (fused.length > 0) {
      const idx = fused.map((i) => this.getVariableIndex(variables[i]));
      fusedAdamStep({
        grads: fused.map((i) => grads[i]),
        variables: fused.map((i) => variables[i]),
        momentums: idx.map((i) => this._momentums[i]),
        velocities: idx.map((i) => this._velocities[i]),
        learningRate,
        iterations: this.stepIterations(),
        beta1: this.beta1,
        beta2: this.beta2,
        epsilon: this.epsilon,
      });
      if (fused.length === variables.length) return;
      const done = new Set(fused);
      const rest = variables.map((_, i) => i).filter((i) => !done.has(i));
      super.backendUpdateStep(
        rest.map((i) => grads[i]),
        rest.map((i) => variables[i]),
        learningRate,
      );
      return;
    }
    super.backendUpdateStep(grads, variables, learningRate);
  }

  override updateStep(gradient: Tensor, variable: Variable, learningRate: Tensor): void {
    const alpha = this.stepValue("adam_alpha", () => {
      const t = this.localStep();
      const beta1Power = tf.pow(this.constant(this.beta1), t);
      const beta2Power = tf.pow(this.constant(this.beta2), t);
      return tf.div(tf.mul(learningRate, tf.sqrt(tf.sub(1, beta2Power))), tf.sub(1, beta1Power));
    });
    const i = this.getVariableIndex(variable);
    const m = this._momentums[i];
    let v = this._velocities[i];
    this.assignAdd(m, tf.mul(tf.sub(gradient, m.value), this.constant(1 - this.beta1)));
    this.assignAdd(v, tf.mul(tf.sub(tf.square(gradient), v.value), this.constant(1 - this.beta2)));
    if (this.amsgrad) {
      const vHat = this._velocityHats[i];
      this.assign(vHat, tf.maximum(vHat.value, v.value));
      v = vHat;
    }
    this.assignSub(variable, tf.div(tf.mul(m.value, alpha), tf.add(tf.sqrt(v.value), this.constant(this.epsilon))));
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      beta_1: this.beta1,
      beta_2: this.beta2,
      epsilon: this.epsilon,
      amsgrad: this.amsgrad,
    };
  }
}

registerBuiltin("keras.optimizers", Adam);
