/**
 * keras.ops.math: erf, erfinv, logsumexp, rsqrt, topK, inTopK, segment
 * reductions, extractSequences, FFTs and STFT, logdet.
 */
import { tf, type Tensor } from "../backend/tfjs.js";
import { KerasTensor } from "../backend/keras-tensor.js";
import { Variable } from "../backend/variable.js";
import { convertToTensor, dtypeForPromotion, type OpInput, type OpResult, type TensorLike } from "./convert.js";
import { anySymbolic, dispatch, FunctionOperation } from "./operation.js";
import { normalizeAxes } from "./axis.js";

function run<R>(name: string, args: unknown[], fn: (...a: never[]) => unknown): R {
  return dispatch(name, args, fn) as R;
}

function runWithSpec<R>(name: string, args: unknown[], fn: (...a: never[]) => unknown, spec: () => unknown): R {
  if (!anySymbolic(args)) return (fn as (...a: unknown[]) => R)(...args);
  class DataDependentOp extends FunctionOperation {
    override computeOutputSpec(): unknown {
      return spec();
    }
  }
  return new DataDependentOp(name, fn as (...a: unknown[]) => unknown).symbolicCall(args) as R;
}

function toFloat(x: TensorLike): Tensor {
  const t = convertToTensor(x);
  return t.dtype === "float32" ? t : tf.cast(t, "float32");
}

/** The error function, elementwise (float). */
export function erf<A extends OpInput>(x: A): OpResult<A> {
  return run("erf", [x], (t: TensorLike) => tf.tidy(() => tf.erf(toFloat(t))));
}

/**
 * The complementary error function `1 - erf(x)`, elementwise (float),
 * computed directly (Chebyshev fit, relative error below 1.2e-7) so that
 * large `x` keep their small values instead of rounding to 0.
 */
export function erfc<A extends OpInput>(x: A): OpResult<A> {
  return run("erfc", [x], (t: TensorLike) =>
    tf.tidy(() => {
      const xt = toFloat(t);
      const z = tf.abs(xt);
      const u = tf.div(1, tf.add(1, tf.mul(0.5, z)));
      const coeffs = [-1.26551223, 1.00002368, 0.37409196, 0.09678418, -0.18628806, 0.27886807, -1.13520398, 1.48851587, -0.82215223, 0.17087277];
      const poly = coeffs.slice(0, -1).reduceRight<Tensor>((p, c) => tf.add(tf.mul(p, u), c), tf.fill(u.shape, coeffs[coeffs.length - 1]!));
      const pos = tf.mul(u, tf.exp(tf.sub(poly, tf.square(z))));
      return tf.where(tf.less(xt, 0), tf.sub(2, pos), pos);
    }),
  );
}

/** The inverse error function, elementwise (float; ±1 give ±inf). */
export function erfinv<A extends OpInput>(x: A): OpResult<A> {
  return run("erfinv", [x], (t: TensorLike) =>
    tf.tidy(() => {
      const xt = toFloat(t);
      // Giles' single-precision approximation, then one Newton step.
      const w = tf.neg(tf.log(tf.mul(tf.sub(1, xt), tf.add(1, xt))));
      const horner = (coeffs: number[], v: Tensor): Tensor => coeffs.slice(1).reduce<Tensor>((p, c) => tf.add(tf.mul(p, v), c), tf.fill(v.shape, coeffs[0]!));
      const small = horner(
        [2.81022636e-8, 3.43273939e-7, -3.5233877e-6, -4.39150654e-6, 0.00021858087, -0.00125372503, -0.00417768164, 0.246640727, 1.50140941],
        tf.sub(w, 2.5),
      );
      const big = horner(
        [-0.000200214257, 0.000100950558, 0.00134934322, -0.00367342844, 0.00573950773, -0.0076224613, 0.00943887047, 1.00167406, 2.83297682],
        tf.sub(tf.sqrt(tf.maximum(w, 0)), 3),
      );
      let y = tf.mul(tf.where(tf.less(w, 5), small, big), xt);
      const err = tf.sub(tf.erf(y), xt);
      const deriv = tf.mul(2 / Math.sqrt(Math.PI), tf.exp(tf.neg(tf.square(y))));
      const refined = tf.sub(y, tf.div(err, deriv));
      y = tf.where(tf.isFinite(refined), refined, y);
      const inf = tf.fill(xt.shape, Infinity);
      y = tf.where(tf.equal(xt, 1), inf, y);
      y = tf.where(tf.equal(xt, -1), tf.neg(inf), y);
      return tf.where(tf.greater(tf.abs(xt), 1), tf.fill(xt.shape, NaN), y);
    }),
  );
}

