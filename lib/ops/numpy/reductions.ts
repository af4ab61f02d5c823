/**
 * keras.ops.numpy: reductions (sum, mean, max, quantiles...), cumulative ops
 * and their NaN-ignoring variants. `axis` is a number, a list of numbers, or
 * null/undefined for all axes; negative axes count from the end.
 */
import { tf, type Tensor } from "../../backend/tfjs.js";
import { type DType, type DTypeLike, resultType, standardizeDtype } from "../../backend/dtypes.js";
import { convertToTensor, dtypeForPromotion, type OpInput, type OpResult, type TensorLike } from "../convert.js";
import { dispatch } from "../operation.js";
import { normalizeAxes, normalizeAxis } from "../axis.js";

type AxisArg = number | readonly number[] | null | undefined;

/** float32 for ints and bool, else the dtype itself. */
function floatOf(d: DType): DType {
  return resultType(d, "weak_float");
}

function toFloat(t: Tensor): Tensor {
  const d = floatOf(t.dtype as DType);
  return t.dtype === d ? t : tf.cast(t, d);
}

function isFloat(t: Tensor): boolean {
  return t.dtype === "float32";
}

/** Runs a one-tensor op under tidy; never returns the argument itself. */
function run<X extends OpInput>(name: string, x: X, fn: (t: Tensor) => Tensor): OpResult<X> {
  return dispatch(name, [x], (a: TensorLike) =>
    tf.tidy(() => {
      const t = convertToTensor(a);
      const r = fn(t);
      return r === t ? tf.clone(r) : r;
    }),
  ) as OpResult<X>;
}

/** The axes a reduction runs over; a scalar has none (axis 0 / -1 of a scalar is accepted). */
function axesOf(axis: AxisArg, rank: number): number[] {
  const axes = normalizeAxes(axis, rank);
  return rank === 0 ? [] : axes;
}

/** The shape a reduction over `axes` gives with keepdims. */
function keptShape(shape: readonly number[], axes: readonly number[]): number[] {
  return shape.map((d, i) => (axes.includes(i) ? 1 : d));
}

/** Sum with bool promoted to int32. */
function sumT(t: Tensor, axes: number[], keepdims: boolean): Tensor {
  return tf.sum(t.dtype === "bool" ? tf.cast(t, "int32") : t, axes, keepdims);
}

function anyNaN(t: Tensor, axes: number[], keepdims: boolean): Tensor {
  return tf.any(tf.isNaN(t), axes, keepdims);
}

/** max/min with NumPy's NaN propagation and the optional `initial`. */
function extremum(t: Tensor, axes: number[], keepdims: boolean, initial: number | null | undefined, isMax: boolean): Tensor {
  const size = axes.reduce((p, a) => p * (t.shape[a] as number), 1);
  let r: Tensor;
  if (size === 0) {
    if (initial == null) throw new Error(`zero-size array to reduction operation ${isMax ? "max" : "min"} which has no identity; pass \`initial\`.`);
    const shape = keepdims ? keptShape(t.shape, axes) : t.shape.filter((_, i) => !axes.includes(i));
    return tf.fill(shape, initial, t.dtype === "bool" ? "int32" : (t.dtype as DType));
  }
  r = isMax ? tf.max(t, axes, keepdims) : tf.min(t, axes, keepdims);
  if (isFloat(t)) r = tf.where(anyNaN(t, axes, keepdims), tf.fill(r.shape, NaN), r);
  if (initial != null) {
    const init = convertToTensor(initial, r.dtype === "bool" ? "int32" : (r.dtype as DType));
    const base = r.dtype === "bool" ? tf.cast(r, "int32") : r;
    r = isMax ? tf.maximum(base, init) : tf.minimum(base, init);
  }
  return r;
}

// ---------------------------------------------------------------------------
// Basic reductions

