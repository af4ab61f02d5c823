/**
 * Random initializers: RandomNormal, TruncatedNormal, RandomUniform,
 * VarianceScaling and its presets (Glorot, He, Lecun), Orthogonal.
 *
 * Like Keras, an initializer created without a seed draws a default integer
 * seed once, when it is constructed (deterministic after `setRandomSeed`), so
 * calling it twice gives the same values; pass a `SeedGenerator` as `seed` to
 * get new values on each call.
 */
import "../backend/engine.js";
import { tf, type Tensor } from "../backend/tfjs.js";
import type { DTypeLike } from "../backend/dtypes.js";
import { registerBuiltin } from "../saving/object-registration.js";
import { isSerializedObject, type SerializedObject } from "../saving/serialized.js";
import { makeDefaultSeed, SeedGenerator } from "../random/seed-generator.js";
import { normal, truncatedNormal, uniform } from "../random/random.js";
import { Initializer } from "./initializer.js";
import { initDtype } from "./constant-initializers.js";

/** What an initializer accepts as `seed`: an integer, a SeedGenerator (or its serialized dict), or null. */
export type InitializerSeed = number | SeedGenerator | SerializedObject | null;

function resolveSeed(seed: InitializerSeed | undefined): { init: number | SeedGenerator | null; seed: number | SeedGenerator } {
  if (seed == null) return { init: null, seed: makeDefaultSeed() };
  if (seed instanceof SeedGenerator) return { init: seed, seed };
  if (isSerializedObject(seed)) {
    if (seed.class_name !== "SeedGenerator") {
      throw new Error(`\`seed\` argument should be a SeedGenerator or an integer. Received: seed=${JSON.stringify(seed)}`);
    }
    const g = SeedGenerator.fromConfig((seed.config as Record<string, unknown> | null) ?? {});
    return { init: g, seed: g };
  }
  if (typeof seed === "number" && Number.isInteger(seed)) return { init: seed, seed };
  throw new Error(
    "`seed` argument should be an instance of `keras.random.SeedGenerator()` or an integer. " +
      `Received: seed=${String(seed)}`,
  );
}

function serializeSeed(seed: number | SeedGenerator | null): unknown {
  if (seed instanceof SeedGenerator) {
    return { module: "keras.random", class_name: "SeedGenerator", config: seed.getConfig(), registered_name: null };
  }
  return seed;
}

/** Options shared by random initializers. */
export interface RandomInitializerOptions {
  /**
   * An integer (same values on every call), a SeedGenerator (new values on
   * every call), or null (a default seed drawn at construction).
   */
  seed?: InitializerSeed;
}

/** The base of random initializers: holds the seed. */
export abstract class RandomInitializer extends Initializer {
  /** The seed used for draws (an integer or a SeedGenerator). */
  readonly seed: number | SeedGenerator;
  /** The seed as given (null when unseeded), for `getConfig`. */
  protected readonly initSeed: number | SeedGenerator | null;

  constructor(options: RandomInitializerOptions = {}) {
    super();
    const r = resolveSeed(options.seed);
    this.initSeed = r.init;
    this.seed = r.seed;
  }

  override getConfig(): Record<string, unknown> {
    return { seed: serializeSeed(this.initSeed) };
  }
}

/** Options of RandomNormal and TruncatedNormal. */
export interface RandomNormalOptions extends RandomInitializerOptions {
  /** Mean. Default 0. */
  mean?: number;
  /** Standard deviation. Default 0.05. */
  stddev?: number;
}

/** Draws from a normal distribution (Keras's `keras.initializers.RandomNormal`). */
export class RandomNormal extends RandomInitializer {
  /** Mean of the distribution. */
  readonly mean: number;
  /** Standard deviation of the distribution. */
  readonly stddev: number;

  constructor(options: RandomNormalOptions = {}) {
    super(options);
    this.mean = options.mean ?? 0.0;
    this.stddev = options.stddev ?? 0.05;
  }