/** `log(sum(exp(x)))` over `axis` (all axes when omitted), computed stably. */
export function logsumexp<A extends OpInput>(x: A, axis: number | readonly number[] | null = null, keepdims = false): OpResult<A> {
  return run("logsumexp", [x, axis == null ? null : typeof axis === "number" ? axis : [...axis], keepdims], (t: TensorLike, ax: number | number[] | null, kd: boolean) =>
    tf.tidy(() => {
      const xt = toFloat(t);
      const axes = normalizeAxes(ax, xt.rank);
      if (xt.rank === 0) return tf.clone(xt);
      return tf.logSumExp(xt, axes, kd);
    }),
  );
}

/** `1 / sqrt(x)`, elementwise (float). */
export function rsqrt<A extends OpInput>(x: A): OpResult<A> {
  return run("rsqrt", [x], (t: TensorLike) => tf.tidy(() => tf.rsqrt(toFloat(t))));
}

/**
 * The `k` largest values along the last axis and their indices:
 * `[values, indices]` (indices int32; ties keep the lower index first).
 */
export function topK<A extends OpInput>(x: A, k: number, sorted = true): [OpResult<A>, OpResult<A>] {
  return run("top_k", [x, k, sorted], (t: TensorLike, kk: number, s: boolean) =>
    tf.tidy(() => {
      const xt = convertToTensor(t);
      const n = xt.shape[xt.rank - 1];
      if (n === undefined) throw new Error("topK: input must be at least 1-D.");
      if (!Number.isInteger(kk) || kk < 0 || kk > n) throw new Error(`topK: k=${kk} must be between 0 and the last dimension (${n}).`);
      const src = xt.dtype === "bool" ? tf.cast(xt, "int32") : xt;
      const { values, indices } = tf.topk(src, kk, s);
      return [xt.dtype === "bool" ? tf.cast(values, "bool") : values, indices];
    }),
  );
}

/**
 * Whether each target is among the top `k` predictions of its row (ties at
 * the k-th value count as in). `targets` `[batch]` ints, `predictions`
 * `[batch, classes]`. bool.
 */
export function inTopK<A extends OpInput, B extends OpInput>(targets: A, predictions: B, k: number): OpResult<A | B> {
  return run("in_top_k", [targets, predictions, k], (t: TensorLike, p: TensorLike, kk: number) =>
    tf.tidy(() => {
      const tt = tf.cast(convertToTensor(t), "int32");
      const pt = toFloat(p);
      if (pt.rank !== 2 || tt.rank !== 1) throw new Error(`inTopK: expected targets [batch] and predictions [batch, classes]; got [${tt.shape}] and [${pt.shape}].`);
      const target = tf.gather(pt, tf.reshape(tt, [-1, 1]), 1, 1);
      const above = tf.sum(tf.cast(tf.greater(pt, target), "int32"), 1);
      const finite = tf.reshape(tf.isFinite(target), [-1]);
      return tf.logicalAnd(tf.less(above, kk), finite);
    }),
  );
}

