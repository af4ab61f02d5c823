/**
 * ModelCheckpoint: saves the model or its weights at some frequency (Keras's
 * `callbacks/model_checkpoint.py`). The file path is a Python `str.format`
 * template filled with `epoch` (1-based), `batch` (1-based, when saving per
 * batch) and the log values: `"ckpt-{epoch:02d}-{val_loss:.2f}.weights.h5"`.
 */
import { existsSync, mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { type HookResult, type Logs } from "./callback.js";
import { MonitorCallback } from "./monitor-callback.js";
import { callbackModel, isThenable, warn } from "./model-api.js";
import { PyKeyError, pyStrFormat, type PyValue } from "./python-format.js";
import { printMsg, pyFixed } from "../utils/progbar.js";
import { registerBuiltin } from "../saving/object-registration.js";

/** Options of ModelCheckpoint (Keras's arguments, camelCase). */
export interface ModelCheckpointOptions {
  /** The log key to watch for `saveBestOnly`. Default `"val_loss"`. */
  monitor?: string;
  /** 1 prints a message on each save. Default 0. */
  verbose?: number;
  /** Save only when the monitored value improves. Default false. */
  saveBestOnly?: boolean;
  /** Save only the weights (`model.saveWeights`, path ending in `.weights.h5`), else the model (`model.save`, `.keras`). Default false. */
  saveWeightsOnly?: boolean;
  /** `"auto"` (default), `"min"` or `"max"`. */
  mode?: "auto" | "min" | "max";
  /** `"epoch"` (default) or a number of batches between saves. */
  saveFreq?: "epoch" | number;
  /** The initial best value for `saveBestOnly`. Default null. */
  initialValueThreshold?: number | null;
}

/**
 * Save the model or its weights during training.
 *
 * ```ts
 * const cb = new keras.callbacks.ModelCheckpoint("ckpt/{epoch:02d}-{val_loss:.2f}.weights.h5", {
 *   saveWeightsOnly: true, saveBestOnly: true, monitor: "val_loss",
 * });
 * ```
 */
export class ModelCheckpoint extends MonitorCallback {
  filepath: string;
  verbose: number;
  saveBestOnly: boolean;
  saveWeightsOnly: boolean;
  saveFreq: "epoch" | number;
  private batchesSeenSinceLastSaving = 0;
  private lastBatchSeen: number | null = null;
  private currentEpoch = 0;

  /**
   * @param filepath Where to save; may contain `{epoch}`, `{batch}` and log keys with Python format specs.
   * @param options See {@link ModelCheckpointOptions}.
   */
  constructor(filepath: string, options: ModelCheckpointOptions = {}) {
    super(options.monitor ?? "val_loss", options.mode ?? "auto", options.initialValueThreshold ?? null);
    this.verbose = options.verbose ?? 0;
    this.filepath = String(filepath);
    this.saveBestOnly = options.saveBestOnly ?? false;
    this.saveWeightsOnly = options.saveWeightsOnly ?? false;
    this.saveFreq = options.saveFreq ?? "epoch";
    if (this.saveFreq !== "epoch" && !Number.isInteger(this.saveFreq)) {
      throw new Error(`Unrecognized save_freq: ${String(this.saveFreq)}. Expected save_freq are 'epoch' or integer values`);
    }
    if (this.saveWeightsOnly) {
      if (!this.filepath.endsWith(".weights.h5")) {
        throw new Error(
          "When using `saveWeightsOnly: true` in `ModelCheckpoint`, the filepath provided must end in `.weights.h5` " +
            `(Keras weights format). Received: filepath=${this.filepath}`,
        );
      }
    } else if (!this.filepath.endsWith(".keras") && !this.filepath.endsWith(".h5")) {
      throw new Error(`The filepath provided must end in \`.keras\` (Keras model format). Received: filepath=${this.filepath}`);
    }
  }

  override onTrainBatchEnd(batch: number, logs?: Logs): HookResult {
    if (this.shouldSaveOnBatch(batch)) return this.saveModel(this.currentEpoch, batch, logs);
  }

  override onEpochBegin(epoch: number): void {
    this.currentEpoch = epoch;
  }

  override onEpochEnd(epoch: number, logs?: Logs): HookResult {
    if (this.monitorOp === null) this.setMonitorOp();
    if (this.saveFreq === "epoch") return this.saveModel(epoch, null, logs);
  }

  private shouldSaveOnBatch(batch: number): boolean {
    if (this.saveFreq === "epoch") return false;
    const add = this.lastBatchSeen === null || batch <= this.lastBatchSeen ? batch + 1 : batch - this.lastBatchSeen;
    this.batchesSeenSinceLastSaving += add;
    this.lastBatchSeen = batch;
    if (this.batchesSeenSinceLastSaving >= this.saveFreq) {
      this.batchesSeenSinceLastSaving = 0;
      return true;
    }
    return false;
  }

  private shouldSaveModel(epoch: number, logs: Logs | undefined, filepath: string): boolean {
    const l = logs ?? {};
    if (this.saveBestOnly) {
      const current = l[this.monitor];
      if (current === undefined || current === null) {
        warn(`Can save best model only with ${this.monitor} available.`);
        return true;
      }
      const bestStr = this.best === null ? "None" : pyFixed(this.best, 5);
      if (this.isImprovement(current, this.best)) {
        if (this.verbose > 0) {
          printMsg(
            `\nEpoch ${epoch + 1}: ${this.monitor} improved from ${bestStr} to ${pyFixed(current, 5)}, saving model to ${filepath}`,
          );
        }
        this.best = current;
        return true;
      }
      if (this.verbose > 0) printMsg(`\nEpoch ${epoch + 1}: ${this.monitor} did not improve from ${bestStr}`);
      return false;
    }
    if (this.verbose > 0) printMsg(`\nEpoch ${epoch + 1}: saving model to ${filepath}`);
    return true;
  }

  private saveModel(epoch: number, batch: number | null, logs?: Logs): HookResult {
    const filepath = this.getFilePath(epoch, batch, logs);
    if (!this.shouldSaveModel(epoch, logs, filepath)) return;
    const dir = dirname(filepath);
    if (dir && !existsSync(dir)) mkdirSync(dir, { recursive: true });
    const model = callbackModel(this, "ModelCheckpoint");
    const method = this.saveWeightsOnly ? "saveWeights" : "save";
    const fn = model[method];
    if (typeof fn !== "function") {
      throw new Error(
        `ModelCheckpoint: model.${method}() is not supported yet by this model, so it cannot be checkpointed ` +
          `(${this.saveWeightsOnly ? ".weights.h5" : ".keras"} saving comes with the saving module).`,
      );
    }
    const done = (): void => {
      if (this.verbose > 0) printMsg(`\nEpoch ${epoch + 1}: finished saving model to ${filepath}`);
    };
    const onError = (e: unknown): never => {
      const err = e as NodeJS.ErrnoException;
      if (err && (err.code === "EISDIR" || /is a directory/i.test(String(err.message)))) {
        throw new Error(
          `Please specify a non-directory filepath for ModelCheckpoint. Filepath used is an existing directory: ${filepath}`,
        );
      }
      throw e;
    };
    let r: unknown;
    try {
      r = fn.call(model, filepath, { overwrite: true });
    } catch (e) {
      onError(e);
    }
    if (isThenable(r)) return Promise.resolve(r).then(done, onError);
    done();
  }

  /** The checkpoint path for this epoch (0-based) and batch (0-based, or null when saving per epoch). */
  getFilePath(epoch: number, batch: number | null, logs?: Logs): string {
    const l = logs ?? {};
    const values: Record<string, PyValue> = {};
    for (const [k, v] of Object.entries(l)) values[k] = typeof v === "number" ? { float: v } : String(v);
    values.epoch = { int: epoch + 1 };
    if (batch !== null && !("batch" in l)) values.batch = { int: batch + 1 };
    try {
      return pyStrFormat(this.filepath, values);
    } catch (e) {
      if (e instanceof PyKeyError) {
        throw new Error(`Failed to format this callback filepath: "${this.filepath}". Reason: ${e.message}`);
      }
      throw e;
    }
  }
}
registerBuiltin("keras.callbacks", ModelCheckpoint);
