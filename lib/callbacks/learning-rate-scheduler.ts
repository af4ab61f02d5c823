/**
 * LearningRateScheduler: sets the learning rate at the start of each epoch
 * from `schedule(epoch, lr)` (Keras's `callbacks/learning_rate_scheduler.py`).
 */
import { Callback, type Logs } from "./callback.js";
import { callbackModel, getLearningRate, setLearningRate, type CallbackOptimizer } from "./model-api.js";
import { printMsg, pyRepr } from "../utils/progbar.js";
import { registerBuiltin } from "../saving/object-registration.js";

/** A schedule: the 0-based epoch and the current rate to the new rate. */
export type LearningRateScheduleFn = (epoch: number, lr: number) => number;

/** Options of LearningRateScheduler. */
export interface LearningRateSchedulerOptions {
  /** 1 prints the new rate each epoch. Default 0. */
  verbose?: number;
}

/**
 * Learning rate scheduler.
 *
 * ```ts
 * const cb = new keras.callbacks.LearningRateScheduler((epoch, lr) => (epoch < 10 ? lr : lr * Math.exp(-0.1)));
 * ```
 */
export class LearningRateScheduler extends Callback {
  schedule: LearningRateScheduleFn;
  verbose: number;

  /**
   * @param schedule `(epoch, lr) => newLr`, epoch 0-based.
   * @param options `verbose` (default 0); a number is taken as `verbose`, as Keras's second positional argument.
   */
  constructor(schedule: LearningRateScheduleFn, options: LearningRateSchedulerOptions | number = {}) {
    super();
    if (typeof schedule !== "function") throw new TypeError("LearningRateScheduler: `schedule` must be a function.");
    this.schedule = schedule;
    this.verbose = typeof options === "number" ? options : (options.verbose ?? 0);
  }

  private updateOptimizerLr(optimizer: CallbackOptimizer, epoch: number): number {
    let lr: unknown = this.schedule(epoch, getLearningRate(optimizer));
    // A scalar tensor (e.g. `lr * keras.ops.exp(-0.1)`) is read back as a number.
    const t = lr as { dataSync?: () => ArrayLike<number>; size?: number } | null;
    if (t && typeof t === "object" && typeof t.dataSync === "function" && t.size === 1) lr = Number(t.dataSync()[0]);
    if (typeof lr !== "number") {
      throw new Error(`The output of the \`schedule\` function should be a float. Got: ${String(lr)}`);
    }
    setLearningRate(optimizer, lr);
    return lr;
  }

  override onEpochBegin(epoch: number): void {
    const optimizer = callbackModel(this, "LearningRateScheduler").optimizer;
    if (!optimizer) throw new Error("LearningRateScheduler: the model has no optimizer. Compile the model first.");
    if (Array.isArray(optimizer.optimizers)) {
      for (const opt of optimizer.optimizers) {
        const lr = this.updateOptimizerLr(opt, epoch);
        if (this.verbose > 0) {
          printMsg(`\nEpoch ${epoch + 1}: LearningRateScheduler setting ${opt.name} learning rate to ${pyRepr(lr)}.`);
        }
      }
    } else {
      const lr = this.updateOptimizerLr(optimizer, epoch);
      if (this.verbose > 0) printMsg(`\nEpoch ${epoch + 1}: LearningRateScheduler setting learning rate to ${pyRepr(lr)}.`);
    }
  }

  /** Adds `learning_rate` to the epoch logs, as Keras does. */
  override onEpochEnd(_epoch: number, logs?: Logs): void {
    if (!logs) return;
    const optimizer = callbackModel(this, "LearningRateScheduler").optimizer;
    if (!optimizer) return;
    if (Array.isArray(optimizer.optimizers)) {
      for (const opt of optimizer.optimizers) logs[`learning_rate_${opt.name}`] = getLearningRate(opt);
    } else {
      logs.learning_rate = getLearningRate(optimizer);
    }
  }
}
registerBuiltin("keras.callbacks", LearningRateScheduler);
