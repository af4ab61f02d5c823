/**
 * keras.activations: the activation functions, with Keras's keyword
 * arguments in an options object (or, for one-argument ones, a number).
 */
import { tf, type Tensor } from "../backend/tfjs.js";
import { convertToTensor, type OpInput, type OpResult, type TensorLike } from "../ops/convert.js";
import { dispatch } from "../ops/operation.js";
import * as nn from "../ops/nn.js";

/** An activation function. */
export type ActivationFn = (x: Tensor) => Tensor;

function floatT(v: TensorLike): Tensor {
  const t = convertToTensor(v);
  return t.dtype === "float32" ? t : tf.cast(t, "float32");
}

/** Options of `relu`. */
export interface ReluOptions {
  /** Slope for values below the threshold. Default 0. */
  negativeSlope?: number;
  /** Saturation value (the largest value returned). Default none. */
  maxValue?: number | null;
  /** Values below this are zeroed (or damped by `negativeSlope`). Default 0. */
  threshold?: number;
}

/**
 * Rectified linear unit. With the defaults `max(x, 0)`; `negativeSlope`,
 * `maxValue` and `threshold` give the leaky, capped and thresholded forms.
 */
export function relu<A extends OpInput>(x: A, options: ReluOptions = {}): OpResult<A> {
  const negativeSlope = options.negativeSlope ?? 0;
  const maxValue = options.maxValue ?? null;
  const threshold = options.threshold ?? 0;
  if (negativeSlope === 0 && maxValue === null && threshold === 0) return nn.relu(x);
  return dispatch("relu", [x], (v: TensorLike) =>
    tf.tidy(() => {
      let t = floatT(v);
      if (negativeSlope !== 0 && maxValue === null && threshold === 0) return tf.maximum(t, tf.mul(t, negativeSlope));
      const negativePart = negativeSlope !== 0 ? tf.relu(threshold !== 0 ? tf.add(tf.neg(t), threshold) : tf.neg(t)) : null;
      let clipMax = maxValue !== null;
      if (threshold !== 0) t = tf.where(tf.greater(t, threshold), t, tf.zerosLike(t));
      else if (maxValue === 6) {
        t = tf.relu6(t);
        clipMax = false;
      } else t = tf.relu(t);
      if (clipMax) t = tf.clipByValue(t, 0, maxValue as number);
      if (negativePart) t = tf.sub(t, tf.mul(negativePart, negativeSlope));
      return t;
    }),
  ) as OpResult<A>;
}

function opt<K extends string>(v: number | Partial<Record<K, number>> | undefined, key: K, dflt: number): number {
  if (v === undefined) return dflt;
  if (typeof v === "number") return v;
  return v[key] ?? dflt;
}

/** Leaky ReLU: `max(x, negativeSlope * x)`, `negativeSlope` default 0.2. */
export function leakyRelu<A extends OpInput>(x: A, negativeSlope?: number | { negativeSlope?: number }): OpResult<A> {
  return nn.leakyRelu(x, opt(negativeSlope, "negativeSlope", 0.2));
}

/** ReLU capped at 6. */
export function relu6<A extends OpInput>(x: A): OpResult<A> {
  return nn.relu6(x);
}

/** Softmax along `axis` (default -1). */
export function softmax<A extends OpInput>(x: A, axis?: number | { axis?: number }): OpResult<A> {
  return nn.softmax(x, opt(axis, "axis", -1));
}

/** Exponential linear unit with `alpha` (default 1). */
export function elu<A extends OpInput>(x: A, alpha?: number | { alpha?: number }): OpResult<A> {
  return nn.elu(x, opt(alpha, "alpha", 1));
}

/** Scaled exponential linear unit. */
export function selu<A extends OpInput>(x: A): OpResult<A> {
  return nn.selu(x);
}

/** Softplus: `log(exp(x) + 1)`. */
export function softplus<A extends OpInput>(x: A): OpResult<A> {
  return nn.softplus(x);
}

/** Softsign: `x / (|x| + 1)`. */
export function softsign<A extends OpInput>(x: A): OpResult<A> {
  return nn.softsign(x);
}

/** Squareplus: `(x + sqrt(x² + b)) / 2`, `b` default 4. */
export function squareplus<A extends OpInput>(x: A, b?: number | { b?: number }): OpResult<A> {
  return nn.squareplus(x, opt(b, "b", 4));
}

