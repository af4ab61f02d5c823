/**
 * keras.ops.linalg. `norm`, `qr` and `matrixPower` are built from tfjs ops
 * (differentiable); the factorizations (cholesky, LU, SVD, eigh) and what is
 * built on them run in float64 JavaScript on the tensor's data, batched over
 * leading axes, and have no gradient.
 */
import { tf, type Tensor } from "../backend/tfjs.js";
import { convertToTensor, type OpInput, type OpResult, type TensorLike } from "./convert.js";
import { dispatch } from "./operation.js";
import { Variable } from "../backend/variable.js";
import { normalizeAxes } from "./axis.js";

const EPS32 = 1.1920928955078125e-7;

// ---------------------------------------------------------------- batched matrices in float64

interface Batch {
  batchShape: number[];
  rows: number;
  cols: number;
  mats: Float64Array[];
}

function fl(x: TensorLike): Tensor {
  const t = convertToTensor(x);
  return t.dtype === "float32" ? t : tf.cast(t, "float32");
}

function readBatch(t: Tensor, what = "x"): Batch {
  if (t.rank < 2) throw new Error(`Expected \`${what}\` to have rank >= 2 (a matrix or a batch of matrices). Received shape [${t.shape}].`);
  const rows = t.shape[t.rank - 2];
  const cols = t.shape[t.rank - 1];
  const data = t.dataSync();
  const size = rows * cols;
  const count = size === 0 ? 0 : data.length / size;
  const mats: Float64Array[] = [];
  for (let b = 0; b < count; b++) mats.push(Float64Array.from(data.subarray(b * size, (b + 1) * size)));
  return { batchShape: t.shape.slice(0, -2), rows, cols, mats };
}

function requireSquare(b: Batch, what: string): void {
  if (b.rows !== b.cols) throw new Error(`${what} expects square matrices. Received matrices of shape (${b.rows}, ${b.cols}).`);
}

function writeBatch(mats: Float64Array[], batchShape: number[], shape: number[], dtype: "float32" | "int32" = "float32"): Tensor {
  const per = shape.reduce((a, b) => a * b, 1);
  const out = dtype === "int32" ? new Int32Array(mats.length * per) : new Float32Array(mats.length * per);
  mats.forEach((m, i) => out.set(m, i * per));
  return tf.tensor(out, [...batchShape, ...shape], dtype);
}

/** LU with partial pivoting in place (row-major n×n). Returns pivots (LAPACK style) and the permutation sign. */
function luInPlace(a: Float64Array, n: number): { piv: Int32Array; sign: number } {
  const piv = new Int32Array(n);
  let sign = 1;
  for (let k = 0; k < n; k++) {
    let p = k;
    let best = Math.abs(a[k * n + k]);
    for (let i = k + 1; i < n; i++) {
      const v = Math.abs(a[i * n + k]);
      if (v > best) {
        best = v;
        p = i;
      }
    }
    piv[k] = p;
    if (p !== k) {
      sign = -sign;
      for (let j = 0; j < n; j++) {
        const tmp = a[k * n + j];
        a[k * n + j] = a[p * n + j];
        a[p * n + j] = tmp;
      }
    }
    const d = a[k * n + k];
    if (d === 0) continue;
    for (let i = k + 1; i < n; i++) {
      const f = (a[i * n + k] /= d);
      if (f !== 0) for (let j = k + 1; j < n; j++) a[i * n + j] -= f * a[k * n + j];
    }
  }
  return { piv, sign };
}

/** Solves A X = B given A's LU (in place) and pivots; B is n×m row-major, modified in place. */
function luSolve(lu: Float64Array, piv: Int32Array, n: number, b: Float64Array, m: number): void {
  for (let k = 0; k < n; k++) {
    const p = piv[k];
    if (p !== k) for (let j = 0; j < m; j++) {
      const t = b[k * m + j];
      b[k * m + j] = b[p * m + j];
      b[p * m + j] = t;
    }
  }
  for (let i = 0; i < n; i++) for (let k = 0; k < i; k++) {
    const f = lu[i * n + k];
    if (f !== 0) for (let j = 0; j < m; j++) b[i * m + j] -= f * b[k * m + j];
  }
  for (let i = n - 1; i >= 0; i--) {
    for (let k = i + 1; k < n; k++) {
      const f = lu[i * n + k];
      if (f !== 0) for (let j = 0; j < m; j++) b[i * m + j] -= f * b[k * m + j];
    }
    const d = lu[i * n + i];
    for (let j = 0; j < m; j++) b[i * m + j] /= d;
  }
}

function identity(n: number): Float64Array {
  const e = new Float64Array(n * n);
  for (let i = 0; i < n; i++) e[i * n + i] = 1;
  return e;
}

function transposeMat(a: Float64Array, r: number, c: number): Float64Array {
  const t = new Float64Array(r * c);
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) t[j * r + i] = a[i * c + j];
  return t;
}

function matmul(a: Float64Array, b: Float64Array, n: number, k: number, m: number): Float64Array {
  const c = new Float64Array(n * m);
  for (let i = 0; i < n; i++) for (let p = 0; p < k; p++) {
    const v = a[i * k + p];
    if (v !== 0) for (let j = 0; j < m; j++) c[i * m + j] += v * b[p * m + j];
  }
  return c;
}