/** Sum over `axis` (all axes when null). Bool sums to int32; ints stay int32. */
export function sum<X extends OpInput>(x: X, axis?: AxisArg, keepdims = false): OpResult<X> {
  return run("sum", x, (t) => sumT(t, axesOf(axis, t.rank), keepdims));
}

/** Arithmetic mean over `axis`; ints and bool give float32. */
export function mean<X extends OpInput>(x: X, axis?: AxisArg, keepdims = false): OpResult<X> {
  return run("mean", x, (t) => tf.mean(toFloat(t), axesOf(axis, t.rank), keepdims));
}

/** Maximum over `axis` (NaN propagates); `initial` is a lower bound for the result. */
export function max<X extends OpInput>(x: X, axis?: AxisArg, keepdims = false, initial?: number | null): OpResult<X> {
  return run("max", x, (t) => extremum(t, axesOf(axis, t.rank), keepdims, initial, true));
}

/** Same as `max`. */
export function amax<X extends OpInput>(x: X, axis?: AxisArg, keepdims = false): OpResult<X> {
  return run("amax", x, (t) => extremum(t, axesOf(axis, t.rank), keepdims, null, true));
}

/** Minimum over `axis` (NaN propagates); `initial` is an upper bound for the result. */
export function min<X extends OpInput>(x: X, axis?: AxisArg, keepdims = false, initial?: number | null): OpResult<X> {
  return run("min", x, (t) => extremum(t, axesOf(axis, t.rank), keepdims, initial, false));
}

/** Same as `min`. */
export function amin<X extends OpInput>(x: X, axis?: AxisArg, keepdims = false): OpResult<X> {
  return run("amin", x, (t) => extremum(t, axesOf(axis, t.rank), keepdims, null, false));
}

/** Product over `axis`. Bool gives int32; `dtype` overrides the result dtype. */
export function prod<X extends OpInput>(x: X, axis?: AxisArg, keepdims = false, dtype?: DTypeLike | null): OpResult<X> {
  return run("prod", x, (t) => {
    const d: DType = dtype != null ? standardizeDtype(dtype) : t.dtype === "bool" ? "int32" : (t.dtype as DType);
    return tf.prod(t.dtype === d ? t : tf.cast(t, d), axesOf(axis, t.rank), keepdims);
  });
}

function varT(t: Tensor, axes: number[], keepdims: boolean): Tensor {
  const f = toFloat(t);
  const m = tf.mean(f, axes, true);
  return tf.mean(tf.square(tf.sub(f, m)), axes, keepdims);
}

/** Population variance over `axis` (float). */
function variance<X extends OpInput>(x: X, axis?: AxisArg, keepdims = false): OpResult<X> {
  return run("var", x, (t) => varT(t, axesOf(axis, t.rank), keepdims));
}

export { variance as var };

/** Population standard deviation over `axis` (float). */
export function std<X extends OpInput>(x: X, axis?: AxisArg, keepdims = false): OpResult<X> {
  return run("std", x, (t) => tf.sqrt(varT(t, axesOf(axis, t.rank), keepdims)));
}

/** Whether all elements along `axis` are truthy (bool). */
export function all<X extends OpInput>(x: X, axis?: AxisArg, keepdims = false): OpResult<X> {
  // not(any(not x)): true over empty slices, as in NumPy.
  return run("all", x, (t) => tf.logicalNot(tf.any(tf.logicalNot(t.dtype === "bool" ? t : tf.cast(t, "bool")), axesOf(axis, t.rank), keepdims)));
}

/** Whether any element along `axis` is truthy (bool). */
export function any<X extends OpInput>(x: X, axis?: AxisArg, keepdims = false): OpResult<X> {
  return run("any", x, (t) => tf.any(t.dtype === "bool" ? t : tf.cast(t, "bool"), axesOf(axis, t.rank), keepdims));
}

/** Number of non-zero elements along `axis` (int32). */
export function countNonzero<X extends OpInput>(x: X, axis?: AxisArg): OpResult<X> {
  return run("count_nonzero", x, (t) => tf.sum(tf.cast(tf.notEqual(t, tf.zeros([], t.dtype)), "int32"), axesOf(axis, t.rank)));
}

