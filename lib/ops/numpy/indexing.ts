/**
 * keras.ops indexing: take, takeAlongAxis, where, select, nonzero, getItem,
 * searchsorted, digitize, unravelIndex, isin, bincount, histogram, unique.
 */
import { tf, type Tensor } from "../../backend/tfjs.js";
import { resultType, type DType } from "../../backend/dtypes.js";
import { KerasTensor } from "../../backend/keras-tensor.js";
import { Variable } from "../../backend/variable.js";
import { convertToTensor, dtypeForPromotion, type OpInput, type OpResult, type TensorLike } from "../convert.js";
import { anySymbolic, dispatch, FunctionOperation } from "../operation.js";
import { broadcastShapes, normalizeAxis } from "../axis.js";

function run<R>(name: string, args: unknown[], fn: (...a: never[]) => unknown): R {
  return dispatch(name, args, fn) as R;
}

/** Like `run`, for ops whose output shape depends on the values: the symbolic spec is given, not traced. */
function runWithSpec<R>(name: string, args: unknown[], fn: (...a: never[]) => unknown, spec: () => unknown): R {
  if (!anySymbolic(args)) return (fn as (...a: unknown[]) => R)(...args);
  class DataDependentOp extends FunctionOperation {
    override computeOutputSpec(): unknown {
      return spec();
    }
  }
  return new DataDependentOp(name, fn as (...a: unknown[]) => unknown).symbolicCall(args) as R;
}

function toIndexTensor(indices: TensorLike): Tensor {
  const t = convertToTensor(indices);
  if (t.dtype === "int32") return t;
  if (t.dtype === "float32") return tf.cast(tf.floor(t), "int32");
  return tf.cast(t, "int32");
}

/** Negative indices count from the end of an axis of size `n`. */
function wrapNegative(idx: Tensor, n: number): Tensor {
  return tf.where(tf.less(idx, 0), tf.add(idx, tf.scalar(n, "int32")), idx);
}

/**
 * Takes elements of `x` at `indices` along `axis` (of the flattened tensor
 * when omitted). Negative indices count from the end.
 */
export function take<A extends OpInput, B extends OpInput>(x: A, indices: B, axis: number | null = null): OpResult<A | B> {
  return run("take", [x, indices, axis], (t: TensorLike, i: TensorLike, ax: number | null) =>
    tf.tidy(() => {
      let xt = convertToTensor(t);
      if (ax === null) xt = tf.reshape(xt, [-1]);
      const a = normalizeAxis(ax ?? 0, xt.rank);
      const idx = wrapNegative(toIndexTensor(i), xt.shape[a]!);
      return tf.gather(xt, idx, a);
    }),
  );
}

/**
 * Takes values of `x` at `indices` along `axis` (NumPy's take_along_axis:
 * `indices` has the rank of `x`, other dims broadcast). Flattened when `axis` is null.
 */
export function takeAlongAxis<A extends OpInput, B extends OpInput>(x: A, indices: B, axis: number | null = -1): OpResult<A | B> {
  return run("take_along_axis", [x, indices, axis], (t: TensorLike, i: TensorLike, ax: number | null) =>
    tf.tidy(() => {
      let xt = convertToTensor(t);
      let it = toIndexTensor(i);
      if (ax === null) {
        xt = tf.reshape(xt, [-1]);
        it = tf.reshape(it, [-1]);
      }
      if (it.rank !== xt.rank) throw new Error(`takeAlongAxis: indices (shape [${it.shape}]) must have the rank of x (shape [${xt.shape}]).`);
      const a = normalizeAxis(ax ?? 0, xt.rank);
      const n = xt.shape[a]!;
      it = wrapNegative(it, n);
      // Move the axis last and broadcast the other dims.
      const perm = [...Array.from({ length: xt.rank }, (_, k) => k).filter((k) => k !== a), a];
      const xm = tf.transpose(xt, perm);
      const im = tf.transpose(it, perm);
      const batch: number[] = [];
      for (let k = 0; k < xm.rank - 1; k++) {
        const dx = xm.shape[k]!;
        const di = im.shape[k]!;
        if (dx !== di && dx !== 1 && di !== 1) throw new Error(`takeAlongAxis: shapes [${xt.shape}] and [${it.shape}] do not broadcast.`);
        batch.push(dx === 1 ? di : dx);
      }
      const xb = tf.broadcastTo(xm, [...batch, n]);
      const m = im.shape[im.rank - 1]!;
      const ib = tf.broadcastTo(im, [...batch, m]);
      const b = batch.reduce((p, q) => p * q, 1);
      const g = tf.gather(tf.reshape(xb, [b, n]), tf.reshape(ib, [b, m]), 1, 1);
      const out = tf.reshape(g, [...batch, m]);
      const inv = new Array<number>(perm.length);
      perm.forEach((p, k) => (inv[p] = k));
      return tf.transpose(out, inv);
    }),
  );
}

