/**
 * Discretization: buckets continuous features by boundaries, given or
 * adapted as approximate quantiles (Keras's `layers/preprocessing/discretization.py`).
 */
import { tf, type Tensor } from "../../backend/tfjs.js";
import type { DType } from "../../backend/dtypes.js";
import type { KerasTensor, Shape } from "../../backend/keras-tensor.js";
import { registerBuiltin } from "../../saving/object-registration.js";
import { Layer, type CallArgs, type LayerArgs } from "../layer.js";
import { singleShape, singleTensor } from "../layer-utils.js";
import {
  type AdaptOptions,
  encodeCategorical,
  flatData,
  forEachBatch,
  isBatchStream,
  specOf,
  thenFinalize,
} from "./preprocessing-utils.js";

/** Options of Discretization. */
export interface DiscretizationArgs extends LayerArgs {
  /** Sorted bucket boundaries: `[0, 1, 2]` gives buckets `(-inf, 0), [0, 1), [1, 2), [2, +inf)`. */
  binBoundaries?: readonly number[] | null;
  /** The number of buckets to learn with `adapt()` (instead of `binBoundaries`). */
  numBins?: number | null;
  /** The error tolerance of the adapted quantiles. Default 0.01. */
  epsilon?: number;
  /** `"int"` (default, int32 bucket indices), `"one_hot"`, `"multi_hot"` or `"count"`. */
  outputMode?: "int" | "one_hot" | "multi_hot" | "count";
  /** Sparse outputs are not supported by tskeras; must be false. */
  sparse?: boolean;
}

/** A quantile summary: row 0 the values, row 1 their weights (float32 as Keras). */
type Summary = [number[], number[]];

const f32 = Math.fround;

/** NumPy's `interp(x, xp, fp)` for increasing `xp`. */
function interp(x: number, xp: number[], fp: number[]): number {
  const n = xp.length;
  if (x < xp[0]) return fp[0];
  if (x >= xp[n - 1]) return fp[n - 1];
  let lo = 0;
  let hi = n - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (xp[mid] <= x) lo = mid;
    else hi = mid;
  }
  const slope = (fp[lo + 1] - fp[lo]) / (xp[lo + 1] - xp[lo]);
  return slope * (x - xp[lo]) + fp[lo];
}

function summarize(values: number[], epsilon: number): Summary {
  const v = values.map(f32).sort((a, b) => a - b);
  const numBuckets = 1 / epsilon;
  const step = Math.max(v.length / numBuckets, 1);
  const start = Math.trunc(step - 1);
  const stride = Math.trunc(step);
  const b: number[] = [];
  for (let i = start; i < v.length; i += stride) b.push(v[i]);
  return [b, b.map(() => f32(step))];
}

function compressSummary(s: Summary, epsilon: number): Summary {
  if (s[0].length * epsilon < 1) return s;
  const n = Math.ceil(1 / epsilon);
  const percents = Array.from({ length: n }, (_, i) => epsilon + i * epsilon);
  const cum: number[] = [];
  let acc = 0;
  for (const w of s[1]) cum.push((acc = f32(acc + w)));
  const total = cum[cum.length - 1];
  const cumPct = cum.map((c) => f32(c / total));
  const bins = percents.map((p) => interp(p, cumPct, s[0]));
  const cw = percents.map((p) => interp(p, cumPct, cum));
  const weights = cw.map((c, i) => c - (i === 0 ? 0 : cw[i - 1]));
  return [bins.map(f32), weights.map(f32)];
}

function mergeSummaries(a: Summary, b: Summary, epsilon: number): Summary {
  const pairs = [...a[0].map((v, i) => [v, a[1][i]]), ...b[0].map((v, i) => [v, b[1][i]])];
  pairs.sort((x, y) => x[0] - y[0]);
  return compressSummary([pairs.map((p) => p[0]), pairs.map((p) => p[1])], epsilon);
}

/**
 * Buckets each value by `binBoundaries` (NumPy's `digitize`: the number of
 * boundaries `<=` the value), or by `numBins` quantile boundaries learned by
 * `adapt()`.
 *
 * ```ts
 * const layer = layers.Discretization({ binBoundaries: [0, 1, 2] });
 * layer([[-1.5, 1.0, 3.4, 0.5], [0.0, 3.0, 1.3, 0.0]]);   // [[0, 2, 3, 1], [1, 3, 2, 1]]
 * ```
 */
export class Discretization extends Layer {
  /** The bucket boundaries (null until adapted when `numBins` is used). */
  binBoundaries: number[] | null;
  /** The number of buckets `adapt` learns, or null. */
  readonly numBins: number | null;
  /** Quantile error tolerance. */
  readonly epsilon: number;
  /** The output encoding. */
  readonly outputMode: "int" | "one_hot" | "multi_hot" | "count";
  /** Always false in tskeras. */
  readonly sparse: boolean;
  protected override inputDtype: DType | null = "float32";
  private summary: Summary = [[], []];

