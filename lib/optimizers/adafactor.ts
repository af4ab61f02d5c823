/** Adafactor: factored second moments for memory-light adaptive updates. */
import { tf, type Tensor } from "../backend/tfjs.js";
import { Variable } from "../backend/variable.js";
import { registerBuiltin } from "../saving/object-registration.js";
import { LearningRateSchedule } from "./schedules/learning-rate-schedule.js";
import { Optimizer, optimizerArgs, type LearningRateLike, type OptimizerOptions } from "./optimizer.js";

/** Options of Adafactor. */
export interface AdafactorOptions extends OptimizerOptions {
  /** Decay exponent of the second-moment rate: `beta2_t = 1 - t^beta2Decay`. Default -0.8. */
  beta2Decay?: number;
  /** Added to squared gradients. Default 1e-30. */
  epsilon1?: number;
  /** Floor of the parameter scale. Default 1e-3. */
  epsilon2?: number;
  /** Clip the update's RMS at this. Default 1.0. */
  clipThreshold?: number;
  /** Cap the learning rate at `1 / sqrt(t)` (when it is a number). Default true. */
  relativeStep?: boolean;
}

/**
 * Keras's `Adafactor` (Shazeer & Stern, 2018): for variables of rank >= 2
 * the second moment is factored into row (`r`) and column (`c`) averages of
 * the last two axes; rank < 1 variables keep a full `velocity`. Default
 * learning rate 0.001.
 */
export class Adafactor extends Optimizer {
  /** Keras's `beta_2_decay` (see the constructor options for its default). */
  beta2Decay: number;
  /** Keras's `epsilon_1` (see the constructor options for its default). */
  epsilon1: number;
  /** Keras's `epsilon_2` (see the constructor options for its default). */
  epsilon2: number;
  /** Keras's `clip_threshold` (see the constructor options for its default). */
  clipThreshold: number;
  /** Keras's `relative_step` (see the constructor options for its default). */
  relativeStep: boolean;
  protected _r: Variable[] = [];
  protected _c: Variable[] = [];
  protected _v: Variable[] = [];

  constructor(learningRate?: LearningRateLike | AdafactorOptions, options?: AdafactorOptions) {
    const o = optimizerArgs<AdafactorOptions>(learningRate, options);
    super({ ...o, learningRate: o.learningRate ?? 0.001 });
    this.beta2Decay = o.beta2Decay ?? -0.8;
    this.epsilon1 = o.epsilon1 ?? 1e-30;
    this.epsilon2 = o.epsilon2 ?? 1e-3;
    this.clipThreshold = o.clipThreshold ?? 1.0;
    this.relativeStep = o.relativeStep ?? true;
  }

  override build(variables: readonly Variable[]): void {
    if (this.built) return;
    super.build(variables);
    this._r = [];
    this._c = [];
    this._v = [];
    for (const v of variables) {
      if (v.shape.length < 2) {
        // Not factored: Keras still creates two scalar placeholders named after the variable.
        for (const list of [this._r, this._c]) {
          const init = tf.scalar(0, "int32");
          try {
            list.push(this.trackVariable(new Variable(init, { name: v.name, dtype: "int32", trainable: false })));
          } finally {
            init.dispose();
          }
        }
      } else {
        this._r.push(this.addVariable({ shape: v.shape.slice(0, -1), dtype: v.dtype }));
        this._c.push(this.addVariable({ shape: [...v.shape.slice(0, -2), v.shape[v.shape.length - 1]], dtype: v.dtype }));
      }
      this._v.push(this.addVariableFromReference(v, "velocity"));
    }
  }

  private rms(x: Tensor): Tensor {
    return tf.sqrt(tf.mean(tf.square(x)));
  }

  override updateStep(gradient: Tensor, variable: Variable, learningRate: Tensor): void {
    const one = this.constant(1);
    const s = this.stepValue("adafactor", () => {
      const localStep = this.localStep();
      let lr = learningRate;
      const invSqrt = tf.div(1, tf.sqrt(localStep));
      const isCallable = this.learningRateSource instanceof LearningRateSchedule || typeof this.learningRateSource === "function";
      if (!isCallable && this.relativeStep) lr = tf.minimum(lr, invSqrt);
      const rhoT = tf.minimum(lr, invSqrt);
      const beta2T = tf.sub(1, tf.pow(localStep, this.constant(this.beta2Decay)));
      return tf.stack([rhoT, beta2T]);
    });
    const [rhoT, beta2T] = tf.unstack(s);
    const oneMinusBeta2T = tf.sub(1, beta2T);
    const i = this.getVariableIndex(variable);
    const r = this._r[i];
    const c = this._c[i];
    const v = this._v[i];
    const alphaT = tf.mul(tf.maximum(this.constant(this.epsilon2), this.rms(variable.value)), rhoT);
    const regulatedGradSquare = tf.add(tf.square(gradient), this.constant(this.epsilon1));
    if (variable.shape.length >= 2) {
      this.assign(r, tf.add(tf.mul(beta2T, r.value), tf.mul(oneMinusBeta2T, tf.mean(regulatedGradSquare, -1))));
      this.assign(c, tf.add(tf.mul(beta2T, c.value), tf.mul(oneMinusBeta2T, tf.mean(regulatedGradSquare, -2))));
      this.assign(
        v,
        tf.mul(tf.expandDims(tf.div(r.value, tf.mean(r.value, -1, true)), -1), tf.expandDims(c.value, -2)),
      );
    } else {
      this.assign(v, tf.add(tf.mul(beta2T, v.value), tf.mul(oneMinusBeta2T, regulatedGradSquare)));
    }
    const uT = tf.div(gradient, tf.sqrt(v.value));
    const uTHat = tf.div(uT, tf.maximum(one, tf.div(this.rms(uT), this.constant(this.clipThreshold))));
    this.assignSub(variable, tf.mul(alphaT, uTHat));
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      beta_2_decay: this.beta2Decay,
      epsilon_1: this.epsilon1,
      epsilon_2: this.epsilon2,
      clip_threshold: this.clipThreshold,
      relative_step: this.relativeStep,
    };
  }
}

registerBuiltin("keras.optimizers", Adafactor);