/** The values and shape of a tensor-like, read synchronously, without leaking a converted tensor. */
function readData(x: TensorLike): { data: ArrayLike<number>; shape: number[]; dtype: DType } {
  const owned = !(x instanceof tf.Tensor || x instanceof Variable);
  const xt = convertToTensor(x);
  const out = { data: xt.dataSync() as ArrayLike<number>, shape: [...xt.shape], dtype: xt.dtype as DType };
  if (owned) xt.dispose();
  return out;
}

function nonzeroEager(t: TensorLike): Tensor[] {
  const { data, shape } = readData(t);
  const strides: number[] = [];
  let acc = 1;
  for (let k = shape.length - 1; k >= 0; k--) {
    strides[k] = acc;
    acc *= shape[k]!;
  }
  const cols: number[][] = shape.map(() => []);
  for (let f = 0; f < data.length; f++) {
    if (data[f] !== 0) {
      let r = f;
      for (let k = 0; k < shape.length; k++) {
        cols[k]!.push(Math.floor(r / strides[k]!));
        r %= strides[k]!;
      }
    }
  }
  return cols.map((c) => tf.tensor1d(c, "int32"));
}

/** The indices of the non-zero elements: one int32 tensor per dimension. Reads the data back (synchronous). */
export function nonzero<A extends OpInput>(x: A): OpResult<A>[] {
  return runWithSpec("nonzero", [x], (t: TensorLike) => nonzeroEager(t), () =>
    (x as KerasTensor).shape.map(() => new KerasTensor([null], { dtype: "int32" })),
  );
}

/**
 * Elements from `x1` where `condition` is true, else from `x2` (broadcast,
 * dtypes promoted). With only `condition`, returns `nonzero(condition)`.
 */
export function where<C extends OpInput, A extends OpInput, B extends OpInput>(condition: C, x1: A, x2: B): OpResult<A | B | C>;
export function where<C extends OpInput>(condition: C): OpResult<C>[];
export function where<C extends OpInput, A extends OpInput, B extends OpInput>(
  condition: C,
  x1?: A | null,
  x2?: B | null,
): OpResult<A | B | C> | OpResult<C>[] {
  if ((x1 == null) !== (x2 == null)) throw new Error("where: x1 and x2 must be given together (or neither, for nonzero).");
  if (x1 == null || x2 == null) return nonzero(condition);
  return run("where", [condition, x1, x2], (c: TensorLike, a: TensorLike, b: TensorLike) =>
    tf.tidy(() => {
      const dtype = resultType(dtypeForPromotion(a), dtypeForPromotion(b));
      const ct = convertToTensor(c, "bool");
      const at = convertToTensor(a, dtype);
      const bt = convertToTensor(b, dtype);
      const shape = broadcastShapes(ct.shape, broadcastShapes(at.shape, bt.shape));
      const bc = (u: Tensor): Tensor => (u.shape.join() === shape.join() ? u : tf.broadcastTo(u, shape));
      return tf.where(bc(ct), bc(at), bc(bt));
    }),
  );
}

/**
 * NumPy's select: for each element, the value of the first choice whose
 * condition holds, else `defaultValue`.
 */
