/** The built-in constraints: MaxNorm, MinMaxNorm, NonNeg, UnitNorm. */
import "../backend/engine.js";
import { tf, type Tensor } from "../backend/tfjs.js";
import { epsilon } from "../backend/config.js";
import { registerBuiltin } from "../saving/object-registration.js";
import { Constraint } from "./constraint.js";

/** An axis or axes along which norms are taken. */
export type NormAxis = number | number[];

function floatInput(w: Tensor): Tensor {
  return w.dtype === "float32" ? w : tf.cast(w, "float32");
}

function norms(w: Tensor, axis: NormAxis): Tensor {
  return tf.sqrt(tf.sum(tf.square(w), axis, true));
}

/** Options of MaxNorm. */
export interface MaxNormOptions {
  /** The largest allowed norm. Default 2. */
  maxValue?: number;
  /** The axis (or axes) of the norm. Default 0. */
  axis?: NormAxis;
}

/**
 * Rescales the weight vectors along `axis` whose norm exceeds `maxValue` to
 * that norm (Keras's `keras.constraints.MaxNorm`).
 */
export class MaxNorm extends Constraint {
  /** The largest allowed norm. */
  readonly maxValue: number;
  /** The axis (or axes) of the norms. */
  readonly axis: NormAxis;

  /** `new MaxNorm(3)`, `new MaxNorm(3, 0)` or `new MaxNorm({ maxValue: 3, axis: 0 })`. */
  constructor(maxValue: number | MaxNormOptions = {}, axis?: NormAxis) {
    super();
    const opts: MaxNormOptions = typeof maxValue === "number" ? { maxValue, axis } : maxValue;
    this.maxValue = opts.maxValue ?? 2;
    this.axis = opts.axis ?? 0;
  }

  override call(w: Tensor): Tensor {
    return tf.tidy(() => {
      const x = floatInput(w);
      const n = norms(x, this.axis);
      const desired = tf.clipByValue(n, 0, this.maxValue);
      return tf.mul(x, tf.div(desired, tf.add(epsilon(), n)));
    });
  }

  override getConfig(): Record<string, unknown> {
    return { max_value: this.maxValue, axis: this.axis };
  }
}

/** Options of MinMaxNorm. */
export interface MinMaxNormOptions {
  /** The smallest allowed norm. Default 0. */
  minValue?: number;
  /** The largest allowed norm. Default 1. */
  maxValue?: number;
  /** How far to move toward the allowed range each time (1 = all the way). Default 1. */
  rate?: number;
  /** The axis (or axes) of the norm. Default 0. */
  axis?: NormAxis;
}

/**
 * Rescales weight vectors along `axis` so their norm lies in
 * `[minValue, maxValue]`, moving a fraction `rate` of the way
 * (Keras's `keras.constraints.MinMaxNorm`).
 */
export class MinMaxNorm extends Constraint {
  /** The smallest allowed norm. */
  readonly minValue: number;
  /** The largest allowed norm. */
  readonly maxValue: number;
  /** How far toward the allowed range each projection moves (1 = all the way). */
  readonly rate: number;
  /** The axis (or axes) of the norms. */
  readonly axis: NormAxis;

  /** `new MinMaxNorm({ minValue, maxValue, rate, axis })` or `new MinMaxNorm(0, 1)`. */
  constructor(minValue: number | MinMaxNormOptions = {}, maxValue?: number, rate?: number, axis?: NormAxis) {
    super();
    const opts: MinMaxNormOptions = typeof minValue === "number" ? { minValue, maxValue, rate, axis } : minValue;
    this.minValue = opts.minValue ?? 0.0;
    this.maxValue = opts.maxValue ?? 1.0;
    this.rate = opts.rate ?? 1.0;
    this.axis = opts.axis ?? 0;
  }

  override call(w: Tensor): Tensor {
    return tf.tidy(() => {
      const x = floatInput(w);
      const n = norms(x, this.axis);
      const desired = tf.add(
        tf.mul(this.rate, tf.clipByValue(n, this.minValue, this.maxValue)),
        tf.mul(1 - this.rate, n),
      );
      return tf.mul(x, tf.div(desired, tf.add(epsilon(), n)));
    });
  }

  override getConfig(): Record<string, unknown> {
    return { min_value: this.minValue, max_value: this.maxValue, rate: this.rate, axis: this.axis };
  }
}

/** Sets negative weights to 0 (Keras's `keras.constraints.NonNeg`). */
export class NonNeg extends Constraint {
  constructor(_options: Record<string, never> = {}) {
    super();
  }

  override call(w: Tensor): Tensor {
    return tf.tidy(() => tf.maximum(w, tf.scalar(0, w.dtype)));
  }
}

/** Options of UnitNorm. */
export interface UnitNormOptions {
  /** The axis (or axes) of the norm. Default 0. */
  axis?: NormAxis;
}

/** Rescales weight vectors along `axis` to norm 1 (Keras's `keras.constraints.UnitNorm`). */
export class UnitNorm extends Constraint {
  /** The axis (or axes) of the norms. */
  readonly axis: NormAxis;

  /** `new UnitNorm(0)` or `new UnitNorm({ axis: 0 })`. */
  constructor(axis: NormAxis | UnitNormOptions = {}) {
    super();
    this.axis = typeof axis === "number" || Array.isArray(axis) ? axis : (axis.axis ?? 0);
  }

  override call(w: Tensor): Tensor {
    return tf.tidy(() => {
      const x = floatInput(w);
      return tf.div(x, tf.add(epsilon(), norms(x, this.axis)));
    });
  }

  override getConfig(): Record<string, unknown> {
    return { axis: this.axis };
  }
}

registerBuiltin("keras.constraints", MaxNorm);
registerBuiltin("keras.constraints", MinMaxNorm);
registerBuiltin("keras.constraints", NonNeg);
registerBuiltin("keras.constraints", UnitNorm);