function choleskyMat(a: Float64Array, n: number): Float64Array {
  const l = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    let s = a[j * n + j];
    for (let k = 0; k < j; k++) s -= l[j * n + k] * l[j * n + k];
    if (!(s > 0)) return l.fill(NaN); // not positive definite: NaN, as the TF and JAX backends
    const d = Math.sqrt(s);
    l[j * n + j] = d;
    for (let i = j + 1; i < n; i++) {
      let t = a[i * n + j];
      for (let k = 0; k < j; k++) t -= l[i * n + k] * l[j * n + k];
      l[i * n + j] = t / d;
    }
  }
  return l;
}

/** Solves a triangular system A X = B (A n×n, B n×m). */
function triSolve(a: Float64Array, n: number, b: Float64Array, m: number, lower: boolean): Float64Array {
  const x = Float64Array.from(b);
  if (lower) {
    for (let i = 0; i < n; i++) {
      for (let k = 0; k < i; k++) {
        const f = a[i * n + k];
        if (f !== 0) for (let j = 0; j < m; j++) x[i * m + j] -= f * x[k * m + j];
      }
      for (let j = 0; j < m; j++) x[i * m + j] /= a[i * n + i];
    }
  } else {
    for (let i = n - 1; i >= 0; i--) {
      for (let k = i + 1; k < n; k++) {
        const f = a[i * n + k];
        if (f !== 0) for (let j = 0; j < m; j++) x[i * m + j] -= f * x[k * m + j];
      }
      for (let j = 0; j < m; j++) x[i * m + j] /= a[i * n + i];
    }
  }
  return x;
}

/**
 * Thin SVD by one-sided Jacobi (Hestenes) on an r×c matrix: returns
 * U (r×k), s (k, descending), V (c×k) with k = min(r, c).
 */
function svdThin(a: Float64Array, r: number, c: number): { u: Float64Array; s: Float64Array; v: Float64Array; k: number } {
  if (r < c) {
    const t = svdThin(transposeMat(a, r, c), c, r);
    return { u: t.v, s: t.s, v: t.u, k: t.k };
  }
  // r >= c: orthogonalize the columns of W = A (r×c), accumulating V.
  const w = Float64Array.from(a);
  const v = identity(c);
  for (let sweep = 0; sweep < 60; sweep++) {
    let off = 0;
    for (let p = 0; p < c - 1; p++) for (let q = p + 1; q < c; q++) {
      let alpha = 0;
      let beta = 0;
      let gamma = 0;
      for (let i = 0; i < r; i++) {
        const wp = w[i * c + p];
        const wq = w[i * c + q];
        alpha += wp * wp;
        beta += wq * wq;
        gamma += wp * wq;
      }
      if (gamma === 0 || Math.abs(gamma) <= 1e-15 * Math.sqrt(alpha * beta)) continue;
      off = Math.max(off, Math.abs(gamma) / Math.sqrt(alpha * beta));
      const zeta = (beta - alpha) / (2 * gamma);
      const t = Math.sign(zeta || 1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
      const cs = 1 / Math.sqrt(1 + t * t);
      const sn = cs * t;
      for (let i = 0; i < r; i++) {
        const wp = w[i * c + p];
        const wq = w[i * c + q];
        w[i * c + p] = cs * wp - sn * wq;
        w[i * c + q] = sn * wp + cs * wq;
      }
      for (let i = 0; i < c; i++) {
        const vp = v[i * c + p];
        const vq = v[i * c + q];
        v[i * c + p] = cs * vp - sn * vq;
        v[i * c + q] = sn * vp + cs * vq;
      }
    }
    if (off < 1e-15) break;
  }
  const norms = new Float64Array(c);
  for (let j = 0; j < c; j++) {
    let s = 0;
    for (let i = 0; i < r; i++) s += w[i * c + j] * w[i * c + j];
    norms[j] = Math.sqrt(s);
  }
  const order = Array.from({ length: c }, (_, i) => i).sort((x, y) => norms[y] - norms[x]);
  const k = c;
  const u = new Float64Array(r * k);
  const vs = new Float64Array(c * k);
  const s = new Float64Array(k);
  order.forEach((j, col) => {
    s[col] = norms[j];
    for (let i = 0; i < r; i++) u[i * k + col] = norms[j] > 0 ? w[i * c + j] / norms[j] : 0;
    for (let i = 0; i < c; i++) vs[i * k + col] = v[i * c + j];
  });
  // Columns of U for zero singular values: complete to an orthonormal set.
  completeColumns(u, r, k, s.map((x) => (x > 0 ? 1 : 0)));
  return { u, s, v: vs, k };
}

/** Fills the columns of Q (r×k) flagged 0 in `have` with unit vectors orthogonal to the others (Gram–Schmidt on e_i). */
function completeColumns(q: Float64Array, r: number, k: number, have: ArrayLike<number>): void {
  const ok = Array.from(have, (h) => h > 0);
  let cand = 0;
  for (let col = 0; col < k; col++) {
    if (ok[col]) continue;
    while (cand < r) {
      const vec = new Float64Array(r);
      vec[cand++] = 1;
      for (let pass = 0; pass < 2; pass++) for (let j = 0; j < k; j++) {
        if (!ok[j]) continue;
        let d = 0;
        for (let i = 0; i < r; i++) d += q[i * k + j] * vec[i];
        for (let i = 0; i < r; i++) vec[i] -= d * q[i * k + j];
      }
      let nrm = 0;
      for (let i = 0; i < r; i++) nrm += vec[i] * vec[i];
      nrm = Math.sqrt(nrm);
      if (nrm > 1e-8) {
        for (let i = 0; i < r; i++) q[i * k + col] = vec[i] / nrm;
        ok[col] = true;
        break;
      }
    }
  }
}

/** Extends an r×k matrix with orthonormal columns to r×r. */
function extendOrthonormal(u: Float64Array, r: number, k: number): Float64Array {
  const full = new Float64Array(r * r);
  for (let i = 0; i < r; i++) for (let j = 0; j < k; j++) full[i * r + j] = u[i * k + j];
  completeColumns(full, r, r, Array.from({ length: r }, (_, j) => (j < k ? 1 : 0)));
  return full;
}

/** Symmetric eigendecomposition by cyclic Jacobi: eigenvalues ascending, eigenvectors as columns. */
function eighMat(a0: Float64Array, n: number): { w: Float64Array; v: Float64Array } {
  const a = Float64Array.from(a0);
  // Use the lower triangle, as numpy.linalg.eigh does by default.
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) a[i * n + j] = a[j * n + i];
  const v = identity(n);
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) off += a[i * n + j] ** 2;
    if (off < 1e-30) break;
    for (let p = 0; p < n - 1; p++) for (let q = p + 1; q < n; q++) {
      const apq = a[p * n + q];
      if (Math.abs(apq) < 1e-300) continue;
      const theta = (a[q * n + q] - a[p * n + p]) / (2 * apq);
      const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
      const c = 1 / Math.sqrt(t * t + 1);
      const s = t * c;
      for (let k = 0; k < n; k++) {
        const akp = a[k * n + p];
        const akq = a[k * n + q];
        a[k * n + p] = c * akp - s * akq;
        a[k * n + q] = s * akp + c * akq;
      }
      for (let k = 0; k < n; k++) {
        const apk = a[p * n + k];
        const aqk = a[q * n + k];
        a[p * n + k] = c * apk - s * aqk;
        a[q * n + k] = s * apk + c * aqk;
      }
      for (let k = 0; k < n; k++) {
        const vkp = v[k * n + p];
        const vkq = v[k * n + q];
        v[k * n + p] = c * vkp - s * vkq;
        v[k * n + q] = s * vkp + c * vkq;
      }
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => a[x * n + x] - a[y * n + y]);
  const w = new Float64Array(n);
  const vs = new Float64Array(n * n);
  order.forEach((j, col) => {
    w[col] = a[j * n + j];
    for (let i = 0; i < n; i++) vs[i * n + col] = v[i * n + j];
  });
  return { w, v: vs };
}

