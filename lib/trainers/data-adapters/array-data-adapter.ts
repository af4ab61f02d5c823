/**
 * Batches of in-memory data: tensors, nested arrays and typed arrays, lists
 * and dicts of them (Keras's ArrayDataAdapter).
 */
import { tf, type Tensor } from "../../backend/tfjs.js";
import { drawSeed } from "../../random/index.js";
import type { DataAdapter } from "./data-adapter.js";
import { type Batch, gatherRows, numSamplesOf, sliceRows, tensorsIn, toTensors } from "./data-structure.js";

/** Options of ArrayDataAdapter. */
export interface ArrayDataAdapterOptions {
  /** Default 32. */
  batchSize?: number | null;
  /** `true` shuffles the samples every epoch, `"batch"` shuffles batch order only. Default false. */
  shuffle?: boolean | "batch";
  /** Class index → weight, turned into sample weights from `y`. */
  classWeight?: Record<number, number> | null;
}

/** Per-epoch batches of arrays held in memory. */
export class ArrayDataAdapter implements DataAdapter {
  readonly numSamples: number;
  readonly batchSize: number;
  readonly numBatches: number;
  readonly restartable = true;
  private readonly x: unknown;
  private readonly y: unknown;
  private readonly sampleWeight: unknown;
  private readonly shuffle: boolean | "batch";
  private readonly created: Tensor[] = [];
  private readonly classWeights: Tensor | null = null;
  private rng: number;

  constructor(x: unknown, y: unknown, sampleWeight: unknown, options: ArrayDataAdapterOptions = {}) {
    const tx = toTensors(x, "x");
    const ty = toTensors(y, "y");
    const tw = toTensors(sampleWeight, "sampleWeight");
    this.created.push(...tx.created, ...ty.created, ...tw.created);
    this.x = tx.data;
    this.y = ty.data;
    this.sampleWeight = tw.data;
    try {
      const named: Record<string, unknown> = { x: this.x };
      if (this.y !== undefined && this.y !== null) named.y = this.y;
      if (this.sampleWeight !== undefined && this.sampleWeight !== null) named.sampleWeight = this.sampleWeight;
      this.numSamples = numSamplesOf(named);
    } catch (e) {
      this.dispose();
      throw e;
    }
    const bs = options.batchSize ?? 32;
    if (!Number.isInteger(bs) || bs <= 0) {
      this.dispose();
      throw new Error(`\`batchSize\` must be a positive integer. Received: batchSize=${String(options.batchSize)}`);
    }
    this.batchSize = bs;
    this.numBatches = Math.ceil(this.numSamples / bs);
    this.shuffle = options.shuffle ?? false;
    this.rng = drawSeed(null) >>> 0;
    if (options.classWeight) {
      if (this.sampleWeight !== undefined && this.sampleWeight !== null) {
        this.dispose();
        throw new Error("You cannot pass both `classWeight` and `sampleWeight` at the same time.");
      }
      if (!(this.y instanceof tf.Tensor)) {
        this.dispose();
        throw new Error("`classWeight` is only supported for models with a single output (`y` must be one tensor).");
      }
      const entries = Object.entries(options.classWeight).map(([k, v]) => [Number(k), v] as const);
      const size = Math.max(...entries.map(([k]) => k)) + 1;
      const w = new Float32Array(size).fill(1);
      for (const [k, v] of entries) w[k] = v;
      this.classWeights = tf.tensor1d(w);
      this.created.push(this.classWeights);
    }
  }

  /** The arrays split at `1 - validationSplit` (the last samples are for validation, as Keras). */
  static split(x: unknown, y: unknown, sampleWeight: unknown, validationSplit: number): { train: Batch; val: Batch; created: Tensor[] } {
    if (!(validationSplit > 0 && validationSplit < 1)) {
      throw new Error(`\`validationSplit\` must be between 0 and 1 (exclusive). Received: validationSplit=${validationSplit}`);
    }
    const created: Tensor[] = [];
    const tx = toTensors(x, "x");
    const ty = toTensors(y, "y");
    const tw = toTensors(sampleWeight, "sampleWeight");
    created.push(...tx.created, ...ty.created, ...tw.created);
    const named: Record<string, unknown> = { x: tx.data };
    if (ty.data != null) named.y = ty.data;
    const n = numSamplesOf(named);
    const splitAt = Math.floor(n * (1 - validationSplit));
    if (splitAt === 0 || splitAt === n) {
      tf.dispose(created);
      throw new Error(
        `Training data contains ${n} samples, which is not sufficient to split it into a validation and training set as specified by \`validationSplit=${validationSplit}\`. Either provide more data, or a different value for the \`validationSplit\` argument.`,
      );
    }
    const part = (d: unknown, start: number, size: number): unknown => {
      if (d === undefined || d === null) return d;
      const s = sliceRows(d, start, size);
      created.push(...tensorsIn(s));
      return s;
    };
    const train: Batch = [part(tx.data, 0, splitAt), part(ty.data, 0, splitAt), part(tw.data, 0, splitAt)];
    const val: Batch = [part(tx.data, splitAt, n - splitAt), part(ty.data, splitAt, n - splitAt), part(tw.data, splitAt, n - splitAt)];
    // The unsplit tensors we made are no longer needed.
    tf.dispose([...tx.created, ...ty.created, ...tw.created]);
    const keep = new Set<Tensor>([...tensorsIn(train), ...tensorsIn(val)]);
    return { train, val, created: created.filter((t) => keep.has(t)) };
  }

  private nextRandom(): number {
    // A small deterministic generator (mulberry32) seeded from keras.random's stream.
    this.rng = (this.rng + 0x6d2b79f5) >>> 0;
    let t = this.rng;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  private permutation(n: number): Int32Array {
    const p = new Int32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(this.nextRandom() * (i + 1));
      const t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }

  *epoch(): Iterator<Batch> {
    const n = this.numSamples;
    const bs = this.batchSize;
    const order = this.shuffle === true ? this.permutation(n) : null;
    const batchOrder = this.shuffle === "batch" ? this.permutation(this.numBatches) : null;
    for (let b = 0; b < this.numBatches; b++) {
      const bi = batchOrder ? batchOrder[b] : b;
      const start = bi * bs;
      const size = Math.min(bs, n - start);
      let batch: Batch;
      if (order) {
        const idx = tf.tensor1d(order.subarray(start, start + size), "int32");
        batch = [gatherRows(this.x, idx), gatherRows(this.y, idx), gatherRows(this.sampleWeight, idx)];
        idx.dispose();
      } else {
        batch = [sliceRows(this.x, start, size), sliceRows(this.y, start, size), sliceRows(this.sampleWeight, start, size)];
      }
      if (this.classWeights && batch[1] instanceof tf.Tensor) {
        batch[2] = classSampleWeights(batch[1], this.classWeights);
      }
      yield batch;
    }
  }

  dispose(): void {
    tf.dispose(this.created);
    this.created.length = 0;
  }
}

/** Sample weights from class weights: the weight of each sample's class (sparse or one-hot labels). */
function classSampleWeights(y: Tensor, weights: Tensor): Tensor {
  return tf.tidy(() => {
    let labels: Tensor;
    if (y.rank >= 2 && y.shape[y.rank - 1] > 1) labels = tf.argMax(y, -1);
    else labels = tf.cast(tf.reshape(y, [y.shape[0]]), "int32");
    return tf.gather(weights, tf.cast(labels, "int32"));
  });
}

