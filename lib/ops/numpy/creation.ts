/**
 * keras.ops.numpy: tensor creation (ranges, constants, identity and
 * triangular matrices, diagonals, grids, window functions).
 */
import { tf, type Tensor } from "../../backend/tfjs.js";
import { type DType, type DTypeLike, resultType, standardizeDtype } from "../../backend/dtypes.js";
import { convertToTensor, dtypeForPromotion, type OpInput, type OpResult, type TensorLike } from "../convert.js";
import { dispatch } from "../operation.js";
import { KerasTensor } from "../../backend/keras-tensor.js";
import { broadcastShapes, normalizeAxis } from "../axis.js";

/** A shape argument: one dimension or a list of them. */
type ShapeArg = number | readonly number[];

function toShape(shape: ShapeArg, what = "shape"): number[] {
  const s = typeof shape === "number" ? [shape] : [...shape];
  for (const d of s) {
    if (!Number.isInteger(d) || d < 0) throw new Error(`Invalid ${what} ${JSON.stringify(shape)}: dimensions must be non-negative integers.`);
  }
  return s;
}

function makeTensor(values: ArrayLike<number>, shape: number[], dtype: DType): Tensor {
  if (dtype === "float32") return tf.tensor(Float32Array.from(values), shape, "float32");
  if (dtype === "int32") return tf.tensor(Int32Array.from(values, (v) => Math.trunc(v)), shape, "int32");
  if (dtype === "bool") return tf.tensor(Uint8Array.from(values, (v) => (v ? 1 : 0)), shape, "bool");
  return tf.cast(tf.tensor(Float32Array.from(values), shape, "float32"), dtype);
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

// ---------------------------------------------------------------------------
// Ranges

/**
 * Evenly spaced values in [start, stop) with `step`; `arange(n)` is 0..n-1.
 * The dtype is int32 when all arguments are integers, else float32.
 */
export function arange(start: number, stop?: number | null, step?: number | null, dtype?: DTypeLike | null): Tensor {
  let d: DType;
  if (dtype != null) d = standardizeDtype(dtype);
  else {
    const args = [start, stop, step].filter((v): v is number => v != null);
    d = resultType(...args.map((v) => dtypeForPromotion(v)));
  }
  let lo = start;
  let hi = stop;
  if (hi == null) {
    hi = lo;
    lo = 0;
  }
  const st = step ?? 1;
  if (st === 0) throw new Error("arange: `step` must not be zero.");
  const n = Math.max(0, Math.ceil((hi - lo) / st));
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) values[i] = lo + i * st;
  return makeTensor(values, [n], d);
}

/** Options of `linspace`. */
export interface LinspaceOptions {
  /** Whether `stop` is the last sample (true). */
  endpoint?: boolean;
  /** The dtype (float32 by default). */
  dtype?: DTypeLike | null;
  /** The axis of the samples in the result when start/stop are tensors (0). */
  axis?: number;
}

/** Options of `logspace`. */
export interface LogspaceOptions extends LinspaceOptions {
  /** The base of the log space (10). */
  base?: number;
}

/**
 * `num` samples from start to stop (as float, in float64 for scalars), with
 * `map` applied to each sample, placed along `axis`.
 */
