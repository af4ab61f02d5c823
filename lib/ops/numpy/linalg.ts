/**
 * keras.ops products and differences: matmul, dot, einsum, tensordot, inner,
 * outer, vdot, kron, cross, correlate, diff, trapezoid.
 */
import { tf, type Tensor } from "../../backend/tfjs.js";
import { resultType, type DType } from "../../backend/dtypes.js";
import { convertToTensor, dtypeForPromotion, shapeOf, type OpInput, type OpResult, type TensorLike } from "../convert.js";
import { dispatch } from "../operation.js";
import { Variable } from "../../backend/variable.js";
import { broadcastShapes, normalizeAxis } from "../axis.js";

function run<R>(name: string, args: unknown[], fn: (...a: never[]) => unknown): R {
  return dispatch(name, args, fn) as R;
}

function prod(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

/** The result dtype and the dtype the product is computed in (bool products are computed as float, then cast back). */
function productDtypes(xs: readonly TensorLike[]): { result: DType; compute: DType } {
  const result = resultType(...xs.map((x) => dtypeForPromotion(x)));
  return { result, compute: result === "bool" ? "float32" : result };
}

function finish(t: Tensor, result: DType): Tensor {
  return t.dtype === result ? t : tf.cast(t, result);
}

function matmulEager(a: TensorLike, b: TensorLike): Tensor {
  const { result, compute } = productDtypes([a, b]);
  return tf.tidy(() => {
    let at = convertToTensor(a, compute);
    let bt = convertToTensor(b, compute);
    if (at.rank === 0 || bt.rank === 0) throw new Error("matmul: inputs cannot be scalars (use multiply).");
    const aVec = at.rank === 1;
    const bVec = bt.rank === 1;
    if (aVec) at = tf.reshape(at, [1, at.shape[0]!]);
    if (bVec) bt = tf.reshape(bt, [bt.shape[0]!, 1]);
    const k1 = at.shape[at.rank - 1]!;
    const k2 = bt.shape[bt.rank - 2]!;
    if (k1 !== k2) throw new Error(`matmul: shapes [${at.shape}] and [${bt.shape}] are incompatible (${k1} != ${k2}).`);
    const batch = broadcastShapes(at.shape.slice(0, -2), bt.shape.slice(0, -2));
    const n = at.shape[at.rank - 2]!;
    const m = bt.shape[bt.rank - 1]!;
    let out: Tensor;
    if (batch.length === 0) out = tf.matMul(at, bt);
    else {
      const ab = tf.reshape(tf.broadcastTo(at, [...batch, n, k1]), [-1, n, k1]);
      const bb = tf.reshape(tf.broadcastTo(bt, [...batch, k1, m]), [-1, k1, m]);
      out = tf.reshape(tf.matMul(ab, bb), [...batch, n, m]);
    }
    const shape = [...batch, ...(aVec ? [] : [n]), ...(bVec ? [] : [m])];
    return finish(tf.reshape(out, shape), result);
  });
}

/** Matrix product with NumPy's rules: batched, batch dims broadcast, 1-D operands promoted then squeezed. */
export function matmul<A extends OpInput, B extends OpInput>(x1: A, x2: B): OpResult<A | B> {
  return run("matmul", [x1, x2], (a: TensorLike, b: TensorLike) => matmulEager(a, b));
}

function tensordotEager(a: TensorLike, b: TensorLike, axes: number | [number[], number[]]): Tensor {
  const { result, compute } = productDtypes([a, b]);
  return tf.tidy(() => {
    const at = convertToTensor(a, compute);
    const bt = convertToTensor(b, compute);
    let axA: number[];
    let axB: number[];
    if (typeof axes === "number") {
      if (axes > at.rank || axes > bt.rank || axes < 0) throw new Error(`tensordot: axes=${axes} is out of range for shapes [${at.shape}] and [${bt.shape}].`);
      axA = range(axes).map((i) => at.rank - axes + i);
      axB = range(axes);
    } else {
      axA = axes[0].map((x) => normalizeAxis(x, at.rank));
      axB = axes[1].map((x) => normalizeAxis(x, bt.rank));
    }
    if (axA.length !== axB.length) throw new Error("tensordot: the two axes lists must have the same length.");
    axA.forEach((ai, i) => {
      if (at.shape[ai] !== bt.shape[axB[i]!]) throw new Error(`tensordot: shape mismatch on contracted axes: [${at.shape}] axis ${ai} vs [${bt.shape}] axis ${axB[i]}.`);
    });
    const freeA = range(at.rank).filter((i) => !axA.includes(i));
    const freeB = range(bt.rank).filter((i) => !axB.includes(i));
    const fa = freeA.map((i) => at.shape[i]!);
    const fb = freeB.map((i) => bt.shape[i]!);
    const c = prod(axA.map((i) => at.shape[i]!));
    const a2 = tf.reshape(tf.transpose(at, [...freeA, ...axA]), [prod(fa), c]);
    const b2 = tf.reshape(tf.transpose(bt, [...axB, ...freeB]), [c, prod(fb)]);
    return finish(tf.reshape(tf.matMul(a2, b2), [...fa, ...fb]), result);
  });
}

/**
 * Tensor dot product over `axes`: an int N (last N axes of `x1` with the
 * first N of `x2`) or a pair of axis lists (or ints).
 */
export function tensordot<A extends OpInput, B extends OpInput>(
  x1: A,
  x2: B,
  axes: number | readonly [number | readonly number[], number | readonly number[]] = 2,
): OpResult<A | B> {
  const ax: number | [number[], number[]] =
    typeof axes === "number" ? axes : [typeof axes[0] === "number" ? [axes[0]] : [...axes[0]], typeof axes[1] === "number" ? [axes[1]] : [...axes[1]]];
  return run("tensordot", [x1, x2, ax], (a: TensorLike, b: TensorLike, x: number | [number[], number[]]) => tensordotEager(a, b, x));
}

function multiplyEager(a: TensorLike, b: TensorLike): Tensor {
  const { result, compute } = productDtypes([a, b]);
  return tf.tidy(() => finish(tf.mul(convertToTensor(a, compute), convertToTensor(b, compute)), result));
}

/** NumPy's dot: scalars multiply, 1-D·1-D inner product, 2-D matmul, N-D sums over the last axis of x1 and the second-to-last of x2. */
export function dot<A extends OpInput, B extends OpInput>(x1: A, x2: B): OpResult<A | B> {
  return run("dot", [x1, x2], (a: TensorLike, b: TensorLike) => {
    const ra = convertRank(a);
    const rb = convertRank(b);
    if (ra === 0 || rb === 0) return multiplyEager(a, b);
    if (rb === 1) return tensordotEager(a, b, [[ra - 1], [0]]);
    if (ra <= 2 && rb === 2) return matmulEager(a, b);
    return tensordotEager(a, b, [[ra - 1], [rb - 2]]);
  });
}

function convertRank(x: TensorLike): number {
  return shapeOf(x).length;
}

/** Inner product over the last axes (scalars multiply). */
export function inner<A extends OpInput, B extends OpInput>(x1: A, x2: B): OpResult<A | B> {
  return run("inner", [x1, x2], (a: TensorLike, b: TensorLike) => {
    const ra = convertRank(a);
    const rb = convertRank(b);
    if (ra === 0 || rb === 0) return multiplyEager(a, b);
    return tensordotEager(a, b, [[ra - 1], [rb - 1]]);
  });
}

/** Outer product of the flattened inputs. */
export function outer<A extends OpInput, B extends OpInput>(x1: A, x2: B): OpResult<A | B> {
  return run("outer", [x1, x2], (a: TensorLike, b: TensorLike) => {
    const { result, compute } = productDtypes([a, b]);
    return tf.tidy(() => {
      const at = tf.reshape(convertToTensor(a, compute), [-1, 1]);
      const bt = tf.reshape(convertToTensor(b, compute), [1, -1]);
      return finish(tf.mul(at, bt), result);
    });
  });
}

/** Dot product of the flattened inputs (a scalar). */
export function vdot<A extends OpInput, B extends OpInput>(x1: A, x2: B): OpResult<A | B> {
  return run("vdot", [x1, x2], (a: TensorLike, b: TensorLike) => {
    const { result, compute } = productDtypes([a, b]);
    return tf.tidy(() => {
      const at = tf.reshape(convertToTensor(a, compute), [-1]);
      const bt = tf.reshape(convertToTensor(b, compute), [-1]);
      if (at.size !== bt.size) throw new Error(`vdot: inputs have ${at.size} and ${bt.size} elements.`);
      return finish(tf.sum(tf.mul(at, bt)), result);
    });
  });
}

/** Kronecker product (blocks of `x2` scaled by the elements of `x1`). */
export function kron<A extends OpInput, B extends OpInput>(x1: A, x2: B): OpResult<A | B> {
  return run("kron", [x1, x2], (a: TensorLike, b: TensorLike) => {
    const { result, compute } = productDtypes([a, b]);
    return tf.tidy(() => {
      let at = convertToTensor(a, compute);
      let bt = convertToTensor(b, compute);
      const n = Math.max(at.rank, bt.rank);
      const sa = [...new Array<number>(n - at.rank).fill(1), ...at.shape];
      const sb = [...new Array<number>(n - bt.rank).fill(1), ...bt.shape];
      at = tf.reshape(at, sa.flatMap((d) => [d, 1]));
      bt = tf.reshape(bt, sb.flatMap((d) => [1, d]));
      const p = tf.mul(at, bt);
      return finish(tf.reshape(p, sa.map((d, i) => d * sb[i]!)), result);
    });
  });
}

/** Options of `cross`. */
export interface CrossOptions {
  axisa?: number;
  axisb?: number;
  axisc?: number;
  /** Overrides axisa, axisb and axisc. */
  axis?: number | null;
}

/**
 * Cross product of 2- or 3-element vectors along the given axes (default the
 * last). Two 2-vectors give the z component only.
 */
export function cross<A extends OpInput, B extends OpInput>(x1: A, x2: B, options: CrossOptions = {}): OpResult<A | B> {
  const o = { axisa: options.axisa ?? -1, axisb: options.axisb ?? -1, axisc: options.axisc ?? -1, axis: options.axis ?? null };
  return run("cross", [x1, x2, o], (a: TensorLike, b: TensorLike, opt: Required<CrossOptions>) => {
    const { result, compute } = productDtypes([a, b]);
    return tf.tidy(() => {
      const ax = opt.axis ?? opt.axisa;
      const bx = opt.axis ?? opt.axisb;
      const cx = opt.axis ?? opt.axisc;
      const moveLast = (t: Tensor, axis: number): Tensor => {
        const k = normalizeAxis(axis, t.rank);
        return tf.transpose(t, [...range(t.rank).filter((i) => i !== k), k]);
      };
      const at = moveLast(convertToTensor(a, compute), ax);
      const bt = moveLast(convertToTensor(b, compute), bx);
      const da = at.shape[at.rank - 1]!;
      const db = bt.shape[bt.rank - 1]!;
      if (![2, 3].includes(da) || ![2, 3].includes(db)) {
        throw new Error(`cross: incompatible dimensions for cross product (dimension must be 2 or 3); got ${da} and ${db}.`);
      }
      const comps = (t: Tensor, d: number): Tensor[] => {
        const parts = tf.unstack(t, t.rank - 1);
        if (d === 2) parts.push(tf.zerosLike(parts[0]!));
        return parts;
      };
      const [a0, a1, a2] = comps(at, da) as [Tensor, Tensor, Tensor];
      const [b0, b1, b2] = comps(bt, db) as [Tensor, Tensor, Tensor];
      const z = tf.sub(tf.mul(a0, b1), tf.mul(a1, b0));
      if (da === 2 && db === 2) return finish(z, result);
      const x = tf.sub(tf.mul(a1, b2), tf.mul(a2, b1));
      const y = tf.sub(tf.mul(a2, b0), tf.mul(a0, b2));
      const shape = broadcastShapes(x.shape, broadcastShapes(y.shape, z.shape));
      const out = tf.stack([tf.broadcastTo(x, shape), tf.broadcastTo(y, shape), tf.broadcastTo(z, shape)], shape.length);
      const k = normalizeAxis(cx, out.rank, "axisc");
      const perm = range(out.rank - 1);
      perm.splice(k, 0, out.rank - 1);
      return finish(tf.transpose(out, perm), result);
    });
  });
}

/**
 * Cross-correlation of two 1-D sequences (NumPy's correlate):
 * `c[k] = sum_n x1[n + k] * x2[n]`, mode "valid" (default), "same" or "full". float32.
 */
export function correlate<A extends OpInput, B extends OpInput>(x1: A, x2: B, mode: "valid" | "same" | "full" = "valid"): OpResult<A | B> {
  return run("correlate", [x1, x2, mode], (a: TensorLike, b: TensorLike, md: string) =>
    tf.tidy(() => {
      const at = convertToTensor(a, "float32");
      const bt = convertToTensor(b, "float32");
      if (at.rank !== 1 || bt.rank !== 1) throw new Error(`correlate: inputs must be 1-D; got shapes [${at.shape}] and [${bt.shape}].`);
      const m = at.shape[0]!;
      const n = bt.shape[0]!;
      if (m === 0 || n === 0) throw new Error("correlate: inputs cannot be empty.");
      const full = m + n - 1;
      const padded = tf.pad(at, [[n - 1, n - 1]]);
      const idx: number[] = [];
      for (let j = 0; j < full; j++) for (let k = 0; k < n; k++) idx.push(j + k);
      const frames = tf.reshape(tf.gather(padded, tf.tensor1d(idx, "int32")), [full, n]);
      const c = tf.reshape(tf.matMul(frames, tf.reshape(bt, [n, 1])), [full]);
      const lo = Math.min(m, n);
      const hi = Math.max(m, n);
      if (md === "full") return c;
      if (md === "valid") return tf.slice(c, [lo - 1], [hi - lo + 1]);
      if (md === "same") {
        const start = m >= n ? Math.floor((lo - 1) / 2) : Math.ceil((lo - 1) / 2);
        return tf.slice(c, [start], [hi]);
      }
      throw new Error(`correlate: mode must be "valid", "same" or "full". Received: ${md}`);
    }),
  );
}

/** The n-th discrete difference along `axis` (bool inputs: not-equal). */
export function diff<A extends OpInput>(a: A, n = 1, axis = -1): OpResult<A> {
  return run("diff", [a, n, axis], (x: TensorLike, nn: number, ax: number) =>
    tf.tidy(() => {
      let t = convertToTensor(x);
      if (!Number.isInteger(nn) || nn < 0) throw new Error(`diff: order n must be non-negative. Received: ${nn}`);
      if (nn === 0) return tf.clone(t);
      if (t.rank === 0) throw new Error("diff requires input that is at least one dimensional.");
      const k = normalizeAxis(ax, t.rank);
      for (let i = 0; i < nn; i++) {
        const len = t.shape[k]!;
        if (len === 0) break;
        const sizes = t.shape.map((d, j) => (j === k ? len - 1 : d));
        const hiPart = tf.slice(t, t.shape.map((_, j) => (j === k ? 1 : 0)), sizes);
        const loPart = tf.slice(t, t.shape.map(() => 0), sizes);
        t = t.dtype === "bool" ? tf.notEqual(hiPart, loPart) : tf.sub(hiPart, loPart);
      }
      return t;
    }),
  );
}

/** Options of `trapezoid`. */
export interface TrapezoidOptions {
  /** Sample points (1-D along `axis`, or shaped like `y`); defaults to spacing `dx`. */
  x?: OpInput | null;
  /** Spacing when `x` is not given. Default 1. */
  dx?: number;
  /** The axis to integrate along. Default -1. */
  axis?: number;
}

/** Integrates `y` along `axis` with the trapezoidal rule. */
export function trapezoid<A extends OpInput>(y: A, options: TrapezoidOptions = {}): OpResult<A> {
  const { x = null, dx = 1, axis = -1 } = options;
  return run("trapezoid", [y, x, dx, axis], (yv: TensorLike, xv: TensorLike | null, d: number, ax: number) =>
    tf.tidy(() => {
      const yt = convertToTensor(yv, "float32");
      const k = normalizeAxis(ax, yt.rank);
      const n = yt.shape[k]!;
      if (n < 2) return tf.sum(tf.zerosLike(yt), k);
      const sizes = yt.shape.map((s, j) => (j === k ? n - 1 : s));
      const y1 = tf.slice(yt, yt.shape.map((_, j) => (j === k ? 1 : 0)), sizes);
      const y0 = tf.slice(yt, yt.shape.map(() => 0), sizes);
      const avg = tf.div(tf.add(y1, y0), 2);
      if (xv == null) return tf.mul(tf.sum(avg, k), d);
      let xt = convertToTensor(xv, "float32");
      let dxs: Tensor;
      if (xt.rank === 1) {
        dxs = tf.sub(tf.slice(xt, [1], [n - 1]), tf.slice(xt, [0], [n - 1]));
        const shape = yt.shape.map((_, j) => (j === k ? n - 1 : 1));
        dxs = tf.reshape(dxs, shape);
      } else {
        const kx = normalizeAxis(ax, xt.rank);
        const len = xt.shape[kx]!;
        const sz = xt.shape.map((s, j) => (j === kx ? len - 1 : s));
        xt = tf.sub(tf.slice(xt, xt.shape.map((_, j) => (j === kx ? 1 : 0)), sz), tf.slice(xt, xt.shape.map(() => 0), sz));
        dxs = xt;
      }
      return tf.sum(tf.mul(avg, dxs), k);
    }),
  );
}

interface Term {
  t: Tensor;
  labels: string[];
}

function diagonalOf(t: Tensor, p: number, q: number): Tensor {
  const rest = range(t.rank).filter((i) => i !== p && i !== q);
  const n = t.shape[p]!;
  if (t.shape[q] !== n) throw new Error(`einsum: repeated subscript with sizes ${n} and ${t.shape[q]}.`);
  const moved = tf.transpose(t, [...rest, p, q]);
  const flat = tf.reshape(moved, [...rest.map((i) => t.shape[i]!), n * n]);
  return tf.gather(flat, tf.tensor1d(range(n).map((i) => i * n + i), "int32"), rest.length);
}

function einsumEager(subscripts: string, operands: TensorLike[]): Tensor {
  const { result, compute } = productDtypes(operands);
  return tf.tidy(() => {
    const ts = operands.map((o) => convertToTensor(o, compute));
    const spec = subscripts.replace(/\s+/g, "");
    const [lhs, rhsRaw] = spec.includes("->") ? (spec.split("->") as [string, string]) : [spec, null];
    const inputs = lhs.split(",");
    if (inputs.length !== ts.length) throw new Error(`einsum: "${subscripts}" names ${inputs.length} operands, ${ts.length} were given.`);
    // Expand ellipses into private labels (uppercase-free unicode range), right-aligned.
    const ELL = (i: number): string => String.fromCharCode(0x3b1 + i);
    let maxEll = 0;
    const labelsPer = inputs.map((s, k) => {
      const parts = s.split("...");
      if (parts.length > 2) throw new Error(`einsum: more than one ellipsis in "${s}".`);
      for (const ch of parts.join("")) if (!/[a-zA-Z]/.test(ch)) throw new Error(`einsum: invalid subscript character "${ch}" in "${subscripts}".`);
      const named = parts.join("").length;
      if (parts.length === 1) {
        if (named !== ts[k]!.rank) throw new Error(`einsum: operand ${k} has rank ${ts[k]!.rank} but subscripts "${s}".`);
        return [...s];
      }
      const e = ts[k]!.rank - named;
      if (e < 0) throw new Error(`einsum: operand ${k} has rank ${ts[k]!.rank}, too small for "${s}".`);
      maxEll = Math.max(maxEll, e);
      return [...parts[0]!, ...Array.from({ length: e }, (_, i) => `#${e - i}`), ...parts[1]!];
    });
    // '#j' is the j-th ellipsis dim counted from the right; map to global labels.
    const ellLabel = (j: number): string => ELL(maxEll - j);
    const terms: Term[] = ts.map((t, k) => ({ t, labels: labelsPer[k]!.map((l) => (l.startsWith("#") ? ellLabel(Number(l.slice(1))) : l)) }));
    const ellLabels = range(maxEll).map((i) => ELL(i));
    let outLabels: string[];
    if (rhsRaw === null) {
      const counts = new Map<string, number>();
      for (const term of terms) for (const l of term.labels) if (!ellLabels.includes(l)) counts.set(l, (counts.get(l) ?? 0) + 1);
      outLabels = [...ellLabels, ...[...counts.keys()].filter((l) => counts.get(l) === 1).sort()];
    } else {
      if (rhsRaw.split("...").length > 2) throw new Error("einsum: more than one ellipsis in the output.");
      const parts = rhsRaw.split("...");
      outLabels = parts.length === 2 ? [...parts[0]!, ...ellLabels, ...parts[1]!] : [...rhsRaw];
      if (parts.length === 1 && maxEll > 0) {
        // NumPy: ellipsis dims not in the output are summed.
      }
      if (new Set(outLabels).size !== outLabels.length) throw new Error(`einsum: output subscript repeated in "${subscripts}".`);
    }
    // Label sizes (with broadcasting of size-1 dims).
    const sizes = new Map<string, number>();
    for (const term of terms) {
      term.labels.forEach((l, i) => {
        const d = term.t.shape[i]!;
        const cur = sizes.get(l);
        if (cur === undefined || cur === 1) sizes.set(l, d);
        else if (d !== 1 && d !== cur) throw new Error(`einsum: size mismatch for subscript "${l}": ${cur} vs ${d}.`);
      });
    }
    for (const l of outLabels) if (!sizes.has(l)) throw new Error(`einsum: output subscript "${l}" does not appear in the inputs.`);
    // Diagonals for repeated labels within one operand.
    for (const term of terms) {
      for (;;) {
        const p = term.labels.findIndex((l, i) => term.labels.indexOf(l) !== i);
        if (p < 0) break;
        const l = term.labels[p]!;
        const first = term.labels.indexOf(l);
        term.t = diagonalOf(term.t, first, p);
        term.labels = [...term.labels.filter((_, i) => i !== first && i !== p), l];
      }
    }
    const sumOut = (term: Term, keep: Set<string>): Term => {
      const axes = term.labels.map((l, i) => (keep.has(l) ? -1 : i)).filter((i) => i >= 0);
      if (axes.length === 0) return term;
      return { t: tf.sum(term.t, axes), labels: term.labels.filter((l) => keep.has(l)) };
    };
    const expandTo = (term: Term, labels: string[]): Tensor => {
      const shape = term.labels.map((l) => (labels.includes(l) ? sizes.get(l)! : term.t.shape[term.labels.indexOf(l)]!));
      return shape.join() === term.t.shape.join() ? term.t : tf.broadcastTo(term.t, shape);
    };
    let acc = terms[0]!;
    const needed = (from: number): Set<string> => {
      const s = new Set(outLabels);
      for (let k = from; k < terms.length; k++) for (const l of terms[k]!.labels) s.add(l);
      return s;
    };
    acc = sumOut(acc, needed(1));
    for (let k = 1; k < terms.length; k++) {
      const keepAfter = needed(k + 1);
      let b = terms[k]!;
      const inBoth = (l: string): boolean => acc.labels.includes(l) && b.labels.includes(l);
      acc = sumOut(acc, new Set([...keepAfter, ...b.labels]));
      b = sumOut(b, new Set([...keepAfter, ...acc.labels]));
      const batch = acc.labels.filter((l) => inBoth(l) && keepAfter.has(l));
      const contr = acc.labels.filter((l) => inBoth(l) && !keepAfter.has(l));
      const freeA = acc.labels.filter((l) => !inBoth(l));
      const freeB = b.labels.filter((l) => !inBoth(l));
      const shared = [...batch, ...contr];
      const at = expandTo(acc, shared);
      const bt = expandTo(b, shared);
      const perm = (labels: string[], order: string[]): number[] => order.map((l) => labels.indexOf(l));
      const A = tf.transpose(at, perm(acc.labels, [...batch, ...freeA, ...contr]));
      const B = tf.transpose(bt, perm(b.labels, [...batch, ...contr, ...freeB]));
      const sz = (ls: string[], term: Term): number[] => ls.map((l) => (shared.includes(l) ? sizes.get(l)! : term.t.shape[term.labels.indexOf(l)]!));
      const bs = sz(batch, acc);
      const fa = sz(freeA, acc);
      const fb = sz(freeB, b);
      const cs = prod(sz(contr, acc));
      const A3 = tf.reshape(A, [prod(bs), prod(fa), cs]);
      const B3 = tf.reshape(B, [prod(bs), cs, prod(fb)]);
      const out = tf.reshape(tf.matMul(A3, B3), [...bs, ...fa, ...fb]);
      acc = { t: out, labels: [...batch, ...freeA, ...freeB] };
    }
    acc = sumOut(acc, new Set(outLabels));
    const t = expandTo(acc, outLabels);
    const perm = outLabels.map((l) => acc.labels.indexOf(l));
    const res = perm.every((p, i) => p === i) ? tf.clone(t) : tf.transpose(t, perm);
    return finish(res, result);
  });
}

/**
 * Einstein summation, e.g. `einsum("bij,bjk->bik", a, b)`. Supports any
 * number of operands, ellipsis (`"...ij,...jk"`), implicit output, repeated
 * subscripts (diagonals) and sums; computed by transposes and batched matmuls.
 */
export function einsum<A extends OpInput>(subscripts: string, ...operands: A[]): OpResult<A> {
  return run("einsum", [subscripts, ...operands], (s: string, ...ops: TensorLike[]) => einsumEager(s, ops));
}

// ---------------------------------------------------------------------------
// slogdet

/** sign and log|det| of each n×n matrix in `data` (row-major, float64 LU with partial pivoting). */
function slogdetBatch(data: Float64Array, n: number, count: number): { sign: Float32Array; logabs: Float32Array } {
  const sign = new Float32Array(count);
  const logabs = new Float32Array(count);
  for (let b = 0; b < count; b++) {
    const m = data.subarray(b * n * n, (b + 1) * n * n);
    let s = 1;
    let l = 0;
    for (let c = 0; c < n; c++) {
      let piv = c;
      for (let r = c + 1; r < n; r++) if (Math.abs(m[r * n + c]!) > Math.abs(m[piv * n + c]!)) piv = r;
      const pv = m[piv * n + c]!;
      if (pv === 0 || Number.isNaN(pv)) {
        s = Number.isNaN(pv) ? NaN : 0;
        l = Number.isNaN(pv) ? NaN : -Infinity;
        break;
      }
      if (piv !== c) {
        s = -s;
        for (let k = 0; k < n; k++) [m[c * n + k], m[piv * n + k]] = [m[piv * n + k]!, m[c * n + k]!];
      }
      if (pv < 0) s = -s;
      l += Math.log(Math.abs(pv));
      for (let r = c + 1; r < n; r++) {
        const f = m[r * n + c]! / pv;
        if (f !== 0) for (let k = c; k < n; k++) m[r * n + k] = m[r * n + k]! - f * m[c * n + k]!;
      }
    }
    sign[b] = s;
    logabs[b] = l;
  }
  return { sign, logabs };
}

/**
 * Sign and natural log of the absolute determinant of square matrices
 * (batched over leading axes), as NumPy's `slogdet`: returns
 * `[sign, logabsdet]` with `det = sign * exp(logabsdet)`; a singular matrix
 * gives sign 0 and logabsdet -inf. Computed by LU decomposition in float64
 * on the data read back (no gradient).
 */
export function slogdet<X extends OpInput>(x: X): [OpResult<X>, OpResult<X>] {
  return run("slogdet", [x], (v: TensorLike) => {
    const t = convertToTensor(v);
    const owned = !(v instanceof tf.Tensor || v instanceof Variable);
    if (t.rank < 2 || t.shape[t.rank - 1] !== t.shape[t.rank - 2]) {
      if (owned) t.dispose();
      throw new Error(`slogdet: expected square matrices (shape [..., n, n]); got shape [${t.shape}].`);
    }
    const n = t.shape[t.rank - 1]!;
    const batch = t.shape.slice(0, -2);
    const data = Float64Array.from(t.dataSync() as ArrayLike<number>);
    if (owned) t.dispose();
    const count = prod(batch);
    const { sign, logabs } = slogdetBatch(data, n, count);
    return [tf.tensor(sign, batch, "float32"), tf.tensor(logabs, batch, "float32")];
  });
}