/** Peak to peak: `max - min` along `axis`. Keeps the dtype. */
export function ptp<X extends OpInput>(x: X, axis?: AxisArg, keepdims = false): OpResult<X> {
  return run("ptp", x, (t) => {
    if (t.dtype === "bool") throw new TypeError("ptp is not supported for boolean tensors.");
    const axes = axesOf(axis, t.rank);
    return tf.sub(extremum(t, axes, keepdims, null, true), extremum(t, axes, keepdims, null, false));
  });
}

/** Weighted average along `axis`; `weights` has `x`'s shape or is 1-D along `axis` (float). */
export function average<X extends OpInput, W extends OpInput = never>(x: X, axis?: number | number[] | null, weights?: W | null): OpResult<X | W> {
  if (weights == null) {
    return run("average", x, (t) => tf.mean(toFloat(t), axesOf(axis, t.rank)));
  }
  return dispatch("average", [x, weights], (a: TensorLike, w: TensorLike) =>
    tf.tidy(() => {
      const dtype = resultType(dtypeForPromotion(a), dtypeForPromotion(w), "weak_float");
      const t = convertToTensor(a, dtype);
      let tw = convertToTensor(w, dtype);
      const axes = axesOf(axis, t.rank);
      if (tw.rank !== t.rank || !tw.shape.every((d, i) => d === t.shape[i])) {
        if (axis == null || typeof axis !== "number") {
          throw new Error(`average: axis must be a single integer when weights have a different shape than x. Received: x.shape=[${t.shape}], weights.shape=[${tw.shape}], axis=${JSON.stringify(axis)}`);
        }
        const ax = normalizeAxis(axis, t.rank);
        if (tw.rank !== 1 || tw.shape[0] !== t.shape[ax]) {
          throw new Error(`average: weights of shape [${tw.shape}] do not match x of shape [${t.shape}] along axis ${axis}.`);
        }
        tw = tf.reshape(tw, t.shape.map((d, i) => (i === ax ? d : 1)));
      }
      const wsum = tf.sum(tf.mul(tf.onesLike(t), tw), axes);
      return tf.div(tf.sum(tf.mul(t, tw), axes), wsum);
    }),
  ) as OpResult<X | W>;
}

// ---------------------------------------------------------------------------
// argmax / argmin

const FLOAT32_TINY = 1.1754943508222875e-38;

function argT(t: Tensor, axis: number | null | undefined, keepdims: boolean, isMax: boolean): Tensor {
  if (t.rank === 0) return tf.scalar(0, "int32");
  let src = t;
  let ax: number;
  if (axis == null) {
    src = tf.reshape(t, [-1]);
    ax = 0;
  } else {
    ax = normalizeAxis(axis, t.rank);
  }
  if (src.dtype === "bool") src = tf.cast(src, "int32");
  let r: Tensor;
  if (isFloat(src)) {
    // -0 sorts below +0, and the first NaN wins, as in NumPy.
    const negZero = tf.logicalAnd(tf.equal(src, 0), tf.less(tf.div(1, src), 0));
    const adj = tf.where(negZero, tf.fill(src.shape, -FLOAT32_TINY), src);
    const nan = tf.isNaN(src);
    const base = isMax ? tf.argMax(adj, ax) : tf.argMin(adj, ax);
    r = tf.where(tf.any(nan, ax), tf.argMax(tf.cast(nan, "int32"), ax), base);
  } else {
    r = isMax ? tf.argMax(src, ax) : tf.argMin(src, ax);
  }
  if (keepdims) {
    r = axis == null ? tf.reshape(r, t.shape.map(() => 1)) : tf.expandDims(r, ax);
  }
  return r;
}