function pinvMat(a: Float64Array, r: number, c: number, rcond: number): Float64Array {
  const { u, s, v, k } = svdThin(a, r, c);
  const cutoff = rcond * (s[0] ?? 0);
  // pinv = V diag(1/s) Uᵀ  (c×r)
  const out = new Float64Array(c * r);
  for (let j = 0; j < k; j++) {
    if (!(s[j] > cutoff)) continue;
    const inv = 1 / s[j];
    for (let i = 0; i < c; i++) {
      const vij = v[i * k + j] * inv;
      if (vij !== 0) for (let l = 0; l < r; l++) out[i * r + l] += vij * u[l * k + j];
    }
  }
  return out;
}

// ---------------------------------------------------------------- public ops

/**
 * Cholesky factor of symmetric positive-definite matrices: lower `L` with
 * `A = L Lᵀ` (or upper `U = Lᵀ`). A matrix that is not positive definite
 * gives NaN.
 */
export function cholesky<A extends OpInput>(x: A, upper = false): OpResult<A> {
  return dispatch("cholesky", [x], (v: TensorLike) => {
    const b = readBatch(fl(v));
    requireSquare(b, "cholesky");
    const n = b.rows;
    return writeBatch(b.mats.map((m) => (upper ? transposeMat(choleskyMat(m, n), n, n) : choleskyMat(m, n))), b.batchShape, [n, n]);
  }) as OpResult<A>;
}

/** Inverse of `A` given its Cholesky factor `x` (`A = x xᵀ`, or `xᵀ x` with `upper`). */
export function choleskyInverse<A extends OpInput>(x: A, upper = false): OpResult<A> {
  return dispatch("cholesky_inverse", [x], (v: TensorLike) => {
    const b = readBatch(fl(v));
    requireSquare(b, "cholesky_inverse");
    const n = b.rows;
    return writeBatch(
      b.mats.map((m) => {
        const invChol = triSolve(m, n, identity(n), n, !upper);
        const t = transposeMat(invChol, n, n);
        return upper ? matmul(invChol, t, n, n, n) : matmul(t, invChol, n, n, n);
      }),
      b.batchShape,
      [n, n],
    );
  }) as OpResult<A>;
}

/** Determinant of square matrices (via LU with partial pivoting). */
export function det<A extends OpInput>(x: A): OpResult<A> {
  return dispatch("det", [x], (v: TensorLike) => {
    const b = readBatch(fl(v));
    requireSquare(b, "det");
    const n = b.rows;
    const out = b.mats.map((m) => {
      const { sign } = luInPlace(m, n);
      let d = sign;
      for (let i = 0; i < n; i++) d *= m[i * n + i];
      return Float64Array.of(d);
    });
    return writeBatch(out, b.batchShape, []);
  }) as OpResult<A>;
}

/** Inverse of square matrices (singular matrices give inf/nan entries). */
export function inv<A extends OpInput>(x: A): OpResult<A> {
  return dispatch("inv", [x], (v: TensorLike) => {
    const b = readBatch(fl(v));
    requireSquare(b, "inv");
    const n = b.rows;
    return writeBatch(
      b.mats.map((m) => {
        // A singular matrix gives inf/nan (as the TF and JAX backends) rather than an error.
        const { piv } = luInPlace(m, n);
        const e = identity(n);
        luSolve(m, piv, n, e, n);
        return e;
      }),
      b.batchShape,
      [n, n],
    );
  }) as OpResult<A>;
}

