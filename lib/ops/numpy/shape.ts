/**
 * keras.ops shape manipulation: reshape, transpose, concatenate, split, pad,
 * tile, repeat, flip, roll, diagonal, ... with NumPy semantics.
 */
import { tf, type Tensor } from "../../backend/tfjs.js";
import { resultType, standardizeDtype, type DType, type DTypeLike } from "../../backend/dtypes.js";
import { convertToTensor, dtypeForPromotion, shapeOf, type OpInput, type OpResult, type TensorLike } from "../convert.js";
import { dispatch } from "../operation.js";
import { normalizeAxis, normalizeAxes } from "../axis.js";

/** Runs `fn` through `dispatch` and types the result as the op's result. */
function run<R>(name: string, args: unknown[], fn: (...a: never[]) => unknown): R {
  return dispatch(name, args, fn) as R;
}

/** The common dtype of a list of op inputs (JS numbers weakly typed). */
function commonDtype(xs: readonly TensorLike[]): DType {
  return resultType(...xs.map((x) => dtypeForPromotion(x)));
}

function prod(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

/** Gives a new shape to a tensor without changing its data; one dimension may be -1 (inferred). */
export function reshape<A extends OpInput>(x: A, newShape: number | readonly number[]): OpResult<A> {
  const target = typeof newShape === "number" ? [newShape] : [...newShape];
  return run("reshape", [x, target], (t: TensorLike, s: number[]) => {
    const xt = convertToTensor(t);
    if (s.filter((d) => d === -1).length > 1) throw new Error(`reshape: only one dimension can be -1. Received: newShape=[${s}]`);
    const known = prod(s.filter((d) => d !== -1));
    if (s.includes(-1) ? known === 0 || xt.size % known !== 0 : known !== xt.size) {
      throw new Error(`reshape: cannot reshape a tensor of shape [${xt.shape}] (${xt.size} values) into shape [${s}].`);
    }
    return tf.reshape(xt, s);
  });
}

/** Permutes the axes of `x` (reverses them when `axes` is omitted). */
export function transpose<A extends OpInput>(x: A, axes?: readonly number[] | null): OpResult<A> {
  return run("transpose", [x, axes == null ? null : [...axes]], (t: TensorLike, ax: number[] | null) => {
    const xt = convertToTensor(t);
    if (ax == null) return tf.transpose(xt);
    if (ax.length !== xt.rank) throw new Error(`transpose: axes [${ax}] do not match a tensor of rank ${xt.rank}.`);
    const perm = ax.map((a) => normalizeAxis(a, xt.rank));
    if (new Set(perm).size !== perm.length) throw new Error(`transpose: repeated axis in axes=[${ax}].`);
    return tf.transpose(xt, perm);
  });
}

/** Inserts new axes of size 1 at the positions `axis` (an int or a list) of the expanded shape. */
export function expandDims<A extends OpInput>(x: A, axis: number | readonly number[]): OpResult<A> {
  const axes = typeof axis === "number" ? [axis] : [...axis];
  return run("expand_dims", [x, axes], (t: TensorLike, ax: number[]) => {
    const xt = convertToTensor(t);
    const outRank = xt.rank + ax.length;
    const norm = normalizeAxes(ax, outRank);
    const shape: number[] = [];
    let src = 0;
    for (let i = 0; i < outRank; i++) shape.push(norm.includes(i) ? 1 : xt.shape[src++]!);
    return tf.reshape(xt, shape);
  });
}

/** Removes axes of size 1 (those in `axis`, or all of them). */
export function squeeze<A extends OpInput>(x: A, axis?: number | readonly number[] | null): OpResult<A> {
  return run("squeeze", [x, axis == null ? null : typeof axis === "number" ? axis : [...axis]], (t: TensorLike, ax: number | number[] | null) => {
    const xt = convertToTensor(t);
    const drop = ax == null ? range(xt.rank).filter((i) => xt.shape[i] === 1) : normalizeAxes(ax, xt.rank);
    for (const a of drop) {
      if (xt.shape[a] !== 1) throw new Error(`squeeze: cannot squeeze axis ${a} of size ${xt.shape[a]} (shape [${xt.shape}]).`);
    }
    return tf.reshape(xt, xt.shape.filter((_, i) => !drop.includes(i)));
  });
}

function concatEager(xs: TensorLike[], axis: number | null): Tensor {
  if (xs.length === 0) throw new Error("concatenate: need at least one tensor.");
  const dtype = commonDtype(xs);
  return tf.tidy(() => {
    let ts = xs.map((x) => convertToTensor(x, dtype));
    if (axis === null) ts = ts.map((t) => tf.reshape(t, [-1]));
    const rank = ts[0]!.rank;
    if (rank === 0) throw new Error("concatenate: zero-dimensional arrays cannot be concatenated.");
    for (const t of ts) {
      if (t.rank !== rank) throw new Error(`concatenate: all inputs must have the same rank; got shapes ${ts.map((u) => `[${u.shape}]`).join(", ")}.`);
    }
    const a = normalizeAxis(axis ?? 0, rank);
    for (const t of ts) {
      for (let i = 0; i < rank; i++) {
        if (i !== a && t.shape[i] !== ts[0]!.shape[i]) {
          throw new Error(`concatenate: shapes ${ts.map((u) => `[${u.shape}]`).join(", ")} differ outside axis ${a}.`);
        }
      }
    }
    return ts.length === 1 ? tf.clone(ts[0]!) : tf.concat(ts, a);
  });
}

/** Joins tensors along an existing axis (default 0; `null` flattens them first). Dtypes are promoted. */
export function concatenate<A extends OpInput>(xs: readonly A[], axis: number | null = 0): OpResult<A> {
  return run("concatenate", [[...xs], axis], (ts: TensorLike[], a: number | null) => concatEager(ts, a));
}

/** Joins tensors of the same shape along a new axis. */
export function stack<A extends OpInput>(xs: readonly A[], axis = 0): OpResult<A> {
  return run("stack", [[...xs], axis], (ts: TensorLike[], a: number) => {
    if (ts.length === 0) throw new Error("stack: need at least one tensor.");
    const dtype = commonDtype(ts);
    return tf.tidy(() => {
      const tt = ts.map((x) => convertToTensor(x, dtype));
      for (const t of tt) {
        if (t.shape.join() !== tt[0]!.shape.join()) throw new Error(`stack: all inputs must have the same shape; got ${tt.map((u) => `[${u.shape}]`).join(", ")}.`);
      }
      return tf.stack(tt, normalizeAxis(a, tt[0]!.rank + 1));
    });
  });
}

function atLeast(t: Tensor, n: 1 | 2 | 3): Tensor {
  if (t.rank >= n) return t;
  if (n === 1) return tf.reshape(t, [1]);
  if (n === 2) return tf.reshape(t, t.rank === 0 ? [1, 1] : [1, t.shape[0]!]);
  if (t.rank === 0) return tf.reshape(t, [1, 1, 1]);
  if (t.rank === 1) return tf.reshape(t, [1, t.shape[0]!, 1]);
  return tf.reshape(t, [...t.shape, 1]);
}

function stackAlong(xs: TensorLike[], n: 1 | 2 | 3, axisFor: (rank: number) => number): Tensor {
  const dtype = commonDtype(xs);
  return tf.tidy(() => {
    const ts = xs.map((x) => atLeast(convertToTensor(x, dtype), n));
    return concatEager(ts, axisFor(ts[0]!.rank));
  });
}

/** Stacks tensors horizontally (column-wise): along axis 1, or axis 0 for 1-D inputs. */
export function hstack<A extends OpInput>(xs: readonly A[]): OpResult<A> {
  return run("hstack", [[...xs]], (ts: TensorLike[]) => stackAlong(ts, 1, (r) => (r === 1 ? 0 : 1)));
}

/** Stacks tensors vertically (row-wise), 1-D inputs becoming rows. */
export function vstack<A extends OpInput>(xs: readonly A[]): OpResult<A> {
  return run("vstack", [[...xs]], (ts: TensorLike[]) => stackAlong(ts, 2, () => 0));
}

/** Stacks tensors depth-wise (along the third axis). */
export function dstack<A extends OpInput>(xs: readonly A[]): OpResult<A> {
  return run("dstack", [[...xs]], (ts: TensorLike[]) => stackAlong(ts, 3, () => 2));
}

function splitEager(t: TensorLike, spec: number | number[], axis: number, even: boolean, what: string): Tensor[] {
  return tf.tidy(() => {
    const xt = convertToTensor(t);
    const a = normalizeAxis(axis, xt.rank);
    const n = xt.shape[a]!;
    let bounds: number[];
    if (typeof spec === "number") {
      if (!Number.isInteger(spec) || spec <= 0) throw new Error(`${what}: the number of sections must be a positive integer. Received: ${spec}`);
      if (even && n % spec !== 0) {
        throw new Error(`${what}: array split does not result in an equal division: axis ${a} of size ${n} into ${spec} sections.`);
      }
      const base = Math.floor(n / spec);
      const extra = n % spec;
      bounds = [0];
      for (let i = 0; i < spec; i++) bounds.push(bounds[i]! + base + (i < extra ? 1 : 0));
    } else {
      bounds = [0, ...spec.map((i) => Math.min(Math.max(i < 0 ? i + n : i, 0), n)), n];
    }
    const out: Tensor[] = [];
    for (let i = 0; i + 1 < bounds.length; i++) {
      const start = bounds[i]!;
      const size = Math.max(bounds[i + 1]! - start, 0);
      const begin = xt.shape.map((_, j) => (j === a ? Math.min(start, n) : 0));
      const sizes = xt.shape.map((d, j) => (j === a ? size : d));
      out.push(tf.slice(xt, begin, sizes));
    }
    return out;
  });
}

/** Splits `x` into equal sections (an int, which must divide the axis) or at the given indices. */
export function split<A extends OpInput>(x: A, indicesOrSections: number | readonly number[], axis = 0): OpResult<A>[] {
  const spec = typeof indicesOrSections === "number" ? indicesOrSections : [...indicesOrSections];
  return run("split", [x, spec, axis], (t: TensorLike, s: number | number[], a: number) => splitEager(t, s, a, true, "split"));
}

/** Like `split`, but an int number of sections need not divide the axis (the first ones get one more). */
export function arraySplit<A extends OpInput>(x: A, indicesOrSections: number | readonly number[], axis = 0): OpResult<A>[] {
  const spec = typeof indicesOrSections === "number" ? indicesOrSections : [...indicesOrSections];
  return run("array_split", [x, spec, axis], (t: TensorLike, s: number | number[], a: number) => splitEager(t, s, a, false, "array_split"));
}

/** Splits horizontally (along axis 1, or axis 0 for 1-D tensors). */
export function hsplit<A extends OpInput>(x: A, indicesOrSections: number | readonly number[]): OpResult<A>[] {
  const spec = typeof indicesOrSections === "number" ? indicesOrSections : [...indicesOrSections];
  return run("hsplit", [x, spec], (t: TensorLike, s: number | number[]) => {
    const rank = shapeOf(t).length;
    if (rank === 0) throw new Error("hsplit only works on arrays of 1 or more dimensions.");
    return splitEager(t, s, rank === 1 ? 0 : 1, true, "hsplit");
  });
}

/** Splits vertically (along axis 0); needs rank >= 2. */
export function vsplit<A extends OpInput>(x: A, indicesOrSections: number | readonly number[]): OpResult<A>[] {
  const spec = typeof indicesOrSections === "number" ? indicesOrSections : [...indicesOrSections];
  return run("vsplit", [x, spec], (t: TensorLike, s: number | number[]) => {
    if (shapeOf(t).length < 2) throw new Error("vsplit only works on arrays of 2 or more dimensions.");
    return splitEager(t, s, 0, true, "vsplit");
  });
}

/** Splits along the third axis; needs rank >= 3. */
export function dsplit<A extends OpInput>(x: A, indicesOrSections: number | readonly number[]): OpResult<A>[] {
  const spec = typeof indicesOrSections === "number" ? indicesOrSections : [...indicesOrSections];
  return run("dsplit", [x, spec], (t: TensorLike, s: number | number[]) => {
    if (shapeOf(t).length < 3) throw new Error("dsplit only works on arrays of 3 or more dimensions.");
    return splitEager(t, s, 2, true, "dsplit");
  });
}

/** Repeats `x` `repeats` times along each axis (NumPy's tile: shorter of shape/repeats padded with 1s in front). */
export function tile<A extends OpInput>(x: A, repeats: number | readonly number[]): OpResult<A> {
  const reps = typeof repeats === "number" ? [repeats] : [...repeats];
  return run("tile", [x, reps], (t: TensorLike, r: number[]) =>
    tf.tidy(() => {
      let xt = convertToTensor(t);
      const n = Math.max(xt.rank, r.length);
      const rr = [...new Array<number>(n - r.length).fill(1), ...r];
      if (xt.rank < n) xt = tf.reshape(xt, [...new Array<number>(n - xt.rank).fill(1), ...xt.shape]);
      if (n === 0) return tf.clone(xt);
      return tf.tile(xt, rr);
    }),
  );
}

/** Repeats each element `repeats` times (an int, or one count per element) along `axis` (flattened when omitted). */
export function repeat<A extends OpInput>(x: A, repeats: number | readonly number[], axis: number | null = null): OpResult<A> {
  const reps = typeof repeats === "number" ? repeats : [...repeats];
  return run("repeat", [x, reps, axis], (t: TensorLike, r: number | number[], ax: number | null) =>
    tf.tidy(() => {
      let xt = convertToTensor(t);
      if (ax === null) xt = tf.reshape(xt, [-1]);
      const a = normalizeAxis(ax ?? 0, xt.rank);
      const n = xt.shape[a]!;
      const counts = typeof r === "number" ? new Array<number>(n).fill(r) : r.length === 1 ? new Array<number>(n).fill(r[0]!) : r;
      if (counts.length !== n) throw new Error(`repeat: repeats has ${counts.length} entries, axis ${a} has size ${n}.`);
      const idx: number[] = [];
      counts.forEach((c, i) => {
        if (c < 0 || !Number.isInteger(c)) throw new Error(`repeat: repeats must be non-negative integers. Received: ${c}`);
        for (let k = 0; k < c; k++) idx.push(i);
      });
      return tf.gather(xt, tf.tensor1d(idx, "int32"), a);
    }),
  );
}

/** A pad width in any of NumPy's forms: `n`, `[n]`, `[before, after]`, `[[before, after]]`, or one pair per axis. */
export type PadWidth = number | readonly number[] | readonly (readonly number[])[];

/** Padding modes of `pad`. */
export type PadMode = "constant" | "reflect" | "symmetric" | "edge" | "wrap";

function normalizePadWidth(pw: PadWidth, rank: number): [number, number][] {
  let pairs: [number, number][];
  if (typeof pw === "number") pairs = new Array(rank).fill(0).map(() => [pw, pw] as [number, number]);
  else if (pw.length > 0 && Array.isArray(pw[0])) {
    const p = (pw as readonly (readonly number[])[]).map((q) => (q.length === 1 ? [q[0]!, q[0]!] : [q[0]!, q[1]!]) as [number, number]);
    pairs = p.length === 1 ? new Array(rank).fill(0).map(() => [p[0]![0], p[0]![1]] as [number, number]) : p;
  } else {
    const flat = pw as readonly number[];
    if (flat.length === 1) pairs = new Array(rank).fill(0).map(() => [flat[0]!, flat[0]!] as [number, number]);
    else if (flat.length === 2) pairs = new Array(rank).fill(0).map(() => [flat[0]!, flat[1]!] as [number, number]);
    else throw new Error(`pad: cannot use pad_width [${flat}] for a tensor of rank ${rank}.`);
  }
  if (pairs.length !== rank) throw new Error(`pad: pad_width has ${pairs.length} pairs but the tensor has rank ${rank}.`);
  for (const [b, a] of pairs) {
    if (!Number.isInteger(b) || !Number.isInteger(a) || b < 0 || a < 0) throw new Error(`pad: pad widths must be non-negative integers. Received: ${JSON.stringify(pw)}`);
  }
  return pairs;
}

function padSourceIndex(i: number, n: number, mode: PadMode): number {
  // i is a position relative to the start of the original data (may be < 0 or >= n).
  if (mode === "edge") return Math.min(Math.max(i, 0), n - 1);
  if (mode === "wrap") return ((i % n) + n) % n;
  if (mode === "reflect") {
    if (n === 1) return 0;
    const p = 2 * (n - 1);
    const m = ((i % p) + p) % p;
    return m < n ? m : p - m;
  }
  // symmetric
  const p = 2 * n;
  const m = ((i % p) + p) % p;
  return m < n ? m : p - 1 - m;
}

/**
 * Pads a tensor (NumPy's `pad`). `padWidth` takes NumPy's forms; modes
 * "constant" (with `constantValues`, default 0), "reflect", "symmetric",
 * "edge" and "wrap".
 */
export function pad<A extends OpInput>(x: A, padWidth: PadWidth, mode: PadMode = "constant", constantValues: number | null = null): OpResult<A> {
  const pw = typeof padWidth === "number" ? padWidth : (JSON.parse(JSON.stringify(padWidth)) as PadWidth);
  return run("pad", [x, pw, mode, constantValues], (t: TensorLike, p: PadWidth, m: PadMode, cv: number | null) =>
    tf.tidy(() => {
      const xt = convertToTensor(t);
      const pairs = normalizePadWidth(p, xt.rank);
      if (cv !== null && m !== "constant") throw new Error(`pad: constantValues can only be given with mode "constant". Received: mode=${m}`);
      if (m === "constant") {
        if (xt.rank === 0) return tf.clone(xt);
        return tf.pad(xt, pairs, cv ?? 0);
      }
      if (!["reflect", "symmetric", "edge", "wrap"].includes(m)) throw new Error(`pad: unsupported mode "${m}". Expected constant, reflect, symmetric, edge or wrap.`);
      let out = xt;
      pairs.forEach(([b, a], axis) => {
        if (b === 0 && a === 0) return;
        const n = out.shape[axis]!;
        if (n === 0) throw new Error(`pad: cannot pad an empty axis in mode "${m}".`);
        const idx: number[] = [];
        for (let i = -b; i < n + a; i++) idx.push(padSourceIndex(i, n, m));
        out = tf.gather(out, tf.tensor1d(idx, "int32"), axis);
      });
      return out === xt ? tf.clone(xt) : out;
    }),
  );
}

/** Broadcasts `x` to `shape` (NumPy broadcasting rules). */
export function broadcastTo<A extends OpInput>(x: A, shape: readonly number[]): OpResult<A> {
  return run("broadcast_to", [x, [...shape]], (t: TensorLike, s: number[]) => {
    const xt = convertToTensor(t);
    if (xt.rank > s.length) throw new Error(`broadcastTo: cannot broadcast shape [${xt.shape}] to [${s}].`);
    xt.shape.forEach((d, i) => {
      const target = s[s.length - xt.rank + i]!;
      if (d !== 1 && d !== target) throw new Error(`broadcastTo: cannot broadcast shape [${xt.shape}] to [${s}].`);
    });
    if (xt.shape.join() === s.join()) return tf.clone(xt);
    return tf.broadcastTo(xt, s);
  });
}

/** Reverses the order of elements along `axis` (all axes when omitted). */
export function flip<A extends OpInput>(x: A, axis: number | readonly number[] | null = null): OpResult<A> {
  return run("flip", [x, axis == null ? null : typeof axis === "number" ? axis : [...axis]], (t: TensorLike, ax: number | number[] | null) => {
    const xt = convertToTensor(t);
    if (xt.rank === 0) return tf.clone(xt);
    return tf.reverse(xt, normalizeAxes(ax, xt.rank));
  });
}

/** Reverses the order of columns (axis 1). */
export function fliplr<A extends OpInput>(x: A): OpResult<A> {
  return run("fliplr", [x], (t: TensorLike) => {
    const xt = convertToTensor(t);
    if (xt.rank < 2) throw new Error("fliplr: input must be at least 2-D.");
    return tf.reverse(xt, [1]);
  });
}

/** Reverses the order of rows (axis 0). */
export function flipud<A extends OpInput>(x: A): OpResult<A> {
  return run("flipud", [x], (t: TensorLike) => {
    const xt = convertToTensor(t);
    if (xt.rank < 1) throw new Error("flipud: input must be at least 1-D.");
    return tf.reverse(xt, [0]);
  });
}

/** Rolls elements by `shift` along `axis` (on the flattened tensor when omitted); both may be lists. */
export function roll<A extends OpInput>(x: A, shift: number | readonly number[], axis: number | readonly number[] | null = null): OpResult<A> {
  const sh = typeof shift === "number" ? shift : [...shift];
  const ax = axis == null ? null : typeof axis === "number" ? axis : [...axis];
  return run("roll", [x, sh, ax], (t: TensorLike, s: number | number[], a: number | number[] | null) =>
    tf.tidy(() => {
      const xt = convertToTensor(t);
      let work = a === null ? tf.reshape(xt, [-1]) : xt;
      let axes = a === null ? [0] : typeof a === "number" ? [a] : a;
      let shifts = typeof s === "number" ? [s] : s;
      if (a === null && shifts.length !== 1) throw new Error("roll: shift must be an int when axis is omitted.");
      if (shifts.length === 1 && axes.length > 1) shifts = new Array<number>(axes.length).fill(shifts[0]!);
      if (axes.length === 1 && shifts.length > 1) axes = new Array<number>(shifts.length).fill(axes[0]!);
      if (shifts.length !== axes.length) {
        throw new Error(`roll: shift and axis must have the same length. Received: shift=${JSON.stringify(s)}, axis=${JSON.stringify(a)}`);
      }
      const total = new Map<number, number>();
      axes.forEach((ai, i) => {
        const n = normalizeAxis(ai, work.rank);
        total.set(n, (total.get(n) ?? 0) + shifts[i]!);
      });
      for (const [n, sft] of total) {
        const size = work.shape[n]!;
        if (size === 0) continue;
        const k = ((sft % size) + size) % size;
        if (k === 0) continue;
        const idx = range(size).map((i) => (i - k + size) % size);
        work = tf.gather(work, tf.tensor1d(idx, "int32"), n);
      }
      const out = a === null ? tf.reshape(work, xt.shape) : work;
      return out === xt ? tf.clone(xt) : out;
    }),
  );
}

/** Rotates by 90 degrees `k` times in the plane of `axes` (from the first axis towards the second). */
export function rot90<A extends OpInput>(array: A, k = 1, axes: readonly [number, number] | readonly number[] = [0, 1]): OpResult<A> {
  return run("rot90", [array, k, [...axes]], (t: TensorLike, kk: number, ax: number[]) =>
    tf.tidy(() => {
      const xt = convertToTensor(t);
      if (ax.length !== 2) throw new Error("rot90: axes must have length 2.");
      if (xt.rank < 2) throw new Error("rot90: input must be at least 2-D.");
      const a0 = normalizeAxis(ax[0]!, xt.rank);
      const a1 = normalizeAxis(ax[1]!, xt.rank);
      if (a0 === a1) throw new Error("rot90: axes must be different.");
      const r = ((kk % 4) + 4) % 4;
      const perm = range(xt.rank);
      perm[a0] = a1;
      perm[a1] = a0;
      if (r === 0) return tf.clone(xt);
      if (r === 2) return tf.reverse(xt, [a0, a1]);
      if (r === 1) return tf.transpose(tf.reverse(xt, [a1]), perm);
      return tf.reverse(tf.transpose(xt, perm), [a1]);
    }),
  );
}

/** Moves axes `source` to positions `destination` (ints or lists), keeping the others in order. */
export function moveaxis<A extends OpInput>(x: A, source: number | readonly number[], destination: number | readonly number[]): OpResult<A> {
  const src = typeof source === "number" ? [source] : [...source];
  const dst = typeof destination === "number" ? [destination] : [...destination];
  return run("moveaxis", [x, src, dst], (t: TensorLike, s: number[], d: number[]) => {
    const xt = convertToTensor(t);
    if (s.length !== d.length) throw new Error("moveaxis: source and destination must have the same number of elements.");
    const perm = movePerm(xt.rank, s, d);
    return tf.transpose(xt, perm);
  });
}

function movePerm(rank: number, source: number[], destination: number[]): number[] {
  const s = source.map((a) => normalizeAxis(a, rank, "source"));
  const d = destination.map((a) => normalizeAxis(a, rank, "destination"));
  if (new Set(s).size !== s.length || new Set(d).size !== d.length) throw new Error("moveaxis: repeated axis.");
  const rest = range(rank).filter((i) => !s.includes(i));
  const perm = new Array<number>(rank).fill(-1);
  d.forEach((di, i) => (perm[di] = s[i]!));
  let j = 0;
  for (let i = 0; i < rank; i++) if (perm[i] === -1) perm[i] = rest[j++]!;
  return perm;
}

/** Interchanges two axes. */
export function swapaxes<A extends OpInput>(x: A, axis1: number, axis2: number): OpResult<A> {
  return run("swapaxes", [x, axis1, axis2], (t: TensorLike, a1: number, a2: number) => {
    const xt = convertToTensor(t);
    const i = normalizeAxis(a1, xt.rank);
    const j = normalizeAxis(a2, xt.rank);
    const perm = range(xt.rank);
    perm[i] = j;
    perm[j] = i;
    return tf.transpose(xt, perm);
  });
}

/** Flattens to 1-D. */
export function ravel<A extends OpInput>(x: A): OpResult<A> {
  return run("ravel", [x], (t: TensorLike) => tf.reshape(convertToTensor(t), [-1]));
}

/** The number of dimensions of `x` (a plain number; known for KerasTensors too). */
export function ndim(x: OpInput): number {
  return shapeOf(x).length;
}

/**
 * The number of elements of `x`, as a plain number (NumPy's `size`); `null`
 * for a KerasTensor with an unknown dimension.
 */
export function size(x: OpInput): number | null {
  const s = shapeOf(x);
  if (s.some((d) => d === null)) return null;
  return prod(s as number[]);
}

/** Appends `x2` to `x1` along `axis` (both flattened when `axis` is omitted). */
export function append<A extends OpInput, B extends OpInput>(x1: A, x2: B, axis: number | null = null): OpResult<A | B> {
  return run("append", [x1, x2, axis], (a: TensorLike, b: TensorLike, ax: number | null) => concatEager([a, b], ax));
}

function diagonalEager(t: TensorLike, offset: number, axis1: number, axis2: number): Tensor {
  return tf.tidy(() => {
    const xt = convertToTensor(t);
    if (xt.rank < 2) throw new Error("diagonal: input must be at least 2-D.");
    const a1 = normalizeAxis(axis1, xt.rank, "axis1");
    const a2 = normalizeAxis(axis2, xt.rank, "axis2");
    if (a1 === a2) throw new Error("diagonal: axis1 and axis2 cannot be the same.");
    const rest = range(xt.rank).filter((i) => i !== a1 && i !== a2);
    const moved = tf.transpose(xt, [...rest, a1, a2]);
    const n = xt.shape[a1]!;
    const m = xt.shape[a2]!;
    const idx: number[] = [];
    for (let i = 0; i < n; i++) {
      const j = i + offset;
      if (j >= 0 && j < m) idx.push(i * m + j);
    }
    const batch = rest.map((i) => xt.shape[i]!);
    const flat = tf.reshape(moved, [...batch, n * m]);
    return tf.gather(flat, tf.tensor1d(idx, "int32"), batch.length);
  });
}

/** The diagonal with the given offset of the 2-D slices in the plane (axis1, axis2); it goes last in the result. */
export function diagonal<A extends OpInput>(x: A, offset = 0, axis1 = 0, axis2 = 1): OpResult<A> {
  return run("diagonal", [x, offset, axis1, axis2], (t: TensorLike, o: number, a1: number, a2: number) => diagonalEager(t, o, a1, a2));
}

/** Sum along a diagonal (bool/int inputs sum to int32). */
export function trace<A extends OpInput>(x: A, offset = 0, axis1 = 0, axis2 = 1): OpResult<A> {
  return run("trace", [x, offset, axis1, axis2], (t: TensorLike, o: number, a1: number, a2: number) =>
    tf.tidy(() => {
      let d = diagonalEager(t, o, a1, a2);
      if (d.dtype === "bool") d = tf.cast(d, "int32");
      return tf.sum(d, -1);
    }),
  );
}

/**
 * Reinterprets the bytes of `x` as another dtype of the same width (float32 ↔
 * int32). Reads the data back, so it runs synchronously.
 */
export function view<A extends OpInput>(x: A, dtype: DTypeLike | null = null): OpResult<A> {
  return run("view", [x, dtype], (t: TensorLike, d: DTypeLike | null) => {
    const xt = convertToTensor(t);
    if (d == null) return tf.clone(xt);
    const want = standardizeDtype(d);
    if (want === xt.dtype) return tf.clone(xt);
    const from = xt.dtype;
    if (!((from === "float32" || from === "int32") && (want === "float32" || want === "int32"))) {
      throw new Error(`view: only float32 <-> int32 reinterpretation is supported. Received: ${from} -> ${want}`);
    }
    const src = xt.dataSync() as Float32Array | Int32Array;
    const bytes = new Uint8Array(src.buffer, src.byteOffset, src.byteLength).slice();
    const data = want === "float32" ? new Float32Array(bytes.buffer) : new Int32Array(bytes.buffer);
    return tf.tensor(data, xt.shape, want);
  });
}
