/**
 * keras.random: random tensors from tfjs random ops seeded with explicit
 * integer seeds (see `drawSeed`), so every draw is reproducible from its seed.
 */
import "../backend/engine.js";
import { tf, type Tensor } from "../backend/tfjs.js";
import { floatx } from "../backend/config.js";
import { type DType, type DTypeLike, isFloatDtype, isIntDtype, standardizeDtype } from "../backend/dtypes.js";
import { convertToTensor, type TensorLike } from "../ops/convert.js";
import { drawSeed, SplitMix32, type SeedLike } from "./seed-generator.js";

/** A tensor shape for random ops. */
export type Shape = readonly number[];

function checkShape(shape: Shape, fn: string): number[] {
  if (!Array.isArray(shape)) throw new TypeError(`keras.random.${fn}: \`shape\` must be an array of integers. Received: ${String(shape)}`);
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) {
      throw new Error(`keras.random.${fn}: \`shape\` must hold non-negative integers. Received: shape=[${shape.join(", ")}]`);
    }
  }
  return [...shape];
}

function floatDtype(dtype: DTypeLike | null | undefined, fn: string): DType {
  const name = dtype ?? floatx();
  if (!isFloatDtype(name)) {
    throw new Error(
      `\`keras.random.${fn}\` requires a floating point \`dtype\`. Received: dtype=${name}`,
    );
  }
  return standardizeDtype(name);
}

function intDtype(dtype: DTypeLike | null | undefined, fn: string): DType {
  const name = dtype ?? "int32";
  if (!isIntDtype(name)) {
    throw new Error(`\`keras.random.${fn}\` requires an integer \`dtype\`. Received: dtype=${name}`);
  }
  return standardizeDtype(name);
}

function size(shape: number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Options of `normal` and `truncatedNormal`. */
export interface NormalOptions {
  /** Mean of the distribution. Default 0. */
  mean?: number;
  /** Standard deviation. Default 1. */
  stddev?: number;
  /** A float dtype. Default floatx. */
  dtype?: DTypeLike | null;
  /** An integer, a SeedGenerator, or null for the global sequence. */
  seed?: SeedLike;
}

/** Samples from a normal distribution (Keras's `keras.random.normal`). */
export function normal(shape: Shape, options: NormalOptions = {}): Tensor {
  const s = checkShape(shape, "normal");
  const dtype = floatDtype(options.dtype, "normal");
  return tf.randomNormal(s, options.mean ?? 0, options.stddev ?? 1, dtype as "float32", drawSeed(options.seed));
}

/**
 * Samples from a truncated normal distribution (Keras's
 * `keras.random.truncated_normal`): values more than two standard deviations
 * from the mean are dropped and re-drawn.
 */
export function truncatedNormal(shape: Shape, options: NormalOptions = {}): Tensor {
  const s = checkShape(shape, "truncated_normal");
  const dtype = floatDtype(options.dtype, "truncated_normal");
  return tf.truncatedNormal(s, options.mean ?? 0, options.stddev ?? 1, dtype as "float32", drawSeed(options.seed));
}

/** Options of `uniform`. */
export interface UniformOptions {
  /** Lower bound (inclusive). Default 0. */
  minval?: number;
  /** Upper bound (exclusive). Default 1. */
  maxval?: number;
  /** A float dtype (Keras rejects integer dtypes here; use `randint`). Default floatx. */
  dtype?: DTypeLike | null;
  /** An integer, a SeedGenerator, or null for the global sequence. */
  seed?: SeedLike;
}

/** Samples from a uniform distribution on [minval, maxval) (Keras's `keras.random.uniform`). */
export function uniform(shape: Shape, options: UniformOptions = {}): Tensor {
  const s = checkShape(shape, "uniform");
  const dtype = floatDtype(options.dtype, "uniform");
  return tf.randomUniform(s, options.minval ?? 0, options.maxval ?? 1, dtype, drawSeed(options.seed));
}

/** Options of `randint`. */
export interface RandintOptions {
  /** An integer dtype. Default `"int32"`. */
  dtype?: DTypeLike | null;
  /** An integer, a SeedGenerator, or null for the global sequence. */
  seed?: SeedLike;
}

/** Uniform random integers in [minval, maxval) (Keras's `keras.random.randint`). */
export function randint(shape: Shape, minval: number, maxval: number, options: RandintOptions = {}): Tensor {
  const s = checkShape(shape, "randint");
  const dtype = intDtype(options.dtype, "randint");
  const lo = Math.ceil(minval);
  const hi = Math.ceil(maxval);
  if (!(hi > lo)) {
    throw new Error(`keras.random.randint: \`maxval\` must be greater than \`minval\`. Received: minval=${minval}, maxval=${maxval}`);
  }
  const rng = new SplitMix32(drawSeed(options.seed));
  const n = size(s);
  const out = new Int32Array(n);
  const range = hi - lo;
  for (let i = 0; i < n; i++) out[i] = lo + rng.nextBelow(range);
  return tf.tensor(out, s, dtype);
}

/** Options of `dropout`. */
export interface DropoutOptions {
  /** Shape of the keep/drop mask, broadcast to the input's; `null` entries take the input's size. */
  noiseShape?: readonly (number | null)[] | null;
  /** An integer, a SeedGenerator, or null for the global sequence. */
  seed?: SeedLike;
}

/**
 * Randomly sets a fraction `rate` of the inputs to 0 and scales the kept ones
 * by `1 / (1 - rate)` (Keras's `keras.random.dropout`).
 */
export function dropout(x: TensorLike, rate: number, options: DropoutOptions = {}): Tensor {
  const input = convertToTensor(x);
  const owned = input !== x;
  if (!(rate >= 0 && rate <= 1)) {
    if (owned) input.dispose();
    throw new Error(`keras.random.dropout: \`rate\` must be a float in [0, 1]. Received: rate=${rate}`);
  }
  const result = tf.tidy(() => {
    const xf = input.dtype === "float32" ? input : tf.cast(input, "float32");
    if (rate === 1) return tf.zerosLike(xf);
    if (rate === 0) return xf === input ? tf.clone(xf) : xf;
    let noiseShape = input.shape;
    if (options.noiseShape != null) {
      if (options.noiseShape.length !== input.shape.length) {
        throw new Error(
          `keras.random.dropout: \`noiseShape\` must have the rank of the input (${input.shape.length}). ` +
            `Received: noiseShape=[${options.noiseShape.join(", ")}]`,
        );
      }
      noiseShape = options.noiseShape.map((d, i) => (d == null ? input.shape[i] : d));
    }
    const keep = 1 - rate;
    const u = tf.randomUniform(noiseShape, 0, 1, "float32", drawSeed(options.seed));
    const mask = tf.broadcastTo(tf.greaterEqual(u, rate), input.shape);
    return tf.where(mask, tf.div(xf, keep), tf.zerosLike(xf));
  });
  if (owned) input.dispose();
  return result;
}

/** Options of `shuffle`. */
export interface ShuffleOptions {
  /** The axis to shuffle along. Default 0. */
  axis?: number;
  /** An integer, a SeedGenerator, or null for the global sequence. */
  seed?: SeedLike;
}

/** A random permutation of `n` indices (Fisher–Yates). */
export function permutation(n: number, seed?: SeedLike): Int32Array {
  const rng = new SplitMix32(drawSeed(seed));
  const p = new Int32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = rng.nextBelow(i + 1);
    const t = p[i];
    p[i] = p[j];
    p[j] = t;
  }
  return p;
}