/**
 * LU factorization with partial pivoting (SciPy's `lu_factor`): returns
 * `[lu, pivots]`, `lu` holding L (unit diagonal, below) and U, `pivots`
 * the 0-based row swapped with each row in turn (int32).
 */
export function luFactor<A extends OpInput>(x: A): [OpResult<A>, OpResult<A>] {
  return dispatch("lu_factor", [x], (v: TensorLike) => {
    const b = readBatch(fl(v));
    requireSquare(b, "lu_factor");
    const n = b.rows;
    const pivs: Float64Array[] = [];
    const lus = b.mats.map((m) => {
      const { piv } = luInPlace(m, n);
      pivs.push(Float64Array.from(piv));
      return m;
    });
    return [writeBatch(lus, b.batchShape, [n, n]), writeBatch(pivs, b.batchShape, [n], "int32")];
  }) as [OpResult<A>, OpResult<A>];
}

/** Solves `a x = b` for square `a`; `b` is a vector `(..., n)` or a matrix `(..., n, k)`. */
export function solve<A extends OpInput, B extends OpInput>(a: A, b: B): OpResult<A | B> {
  return dispatch("solve", [a, b], (av: TensorLike, bv: TensorLike) => {
    const at = fl(av);
    let bt = fl(bv);
    const vector = bt.rank === at.rank - 1;
    if (vector) bt = tf.expandDims(bt, -1);
    try {
      const A = readBatch(at, "a");
      requireSquare(A, "solve");
      const B = readBatch(bt, "b");
      if (B.rows !== A.rows || B.mats.length !== A.mats.length) {
        throw new Error(`solve: incompatible shapes a=[${at.shape}] and b=[${bt.shape}].`);
      }
      const n = A.rows;
      const out = A.mats.map((m, i) => {
        const { piv } = luInPlace(m, n);
        const x = B.mats[i];
        luSolve(m, piv, n, x, B.cols);
        return x;
      });
      return writeBatch(out, A.batchShape, vector ? [n] : [n, B.cols]);
    } finally {
      if (vector) bt.dispose();
    }
  }) as OpResult<A | B>;
}

/** Solves the triangular system `a x = b` (`a` upper triangular unless `lower`). */
export function solveTriangular<A extends OpInput, B extends OpInput>(a: A, b: B, lower = false): OpResult<A | B> {
  return dispatch("solve_triangular", [a, b], (av: TensorLike, bv: TensorLike) => {
    const at = fl(av);
    let bt = fl(bv);
    const vector = bt.rank === at.rank - 1;
    if (vector) bt = tf.expandDims(bt, -1);
    try {
      const A = readBatch(at, "a");
      requireSquare(A, "solve_triangular");
      const B = readBatch(bt, "b");
      if (B.rows !== A.rows || B.mats.length !== A.mats.length) {
        throw new Error(`solve_triangular: incompatible shapes a=[${at.shape}] and b=[${bt.shape}].`);
      }
      const n = A.rows;
      const out = A.mats.map((m, i) => triSolve(m, n, B.mats[i], B.cols, lower));
      return writeBatch(out, A.batchShape, vector ? [n] : [n, B.cols]);
    } finally {
      if (vector) bt.dispose();
    }
  }) as OpResult<A | B>;
}

/** QR decomposition: `[q, r]`, reduced (default) or complete. */
export function qr<A extends OpInput>(x: A, mode: "reduced" | "complete" = "reduced"): [OpResult<A>, OpResult<A>] {
  if (mode !== "reduced" && mode !== "complete") {
    throw new Error(`\`mode\` argument value not supported. Expected one of {'reduced', 'complete'}. Received: mode=${String(mode)}`);
  }
  return dispatch("qr", [x], (v: TensorLike) =>
    tf.tidy(() => tf.linalg.qr(fl(v), mode === "complete")),
  ) as [OpResult<A>, OpResult<A>];
}

/**
 * Singular value decomposition: `[u, s, vh]` with `x = u diag(s) vh`, `s`
 * descending; `fullMatrices` (default true) gives square `u` and `vh`;
 * `computeUv: false` returns only `s`.
 */
export function svd<A extends OpInput>(x: A, fullMatrices?: boolean, computeUv?: true): [OpResult<A>, OpResult<A>, OpResult<A>];
export function svd<A extends OpInput>(x: A, fullMatrices: boolean, computeUv: false): OpResult<A>;
export function svd<A extends OpInput>(
  x: A,
  fullMatrices = true,
  computeUv = true,
): [OpResult<A>, OpResult<A>, OpResult<A>] | OpResult<A> {
  return dispatch("svd", [x], (v: TensorLike) => {
    const b = readBatch(fl(v));
    const { rows: r, cols: c } = b;
    const us: Float64Array[] = [];
    const ss: Float64Array[] = [];
    const vhs: Float64Array[] = [];
    let k = Math.min(r, c);
    for (const m of b.mats) {
      const res = svdThin(m, r, c);
      k = res.k;
      ss.push(res.s);
      if (!computeUv) continue;
      const u = fullMatrices ? extendOrthonormal(res.u, r, k) : res.u;
      const vfull = fullMatrices ? extendOrthonormal(res.v, c, k) : res.v;
      us.push(u);
      vhs.push(transposeMat(vfull, c, fullMatrices ? c : k));
    }
    const s = writeBatch(ss, b.batchShape, [k]);
    if (!computeUv) return s;
    return [
      writeBatch(us, b.batchShape, [r, fullMatrices ? r : k]),
      s,
      writeBatch(vhs, b.batchShape, [fullMatrices ? c : k, c]),
    ];
  }) as [OpResult<A>, OpResult<A>, OpResult<A>] | OpResult<A>;
}