function segmentReduce(kind: "sum" | "max" | "min" | "prod", data: TensorLike, ids: TensorLike, numSegments: number | null): Tensor {
  return tf.tidy(() => {
    const dt = convertToTensor(data);
    const it = tf.cast(convertToTensor(ids), "int32");
    if (it.rank !== 1 || it.shape[0] !== dt.shape[0]) throw new Error(`segment ops: segmentIds (shape [${it.shape}]) must be 1-D and match data's first dimension (shape [${dt.shape}]).`);
    const n = numSegments ?? (it.size === 0 ? 0 : (tf.max(it).dataSync()[0] ?? -1) + 1);
    const inner = dt.shape.slice(1);
    const dtype = dt.dtype === "bool" ? "int32" : dt.dtype;
    const d = tf.cast(dt, dtype);
    // Out-of-range ids (e.g. -1) go to an extra segment that is dropped.
    const valid = tf.logicalAnd(tf.greaterEqual(it, 0), tf.less(it, n));
    const safe = tf.where(valid, it, tf.fill(it.shape, n, "int32"));
    if (kind === "sum") {
      const s = tf.unsortedSegmentSum(d, safe as tf.Tensor1D, n + 1);
      return tf.cast(tf.slice(s, [0, ...inner.map(() => 0)], [n, ...inner]), dtype);
    }
    // The identity of the reduction fills the entries outside each segment.
    const fill =
      kind === "max" ? (dtype === "float32" ? -Infinity : -2147483648) : kind === "min" ? (dtype === "float32" ? Infinity : 2147483647) : 1;
    const mask = tf.oneHot(safe, n + 1, 1, 0, "int32"); // [N, n+1]
    const maskB = tf.cast(tf.reshape(mask, [dt.shape[0]!, n + 1, ...inner.map(() => 1)]), "bool");
    const dB = tf.reshape(d, [dt.shape[0]!, 1, ...inner]);
    const full = [dt.shape[0]!, n + 1, ...inner];
    const filled = tf.where(tf.broadcastTo(maskB, full), tf.broadcastTo(dB, full), tf.fill(full, fill, dtype));
    const reduce = kind === "max" ? tf.max : kind === "min" ? tf.min : tf.prod;
    const m = dt.shape[0] === 0 ? tf.fill([n + 1, ...inner], fill, dtype) : tf.cast(reduce(filled, 0), dtype);
    return tf.slice(m, [0, ...inner.map(() => 0)], [n, ...inner]);
  });
}

function segmentSpec(data: OpInput, numSegments: number | null): KerasTensor {
  const s = data instanceof KerasTensor ? data.shape : [null];
  const d = dtypeForPromotion(data);
  return new KerasTensor([numSegments, ...s.slice(1)], { dtype: d === "weak_int" ? "int32" : d === "weak_float" ? "float32" : d === "bool" ? "int32" : d });
}

/**
 * Sums of `data` over segments along axis 0: `out[s] = sum(data[i] for
 * segmentIds[i] == s)`. Without `numSegments` it is `max(segmentIds) + 1`
 * (read back). Ids out of range (e.g. -1) are dropped.
 */
export function segmentSum<A extends OpInput, B extends OpInput>(data: A, segmentIds: B, numSegments: number | null = null, sorted = false): OpResult<A | B> {
  void sorted;
  const fn = (d: TensorLike, i: TensorLike, n: number | null): Tensor => segmentReduce("sum", d, i, n);
  return numSegments === null
    ? runWithSpec("segment_sum", [data, segmentIds, numSegments], fn, () => segmentSpec(data, null))
    : run("segment_sum", [data, segmentIds, numSegments], fn);
}

/** Maxima of `data` over segments along axis 0 (empty segments give -inf, or the int32 minimum). */
export function segmentMax<A extends OpInput, B extends OpInput>(data: A, segmentIds: B, numSegments: number | null = null, sorted = false): OpResult<A | B> {
  void sorted;
  const fn = (d: TensorLike, i: TensorLike, n: number | null): Tensor => segmentReduce("max", d, i, n);
  return numSegments === null
    ? runWithSpec("segment_max", [data, segmentIds, numSegments], fn, () => segmentSpec(data, null))
    : run("segment_max", [data, segmentIds, numSegments], fn);
}

/** Minima of `data` over segments along axis 0 (empty segments give +inf, or the int32 maximum). */
export function segmentMin<A extends OpInput, B extends OpInput>(data: A, segmentIds: B, numSegments: number | null = null, sorted = false): OpResult<A | B> {
  void sorted;
  const fn = (d: TensorLike, i: TensorLike, n: number | null): Tensor => segmentReduce("min", d, i, n);
  return numSegments === null
    ? runWithSpec("segment_min", [data, segmentIds, numSegments], fn, () => segmentSpec(data, null))
    : run("segment_min", [data, segmentIds, numSegments], fn);
}

/** Products of `data` over segments along axis 0 (empty segments give 1). */
export function segmentProd<A extends OpInput, B extends OpInput>(data: A, segmentIds: B, numSegments: number | null = null, sorted = false): OpResult<A | B> {
  void sorted;
  const fn = (d: TensorLike, i: TensorLike, n: number | null): Tensor => segmentReduce("prod", d, i, n);
  return numSegments === null
    ? runWithSpec("segment_prod", [data, segmentIds, numSegments], fn, () => segmentSpec(data, null))
    : run("segment_prod", [data, segmentIds, numSegments], fn);
}