/** Index of the maximum along `axis` (of the flattened tensor when null), int32. */
export function argmax<X extends OpInput>(x: X, axis?: number | null, keepdims = false): OpResult<X> {
  return run("argmax", x, (t) => argT(t, axis, keepdims, true));
}

/** Index of the minimum along `axis` (of the flattened tensor when null), int32. */
export function argmin<X extends OpInput>(x: X, axis?: number | null, keepdims = false): OpResult<X> {
  return run("argmin", x, (t) => argT(t, axis, keepdims, false));
}

// ---------------------------------------------------------------------------
// Cumulative ops

function cumT(t: Tensor, axis: number | null | undefined, dtype: DTypeLike | null | undefined, isSum: boolean, nanFill: number | null): Tensor {
  let d: DType = dtype != null ? standardizeDtype(dtype) : (t.dtype as DType);
  if (d === "bool") d = "int32";
  let src = t;
  let ax: number;
  if (axis == null) {
    src = tf.reshape(t, [-1]);
    ax = 0;
  } else {
    ax = normalizeAxis(axis, t.rank);
  }
  if (nanFill !== null && isFloat(src)) src = tf.where(tf.isNaN(src), tf.fill(src.shape, nanFill), src);
  if (src.dtype !== d) src = tf.cast(src, d);
  if (src.rank === 0) src = tf.reshape(src, [1]);
  return isSum ? tf.cumsum(src, ax) : tf.cumprod(src, ax);
}

/** Cumulative sum along `axis` (over the flattened tensor when null). Bool gives int32. */
export function cumsum<X extends OpInput>(x: X, axis?: number | null, dtype?: DTypeLike | null): OpResult<X> {
  return run("cumsum", x, (t) => cumT(t, axis, dtype, true, null));
}

/** Cumulative product along `axis` (over the flattened tensor when null). Bool gives int32. */
export function cumprod<X extends OpInput>(x: X, axis?: number | null, dtype?: DTypeLike | null): OpResult<X> {
  return run("cumprod", x, (t) => cumT(t, axis, dtype, false, null));
}

/** Cumulative sum treating NaN as 0. */
export function nancumsum<X extends OpInput>(x: X, axis?: number | null, dtype?: DTypeLike | null): OpResult<X> {
  return run("nancumsum", x, (t) => cumT(t, axis, dtype, true, 0));
}

/** Cumulative product treating NaN as 1. */
export function nancumprod<X extends OpInput>(x: X, axis?: number | null, dtype?: DTypeLike | null): OpResult<X> {
  return run("nancumprod", x, (t) => cumT(t, axis, dtype, false, 1));
}

// ---------------------------------------------------------------------------
// Quantiles

/** Interpolation methods of `quantile`, `percentile` and their NaN variants. */
export type QuantileMethod = "linear" | "lower" | "higher" | "midpoint" | "nearest";

/** Options of `quantile`, `percentile`, `nanquantile`, `nanpercentile`. */
export interface QuantileOptions {
  /** How to pick between the two nearest data points ("linear"). */
  method?: QuantileMethod;
  /** Keep reduced axes as size 1 (false). */
  keepdims?: boolean;
}

const METHODS: readonly string[] = ["linear", "lower", "higher", "midpoint", "nearest"];

function checkQ(q: unknown, scale: number, what: string): void {
  const vals: number[] = [];
  if (typeof q === "number") vals.push(q);
  else if (Array.isArray(q)) vals.push(...((q as unknown[]).flat(Infinity) as number[]));
  for (const v of vals) {
    if (!(v >= 0 && v <= scale)) throw new Error(`${what} must be in the range [0, ${scale}]. Received: ${v}`);
  }
}

