/**
 * Normalization: shifts and scales features by a mean and variance, given or
 * learned by `adapt()` (Keras's `layers/preprocessing/normalization.py`).
 */
import { tf, type Tensor } from "../../backend/tfjs.js";
import type { Shape } from "../../backend/keras-tensor.js";
import type { Variable } from "../../backend/variable.js";
import { epsilon } from "../../backend/config.js";
import type { StoredArray } from "../../saving/h5-store.js";
import { registerBuiltin } from "../../saving/object-registration.js";
import { Layer, type CallArgs, type LayerArgs } from "../layer.js";
import { singleShape, singleTensor } from "../layer-utils.js";
import { type AdaptOptions, flatData, forEachBatch, isBatchStream, thenFinalize } from "./preprocessing-utils.js";

/** Nested numbers (a scalar, or arrays) for `mean` and `variance`. */
export type NumericNested = number | readonly NumericNested[];

/** Options of Normalization. */
export interface NormalizationArgs extends LayerArgs {
  /**
   * The axis or axes that keep a separate mean and variance per index
   * (`-1`, default: per feature of the last axis); null for one scalar mean
   * and variance over everything.
   */
  axis?: number | readonly number[] | null;
  /** The mean (broadcast to the kept axes); give it with `variance`, or call `adapt`. */
  mean?: NumericNested | null;
  /** The variance (broadcast to the kept axes); give it with `mean`, or call `adapt`. */
  variance?: NumericNested | null;
  /** Apply the inverse: `mean + x * sqrt(variance)`. Default false. */
  invert?: boolean;
}

function nestedShape(x: NumericNested): number[] {
  const s: number[] = [];
  let cur: unknown = x;
  while (Array.isArray(cur)) {
    s.push(cur.length);
    cur = cur[0];
  }
  return s;
}

/**
 * Normalizes features: `(x - mean) / sqrt(variance)` (with a floor of
 * `epsilon` on the standard deviation). The statistics are given, or
 * computed from data by `adapt(data)` and kept as the non-trainable weights
 * `mean`, `variance` and `count`.
 *
 * ```ts
 * const norm = layers.Normalization({ axis: null });
 * norm.adapt([1, 2, 3, 4, 5]);
 * norm([1, 2, 3]);   // [-1.4142135, -0.7071068, 0]
 * ```
 */
export class Normalization extends Layer {
  /** The kept axes, as given (empty for `axis: null`). */
  readonly axis: number[];
  /** Whether the layer de-normalizes. */
  readonly invert: boolean;
  /** The mean given to the constructor, or null. */
  readonly inputMean: NumericNested | null;
  /** The variance given to the constructor, or null. */
  readonly inputVariance: NumericNested | null;
  /** The adapted mean (created by `build` when no mean is given). */
  adaptMean: Variable | null = null;
  /** The adapted variance. */
  adaptVariance: Variable | null = null;
  /** The number of samples seen (kept for Keras compatibility). */
  count: Variable | null = null;
  private keepAxis: number[] = [];
  private reduceAxis: number[] = [];
  private broadcastShape: number[] = [];
  private meanAndVarShape: number[] = [];
  private buildInputShape: Shape | null = null;
  private fixedMean: Float32Array | null = null;
  private fixedVariance: Float32Array | null = null;

  constructor(args: NormalizationArgs = {}) {
    super(args);
    const axis = args.axis === undefined ? -1 : args.axis;
    this.axis = axis === null ? [] : typeof axis === "number" ? [axis] : [...axis];
    this.inputMean = args.mean ?? null;
    this.inputVariance = args.variance ?? null;
    this.invert = args.invert ?? false;
    this.supportsMasking = true;
    if ((this.inputMean !== null) !== (this.inputVariance !== null)) {
      throw new Error(
        `When setting values directly, both \`mean\` and \`variance\` must be set. Received: mean=${JSON.stringify(this.inputMean)} and variance=${JSON.stringify(this.inputVariance)}`,
      );
    }
    if (this.inputMean !== null) {
      const ms = nestedShape(this.inputMean);
      const vs = nestedShape(this.inputVariance as NumericNested);
      if (!tf.util.arraysEqual(ms, vs)) {
        throw new Error(`When setting values directly, \`mean\` and \`variance\` must have the same shape. Received: mean shape [${ms}] and variance shape [${vs}]`);
      }
      if (ms.length > this.axis.length) {
        throw new Error(`The rank of \`mean\` must be less than or equal to the number of axes (${this.axis.length}). Received: mean shape [${ms}] for axis [${this.axis}]`);
      }
    }
  }