export function select<A extends OpInput>(condlist: readonly OpInput[], choicelist: readonly A[], defaultValue: OpInput = 0): OpResult<A> {
  return run("select", [[...condlist], [...choicelist], defaultValue], (cs: TensorLike[], vs: TensorLike[], d: TensorLike) => {
    if (cs.length !== vs.length) throw new Error(`select: condlist (${cs.length}) and choicelist (${vs.length}) must have the same length.`);
    if (cs.length === 0) throw new Error("select: condlist must not be empty.");
    return tf.tidy(() => {
      const dtype = resultType(...vs.map((v) => dtypeForPromotion(v)), dtypeForPromotion(d));
      let out = convertToTensor(d, dtype);
      for (let k = cs.length - 1; k >= 0; k--) {
        const c = convertToTensor(cs[k]!, "bool");
        const v = convertToTensor(vs[k]!, dtype);
        const shape = broadcastShapes(c.shape, broadcastShapes(v.shape, out.shape));
        out = tf.where(tf.broadcastTo(c, shape), tf.broadcastTo(v, shape), tf.broadcastTo(out, shape));
      }
      return out;
    });
  });
}

/** A slice in `getItem`: Python's `start:stop:step` (each optional). */
export interface Slice {
  start?: number | null;
  stop?: number | null;
  step?: number | null;
}

/**
 * One entry of a `getItem` key: an integer, a `Slice`, a slice string like
 * `"1:3"`, `"::-1"` or `":"`, `"..."` (Ellipsis), or `null` (a new axis).
 */
export type IndexKey = number | Slice | string | null;

function parseSlice(k: string): Slice {
  const parts = k.split(":").map((p) => p.trim());
  if (parts.length < 2 || parts.length > 3) throw new Error(`getItem: cannot parse slice "${k}".`);
  const num = (p: string | undefined): number | null => {
    if (p === undefined || p === "") return null;
    const v = Number(p);
    if (!Number.isInteger(v)) throw new Error(`getItem: cannot parse slice "${k}".`);
    return v;
  };
  return { start: num(parts[0]), stop: num(parts[1]), step: num(parts[2]) };
}

function sliceIndices(s: Slice, n: number): number[] {
  const step = s.step ?? 1;
  if (step === 0) throw new Error("getItem: slice step cannot be zero.");
  let start: number;
  let stop: number;
  if (step > 0) {
    start = s.start == null ? 0 : s.start < 0 ? Math.max(s.start + n, 0) : Math.min(s.start, n);
    stop = s.stop == null ? n : s.stop < 0 ? Math.max(s.stop + n, 0) : Math.min(s.stop, n);
  } else {
    start = s.start == null ? n - 1 : s.start < 0 ? Math.max(s.start + n, -1) : Math.min(s.start, n - 1);
    stop = s.stop == null ? -1 : s.stop < 0 ? Math.max(s.stop + n, -1) : Math.min(s.stop, n - 1);
  }
  const out: number[] = [];
  if (step > 0) for (let i = start; i < stop; i += step) out.push(i);
  else for (let i = start; i > stop; i += step) out.push(i);
  return out;
}

function getItemEager(t: TensorLike, keys: IndexKey[]): Tensor {
  return tf.tidy(() => {
    let xt = convertToTensor(t);
    const shape = xt.shape;
    const norm: (number | Slice | null)[] = [];
    const consumes = keys.filter((k) => k !== null && k !== "...").length;
    if (keys.filter((k) => k === "...").length > 1) throw new Error("getItem: an index can only have a single ellipsis ('...').");
    if (consumes > shape.length) throw new Error(`getItem: too many indices for a tensor of rank ${shape.length}.`);
    let sawEllipsis = false;
    for (const k of keys) {
      if (k === "...") {
        sawEllipsis = true;
        for (let j = 0; j < shape.length - consumes; j++) norm.push({});
      } else if (typeof k === "string") norm.push(parseSlice(k));
      else norm.push(k);
    }
    if (!sawEllipsis) for (let j = consumes; j < shape.length; j++) norm.push({});
    const outShape: number[] = [];
    let axis = 0;
    // Reduce axis by axis; integer indices keep a size-1 dim until the final reshape.
    for (const k of norm) {
      if (k === null) {
        outShape.push(1);
        continue;
      }
      const n = shape[axis]!;
      if (typeof k === "number") {
        if (!Number.isInteger(k)) throw new Error(`getItem: indices must be integers. Received: ${k}`);
        const i = k < 0 ? k + n : k;
        if (i < 0 || i >= n) throw new Error(`getItem: index ${k} is out of bounds for axis ${axis} with size ${n}.`);
        const begin = xt.shape.map((_, j) => (j === axis ? i : 0));
        const sizes = xt.shape.map((d, j) => (j === axis ? 1 : d));
        xt = tf.slice(xt, begin, sizes);
      } else {
        const idx = sliceIndices(k, n);
        outShape.push(idx.length);
        const contiguous = idx.every((v, j) => j === 0 || v === idx[j - 1]! + 1);
        if (idx.length === n && contiguous) {
          // whole axis, nothing to do
        } else if (contiguous && idx.length > 0) {
          const begin = xt.shape.map((_, j) => (j === axis ? idx[0]! : 0));
          const sizes = xt.shape.map((d, j) => (j === axis ? idx.length : d));
          xt = tf.slice(xt, begin, sizes);
        } else {
          xt = tf.gather(xt, tf.tensor1d(idx, "int32"), axis);
        }
      }
      axis++;
    }
    return tf.reshape(xt, outShape);
  });
}