function frames(x: Tensor, length: number, stride: number): Tensor {
  const n = x.shape[x.rank - 1]!;
  const count = n < length ? 0 : Math.floor((n - length) / stride) + 1;
  const idx: number[] = [];
  for (let f = 0; f < count; f++) for (let j = 0; j < length; j++) idx.push(f * stride + j);
  const g = tf.gather(x, tf.tensor1d(idx, "int32"), x.rank - 1);
  return tf.reshape(g, [...x.shape.slice(0, -1), count, length]);
}

/** Frames of length `sequenceLength` every `sequenceStride` along the last axis: `[..., numSequences, sequenceLength]`. */
export function extractSequences<A extends OpInput>(x: A, sequenceLength: number, sequenceStride: number): OpResult<A> {
  return run("extract_sequences", [x, sequenceLength, sequenceStride], (t: TensorLike, len: number, stride: number) =>
    tf.tidy(() => {
      if (!Number.isInteger(len) || len <= 0 || !Number.isInteger(stride) || stride <= 0) throw new Error("extractSequences: sequenceLength and sequenceStride must be positive integers.");
      const xt = convertToTensor(t);
      if (xt.rank < 1) throw new Error("extractSequences: input must be at least 1-D.");
      return frames(xt, len, stride);
    }),
  );
}

/** A complex tensor as Keras passes it: `[real, imag]`. */
export type ComplexPair<A> = readonly [A, A];

function complexOf(x: readonly [TensorLike, TensorLike]): Tensor {
  const re = toFloat(x[0]);
  const im = toFloat(x[1]);
  if (re.shape.join() !== im.shape.join()) throw new Error(`The real and imaginary parts must have the same shape; got [${re.shape}] and [${im.shape}].`);
  return tf.complex(re, im);
}

function parts(c: Tensor): [Tensor, Tensor] {
  return [tf.real(c), tf.imag(c)];
}

function lastTwoSwapped(t: Tensor): Tensor {
  const perm = Array.from({ length: t.rank }, (_, i) => i);
  perm[t.rank - 1] = t.rank - 2;
  perm[t.rank - 2] = t.rank - 1;
  return tf.transpose(t, perm);
}

/** FFT along the last axis of the complex `x = [real, imag]`; returns `[real, imag]`. */
export function fft<A extends OpInput>(x: ComplexPair<A>): [OpResult<A>, OpResult<A>] {
  return run("fft", [[x[0], x[1]]], (c: [TensorLike, TensorLike]) => tf.tidy(() => parts(tf.spectral.fft(complexOf(c)))));
}

/** 2-D FFT over the last two axes of `x = [real, imag]`; returns `[real, imag]`. */
export function fft2<A extends OpInput>(x: ComplexPair<A>): [OpResult<A>, OpResult<A>] {
  return run("fft2", [[x[0], x[1]]], (c: [TensorLike, TensorLike]) =>
    tf.tidy(() => {
      const z = complexOf(c);
      if (z.rank < 2) throw new Error("fft2: input must be at least 2-D.");
      return parts(lastTwoSwapped(tf.spectral.fft(lastTwoSwapped(tf.spectral.fft(z)))));
    }),
  );
}

/** Inverse 2-D FFT over the last two axes of `x = [real, imag]`; returns `[real, imag]`. */
export function ifft2<A extends OpInput>(x: ComplexPair<A>): [OpResult<A>, OpResult<A>] {
  return run("ifft2", [[x[0], x[1]]], (c: [TensorLike, TensorLike]) =>
    tf.tidy(() => {
      const z = complexOf(c);
      if (z.rank < 2) throw new Error("ifft2: input must be at least 2-D.");
      return parts(lastTwoSwapped(tf.spectral.ifft(lastTwoSwapped(tf.spectral.ifft(z)))));
    }),
  );
}

function fitLast(t: Tensor, n: number): Tensor {
  const m = t.shape[t.rank - 1]!;
  if (m === n) return t;
  if (m > n) return tf.slice(t, t.shape.map(() => 0), [...t.shape.slice(0, -1), n]);
  return tf.pad(t, [...t.shape.slice(0, -1).map(() => [0, 0] as [number, number]), [0, n - m]]);
}