/** Eigenvalues (ascending) and eigenvectors (columns) of symmetric matrices: `[w, v]`. Uses the lower triangle. */
export function eigh<A extends OpInput>(x: A): [OpResult<A>, OpResult<A>] {
  return dispatch("eigh", [x], (v: TensorLike) => {
    const b = readBatch(fl(v));
    requireSquare(b, "eigh");
    const n = b.rows;
    const ws: Float64Array[] = [];
    const vs: Float64Array[] = [];
    for (const m of b.mats) {
      const r = eighMat(m, n);
      ws.push(r.w);
      vs.push(r.v);
    }
    return [writeBatch(ws, b.batchShape, [n]), writeBatch(vs, b.batchShape, [n, n])];
  }) as [OpResult<A>, OpResult<A>];
}

/** Moore–Penrose pseudo-inverse; singular values below `rcond * max(s)` (default 1e-15) are dropped. */
export function pinv<A extends OpInput>(x: A, rcond: number | null = null): OpResult<A> {
  return dispatch("pinv", [x], (v: TensorLike) => {
    const b = readBatch(fl(v));
    return writeBatch(b.mats.map((m) => pinvMat(m, b.rows, b.cols, rcond ?? 1e-15)), b.batchShape, [b.cols, b.rows]);
  }) as OpResult<A>;
}

/** Least-squares solution of `a x = b` (minimum norm); `rcond` defaults to `eps * max(M, N)`. */
export function lstsq<A extends OpInput, B extends OpInput>(a: A, b: B, rcond: number | null = null): OpResult<A | B> {
  return dispatch("lstsq", [a, b], (av: TensorLike, bv: TensorLike) => {
    const at = fl(av);
    const bt = fl(bv);
    if (at.rank !== 2) throw new Error(`lstsq expects a 2D \`a\`. Received shape [${at.shape}].`);
    const A = readBatch(at, "a");
    const vector = bt.rank === 1;
    const k = vector ? 1 : (bt.shape[1] as number);
    if (bt.shape[0] !== A.rows) throw new Error(`lstsq: incompatible shapes a=[${at.shape}] and b=[${bt.shape}].`);
    const p = pinvMat(A.mats[0], A.rows, A.cols, rcond ?? EPS32 * Math.max(A.rows, A.cols));
    const x = matmul(p, Float64Array.from(bt.dataSync()), A.cols, A.rows, k);
    return writeBatch([x], [], vector ? [A.cols] : [A.cols, k]);
  }) as OpResult<A | B>;
}

/** Rank of matrices: singular values above `tol` (default `max(s) * max(M, N) * eps`). */
export function matrixRank<A extends OpInput>(x: A, tol: number | null = null): OpResult<A> {
  return dispatch("matrix_rank", [x], (v: TensorLike) => {
    const b = readBatch(fl(v));
    const out = b.mats.map((m) => {
      const { s } = svdThin(m, b.rows, b.cols);
      const t = tol ?? (s[0] ?? 0) * Math.max(b.rows, b.cols) * EPS32;
      return Float64Array.of(s.filter((x) => x > t).length);
    });
    return writeBatch(out, b.batchShape, [], "int32");
  }) as OpResult<A>;
}

/** Integer power of square matrices (negative powers invert first). */
export function matrixPower<A extends OpInput>(x: A, n: number): OpResult<A> {
  if (!Number.isInteger(n)) throw new Error(`matrix_power: the exponent must be an integer. Received: ${n}`);
  return dispatch("matrix_power", [x], (v: TensorLike) => {
    let base = fl(v);
    const size = base.shape[base.rank - 1];
    if (base.rank < 2 || base.shape[base.rank - 2] !== size) {
      throw new Error(`matrix_power expects square matrices. Received shape [${base.shape}].`);
    }
    const owned: Tensor[] = [];
    if (n < 0) {
      base = inv(base) as Tensor;
      owned.push(base);
    }
    const result = tf.tidy(() => {
      let e = Math.abs(n);
      let acc: Tensor = tf.broadcastTo(tf.eye(size), base.shape);
      let p = base;
      while (e > 0) {
        if (e & 1) acc = tf.matMul(acc, p);
        e >>= 1;
        if (e > 0) p = tf.matMul(p, p);
      }
      return acc === base ? tf.clone(acc) : acc;
    });
    owned.forEach((t) => t.dispose());
    return result;
  }) as OpResult<A>;
}

/** Order of `norm`: a number, ±Infinity, or "fro" / "nuc" for matrices. */
export type NormOrd = number | "fro" | "nuc" | null;

function singularValues(t: Tensor, ax: [number, number]): Tensor {
  // Move the two axes to the end and compute s for each matrix.
  const rest = Array.from({ length: t.rank }, (_, i) => i).filter((i) => i !== ax[0] && i !== ax[1]);
  const moved = tf.transpose(t, [...rest, ax[0], ax[1]]);
  const b = readBatch(moved);
  const k = Math.min(b.rows, b.cols);
  return writeBatch(b.mats.map((m) => svdThin(m, b.rows, b.cols).s), b.batchShape, [k]);
}

/**
 * Vector or matrix norm (NumPy's `linalg.norm`). With `axis` null: the
 * 2-norm of the flattened tensor when `ord` is null, else a vector norm for
 * rank 1 and a matrix norm for rank 2. A two-axis `axis` gives matrix norms:
 * "fro", "nuc", ±1, ±2, ±Infinity.
 */