/**
 * `x[key]` with basic indexing: integers, slices (`{start, stop, step}` or
 * strings like `"1:"`, `"::-1"`, `":"`), `"..."` and `null` (new axis).
 * `getItem(x, [0, "1:3"])` is NumPy's `x[0, 1:3]`.
 */
export function getItem<A extends OpInput>(x: A, key: IndexKey | readonly IndexKey[]): OpResult<A> {
  const keys: IndexKey[] = Array.isArray(key) ? [...(key as IndexKey[])] : [key as IndexKey];
  return run("get_item", [x, keys.map((k) => (k !== null && typeof k === "object" ? { ...k } : k))], (t: TensorLike, k: IndexKey[]) => getItemEager(t, k));
}

/**
 * Indices where `values` would be inserted into the 1-D `sortedSequence` to
 * keep it sorted (`side` "left" or "right"). int32.
 */
export function searchsorted<A extends OpInput, B extends OpInput>(sortedSequence: A, values: B, side: "left" | "right" = "left"): OpResult<A | B> {
  return run("searchsorted", [sortedSequence, values, side], (s: TensorLike, v: TensorLike, sd: "left" | "right") =>
    tf.tidy(() => {
      if (sd !== "left" && sd !== "right") throw new Error(`searchsorted: side must be "left" or "right". Received: ${String(sd)}`);
      let st = convertToTensor(s);
      let vt = convertToTensor(v);
      if (st.rank !== 1) throw new Error(`searchsorted only supports 1-D sorted sequences. Received shape [${st.shape}].`);
      const dtype = resultType(st.dtype as DType, vt.dtype as DType);
      const compute: DType = dtype === "bool" ? "int32" : dtype;
      st = tf.cast(st, compute);
      vt = tf.cast(vt, compute);
      if (st.shape[0] === 0) return tf.zeros(vt.shape, "int32");
      const out = tf.searchSorted(tf.reshape(st, [1, -1]), tf.reshape(vt, [1, -1]), sd);
      return tf.reshape(out, vt.shape);
    }),
  );
}

/**
 * The index of the bin each value of `x` falls in (NumPy's digitize with
 * increasing `bins`, right=False): `bins[i-1] <= x < bins[i]`. int32.
 */
export function digitize<A extends OpInput, B extends OpInput>(x: A, bins: B): OpResult<A | B> {
  return run("digitize", [x, bins], (xv: TensorLike, b: TensorLike) => searchsorted(b as TensorLike, xv as TensorLike, "right"));
}

/** Converts flat indices into one index tensor per dimension of `shape`. */
export function unravelIndex<A extends OpInput>(indices: A, shape: readonly number[]): OpResult<A>[] {
  return run("unravel_index", [indices, [...shape]], (i: TensorLike, s: number[]) =>
    tf.tidy(() => {
      const it = convertToTensor(i);
      const dtype = it.dtype === "float32" ? "float32" : "int32";
      let rem = tf.cast(it, "int32");
      const total = s.reduce((a, b) => a * b, 1);
      const out: Tensor[] = new Array<Tensor>(s.length);
      rem = tf.where(tf.less(rem, 0), tf.add(rem, tf.scalar(total, "int32")), rem);
      for (let k = s.length - 1; k >= 0; k--) {
        const d = tf.scalar(s[k]!, "int32");
        out[k] = tf.cast(tf.mod(rem, d), dtype);
        rem = tf.floorDiv(rem, d);
      }
      return out;
    }),
  );
}