function spaced(
  name: string,
  start: OpInput,
  stop: OpInput,
  num: number,
  options: LinspaceOptions,
  map: ((t: Tensor, s: Tensor, e: Tensor) => Tensor) | null,
  mapScalar: ((v: number, s: number, e: number) => number) | null,
): Tensor | KerasTensor {
  if (!Number.isInteger(num) || num < 0) throw new Error(`${name}: \`num\` must be a non-negative integer. Received: ${num}`);
  const endpoint = options.endpoint ?? true;
  const axis = options.axis ?? 0;
  const div = endpoint ? num - 1 : num;
  return dispatch(name, [start, stop], (a: TensorLike, b: TensorLike) => {
    const d: DType =
      options.dtype != null ? standardizeDtype(options.dtype) : resultType(dtypeForPromotion(a), dtypeForPromotion(b), "weak_float");
    const finish = (t: Tensor): Tensor => (d === "int32" ? tf.cast(tf.floor(t), "int32") : d === "float32" ? t : tf.cast(t, d));
    if (typeof a === "number" && typeof b === "number") {
      normalizeAxis(axis, 1);
      const values = new Float64Array(num);
      const step = div > 0 ? (b - a) / div : 0;
      for (let i = 0; i < num; i++) values[i] = a + i * step;
      if (endpoint && num > 1) values[num - 1] = b;
      if (mapScalar) for (let i = 0; i < num; i++) values[i] = mapScalar(values[i] as number, a, b);
      return tf.tidy(() => finish(tf.tensor(Float32Array.from(values), [num], "float32")));
    }
    return tf.tidy(() => {
      const s = convertToTensor(a, "float32");
      const e = convertToTensor(b, "float32");
      const bshape = broadcastShapes(s.shape, e.shape);
      const ax = normalizeAxis(axis, bshape.length + 1);
      const idx = tf.reshape(tf.range(0, num, 1, "float32"), [num, ...bshape.map(() => 1)]);
      const step = div > 0 ? tf.div(tf.sub(e, s), div) : tf.zeros(bshape);
      let y = tf.add(tf.mul(idx, step), s);
      if (endpoint && num > 1) {
        const isLast = tf.equal(idx, num - 1);
        y = tf.where(isLast, tf.broadcastTo(e, y.shape), y);
      }
      y = tf.broadcastTo(y, [num, ...bshape]);
      if (map) y = map(y, s, e);
      if (ax !== 0) {
        const perm = Array.from({ length: bshape.length + 1 }, (_, i) => i).slice(1);
        perm.splice(ax, 0, 0);
        y = tf.transpose(y, perm);
      }
      return finish(y);
    });
  });
}

/** `num` evenly spaced samples from `start` to `stop` (inclusive unless `endpoint: false`). */
export function linspace<S extends OpInput, E extends OpInput>(start: S, stop: E, num = 50, options: LinspaceOptions = {}): OpResult<S | E> {
  return spaced("linspace", start, stop, num, options, null, null) as OpResult<S | E>;
}

/** `num` samples from `base ** start` to `base ** stop`, evenly spaced in log space. */
export function logspace<S extends OpInput, E extends OpInput>(start: S, stop: E, num = 50, options: LogspaceOptions = {}): OpResult<S | E> {
  const base = options.base ?? 10;
  return spaced(
    "logspace",
    start,
    stop,
    num,
    options,
    (t) => tf.pow(tf.scalar(base), t),
    (v) => base ** v,
  ) as OpResult<S | E>;
}

