/** SGD: gradient descent with optional (Nesterov) momentum. */
import { tf, type Tensor } from "../backend/tfjs.js";
import type { Variable } from "../backend/variable.js";
import { registerBuiltin } from "../saving/object-registration.js";
import { Optimizer, optimizerArgs, type LearningRateLike, type OptimizerOptions } from "./optimizer.js";

/** Options of SGD. */
export interface SGDOptions extends OptimizerOptions {
  /** Momentum in [0, 1]; 0 is plain gradient descent. Default 0.0. */
  momentum?: number;
  /** Use Nesterov momentum. Default false. */
  nesterov?: boolean;
}

/**
 * Keras's `SGD`. Without momentum `w -= lr * g`; with momentum
 * `m = momentum * m - lr * g; w += m`, and with Nesterov
 * `w += momentum * m - lr * g`. Default learning rate 0.01.
 */
export class SGD extends Optimizer {
  /** Keras's `momentum` (see the constructor options for its default). */
  momentum: number;
  /** Keras's `nesterov` (see the constructor options for its default). */
  nesterov: boolean;
  /** The `momentum` slots (empty when momentum is 0). */
  momentums: Variable[] = [];

  constructor(learningRate?: LearningRateLike | SGDOptions, options?: SGDOptions) {
    const o = optimizerArgs<SGDOptions>(learningRate, options);
    super({ ...o, learningRate: o.learningRate ?? 0.01 });
    const momentum = o.momentum ?? 0.0;
    if (typeof momentum !== "number" || momentum < 0 || momentum > 1) {
      throw new Error("`momentum` must be a float between [0, 1].");
    }
    this.momentum = momentum;
    this.nesterov = o.nesterov ?? false;
  }

  override build(variables: readonly Variable[]): void {
    if (this.built) return;
    super.build(variables);
    this.momentums = [];
    if (this.momentum !== 0) this.momentums = this.addOptimizerVariables(variables, "momentum");
  }

  override updateStep(gradient: Tensor, variable: Variable, learningRate: Tensor): void {
    const lr = learningRate;
    if (this.momentum !== 0) {
      const m = this.momentums[this.getVariableIndex(variable)];
      const momentum = this.constant(this.momentum);
      this.assign(m, tf.sub(tf.mul(m.value, momentum), tf.mul(gradient, lr)));
      if (this.nesterov) {
        this.assignAdd(variable, tf.sub(tf.mul(m.value, momentum), tf.mul(gradient, lr)));
      } else {
        this.assignAdd(variable, m.value);
      }
    } else {
      this.assignSub(variable, tf.mul(gradient, lr));
    }
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), momentum: this.momentum, nesterov: this.nesterov };
  }
}

registerBuiltin("keras.optimizers", SGD);