/** Elementwise: is each element of `x1` in `x2`? (`invert` negates.) bool, shaped like `x1`. */
export function isin<A extends OpInput, B extends OpInput>(x1: A, x2: B, assumeUnique = false, invert = false): OpResult<A | B> {
  void assumeUnique;
  return run("isin", [x1, x2, invert], (a: TensorLike, b: TensorLike, inv: boolean) =>
    tf.tidy(() => {
      const dtype = resultType(dtypeForPromotion(a), dtypeForPromotion(b));
      const compute: DType = dtype === "bool" ? "int32" : dtype;
      const at = convertToTensor(a, compute);
      const bt = tf.reshape(convertToTensor(b, compute), [1, -1]);
      if (bt.shape[1] === 0) return tf.cast(tf.fill(at.shape, inv ? 1 : 0, "int32"), "bool");
      const eq = tf.equal(tf.reshape(at, [-1, 1]), bt);
      let found = tf.any(eq, 1);
      if (inv) found = tf.logicalNot(found);
      return tf.reshape(found, at.shape);
    }),
  );
}

/**
 * Counts occurrences of each value in the non-negative int tensor `x` (1-D, or
 * 2-D counted per row). Output length is `max(max(x) + 1, minlength)`, so the
 * values are read back (synchronous). int32 counts, or the weights' dtype.
 */
export function bincount<A extends OpInput>(x: A, weights: OpInput | null = null, minlength = 0): OpResult<A> {
  return runWithSpec(
    "bincount",
    [x, weights, minlength],
    (xv: TensorLike, w: TensorLike | null, ml: number) =>
      tf.tidy(() => {
        const xt = tf.cast(convertToTensor(xv), "int32");
        if (xt.rank !== 1 && xt.rank !== 2) throw new Error(`bincount: input must be 1-D or 2-D. Received shape [${xt.shape}].`);
        const maxv = xt.size === 0 ? -1 : (tf.max(xt).dataSync()[0] ?? -1);
        const minv = xt.size === 0 ? 0 : (tf.min(xt).dataSync()[0] ?? 0);
        if (minv < 0) throw new Error("bincount: input must contain non-negative values.");
        const size = Math.max(maxv + 1, ml);
        const dtype: DType = w == null ? "int32" : resultType(xt.dtype as DType, dtypeForPromotion(w));
        const wt = w == null ? tf.ones(xt.shape, "float32") : tf.cast(convertToTensor(w), "float32");
        if (wt.shape.join() !== xt.shape.join()) throw new Error(`bincount: weights shape [${wt.shape}] must match x shape [${xt.shape}].`);
        if (size === 0) return tf.zeros(xt.rank === 1 ? [0] : [xt.shape[0]!, 0], dtype);
        const counts = xt.rank === 1 ? tf.bincount(xt as tf.Tensor1D, wt as tf.Tensor1D, size) : tf.denseBincount(xt as tf.Tensor2D, wt as tf.Tensor2D, size);
        return tf.cast(counts, dtype);
      }),
    () => {
      const ks = x as KerasTensor;
      return new KerasTensor(ks.rank === 2 ? [ks.shape[0] ?? null, null] : [null], {
        dtype: weights == null ? "int32" : resultType(ks.dtype, dtypeForPromotion(weights)),
      });
    },
  );
}

/**
 * NumPy's histogram of a 1-D tensor: `[counts, binEdges]` with `bins` equal
 * bins over `range` (default: the min and max of `x`); the last bin includes
 * its right edge, values outside the range are ignored. Counts int32, edges float32.
 */