/** `num` samples from `start` to `stop` in a geometric progression (neither may be 0). */
export function geomspace<S extends OpInput, E extends OpInput>(start: S, stop: E, num = 50, options: LinspaceOptions = {}): OpResult<S | E> {
  const endpoint = options.endpoint ?? true;
  const checkScalar = (s: number, e: number): void => {
    if (s === 0 || e === 0) throw new Error("geomspace: `start` and `stop` must not be zero.");
    if (Math.sign(s) !== Math.sign(e)) throw new Error("geomspace: `start` and `stop` must have the same sign (complex results are not supported).");
  };
  if (typeof start === "number" && typeof stop === "number") {
    checkScalar(start, stop);
    const ls = Math.log10(Math.abs(start));
    const le = Math.log10(Math.abs(stop));
    const sgn = Math.sign(start);
    return dispatch("geomspace", [start, stop], () => {
      const d = options.dtype != null ? standardizeDtype(options.dtype) : "float32";
      const values = new Float64Array(num);
      const div = endpoint ? num - 1 : num;
      for (let i = 0; i < num; i++) values[i] = sgn * 10 ** (ls + (div > 0 ? (i * (le - ls)) / div : 0));
      if (num > 0) values[0] = start;
      if (endpoint && num > 1) values[num - 1] = stop;
      return tf.tidy(() => {
        const t = tf.tensor(Float32Array.from(values), [num], "float32");
        return d === "int32" ? tf.cast(tf.floor(t), "int32") : d === "float32" ? t : tf.cast(t, d);
      });
    }) as OpResult<S | E>;
  }
  return dispatch("geomspace", [start, stop], (a: TensorLike, b: TensorLike) =>
    tf.tidy(() => {
      const s = convertToTensor(a, "float32");
      const e = convertToTensor(b, "float32");
      const sgn = tf.sign(s);
      const lin = spaced(
        "geomspace",
        tf.div(tf.log(tf.abs(s)), Math.LN10),
        tf.div(tf.log(tf.abs(e)), Math.LN10),
        num,
        { endpoint, axis: 0, dtype: "float32" },
        null,
        null,
      ) as Tensor;
      let y = tf.mul(tf.pow(tf.scalar(10), lin), sgn);
      const idx = tf.reshape(tf.range(0, num, 1, "float32"), [num, ...y.shape.slice(1).map(() => 1)]);
      y = tf.where(tf.equal(idx, 0), tf.broadcastTo(s, y.shape), y);
      if (endpoint && num > 1) y = tf.where(tf.equal(idx, num - 1), tf.broadcastTo(e, y.shape), y);
      const ax = normalizeAxis(options.axis ?? 0, y.rank);
      if (ax !== 0) {
        const perm = Array.from({ length: y.rank }, (_, i) => i).slice(1);
        perm.splice(ax, 0, 0);
        y = tf.transpose(y, perm);
      }
      const d = options.dtype != null ? standardizeDtype(options.dtype) : "float32";
      return d === "int32" ? tf.cast(tf.floor(y), "int32") : d === "float32" ? y : tf.cast(y, d);
    }),
  ) as OpResult<S | E>;
}

// ---------------------------------------------------------------------------
// Constants

/** A tensor of zeros (float32 unless `dtype`). */
export function zeros(shape: ShapeArg, dtype?: DTypeLike | null): Tensor {
  return tf.zeros(toShape(shape), standardizeDtype(dtype));
}

/** A tensor of ones (float32 unless `dtype`). */
export function ones(shape: ShapeArg, dtype?: DTypeLike | null): Tensor {
  return tf.ones(toShape(shape), standardizeDtype(dtype));
}

/** A tensor of `shape` filled with `fillValue` (broadcast when a tensor); float32 unless `dtype`. */
export function full<F extends OpInput>(shape: ShapeArg, fillValue: F, dtype?: DTypeLike | null): OpResult<F> {
  const s = toShape(shape);
  const d = standardizeDtype(dtype);
  return dispatch("full", [fillValue], (v: TensorLike) => {
    if (typeof v === "number" || typeof v === "boolean") return tf.fill(s, v === true ? 1 : v === false ? 0 : v, d);
    return tf.tidy(() => tf.broadcastTo(convertToTensor(v, d), s));
  }) as OpResult<F>;
}

/** A tensor of `shape` (zeros here: tfjs has no uninitialized memory); float32 unless `dtype`. */
export function empty(shape: ShapeArg, dtype?: DTypeLike | null): Tensor {
  return tf.zeros(toShape(shape), standardizeDtype(dtype));
}

/** Zeros with the shape of `x` (and its dtype unless `dtype`). */
export function zerosLike<X extends OpInput>(x: X, dtype?: DTypeLike | null): OpResult<X> {
  return run("zeros_like", x, (t) => tf.zeros(t.shape, dtype != null ? standardizeDtype(dtype) : (t.dtype as DType)));
}

/** Ones with the shape of `x` (and its dtype unless `dtype`). */
export function onesLike<X extends OpInput>(x: X, dtype?: DTypeLike | null): OpResult<X> {
  return run("ones_like", x, (t) => tf.ones(t.shape, dtype != null ? standardizeDtype(dtype) : (t.dtype as DType)));
}

