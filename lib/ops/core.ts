/**
 * keras.ops core: dtype and shape queries, conversion, control flow (cond,
 * loops, scan, map), slicing and scattering, custom gradients.
 */
import { tf, type Tensor } from "../backend/tfjs.js";
import { standardizeDtype, type DType, type DTypeLike } from "../backend/dtypes.js";
import { KerasTensor } from "../backend/keras-tensor.js";
import { Variable } from "../backend/variable.js";
import { convertToTensor as toTensor, dtypeForPromotion, shapeOf, type NestedArray, type OpInput, type OpResult, type TensorLike } from "./convert.js";
import { dispatch, anySymbolic } from "./operation.js";
import { normalizeAxis } from "./axis.js";
import { flatten, mapStructure, packSequenceAs } from "../utils/tree.js";

function run<R>(name: string, args: unknown[], fn: (...a: never[]) => unknown): R {
  return dispatch(name, args, fn) as R;
}

/** Casts `x` to `dtype` (Keras dtype names accepted; int8/uint8/... are stored as int32, float16/64 as float32). */
export function cast<A extends OpInput>(x: A, dtype: DTypeLike): OpResult<A> {
  return run("cast", [x, dtype], (t: TensorLike, d: DTypeLike) => {
    const xt = toTensor(t);
    const want = standardizeDtype(d);
    return xt.dtype === want ? tf.clone(xt) : tf.cast(xt, want);
  });
}

/**
 * Converts `x` to a tensor (optionally of `dtype`). A tensor of the right
 * dtype is returned as it is (as Keras does); a Variable gives a copy of its value.
 */
export function convertToTensor(x: TensorLike, dtype: DTypeLike | null = null): Tensor {
  if (x instanceof Variable) {
    const v = x.value;
    return dtype == null || standardizeDtype(dtype) === v.dtype ? tf.clone(v) : tf.cast(v, standardizeDtype(dtype));
  }
  return toTensor(x, dtype);
}

/**
 * The values of `x` as nested JS arrays (a plain number or boolean for a
 * scalar), read synchronously, like Keras's `convert_to_numpy`. Use
 * `await x.array()` in async code to avoid blocking.
 */
export function convertToNumpy(x: TensorLike): NestedArray {
  if (x instanceof KerasTensor) throw new TypeError("convertToNumpy: a symbolic KerasTensor has no values.");
  const owned = !(x instanceof tf.Tensor || x instanceof Variable);
  const t = toTensor(x);
  const out = t.arraySync() as NestedArray;
  if (owned) t.dispose();
  if (t.dtype === "bool") return mapStructure(out, (v) => v === 1 || v === true) as NestedArray;
  return out;
}

/** True when `x` is a concrete backend tensor (a tfjs Tensor). */
export function isTensor(x: unknown): x is Tensor {
  return x instanceof tf.Tensor;
}

/** The dtype name of `x` (a tensor, Variable, KerasTensor, or anything convertible). */
export function dtype(x: OpInput): DType {
  const d = dtypeForPromotion(x);
  if (d === "weak_int") return "int32";
  if (d === "weak_float") return "float32";
  return d;
}

/** The shape of `x` as an array, with `null` for unknown dimensions of a KerasTensor. */
export function shape(x: OpInput): (number | null)[] {
  return shapeOf(x);
}

const stopGradientFn = tf.customGrad((...args: unknown[]) => {
  const x = args[0] as Tensor;
  return { value: tf.clone(x), gradFunc: (dy: Tensor | Tensor[]) => tf.zerosLike(dy as Tensor) };
});

/** Returns `x` unchanged, but no gradient flows through it. */
export function stopGradient<A extends OpInput>(variable: A): OpResult<A> {
  return run("stop_gradient", [variable], (t: TensorLike) => {
    const xt = toTensor(t);
    return stopGradientFn(xt);
  });
}

function truthy(p: unknown): boolean {
  if (typeof p === "boolean" || typeof p === "number") return Boolean(p);
  if (p instanceof Variable) return Boolean(p.value.dataSync()[0]);
  if (p instanceof tf.Tensor) {
    if (p.size !== 1) throw new Error(`The predicate must be a scalar. Received a tensor of shape [${p.shape}].`);
    return Boolean(p.dataSync()[0]);
  }
  throw new TypeError("The predicate must be a boolean or a scalar tensor.");
}

/**
 * Runs `trueFn()` when `pred` is true, else `falseFn()`. With a symbolic
 * `pred` the choice is recorded in the graph (the branches must not capture
 * KerasTensors, and both must give the same structure).
 */
