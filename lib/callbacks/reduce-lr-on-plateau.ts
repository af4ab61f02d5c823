/**
 * ReduceLROnPlateau: lowers the learning rate when a metric has stopped
 * improving (Keras's `callbacks/reduce_lr_on_plateau.py`).
 */
import { type Logs } from "./callback.js";
import { MonitorCallback } from "./monitor-callback.js";
import { callbackModel, getLearningRate, setLearningRate, warn, type CallbackOptimizer } from "./model-api.js";
import { printMsg, pyRepr } from "../utils/progbar.js";
import { registerBuiltin } from "../saving/object-registration.js";

/** Options of ReduceLROnPlateau (Keras's arguments, camelCase). */
export interface ReduceLROnPlateauOptions {
  /** The log key to watch. Default `"val_loss"`. */
  monitor?: string;
  /** `newLr = lr * factor`; must be < 1. Default 0.1. */
  factor?: number;
  /** Epochs without improvement after which the rate is reduced. Default 10. */
  patience?: number;
  /** 1 prints a message on each reduction. Default 0. */
  verbose?: number;
  /** `"auto"` (default), `"min"` or `"max"`. */
  mode?: "auto" | "min" | "max";
  /** Threshold for a new optimum. Default 1e-4. */
  minDelta?: number;
  /** Epochs to wait after a reduction before resuming normal operation. Default 0. */
  cooldown?: number;
  /** Lower bound of the learning rate. Default 0. */
  minLr?: number;
}

/**
 * Reduce the learning rate when a metric has stopped improving.
 *
 * ```ts
 * const reduceLr = new keras.callbacks.ReduceLROnPlateau({ monitor: "val_loss", factor: 0.2, patience: 5, minLr: 0.001 });
 * ```
 */
export class ReduceLROnPlateau extends MonitorCallback {
  factor: number;
  minLr: number;
  patience: number;
  verbose: number;
  cooldown: number;
  /** Epochs left in the cooldown. */
  cooldownCounter = 0;
  /** Epochs since the last improvement. */
  wait = 0;

  constructor(options: ReduceLROnPlateauOptions = {}) {
    super(options.monitor ?? "val_loss", options.mode ?? "auto", null, options.minDelta ?? 1e-4);
    const factor = options.factor ?? 0.1;
    if (factor >= 1.0) {
      throw new Error(`ReduceLROnPlateau does not support a factor >= 1.0. Received factor=${factor}`);
    }
    this.factor = factor;
    this.minLr = options.minLr ?? 0.0;
    this.patience = options.patience ?? 10;
    this.verbose = options.verbose ?? 0;
    this.cooldown = options.cooldown ?? 0;
  }

  private reset(): void {
    this.best = null;
    this.cooldownCounter = 0;
    this.wait = 0;
  }

  private reduceOptimizerLr(optimizer: CallbackOptimizer, epoch: number, name = ""): boolean {
    const oldLr = getLearningRate(optimizer);
    if (oldLr > Math.fround(this.minLr)) {
      const newLr = Math.max(oldLr * this.factor, this.minLr);
      setLearningRate(optimizer, newLr);
      if (this.verbose > 0) {
        const nameStr = name ? ` ${name}` : "";
        printMsg(`\nEpoch ${epoch + 1}: ReduceLROnPlateau reducing${nameStr} learning rate to ${pyRepr(newLr)}.`);
      }
      return true;
    }
    return false;
  }

  override onTrainBegin(): void {
    this.reset();
  }

  /** Also adds `learning_rate` (or `learning_rate_{name}` per inner optimizer) to the epoch logs, as Keras does. */
  override onEpochEnd(epoch: number, logs?: Logs): void {
    if (this.monitorOp === null) this.setMonitorOp();
    const l: Logs = logs ?? {};
    const model = callbackModel(this, "ReduceLROnPlateau");
    const optimizer = model.optimizer;
    if (!optimizer) throw new Error("ReduceLROnPlateau: the model has no optimizer. Compile the model first.");
    const inner = Array.isArray(optimizer.optimizers) ? optimizer.optimizers : null;
    if (inner) for (const opt of inner) l[`learning_rate_${opt.name}`] = getLearningRate(opt);
    else l.learning_rate = getLearningRate(optimizer);
    const current = l[this.monitor];
    if (current === undefined || current === null) {
      warn(
        `Learning rate reduction is conditioned on metric \`${this.monitor}\` which is not available. ` +
          `Available metrics are: ${Object.keys(l).join(",")}.`,
      );
      return;
    }
    if (this.inCooldown()) {
      this.cooldownCounter -= 1;
      this.wait = 0;
    }
    if (this.isImprovement(current, this.best)) {
      this.best = current;
      this.wait = 0;
    } else if (!this.inCooldown()) {
      this.wait += 1;
      if (this.wait >= this.patience) {
        let reduced = false;
        if (inner) {
          for (const opt of inner) if (this.reduceOptimizerLr(opt, epoch, opt.name ?? "")) reduced = true;
        } else if (this.reduceOptimizerLr(optimizer, epoch)) {
          reduced = true;
        }
        if (reduced) {
          this.cooldownCounter = this.cooldown;
          this.wait = 0;
        }
      }
    }
  }

  /** Whether the callback is in its cooldown after a reduction. */
  inCooldown(): boolean {
    return this.cooldownCounter > 0;
  }
}
registerBuiltin("keras.callbacks", ReduceLROnPlateau);