  override build(inputShape: unknown): void {
    if (inputShape == null) return;
    const shape = singleShape(inputShape, this.name);
    const ndim = shape.length;
    this.buildInputShape = shape;
    if (this.axis.some((a) => a < -ndim || a >= ndim)) {
      throw new Error(`All \`axis\` values must be in the range [-ndim, ndim). Received inputs with ndim=${ndim}, while axis=[${this.axis}]`);
    }
    this.keepAxis = [...new Set(this.axis.map((d) => (d >= 0 ? d : d + ndim)))].sort((a, b) => a - b);
    for (const d of this.keepAxis) {
      if (shape[d] === null) {
        throw new Error(
          `All \`axis\` values to be kept must have a known shape. Received axis=[${this.axis}], inputs.shape=[${shape.map((s) => (s === null ? "None" : s))}], with unknown axis at index ${d}`,
        );
      }
    }
    this.reduceAxis = Array.from({ length: ndim }, (_, d) => d).filter((d) => !this.keepAxis.includes(d));
    this.broadcastShape = Array.from({ length: ndim }, (_, d) => (this.keepAxis.includes(d) ? (shape[d] as number) : 1));
    this.meanAndVarShape = this.keepAxis.map((d) => shape[d] as number);
    if (this.inputMean === null) {
      if (!this.adaptMean) {
        this.adaptMean = this.addWeight({ name: "mean", shape: this.meanAndVarShape, initializer: "zeros", trainable: false });
        this.adaptVariance = this.addWeight({ name: "variance", shape: this.meanAndVarShape, initializer: "ones", trainable: false });
        this.count = this.addWeight({ name: "count", shape: [], dtype: "int32", initializer: "zeros", trainable: false });
      }
    } else {
      const size = this.broadcastShape.reduce((a, b) => a * b, 1);
      const fill = (v: NumericNested): Float32Array => {
        const flat = [v].flat(Infinity as 1) as number[];
        const vs = nestedShape(v);
        if (vs.length === 0) return new Float32Array(size).fill(flat[0]);
        // Align the given dims with the kept axes from the right, then broadcast.
        const expanded = Array(ndim).fill(1);
        for (let i = 1; i <= vs.length; i++) expanded[this.keepAxis[this.keepAxis.length - i]] = vs[vs.length - i];
        return tf.tidy(() => tf.broadcastTo(tf.tensor(flat, expanded, "float32"), this.broadcastShape).dataSync() as Float32Array).slice();
      };
      this.fixedMean = fill(this.inputMean);
      this.fixedVariance = fill(this.inputVariance as NumericNested);
    }
    this.built = true;
  }

  /**
   * Computes the mean and variance of `data` along the reduced axes (NumPy's
   * `mean` and `var`): a tensor or JS array, or an iterable of batches (each
   * `x` or `[x, y]`; merged as Keras does), async iterables and datasets
   * returning a Promise.
   */
  adapt(data: unknown, options: AdaptOptions = {}): void | Promise<void> {
    if (!isBatchStream(data)) {
      const d = flatData(data);
      this.prepareAdapt(d.shape);
      const [mean, variance] = this.moments(d.values as number[], d.shape);
      this.assignStats(mean, variance);
      return;
    }
    let totalMean: Float64Array | null = null;
    let totalVar: Float64Array | null = null;
    let totalCount = 0;
    const update = (batch: unknown): void => {
      const d = flatData(batch);
      if (totalMean === null) {
        this.prepareAdapt(d.shape);
        totalMean = new Float64Array(this.meanAndVarShape.reduce((a, b) => a * b, 1));
        totalVar = new Float64Array(totalMean.length);
      } else {
        this.checkAdaptShape(d.shape);
      }
      const [bm, bv] = this.moments(d.values as number[], d.shape);
      const batchCount = this.reduceAxis.length ? this.reduceAxis.reduce((n, ax) => n * d.shape[ax], 1) : 1;
      totalCount += batchCount;
      const bw = batchCount / totalCount;
      const ew = 1 - bw;
      const tm = totalMean;
      const tv = totalVar as unknown as Float64Array;
      for (let i = 0; i < tm.length; i++) {
        const nm = tm[i] * ew + bm[i] * bw;
        tv[i] = (tv[i] + (tm[i] - nm) ** 2) * ew + (bv[i] + (bm[i] - nm) ** 2) * bw;
        tm[i] = nm;
      }
    };
    return thenFinalize(forEachBatch(data, update, options.steps ?? null), () => {
      if (totalMean === null) {
        throw new Error("adapt() received an empty iterable (no batches). Expected at least one batch. Pass a non-empty iterable of arrays or tensors.");
      }
      this.assignStats(totalMean, totalVar as unknown as Float64Array);
    });
  }