  override call(shape: number[], dtype?: DTypeLike): Tensor {
    return normal(shape, { mean: this.mean, stddev: this.stddev, seed: this.seed, dtype: initDtype(dtype) });
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), mean: this.mean, stddev: this.stddev };
  }
}

/**
 * Draws from a truncated normal distribution: values beyond two standard
 * deviations are re-drawn (Keras's `keras.initializers.TruncatedNormal`).
 */
export class TruncatedNormal extends RandomInitializer {
  /** Mean of the distribution. */
  readonly mean: number;
  /** Standard deviation of the distribution. */
  readonly stddev: number;

  constructor(options: RandomNormalOptions = {}) {
    super(options);
    this.mean = options.mean ?? 0.0;
    this.stddev = options.stddev ?? 0.05;
  }

  override call(shape: number[], dtype?: DTypeLike): Tensor {
    return truncatedNormal(shape, { mean: this.mean, stddev: this.stddev, seed: this.seed, dtype: initDtype(dtype) });
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), mean: this.mean, stddev: this.stddev };
  }
}

/** Options of RandomUniform. */
export interface RandomUniformOptions extends RandomInitializerOptions {
  /** Lower bound (inclusive). Default -0.05. */
  minval?: number;
  /** Upper bound (exclusive). Default 0.05. */
  maxval?: number;
}

/** Draws from a uniform distribution (Keras's `keras.initializers.RandomUniform`). */
export class RandomUniform extends RandomInitializer {
  /** Lower bound (inclusive). */
  readonly minval: number;
  /** Upper bound (exclusive). */
  readonly maxval: number;

  constructor(options: RandomUniformOptions = {}) {
    super(options);
    this.minval = options.minval ?? -0.05;
    this.maxval = options.maxval ?? 0.05;
  }

  override call(shape: number[], dtype?: DTypeLike): Tensor {
    return uniform(shape, { minval: this.minval, maxval: this.maxval, seed: this.seed, dtype: initDtype(dtype) });
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), minval: this.minval, maxval: this.maxval };
  }
}

/**
 * The number of input and output units of a weight of `shape` (Keras's
 * `compute_fans`): explicit axes when both are given; else a vector counts
 * its length both ways, a matrix is `[fanIn, fanOut]`, and a convolution
 * kernel `[..., inputDepth, outputDepth]` multiplies both by its receptive field.
 */
export function computeFans(
  shape: readonly number[],
  inputAxes?: readonly number[] | null,
  outputAxes?: readonly number[] | null,
): [number, number] {
  const rank = shape.length;
  const dim = (axis: number): number => {
    const a = axis < 0 ? axis + rank : axis;
    if (a < 0 || a >= rank) throw new Error(`computeFans: axis ${axis} is out of range for shape [${shape.join(", ")}].`);
    return shape[a];
  };
  if (inputAxes != null && outputAxes != null) {
    let fanIn = 1;
    for (const a of inputAxes) fanIn *= dim(a);
    let fanOut = 1;
    for (const a of outputAxes) fanOut *= dim(a);
    return [fanIn, fanOut];
  }
  if (rank < 1) return [1, 1];
  if (rank === 1) return [shape[0], shape[0]];
  if (rank === 2) return [shape[0], shape[1]];
  let receptive = 1;
  for (const d of shape.slice(0, -2)) receptive *= d;
  return [shape[rank - 2] * receptive, shape[rank - 1] * receptive];
}

/** VarianceScaling's `mode`. */
export type FanMode = "fan_in" | "fan_out" | "fan_avg";
/** VarianceScaling's `distribution` (`"normal"` means `"truncated_normal"`). */
export type ScalingDistribution = "truncated_normal" | "untruncated_normal" | "uniform" | "normal";