/** `fillValue` with the shape of `x` (and its dtype unless `dtype`). */
export function fullLike<X extends OpInput, F extends OpInput>(x: X, fillValue: F, dtype?: DTypeLike | null): OpResult<X | F> {
  return dispatch("full_like", [x, fillValue], (a: TensorLike, v: TensorLike) =>
    tf.tidy(() => {
      const t = convertToTensor(a);
      const d = dtype != null ? standardizeDtype(dtype) : (t.dtype as DType);
      return tf.broadcastTo(convertToTensor(v, d), t.shape);
    }),
  ) as OpResult<X | F>;
}

/** A tensor with the shape of `x` (zeros here); its dtype unless `dtype`. */
export function emptyLike<X extends OpInput>(x: X, dtype?: DTypeLike | null): OpResult<X> {
  return run("empty_like", x, (t) => tf.zeros(t.shape, dtype != null ? standardizeDtype(dtype) : (t.dtype as DType)));
}

/** Converts `x` to a tensor, with `dtype` when given (always a new tensor). */
export function array<X extends OpInput>(x: X, dtype?: DTypeLike | null): OpResult<X> {
  return dispatch("array", [x], (a: TensorLike) =>
    tf.tidy(() => {
      const t = convertToTensor(a, dtype);
      return t === a || !(a instanceof tf.Tensor) ? tf.clone(t) : t;
    }),
  ) as OpResult<X>;
}

/** A copy of `x` (a new tensor with the same dtype and values; Keras's `ops.copy`). */
export function copy<X extends OpInput>(x: X): OpResult<X> {
  return dispatch("copy", [x], (a: TensorLike) =>
    tf.tidy(() => tf.clone(convertToTensor(a))),
  ) as OpResult<X>;
}

// ---------------------------------------------------------------------------
// Matrices

function bandMatrix(n: number, m: number, test: (r: number, c: number) => boolean, dtype: DType): Tensor {
  const v = new Float64Array(n * m);
  for (let r = 0; r < n; r++) for (let c = 0; c < m; c++) v[r * m + c] = test(r, c) ? 1 : 0;
  return makeTensor(v, [n, m], dtype);
}

function checkDim(v: number, what: string): void {
  if (!Number.isInteger(v) || v < 0) throw new Error(`\`${what}\` must be a non-negative integer. Received: ${v}`);
}

/** An N×M matrix (M = N by default) with ones on the k-th diagonal; float32 unless `dtype`. */
export function eye(N: number, M?: number | null, k = 0, dtype?: DTypeLike | null): Tensor {
  const m = M ?? N;
  checkDim(N, "N");
  checkDim(m, "M");
  return bandMatrix(N, m, (r, c) => c - r === k, standardizeDtype(dtype));
}

/** The n×n identity matrix; float32 unless `dtype`. */
export function identity(n: number, dtype?: DTypeLike | null): Tensor {
  checkDim(n, "n");
  return bandMatrix(n, n, (r, c) => r === c, standardizeDtype(dtype));
}

/** An N×M matrix with ones at and below the k-th diagonal; float32 unless `dtype`. */
export function tri(N: number, M?: number | null, k = 0, dtype?: DTypeLike | null): Tensor {
  const m = M ?? N;
  checkDim(N, "N");
  checkDim(m, "M");
  return bandMatrix(N, m, (r, c) => c - r <= k, standardizeDtype(dtype));
}

function triangle(t: Tensor, k: number, lower: boolean): Tensor {
  const n = t.rank >= 2 ? (t.shape[t.rank - 2] as number) : (t.shape[0] ?? 1);
  const m = t.rank >= 1 ? (t.shape[t.rank - 1] as number) : 1;
  const mask = bandMatrix(n, m, (r, c) => (lower ? c - r <= k : c - r >= k), "bool");
  const shape = t.rank >= 2 ? t.shape : [n, m];
  const full = tf.broadcastTo(t, shape);
  return tf.where(tf.broadcastTo(mask, shape), full, tf.zeros(shape, t.dtype));
}