  private prepareAdapt(shape: number[]): void {
    if (!this.built) this.maybeBuild(shape);
    else this.checkAdaptShape(shape);
    if (this.inputMean !== null) throw new Error(`Layer '${this.name}' was given \`mean\` and \`variance\`; it cannot be adapted.`);
  }

  private checkAdaptShape(shape: number[]): void {
    for (const d of this.keepAxis) {
      if (shape[d] !== (this.buildInputShape as Shape)[d]) {
        throw new Error(
          `The layer was built with input_shape=[${this.buildInputShape}], but adapt() is being called with data with an incompatible shape, data.shape=[${shape}]`,
        );
      }
    }
  }

  /** Per kept index: the mean and (population) variance over the reduced axes, in float64. */
  private moments(values: number[], shape: number[]): [Float64Array, Float64Array] {
    const m = this.meanAndVarShape.reduce((a, b) => a * b, 1);
    const sum = new Float64Array(m);
    const n = new Float64Array(m);
    const strides: number[] = Array(shape.length).fill(1);
    for (let i = shape.length - 2; i >= 0; i--) strides[i] = strides[i + 1] * shape[i + 1];
    const keptStrides: number[] = Array(this.keepAxis.length).fill(1);
    for (let i = this.keepAxis.length - 2; i >= 0; i--) keptStrides[i] = keptStrides[i + 1] * this.meanAndVarShape[i + 1];
    const keptIndex = (flat: number): number => {
      let k = 0;
      this.keepAxis.forEach((ax, j) => {
        k += (Math.floor(flat / strides[ax]) % shape[ax]) * keptStrides[j];
      });
      return k;
    };
    const idx = new Int32Array(values.length);
    for (let i = 0; i < values.length; i++) {
      const k = keptIndex(i);
      idx[i] = k;
      sum[k] += values[i];
      n[k] += 1;
    }
    const mean = sum.map((s, k) => s / n[k]);
    const sq = new Float64Array(m);
    for (let i = 0; i < values.length; i++) sq[idx[i]] += (values[i] - mean[idx[i]]) ** 2;
    return [mean, sq.map((s, k) => s / n[k])];
  }

  /**
   * The mean in the broadcast shape of the inputs (Keras's `layer.mean`):
   * the one given to the constructor, or the adapted one; null before the
   * layer is built. A new tensor at each read, owned by the caller (dispose
   * it, or read it inside `tf.tidy`).
   */
  get mean(): Tensor | null {
    return this.built ? tf.tidy(() => this.stats()[0]) : null;
  }

  /** The variance, as `mean`. */
  get variance(): Tensor | null {
    return this.built ? tf.tidy(() => this.stats()[1]) : null;
  }

  private assignStats(mean: Float64Array, variance: Float64Array): void {
    (this.adaptMean as Variable).assign(Float32Array.from(mean));
    (this.adaptVariance as Variable).assign(Float32Array.from(variance));
  }

  /** The mean and variance tensors, in broadcast shape (call inside tf.tidy). */
  private stats(): [Tensor, Tensor] {
    if (this.inputMean !== null) {
      return [tf.tensor(this.fixedMean as Float32Array, this.broadcastShape), tf.tensor(this.fixedVariance as Float32Array, this.broadcastShape)];
    }
    return [tf.reshape((this.adaptMean as Variable).value, this.broadcastShape), tf.reshape((this.adaptVariance as Variable).value, this.broadcastShape)];
  }

  override call(inputs: unknown, _kwargs?: CallArgs): Tensor {
    const x0 = singleTensor(inputs, this.name);
    const x = x0.dtype === this.computeDtype ? x0 : tf.cast(x0, this.computeDtype);
    const [mean, variance] = this.stats();
    const std = tf.maximum(tf.sqrt(variance), epsilon());
    return this.invert ? tf.add(mean, tf.mul(x, std)) : tf.div(tf.sub(x, mean), std);
  }

  override computeOutputShape(inputShape: unknown): Shape {
    return singleShape(inputShape, this.name);
  }

  /** Assigns `mean`, `variance`, `count` as stored by Keras (`vars/0..2`). */
  loadOwnVariables(values: StoredArray[], path?: string): void {
    const vars = [this.adaptMean, this.adaptVariance, this.count].filter((v): v is Variable => v !== null);
    if (values.length !== vars.length) {
      throw new Error(`Layer '${this.name}' (Normalization) expected ${vars.length} variables, but received ${values.length} variables during loading from /${path ?? ""}/vars.`);
    }
    vars.forEach((v, i) => {
      const t = tf.tensor(values[i].data, values[i].shape, v.dtype);
      try {
        v.assign(t);
      } finally {
        t.dispose();
      }
    });
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), axis: [...this.axis], invert: this.invert, mean: this.inputMean, variance: this.inputVariance };
  }
}
registerBuiltin("keras.layers", Normalization);