export function cond<T>(pred: OpInput, trueFn: () => T, falseFn: () => T): T {
  if (!anySymbolic([pred])) return truthy(pred) ? trueFn() : falseFn();
  return run("cond", [pred], (p: TensorLike) => (truthy(p) ? trueFn() : falseFn()));
}

/** The id the next tensor will get: tensors with an id at or above it were created after this call. */
function nextTensorId(): number {
  const probe = tf.scalar(0);
  const id = probe.id;
  probe.dispose();
  return id + 1;
}

/** Disposes the tensors of `old` created since `mark` that do not live on in `next`. */
function releaseOld(old: unknown, next: unknown, mark: number): void {
  const keep = new Set(flatten<unknown>(next));
  for (const leaf of flatten<unknown>(old)) {
    if (leaf instanceof tf.Tensor && leaf.id >= mark && !keep.has(leaf) && !leaf.isDisposed) leaf.dispose();
  }
}

function scalarValue(x: number | TensorLike): number {
  if (typeof x === "number") return x;
  const owned = !(x instanceof tf.Tensor || x instanceof Variable);
  const t = toTensor(x);
  const v = t.dataSync()[0] ?? 0;
  if (owned) t.dispose();
  return v;
}

/**
 * For loop: `val = bodyFn(i, val)` for `i` from `lower` to `upper - 1`;
 * returns the final value (any nested structure of tensors). Intermediate
 * values the loop created are disposed.
 */
export function foriLoop<T>(lower: number | OpInput, upper: number | OpInput, bodyFn: (i: number, val: T) => T, initVal: T): T {
  return run("fori_loop", [lower, upper, initVal], (lo: number | TensorLike, hi: number | TensorLike, init: T) => {
    const start = scalarValue(lo);
    const stop = scalarValue(hi);
    const mark = nextTensorId();
    let val = init;
    for (let i = start; i < stop; i++) {
      const cur = val;
      const next = tf.tidy(() => bodyFn(i, cur) as never) as T;
      releaseOld(cur, next, mark);
      val = next;
    }
    return val;
  });
}

/**
 * While loop: `loopVars = body(...loopVars)` while `cond(...loopVars)` holds
 * (a single non-array `loopVars` is passed as one argument), at most
 * `maximumIterations` times. Intermediate values are disposed.
 */
export function whileLoop<T>(
  cond: (...vars: never[]) => boolean | Tensor,
  body: (...vars: never[]) => T,
  loopVars: T,
  maximumIterations: number | null = null,
): T {
  return run("while_loop", [loopVars, maximumIterations], (init: T, maxIt: number | null) => {
    const spread = (v: T): unknown[] => (Array.isArray(v) ? v : [v]);
    const mark = nextTensorId();
    let vars = init;
    let it = 0;
    for (;;) {
      if (maxIt !== null && it >= maxIt) break;
      const cur = vars;
      const c = tf.tidy(() => {
        const r = (cond as (...a: unknown[]) => boolean | Tensor)(...spread(cur));
        return (typeof r === "boolean" ? tf.scalar(r ? 1 : 0, "int32") : tf.clone(r)) as Tensor;
      });
      const go = truthy(c);
      c.dispose();
      if (!go) break;
      const next = tf.tidy(() => {
        const out = (body as (...a: unknown[]) => T)(...spread(cur));
        if (Array.isArray(cur) && (!Array.isArray(out) || out.length !== cur.length)) {
          throw new Error("whileLoop: body must return the same structure as loopVars.");
        }
        return out as never;
      }) as T;
      releaseOld(cur, next, mark);
      vars = next;
      it++;
    }
    return vars;
  });
}

function sliceLeading(x: Tensor, i: number): Tensor {
  return tf.reshape(tf.slice(x, [i, ...x.shape.slice(1).map(() => 0)], [1, ...x.shape.slice(1)]), x.shape.slice(1));
}

function leadingLength(xs: unknown): number {
  const leaves = flatten<unknown>(xs);
  if (leaves.length === 0) throw new Error("Need at least one tensor to iterate over.");
  const n = shapeOf(leaves[0] as TensorLike)[0];
  for (const l of leaves) {
    if (shapeOf(l as TensorLike)[0] !== n) throw new Error("All tensors iterated over must have the same leading dimension.");
  }
  if (n == null) throw new Error("Cannot iterate over a scalar.");
  return n;
}

