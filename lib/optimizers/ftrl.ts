/** Ftrl: Follow The Regularized Leader. */
import { tf, type Tensor } from "../backend/tfjs.js";
import type { Variable } from "../backend/variable.js";
import { registerBuiltin } from "../saving/object-registration.js";
import { Optimizer, optimizerArgs, type LearningRateLike, type OptimizerOptions } from "./optimizer.js";

/** Options of Ftrl. */
export interface FtrlOptions extends OptimizerOptions {
  /** How the learning rate decreases during training (<= 0). Default -0.5. */
  learningRatePower?: number;
  /** Starting value of the accumulators (>= 0). Default 0.1. */
  initialAccumulatorValue?: number;
  /** L1 regularization strength (>= 0). Default 0.0. */
  l1RegularizationStrength?: number;
  /** L2 regularization strength (>= 0). Default 0.0. */
  l2RegularizationStrength?: number;
  /** L2 shrinkage regularization (on the gradient, >= 0). Default 0.0. */
  l2ShrinkageRegularizationStrength?: number;
  /** The beta of the FTRL paper. Default 0.0. */
  beta?: number;
}

/** Keras's `Ftrl` (McMahan et al., 2013), with `accumulator` and `linear` slots. Default learning rate 0.001. */
export class Ftrl extends Optimizer {
  /** Keras's `learning_rate_power` (see the constructor options for its default). */
  learningRatePower: number;
  /** Keras's `initial_accumulator_value` (see the constructor options for its default). */
  initialAccumulatorValue: number;
  /** Keras's `l1_regularization_strength` (see the constructor options for its default). */
  l1RegularizationStrength: number;
  /** Keras's `l2_regularization_strength` (see the constructor options for its default). */
  l2RegularizationStrength: number;
  /** Keras's `l2_shrinkage_regularization_strength` (see the constructor options for its default). */
  l2ShrinkageRegularizationStrength: number;
  /** Keras's `beta` (see the constructor options for its default). */
  beta: number;
  protected _accumulators: Variable[] = [];
  protected _linears: Variable[] = [];

  constructor(learningRate?: LearningRateLike | FtrlOptions, options?: FtrlOptions) {
    const o = optimizerArgs<FtrlOptions>(learningRate, options);
    super({ ...o, learningRate: o.learningRate ?? 0.001 });
    const initialAccumulatorValue = o.initialAccumulatorValue ?? 0.1;
    const learningRatePower = o.learningRatePower ?? -0.5;
    const l1 = o.l1RegularizationStrength ?? 0.0;
    const l2 = o.l2RegularizationStrength ?? 0.0;
    const l2s = o.l2ShrinkageRegularizationStrength ?? 0.0;
    if (initialAccumulatorValue < 0) {
      throw new Error(
        `\`initial_accumulator_value\` needs to be positive or zero. Received: initial_accumulator_value=${initialAccumulatorValue}.`,
      );
    }
    if (learningRatePower > 0) {
      throw new Error(`\`learning_rate_power\` needs to be negative or zero. Received: learning_rate_power=${learningRatePower}.`);
    }
    if (l1 < 0) {
      throw new Error(`\`l1_regularization_strength\` needs to be positive or zero. Received: l1_regularization_strength=${l1}.`);
    }
    if (l2 < 0) {
      throw new Error(`\`l2_regularization_strength\` needs to be positive or zero. Received: l2_regularization_strength=${l2}.`);
    }
    if (l2s < 0) {
      throw new Error(
        `\`l2_shrinkage_regularization_strength\` needs to be positive or zero. Received: l2_shrinkage_regularization_strength=${l2s}.`,
      );
    }
    this.learningRatePower = learningRatePower;
    this.initialAccumulatorValue = initialAccumulatorValue;
    this.l1RegularizationStrength = l1;
    this.l2RegularizationStrength = l2;
    this.l2ShrinkageRegularizationStrength = l2s;
    this.beta = o.beta ?? 0.0;
  }

  override build(variables: readonly Variable[]): void {
    if (this.built) return;
    super.build(variables);
    [this._accumulators, this._linears] = this.addOptimizerVariables(
      variables,
      ["accumulator", "linear"],
      [this.initialAccumulatorValue, "zeros"],
    );
  }

  override updateStep(gradient: Tensor, variable: Variable, learningRate: Tensor): void {
    const lr = learningRate;
    const i = this.getVariableIndex(variable);
    const accum = this._accumulators[i];
    const linear = this._linears[i];
    const negPower = this.constant(-this.learningRatePower);
    const l2Reg = tf.add(this.constant(this.l2RegularizationStrength), tf.div(this.constant(this.beta), tf.mul(2.0, lr)));
    const gradToUse = tf.add(gradient, tf.mul(this.constant(2 * this.l2ShrinkageRegularizationStrength), variable.value));
    const newAccum = tf.add(accum.value, tf.square(gradient));
    const newAccumPow = tf.pow(newAccum, negPower);
    this.assignAdd(
      linear,
      tf.sub(gradToUse, tf.mul(tf.div(tf.sub(newAccumPow, tf.pow(accum.value, negPower)), lr), variable.value)),
    );
    const quadratic = tf.add(tf.div(newAccumPow, lr), tf.mul(2, l2Reg));
    const l1 = this.l1RegularizationStrength;
    const linearClipped = tf.clipByValue(linear.value, -l1, l1);
    this.assign(variable, tf.div(tf.sub(linearClipped, linear.value), quadratic));
    this.assign(accum, newAccum);
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      learning_rate_power: this.learningRatePower,
      initial_accumulator_value: this.initialAccumulatorValue,
      l1_regularization_strength: this.l1RegularizationStrength,
      l2_regularization_strength: this.l2RegularizationStrength,
      l2_shrinkage_regularization_strength: this.l2ShrinkageRegularizationStrength,
      beta: this.beta,
    };
  }
}

registerBuiltin("keras.optimizers", Ftrl);