/** The lower triangle of `x` (last two axes): zeros above the k-th diagonal. */
export function tril<X extends OpInput>(x: X, k = 0): OpResult<X> {
  return run("tril", x, (t) => triangle(t, k, true));
}

/** The upper triangle of `x` (last two axes): zeros below the k-th diagonal. */
export function triu<X extends OpInput>(x: X, k = 0): OpResult<X> {
  return run("triu", x, (t) => triangle(t, k, false));
}

function diagT(t: Tensor, k: number): Tensor {
  if (t.rank === 1) {
    const n = t.shape[0] as number;
    const size = n + Math.abs(k);
    const padded = tf.pad(t, [[0, Math.abs(k)]]);
    const mask = bandMatrix(size, size, (r, c) => c - r === k, "bool");
    // Row r holds x[r] when k >= 0, column c holds x[c] when k < 0.
    const vals = k >= 0 ? tf.reshape(padded, [size, 1]) : tf.reshape(padded, [1, size]);
    return tf.where(mask, tf.broadcastTo(vals, [size, size]), tf.zeros([size, size], t.dtype));
  }
  if (t.rank === 2) {
    const [n, m] = t.shape as [number, number];
    const r0 = Math.max(0, -k);
    const c0 = Math.max(0, k);
    const len = Math.max(0, Math.min(n - r0, m - c0));
    const idx = new Int32Array(len);
    for (let i = 0; i < len; i++) idx[i] = (r0 + i) * m + c0 + i;
    return tf.gather(tf.reshape(t, [-1]), tf.tensor1d(idx, "int32"));
  }
  throw new Error(`diag: input must be 1-D or 2-D. Received a tensor of rank ${t.rank}.`);
}

/** For 1-D `x`, a matrix with `x` on the k-th diagonal; for 2-D `x`, its k-th diagonal. */
export function diag<X extends OpInput>(x: X, k = 0): OpResult<X> {
  return run("diag", x, (t) => diagT(t, k));
}

/** A matrix with the flattened `x` on the k-th diagonal. */
export function diagflat<X extends OpInput>(x: X, k = 0): OpResult<X> {
  return run("diagflat", x, (t) => diagT(tf.reshape(t, [-1]), k));
}

/** Options of `meshgrid`. */
export interface MeshgridOptions {
  /** "xy" (Cartesian, default) or "ij" (matrix) indexing. */
  indexing?: "xy" | "ij";
}

function isMeshgridOptions(v: unknown): v is MeshgridOptions {
  return (
    typeof v === "object" &&
    v !== null &&
    !Array.isArray(v) &&
    !ArrayBuffer.isView(v) &&
    !(v instanceof tf.Tensor) &&
    !(v instanceof KerasTensor) &&
    Object.getPrototypeOf(v) === Object.prototype
  );
}

/**
 * Coordinate grids from 1-D coordinate vectors: `meshgrid(x, y)` or
 * `meshgrid(x, y, { indexing: "ij" })`. Returns one tensor per input.
 */
export function meshgrid<X extends OpInput>(...args: (X | MeshgridOptions)[]): OpResult<X>[] {
  let opts: MeshgridOptions = {};
  const last = args[args.length - 1];
  const xs = (isMeshgridOptions(last) ? ((opts = last), args.slice(0, -1)) : args) as X[];
  const indexing = opts.indexing ?? "xy";
  if (indexing !== "xy" && indexing !== "ij") throw new Error(`meshgrid: indexing must be "xy" or "ij". Received: ${String(indexing)}`);
  return dispatch("meshgrid", xs, (...vs: TensorLike[]) =>
    tf.tidy(() => {
      const ts = vs.map((v) => tf.reshape(convertToTensor(v), [-1]));
      const lens = ts.map((t) => t.shape[0] as number);
      const pos = lens.map((_, i) => i);
      if (indexing === "xy" && lens.length >= 2) {
        pos[0] = 1;
        pos[1] = 0;
      }
      const shape = pos.map((_, j) => lens[pos.indexOf(j)] as number);
      return ts.map((t, i) => {
        const s = shape.map(() => 1);
        s[pos[i] as number] = lens[i] as number;
        return tf.broadcastTo(tf.reshape(t, s), shape);
      });
    }),
  ) as OpResult<X>[];
}