function stackResults(ys: unknown[]): unknown {
  if (ys.length === 0) return [];
  const flats = ys.map((y) => flatten<unknown>(y));
  const stacked = flats[0]!.map((_, k) => tf.stack(flats.map((f) => toTensor(f[k] as TensorLike))));
  return packSequenceAs(ys[0], stacked);
}

/**
 * Scan: `[carry, y] = f(carry, x)` over the slices `x` of `xs` along axis 0
 * (or `length` times with `x = null`); returns `[finalCarry, stackedYs]`.
 */
export function scan<C, X, Y>(
  f: (carry: C, x: X | null) => [C, Y],
  init: C,
  xs: X | null = null,
  length: number | null = null,
  reverse = false,
): [C, Y] {
  return run("scan", [init, xs, length, reverse], (c0: C, xv: X | null, len: number | null, rev: boolean) => {
    const n = xv == null ? len : leadingLength(xv);
    if (n == null) throw new Error("scan: give xs or length.");
    if (len != null && xv != null && len !== n) throw new Error(`scan: length ${len} does not match xs's leading dimension ${n}.`);
    const xLeaves = xv == null ? [] : flatten<unknown>(xv).map((l) => toTensor(l as TensorLike));
    const mark = nextTensorId();
    let carry = c0;
    const ys: Y[] = new Array<Y>(n);
    for (let s = 0; s < n; s++) {
      const i = rev ? n - 1 - s : s;
      const cur = carry;
      const [nc, y] = tf.tidy(() => {
        const x = xv == null ? null : (packSequenceAs(xv, xLeaves.map((l) => sliceLeading(l, i))) as X);
        const out = f(cur, x);
        return [out[0], out[1]] as never;
      }) as [C, Y];
      ys[i] = y;
      releaseOld(cur, [nc, ...ys.filter((v) => v !== undefined)], mark);
      carry = nc;
    }
    const stacked = tf.tidy(() => stackResults(ys) as never) as Y;
    releaseOld(ys, [carry, stacked], mark);
    return [carry, stacked];
  });
}

/** Applies `f` to each slice of `xs` along axis 0 and stacks the results. */
export function map<X, Y>(f: (x: X) => Y, xs: X): Y {
  return run("map", [xs], (xv: X) => {
    const n = leadingLength(xv);
    const leaves = flatten<unknown>(xv).map((l) => toTensor(l as TensorLike));
    const mark = nextTensorId();
    const ys: Y[] = [];
    for (let i = 0; i < n; i++) {
      ys.push(tf.tidy(() => f(packSequenceAs(xv, leaves.map((l) => sliceLeading(l, i))) as X) as never) as Y);
    }
    const stacked = tf.tidy(() => stackResults(ys) as never) as Y;
    releaseOld(ys, stacked, mark);
    return stacked;
  });
}

/** Maps `fn` over the first axis of `elements` (as `map`; computed slice by slice). */
export function vectorizedMap<X, Y>(fn: (x: X) => Y, elements: X): Y {
  return map(fn, elements);
}

/**
 * Inclusive scan with an associative binary `f` along `axis`:
 * `out[i] = f(out[i-1], elems[i])` (from the end when `reverse`). `f` gets
 * slices that keep the axis (size 1); `elems` may be a nested structure.
 */
export function associativeScan<T>(f: (a: T, b: T) => T, elems: T, reverse = false, axis = 0): T {
  return run("associative_scan", [elems, reverse, axis], (ev: T, rev: boolean, ax: number) =>
    tf.tidy(() => {
      const leaves = flatten<unknown>(ev).map((l) => toTensor(l as TensorLike));
      if (leaves.length === 0) throw new Error("associativeScan: elems is empty.");
      const a = normalizeAxis(ax, leaves[0]!.rank);
      const n = leaves[0]!.shape[a]!;
      const at = (i: number): T =>
        packSequenceAs(
          ev,
          leaves.map((l) => tf.slice(l, l.shape.map((_, j) => (j === a ? i : 0)), l.shape.map((d, j) => (j === a ? 1 : d)))),
        ) as T;
      const outs: T[] = new Array<T>(n);
      for (let s = 0; s < n; s++) {
        const i = rev ? n - 1 - s : s;
        outs[i] = s === 0 ? at(i) : f(outs[rev ? i + 1 : i - 1]!, at(i));
      }
      const flats = outs.map((o) => flatten<unknown>(o));
      const joined = leaves.map((_, k) => tf.concat(flats.map((fl) => toTensor(fl[k] as TensorLike)), a));
      return packSequenceAs(ev, joined) as never;
    }) as T,
  );
}