export function norm<A extends OpInput>(
  x: A,
  ord: NormOrd = null,
  axis: number | readonly number[] | null = null,
  keepdims = false,
): OpResult<A> {
  return dispatch("norm", [x], (v: TensorLike) =>
    tf.tidy(() => {
      const t = fl(v);
      if (axis == null && ord == null) {
        const all = Array.from({ length: t.rank }, (_, i) => i);
        return tf.sqrt(tf.sum(tf.square(t), all, keepdims));
      }
      const axes = axis == null ? Array.from({ length: t.rank }, (_, i) => i) : normalizeAxes(axis, t.rank);
      if (axis != null && typeof axis !== "number") {
        // Keep the order the user gave for matrix norms (row axis, column axis).
        const given = [...axis].map((a) => (a < 0 ? a + t.rank : a));
        axes.splice(0, axes.length, ...given);
      }
      if (axes.length === 1) {
        const a = axes[0];
        const abs = tf.abs(t);
        if (ord == null || ord === 2) return tf.sqrt(tf.sum(tf.square(t), a, keepdims));
        if (ord === Infinity) return tf.max(abs, a, keepdims);
        if (ord === -Infinity) return tf.min(abs, a, keepdims);
        if (ord === 0) return tf.sum(tf.cast(tf.notEqual(t, 0), "float32"), a, keepdims);
        if (typeof ord === "string") throw new Error(`Invalid norm order '${ord}' for vectors.`);
        if (ord === 1) return tf.sum(abs, a, keepdims);
        return tf.pow(tf.sum(tf.pow(abs, ord), a, keepdims), 1 / ord);
      }
      if (axes.length !== 2) throw new Error(`Improper number of dimensions to norm: axis=${JSON.stringify(axis)} for a tensor of rank ${t.rank}.`);
      const r = axes[0] as number;
      const c = axes[1] as number;
      const keep = (y: Tensor): Tensor => {
        if (!keepdims) return y;
        const shape = [...t.shape];
        shape[r] = 1;
        shape[c] = 1;
        return tf.reshape(y, shape);
      };
      const abs = tf.abs(t);
      if (ord == null || ord === "fro") return keep(tf.sqrt(tf.sum(tf.square(t), [r, c])));
      if (ord === 1 || ord === -1) {
        const colSums = tf.sum(abs, r, true);
        const red = ord === 1 ? tf.max(colSums, c, true) : tf.min(colSums, c, true);
        return keep(tf.squeeze(red, [Math.min(r, c), Math.max(r, c)]));
      }
      if (ord === Infinity || ord === -Infinity) {
        const rowSums = tf.sum(abs, c, true);
        const red = ord === Infinity ? tf.max(rowSums, r, true) : tf.min(rowSums, r, true);
        return keep(tf.squeeze(red, [Math.min(r, c), Math.max(r, c)]));
      }
      if (ord === "nuc" || ord === 2 || ord === -2) {
        const s = singularValues(t, [r, c]);
        const last = s.rank - 1;
        const y = ord === "nuc" ? tf.sum(s, last) : ord === 2 ? tf.max(s, last) : tf.min(s, last);
        return keep(y);
      }
      throw new Error(`Invalid norm order '${String(ord)}' for matrices.`);
    }),
  ) as OpResult<A>;
}

// ---------------------------------------------------------------- eig (general real matrices)

/** Reduces a (row-major n×n) to upper Hessenberg form in place by stabilized elementary similarity transforms. */
function toHessenberg(a: Float64Array, n: number): void {
  for (let m = 1; m < n - 1; m++) {
    let x = 0;
    let piv = m;
    for (let j = m; j < n; j++) {
      if (Math.abs(a[j * n + m - 1]!) > Math.abs(x)) {
        x = a[j * n + m - 1]!;
        piv = j;
      }
    }
    if (piv !== m) {
      for (let j = m - 1; j < n; j++) [a[piv * n + j], a[m * n + j]] = [a[m * n + j]!, a[piv * n + j]!];
      for (let j = 0; j < n; j++) [a[j * n + piv], a[j * n + m]] = [a[j * n + m]!, a[j * n + piv]!];
    }
    if (x !== 0) {
      for (let i = m + 1; i < n; i++) {
        let y = a[i * n + m - 1]!;
        if (y !== 0) {
          y /= x;
          a[i * n + m - 1] = y;
          for (let j = m; j < n; j++) a[i * n + j] -= y * a[m * n + j]!;
          for (let j = 0; j < n; j++) a[j * n + m] += y * a[j * n + i]!;
        }
      }
    }
  }
  for (let i = 2; i < n; i++) for (let j = 0; j < i - 1; j++) a[i * n + j] = 0;
}

