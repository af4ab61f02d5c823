/** History: records the logs of every epoch (added to every `fit`). */
import { Callback, type Logs } from "./callback.js";
import { registerBuiltin } from "../saving/object-registration.js";

/** Hooks that `display` fills so a History shows as a chart in notebooks. */
export const historyDisplayHook: {
  render: ((h: History) => Record<string, unknown> | Promise<Record<string, unknown>>) | null;
} = { render: null };

/** The record of a `fit`: `history.history.loss[epoch]`, `history.epoch`, `history.params`. */
export class History extends Callback {
  /** Log key → one value per epoch, e.g. `{ loss: [...], val_loss: [...] }`. */
  history: Record<string, number[]> = {};
  /** The indices of the epochs that ran. */
  epoch: number[] = [];

  override onTrainBegin(): void {
    this.epoch = [];
  }

  override onEpochEnd(epoch: number, logs: Logs = {}): void {
    this.epoch.push(epoch);
    for (const [k, v] of Object.entries(logs)) {
      (this.history[k] ??= []).push(v);
    }
    if (this.model) this.model.history = this;
  }

  /** A MIME bundle for notebooks (the training chart) when a display module is loaded. */
  [Symbol.for("Jupyter.display")](): Record<string, unknown> | Promise<Record<string, unknown>> {
    if (historyDisplayHook.render) return historyDisplayHook.render(this);
    return { "text/plain": this.toString() };
  }

  override toString(): string {
    const keys = Object.keys(this.history);
    const last = keys.map((k) => `${k}: ${formatValue(this.history[k][this.history[k].length - 1])}`);
    return `History(${this.epoch.length} epoch${this.epoch.length === 1 ? "" : "s"}${last.length ? "; last " + last.join(", ") : ""})`;
  }

  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.toString();
  }
}
registerBuiltin("keras.callbacks", History);

function formatValue(v: number | undefined): string {
  if (v === undefined) return "-";
  return Math.abs(v) > 1e-3 ? v.toFixed(4) : v.toExponential(4);
}
