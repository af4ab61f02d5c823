/**
 * BackupAndRestore: backs up the training state so that a `fit` interrupted
 * by a crash resumes where it stopped (Keras's `callbacks/backup_and_restore.py`).
 *
 * Files in `backupDir`: `latest.weights.h5` (the model's weights and the
 * optimizer state, through `model.saveWeights`) and `training_metadata.json`
 * (`{"epoch": 3, "batch": 0}`). On train begin, when a backup exists, the
 * weights are loaded (`model.loadWeights`) and `model._initialEpoch` tells
 * `fit` which epoch to resume from. When `fit` ends normally the backup is
 * deleted (unless `deleteCheckpoint: false`).
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Callback, type HookResult } from "./callback.js";
import { callbackModel, isThenable, type CallbackModel } from "./model-api.js";
import { registerBuiltin } from "../saving/object-registration.js";

/** Options of BackupAndRestore. */
export interface BackupAndRestoreOptions {
  /** `"epoch"` (default): back up at each epoch end; a number: every that many batches. */
  saveFreq?: "epoch" | number;
  /** Keep the previous backup too (`*.bkp`) and fall back to it when the latest cannot be read. Default false. */
  doubleCheckpoint?: boolean;
  /** Delete the backup when training completes. Default true. */
  deleteCheckpoint?: boolean;
}

/**
 * Back up and restore the training state.
 *
 * ```ts
 * const backup = new keras.callbacks.BackupAndRestore("/tmp/backup");
 * await model.fit(x, y, { epochs: 10, callbacks: [backup] }); // interrupted at epoch 4
 * await model.fit(x, y, { epochs: 10, callbacks: [backup] }); // runs epochs 5 to 10
 * ```
 */
export class BackupAndRestore extends Callback {
  backupDir: string;
  saveFreq: "epoch" | number;
  doubleCheckpoint: boolean;
  deleteCheckpoint: boolean;
  private batchesSeenSinceLastSaving = 0;
  private lastBatchSeen = 0;
  private currentEpoch = 0;
  private readonly weightsPath: string;
  private readonly trainingMetadataPath: string;
  private readonly prevWeightsPath: string;
  private readonly prevTrainingMetadataPath: string;

  /**
   * @param backupDir The directory of the backup; no other callback or run may use it.
   * @param options See {@link BackupAndRestoreOptions}.
   */
  constructor(backupDir: string, options: BackupAndRestoreOptions = {}) {
    super();
    if (!backupDir) throw new Error("Empty `backupDir` argument passed");
    this.saveFreq = options.saveFreq ?? "epoch";
    this.doubleCheckpoint = options.doubleCheckpoint ?? false;
    this.deleteCheckpoint = options.deleteCheckpoint ?? true;
    this.backupDir = backupDir;
    this.weightsPath = join(backupDir, "latest.weights.h5");
    this.trainingMetadataPath = join(backupDir, "training_metadata.json");
    this.prevWeightsPath = `${this.weightsPath}.bkp`;
    this.prevTrainingMetadataPath = `${this.trainingMetadataPath}.bkp`;
    if (this.saveFreq !== "epoch" && !Number.isInteger(this.saveFreq)) {
      throw new Error(
        `Invalid value for argument \`saveFreq\`. Received: saveFreq=${String(this.saveFreq)}. ` +
          "Expected either 'epoch' or an integer value.",
      );
    }
  }

  override async onTrainBegin(): Promise<void> {
    try {
      await this.loadModel();
    } catch (e) {
      if (!existsSync(this.prevWeightsPath) || isUnsupported(e)) throw e;
      copyFileSync(this.prevWeightsPath, this.weightsPath);
      if (existsSync(this.prevTrainingMetadataPath)) copyFileSync(this.prevTrainingMetadataPath, this.trainingMetadataPath);
      else if (existsSync(this.trainingMetadataPath)) rmSync(this.trainingMetadataPath);
      await this.loadModel();
    }
  }

  private async loadModel(): Promise<void> {
    const model = callbackModel(this, "BackupAndRestore");
    if (model.built === false) {
      throw new Error(
        "To use the BackupAndRestore callback, your model must be built before you call `fit()`. " +
          "The model is unbuilt. You can build it beforehand by calling it on a batch of data.",
      );
    }
    if (existsSync(this.weightsPath)) {
      if (typeof model.loadWeights !== "function") {
        throw new UnsupportedError(
          `BackupAndRestore: a backup exists in ${this.backupDir}, but this model has no loadWeights() ` +
            "(loading .weights.h5 is not supported yet), so training cannot resume from it.",
        );
      }
      const opt = model.optimizer;
      if (opt && opt.built === false && typeof opt.build === "function") {
        opt.build(model.trainableVariables ?? model.trainableWeights ?? []);
      }
      const r = model.loadWeights(this.weightsPath);
      if (isThenable(r)) await r;
    }
    if (existsSync(this.trainingMetadataPath)) {
      const meta = JSON.parse(readFileSync(this.trainingMetadataPath, "utf8")) as { epoch: number };
      model._initialEpoch = meta.epoch;
    }
  }

  override onEpochEnd(epoch: number): HookResult {
    this.currentEpoch = epoch + 1;
    this.lastBatchSeen = 0;
    if (this.saveFreq === "epoch") return this.saveModel();
  }

  override onTrainBatchEnd(batch: number): HookResult {
    if (this.shouldSaveOnBatch(batch)) return this.saveModel();
  }

  private saveModel(): HookResult {
    const model: CallbackModel = callbackModel(this, "BackupAndRestore");
    if (typeof model.saveWeights !== "function") {
      throw new UnsupportedError(
        "BackupAndRestore: this model has no saveWeights() (saving .weights.h5 is not supported yet), so the " +
          "training state cannot be backed up.",
      );
    }
    if (!existsSync(this.backupDir)) mkdirSync(this.backupDir, { recursive: true });
    if (this.doubleCheckpoint && existsSync(this.weightsPath)) copyFileSync(this.weightsPath, this.prevWeightsPath);
    if (this.doubleCheckpoint && existsSync(this.trainingMetadataPath)) {
      copyFileSync(this.trainingMetadataPath, this.prevTrainingMetadataPath);
    }
    const writeMeta = (): void => {
      // json.dumps layout: {"epoch": 1, "batch": 0}
      writeFileSync(this.trainingMetadataPath, `{"epoch": ${this.currentEpoch}, "batch": ${this.lastBatchSeen}}`);
    };
    const r = model.saveWeights(this.weightsPath, { overwrite: true });
    if (isThenable(r)) return Promise.resolve(r).then(writeMeta);
    writeMeta();
  }

  private shouldSaveOnBatch(batch: number): boolean {
    if (this.saveFreq === "epoch") return false;
    const add = batch <= this.lastBatchSeen ? batch + 1 : batch - this.lastBatchSeen; // a new epoch restarts at 0
    this.batchesSeenSinceLastSaving += add;
    this.lastBatchSeen = batch;
    if (this.batchesSeenSinceLastSaving >= this.saveFreq) {
      this.batchesSeenSinceLastSaving = 0;
      return true;
    }
    return false;
  }

  override onTrainEnd(): void {
    if (this.deleteCheckpoint && existsSync(this.backupDir)) rmSync(this.backupDir, { recursive: true, force: true });
  }
}
registerBuiltin("keras.callbacks", BackupAndRestore);

/** A feature the model does not have yet (no fallback to the previous backup helps). */
class UnsupportedError extends Error {
  override name = "NotSupportedError";
}

function isUnsupported(e: unknown): boolean {
  return e instanceof UnsupportedError;
}