/** Shuffles the elements of a tensor along an axis (Keras's `keras.random.shuffle`). */
export function shuffle(x: TensorLike, options: ShuffleOptions = {}): Tensor {
  const input = convertToTensor(x);
  const owned = input !== x;
  const rank = input.shape.length;
  let axis = options.axis ?? 0;
  if (rank === 0 || axis < -rank || axis >= rank) {
    if (owned) input.dispose();
    throw new Error(`keras.random.shuffle: axis ${axis} is out of bounds for a tensor of rank ${rank}.`);
  }
  if (axis < 0) axis += rank;
  const perm = permutation(input.shape[axis], options.seed);
  const result = tf.tidy(() => tf.gather(input, tf.tensor1d(perm, "int32"), axis));
  if (owned) input.dispose();
  return result;
}

/** Options of `categorical`. */
export interface CategoricalOptions {
  /** An integer dtype for the drawn class indices. Default `"int32"`. */
  dtype?: DTypeLike | null;
  /** An integer, a SeedGenerator, or null for the global sequence. */
  seed?: SeedLike;
}

/**
 * Draws class indices from categorical distributions given by unnormalized
 * log-probabilities `logits` of shape `[batch, numClasses]` (Keras's
 * `keras.random.categorical`). Returns `[batch, numSamples]` indices.
 */
export function categorical(logits: TensorLike, numSamples: number, options: CategoricalOptions = {}): Tensor {
  const input = convertToTensor(logits);
  const owned = input !== logits;
  if (input.shape.length !== 2) {
    if (owned) input.dispose();
    throw new Error(
      `\`logits\` should be a 2-D tensor with shape [batch_size, num_classes]. Received: logits.shape=[${input.shape.join(", ")}]`,
    );
  }
  const dtype = intDtype(options.dtype ?? "int32", "categorical");
  const [batch, classes] = input.shape as [number, number];
  const seed = drawSeed(options.seed);
  // Gumbel-max: argmax(logits + G) with G = -log(-log(U)) is a categorical draw.
  const result = tf.tidy(() => {
    const l = tf.reshape(tf.cast(input, "float32"), [batch, 1, classes]);
    const u = tf.randomUniform([batch, numSamples, classes], 1.1754943508222875e-38, 1, "float32", seed);
    const g = tf.neg(tf.log(tf.neg(tf.log(u))));
    const idx = tf.argMax(tf.add(l, g), 2);
    return dtype === "int32" ? idx : tf.cast(idx, dtype);
  });
  if (owned) input.dispose();
  return result;
}

