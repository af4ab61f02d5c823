/**
 * Callback: hooks into fit, evaluate and predict (Keras's `callbacks/callback.py`).
 * Override the hooks you need; each may return a Promise, which the loop awaits.
 */
import type { Trainer } from "../trainers/trainer.js";

/** The values a hook receives: metric names to numbers (read lazily from the device). */
export type Logs = Record<string, number>;

/** What `fit` tells its callbacks: `{verbose, epochs, steps}` as Keras. */
export interface CallbackParams {
  verbose: number | "auto";
  epochs: number;
  /** Steps per epoch, or null when the data's length is unknown. */
  steps: number | null;
  [key: string]: unknown;
}

/** The result of a hook: nothing, or a Promise the loop waits for. */
export type HookResult = void | Promise<void>;

/** The base class of callbacks. */
export class Callback {
  /** Set by the loop before training. */
  params: CallbackParams = { verbose: 1, epochs: 1, steps: null };
  /** The model being trained (set by the loop). */
  model: Trainer | null = null;

  setParams(params: CallbackParams): void {
    this.params = params;
  }

  setModel(model: Trainer): void {
    this.model = model;
  }

  onBatchBegin(batch: number, logs?: Logs): HookResult {
    void batch;
    void logs;
  }
  onBatchEnd(batch: number, logs?: Logs): HookResult {
    void batch;
    void logs;
  }
  onEpochBegin(epoch: number, logs?: Logs): HookResult {
    void epoch;
    void logs;
  }
  onEpochEnd(epoch: number, logs?: Logs): HookResult {
    void epoch;
    void logs;
  }
  onTrainBatchBegin(batch: number, logs?: Logs): HookResult {
    return this.onBatchBegin(batch, logs);
  }
  onTrainBatchEnd(batch: number, logs?: Logs): HookResult {
    return this.onBatchEnd(batch, logs);
  }
  onTestBatchBegin(batch: number, logs?: Logs): HookResult {
    void batch;
    void logs;
  }
  onTestBatchEnd(batch: number, logs?: Logs): HookResult {
    void batch;
    void logs;
  }
  onPredictBatchBegin(batch: number, logs?: Logs): HookResult {
    void batch;
    void logs;
  }
  onPredictBatchEnd(batch: number, logs?: Logs): HookResult {
    void batch;
    void logs;
  }
  onTrainBegin(logs?: Logs): HookResult {
    void logs;
  }
  onTrainEnd(logs?: Logs): HookResult {
    void logs;
  }
  onTestBegin(logs?: Logs): HookResult {
    void logs;
  }
  onTestEnd(logs?: Logs): HookResult {
    void logs;
  }
  onPredictBegin(logs?: Logs): HookResult {
    void logs;
  }
  onPredictEnd(logs?: Logs): HookResult {
    void logs;
  }
}
