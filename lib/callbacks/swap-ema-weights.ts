/**
 * SwapEMAWeights: evaluates (and predicts) with the optimizer's exponential
 * moving average of the weights (Keras's `callbacks/swap_ema_weights.py`).
 * Use with an optimizer created with `useEma: true`.
 */
import { Callback } from "./callback.js";
import { callbackModel, type CallbackOptimizer, type VariableLike } from "./model-api.js";
import { registerBuiltin } from "../saving/object-registration.js";

/** Options of SwapEMAWeights. */
export interface SwapEMAWeightsOptions {
  /**
   * Also swap at epoch end and back at the next epoch begin, so that other
   * callbacks (e.g. ModelCheckpoint) see the EMA weights. Default false.
   */
  swapOnEpoch?: boolean;
}

/**
 * Swaps the model weights and the EMA weights before evaluation and back after it.
 *
 * ```ts
 * model.compile({ optimizer: new keras.optimizers.SGD({ useEma: true }), loss: "mse" });
 * await model.fit(x, y, { validationData: [vx, vy], callbacks: [new keras.callbacks.SwapEMAWeights()] });
 * ```
 */
export class SwapEMAWeights extends Callback {
  swapOnEpoch: boolean;
  private emaWeightsInModel = false;

  constructor(options: SwapEMAWeightsOptions = {}) {
    super();
    this.swapOnEpoch = options.swapOnEpoch ?? false;
  }

  private emaOptimizers(): CallbackOptimizer[] {
    const model = callbackModel(this, "SwapEMAWeights");
    let optimizer = model.optimizer as (CallbackOptimizer & { innerOptimizer?: CallbackOptimizer }) | null | undefined;
    if (!optimizer) throw new Error("SwapEMAWeights: the model has no optimizer. Compile the model first.");
    if (optimizer.innerOptimizer) optimizer = optimizer.innerOptimizer;
    if (Array.isArray(optimizer.optimizers)) {
      const withEma = optimizer.optimizers.filter((o) => o.useEma);
      if (!withEma.length) {
        throw new Error(
          "SwapEMAWeights must be used when at least one inner optimizer has `useEma: true` set. Received a " +
            "MultiOptimizer with all inner optimizers having `useEma: false`.",
        );
      }
      return withEma;
    }
    if (!optimizer.useEma || !optimizer.modelVariablesMovingAverage) {
      throw new Error(
        `SwapEMAWeights must be used when \`useEma: true\` is set on the optimizer. Received: useEma=${String(optimizer.useEma ?? false)}`,
      );
    }
    return [optimizer];
  }

  private variables(): readonly VariableLike[] {
    const model = callbackModel(this, "SwapEMAWeights");
    return model.trainableVariables ?? model.trainableWeights ?? [];
  }

  private swapVariables(): void {
    const vars = this.variables();
    for (const opt of this.emaOptimizers()) {
      if (typeof opt.swapVariablesWithMovingAverage === "function") {
        opt.swapVariablesWithMovingAverage(vars);
        continue;
      }
      const avgs = opt.modelVariablesMovingAverage ?? [];
      vars.forEach((v, i) => {
        const avg = avgs[i];
        if (!avg) return;
        const tmp = cloneValue(v.value);
        v.assign(avg.value as never);
        avg.assign(tmp as never);
        disposeValue(tmp);
      });
    }
  }

  /** Makes the averages equal to the (swapped-in EMA) model weights, after the last epoch. */
  private finalizeEmaValues(): void {
    const vars = this.variables();
    for (const opt of this.emaOptimizers()) {
      const avgs = opt.modelVariablesMovingAverage ?? [];
      vars.forEach((v, i) => avgs[i]?.assign(v.value as never));
    }
  }

  override onEpochBegin(): void {
    if (this.swapOnEpoch && this.emaWeightsInModel) {
      this.swapVariables();
      this.emaWeightsInModel = false;
    }
  }

  override onEpochEnd(epoch: number): void {
    if (this.swapOnEpoch && !this.emaWeightsInModel) {
      this.swapVariables();
      this.emaWeightsInModel = true;
      if (epoch === this.params.epochs - 1) this.finalizeEmaValues();
    }
  }

  override onTestBegin(): void {
    if (!this.emaWeightsInModel) {
      this.swapVariables();
      this.emaWeightsInModel = true;
    }
  }

  override onTestEnd(): void {
    if (this.emaWeightsInModel) {
      this.swapVariables();
      this.emaWeightsInModel = false;
    }
  }

  override onPredictBegin(): void {
    if (!this.emaWeightsInModel) {
      this.swapVariables();
      this.emaWeightsInModel = true;
    }
  }

  override onPredictEnd(): void {
    // Keras tests `not self._ema_weights_in_model` here, which never swaps back; we restore the weights.
    if (this.emaWeightsInModel) {
      this.swapVariables();
      this.emaWeightsInModel = false;
    }
  }
}
registerBuiltin("keras.callbacks", SwapEMAWeights);

function cloneValue(v: unknown): unknown {
  const c = (v as { clone?: () => unknown } | null)?.clone;
  if (typeof c === "function") return c.call(v);
  if (Array.isArray(v)) return [...v];
  return v;
}

function disposeValue(v: unknown): void {
  const d = (v as { dispose?: () => void } | null)?.dispose;
  if (typeof d === "function") d.call(v);
}
