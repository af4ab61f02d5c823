/**
 * Training curves as a Vega-Lite v5 chart: `keras.utils.plotHistory(history)`
 * and the spec that notebooks draw live during `fit` and for a `History`.
 *
 * The spec is plain JSON: one panel per loss or metric (`loss` first, then the
 * others in log order), training and validation curves in each
 * (`val_<name>` is the validation curve of `<name>`), epochs 1-based on x.
 * `display/` adds a server-side SVG rendering for front ends without a
 * Vega-Lite renderer (see {@link chartDisplayHook}).
 */
import type { MimeBundle } from "./display-hooks.js";

/** The MIME type of Vega-Lite v5 specs in Jupyter. */
export const VEGALITE_MIME = "application/vnd.vegalite.v5+json";

/** One point of a training curve. */
export interface CurvePoint {
  /** The panel: the metric's name without `val_` (`"loss"`, `"accuracy"`). */
  metric: string;
  /** `"train"` or `"validation"`. */
  split: "train" | "validation";
  /** 1-based epoch; fractional for a point inside a running epoch. */
  epoch: number;
  /** The value. */
  value: number;
}

/** A Vega-Lite spec (JSON). */
export type VegaLiteSpec = Record<string, unknown>;

/** Options of {@link historyChartSpec} and {@link plotHistory}. */
export interface HistoryChartOptions {
  /** Only these metrics (names without `val_`, e.g. `["loss"]`). Default: all. */
  metrics?: readonly string[];
  /** Chart title. Default none. */
  title?: string;
  /** Width of each panel in pixels. Default 260. */
  width?: number;
  /** Height of each panel in pixels. Default 160. */
  height?: number;
  /** Panels per row. Default 2. */
  columns?: number;
  /** The total number of epochs planned, to fix the x axis while training runs. */
  epochs?: number;
}

/** Something with a Keras history: a `History` (`history.history`) or the record itself. */
export type HistoryLike = { history: Record<string, readonly number[]>; epoch?: readonly number[] } | Record<string, readonly number[]>;

function recordOf(h: HistoryLike): { record: Record<string, readonly number[]>; epochs: readonly number[] | null } {
  const maybe = h as { history?: unknown; epoch?: unknown };
  if (maybe.history && typeof maybe.history === "object" && !Array.isArray(maybe.history)) {
    return {
      record: maybe.history as Record<string, readonly number[]>,
      epochs: Array.isArray(maybe.epoch) ? (maybe.epoch as number[]) : null,
    };
  }
  return { record: h as Record<string, readonly number[]>, epochs: null };
}

/** The metric names of a log record in panel order: `loss` first, then in order of appearance, `val_` merged. */
export function metricNames(keys: Iterable<string>): string[] {
  const names: string[] = [];
  for (const k of keys) {
    const base = k.startsWith("val_") ? k.slice(4) : k;
    if (!names.includes(base)) names.push(base);
  }
  names.sort((a, b) => (a === "loss" ? -1 : b === "loss" ? 1 : 0));
  return names;
}

/** The points of a history record (`{ loss: [...], val_loss: [...] }`), epochs 1-based. */
export function historyPoints(h: HistoryLike, metrics?: readonly string[]): CurvePoint[] {
  const { record, epochs } = recordOf(h);
  const wanted = metrics ? new Set(metrics) : null;
  const points: CurvePoint[] = [];
  for (const [key, values] of Object.entries(record)) {
    const validation = key.startsWith("val_");
    const metric = validation ? key.slice(4) : key;
    if (wanted && !wanted.has(metric)) continue;
    values.forEach((value, i) => {
      if (typeof value !== "number" || !Number.isFinite(value)) return;
      const epoch = (epochs && epochs.length === values.length ? epochs[i] : i) + 1;
      points.push({ metric, split: validation ? "validation" : "train", epoch, value });
    });
  }
  return points;
}

/**
 * The Vega-Lite v5 spec of training curves: one panel per metric, a line
 * (with points) per split, colours fixed (train blue, validation orange).
 */
