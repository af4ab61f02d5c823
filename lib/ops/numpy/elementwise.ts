/**
 * keras.ops.numpy: elementwise math. Unary and binary ops with NumPy
 * broadcasting and Keras's dtype promotion (JS numbers are weakly typed).
 */
import { tf, type Tensor } from "../../backend/tfjs.js";
import { type DType, resultType } from "../../backend/dtypes.js";
import { convertToTensor, dtypeForPromotion, type OpInput, type OpResult, type TensorLike } from "../convert.js";
import { dispatch } from "../operation.js";
import { broadcastShapes } from "../axis.js";

// ---------------------------------------------------------------------------
// Internal helpers (not exported: the barrel re-exports everything public).

/** The float dtype an op computes in for an input of dtype `d` (ints and bool → float32). */
function floatOf(d: DType): DType {
  return resultType(d, "weak_float");
}

function isFloat(t: Tensor): boolean {
  return t.dtype === "float32";
}

/** Runs a unary op: converts, computes under tidy, never hands back the argument itself. */
function unary<X extends OpInput>(name: string, x: X, fn: (a: Tensor) => Tensor): OpResult<X> {
  return dispatch(name, [x], (a: TensorLike) =>
    tf.tidy(() => {
      const t = convertToTensor(a);
      const r = fn(t);
      return r === t ? tf.clone(r) : r;
    }),
  ) as OpResult<X>;
}

/** A unary op computed in float (ints and bool are cast to float32 first). */
function unaryFloat<X extends OpInput>(name: string, x: X, fn: (a: Tensor) => Tensor): OpResult<X> {
  return unary(name, x, (t) => fn(t.dtype === floatOf(t.dtype as DType) ? t : tf.cast(t, floatOf(t.dtype as DType))));
}

/**
 * Runs a binary op: both arguments are converted to `dtypeOf(promoted)` where
 * `promoted` is Keras's result type of the two (JS numbers weak).
 */
function binary<A extends OpInput, B extends OpInput>(
  name: string,
  x1: A,
  x2: B,
  fn: (a: Tensor, b: Tensor, dtype: DType) => Tensor,
  dtypeOf: (promoted: DType) => DType = (d) => d,
): OpResult<A | B> {
  return dispatch(name, [x1, x2], (a: TensorLike, b: TensorLike) =>
    tf.tidy(() => {
      const dtype = dtypeOf(resultType(dtypeForPromotion(a), dtypeForPromotion(b)));
      const ta = convertToTensor(a, dtype);
      const tb = convertToTensor(b, dtype);
      const r = fn(ta, tb, dtype);
      return r === ta || r === tb ? tf.clone(r) : r;
    }),
  ) as OpResult<A | B>;
}

/** A binary op computed in float. */
function binaryFloat<A extends OpInput, B extends OpInput>(
  name: string,
  x1: A,
  x2: B,
  fn: (a: Tensor, b: Tensor) => Tensor,
): OpResult<A | B> {
  return binary(name, x1, x2, fn, floatOf);
}

/** A binary comparison: operands promoted to a common dtype, result bool. */
function compare<A extends OpInput, B extends OpInput>(
  name: string,
  x1: A,
  x2: B,
  fn: (a: Tensor, b: Tensor) => Tensor,
): OpResult<A | B> {
  return binary(name, x1, x2, fn);
}

/** Applies `f` to every pair of broadcast values, on the host (for ops tfjs lacks). */
function hostBinary(a: Tensor, b: Tensor, dtype: DType, f: (x: number, y: number) => number): Tensor {
  const shape = broadcastShapes(a.shape, b.shape);
  const n = shape.reduce((p, q) => p * q, 1);
  const av = (sameShape(a.shape, shape) ? a : tf.broadcastTo(a, shape)).dataSync();
  const bv = (sameShape(b.shape, shape) ? b : tf.broadcastTo(b, shape)).dataSync();
  const out = dtype === "float32" ? new Float32Array(n) : dtype === "bool" ? new Uint8Array(n) : new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = f(av[i] as number, bv[i] as number);
  return tf.tensor(out, shape, dtype);
}