/** Options of VarianceScaling. */
export interface VarianceScalingOptions extends RandomInitializerOptions {
  /** Scaling factor (positive). Default 1. */
  scale?: number;
  /** Which fan divides the scale. Default `"fan_in"`. */
  mode?: FanMode;
  /** Default `"truncated_normal"`. */
  distribution?: ScalingDistribution;
  /** Axes counted as input units (with `outputAxes`) instead of the shape rule. */
  inputAxes?: number[] | null;
  /** Axes counted as output units (with `inputAxes`). */
  outputAxes?: number[] | null;
}

/** Options of the VarianceScaling presets (Glorot, He, Lecun). */
export interface VarianceScalingPresetOptions extends RandomInitializerOptions {
  /** Axes counted as input units (with `outputAxes`) instead of the shape rule. */
  inputAxes?: number[] | null;
  /** Axes counted as output units (with `inputAxes`). */
  outputAxes?: number[] | null;
}

/**
 * Scales its distribution to the shape of the weight (Keras's
 * `keras.initializers.VarianceScaling`): with `n` the fan of `mode`, a
 * truncated normal of stddev `sqrt(scale / n) / 0.8796...`, a normal of stddev
 * `sqrt(scale / n)`, or a uniform on `±sqrt(3 * scale / n)`.
 */
export class VarianceScaling extends RandomInitializer {
  /** Scaling factor. */
  readonly scale: number;
  /** Which fan divides the scale. */
  readonly mode: FanMode;
  /** The distribution drawn from. */
  readonly distribution: "truncated_normal" | "untruncated_normal" | "uniform";
  /** Axes counted as input units, or null for the shape rule. */
  readonly inputAxes: number[] | null;
  /** Axes counted as output units, or null for the shape rule. */
  readonly outputAxes: number[] | null;

  constructor(options: VarianceScalingOptions = {}) {
    const scale = options.scale ?? 1.0;
    if (!(scale > 0)) throw new Error(`Argument \`scale\` must be positive float. Received: scale=${scale}`);
    const mode = options.mode ?? "fan_in";
    const modes = ["fan_in", "fan_out", "fan_avg"];
    if (!modes.includes(mode)) {
      throw new Error(`Invalid \`mode\` argument: ${String(mode)}. Please use one of ${modes.join(", ")}`);
    }
    let distribution = String(options.distribution ?? "truncated_normal").toLowerCase();
    if (distribution === "normal") distribution = "truncated_normal";
    const dists = ["uniform", "truncated_normal", "untruncated_normal"];
    if (!dists.includes(distribution)) {
      throw new Error(`Invalid \`distribution\` argument: ${distribution}. Please use one of ${dists.join(", ")}`);
    }
    super(options);
    this.scale = scale;
    this.mode = mode;
    this.distribution = distribution as VarianceScaling["distribution"];
    this.inputAxes = options.inputAxes ?? null;
    this.outputAxes = options.outputAxes ?? null;
  }

  override call(shape: number[], dtype?: DTypeLike): Tensor {
    const [fanIn, fanOut] = computeFans(shape, this.inputAxes, this.outputAxes);
    let scale = this.scale;
    if (this.mode === "fan_in") scale /= Math.max(1, fanIn);
    else if (this.mode === "fan_out") scale /= Math.max(1, fanOut);
    else scale /= Math.max(1, (fanIn + fanOut) / 2);
    const d = initDtype(dtype);
    if (this.distribution === "truncated_normal") {
      const stddev = Math.sqrt(scale) / 0.87962566103423978;
      return truncatedNormal(shape, { mean: 0, stddev, dtype: d, seed: this.seed });
    }
    if (this.distribution === "untruncated_normal") {
      return normal(shape, { mean: 0, stddev: Math.sqrt(scale), dtype: d, seed: this.seed });
    }
    const limit = Math.sqrt(3 * scale);
    return uniform(shape, { minval: -limit, maxval: limit, dtype: d, seed: this.seed });
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      scale: this.scale,
      mode: this.mode,
      distribution: this.distribution,
      input_axes: this.inputAxes,
      output_axes: this.outputAxes,
    };
  }
}