/** Eigenvalues of an upper Hessenberg matrix (destroyed) by the Francis double-shift QR algorithm. */
function hessenbergEigenvalues(a: Float64Array, n: number): { re: Float64Array; im: Float64Array } {
  const re = new Float64Array(n);
  const im = new Float64Array(n);
  const A = (i: number, j: number): number => a[i * n + j]!;
  const set = (i: number, j: number, v: number): void => {
    a[i * n + j] = v;
  };
  const sign = (v: number, s: number): number => (s >= 0 ? Math.abs(v) : -Math.abs(v));
  let anorm = 0;
  for (let i = 0; i < n; i++) for (let j = Math.max(i - 1, 0); j < n; j++) anorm += Math.abs(A(i, j));
  let nn = n - 1;
  let t = 0;
  while (nn >= 0) {
    let its = 0;
    let l: number;
    do {
      for (l = nn; l >= 1; l--) {
        let s = Math.abs(A(l - 1, l - 1)) + Math.abs(A(l, l));
        if (s === 0) s = anorm;
        if (Math.abs(A(l, l - 1)) + s === s) {
          set(l, l - 1, 0);
          break;
        }
      }
      let x = A(nn, nn);
      if (l === nn) {
        re[nn] = x + t;
        im[nn--] = 0;
      } else {
        let y = A(nn - 1, nn - 1);
        let w = A(nn, nn - 1) * A(nn - 1, nn);
        if (l === nn - 1) {
          const p = 0.5 * (y - x);
          const q = p * p + w;
          let z = Math.sqrt(Math.abs(q));
          x += t;
          if (q >= 0) {
            z = p + sign(z, p);
            re[nn - 1] = re[nn] = x + z;
            if (z !== 0) re[nn] = x - w / z;
            im[nn - 1] = im[nn] = 0;
          } else {
            re[nn - 1] = re[nn] = x + p;
            im[nn - 1] = -z;
            im[nn] = z;
          }
          nn -= 2;
        } else {
          if (its === 60) throw new Error("eig: the QR algorithm did not converge.");
          if (its === 10 || its === 20) {
            t += x;
            for (let i = 0; i <= nn; i++) set(i, i, A(i, i) - x);
            const s = Math.abs(A(nn, nn - 1)) + Math.abs(A(nn - 1, nn - 2));
            y = x = 0.75 * s;
            w = -0.4375 * s * s;
          }
          ++its;
          let m: number;
          let p = 0;
          let q = 0;
          let r = 0;
          let z = 0;
          for (m = nn - 2; m >= l; m--) {
            z = A(m, m);
            r = x - z;
            const s0 = y - z;
            p = (r * s0 - w) / A(m + 1, m) + A(m, m + 1);
            q = A(m + 1, m + 1) - z - r - s0;
            r = A(m + 2, m + 1);
            const s = Math.abs(p) + Math.abs(q) + Math.abs(r);
            p /= s;
            q /= s;
            r /= s;
            if (m === l) break;
            const u = Math.abs(A(m, m - 1)) * (Math.abs(q) + Math.abs(r));
            const v = Math.abs(p) * (Math.abs(A(m - 1, m - 1)) + Math.abs(z) + Math.abs(A(m + 1, m + 1)));
            if (u + v === v) break;
          }
          for (let i = m; i <= nn - 2; i++) {
            set(i + 2, i, 0);
            if (i !== m) set(i + 2, i - 1, 0);
          }
          for (let k = m; k <= nn - 1; k++) {
            if (k !== m) {
              p = A(k, k - 1);
              q = A(k + 1, k - 1);
              r = k + 1 !== nn ? A(k + 2, k - 1) : 0;
              x = Math.abs(p) + Math.abs(q) + Math.abs(r);
              if (x !== 0) {
                p /= x;
                q /= x;
                r /= x;
              }
            }
            const s = sign(Math.sqrt(p * p + q * q + r * r), p);
            if (s !== 0) {
              if (k === m) {
                if (l !== m) set(k, k - 1, -A(k, k - 1));
              } else set(k, k - 1, -s * x);
              p += s;
              x = p / s;
              y = q / s;
              z = r / s;
              q /= p;
              r /= p;
              for (let j = k; j <= nn; j++) {
                let pp = A(k, j) + q * A(k + 1, j);
                if (k + 1 !== nn) {
                  pp += r * A(k + 2, j);
                  set(k + 2, j, A(k + 2, j) - pp * z);
                }
                set(k + 1, j, A(k + 1, j) - pp * y);
                set(k, j, A(k, j) - pp * x);
              }
              const mmin = nn < k + 3 ? nn : k + 3;
              for (let i = l; i <= mmin; i++) {
                let pp = x * A(i, k) + y * A(i, k + 1);
                if (k + 1 !== nn) {
                  pp += z * A(i, k + 2);
                  set(i, k + 2, A(i, k + 2) - pp * r);
                }
                set(i, k + 1, A(i, k + 1) - pp * q);
                set(i, k, A(i, k) - pp);
              }
            }
          }
        }
      }
    } while (l < nn - 1);
  }
  return { re, im };
}