function rfftEager(x: Tensor, fftLength: number): [Tensor, Tensor] {
  const xt = fitLast(x, fftLength);
  const z = tf.complex(xt, tf.zerosLike(xt));
  const [re, im] = parts(tf.spectral.fft(z));
  const half = Math.floor(fftLength / 2) + 1;
  const cut = (t: Tensor): Tensor => tf.slice(t, t.shape.map(() => 0), [...t.shape.slice(0, -1), half]);
  return [cut(re), cut(im)];
}

/** FFT of the real `x` along its last axis (cropped or zero-padded to `fftLength`): `[real, imag]` of `fftLength / 2 + 1` bins. */
export function rfft<A extends OpInput>(x: A, fftLength: number | null = null): [OpResult<A>, OpResult<A>] {
  return run("rfft", [x, fftLength], (t: TensorLike, n: number | null) =>
    tf.tidy(() => {
      const xt = toFloat(t);
      if (xt.rank < 1) throw new Error("rfft: input must be at least 1-D.");
      return rfftEager(xt, n ?? xt.shape[xt.rank - 1]!);
    }),
  );
}

/**
 * Inverse of `rfft`: the real signal of length `fftLength` (default
 * `2 * (bins - 1)`) from the half spectrum `x = [real, imag]`.
 */
export function irfft<A extends OpInput>(x: ComplexPair<A>, fftLength: number | null = null): OpResult<A> {
  return run("irfft", [[x[0], x[1]], fftLength], (c: [TensorLike, TensorLike], len: number | null) =>
    tf.tidy(() => {
      const re0 = toFloat(c[0]);
      const im0 = toFloat(c[1]);
      const bins = re0.shape[re0.rank - 1]!;
      const n = len ?? 2 * (bins - 1);
      if (n <= 0) throw new Error("irfft: invalid number of data points.");
      const m = Math.floor(n / 2) + 1;
      const re = fitLast(re0, m);
      const im = fitLast(im0, m);
      // Full Hermitian spectrum: X[k] for k < m, conj(X[n - k]) after.
      const tail = n - m;
      let fullRe = re;
      let fullIm = im;
      if (tail > 0) {
        const idx = Array.from({ length: tail }, (_, j) => n - (m + j));
        const gi = tf.tensor1d(idx, "int32");
        fullRe = tf.concat([re, tf.gather(re, gi, re.rank - 1)], re.rank - 1);
        fullIm = tf.concat([im, tf.neg(tf.gather(im, gi, im.rank - 1))], im.rank - 1);
      }
      return tf.real(tf.spectral.ifft(tf.complex(fullRe, fullIm)));
    }),
  );
}

/** Window names accepted by `stft`. */
export type StftWindow = "hann" | "hamming" | OpInput | null;

/**
 * Short-time Fourier transform along the last axis: frames of
 * `sequenceLength` every `sequenceStride`, windowed ("hann", "hamming", a
 * tensor, or null), FFT of size `fftLength`; `center` reflect-pads by
 * `fftLength / 2` on both sides. Returns `[real, imag]` of shape
 * `[..., numSequences, fftLength / 2 + 1]`.
 */
export function stft<A extends OpInput>(
  x: A,
  sequenceLength: number,
  sequenceStride: number,
  fftLength: number,
  window: StftWindow = "hann",
  center = true,
): [OpResult<A>, OpResult<A>] {
  return run("stft", [x, sequenceLength, sequenceStride, fftLength, window, center], (t: TensorLike, len: number, stride: number, nfft: number, win: TensorLike | string | null, ctr: boolean) =>
    tf.tidy(() => {
      if (!Number.isInteger(stride) || stride <= 0) throw new Error(`stft: sequenceStride must be a positive integer. Received: ${stride}`);
      if (nfft < len) throw new Error(`stft: fftLength must be >= sequenceLength. Received: sequenceLength=${len}, fftLength=${nfft}`);
      let xt = convertToTensor(t);
      if (xt.dtype !== "float32") throw new TypeError(`stft: expected a float32 input. Received: ${xt.dtype}`);
      if (ctr) {
        const p = Math.floor(nfft / 2);
        const n = xt.shape[xt.rank - 1]!;
        const idx: number[] = [];
        for (let i = -p; i < n + p; i++) {
          const period = 2 * (n - 1);
          const r = n === 1 ? 0 : ((i % period) + period) % period;
          idx.push(n === 1 ? 0 : r < n ? r : period - r);
        }
        xt = tf.gather(xt, tf.tensor1d(idx, "int32"), xt.rank - 1);
      }
      const w = windowOf(win, len, nfft) ?? tf.ones([nfft]);
      const fr = tf.mul(frames(xt, nfft, stride), w);
      return rfftEager(fr, nfft);
    }),
  );
}

