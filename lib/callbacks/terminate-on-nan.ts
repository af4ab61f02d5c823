/**
 * TerminateOnNaN: stops training when the loss becomes NaN or infinite
 * (Keras's `callbacks/terminate_on_nan.py`).
 */
import { Callback, type Logs } from "./callback.js";
import { callbackModel } from "./model-api.js";
import { printMsg, pyRepr } from "../utils/progbar.js";
import { registerBuiltin } from "../saving/object-registration.js";

/** Options of TerminateOnNaN. */
export interface TerminateOnNaNOptions {
  /**
   * Throw at once instead of stopping gracefully (then `onTrainEnd` of the
   * other callbacks does not run, which keeps e.g. a BackupAndRestore backup). Default false.
   */
  raiseError?: boolean;
}

/** Callback that terminates training when a NaN or infinite loss is encountered. */
export class TerminateOnNaN extends Callback {
  raiseError: boolean;

  constructor(options: TerminateOnNaNOptions = {}) {
    super();
    this.raiseError = options.raiseError ?? false;
  }

  override onBatchEnd(batch: number, logs?: Logs): void {
    const loss = logs?.loss;
    if (loss === undefined || loss === null) return;
    if (Number.isNaN(loss) || !Number.isFinite(loss)) {
      if (this.raiseError) {
        throw new Error(
          `NaN or Inf loss encountered at batch ${batch}. Loss value: ${pyRepr(loss)}. Terminating training immediately.`,
        );
      }
      printMsg(`Batch ${batch}: Invalid loss, terminating training`);
      callbackModel(this, "TerminateOnNaN").stopTraining = true;
    }
  }
}
registerBuiltin("keras.callbacks", TerminateOnNaN);
