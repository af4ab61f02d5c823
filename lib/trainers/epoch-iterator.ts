/**
 * EpochIterator: the batches of each epoch from a data adapter, honouring
 * `stepsPerEpoch` (Keras's `trainers/epoch_iterator.py`). With a step count
 * the data stream continues across epochs instead of starting over.
 */
import { tf } from "../backend/tfjs.js";
import type { DataAdapter } from "./data-adapters/data-adapter.js";
import { type Batch, tensorsIn } from "./data-adapters/data-structure.js";

/** Options of EpochIterator. */
export interface EpochIteratorOptions {
  /** Batches per epoch; default: all the data. */
  steps?: number | null;
}

/** Yields `[step, batch]` pairs; the consumer disposes each batch with `disposeBatch`. */
export class EpochIterator {
  readonly adapter: DataAdapter;
  private readonly steps: number | null;
  private live: AsyncIterator<Batch> | Iterator<Batch> | null = null;
  private warnedOutOfData = false;
  /** Set when the data ran out before `steps` batches. */
  ranOutOfData = false;

  constructor(adapter: DataAdapter, options: EpochIteratorOptions = {}) {
    this.adapter = adapter;
    this.steps = options.steps ?? null;
    if (this.steps !== null && (!Number.isInteger(this.steps) || this.steps <= 0)) {
      throw new Error(`\`steps\` must be a positive integer. Received: ${this.steps}`);
    }
  }

  /** Batches per epoch when known (for the progress bar), else null. */
  get numBatches(): number | null {
    return this.steps ?? this.adapter.numBatches;
  }

  /** The batches of one epoch. */
  async *enumerateEpoch(): AsyncGenerator<[number, Batch]> {
    if (this.steps === null) {
      const it = this.adapter.epoch();
      let step = 0;
      for (;;) {
        const r = await it.next();
        if (r.done) break;
        yield [step++, r.value];
      }
      if (step === 0 && !this.adapter.restartable) this.outOfData();
      return;
    }
    for (let step = 0; step < this.steps; step++) {
      if (this.live === null) this.live = this.adapter.epoch();
      let r = await this.live.next();
      if (r.done) {
        if (!this.adapter.restartable) {
          this.outOfData();
          return;
        }
        this.live = this.adapter.epoch();
        r = await this.live.next();
        if (r.done) {
          this.outOfData();
          return;
        }
      }
      yield [step, r.value];
    }
  }

  private outOfData(): void {
    this.ranOutOfData = true;
    if (!this.warnedOutOfData) {
      this.warnedOutOfData = true;
      process.stderr.write(
        "Your input ran out of data; interrupting training. Make sure that your dataset or generator can generate " +
          "at least `stepsPerEpoch * epochs` batches.\n",
      );
    }
  }
}

/** Frees the tensors of a batch that the data pipeline created (not the user's own tensors). */
export function disposeBatch(batch: Batch): void {
  const owned = (batch as Batch & { owned?: tf.Tensor[] }).owned;
  if (owned) {
    tf.dispose(owned);
    return;
  }
  // Array batches are slices or gathers made for this batch: all ours.
  tf.dispose(tensorsIn(batch));
}