export function histogram<A extends OpInput>(x: A, bins = 10, range: readonly [number, number] | null = null): [OpResult<A>, OpResult<A>] {
  if (!Number.isInteger(bins) || bins <= 0) throw new Error(`histogram: bins must be a positive integer. Received: ${bins}`);
  return run("histogram", [x, bins, range == null ? null : [...range]], (xv: TensorLike, nb: number, rg: [number, number] | null) =>
    tf.tidy(() => {
      const xt = tf.cast(convertToTensor(xv), "float32");
      if (xt.rank !== 1) throw new Error(`histogram: input must be 1-D. Received shape [${xt.shape}].`);
      let lo: Tensor;
      let hi: Tensor;
      if (rg) {
        if (rg[0] > rg[1]) throw new Error("histogram: max must be larger than min in range.");
        lo = tf.scalar(rg[0]);
        hi = tf.scalar(rg[1]);
      } else if (xt.size === 0) {
        lo = tf.scalar(0);
        hi = tf.scalar(1);
      } else {
        lo = tf.min(xt);
        hi = tf.max(xt);
      }
      const same = tf.equal(lo, hi);
      lo = tf.where(same, tf.sub(lo, 0.5), lo);
      hi = tf.where(same, tf.add(hi, 0.5), hi);
      const steps = tf.div(tf.range(0, nb + 1, 1, "float32"), nb);
      const edges = tf.add(lo, tf.mul(steps, tf.sub(hi, lo)));
      if (xt.size === 0) return [tf.zeros([nb], "int32"), edges];
      const inRange = tf.logicalAnd(tf.greaterEqual(xt, lo), tf.lessEqual(xt, hi));
      // Bin by comparing against the edges (as NumPy does), the last bin closed.
      const inner = tf.slice(edges, [1], [nb - 1]);
      let idx = nb > 1 ? tf.sum(tf.cast(tf.greaterEqual(tf.reshape(xt, [-1, 1]), tf.reshape(inner, [1, -1])), "int32"), 1) : tf.zeros(xt.shape, "int32");
      idx = tf.minimum(idx, tf.scalar(nb - 1, "int32"));
      const onehot = tf.mul(tf.oneHot(idx, nb), tf.reshape(tf.cast(inRange, "int32"), [-1, 1]));
      return [tf.cast(tf.sum(onehot, 0), "int32"), edges];
    }),
  );
}

/** Options of `unique`. */
export interface UniqueOptions {
  /** Also return the index of each unique value's first occurrence. */
  returnIndex?: boolean;
  /** Also return, for each element of `x`, the index of its value in the uniques. */
  returnInverse?: boolean;
  /** Also return how many times each unique value occurs. */
  returnCounts?: boolean;
  /** Pad (with `fillValue`, default 0) or truncate the uniques to this size. */
  size?: number | null;
  fillValue?: number | null;
}

/**
 * The sorted unique values of `x` (flattened). With options, an array
 * `[values, index?, inverse?, counts?]` as NumPy's unique. Reads the data back
 * (synchronous); only `axis=None` is supported.
 */
export function unique<A extends OpInput>(x: A, options: UniqueOptions = {}): OpResult<A> | OpResult<A>[] {
  const { returnIndex = false, returnInverse = false, returnCounts = false, size = null, fillValue = null } = options;
  const multi = returnIndex || returnInverse || returnCounts;
  return runWithSpec(
    "unique",
    [x],
    (xv: TensorLike) => {
      const r = readData(xv);
      const data = Array.from(r.data);
      const dtype = r.dtype;
      const order = data.map((_, i) => i).sort((a, b) => data[a]! - data[b]! || a - b);
      const values: number[] = [];
      const first: number[] = [];
      const counts: number[] = [];
      const inverse = new Array<number>(data.length);
      for (const i of order) {
        const v = data[i]!;
        if (values.length === 0 || values[values.length - 1] !== v) {
          values.push(v);
          first.push(i);
          counts.push(0);
        }
        counts[counts.length - 1]!++;
        inverse[i] = values.length - 1;
      }
      if (size != null) {
        while (values.length > size) {
          values.pop();
          first.pop();
          counts.pop();
        }
        while (values.length < size) {
          values.push(fillValue ?? 0);
          first.push(1);
          counts.push(0);
        }
      }
      const out: Tensor[] = [tf.tensor1d(values, dtype as "float32" | "int32" | "bool")];
      if (returnIndex) out.push(tf.tensor1d(first, "int32"));
      if (returnInverse) out.push(tf.tensor(inverse, r.shape, "int32"));
      if (returnCounts) out.push(tf.tensor1d(counts, "int32"));
      return multi ? out : out[0]!;
    },
    () => {
      const ks = x as KerasTensor;
      const n = size ?? null;
      const outs = [new KerasTensor([n], { dtype: ks.dtype })];
      if (returnIndex) outs.push(new KerasTensor([n], { dtype: "int32" }));
      if (returnInverse) outs.push(new KerasTensor([...ks.shape], { dtype: "int32" }));
      if (returnCounts) outs.push(new KerasTensor([n], { dtype: "int32" }));
      return multi ? outs : outs[0];
    },
  );
}