function presetOptions(seed: InitializerSeed | VarianceScalingPresetOptions | undefined): VarianceScalingPresetOptions {
  if (seed == null) return {};
  if (typeof seed === "number" || seed instanceof SeedGenerator || isSerializedObject(seed)) return { seed };
  return seed;
}

abstract class VarianceScalingPreset extends VarianceScaling {
  override getConfig(): Record<string, unknown> {
    return { seed: serializeSeed(this.initSeed), input_axes: this.inputAxes, output_axes: this.outputAxes };
  }
}

/** Uniform on `±sqrt(6 / (fanIn + fanOut))` (Keras's `keras.initializers.GlorotUniform`). */
export class GlorotUniform extends VarianceScalingPreset {
  /** `new GlorotUniform()`, `new GlorotUniform(42)` or `new GlorotUniform({ seed: 42 })`. */
  constructor(options?: InitializerSeed | VarianceScalingPresetOptions) {
    super({ ...presetOptions(options), scale: 1.0, mode: "fan_avg", distribution: "uniform" });
  }
}

/** Truncated normal with stddev `sqrt(2 / (fanIn + fanOut))` (Keras's `keras.initializers.GlorotNormal`). */
export class GlorotNormal extends VarianceScalingPreset {
  /** `new GlorotNormal()`, `new GlorotNormal(42)` or `new GlorotNormal({ seed: 42 })`. */
  constructor(options?: InitializerSeed | VarianceScalingPresetOptions) {
    super({ ...presetOptions(options), scale: 1.0, mode: "fan_avg", distribution: "truncated_normal" });
  }
}

/** Truncated normal with stddev `sqrt(1 / fanIn)` (Keras's `keras.initializers.LecunNormal`). */
export class LecunNormal extends VarianceScalingPreset {
  /** `new LecunNormal()`, `new LecunNormal(42)` or `new LecunNormal({ seed: 42 })`. */
  constructor(options?: InitializerSeed | VarianceScalingPresetOptions) {
    super({ ...presetOptions(options), scale: 1.0, mode: "fan_in", distribution: "truncated_normal" });
  }
}

/** Uniform on `±sqrt(3 / fanIn)` (Keras's `keras.initializers.LecunUniform`). */
export class LecunUniform extends VarianceScalingPreset {
  /** `new LecunUniform()`, `new LecunUniform(42)` or `new LecunUniform({ seed: 42 })`. */
  constructor(options?: InitializerSeed | VarianceScalingPresetOptions) {
    super({ ...presetOptions(options), scale: 1.0, mode: "fan_in", distribution: "uniform" });
  }
}

/** Truncated normal with stddev `sqrt(2 / fanIn)` (Keras's `keras.initializers.HeNormal`). */
export class HeNormal extends VarianceScalingPreset {
  /** `new HeNormal()`, `new HeNormal(42)` or `new HeNormal({ seed: 42 })`. */
  constructor(options?: InitializerSeed | VarianceScalingPresetOptions) {
    super({ ...presetOptions(options), scale: 2.0, mode: "fan_in", distribution: "truncated_normal" });
  }
}

/** Uniform on `±sqrt(6 / fanIn)` (Keras's `keras.initializers.HeUniform`). */
export class HeUniform extends VarianceScalingPreset {
  /** `new HeUniform()`, `new HeUniform(42)` or `new HeUniform({ seed: 42 })`. */
  constructor(options?: InitializerSeed | VarianceScalingPresetOptions) {
    super({ ...presetOptions(options), scale: 2.0, mode: "fan_in", distribution: "uniform" });
  }
}

/** Options of Orthogonal. */
export interface OrthogonalOptions extends RandomInitializerOptions {
  /** Multiplies the orthogonal matrix. Default 1. */
  gain?: number;
}

/**
 * Q of the QR decomposition of the `m × n` matrix `a` (row-major, m ≥ n)
 * whose R has a positive diagonal, the unique Q that Keras's
 * `q * sign(diag(r))` gives. Computed in float64 by modified Gram–Schmidt
 * with a second pass for any column that lost more than 30% of its norm
 * ("twice is enough"), which keeps Q orthonormal to ~1e-15. Returns Q
 * row-major, `m × n`.
 */
