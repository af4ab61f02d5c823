/** Nadam: Adam with Nesterov momentum. */
import { tf, type Tensor } from "../backend/tfjs.js";
import { Variable } from "../backend/variable.js";
import { registerBuiltin } from "../saving/object-registration.js";
import { autoName } from "../utils/naming.js";
import { Optimizer, optimizerArgs, type LearningRateLike, type OptimizerOptions } from "./optimizer.js";

/** Options of Nadam. */
export interface NadamOptions extends OptimizerOptions {
  /** Decay rate of the first moment. Default 0.9. */
  beta1?: number;
  /** Decay rate of the second moment. Default 0.999. */
  beta2?: number;
  /** Numerical stability constant. Default 1e-7. */
  epsilon?: number;
}

/**
 * Keras's `Nadam` (Dozat, 2015), with the momentum schedule
 * `u_t = beta1 * (1 - 0.5 * 0.96^t)` and its running product kept in an
 * extra variable. Default learning rate 0.001.
 */
export class Nadam extends Optimizer {
  /** Keras's `beta_1` (see the constructor options for its default). */
  beta1: number;
  /** Keras's `beta_2` (see the constructor options for its default). */
  beta2: number;
  /** Keras's `epsilon` (see the constructor options for its default). */
  epsilon: number;
  protected _momentums: Variable[] = [];
  protected _velocities: Variable[] = [];
  protected _uProduct: Variable | null = null;

  constructor(learningRate?: LearningRateLike | NadamOptions, options?: NadamOptions) {
    const o = optimizerArgs<NadamOptions>(learningRate, options);
    super({ ...o, learningRate: o.learningRate ?? 0.001 });
    this.beta1 = o.beta1 ?? 0.9;
    this.beta2 = o.beta2 ?? 0.999;
    this.epsilon = o.epsilon ?? 1e-7;
  }

  override build(variables: readonly Variable[]): void {
    if (this.built) return;
    const dtype = variables.length > 0 ? variables[0].dtype : "float32";
    super.build(variables);
    [this._momentums, this._velocities] = this.addOptimizerVariables(variables, ["momentum", "velocity"]);
    const init = tf.scalar(1.0, dtype);
    try {
      this._uProduct = this.trackVariable(new Variable(init, { name: autoName("Variable"), dtype, trainable: false }));
    } finally {
      init.dispose();
    }
  }

  protected override backendUpdateStep(grads: Tensor[], variables: Variable[], learningRate: Tensor): void {
    const u = this._uProduct;
    if (u === null) throw new Error("Nadam: build() must run before the update.");
    tf.tidy(() => {
      const decayPower = tf.pow(this.constant(0.96), this.localStep());
      this.assign(
        u,
        tf.mul(tf.mul(u.value, this.constant(this.beta1)), tf.sub(this.constant(1), tf.mul(this.constant(0.5), decayPower))),
      );
    });
    super.backendUpdateStep(grads, variables, learningRate);
  }

  override updateStep(gradient: Tensor, variable: Variable, learningRate: Tensor): void {
    const uProduct = this._uProduct;
    if (uProduct === null) throw new Error("Nadam: build() must run before the update.");
    const beta1 = this.constant(this.beta1);
    const beta2 = this.constant(this.beta2);
    const s = this.stepValue("nadam", () => {
      const localStep = this.localStep();
      const nextStep = tf.add(localStep, this.constant(1));
      const decay = this.constant(0.96);
      const uT = tf.mul(beta1, tf.sub(1.0, tf.mul(0.5, tf.pow(decay, localStep))));
      const uT1 = tf.mul(beta1, tf.sub(1.0, tf.mul(0.5, tf.pow(decay, nextStep))));
      const uProductT = uProduct.value;
      const uProductT1 = tf.mul(uProductT, uT1);
      const beta2Power = tf.pow(beta2, localStep);
      return tf.stack([uT, uT1, tf.sub(1, uProductT1), tf.sub(1, uProductT), tf.sub(1, beta2Power)]);
    });
    const [uT, uT1, oneMinusUProductT1, oneMinusUProductT, oneMinusBeta2Power] = tf.unstack(s);
    const i = this.getVariableIndex(variable);
    const m = this._momentums[i];
    const v = this._velocities[i];
    this.assignAdd(m, tf.mul(tf.sub(gradient, m.value), tf.sub(1, beta1)));
    this.assignAdd(v, tf.mul(tf.sub(tf.square(gradient), v.value), tf.sub(1, beta2)));
    const mHat = tf.add(
      tf.div(tf.mul(uT1, m.value), oneMinusUProductT1),
      tf.div(tf.mul(tf.sub(1, uT), gradient), oneMinusUProductT),
    );
    const vHat = tf.div(v.value, oneMinusBeta2Power);
    this.assignSub(variable, tf.div(tf.mul(mHat, learningRate), tf.add(tf.sqrt(vHat), this.constant(this.epsilon))));
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), beta_1: this.beta1, beta_2: this.beta2, epsilon: this.epsilon };
  }
}

registerBuiltin("keras.optimizers", Nadam);