function broadcastValues(v: TensorLike, shape: number[], name: string): Float64Array | number {
  if (typeof v === "number") return v;
  const t = convertToTensor(v, "float32");
  try {
    const b = tf.tidy(() => tf.broadcastTo(t, shape));
    const out = Float64Array.from(b.dataSync());
    b.dispose();
    return out;
  } catch (e) {
    throw new Error(`keras.random: \`${name}\` of shape [${t.shape.join(", ")}] does not broadcast to [${shape.join(", ")}]: ${(e as Error).message}`);
  } finally {
    if (t !== v) t.dispose();
  }
}

function at(v: Float64Array | number, i: number): number {
  return typeof v === "number" ? v : v[i];
}

/** One Gamma(alpha, 1) sample (Marsaglia–Tsang, boosted for alpha < 1). */
function sampleGamma(rng: SplitMix32, alpha: number): number {
  if (!(alpha > 0)) return Number.NaN;
  if (alpha < 1) {
    const u = rng.nextOpenFloat();
    return sampleGamma(rng, alpha + 1) * Math.pow(u, 1 / alpha);
  }
  const d = alpha - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = rng.nextNormal();
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = rng.nextOpenFloat();
    if (u < 1 - 0.0331 * x * x * x * x) return d * v;
    if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}

/** One Binomial(n, p) sample by geometric waiting times (exact; O(n·min(p, 1-p)) expected). */
function sampleBinomial(rng: SplitMix32, n: number, p: number): number {
  if (!(n >= 0) || !(p >= 0 && p <= 1)) return Number.NaN;
  n = Math.floor(n);
  if (p === 0 || n === 0) return 0;
  if (p === 1) return n;
  const flip = p > 0.5;
  const q = flip ? 1 - p : p;
  const logQ = Math.log1p(-q);
  let count = 0;
  let pos = 0;
  for (;;) {
    pos += Math.floor(Math.log(rng.nextOpenFloat()) / logQ) + 1;
    if (pos > n) break;
    count += 1;
  }
  return flip ? n - count : count;
}

/** Options of `gamma`, `binomial` and `beta`. */
export interface DistributionOptions {
  /** A float dtype. Default floatx. */
  dtype?: DTypeLike | null;
  /** An integer, a SeedGenerator, or null for the global sequence. */
  seed?: SeedLike;
}

/**
 * Samples from a Gamma(alpha, 1) distribution (Keras's `keras.random.gamma`).
 * `alpha` is a number or a tensor that broadcasts to `shape`.
 */
export function gamma(shape: Shape, alpha: TensorLike, options: DistributionOptions = {}): Tensor {
  const s = checkShape(shape, "gamma");
  const dtype = floatDtype(options.dtype, "gamma");
  const a = broadcastValues(alpha, s, "alpha");
  const rng = new SplitMix32(drawSeed(options.seed));
  const n = size(s);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = sampleGamma(rng, at(a, i));
  return tf.tensor(out, s, dtype);
}

/**
 * Samples from binomial distributions with `counts` trials and success
 * probability `probabilities` (Keras's `keras.random.binomial`); both are
 * numbers or tensors that broadcast to `shape`.
 */
export function binomial(shape: Shape, counts: TensorLike, probabilities: TensorLike, options: DistributionOptions = {}): Tensor {
  const s = checkShape(shape, "binomial");
  const dtype = floatDtype(options.dtype, "binomial");
  const c = broadcastValues(counts, s, "counts");
  const p = broadcastValues(probabilities, s, "probabilities");
  const rng = new SplitMix32(drawSeed(options.seed));
  const n = size(s);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = sampleBinomial(rng, at(c, i), at(p, i));
  return tf.tensor(out, s, dtype);
}

/**
 * Samples from Beta(alpha, beta) distributions (Keras's `keras.random.beta`),
 * as X / (X + Y) with X ~ Gamma(alpha), Y ~ Gamma(beta).
 */
export function beta(shape: Shape, alpha: TensorLike, betaParam: TensorLike, options: DistributionOptions = {}): Tensor {
  const s = checkShape(shape, "beta");
  const dtype = floatDtype(options.dtype, "beta");
  const a = broadcastValues(alpha, s, "alpha");
  const b = broadcastValues(betaParam, s, "beta");
  const rng = new SplitMix32(drawSeed(options.seed));
  const n = size(s);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const x = sampleGamma(rng, at(a, i));
    const y = sampleGamma(rng, at(b, i));
    out[i] = x / (x + y);
  }
  return tf.tensor(out, s, dtype);
}
