/**
 * CallbackList: runs every callback's hook in order (Keras's
 * `callbacks/callback_list.py`). `fit` adds History always and ProgbarLogger
 * when verbose is not 0, unless the user passed their own.
 */
import { Callback, type CallbackParams, type HookResult, type Logs } from "./callback.js";
import { History } from "./history.js";
import { ProgbarLogger } from "./progbar-logger.js";
import type { Trainer } from "../trainers/trainer.js";

/** Options of CallbackList. */
export interface CallbackListOptions {
  addHistory?: boolean;
  addProgbar?: boolean;
  model?: Trainer;
  params?: CallbackParams;
}

type HookName = {
  [K in keyof Callback]: Callback[K] extends (...args: never[]) => HookResult ? K : never;
}[keyof Callback];

/** A list of callbacks called as one. */
export class CallbackList extends Callback {
  readonly callbacks: Callback[];
  private history: History | null = null;

  constructor(callbacks: readonly Callback[] = [], options: CallbackListOptions = {}) {
    super();
    this.callbacks = [...callbacks];
    if (options.addHistory) {
      const existing = this.callbacks.find((c): c is History => c instanceof History);
      this.history = existing ?? new History();
      if (!existing) this.callbacks.push(this.history);
    }
    if (options.addProgbar && !this.callbacks.some((c) => c instanceof ProgbarLogger)) {
      this.callbacks.push(new ProgbarLogger());
    }
    if (options.model) this.setModel(options.model);
    if (options.params) this.setParams(options.params);
  }

  /** The History callback of this list, if any. */
  get historyCallback(): History | null {
    return this.history;
  }

  override setParams(params: CallbackParams): void {
    super.setParams(params);
    for (const c of this.callbacks) c.setParams(params);
  }

  override setModel(model: Trainer): void {
    super.setModel(model);
    for (const c of this.callbacks) c.setModel(model);
  }

  private run(hook: HookName, args: unknown[]): HookResult {
    let pending: Promise<void> | null = null;
    for (const c of this.callbacks) {
      const fn = c[hook] as (...a: unknown[]) => HookResult;
      if (pending) {
        pending = pending.then(() => fn.apply(c, args));
        continue;
      }
      const r = fn.apply(c, args);
      if (r instanceof Promise) pending = r;
    }
    return pending ?? undefined;
  }

  override onBatchBegin(batch: number, logs?: Logs): HookResult {
    return this.run("onBatchBegin", [batch, logs]);
  }
  override onBatchEnd(batch: number, logs?: Logs): HookResult {
    return this.run("onBatchEnd", [batch, logs]);
  }
  override onEpochBegin(epoch: number, logs?: Logs): HookResult {
    return this.run("onEpochBegin", [epoch, logs]);
  }
  override onEpochEnd(epoch: number, logs?: Logs): HookResult {
    return this.run("onEpochEnd", [epoch, logs]);
  }
  override onTrainBatchBegin(batch: number, logs?: Logs): HookResult {
    return this.run("onTrainBatchBegin", [batch, logs]);
  }
  override onTrainBatchEnd(batch: number, logs?: Logs): HookResult {
    return this.run("onTrainBatchEnd", [batch, logs]);
  }
  override onTestBatchBegin(batch: number, logs?: Logs): HookResult {
    return this.run("onTestBatchBegin", [batch, logs]);
  }
  override onTestBatchEnd(batch: number, logs?: Logs): HookResult {
    return this.run("onTestBatchEnd", [batch, logs]);
  }
  override onPredictBatchBegin(batch: number, logs?: Logs): HookResult {
    return this.run("onPredictBatchBegin", [batch, logs]);
  }
  override onPredictBatchEnd(batch: number, logs?: Logs): HookResult {
    return this.run("onPredictBatchEnd", [batch, logs]);
  }
  override onTrainBegin(logs?: Logs): HookResult {
    return this.run("onTrainBegin", [logs]);
  }
  override onTrainEnd(logs?: Logs): HookResult {
    return this.run("onTrainEnd", [logs]);
  }
  override onTestBegin(logs?: Logs): HookResult {
    return this.run("onTestBegin", [logs]);
  }
  override onTestEnd(logs?: Logs): HookResult {
    return this.run("onTestEnd", [logs]);
  }
  override onPredictBegin(logs?: Logs): HookResult {
    return this.run("onPredictBegin", [logs]);
  }
  override onPredictEnd(logs?: Logs): HookResult {
    return this.run("onPredictEnd", [logs]);
  }
}