function quantileT(x: Tensor, qIn: Tensor, axis: AxisArg, method: QuantileMethod, keepdims: boolean, ignoreNan: boolean): Tensor {
  if (!METHODS.includes(method)) throw new Error(`Invalid quantile method: ${String(method)}. Expected one of ${METHODS.join(", ")}.`);
  let t = toFloat(x);
  const rank0 = t.rank === 0;
  if (rank0) t = tf.reshape(t, [1]);
  const axes = axesOf(axis, t.rank);
  const kept = t.shape.map((_, i) => i).filter((i) => !axes.includes(i));
  const keptDims = kept.map((i) => t.shape[i] as number);
  const m = keptDims.reduce((p, d) => p * d, 1);
  const n = axes.reduce((p, a) => p * (t.shape[a] as number), 1);
  const q = tf.cast(qIn, "float32");
  const qf = tf.reshape(q, [-1]);
  const nq = qf.shape[0] as number;
  const outShape = [...q.shape, ...(rank0 ? [] : keepdims ? keptShape(t.shape, axes) : keptDims)];
  if (n === 0 || m === 0) return tf.fill(outShape, NaN);

  const flat = tf.reshape(tf.transpose(t, [...kept, ...axes]), [m, n]);
  const nanMask = tf.isNaN(flat);
  const filled = tf.where(nanMask, tf.fill(flat.shape, Infinity), flat);
  const sorted = tf.reverse(tf.topk(filled, n, true).values, -1);
  const count = ignoreNan ? tf.sub(n, tf.sum(tf.cast(nanMask, "float32"), -1)) : tf.fill([m], n);
  const last = tf.maximum(tf.sub(count, 1), 0); // [m]
  const pos = tf.mul(tf.reshape(qf, [1, nq]), tf.reshape(last, [m, 1])); // [m, nq]
  const gatherAt = (idx: Tensor): Tensor => tf.gather(sorted, tf.cast(idx, "int32"), 1, 1);
  let r: Tensor;
  if (method === "lower") r = gatherAt(tf.floor(pos));
  else if (method === "higher") r = gatherAt(tf.ceil(pos));
  else if (method === "nearest") r = gatherAt(tf.round(pos));
  else {
    const lo = tf.floor(pos);
    const glo = gatherAt(lo);
    const ghi = gatherAt(tf.ceil(pos));
    if (method === "midpoint") r = tf.where(tf.equal(lo, pos), glo, tf.div(tf.add(glo, ghi), 2));
    else {
      const frac = tf.sub(pos, lo);
      r = tf.where(tf.equal(frac, 0), glo, tf.add(glo, tf.mul(frac, tf.sub(ghi, glo))));
    }
  }
  const bad = ignoreNan ? tf.equal(count, 0) : tf.any(nanMask, -1); // [m]
  r = tf.where(tf.reshape(bad, [m, 1]), tf.fill([m, nq], NaN), r);
  return tf.reshape(tf.transpose(r, [1, 0]), outShape);
}

function quantileOp<X extends OpInput, Q extends OpInput>(
  name: string,
  x: X,
  q: Q,
  axis: AxisArg,
  options: QuantileOptions,
  scale: number,
  ignoreNan: boolean,
): OpResult<X | Q> {
  checkQ(q, scale, scale === 1 ? "Quantiles" : "Percentiles");
  const method = options.method ?? "linear";
  const keepdims = options.keepdims ?? false;
  return dispatch(name, [x, q], (a: TensorLike, b: TensorLike) =>
    tf.tidy(() => {
      let tq = convertToTensor(b, "float32");
      if (scale !== 1) tq = tf.div(tq, scale);
      return quantileT(convertToTensor(a), tq, axis, method, keepdims, ignoreNan);
    }),
  ) as OpResult<X | Q>;
}

/** The q-th quantile(s) along `axis`, q in [0, 1]; the output has q's shape in front (float). */
export function quantile<X extends OpInput, Q extends OpInput>(x: X, q: Q, axis?: AxisArg, options: QuantileOptions = {}): OpResult<X | Q> {
  return quantileOp("quantile", x, q, axis, options, 1, false);
}