export function historyChartSpec(points: readonly CurvePoint[], options: HistoryChartOptions = {}): VegaLiteSpec {
  const order = metricNames(points.map((p) => p.metric));
  const filtered = options.metrics ? points.filter((p) => options.metrics!.includes(p.metric)) : points;
  const panels = options.metrics ? order.filter((m) => options.metrics!.includes(m)) : order;
  const maxEpoch = Math.max(options.epochs ?? 1, ...filtered.map((p) => Math.ceil(p.epoch)));
  const spec: VegaLiteSpec = {
    $schema: "https://vega.github.io/schema/vega-lite/v5.json",
    description: "Training curves: loss and metrics per epoch, training and validation.",
    data: { values: filtered.map((p) => ({ ...p })) },
    facet: { field: "metric", type: "nominal", title: null, sort: panels, header: { labelFontSize: 13, labelFontWeight: "bold" } },
    columns: Math.max(1, Math.min(options.columns ?? 2, panels.length || 1)),
    spec: {
      width: options.width ?? 260,
      height: options.height ?? 160,
      mark: { type: "line", point: { filled: true, size: 30 }, strokeWidth: 2 },
      encoding: {
        x: {
          field: "epoch",
          type: "quantitative",
          title: "Epoch",
          scale: { domain: [maxEpoch > 1 ? 1 : 0, maxEpoch] },
          axis: { tickMinStep: 1, format: "d" },
        },
        y: { field: "value", type: "quantitative", title: null, scale: { zero: false } },
        color: {
          field: "split",
          type: "nominal",
          title: null,
          scale: { domain: ["train", "validation"], range: ["#1f77b4", "#ff7f0e"] },
          legend: { orient: "top" },
        },
        tooltip: [
          { field: "metric", type: "nominal" },
          { field: "split", type: "nominal" },
          { field: "epoch", type: "quantitative", format: ".2f" },
          { field: "value", type: "quantitative", format: ".4f" },
        ],
      },
    },
    resolve: { scale: { y: "independent" } },
  };
  if (options.title) spec.title = options.title;
  return spec;
}

/**
 * Set by `display/`: adds renderings to a chart bundle (an `image/svg+xml`
 * drawn in Node with vega). Without it a chart displays as the Vega-Lite
 * spec and a text summary.
 */
export const chartDisplayHook: {
  render: ((spec: VegaLiteSpec, text: string) => MimeBundle | Promise<MimeBundle>) | null;
} = { render: null };

/** A bundle for a chart: the hook's, else the Vega-Lite spec and the text. */
export function chartBundle(spec: VegaLiteSpec, text: string): MimeBundle | Promise<MimeBundle> {
  return chartDisplayHook.render?.(spec, text) ?? { [VEGALITE_MIME]: spec, "text/plain": text };
}

/** Text of the last values of a record, e.g. `loss: 0.1234 - val_loss: 0.2345`. */
function lastValuesText(record: Record<string, readonly number[]>, metrics?: readonly string[]): string {
  return Object.entries(record)
    .filter(([k]) => !metrics || metrics.includes(k.startsWith("val_") ? k.slice(4) : k))
    .map(([k, v]) => `${k}: ${v.length ? Number(v[v.length - 1]).toPrecision(4) : "-"}`)
    .join(" - ");
}

/** The result of {@link plotHistory}: a Vega-Lite chart that displays in notebooks. */
export class HistoryPlot {
  constructor(
    /** The Vega-Lite v5 spec. */
    readonly spec: VegaLiteSpec,
    /** A text summary (the last values). */
    readonly text: string,
  ) {}

  /** A MIME bundle for notebooks: the Vega-Lite spec (and an SVG when `display/` is loaded). */
  [Symbol.for("Jupyter.display")](): MimeBundle | Promise<MimeBundle> {
    return chartBundle(this.spec, this.text);
  }

  toString(): string {
    return this.text;
  }

  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.toString();
  }
}

/**
 * Plots the curves of a `History` (or of its `history` record): one panel per
 * metric, training and validation. `metrics` picks a subset (names without
 * `val_`).
 *
 * ```ts
 * const history = await model.fit(x, y, { epochs: 10, validationSplit: 0.2 });
 * keras.utils.plotHistory(history, { metrics: ["loss"] })
 * ```
 */
export function plotHistory(history: HistoryLike, options: HistoryChartOptions = {}): HistoryPlot {
  const { record, epochs } = recordOf(history);
  if (options.metrics) {
    const known = metricNames(Object.keys(record));
    const missing = options.metrics.filter((m) => !known.includes(m));
    if (missing.length) {
      throw new Error(`plotHistory: no such metric in the history: ${missing.join(", ")}. Known: ${known.join(", ") || "(none)"}.`);
    }
  }
  const spec = historyChartSpec(historyPoints(history, options.metrics), options);
  const n = epochs?.length ?? Math.max(0, ...Object.values(record).map((v) => v.length));
  const text = `History plot (${n} epoch${n === 1 ? "" : "s"}${n ? "; last " + lastValuesText(record, options.metrics) : ""})`;
  return new HistoryPlot(spec, text);
}