/** An eigenvector of `a` for the eigenvalue `lr + i li` by complex inverse iteration; unit norm, largest component real and positive. */
function eigenvector(a: Float64Array, n: number, lr: number, li: number, index: number, scale: number): { re: Float64Array; im: Float64Array } {
  const shift = Math.max(scale, 1e-300) * 1e-10;
  const mr = new Float64Array(n * n);
  const mi = new Float64Array(n * n);
  for (let i = 0; i < n * n; i++) mr[i] = a[i]!;
  for (let i = 0; i < n; i++) {
    mr[i * n + i] -= lr + shift;
    mi[i * n + i] = -li;
  }
  // Complex LU with partial pivoting.
  const perm = Array.from({ length: n }, (_, i) => i);
  for (let k = 0; k < n; k++) {
    let p = k;
    let best = -1;
    for (let i = k; i < n; i++) {
      const m = Math.hypot(mr[i * n + k]!, mi[i * n + k]!);
      if (m > best) {
        best = m;
        p = i;
      }
    }
    if (p !== k) {
      for (let j = 0; j < n; j++) {
        [mr[k * n + j], mr[p * n + j]] = [mr[p * n + j]!, mr[k * n + j]!];
        [mi[k * n + j], mi[p * n + j]] = [mi[p * n + j]!, mi[k * n + j]!];
      }
      [perm[k], perm[p]] = [perm[p]!, perm[k]!];
    }
    if (best === 0) {
      mr[k * n + k] = shift;
      mi[k * n + k] = 0;
    }
    const pr = mr[k * n + k]!;
    const pi = mi[k * n + k]!;
    const d = pr * pr + pi * pi;
    for (let i = k + 1; i < n; i++) {
      const xr = mr[i * n + k]!;
      const xi = mi[i * n + k]!;
      const fr = (xr * pr + xi * pi) / d;
      const fi = (xi * pr - xr * pi) / d;
      mr[i * n + k] = fr;
      mi[i * n + k] = fi;
      for (let j = k + 1; j < n; j++) {
        mr[i * n + j] -= fr * mr[k * n + j]! - fi * mi[k * n + j]!;
        mi[i * n + j] -= fr * mi[k * n + j]! + fi * mr[k * n + j]!;
      }
    }
  }
  let vr = Float64Array.from({ length: n }, (_, i) => 1 + ((i * 7 + index * 13) % 11) / 10);
  let vi = new Float64Array(n);
  for (let iter = 0; iter < 3; iter++) {
    const br = Float64Array.from(perm, (p) => vr[p]!);
    const bi = Float64Array.from(perm, (p) => vi[p]!);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < i; j++) {
        br[i] -= mr[i * n + j]! * br[j]! - mi[i * n + j]! * bi[j]!;
        bi[i] -= mr[i * n + j]! * bi[j]! + mi[i * n + j]! * br[j]!;
      }
    }
    for (let i = n - 1; i >= 0; i--) {
      for (let j = i + 1; j < n; j++) {
        br[i] -= mr[i * n + j]! * br[j]! - mi[i * n + j]! * bi[j]!;
        bi[i] -= mr[i * n + j]! * bi[j]! + mi[i * n + j]! * br[j]!;
      }
      const pr = mr[i * n + i]!;
      const pi = mi[i * n + i]!;
      const d = pr * pr + pi * pi;
      const xr = br[i]!;
      const xi = bi[i]!;
      br[i] = (xr * pr + xi * pi) / d;
      bi[i] = (xi * pr - xr * pi) / d;
    }
    let norm = 0;
    for (let i = 0; i < n; i++) norm = Math.max(norm, Math.hypot(br[i]!, bi[i]!));
    for (let i = 0; i < n; i++) {
      br[i] /= norm;
      bi[i] /= norm;
    }
    vr = br;
    vi = bi;
  }
  // Unit 2-norm, and the largest component made real and positive.
  let big = 0;
  let norm2 = 0;
  for (let i = 0; i < n; i++) {
    const m = Math.hypot(vr[i]!, vi[i]!);
    norm2 += m * m;
    if (m > Math.hypot(vr[big]!, vi[big]!)) big = i;
  }
  const m = Math.hypot(vr[big]!, vi[big]!);
  const cr = vr[big]! / m;
  const ci = -vi[big]! / m;
  const s = Math.sqrt(norm2);
  const outR = new Float64Array(n);
  const outI = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    outR[i] = (vr[i]! * cr - vi[i]! * ci) / s;
    outI[i] = li === 0 ? 0 : (vr[i]! * ci + vi[i]! * cr) / s;
  }
  return { re: outR, im: outI };
}

/**
 * Eigenvalues and right eigenvectors of general real square matrices
 * (batched over leading axes), as NumPy's `eig`: returns `[w, v]`, complex64
 * tensors `[..., n]` and `[..., n, n]` with `x @ v[..., :, i] = w[i] * v[..., :, i]`.
 * Eigenvalues come from Hessenberg reduction and the Francis double-shift
 * QR algorithm in float64; eigenvectors from inverse iteration, normalized
 * to unit length with their largest component real (LAPACK's convention);
 * their order and signs may differ from NumPy's. No gradient.
 */
export function eig<A extends OpInput>(x: A): [OpResult<A>, OpResult<A>] {
  return dispatch("eig", [x], (v: TensorLike) => {
    const t = convertToTensor(v);
    const f = t.dtype === "float32" ? t : tf.cast(t, "float32");
    const b = readBatch(f);
    if (f !== t) f.dispose();
    if (t !== v && !(v instanceof Variable)) t.dispose();
    requireSquare(b, "eig");
    const n = b.rows;
    const count = b.mats.length;
    const wr = new Float32Array(count * n);
    const wi = new Float32Array(count * n);
    const vr = new Float32Array(count * n * n);
    const vi = new Float32Array(count * n * n);
    b.mats.forEach((m, k) => {
      const h = Float64Array.from(m);
      toHessenberg(h, n);
      const { re, im } = hessenbergEigenvalues(h, n);
      let scale = 0;
      for (const val of m) scale = Math.max(scale, Math.abs(val));
      for (let i = 0; i < n; i++) {
        wr[k * n + i] = re[i]!;
        wi[k * n + i] = im[i]!;
        const vec = eigenvector(m, n, re[i]!, im[i]!, i, scale);
        for (let r = 0; r < n; r++) {
          vr[k * n * n + r * n + i] = vec.re[r]!;
          vi[k * n * n + r * n + i] = vec.im[r]!;
        }
      }
    });
    return tf.tidy(() => [
      tf.complex(tf.tensor(wr, [...b.batchShape, n]), tf.tensor(wi, [...b.batchShape, n])),
      tf.complex(tf.tensor(vr, [...b.batchShape, n, n]), tf.tensor(vi, [...b.batchShape, n, n])),
    ]);
  }) as [OpResult<A>, OpResult<A>];
}