/** The q-th percentile(s) along `axis`, q in [0, 100] (float). */
export function percentile<X extends OpInput, Q extends OpInput>(x: X, q: Q, axis?: AxisArg, options: QuantileOptions = {}): OpResult<X | Q> {
  return quantileOp("percentile", x, q, axis, options, 100, false);
}

/** Like `quantile`, ignoring NaNs. */
export function nanquantile<X extends OpInput, Q extends OpInput>(x: X, q: Q, axis?: AxisArg, options: QuantileOptions = {}): OpResult<X | Q> {
  return quantileOp("nanquantile", x, q, axis, options, 1, true);
}

/** Like `percentile`, ignoring NaNs. */
export function nanpercentile<X extends OpInput, Q extends OpInput>(x: X, q: Q, axis?: AxisArg, options: QuantileOptions = {}): OpResult<X | Q> {
  return quantileOp("nanpercentile", x, q, axis, options, 100, true);
}

/** Median along `axis` (float). */
export function median<X extends OpInput>(x: X, axis?: AxisArg, keepdims = false): OpResult<X> {
  return run("median", x, (t) => quantileT(t, tf.scalar(0.5), axis, "linear", keepdims, false));
}

/** Median along `axis`, ignoring NaNs (float). */
export function nanmedian<X extends OpInput>(x: X, axis?: AxisArg, keepdims = false): OpResult<X> {
  return run("nanmedian", x, (t) => quantileT(t, tf.scalar(0.5), axis, "linear", keepdims, true));
}

// ---------------------------------------------------------------------------
// NaN-ignoring reductions

function withoutNaN(t: Tensor, fill: number): Tensor {
  return isFloat(t) ? tf.where(tf.isNaN(t), tf.fill(t.shape, fill), t) : t;
}

function nanCount(t: Tensor, axes: number[], keepdims: boolean): Tensor {
  return tf.sum(tf.cast(tf.logicalNot(tf.isNaN(t)), "float32"), axes, keepdims);
}

/** Sum treating NaN as 0. */
export function nansum<X extends OpInput>(x: X, axis?: AxisArg, keepdims = false): OpResult<X> {
  return run("nansum", x, (t) => sumT(withoutNaN(t, 0), axesOf(axis, t.rank), keepdims));
}

/** Product treating NaN as 1. */
export function nanprod<X extends OpInput>(x: X, axis?: AxisArg, keepdims = false): OpResult<X> {
  return run("nanprod", x, (t) => {
    const s = withoutNaN(t, 1);
    return tf.prod(s.dtype === "bool" ? tf.cast(s, "int32") : s, axesOf(axis, t.rank), keepdims);
  });
}

/** Mean of the non-NaN elements (NaN for an all-NaN slice; float). */
export function nanmean<X extends OpInput>(x: X, axis?: AxisArg, keepdims = false): OpResult<X> {
  return run("nanmean", x, (t) => {
    const f = toFloat(t);
    const axes = axesOf(axis, t.rank);
    return tf.div(tf.sum(withoutNaN(f, 0), axes, keepdims), nanCount(f, axes, keepdims));
  });
}

function nanvarT(t: Tensor, axes: number[], keepdims: boolean): Tensor {
  const f = toFloat(t);
  const cnt = nanCount(f, axes, true);
  const m = tf.div(tf.sum(withoutNaN(f, 0), axes, true), cnt);
  const sq = withoutNaN(tf.square(tf.sub(f, m)), 0);
  const v = tf.div(tf.sum(sq, axes, true), cnt);
  return keepdims || axes.length === 0 ? v : tf.squeeze(v, axes);
}

/** Variance of the non-NaN elements (float). */
export function nanvar<X extends OpInput>(x: X, axis?: AxisArg, keepdims = false): OpResult<X> {
  return run("nanvar", x, (t) => nanvarT(t, axesOf(axis, t.rank), keepdims));
}

/** Standard deviation of the non-NaN elements (float). */
export function nanstd<X extends OpInput>(x: X, axis?: AxisArg, keepdims = false): OpResult<X> {
  return run("nanstd", x, (t) => tf.sqrt(nanvarT(t, axesOf(axis, t.rank), keepdims)));
}

