/**
 * ProgbarLogger: prints Keras's progress bar during fit, evaluate and predict
 * (Keras's `callbacks/progbar_logger.py`). `fit` adds one when `verbose` is not 0.
 *
 * - `Epoch {i}/{N}` before each epoch when verbose is 1 or 2 and N > 1.
 * - Validation inside `fit` prints no bar of its own (`calledInFit`).
 * - The bar's target is `params.steps`; when unknown, it becomes the number
 *   of steps seen when the epoch (or evaluate / predict) ends.
 * - Every metric is shown as it comes (the bar's stateless set is empty).
 *
 * A notebook front end replaces the terminal bar by setting
 * {@link progbarHooks}`.factory` (and `.write` for the epoch lines).
 */
import { Callback, type CallbackParams, type Logs } from "./callback.js";
import { Progbar, printMsg, type ProgbarValues } from "../utils/progbar.js";
import { isInteractiveLoggingEnabled } from "../utils/io-utils.js";
import { registerBuiltin } from "../saving/object-registration.js";

/** What a ProgbarLogger needs of a progress bar: Keras's `Progbar` interface. */
export interface ProgbarLike {
  /** The number of steps; set when an unknown target becomes known at the end. */
  target: number | null;
  /** Shows `current` steps done with these metric values; `finalize` ends the bar. */
  update(current: number, values?: ProgbarValues | null, finalize?: boolean): void;
  /**
   * Whether an update now would draw. When it returns false the logger passes
   * no values, so the metrics are not read back from the device for a frame
   * nobody sees.
   */
  willRender?(finalize: boolean): boolean;
}

/** What a {@link progbarHooks} factory receives. */
export interface ProgbarFactoryArgs {
  /** Steps expected, or null when unknown. */
  target: number | null;
  /** 1 or 2 (0 never reaches the factory through `fit`, but a user ProgbarLogger may pass it). */
  verbose: number;
  unitName: string;
  /** Which loop the bar is for. */
  mode: "train" | "test" | "predict";
  /** 0-based epoch index for a training bar, else null. */
  epoch: number | null;
  /** The number of epochs of the fit (1 outside fit). */
  epochs: number;
}

/**
 * Hooks a display layer fills to replace the terminal output: `factory`
 * creates the bars, `write` receives the other text (the `Epoch i/N` lines).
 * Both null by default: the terminal {@link Progbar} on stdout.
 */
export const progbarHooks: {
  factory: ((args: ProgbarFactoryArgs) => ProgbarLike) | null;
  write: ((text: string) => void) | null;
} = { factory: null, write: null };

/** Options of ProgbarLogger (for tests and custom output; Keras's constructor takes none). */
export interface ProgbarLoggerOptions {
  /** Receives all output. Default: `progbarHooks.write`, else stdout. */
  write?: (text: string) => void;
  /** The clock in seconds, passed to the bars. Default: the wall clock. */
  now?: () => number;
  /** Whether the output redraws in place (see `ProgbarOptions.isTTY`). Default: `process.stdout.isTTY`. */
  isTTY?: boolean;
}

/** Callback that prints metrics to stdout as Keras's progress bar. */
export class ProgbarLogger extends Callback {
  /** Steps seen in the current bar. */
  seen = 0;
  /** The current bar, or null. */
  progbar: ProgbarLike | null = null;
  /** Steps per bar (`params.steps`), or null while unknown. */
  target: number | null = null;
  /** 0, 1 or 2 (`"auto"` means 1). */
  verbose = 1;
  /** The number of epochs of the fit. */
  epochs = 1;
  /** Whether this logger runs inside `fit` (then validation prints nothing). */
  protected calledInFit = false;
  private readonly options: ProgbarLoggerOptions;
  private mode: "train" | "test" | "predict" = "train";
  private epoch: number | null = null;

  constructor(options: ProgbarLoggerOptions = {}) {
    super();
    this.options = options;
  }

  override setParams(params: CallbackParams): void {
    super.setParams(params);
    const verbose = params.verbose;
    this.verbose = verbose === "auto" ? 1 : Number(verbose);
    this.epochs = params.epochs;
    this.target = params.steps ?? null;
  }

  override onTrainBegin(): void {
    this.calledInFit = true;
  }

  override onTrainEnd(): void {
    // Keras never resets this; resetting after fit lets the same instance
    // show an evaluate() bar later.
    this.calledInFit = false;
  }

  override onTestBegin(): void {
    if (!this.calledInFit) {
      this.resetProgbar("test", null);
      this.maybeInitProgbar();
    }
  }

  override onPredictBegin(): void {
    this.resetProgbar("predict", null);
    this.maybeInitProgbar();
  }

  override onEpochBegin(epoch: number): void {
    this.resetProgbar("train", epoch);
    this.maybeInitProgbar();
    if (this.verbose && this.epochs > 1) printMsg(`Epoch ${epoch + 1}/${this.epochs}`, true, this.writer());
  }

  override onTrainBatchEnd(batch: number, logs?: Logs): void {
    this.updateProgbar(batch, logs);
  }

  override onTestBatchEnd(batch: number, logs?: Logs): void {
    if (!this.calledInFit) this.updateProgbar(batch, logs);
  }

  override onPredictBatchEnd(batch: number): void {
    // Prediction results are not shown.
    this.updateProgbar(batch, undefined);
  }

  override onEpochEnd(_epoch: number, logs?: Logs): void {
    this.finalizeProgbar(logs);
  }

  override onTestEnd(logs?: Logs): void {
    if (!this.calledInFit) this.finalizeProgbar(logs);
  }

  override onPredictEnd(logs?: Logs): void {
    this.finalizeProgbar(logs);
  }

  private writer(): (text: string) => void {
    return this.options.write ?? progbarHooks.write ?? ((t: string) => void process.stdout.write(t));
  }

  private resetProgbar(mode: "train" | "test" | "predict", epoch: number | null): void {
    this.seen = 0;
    this.progbar = null;
    this.mode = mode;
    this.epoch = epoch;
  }

  private maybeInitProgbar(): ProgbarLike {
    if (this.progbar === null) {
      if (progbarHooks.factory && isInteractiveLoggingEnabled()) {
        this.progbar = progbarHooks.factory({
          target: this.target,
          verbose: this.verbose,
          unitName: "step",
          mode: this.mode,
          epoch: this.epoch,
          epochs: this.epochs,
        });
      } else {
        this.progbar = new Progbar(this.target, {
          verbose: this.verbose,
          unitName: "step",
          statelessMetrics: [],
          write: this.writer(),
          now: this.options.now,
          isTTY: this.options.isTTY,
        });
      }
    }
    return this.progbar;
  }

  private updateProgbar(batch: number, logs?: Logs): void {
    const bar = this.maybeInitProgbar();
    this.seen = batch + 1; // one-based
    if (this.verbose !== 1) return;
    // Reading a log value syncs with the device: read them only for frames that are drawn.
    if (bar.willRender && !bar.willRender(false)) bar.update(this.seen, null, false);
    else bar.update(this.seen, Object.entries(logs ?? {}), false);
  }

  private finalizeProgbar(logs?: Logs): void {
    const bar = this.maybeInitProgbar();
    if (this.target === null) {
      this.target = this.seen;
      bar.target = this.target;
    }
    bar.update(this.target, Object.entries(logs ?? {}), true);
  }
}
registerBuiltin("keras.callbacks", ProgbarLogger);