/** Applies `f` to every value on the host. */
function hostUnary(a: Tensor, dtype: DType, f: (x: number) => number): Tensor {
  const av = a.dataSync();
  const out = dtype === "float32" ? new Float32Array(av.length) : dtype === "bool" ? new Uint8Array(av.length) : new Int32Array(av.length);
  for (let i = 0; i < av.length; i++) out[i] = f(av[i] as number);
  return tf.tensor(out, a.shape, dtype);
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** x < 0, or x is -0 (float only). */
function signbitTensor(t: Tensor): Tensor {
  if (t.dtype === "bool") return tf.zeros(t.shape, "bool");
  if (!isFloat(t)) return tf.less(t, 0);
  return tf.logicalOr(tf.less(t, 0), tf.logicalAnd(tf.equal(t, 0), tf.less(tf.div(1, t), 0)));
}

function truncTensor(t: Tensor): Tensor {
  return tf.where(tf.less(t, 0), tf.ceil(t), tf.floor(t));
}

function rejectBool(name: string, t: Tensor): void {
  if (t.dtype === "bool") {
    throw new TypeError(`${name} is not supported for boolean tensors; cast to int32 or float32 first.`);
  }
}

function requireInt(name: string, t: Tensor): void {
  if (t.dtype === "float32" || t.dtype === "complex64" || t.dtype === "string") {
    throw new TypeError(`${name} is only supported for integer and boolean tensors. Received dtype ${t.dtype}.`);
  }
}

// ---------------------------------------------------------------------------
// Arithmetic

/** Absolute value, elementwise (magnitude for complex). Keeps the dtype. */
export function abs<X extends OpInput>(x: X): OpResult<X> {
  return unary("abs", x, (t) => (t.dtype === "bool" ? t : tf.abs(t)));
}

/** Same as `abs`. */
export function absolute<X extends OpInput>(x: X): OpResult<X> {
  return unary("absolute", x, (t) => (t.dtype === "bool" ? t : tf.abs(t)));
}

/** Absolute value as a float tensor (ints and bool become float32). */
export function fabs<X extends OpInput>(x: X): OpResult<X> {
  return unaryFloat("fabs", x, (t) => tf.abs(t));
}

/** `x1 + x2` with broadcasting. Bool + bool is logical or. */
export function add<A extends OpInput, B extends OpInput>(x1: A, x2: B): OpResult<A | B> {
  return binary("add", x1, x2, (a, b, d) => (d === "bool" ? tf.logicalOr(a, b) : tf.add(a, b)));
}

/** `x1 - x2` with broadcasting. */
export function subtract<A extends OpInput, B extends OpInput>(x1: A, x2: B): OpResult<A | B> {
  return binary("subtract", x1, x2, (a, b, d) => {
    if (d === "bool") throw new TypeError("subtract is not supported for boolean tensors; use logicalXor instead.");
    return tf.sub(a, b);
  });
}

/** `x1 * x2` with broadcasting. Bool * bool is logical and. */
export function multiply<A extends OpInput, B extends OpInput>(x1: A, x2: B): OpResult<A | B> {
  return binary("multiply", x1, x2, (a, b, d) => (d === "bool" ? tf.logicalAnd(a, b) : tf.mul(a, b)));
}

/** True division `x1 / x2`; integer inputs give float32. */
export function divide<A extends OpInput, B extends OpInput>(x1: A, x2: B): OpResult<A | B> {
  return binaryFloat("divide", x1, x2, (a, b) => tf.div(a, b));
}

/** Same as `divide`. */
export function trueDivide<A extends OpInput, B extends OpInput>(x1: A, x2: B): OpResult<A | B> {
  return binaryFloat("true_divide", x1, x2, (a, b) => tf.div(a, b));
}

/** `x1 / x2`, with 0 wherever `x2` is 0. */
export function divideNoNan<A extends OpInput, B extends OpInput>(x1: A, x2: B): OpResult<A | B> {
  return binaryFloat("divide_no_nan", x1, x2, (a, b) => tf.divNoNan(a, b));
}

/** Floor division `x1 // x2` (ints stay int). */
export function floorDivide<A extends OpInput, B extends OpInput>(x1: A, x2: B): OpResult<A | B> {
  return binary("floor_divide", x1, x2, (a, b, d) => (d === "float32" ? tf.floor(tf.div(a, b)) : tf.floorDiv(a, b)), (d) => (d === "bool" ? "int32" : d));
}

/** Remainder of floor division; the result has the sign of `x2` (Python's `%`). */
export function mod<A extends OpInput, B extends OpInput>(x1: A, x2: B): OpResult<A | B> {
  return binary("mod", x1, x2, (a, b) => tf.mod(a, b), (d) => (d === "bool" ? "int32" : d));
}

/** Remainder of truncated division; the result has the sign of `x1` (C's `fmod`). */
export function fmod<A extends OpInput, B extends OpInput>(x1: A, x2: B): OpResult<A | B> {
  return binary(
    "fmod",
    x1,
    x2,
    (a, b) => {
      const r = tf.mod(a, b);
      const fix = tf.logicalAnd(tf.notEqual(r, 0), tf.notEqual(tf.less(r, 0), tf.less(a, 0)));
      return tf.where(fix, tf.sub(r, b), r);
    },
    (d) => (d === "bool" ? "int32" : d),
  );
}

/** `x1 ** x2` with broadcasting. */
export function power<A extends OpInput, B extends OpInput>(x1: A, x2: B): OpResult<A | B> {
  return binary("power", x1, x2, (a, b) => tf.pow(a, b), (d) => (d === "bool" ? "int32" : d));
}

/** `-x`. */
export function negative<X extends OpInput>(x: X): OpResult<X> {
  return unary("negative", x, (t) => {
    rejectBool("negative", t);
    return tf.neg(t);
  });
}

/** `1 / x` (float). */
export function reciprocal<X extends OpInput>(x: X): OpResult<X> {
  return unaryFloat("reciprocal", x, (t) => tf.reciprocal(t));
}

/** Square root (float). */
export function sqrt<X extends OpInput>(x: X): OpResult<X> {
  return unaryFloat("sqrt", x, (t) => tf.sqrt(t));
}

/** `x * x`; ints stay int, bool becomes int32. */
export function square<X extends OpInput>(x: X): OpResult<X> {
  return unary("square", x, (t) => tf.square(t.dtype === "bool" ? tf.cast(t, "int32") : t));
}

/** Cube root (float), defined for negative values. */
export function cbrt<X extends OpInput>(x: X): OpResult<X> {
  return unaryFloat("cbrt", x, (t) => tf.mul(tf.sign(t), tf.pow(tf.abs(t), 1 / 3)));
}

/** `e ** x` (float). */
export function exp<X extends OpInput>(x: X): OpResult<X> {
  return unaryFloat("exp", x, (t) => tf.exp(t));
}

/** `2 ** x` (float). */
export function exp2<X extends OpInput>(x: X): OpResult<X> {
  return unaryFloat("exp2", x, (t) => tf.pow(tf.scalar(2, t.dtype), t));
}

/**
 * The modified Bessel function of the first kind, order 0, elementwise
 * (float): Abramowitz & Stegun 9.8.1 (|x| <= 3.75) and 9.8.2, relative
 * error below 2e-7.
 */
export function i0<X extends OpInput>(x: X): OpResult<X> {
  return unaryFloat("i0", x, (t) => {
    const ax = tf.abs(t);
    const poly = (coeffs: number[], v: Tensor): Tensor =>
      coeffs.slice(0, -1).reduceRight<Tensor>((p, c) => tf.add(tf.mul(p, v), c), tf.fill(v.shape, coeffs[coeffs.length - 1]!, v.dtype));
    const small = poly([1, 3.5156229, 3.0899424, 1.2067492, 0.2659732, 0.0360768, 0.0045813], tf.square(tf.div(ax, 3.75)));
    const safe = tf.maximum(ax, 3.75);
    const big = tf.mul(
      tf.div(tf.exp(safe), tf.sqrt(safe)),
      poly([0.39894228, 0.01328592, 0.00225319, -0.00157565, 0.00916281, -0.02057706, 0.02635537, -0.01647633, 0.00392377], tf.div(3.75, safe)),
    );
    return tf.where(tf.lessEqual(ax, 3.75), small, big);
  });
}

/** `exp(x) - 1`, accurate for small x (float). */
export function expm1<X extends OpInput>(x: X): OpResult<X> {
  return unaryFloat("expm1", x, (t) => tf.expm1(t));
}

/** Natural logarithm (float). */
export function log<X extends OpInput>(x: X): OpResult<X> {
  return unaryFloat("log", x, (t) => tf.log(t));
}

/** Base-10 logarithm (float). */
export function log10<X extends OpInput>(x: X): OpResult<X> {
  return unaryFloat("log10", x, (t) => tf.div(tf.log(t), Math.LN10));
}

/** `log(1 + x)`, accurate for small x (float). */
export function log1p<X extends OpInput>(x: X): OpResult<X> {
  return unaryFloat("log1p", x, (t) => tf.log1p(t));
}

/** Base-2 logarithm (float). */
export function log2<X extends OpInput>(x: X): OpResult<X> {
  return unaryFloat("log2", x, (t) => tf.div(tf.log(t), Math.LN2));
}

function logaddexpT(a: Tensor, b: Tensor): Tensor {
  const m = tf.maximum(a, b);
  const r = tf.add(m, tf.log1p(tf.exp(tf.neg(tf.abs(tf.sub(a, b))))));
  // Equal infinities: a - b is NaN, the answer is the infinity itself.
  return tf.where(tf.equal(a, b), tf.add(a, Math.LN2), r);
}

/** `log(exp(x1) + exp(x2))`, computed stably (float). */
export function logaddexp<A extends OpInput, B extends OpInput>(x1: A, x2: B): OpResult<A | B> {
  return binaryFloat("logaddexp", x1, x2, (a, b) => {
    const r = logaddexpT(a, b);
    return tf.where(tf.logicalAnd(tf.equal(a, b), tf.isInf(a)), a, r);
  });
}

/** `log2(2 ** x1 + 2 ** x2)`, computed stably (float). */
export function logaddexp2<A extends OpInput, B extends OpInput>(x1: A, x2: B): OpResult<A | B> {
  return binaryFloat("logaddexp2", x1, x2, (a, b) => {
    const r = tf.div(logaddexpT(tf.mul(a, Math.LN2), tf.mul(b, Math.LN2)), Math.LN2);
    return tf.where(tf.logicalAnd(tf.equal(a, b), tf.isInf(a)), a, r);
  });
}

// ---------------------------------------------------------------------------
// Trigonometric and hyperbolic

/** Sine (float). */
export function sin<X extends OpInput>(x: X): OpResult<X> {
  return unaryFloat("sin", x, (t) => tf.sin(t));
}
/** Cosine (float). */
export function cos<X extends OpInput>(x: X): OpResult<X> {
  return unaryFloat("cos", x, (t) => tf.cos(t));
}
/** Tangent (float). */
export function tan<X extends OpInput>(x: X): OpResult<X> {
  return unaryFloat("tan", x, (t) => tf.tan(t));
}
/** Inverse sine (float). */
export function arcsin<X extends OpInput>(x: X): OpResult<X> {
  return unaryFloat("arcsin", x, (t) => tf.asin(t));
}
/** Inverse cosine (float). */
export function arccos<X extends OpInput>(x: X): OpResult<X> {
  return unaryFloat("arccos", x, (t) => tf.acos(t));
}
/** Inverse tangent (float). */
export function arctan<X extends OpInput>(x: X): OpResult<X> {
  return unaryFloat("arctan", x, (t) => tf.atan(t));
}
/** Angle of the point (x2, x1) in radians, in [-π, π] (float). */
export function arctan2<A extends OpInput, B extends OpInput>(x1: A, x2: B): OpResult<A | B> {
  return binaryFloat("arctan2", x1, x2, (a, b) => tf.atan2(a, b));
}
/** Hyperbolic sine (float). */
export function sinh<X extends OpInput>(x: X): OpResult<X> {
  return unaryFloat("sinh", x, (t) => tf.sinh(t));
}
/** Hyperbolic cosine (float). */
export function cosh<X extends OpInput>(x: X): OpResult<X> {
  return unaryFloat("cosh", x, (t) => tf.cosh(t));
}
/** Hyperbolic tangent (float). */
export function tanh<X extends OpInput>(x: X): OpResult<X> {
  return unaryFloat("tanh", x, (t) => tf.tanh(t));
}
/** Inverse hyperbolic sine (float). */
export function arcsinh<X extends OpInput>(x: X): OpResult<X> {
  return unaryFloat("arcsinh", x, (t) => tf.asinh(t));
}
/** Inverse hyperbolic cosine (float). */
export function arccosh<X extends OpInput>(x: X): OpResult<X> {
  return unaryFloat("arccosh", x, (t) => tf.acosh(t));
}
/** Inverse hyperbolic tangent (float). */
export function arctanh<X extends OpInput>(x: X): OpResult<X> {
  return unaryFloat("arctanh", x, (t) => tf.atanh(t));
}
/** Degrees to radians (float). */
export function deg2rad<X extends OpInput>(x: X): OpResult<X> {
  return unaryFloat("deg2rad", x, (t) => tf.mul(t, Math.PI / 180));
}
/** Radians to degrees (float). */
export function rad2deg<X extends OpInput>(x: X): OpResult<X> {
  return unaryFloat("rad2deg", x, (t) => tf.mul(t, 180 / Math.PI));
}
/** Normalized sinc: `sin(πx) / (πx)`, 1 at 0 (float). */
export function sinc<X extends OpInput>(x: X): OpResult<X> {
  return unaryFloat("sinc", x, (t) => {
    const zero = tf.equal(t, 0);
    const px = tf.mul(tf.where(zero, tf.onesLike(t), t), Math.PI);
    return tf.where(zero, tf.onesLike(t), tf.div(tf.sin(px), px));
  });
}
/** `sqrt(x1² + x2²)` without undue overflow (float). */
export function hypot<A extends OpInput, B extends OpInput>(x1: A, x2: B): OpResult<A | B> {
  return binaryFloat("hypot", x1, x2, (a, b) => {
    const aa = tf.abs(a);
    const ab = tf.abs(b);
    const hi = tf.maximum(aa, ab);
    const lo = tf.minimum(aa, ab);
    const safe = tf.where(tf.equal(hi, 0), tf.onesLike(hi), hi);
    const r = tf.mul(hi, tf.sqrt(tf.add(1, tf.square(tf.div(lo, safe)))));
    return tf.where(tf.isInf(hi), hi, r);
  });
}

// ---------------------------------------------------------------------------
// Rounding and sign

/** Rounds up (float). */
export function ceil<X extends OpInput>(x: X): OpResult<X> {
  return unaryFloat("ceil", x, (t) => tf.ceil(t));
}

/** Rounds down (float). */
export function floor<X extends OpInput>(x: X): OpResult<X> {
  return unaryFloat("floor", x, (t) => tf.floor(t));
}

/** Rounds half to even to `decimals` decimals (negative: to tens, hundreds...). Keeps the dtype. */
export function round<X extends OpInput>(x: X, decimals = 0): OpResult<X> {
  if (!Number.isInteger(decimals)) throw new Error(`round: \`decimals\` must be an integer. Received: ${decimals}`);
  return unary("round", x, (t) => {
    if (t.dtype === "bool") return t;
    if (t.dtype === "int32") {
      if (decimals >= 0) return t;
      const f = 10 ** -decimals;
      return tf.cast(tf.mul(tf.round(tf.div(tf.cast(t, "float32"), f)), f), "int32");
    }
    if (decimals === 0) return tf.round(t);
    if (decimals > 0) {
      const f = 10 ** decimals;
      return tf.div(tf.round(tf.mul(t, f)), f);
    }
    const f = 10 ** -decimals;
    return tf.mul(tf.round(tf.div(t, f)), f);
  });
}

/** Rounds toward zero. Ints and bool are returned unchanged. */
export function trunc<X extends OpInput>(x: X): OpResult<X> {
  return unary("trunc", x, (t) => (t.dtype === "float32" ? truncTensor(t) : t));
}

/** -1, 0 or 1 by the sign of each element (NaN stays NaN). Keeps the dtype. */
export function sign<X extends OpInput>(x: X): OpResult<X> {
  return unary("sign", x, (t) => {
    if (t.dtype === "bool") return t;
    const s = tf.sign(t);
    return isFloat(t) ? tf.where(tf.isNaN(t), t, s) : s;
  });
}

/** True where the sign bit is set (negative numbers and -0). */
export function signbit<X extends OpInput>(x: X): OpResult<X> {
  return unary("signbit", x, (t) => signbitTensor(t));
}

/** The magnitude of `x1` with the sign of `x2` (float). */
export function copysign<A extends OpInput, B extends OpInput>(x1: A, x2: B): OpResult<A | B> {
  return binaryFloat("copysign", x1, x2, (a, b) => {
    const m = tf.abs(a);
    return tf.where(signbitTensor(b), tf.neg(m), m);
  });
}

/** Limits values to [xMin, xMax]; either bound may be null. Keeps the dtype (bool → int32). */
export function clip<X extends OpInput>(x: X, xMin: number | TensorLike | null, xMax: number | TensorLike | null): OpResult<X> {
  return dispatch("clip", [x], (a: TensorLike) =>
    tf.tidy(() => {
      const t0 = convertToTensor(a);
      const outDtype: DType = t0.dtype === "bool" ? "int32" : (t0.dtype as DType);
      const promos = [dtypeForPromotion(t0)];
      if (xMin != null) promos.push(dtypeForPromotion(xMin));
      if (xMax != null) promos.push(dtypeForPromotion(xMax));
      const dt = resultType(...promos);
      let r = convertToTensor(t0, dt === "bool" ? "int32" : dt);
      if (xMin != null) r = tf.maximum(r, convertToTensor(xMin, r.dtype));
      if (xMax != null) r = tf.minimum(r, convertToTensor(xMax, r.dtype));
      r = r.dtype === outDtype ? r : tf.cast(r, outDtype);
      return r === t0 ? tf.clone(r) : r;
    }),
  ) as OpResult<X>;
}

/** Elementwise maximum (NaN propagates). */
export function maximum<A extends OpInput, B extends OpInput>(x1: A, x2: B): OpResult<A | B> {
  return binary("maximum", x1, x2, (a, b, d) => {
    if (d === "bool") return tf.logicalOr(a, b);
    const m = tf.maximum(a, b);
    return d === "float32" ? tf.where(tf.isNaN(a), a, tf.where(tf.isNaN(b), b, m)) : m;
  });
}

/** Elementwise minimum (NaN propagates). */
export function minimum<A extends OpInput, B extends OpInput>(x1: A, x2: B): OpResult<A | B> {
  return binary("minimum", x1, x2, (a, b, d) => {
    if (d === "bool") return tf.logicalAnd(a, b);
    const m = tf.minimum(a, b);
    return d === "float32" ? tf.where(tf.isNaN(a), a, tf.where(tf.isNaN(b), b, m)) : m;
  });
}

/** Elementwise maximum ignoring NaNs (NaN only where both are NaN). */
export function fmax<A extends OpInput, B extends OpInput>(x1: A, x2: B): OpResult<A | B> {
  return binary("fmax", x1, x2, (a, b, d) => {
    if (d === "bool") return tf.logicalOr(a, b);
    const m = tf.maximum(a, b);
    return d === "float32" ? tf.where(tf.isNaN(a), b, tf.where(tf.isNaN(b), a, m)) : m;
  });
}

/** Elementwise minimum ignoring NaNs (NaN only where both are NaN). */
export function fmin<A extends OpInput, B extends OpInput>(x1: A, x2: B): OpResult<A | B> {
  return binary("fmin", x1, x2, (a, b, d) => {
    if (d === "bool") return tf.logicalAnd(a, b);
    const m = tf.minimum(a, b);
    return d === "float32" ? tf.where(tf.isNaN(a), b, tf.where(tf.isNaN(b), a, m)) : m;
  });
}

/** Heaviside step: 0 where x1 < 0, x2 where x1 == 0, 1 where x1 > 0 (float). */
export function heaviside<A extends OpInput, B extends OpInput>(x1: A, x2: B): OpResult<A | B> {
  return binaryFloat("heaviside", x1, x2, (a, b) => {
    const shape = broadcastShapes(a.shape, b.shape);
    const bb = tf.broadcastTo(b, shape);
    const aa = tf.broadcastTo(a, shape);
    const step = tf.where(tf.less(aa, 0), tf.zeros(shape), tf.where(tf.equal(aa, 0), bb, tf.ones(shape)));
    return tf.where(tf.isNaN(aa), aa, step);
  });
}

/** `x1 * 2 ** x2`; `x2` must be an integer (float). */
export function ldexp<A extends OpInput, B extends OpInput>(x1: A, x2: B): OpResult<A | B> {
  return dispatch("ldexp", [x1, x2], (a: TensorLike, b: TensorLike) =>
    tf.tidy(() => {
      const pb = dtypeForPromotion(b);
      if (pb !== "int32" && pb !== "weak_int" && pb !== "bool") {
        throw new TypeError(`ldexp exponent must be an integer type. Received: x2 dtype=${pb}`);
      }
      const dtype = resultType(dtypeForPromotion(a), pb, "weak_float");
      const ta = convertToTensor(a, dtype);
      const tb = convertToTensor(b, "float32");
      return tf.mul(ta, tf.pow(tf.scalar(2, "float32"), tb));
    }),
  ) as OpResult<A | B>;
}

/** The next representable float32 after `x1` toward `x2`. */
export function nextafter<A extends OpInput, B extends OpInput>(x1: A, x2: B): OpResult<A | B> {
  return binaryFloat("nextafter", x1, x2, (a, b) => {
    const f = new Float32Array(1);
    const i = new Int32Array(f.buffer);
    return hostBinary(a, b, "float32", (x, y) => {
      if (Number.isNaN(x) || Number.isNaN(y)) return NaN;
      if (x === y) return y;
      if (x === 0) {
        i[0] = 1;
        return y > 0 ? (f[0] as number) : -(f[0] as number);
      }
      f[0] = x;
      if (x < y === x > 0) i[0] = (i[0] as number) + 1;
      else i[0] = (i[0] as number) - 1;
      return f[0] as number;
    });
  });
}

// ---------------------------------------------------------------------------
// NaN and infinity tests

/** Replaces NaN by `nan` (0), +inf by `posinf` (float32 max) and -inf by `neginf` (float32 lowest). */
export function nanToNum<X extends OpInput>(
  x: X,
  options: { nan?: number; posinf?: number | null; neginf?: number | null } = {},
): OpResult<X> {
  const nan = options.nan ?? 0;
  const posinf = options.posinf ?? 3.4028234663852886e38;
  const neginf = options.neginf ?? -3.4028234663852886e38;
  return unary("nan_to_num", x, (t) => {
    if (!isFloat(t)) return t;
    let r = tf.where(tf.isNaN(t), tf.fill(t.shape, nan, "float32"), t);
    r = tf.where(tf.equal(r, Infinity), tf.fill(t.shape, posinf, "float32"), r);
    return tf.where(tf.equal(r, -Infinity), tf.fill(t.shape, neginf, "float32"), r);
  });
}

/** True where the element is NaN. */
export function isnan<X extends OpInput>(x: X): OpResult<X> {
  return unary("isnan", x, (t) => (isFloat(t) ? tf.isNaN(t) : tf.zeros(t.shape, "bool")));
}

/** True where the element is +inf or -inf. */
export function isinf<X extends OpInput>(x: X): OpResult<X> {
  return unary("isinf", x, (t) => (isFloat(t) ? tf.isInf(t) : tf.zeros(t.shape, "bool")));
}

/** True where the element is neither NaN nor infinite. */
export function isfinite<X extends OpInput>(x: X): OpResult<X> {
  return unary("isfinite", x, (t) => (isFloat(t) ? tf.isFinite(t) : tf.ones(t.shape, "bool")));
}

/** True where the element is -inf. */
export function isneginf<X extends OpInput>(x: X): OpResult<X> {
  return unary("isneginf", x, (t) => (isFloat(t) ? tf.equal(t, -Infinity) : tf.zeros(t.shape, "bool")));
}

/** True where the element is +inf. */
export function isposinf<X extends OpInput>(x: X): OpResult<X> {
  return unary("isposinf", x, (t) => (isFloat(t) ? tf.equal(t, Infinity) : tf.zeros(t.shape, "bool")));
}

/** True where the element has no imaginary part (always, for real dtypes). */
export function isreal<X extends OpInput>(x: X): OpResult<X> {
  return unary("isreal", x, (t) => (t.dtype === "complex64" ? tf.equal(tf.imag(t), 0) : tf.ones(t.shape, "bool")));
}

function iscloseT(a: Tensor, b: Tensor, rtol: number, atol: number, equalNan: boolean): Tensor {
  if (!isFloat(a)) return tf.lessEqual(tf.abs(tf.sub(a, b)), tf.add(atol, tf.mul(rtol, tf.abs(tf.cast(b, "float32")))));
  const close = tf.lessEqual(tf.abs(tf.sub(a, b)), tf.add(atol, tf.mul(rtol, tf.abs(b))));
  // Infinities are close only to the same infinity.
  const inf = tf.logicalOr(tf.isInf(a), tf.isInf(b));
  let r = tf.where(inf, tf.equal(a, b), close);
  if (equalNan) r = tf.logicalOr(r, tf.logicalAnd(tf.isNaN(a), tf.isNaN(b)));
  return r;
}

/** Options of `isclose` and `allclose`. */
export interface IscloseOptions {
  /** Relative tolerance (1e-5). */
  rtol?: number;
  /** Absolute tolerance (1e-8). */
  atol?: number;
  /** Whether NaN equals NaN (false). */
  equalNan?: boolean;
}

/** True where `|x1 - x2| <= atol + rtol * |x2|`, elementwise. */
export function isclose<A extends OpInput, B extends OpInput>(x1: A, x2: B, options: IscloseOptions = {}): OpResult<A | B> {
  const { rtol = 1e-5, atol = 1e-8, equalNan = false } = options;
  return binary("isclose", x1, x2, (a, b, d) => {
    if (d === "bool") return iscloseT(tf.cast(a, "int32"), tf.cast(b, "int32"), rtol, atol, equalNan);
    return iscloseT(a, b, rtol, atol, equalNan);
  });
}

/** A scalar bool tensor: whether all elements are close (see `isclose`). */
export function allclose<A extends OpInput, B extends OpInput>(x1: A, x2: B, options: IscloseOptions = {}): OpResult<A | B> {
  const { rtol = 1e-5, atol = 1e-8, equalNan = false } = options;
  return binary("allclose", x1, x2, (a, b, d) => {
    const c = d === "bool" ? iscloseT(tf.cast(a, "int32"), tf.cast(b, "int32"), rtol, atol, equalNan) : iscloseT(a, b, rtol, atol, equalNan);
    return tf.all(c);
  });
}

// ---------------------------------------------------------------------------
// Comparisons and logic

/** `x1 == x2`, elementwise (bool). */
export function equal<A extends OpInput, B extends OpInput>(x1: A, x2: B): OpResult<A | B> {
  return compare("equal", x1, x2, (a, b) => tf.equal(a, b));
}
/** `x1 != x2`, elementwise (bool). */
export function notEqual<A extends OpInput, B extends OpInput>(x1: A, x2: B): OpResult<A | B> {
  return compare("not_equal", x1, x2, (a, b) => tf.notEqual(a, b));
}
/** `x1 > x2`, elementwise (bool). */
export function greater<A extends OpInput, B extends OpInput>(x1: A, x2: B): OpResult<A | B> {
  return compare("greater", x1, x2, (a, b) => tf.greater(a, b));
}
/** `x1 >= x2`, elementwise (bool). */
export function greaterEqual<A extends OpInput, B extends OpInput>(x1: A, x2: B): OpResult<A | B> {
  return compare("greater_equal", x1, x2, (a, b) => tf.greaterEqual(a, b));
}
/** `x1 < x2`, elementwise (bool). */
export function less<A extends OpInput, B extends OpInput>(x1: A, x2: B): OpResult<A | B> {
  return compare("less", x1, x2, (a, b) => tf.less(a, b));
}
/** `x1 <= x2`, elementwise (bool). */
export function lessEqual<A extends OpInput, B extends OpInput>(x1: A, x2: B): OpResult<A | B> {
  return compare("less_equal", x1, x2, (a, b) => tf.lessEqual(a, b));
}

function toBool(t: Tensor): Tensor {
  return t.dtype === "bool" ? t : tf.cast(t, "bool");
}

function logical<A extends OpInput, B extends OpInput>(
  name: string,
  x1: A,
  x2: B,
  fn: (a: Tensor, b: Tensor) => Tensor,
): OpResult<A | B> {
  return dispatch(name, [x1, x2], (a: TensorLike, b: TensorLike) =>
    tf.tidy(() => fn(toBool(convertToTensor(a)), toBool(convertToTensor(b)))),
  ) as OpResult<A | B>;
}

/** Logical and of the truth values (bool). */
export function logicalAnd<A extends OpInput, B extends OpInput>(x1: A, x2: B): OpResult<A | B> {
  return logical("logical_and", x1, x2, (a, b) => tf.logicalAnd(a, b));
}
/** Logical or of the truth values (bool). */
export function logicalOr<A extends OpInput, B extends OpInput>(x1: A, x2: B): OpResult<A | B> {
  return logical("logical_or", x1, x2, (a, b) => tf.logicalOr(a, b));
}
/** Logical xor of the truth values (bool). */
export function logicalXor<A extends OpInput, B extends OpInput>(x1: A, x2: B): OpResult<A | B> {
  return logical("logical_xor", x1, x2, (a, b) => tf.logicalXor(a, b));
}
/** Logical not of the truth values (bool). */
export function logicalNot<X extends OpInput>(x: X): OpResult<X> {
  return unary("logical_not", x, (t) => tf.logicalNot(toBool(t)));
}

// ---------------------------------------------------------------------------
// Bitwise (int32 and bool)

function bitwise<A extends OpInput, B extends OpInput>(
  name: string,
  x: A,
  y: B,
  intFn: (p: number, q: number) => number,
  boolFn: (a: Tensor, b: Tensor) => Tensor,
): OpResult<A | B> {
  return binary(name, x, y, (a, b, d) => {
    requireInt(name, a);
    if (d === "bool") return boolFn(a, b);
    return hostBinary(a, b, d, intFn);
  });
}

/** Bitwise and of integers (logical and of bools). */
export function bitwiseAnd<A extends OpInput, B extends OpInput>(x: A, y: B): OpResult<A | B> {
  return bitwise("bitwise_and", x, y, (p, q) => p & q, (a, b) => tf.logicalAnd(a, b));
}
/** Bitwise or of integers (logical or of bools). */
export function bitwiseOr<A extends OpInput, B extends OpInput>(x: A, y: B): OpResult<A | B> {
  return bitwise("bitwise_or", x, y, (p, q) => p | q, (a, b) => tf.logicalOr(a, b));
}
/** Bitwise xor of integers (logical xor of bools). */
export function bitwiseXor<A extends OpInput, B extends OpInput>(x: A, y: B): OpResult<A | B> {
  return bitwise("bitwise_xor", x, y, (p, q) => p ^ q, (a, b) => tf.logicalXor(a, b));
}
/** Bitwise not of integers (`~x`; logical not of bools). */
export function bitwiseNot<X extends OpInput>(x: X): OpResult<X> {
  return unary("bitwise_not", x, (t) => {
    requireInt("bitwise_not", t);
    return t.dtype === "bool" ? tf.logicalNot(t) : hostUnary(t, "int32", (p) => ~p);
  });
}
/** Same as `bitwiseNot`. */
export function bitwiseInvert<X extends OpInput>(x: X): OpResult<X> {
  return unary("bitwise_invert", x, (t) => {
    requireInt("bitwise_invert", t);
    return t.dtype === "bool" ? tf.logicalNot(t) : hostUnary(t, "int32", (p) => ~p);
  });
}

function shiftOp<A extends OpInput, B extends OpInput>(name: string, x: A, y: B, left: boolean): OpResult<A | B> {
  return dispatch(name, [x, y], (a: TensorLike, b: TensorLike) =>
    tf.tidy(() => {
      let ta = convertToTensor(a);
      // A JS integer shift count does not take part in promotion.
      const dtype = typeof b === "number" ? (ta.dtype as DType) : resultType(ta.dtype as DType, dtypeForPromotion(b));
      const outDtype: DType = dtype === "bool" ? "int32" : dtype;
      ta = convertToTensor(ta, outDtype);
      const tb = convertToTensor(b, "int32");
      requireInt(name, ta);
      return hostBinary(ta, tb, outDtype, (p, q) => {
        if (q < 0) return 0;
        if (left) return q >= 32 ? 0 : p << q;
        return q >= 32 ? (p < 0 ? -1 : 0) : p >> q;
      });
    }),
  ) as OpResult<A | B>;
}

/** Shifts the bits of `x` left by `y`. */
export function bitwiseLeftShift<A extends OpInput, B extends OpInput>(x: A, y: B): OpResult<A | B> {
  return shiftOp("bitwise_left_shift", x, y, true);
}
/** Same as `bitwiseLeftShift`. */
export function leftShift<A extends OpInput, B extends OpInput>(x: A, y: B): OpResult<A | B> {
  return shiftOp("left_shift", x, y, true);
}
/** Shifts the bits of `x` right by `y` (arithmetic shift). */
export function bitwiseRightShift<A extends OpInput, B extends OpInput>(x: A, y: B): OpResult<A | B> {
  return shiftOp("bitwise_right_shift", x, y, false);
}
/** Same as `bitwiseRightShift`. */
export function rightShift<A extends OpInput, B extends OpInput>(x: A, y: B): OpResult<A | B> {
  return shiftOp("right_shift", x, y, false);
}

function gcdInt(p: number, q: number): number {
  let a = Math.abs(p);
  let b = Math.abs(q);
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

/** Greatest common divisor of integers (non-negative). */
export function gcd<A extends OpInput, B extends OpInput>(x1: A, x2: B): OpResult<A | B> {
  return binary(
    "gcd",
    x1,
    x2,
    (a, b, d) => {
      requireInt("gcd", a);
      return hostBinary(a, b, d, gcdInt);
    },
    (d) => (d === "bool" ? "int32" : d),
  );
}

/** Least common multiple of integers (non-negative). */
export function lcm<A extends OpInput, B extends OpInput>(x1: A, x2: B): OpResult<A | B> {
  return binary(
    "lcm",
    x1,
    x2,
    (a, b, d) => {
      requireInt("lcm", a);
      return hostBinary(a, b, d, (p, q) => {
        const g = gcdInt(p, q);
        return g === 0 ? 0 : Math.abs((p / g) * q);
      });
    },
    (d) => (d === "bool" ? "int32" : d),
  );
}

// ---------------------------------------------------------------------------
// Complex parts

/** The real part (the tensor itself, copied, for real dtypes). */
export function real<X extends OpInput>(x: X): OpResult<X> {
  return unary("real", x, (t) => (t.dtype === "complex64" ? tf.real(t) : t));
}

/** The imaginary part (zeros for real dtypes). */
export function imag<X extends OpInput>(x: X): OpResult<X> {
  return unary("imag", x, (t) => (t.dtype === "complex64" ? tf.imag(t) : tf.zerosLike(t)));
}

/** The complex conjugate (the tensor itself, copied, for real dtypes). */
export function conjugate<X extends OpInput>(x: X): OpResult<X> {
  return unary("conjugate", x, (t) => (t.dtype === "complex64" ? tf.complex(tf.real(t), tf.neg(tf.imag(t))) : t));
}

/** Same as `conjugate`. */
export function conj<X extends OpInput>(x: X): OpResult<X> {
  return unary("conj", x, (t) => (t.dtype === "complex64" ? tf.complex(tf.real(t), tf.neg(tf.imag(t))) : t));
}

/** The argument (angle) of complex numbers; π for negative reals, else 0 (float). */
export function angle<X extends OpInput>(x: X): OpResult<X> {
  return unary("angle", x, (t) => {
    if (t.dtype === "complex64") return tf.atan2(tf.imag(t), tf.real(t));
    const f = t.dtype === "float32" ? t : tf.cast(t, "float32");
    const r = tf.atan2(tf.zerosLike(f), f);
    return isFloat(t) ? tf.where(tf.isNaN(f), f, r) : r;
  });
}