/** The block of `inputs` starting at `startIndices` with size `shape`. */
export function slice<A extends OpInput>(inputs: A, startIndices: readonly number[] | OpInput, shape: readonly number[]): OpResult<A> {
  return run("slice", [inputs, startIndices, [...shape]], (t: TensorLike, st: number[] | TensorLike, s: number[]) =>
    tf.tidy(() => {
      const xt = toTensor(t);
      const start = indexList(st);
      if (start.length !== s.length || s.length !== xt.rank) {
        throw new Error(`slice: startIndices (${start.length}) and shape (${s.length}) must both have the rank of the input (${xt.rank}).`);
      }
      return tf.slice(xt, start, s);
    }),
  );
}

function indexList(x: number[] | TensorLike): number[] {
  if (Array.isArray(x) && x.every((v) => typeof v === "number")) return x as number[];
  const owned = !(x instanceof tf.Tensor || x instanceof Variable);
  const t = toTensor(x as TensorLike);
  const v = Array.from(t.dataSync() as ArrayLike<number>);
  if (owned) t.dispose();
  return v;
}

/** `inputs` with the block at `startIndices` replaced by `updates`. */
export function sliceUpdate<A extends OpInput, B extends OpInput>(inputs: A, startIndices: readonly number[] | OpInput, updates: B): OpResult<A | B> {
  return run("slice_update", [inputs, startIndices, updates], (t: TensorLike, st: number[] | TensorLike, u: TensorLike) =>
    tf.tidy(() => {
      const xt = toTensor(t);
      const ut = toTensor(u, xt.dtype);
      const start = indexList(st);
      if (ut.rank !== xt.rank || start.length !== xt.rank) throw new Error(`sliceUpdate: updates (shape [${ut.shape}]) and startIndices must have the rank of inputs (shape [${xt.shape}]).`);
      const pads = xt.shape.map((d, i) => {
        const b = start[i]!;
        const a = d - b - ut.shape[i]!;
        if (b < 0 || a < 0) throw new Error(`sliceUpdate: updates of shape [${ut.shape}] at [${start}] do not fit in [${xt.shape}].`);
        return [b, a] as [number, number];
      });
      const mask = tf.cast(tf.pad(tf.ones(ut.shape, "int32"), pads), "bool");
      const placed = tf.pad(ut, pads);
      return tf.where(mask, placed, xt);
    }),
  );
}

/**
 * A zero tensor of `shape` with `values` added at `indices` (`[N, k]`; an
 * index may repeat, its values are summed).
 */
export function scatter<A extends OpInput, B extends OpInput>(indices: A, values: B, shape: readonly number[]): OpResult<A | B> {
  return run("scatter", [indices, values, [...shape]], (i: TensorLike, v: TensorLike, s: number[]) =>
    tf.tidy(() => {
      const it = tf.cast(toTensor(i), "int32");
      const vt = toTensor(v);
      const compute = vt.dtype === "bool" ? tf.cast(vt, "int32") : vt;
      const out = tf.scatterND(it, compute, s);
      return vt.dtype === "bool" ? tf.cast(out, "bool") : out;
    }),
  );
}

/**
 * `inputs` with `inputs[indices] = updates` (`indices` `[N, k]`); `reduction`
 * "add", "max", "min" or "mul" combines instead of replacing.
 */
export function scatterUpdate<A extends OpInput, B extends OpInput, C extends OpInput>(
  inputs: A,
  indices: B,
  updates: C,
  reduction: "add" | "max" | "min" | "mul" | null = null,
): OpResult<A | B | C> {
  return run("scatter_update", [inputs, indices, updates, reduction], (t: TensorLike, i: TensorLike, u: TensorLike, red: string | null) =>
    tf.tidy(() => {
      const xt = toTensor(t);
      const it = tf.cast(toTensor(i), "int32");
      const ut = toTensor(u, xt.dtype);
      if (red === null) return tf.tensorScatterUpdate(xt, it, ut);
      if (red === "add") return tf.add(xt, tf.scatterND(it, ut, xt.shape));
      if (!["max", "min", "mul"].includes(red)) throw new Error(`scatterUpdate: unsupported reduction "${red}".`);
      // Element by element, so repeated indices combine in order.
      const buf = xt.bufferSync();
      const idx = it.arraySync() as number[][];
      const k = it.shape[1]!;
      const inner = xt.shape.slice(k);
      const innerSize = inner.reduce((a, b) => a * b, 1);
      const ud = ut.dataSync();
      const out = tf.buffer(xt.shape, xt.dtype, buf.values.slice());
      idx.forEach((row, r) => {
        for (let j = 0; j < innerSize; j++) {
          const rest: number[] = [];
          let rem = j;
          for (let d = inner.length - 1; d >= 0; d--) {
            rest.unshift(rem % inner[d]!);
            rem = Math.floor(rem / inner[d]!);
          }
          const loc = [...row, ...rest];
          const a = out.get(...loc) as number;
          const b = ud[r * innerSize + j] as number;
          out.set(red === "max" ? Math.max(a, b) : red === "min" ? Math.min(a, b) : a * b, ...loc);
        }
      });
      return out.toTensor();
    }),
  );
}