/** Vandermonde matrix: columns are powers of `x` (decreasing unless `increasing`); N = len(x) by default. */
export function vander<X extends OpInput>(x: X, N?: number | null, increasing = false): OpResult<X> {
  return run("vander", x, (t) => {
    if (t.rank !== 1) throw new Error(`vander: x must be 1-D. Received a tensor of rank ${t.rank}.`);
    const n = N ?? (t.shape[0] as number);
    checkDim(n, "N");
    const exps = new Float32Array(n);
    for (let j = 0; j < n; j++) exps[j] = increasing ? j : n - 1 - j;
    const f = tf.cast(tf.reshape(t, [-1, 1]), "float32");
    const p = tf.pow(f, tf.tensor2d(exps, [1, n]));
    const d: DType = t.dtype === "bool" ? "int32" : (t.dtype as DType);
    return d === "float32" ? p : tf.cast(tf.round(p), d);
  });
}

// ---------------------------------------------------------------------------
// Window functions

function windowSize(M: number, name: string): number {
  if (!Number.isInteger(M)) throw new Error(`${name}: the window length must be an integer. Received: ${M}`);
  return Math.max(0, M);
}

function cosineWindow(M: number, name: string, a: number[]): Tensor {
  const m = windowSize(M, name);
  const v = new Float64Array(m);
  if (m === 1) v[0] = 1;
  else {
    for (let i = 0; i < m; i++) {
      const n = 1 - m + 2 * i;
      let s = 0;
      for (let k = 0; k < a.length; k++) s += (a[k] as number) * Math.cos((k * Math.PI * n) / (m - 1));
      v[i] = s;
    }
  }
  return tf.tensor1d(Float32Array.from(v), "float32");
}

/** The Bartlett (triangular) window of length M (float32). */
export function bartlett(M: number): Tensor {
  const m = windowSize(M, "bartlett");
  const v = new Float64Array(m);
  if (m === 1) v[0] = 1;
  else for (let i = 0; i < m; i++) {
    const n = 1 - m + 2 * i;
    v[i] = n <= 0 ? 1 + n / (m - 1) : 1 - n / (m - 1);
  }
  return tf.tensor1d(Float32Array.from(v), "float32");
}

/** The Blackman window of length M (float32). */
export function blackman(M: number): Tensor {
  return cosineWindow(M, "blackman", [0.42, 0.5, 0.08]);
}

/** The Hamming window of length M (float32). */
export function hamming(M: number): Tensor {
  return cosineWindow(M, "hamming", [0.54, 0.46]);
}

/** The Hann window of length M (float32). */
export function hanning(M: number): Tensor {
  return cosineWindow(M, "hanning", [0.5, 0.5]);
}

/** Modified Bessel function of the first kind, order 0 (power series). */
function besselI0(x: number): number {
  const h = (x / 2) ** 2;
  let term = 1;
  let sum = 1;
  for (let k = 1; k < 500; k++) {
    term *= h / (k * k);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return sum;
}

/** The Kaiser window of length M with shape parameter `beta` (float32). */
export function kaiser(M: number, beta: number): Tensor {
  const m = windowSize(M, "kaiser");
  const v = new Float64Array(m);
  if (m === 1) v[0] = 1;
  else {
    const alpha = (m - 1) / 2;
    const den = besselI0(beta);
    for (let i = 0; i < m; i++) {
      const r = (i - alpha) / alpha;
      v[i] = besselI0(beta * Math.sqrt(Math.max(0, 1 - r * r))) / den;
    }
  }
  return tf.tensor1d(Float32Array.from(v), "float32");
}
