/**
 * EarlyStopping: stops training when a monitored metric has stopped improving
 * (Keras's `callbacks/early_stopping.py`).
 */
import { type Logs } from "./callback.js";
import { MonitorCallback } from "./monitor-callback.js";
import { callbackModel, disposeValues, warn, type WeightValue } from "./model-api.js";
import { printMsg } from "../utils/progbar.js";
import { registerBuiltin } from "../saving/object-registration.js";

/** Options of EarlyStopping (Keras's arguments, camelCase). */
export interface EarlyStoppingOptions {
  /** The log key to watch. Default `"val_loss"`. */
  monitor?: string;
  /** The minimum change that counts as an improvement. Default 0. */
  minDelta?: number;
  /** Epochs without improvement after which training stops. Default 0. */
  patience?: number;
  /** 1 prints a message when the callback acts. Default 0. */
  verbose?: number;
  /** `"auto"` (default), `"min"` or `"max"`. */
  mode?: "auto" | "min" | "max";
  /** Training stops if the metric does not get better than this value (within patience). Default null. */
  baseline?: number | null;
  /** Restore the weights of the best epoch when training ends. Default false. */
  restoreBestWeights?: boolean;
  /** Epochs to wait before monitoring starts (warm-up). Default 0. */
  startFromEpoch?: number;
}

/**
 * Stop training when a monitored metric has stopped improving.
 *
 * ```ts
 * const cb = new keras.callbacks.EarlyStopping({ monitor: "loss", patience: 3 });
 * await model.fit(x, y, { epochs: 10, callbacks: [cb] });
 * ```
 */
export class EarlyStopping extends MonitorCallback {
  patience: number;
  verbose: number;
  baseline: number | null;
  /** Epochs since the last improvement. */
  wait = 0;
  /** The epoch at which training was stopped (0 if it was not). */
  stoppedEpoch = 0;
  restoreBestWeights: boolean;
  /** Copies of the weights of the best epoch (when `restoreBestWeights`). */
  bestWeights: WeightValue[] | null = null;
  /** The best epoch (0-based). */
  bestEpoch = 0;
  startFromEpoch: number;

  constructor(options: EarlyStoppingOptions = {}) {
    super(options.monitor ?? "val_loss", options.mode ?? "auto", null, options.minDelta ?? 0);
    this.patience = options.patience ?? 0;
    this.verbose = options.verbose ?? 0;
    this.baseline = options.baseline ?? null;
    this.restoreBestWeights = options.restoreBestWeights ?? false;
    this.startFromEpoch = options.startFromEpoch ?? 0;
  }

  override onTrainBegin(): void {
    // Instances can be reused across fit() calls.
    this.wait = 0;
    this.stoppedEpoch = 0;
    this.best = null;
    this.setBestWeights(null);
    this.bestEpoch = 0;
  }

  override onEpochEnd(epoch: number, logs?: Logs): void {
    if (this.monitorOp === null) this.setMonitorOp(); // after the model's metrics are built
    const current = this.getMonitorValue(logs);
    if (current === undefined || epoch < this.startFromEpoch) return;
    const model = callbackModel(this, "EarlyStopping");
    if (this.restoreBestWeights && this.bestWeights === null) {
      // Before any improvement, the current weights are the best.
      this.setBestWeights(model.getWeights());
      this.bestEpoch = epoch;
    }
    this.wait += 1;
    if (this.isImprovement(current, this.best)) {
      this.best = current;
      this.bestEpoch = epoch;
      if (this.restoreBestWeights) this.setBestWeights(model.getWeights());
      // Restart waiting only when beating both the baseline and the previous best.
      if (this.baseline === null || this.isImprovement(current, this.baseline)) this.wait = 0;
      return;
    }
    if (this.wait >= this.patience && epoch > 0) {
      this.stoppedEpoch = epoch;
      model.stopTraining = true;
    }
  }

  override onTrainEnd(): void {
    if (this.stoppedEpoch > 0 && this.verbose > 0) printMsg(`Epoch ${this.stoppedEpoch + 1}: early stopping`);
    if (this.restoreBestWeights && this.bestWeights !== null) {
      if (this.verbose > 0) printMsg(`Restoring model weights from the end of the best epoch: ${this.bestEpoch + 1}.`);
      callbackModel(this, "EarlyStopping").setWeights(this.bestWeights);
      // The copies are not needed any more: free them so memory stays flat across fits.
      this.setBestWeights(null);
    }
  }

  /** The monitored value from the logs, or undefined (with a warning) when missing. */
  getMonitorValue(logs?: Logs): number | undefined {
    const l = logs ?? {};
    const value = l[this.monitor];
    if (value === undefined || value === null) {
      warn(
        `Early stopping conditioned on metric \`${this.monitor}\` which is not available. ` +
          `Available metrics are: ${Object.keys(l).join(",")}`,
      );
      return undefined;
    }
    return value;
  }

  private setBestWeights(weights: WeightValue[] | null): void {
    if (this.bestWeights && this.bestWeights !== weights) disposeValues(this.bestWeights);
    this.bestWeights = weights;
  }
}
registerBuiltin("keras.callbacks", EarlyStopping);