function windowOf(win: TensorLike | string | null, len: number, nfft: number): Tensor | null {
  if (win === null) return null;
  let base: Tensor;
  if (typeof win === "string") {
    if (win !== "hann" && win !== "hamming") throw new Error(`The window must be "hann", "hamming", a tensor or null. Received: ${win}`);
    const a = win === "hann" ? 0.5 : 0.54;
    // Periodic windows, as scipy.signal.get_window gives.
    base = tf.tensor1d(Array.from({ length: len }, (_, i) => a - (1 - a) * Math.cos((2 * Math.PI * i) / len)));
  } else base = toFloat(win);
  if (base.rank !== 1 || base.shape[0] !== len) throw new Error(`The window must have shape [sequenceLength=${len}]. Received: [${base.shape}]`);
  const lPad = Math.floor((nfft - len) / 2);
  return tf.pad(base, [[lPad, nfft - len - lPad]]);
}

/**
 * Inverse of `stft`: overlap-adds the inverse FFTs of the frames of
 * `x = [real, imag]` (`[..., numSequences, fftLength / 2 + 1]`), normalized
 * by the overlapped squared window; `length` crops the output.
 */
export function istft<A extends OpInput>(
  x: ComplexPair<A>,
  sequenceLength: number,
  sequenceStride: number,
  fftLength: number,
  length: number | null = null,
  window: StftWindow = "hann",
  center = true,
): OpResult<A> {
  return run(
    "istft",
    [[x[0], x[1]], sequenceLength, sequenceStride, fftLength, length, window, center],
    (c: [TensorLike, TensorLike], len: number, stride: number, nfft: number, outLen: number | null, win: TensorLike | string | null, ctr: boolean) =>
      tf.tidy(() => {
        const fr = irfft(c as unknown as ComplexPair<Tensor>, nfft) as Tensor; // [..., T, nfft]
        if (fr.rank < 2) throw new Error("istft: input must be at least 2-D.");
        const T = fr.shape[fr.rank - 2]!;
        const batch = fr.shape.slice(0, -2);
        const total = nfft + stride * (T - 1);
        const w = windowOf(win, len, nfft);
        const weighted = w ? tf.mul(fr, w) : fr;
        const flat = tf.transpose(tf.reshape(weighted, [-1, T * nfft])); // [T*nfft, B]
        const ids: number[] = [];
        for (let t = 0; t < T; t++) for (let j = 0; j < nfft; j++) ids.push(t * stride + j);
        const ola = tf.transpose(tf.unsortedSegmentSum(flat, tf.tensor1d(ids, "int32"), total)); // [B, total]
        const wv = w ? Array.from(w.dataSync()) : new Array<number>(nfft).fill(1);
        const norm = new Float32Array(total);
        for (let t = 0; t < T; t++) for (let j = 0; j < nfft; j++) norm[t * stride + j]! += wv[j]! * wv[j]!;
        const scale = Float32Array.from(norm, (v) => (v > 1e-10 ? 1 / v : 1));
        let y = tf.mul(ola, tf.tensor1d(scale));
        if (!w) y = tf.mul(y, nfft / stride);
        const start = ctr ? Math.floor(nfft / 2) : 0;
        const end = outLen !== null ? start + outLen : ctr ? total - Math.floor(nfft / 2) : total;
        const stop = Math.min(end, total);
        let out = tf.slice(y, [0, start], [y.shape[0]!, Math.max(stop - start, 0)]);
        if (end > total) out = tf.pad(out, [[0, 0], [0, end - total]]);
        return tf.reshape(out, [...batch, end - start]);
      }),
  );
}

/**
 * log|det(x)| of square matrices (batched over leading axes), by LU
 * decomposition with partial pivoting. Reads the data back (synchronous; no gradient).
 */
