/**
 * tskeras's rich display: turns Keras objects into Jupyter MIME bundles.
 *
 * Importing this module installs the renderers that need no notebook
 * (`keras.utils.plotModel`'s Graphviz and PNG output, NumPy-style tensor
 * text, HTML model summaries for the display protocol, charts with a Node
 * SVG): `import "tskeras/display"` in a plain Node script makes `plotModel`
 * work there too.
 *
 * A kernel then calls {@link installNotebookDisplay} once with its
 * {@link DisplaySink}: from then on `model.summary()` shows an HTML table,
 * and `fit` / `evaluate` / `predict` show a live progress area and a
 * training chart instead of printing the terminal progress bar.
 *
 * `display/` never touches sockets: it only calls the sink.
 */
import { progbarHooks } from "../lib/callbacks/progbar-logger.js";
import { historyDisplayHook, type History } from "../lib/callbacks/history.js";
import { summaryDisplayHook, type SummarizableModel } from "../lib/utils/summary-utils.js";
import { displayHooks } from "../lib/utils/display-hooks.js";
import { chartDisplayHook, historyChartSpec, historyPoints, plotHistory } from "../lib/utils/history-plot.js";
import { Layer } from "../lib/layers/layer.js";
import { chartBundleWithSvg, preloadVega } from "./chart.js";
import { installPlotModelRenderer } from "./plot-model.js";
import { LiveTraining, type LiveTrainingOptions } from "./progress.js";
import { summaryBundle } from "./summary.js";
import { tensorBundle } from "./tensor.js";
import type { DisplaySink, MimeBundle } from "./sink.js";

export type { DisplaySink, DisplayOptions, MimeBundle } from "./sink.js";
export { summaryBundle, summaryHtml } from "./summary.js";
export { tensorBundle, tensorText, formatArrayValues, type ArrayFormatOptions } from "./tensor.js";
export { dotToSvg, svgToPng, screenSvg } from "./plot-model.js";
export { vegaLiteToSvg, compileVegaLite, chartBundleWithSvg } from "./chart.js";
export { LiveTraining, type LiveTrainingOptions } from "./progress.js";

/** Whether a layer is a model with layers (its bundle is the summary). */
function isModel(x: unknown): x is SummarizableModel & Layer {
  return x instanceof Layer && Array.isArray((x as { layers?: unknown }).layers) && "trainableWeights" in x;
}

/** The bundle of a layer or model: a built model shows its summary (HTML table + Keras text). */
export function layerBundle(layer: unknown): MimeBundle | null {
  if (!isModel(layer)) return null;
  if (!(layer as { built?: boolean }).built) return null;
  try {
    return summaryBundle(layer);
  } catch {
    return null;
  }
}

/** The bundle of a History: the chart of its curves (Vega-Lite + SVG). */
export function historyBundle(history: History): Promise<MimeBundle> {
  const plot = plotHistory(history);
  return chartBundleWithSvg(plot.spec, history.toString());
}

let renderersInstalled = false;

/**
 * Installs the renderers that need no notebook: plotModel (Graphviz, PNG),
 * and the bundles of models, tensors, histories and charts returned by the
 * `[Symbol.for("Jupyter.display")]()` methods. Done when this module is
 * imported; idempotent.
 */
export function installRenderers(): void {
  installPlotModelRenderer();
  displayHooks.layer = layerBundle;
  displayHooks.tensor = (t) => tensorBundle(t);
  historyDisplayHook.render = historyBundle;
  chartDisplayHook.render = chartBundleWithSvg;
  renderersInstalled = true;
}

installRenderers();

let live: LiveTraining | null = null;
let installedSink: DisplaySink | null = null;

/** Options of {@link installNotebookDisplay}. */
export interface NotebookDisplayOptions extends LiveTrainingOptions {}

/**
 * Makes tskeras show rich output through `sink` (call once when the kernel
 * starts; calling again replaces the sink):
 *
 * - `model.summary()` displays an HTML table plus Keras's text;
 * - `fit` (verbose 1 or "auto", and 2), `evaluate` and `predict` display a
 *   progress area updated in place, and `fit` a Vega-Lite chart of the loss
 *   and metrics updated after each epoch (and within long epochs);
 * - models, tensors, histories, plots returned as a cell's value display
 *   through their `[Symbol.for("Jupyter.display")]()` methods (the kernel
 *   turns them into bundles; installed on import already).
 */
export function installNotebookDisplay(sink: DisplaySink, options: NotebookDisplayOptions = {}): void {
  if (!renderersInstalled) installRenderers();
  installedSink = sink;
  live = new LiveTraining(sink, options);
  progbarHooks.factory = live.factory;
  progbarHooks.write = live.write;
  summaryDisplayHook.render = (model, summaryOptions) => {
    sink.display(summaryBundle(model, summaryOptions));
  };
  preloadVega();
}

/** Undoes {@link installNotebookDisplay}: terminal progress bars and text summaries again. Renderers stay. */
export function uninstallNotebookDisplay(): void {
  progbarHooks.factory = null;
  progbarHooks.write = null;
  summaryDisplayHook.render = null;
  live = null;
  installedSink = null;
}

/** Alias of {@link uninstallNotebookDisplay}. */
export const uninstall = uninstallNotebookDisplay;

/** The sink installed, or null. */
export function notebookDisplaySink(): DisplaySink | null {
  return installedSink;
}

/**
 * Resolves when every display started so far has been sent (training charts
 * render their SVG asynchronously). A kernel awaits this before it ends a
 * cell, so the last chart update belongs to the cell.
 */
export async function flushNotebookDisplay(): Promise<void> {
  if (live) await live.flush();
}

/** The Vega-Lite spec of a history's curves (the chart a History displays). */
export function historySpec(history: History, metrics?: string[]): Record<string, unknown> {
  return historyChartSpec(historyPoints(history, metrics), { metrics });
}
