/** The interface every data adapter implements (Keras's `DataAdapter`). */
import type { Batch } from "./data-structure.js";

/** Turns some kind of user data into batches, one epoch at a time. */
export interface DataAdapter {
  /** Batches per epoch, or null when unknown (a generator without a length). */
  readonly numBatches: number | null;
  /** The batch size, when known. */
  readonly batchSize: number | null;
  /** Whether every epoch can start over (arrays, datasets) or the data is one stream. */
  readonly restartable: boolean;
  /** The batches of one epoch. The consumer disposes the tensors of each batch it receives. */
  epoch(): AsyncIterator<Batch> | Iterator<Batch>;
  /** Called after each epoch. */
  onEpochEnd?(): void | Promise<void>;
  /** Frees what the adapter created. */
  dispose(): void;
}