/** Soft shrink with `threshold` (default 0.5). */
export function softShrink<A extends OpInput>(x: A, threshold?: number | { threshold?: number }): OpResult<A> {
  return nn.softShrink(x, opt(threshold, "threshold", 0.5));
}

/** Sparse plus. */
export function sparsePlus<A extends OpInput>(x: A): OpResult<A> {
  return nn.sparsePlus(x);
}

/** Swish / SiLU: `x * sigmoid(x)`. */
export function silu<A extends OpInput>(x: A): OpResult<A> {
  return nn.silu(x);
}

/** Gaussian error linear unit; `approximate` defaults to false here (keras.activations.gelu). */
export function gelu<A extends OpInput>(x: A, approximate?: boolean | { approximate?: boolean }): OpResult<A> {
  const a = typeof approximate === "boolean" ? approximate : (approximate?.approximate ?? false);
  return nn.gelu(x, a);
}

/** Continuously differentiable ELU with `alpha` (default 1). */
export function celu<A extends OpInput>(x: A, alpha?: number | { alpha?: number }): OpResult<A> {
  return nn.celu(x, opt(alpha, "alpha", 1));
}

/** Gated linear unit along `axis` (default -1). */
export function glu<A extends OpInput>(x: A, axis?: number | { axis?: number }): OpResult<A> {
  return nn.glu(x, opt(axis, "axis", -1));
}

/** Hyperbolic tangent. */
export function tanh<A extends OpInput>(x: A): OpResult<A> {
  return dispatch("tanh", [x], (v: TensorLike) => tf.tidy(() => tf.tanh(floatT(v)))) as OpResult<A>;
}

/** Tanh shrink: `x - tanh(x)`. */
export function tanhShrink<A extends OpInput>(x: A): OpResult<A> {
  return nn.tanhShrink(x);
}

/** Threshold: x where `x > threshold`, else `defaultValue`. */
export function threshold<A extends OpInput>(x: A, threshold: number, defaultValue: number): OpResult<A> {
  return nn.threshold(x, threshold, defaultValue);
}

/** Logistic sigmoid. */
export function sigmoid<A extends OpInput>(x: A): OpResult<A> {
  return nn.sigmoid(x);
}

/** Sparse sigmoid. */
export function sparseSigmoid<A extends OpInput>(x: A): OpResult<A> {
  return nn.sparseSigmoid(x);
}

/** Exponential: `exp(x)`. */
export function exponential<A extends OpInput>(x: A): OpResult<A> {
  return dispatch("exp", [x], (v: TensorLike) => tf.tidy(() => tf.exp(floatT(v)))) as OpResult<A>;
}

/** Hard sigmoid: `clip(x / 6 + 0.5, 0, 1)`. */
export function hardSigmoid<A extends OpInput>(x: A): OpResult<A> {
  return nn.hardSigmoid(x);
}

/** Hard SiLU / hard swish: `x * hard_sigmoid(x)`. */
export function hardSilu<A extends OpInput>(x: A): OpResult<A> {
  return nn.hardSilu(x);
}

/** Hard tanh: `clip(x, -1, 1)`. */
export function hardTanh<A extends OpInput>(x: A): OpResult<A> {
  return nn.hardTanh(x);
}

/** Hard shrink with `threshold` (default 0.5). */
export function hardShrink<A extends OpInput>(x: A, threshold?: number | { threshold?: number }): OpResult<A> {
  return nn.hardShrink(x, opt(threshold, "threshold", 0.5));
}

/** Linear (identity): returns `x` unmodified. */
export function linear<A extends OpInput>(x: A): A {
  return x;
}

/** Mish: `x * tanh(softplus(x))`. */
export function mish<A extends OpInput>(x: A): OpResult<A> {
  return nn.mish(x);
}

/** Log-softmax along `axis` (default -1). */
export function logSoftmax<A extends OpInput>(x: A, axis?: number | { axis?: number }): OpResult<A> {
  return nn.logSoftmax(x, opt(axis, "axis", -1));
}

/** Log-sigmoid: `-softplus(-x)`. */
export function logSigmoid<A extends OpInput>(x: A): OpResult<A> {
  return nn.logSigmoid(x);
}

/** Sparsemax along `axis` (default -1). */
export function sparsemax<A extends OpInput>(x: A, axis?: number | { axis?: number }): OpResult<A> {
  return nn.sparsemax(x, opt(axis, "axis", -1));
}

/** Alias of `silu`. */
export const swish = silu;
/** Alias of `hardSilu`. */
export const hardSwish = hardSilu;
