/**
 * PyDataset: Keras's `keras.utils.PyDataset` (formerly `Sequence`) — a
 * dataset with a known number of batches that returns batch `i` on demand.
 */
import type { DataAdapter } from "./data-adapter.js";
import { type Batch, toTensors, unpackXYSampleWeight } from "./data-structure.js";

/**
 * Subclass it and define `length` (the number of batches) and `getItem(i)`
 * (batch `i` as `[x, y]` or `[x, y, sampleWeight]`); `onEpochEnd()` runs
 * after each epoch (e.g. to reshuffle).
 */
export abstract class PyDataset {
  /** The number of batches per epoch. */
  abstract get length(): number;
  /** Batch `index`: `[x, y]`, `[x, y, sampleWeight]` or `x`; may be async. */
  abstract getItem(index: number): unknown;
  /** Called after each epoch. */
  onEpochEnd(): void | Promise<void> {}
}

/** True for PyDataset instances, or objects with `length` and `getItem`. */
export function isPyDatasetLike(x: unknown): x is PyDataset {
  return (
    x instanceof PyDataset ||
    (typeof x === "object" && x !== null && typeof (x as PyDataset).getItem === "function" && typeof (x as PyDataset).length === "number")
  );
}

/** Batches of a PyDataset, in order or shuffled (batch order) per epoch. */
export class PyDatasetAdapter implements DataAdapter {
  readonly batchSize: number | null = null;
  readonly restartable = true;
  private readonly ds: PyDataset;
  private readonly shuffle: boolean;

  constructor(ds: PyDataset, options: { shuffle?: boolean } = {}) {
    this.ds = ds;
    this.shuffle = options.shuffle ?? false;
  }

  get numBatches(): number {
    return this.ds.length;
  }

  async *epoch(): AsyncIterator<Batch> {
    const n = this.ds.length;
    const order = Array.from({ length: n }, (_, i) => i);
    if (this.shuffle) {
      for (let i = n - 1; i > 0; i--) {
        const j = Math.floor(Math.random() * (i + 1));
        [order[i], order[j]] = [order[j], order[i]];
      }
    }
    for (const i of order) {
      const [x, y, sw] = unpackXYSampleWeight(await this.ds.getItem(i));
      const tx = toTensors(x, "x");
      const ty = toTensors(y, "y");
      const tw = toTensors(sw, "sampleWeight");
      yield Object.assign([tx.data, ty.data, tw.data] as Batch, { owned: [...tx.created, ...ty.created, ...tw.created] });
    }
  }

  onEpochEnd(): void | Promise<void> {
    return this.ds.onEpochEnd();
  }

  dispose(): void {}
}
