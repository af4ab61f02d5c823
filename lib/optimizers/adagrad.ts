/** Adagrad: per-parameter learning rates from the sum of squared gradients. */
import { tf, type Tensor } from "../backend/tfjs.js";
import type { Variable } from "../backend/variable.js";
import { registerBuiltin } from "../saving/object-registration.js";
import { Optimizer, optimizerArgs, type LearningRateLike, type OptimizerOptions } from "./optimizer.js";

/** Options of Adagrad. */
export interface AdagradOptions extends OptimizerOptions {
  /** Starting value of the accumulators (>= 0). Default 0.1. */
  initialAccumulatorValue?: number;
  /** Numerical stability constant. Default 1e-7. */
  epsilon?: number;
}

/**
 * Keras's `Adagrad`: `acc += g²; w -= lr * g / sqrt(acc + epsilon)`.
 * Default learning rate 0.001.
 */
export class Adagrad extends Optimizer {
  /** Keras's `initial_accumulator_value` (see the constructor options for its default). */
  initialAccumulatorValue: number;
  /** Keras's `epsilon` (see the constructor options for its default). */
  epsilon: number;
  protected _accumulators: Variable[] = [];

  constructor(learningRate?: LearningRateLike | AdagradOptions, options?: AdagradOptions) {
    const o = optimizerArgs<AdagradOptions>(learningRate, options);
    super({ ...o, learningRate: o.learningRate ?? 0.001 });
    this.initialAccumulatorValue = o.initialAccumulatorValue ?? 0.1;
    this.epsilon = o.epsilon ?? 1e-7;
  }

  override build(variables: readonly Variable[]): void {
    if (this.built) return;
    super.build(variables);
    this._accumulators = this.addOptimizerVariables(variables, "accumulator", this.initialAccumulatorValue);
  }

  override updateStep(gradient: Tensor, variable: Variable, learningRate: Tensor): void {
    const acc = this._accumulators[this.getVariableIndex(variable)];
    this.assignAdd(acc, tf.square(gradient));
    this.assignSub(
      variable,
      tf.div(tf.mul(learningRate, gradient), tf.sqrt(tf.add(acc.value, this.constant(this.epsilon)))),
    );
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      initial_accumulator_value: this.initialAccumulatorValue,
      epsilon: this.epsilon,
    };
  }
}

registerBuiltin("keras.optimizers", Adagrad);