export function logdet<A extends OpInput>(x: A): OpResult<A> {
  return run("logdet", [x], (t: TensorLike) => {
    const owned = !(t instanceof tf.Tensor || t instanceof Variable);
    const xt = convertToTensor(t);
    if (xt.rank < 2 || xt.shape[xt.rank - 1] !== xt.shape[xt.rank - 2]) throw new Error(`logdet: expected square matrices; got shape [${xt.shape}].`);
    const n = xt.shape[xt.rank - 1]!;
    const data = Float64Array.from(xt.dataSync() as ArrayLike<number>);
    const batch = xt.shape.slice(0, -2);
    if (owned) xt.dispose();
    const count = batch.reduce((a, b) => a * b, 1);
    const out = new Float32Array(count);
    for (let b = 0; b < count; b++) {
      const m = data.subarray(b * n * n, (b + 1) * n * n);
      let logAbs = 0;
      for (let c = 0; c < n; c++) {
        let piv = c;
        for (let r = c + 1; r < n; r++) if (Math.abs(m[r * n + c]!) > Math.abs(m[piv * n + c]!)) piv = r;
        const pv = m[piv * n + c]!;
        if (pv === 0) {
          logAbs = -Infinity;
          break;
        }
        if (piv !== c) for (let k = 0; k < n; k++) [m[c * n + k], m[piv * n + k]] = [m[piv * n + k]!, m[c * n + k]!];
        logAbs += Math.log(Math.abs(pv));
        for (let r = c + 1; r < n; r++) {
          const f = m[r * n + c]! / pv;
          if (f !== 0) for (let k = c; k < n; k++) m[r * n + k] = m[r * n + k]! - f * m[c * n + k]!;
        }
      }
      out[b] = logAbs;
    }
    return tf.tensor(out, batch, "float32");
  });
}


/**
 * Euclidean distances between each pair of rows of `x` `(..., m, d)` and
 * `y` `(..., n, d)`: `(..., m, n)`, batch axes broadcast (float).
 */
export function cdist<A extends OpInput, B extends OpInput>(x: A, y: B): OpResult<A | B> {
  return run("cdist", [x, y], (a: TensorLike, b: TensorLike) =>
    tf.tidy(() => {
      const xt = toFloat(a);
      const yt = toFloat(b);
      if (xt.rank < 2 || yt.rank < 2) throw new Error(`Inputs to \`cdist\` must have rank >= 2. Received shapes: x.shape=[${xt.shape}], y.shape=[${yt.shape}]`);
      if (xt.shape[xt.rank - 1] !== yt.shape[yt.rank - 1]) {
        throw new Error(`The last dimension of inputs to \`cdist\` must match. Received shapes: x.shape=[${xt.shape}], y.shape=[${yt.shape}]`);
      }
      const diff = tf.sub(tf.expandDims(xt, -2), tf.expandDims(yt, -3));
      return tf.sqrt(tf.sum(tf.square(diff), -1));
    }),
  );
}

/**
 * A complex64 tensor from a real one whose last axis (of size 2) holds the
 * real and imaginary parts: shape `x.shape[:-1]`.
 */
export function viewAsComplex<A extends OpInput>(x: A): OpResult<A> {
  return run("view_as_complex", [x], (v: TensorLike) =>
    tf.tidy(() => {
      const t = toFloat(v);
      if (t.rank < 1 || t.shape[t.rank - 1] !== 2) {
        throw new Error(`Last dimension of input must be size 2 (real and imaginary). Received shape: [${t.shape}]`);
      }
      const [re, im] = tf.unstack(t, t.rank - 1) as [Tensor, Tensor];
      return tf.complex(re, im);
    }),
  );
}

/** A real tensor `(..., 2)` holding the real and imaginary parts of `x` (a real `x` gets zero imaginary parts). */
export function viewAsReal<A extends OpInput>(x: A): OpResult<A> {
  return run("view_as_real", [x], (v: TensorLike) =>
    tf.tidy(() => {
      const t = convertToTensor(v);
      const c = t.dtype === "complex64" ? t : tf.complex(toFloat(t), tf.zerosLike(toFloat(t)));
      return tf.stack([tf.real(c), tf.imag(c)], -1);
    }),
  );
}