/** Splits `x` along `axis` into a list of tensors (`num` must match the axis size when given). */
export function unstack<A extends OpInput>(x: A, num: number | null = null, axis = 0): OpResult<A>[] {
  return run("unstack", [x, num, axis], (t: TensorLike, n: number | null, ax: number) => {
    const xt = toTensor(t);
    const a = normalizeAxis(ax, xt.rank);
    if (n !== null && xt.shape[a] !== n) throw new Error(`unstack: num=${n} does not match axis ${a} of size ${xt.shape[a]}.`);
    return tf.unstack(xt, a);
  });
}

/** Calls `branches[index](...operands)`; `index` is clamped to the valid range. */
export function switchCase<T>(index: number | OpInput, branches: readonly ((...operands: never[]) => T)[], ...operands: unknown[]): T {
  if (branches.length === 0) throw new Error("switch: branches must not be empty.");
  return run("switch", [index, ...operands], (i: number | TensorLike, ...ops: unknown[]) => {
    const k = Math.min(Math.max(Math.trunc(scalarValue(i)), 0), branches.length - 1);
    return (branches[k] as (...a: unknown[]) => T)(...ops);
  });
}

export { switchCase as switch };

const SATURATE_RANGES: Record<string, [number, number]> = {
  int8: [-128, 127],
  uint8: [0, 255],
  int16: [-32768, 32767],
  uint16: [0, 65535],
  int32: [-2147483648, 2147483520],
  int64: [-2147483648, 2147483520],
  uint32: [0, 2147483520],
  uint64: [0, 2147483520],
  float16: [-65504, 65504],
  bfloat16: [-3.3895313892515355e38, 3.3895313892515355e38],
};

/** Casts to `dtype`, clipping values to its range first (no wrap-around). */
export function saturateCast<A extends OpInput>(x: A, dtype: DTypeLike): OpResult<A> {
  return run("saturate_cast", [x, dtype], (t: TensorLike, d: DTypeLike) =>
    tf.tidy(() => {
      const xt = toTensor(t);
      const want = standardizeDtype(d);
      const range = SATURATE_RANGES[String(d)];
      let v = xt;
      if (range && xt.dtype !== "bool") {
        const [lo, hi] = range;
        if (xt.dtype === "float32") v = tf.clipByValue(xt, lo, hi);
        else if (xt.dtype === "int32") v = tf.clipByValue(xt, Math.max(lo, -2147483648), Math.min(hi, 2147483647));
      }
      if (want === "int32" && v.dtype === "float32") v = tf.clipByValue(v, -2147483648, 2147483520);
      return v.dtype === want ? tf.clone(v) : tf.cast(v, want);
    }),
  );
}

/**
 * Wraps `f` with a custom gradient: `f(...args)` returns `[output, gradFn]`
 * where `gradFn(upstream)` returns the gradient for each argument (a tensor,
 * or an array with one per argument).
 */
export function customGradient(f: (...args: Tensor[]) => [Tensor, (upstream: Tensor) => Tensor | Tensor[]]): (...args: TensorLike[]) => Tensor {
  const wrapped = tf.customGrad((...all: unknown[]) => {
    const inputs = all.slice(0, -1) as Tensor[];
    const [value, gradFn] = f(...inputs);
    return {
      value,
      gradFunc: (dy: Tensor | Tensor[]) => {
        const g = gradFn(Array.isArray(dy) ? dy[0]! : dy);
        return Array.isArray(g) ? g : [g];
      },
    };
  });
  return (...args: TensorLike[]) => {
    const owned = args.map((a) => !(a instanceof tf.Tensor || a instanceof Variable));
    const ts = args.map((a) => toTensor(a));
    try {
      return wrapped(...ts);
    } finally {
      ts.forEach((t, i) => owned[i] && t.dispose());
    }
  };
}
