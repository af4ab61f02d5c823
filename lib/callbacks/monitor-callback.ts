/**
 * MonitorCallback: the base of callbacks that watch a metric and decide
 * whether it improved (Keras's `callbacks/monitor_callback.py`), used by
 * EarlyStopping, ModelCheckpoint and ReduceLROnPlateau.
 */
import { Callback } from "./callback.js";
import { warn, type CallbackMetric } from "./model-api.js";

/** `"min"`: lower is better; `"max"`: higher is better; `"auto"`: inferred from the metric. */
export type MonitorMode = "auto" | "min" | "max";

/** A callback that monitors a quantity and tells improvements apart. */
export class MonitorCallback extends Callback {
  /** The log key watched, e.g. `"val_loss"`. */
  monitor: string;
  mode: MonitorMode;
  /** The best value so far (or the baseline / initial threshold), null before the first. */
  best: number | null;
  /** The minimum change that counts as an improvement (negated in min mode once the direction is known). */
  minDelta: number;
  /** `<` or `>`, chosen on the first epoch end. */
  monitorOp: ((a: number, b: number) => boolean) | null = null;
  private monitorOpIsLess = false;

  /**
   * @param monitor The log key. Default `"val_loss"`.
   * @param mode `"auto"` (default), `"min"` or `"max"`; unknown values warn and fall back to auto.
   * @param baseline The initial best value. Default null.
   * @param minDelta The minimum absolute change that counts as improvement. Default 0.
   */
  constructor(monitor = "val_loss", mode: string = "auto", baseline: number | null = null, minDelta = 0) {
    super();
    if (mode !== "auto" && mode !== "min" && mode !== "max") {
      warn(`${this.constructor.name} mode '${mode}' is unknown, fallback to auto mode.`);
      mode = "auto";
    }
    this.monitor = monitor;
    this.mode = mode as MonitorMode;
    this.best = baseline;
    this.minDelta = Math.abs(minDelta);
  }

  /** Chooses the comparison from the mode, or in auto mode from the metric's name and direction. */
  protected setMonitorOp(): void {
    let less: boolean | null = null;
    if (this.mode === "min") less = true;
    else if (this.mode === "max") less = false;
    else {
      const metricName = this.monitor.startsWith("val_") ? this.monitor.slice(4) : this.monitor;
      if (metricName === "loss") less = true;
      const metrics = (this.model as unknown as { metrics?: readonly CallbackMetric[] } | null)?.metrics;
      if (Array.isArray(metrics)) {
        for (const m of flattenMetrics(metrics)) {
          if (m.name === metricName && m.direction) less = m.direction !== "up";
        }
      }
      if (less === null) {
        throw new Error(
          `${this.constructor.name} callback received monitor=${this.monitor}, but Keras isn't able to ` +
            "automatically determine whether that metric should be maximized or minimized. Pass `mode: \"max\"` in " +
            'order to monitor based on the highest metric value, or pass `mode: "min"` in order to use the lowest value.',
        );
      }
    }
    this.monitorOpIsLess = less;
    this.monitorOp = less ? (a, b) => a < b : (a, b) => a > b;
    if (less) this.minDelta *= -1;
  }

  /** Whether the monitored op is "lower is better". */
  protected get lowerIsBetter(): boolean {
    return this.monitorOpIsLess;
  }

  /** Whether `value` improves on `reference` by more than minDelta (always true without a reference). */
  protected isImprovement(value: number, reference: number | null): boolean {
    if (reference === null || reference === undefined) return true;
    return this.monitorOp!(value - this.minDelta, reference);
  }
}

function flattenMetrics(metrics: readonly CallbackMetric[]): CallbackMetric[] {
  const out: CallbackMetric[] = [];
  for (const m of metrics) {
    out.push(m);
    if (Array.isArray(m.metrics)) out.push(...flattenMetrics(m.metrics));
  }
  return out;
}