  constructor(args: DiscretizationArgs = {}) {
    const outputMode = args.outputMode ?? "int";
    if (!["int", "one_hot", "multi_hot", "count"].includes(outputMode)) {
      throw new Error(`The \`output_mode\` argument must be one of "int", "one_hot", "multi_hot", "count". Received: output_mode=${String(outputMode)}`);
    }
    if (args.sparse) throw new Error("Discretization: `sparse=True` is not supported by tskeras (no sparse tensors).");
    if (args.numBins != null && args.numBins < 0) throw new Error(`\`num_bins\` must be greater than or equal to 0. Received: \`num_bins=${args.numBins}\``);
    if (args.numBins != null && args.binBoundaries != null) {
      throw new Error(`Both \`num_bins\` and \`bin_boundaries\` should not be set. Received: \`num_bins=${args.numBins}\` and \`bin_boundaries=${JSON.stringify(args.binBoundaries)}\``);
    }
    if (args.numBins == null && args.binBoundaries == null) throw new Error("You need to set either `num_bins` or `bin_boundaries`.");
    super(args);
    this.binBoundaries = args.binBoundaries != null ? [...args.binBoundaries] : null;
    this.numBins = args.numBins ?? null;
    this.epsilon = args.epsilon ?? 0.01;
    this.outputMode = outputMode;
    this.sparse = false;
  }

  /** Keras's `from_config`: a config with both `bin_boundaries` and `num_bins` (an adapted layer) keeps the boundaries. */
  static override fromConfig<T extends Layer>(this: new (args: never) => T, config: Record<string, unknown>): T {
    const c = { ...config };
    const bounds = c.bin_boundaries;
    if (bounds != null && c.num_bins != null) delete c.bin_boundaries;
    const layer = (Layer.fromConfig as (this: unknown, c: Record<string, unknown>) => T).call(this, c);
    if (bounds != null && config.num_bins != null) (layer as unknown as Discretization).binBoundaries = [...(bounds as number[])];
    return layer;
  }

  /**
   * Learns `numBins` quantile boundaries from data (an array or tensor, or an
   * iterable of batches; async iterables and datasets return a Promise).
   */
  adapt(data: unknown, options: AdaptOptions = {}): void | Promise<void> {
    if (this.numBins === null) {
      throw new Error("Cannot adapt a Discretization layer that has been initialized with `bin_boundaries`, use `num_bins` instead.");
    }
    this.resetState();
    if (!isBatchStream(data)) {
      this.updateState(data);
      this.finalizeState();
      return;
    }
    return thenFinalize(
      forEachBatch(data, (b) => this.updateState(b), options.steps ?? null),
      () => this.finalizeState(),
    );
  }

  /** Merges the quantile summary of one batch. */
  updateState(data: unknown): void {
    const values = flatData(data).values.map(Number);
    this.summary = mergeSummaries(summarize(values, this.epsilon), this.summary, this.epsilon);
  }

  /** Computes the boundaries from the summary. */
  finalizeState(): void {
    if (this.numBins === null) return;
    this.binBoundaries = compressSummary(this.summary, 1 / this.numBins)[0].slice(0, -1);
  }

  /** Clears the summary. */
  resetState(): void {
    if (this.numBins === null) return;
    this.summary = [[], []];
  }

  private depth(): number {
    return this.binBoundaries !== null ? this.binBoundaries.length + 1 : (this.numBins as number);
  }

  override call(inputs: unknown, _kwargs?: CallArgs): Tensor {
    if (this.binBoundaries === null) {
      throw new Error(
        "You need to either pass the `bin_boundaries` argument at construction time or call `adapt(dataset)` before you can start using the `Discretization` layer.",
      );
    }
    const x0 = singleTensor(inputs, this.name);
    const x = x0.dtype === "float32" ? x0 : tf.cast(x0, "float32");
    const b = this.binBoundaries;
    const idx =
      b.length === 0
        ? tf.zerosLike(x).cast("int32")
        : tf.sum(tf.cast(tf.greaterEqual(tf.expandDims(x, -1), tf.tensor1d(b, "float32")), "int32"), -1);
    if (this.outputMode === "int") return idx;
    return encodeCategorical(idx, this.outputMode, this.depth(), "float32");
  }

  override computeOutputShape(inputShape: unknown): Shape {
    const s = singleShape(inputShape, this.name);
    if (this.outputMode === "int") return s;
    const depth = this.depth();
    if (this.outputMode === "one_hot") {
      if (s.length > 1 && s[s.length - 1] === 1) return [...s.slice(0, -1), depth];
      return [...s, depth];
    }
    if (s.length >= 2) return [s[0], ...s.slice(2), depth];
    return [depth];
  }

  override computeOutputSpec(args: unknown[], _kwargs: Record<string, unknown>): KerasTensor {
    return specOf(this.computeOutputShape([...(args[0] as KerasTensor).shape]), this.outputMode === "int" ? "int32" : "float32");
  }

  /** Keras's config (no `trainable`; `dtype` as a name). */
  override getConfig(): Record<string, unknown> {
    return {
      bin_boundaries: this.binBoundaries,
      num_bins: this.numBins,
      epsilon: this.epsilon,
      output_mode: this.outputMode,
      sparse: this.sparse,
      name: this.name,
      dtype: this.dtypePolicy.name,
    };
  }
}
registerBuiltin("keras.layers", Discretization);