function nanExtremum(t: Tensor, axes: number[], keepdims: boolean, isMax: boolean): Tensor {
  if (!isFloat(t)) return extremum(t, axes, keepdims, null, isMax);
  const filled = withoutNaN(t, isMax ? -Infinity : Infinity);
  const r = isMax ? tf.max(filled, axes, keepdims) : tf.min(filled, axes, keepdims);
  const allNan = tf.all(tf.isNaN(t), axes, keepdims);
  return tf.where(allNan, tf.fill(r.shape, NaN), r);
}

/** Maximum ignoring NaNs (NaN for an all-NaN slice). */
export function nanmax<X extends OpInput>(x: X, axis?: AxisArg, keepdims = false): OpResult<X> {
  return run("nanmax", x, (t) => nanExtremum(t, axesOf(axis, t.rank), keepdims, true));
}

/** Minimum ignoring NaNs (NaN for an all-NaN slice). */
export function nanmin<X extends OpInput>(x: X, axis?: AxisArg, keepdims = false): OpResult<X> {
  return run("nanmin", x, (t) => nanExtremum(t, axesOf(axis, t.rank), keepdims, false));
}

function nanArg(t: Tensor, axis: number | null | undefined, keepdims: boolean, isMax: boolean): Tensor {
  if (!isFloat(t)) return argT(t, axis, keepdims, isMax);
  const nan = tf.isNaN(t);
  const r = argT(withoutNaN(t, isMax ? -Infinity : Infinity), axis, keepdims, isMax);
  if (t.rank === 0) return tf.where(nan, tf.scalar(-1, "int32"), r);
  const allNan = axis == null ? tf.all(nan, undefined, keepdims) : tf.all(nan, normalizeAxis(axis, t.rank), keepdims);
  return tf.where(tf.reshape(allNan, r.shape), tf.fill(r.shape, -1, "int32"), r);
}

/** Index of the maximum ignoring NaNs; -1 for an all-NaN slice (int32). */
export function nanargmax<X extends OpInput>(x: X, axis?: number | null, keepdims = false): OpResult<X> {
  return run("nanargmax", x, (t) => nanArg(t, axis, keepdims, true));
}

/** Index of the minimum ignoring NaNs; -1 for an all-NaN slice (int32). */
export function nanargmin<X extends OpInput>(x: X, axis?: number | null, keepdims = false): OpResult<X> {
  return run("nanargmin", x, (t) => nanArg(t, axis, keepdims, false));
}

// ---------------------------------------------------------------------------
// Correlation

/**
 * Pearson correlation coefficients (NumPy's `corrcoef` with `rowvar=True`):
 * each row of `x` (2-D) is a variable, each column an observation; returns
 * the `[rows, rows]` matrix, clipped to [-1, 1]. A 1-D `x` is one variable
 * (the result is the scalar 1, or NaN for a constant).
 */
export function corrcoef<X extends OpInput>(x: X): OpResult<X> {
  return run("corrcoef", x, (t) => {
    if (t.rank > 2) throw new Error(`corrcoef: expected a 1-D or 2-D tensor; got shape [${t.shape}].`);
    const vec = t.rank <= 1;
    const xt = toFloat(vec ? tf.reshape(t, [1, -1]) : t);
    const n = xt.shape[1]!;
    const centered = tf.sub(xt, tf.mean(xt, 1, true));
    const cov = tf.div(tf.matMul(centered, centered, false, true), n - 1);
    const std = tf.sqrt(tf.reshape(tf.sum(tf.mul(tf.eye(xt.shape[0]!), cov), 1), [-1]));
    const corr = tf.clipByValue(tf.div(cov, tf.outerProduct(std as tf.Tensor1D, std as tf.Tensor1D)), -1, 1);
    return vec ? tf.reshape(corr, []) : corr;
  });
}