export function orthonormalColumns(a: Float64Array, m: number, n: number): Float64Array {
  // Column-major: each column contiguous.
  const Q = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) Q[j * m + i] = a[i * n + j];
  const project = (j: number): void => {
    const offJ = j * m;
    for (let p = 0; p < j; p++) {
      const offP = p * m;
      let dot = 0;
      for (let i = 0; i < m; i++) dot += Q[offP + i] * Q[offJ + i];
      if (dot === 0) continue;
      for (let i = 0; i < m; i++) Q[offJ + i] -= dot * Q[offP + i];
    }
  };
  const norm = (j: number): number => {
    const off = j * m;
    let s = 0;
    for (let i = 0; i < m; i++) s += Q[off + i] * Q[off + i];
    return Math.sqrt(s);
  };
  for (let j = 0; j < n; j++) {
    const before = norm(j);
    project(j);
    let after = norm(j);
    if (after < 0.7 * before) {
      project(j);
      after = norm(j);
    }
    const off = j * m;
    if (after > 0) for (let i = 0; i < m; i++) Q[off + i] /= after;
    // A zero column (rank deficient input) stays 0, as sign(0) = 0 makes it in Keras.
  }
  const out = new Float64Array(m * n);
  for (let j = 0; j < n; j++) for (let i = 0; i < m; i++) out[i * n + j] = Q[j * m + i];
  return out;
}

/**
 * An orthogonal matrix from the QR decomposition of a normal random matrix,
 * times `gain` (Keras's `keras.initializers.Orthogonal`). Shapes of rank > 2
 * are flattened to `[prod(shape[:-1]), shape[-1]]`.
 */
export class Orthogonal extends RandomInitializer {
  /** Multiplies the result. */
  readonly gain: number;

  /** `new Orthogonal()`, `new Orthogonal(2)` or `new Orthogonal({ gain, seed })`. */
  constructor(options: number | OrthogonalOptions = {}) {
    const opts = typeof options === "number" ? { gain: options } : options;
    super(opts);
    this.gain = opts.gain ?? 1.0;
  }

  override call(shape: number[], dtype?: DTypeLike): Tensor {
    if (shape.length < 2) {
      throw new Error(
        `The tensor to initialize must be at least two-dimensional. Received: shape=[${shape.join(", ")}] of rank ${shape.length}.`,
      );
    }
    const d = initDtype(dtype);
    let rows = 1;
    for (const s of shape.slice(0, -1)) rows *= s;
    const cols = shape[shape.length - 1];
    const m = Math.max(rows, cols);
    const n = Math.min(rows, cols);
    const a = normal([m, n], { seed: this.seed, dtype: d });
    const values = Float64Array.from(a.dataSync());
    a.dispose();
    const q = orthonormalColumns(values, m, n);
    const out = new Float32Array(rows * cols);
    if (rows >= cols) {
      for (let i = 0; i < q.length; i++) out[i] = this.gain * q[i];
    } else {
      // Transpose the m × n = cols × rows matrix to rows × cols.
      for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[i * cols + j] = this.gain * q[j * n + i];
    }
    return tf.tensor(out, shape, d);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), gain: this.gain };
  }
}

registerBuiltin("keras.initializers", RandomNormal);
registerBuiltin("keras.initializers", TruncatedNormal);
registerBuiltin("keras.initializers", RandomUniform);
registerBuiltin("keras.initializers", VarianceScaling);
registerBuiltin("keras.initializers", GlorotUniform);
registerBuiltin("keras.initializers", GlorotNormal);
registerBuiltin("keras.initializers", LecunNormal);
registerBuiltin("keras.initializers", LecunUniform);
registerBuiltin("keras.initializers", HeNormal);
registerBuiltin("keras.initializers", HeUniform);
registerBuiltin("keras.initializers", Orthogonal);
