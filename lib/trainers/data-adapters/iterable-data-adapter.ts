/**
 * Batches from iterables: arrays of batches, generators, async generators,
 * and tfjs-data Datasets (anything with an async `iterator()`), each element
 * `[x, y]`, `[x, y, sampleWeight]`, `{xs, ys}` or `x` (Keras's generator and
 * tf.data adapters).
 */
import type { DataAdapter } from "./data-adapter.js";
import { type Batch, toTensors, unpackXYSampleWeight } from "./data-structure.js";

/** A tfjs-data Dataset, as far as the trainer needs it. */
export interface DatasetLike {
  iterator(): Promise<{ next(): Promise<IteratorResult<unknown>> }>;
  size?: number | null;
}

/** True for tfjs-data Datasets (duck-typed). */
export function isDatasetLike(x: unknown): x is DatasetLike {
  return typeof x === "object" && x !== null && typeof (x as DatasetLike).iterator === "function" && !Array.isArray(x);
}

/** True for sync or async iterables (not arrays of numbers, not tensors). */
export function isBatchIterable(x: unknown): x is Iterable<unknown> | AsyncIterable<unknown> {
  if (typeof x !== "object" || x === null || Array.isArray(x) || ArrayBuffer.isView(x)) return false;
  return Symbol.iterator in x || Symbol.asyncIterator in x;
}

/** Converts one element of a stream into a batch of tensors (the consumer disposes them). */
function toBatch(element: unknown): Batch {
  const [x, y, sw] = unpackXYSampleWeight(element);
  // Tensors given by the stream belong to the stream; copies are made only for JS data.
  const tx = toTensors(x, "x");
  const ty = toTensors(y, "y");
  const tw = toTensors(sw, "sampleWeight");
  return Object.assign([tx.data, ty.data, tw.data] as Batch, { owned: [...tx.created, ...ty.created, ...tw.created] });
}

/** Batches from an iterable, async iterable or dataset. */
export class IterableDataAdapter implements DataAdapter {
  readonly batchSize: number | null = null;
  readonly numBatches: number | null;
  readonly restartable: boolean;
  private readonly source: Iterable<unknown> | AsyncIterable<unknown> | DatasetLike;
  private liveIterator: AsyncIterator<unknown> | Iterator<unknown> | null = null;

  constructor(source: Iterable<unknown> | AsyncIterable<unknown> | DatasetLike) {
    this.source = source;
    if (isDatasetLike(source)) {
      this.restartable = true;
      this.numBatches = typeof source.size === "number" && Number.isFinite(source.size) ? source.size : null;
    } else if (Array.isArray(source)) {
      this.restartable = true;
      this.numBatches = source.length;
    } else {
      // A generator object is its own iterator: it cannot start over.
      const it = source as { [Symbol.iterator]?: () => unknown; [Symbol.asyncIterator]?: () => unknown };
      const self = (it[Symbol.iterator]?.call(source) ?? it[Symbol.asyncIterator]?.call(source)) === source;
      this.restartable = !self;
      if (self) this.liveIterator = source as unknown as Iterator<unknown>;
      this.numBatches = null;
    }
  }

  async *epoch(): AsyncIterator<Batch> {
    let it: AsyncIterator<unknown> | Iterator<unknown>;
    if (isDatasetLike(this.source)) {
      it = await this.source.iterator();
    } else if (this.liveIterator) {
      it = this.liveIterator;
    } else if (Symbol.asyncIterator in this.source) {
      it = (this.source as AsyncIterable<unknown>)[Symbol.asyncIterator]();
    } else {
      it = (this.source as Iterable<unknown>)[Symbol.iterator]();
    }
    for (;;) {
      const r = await it.next();
      if (r.done) return;
      yield toBatch(r.value);
    }
  }

  dispose(): void {
    // Nothing held: batches are disposed by the consumer.
  }
}
