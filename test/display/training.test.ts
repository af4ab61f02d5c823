// Training charts and the live progress display: the Vega-Lite spec compiles,
// its Node SVG has one line path per series, History and plotHistory display
// it, and fit with the sink installed shows a progress area and a chart that
// are updated in place (update_display_data) at least once per epoch.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import * as keras from "../../lib/index.js";
import {
  compileVegaLite,
  flushNotebookDisplay,
  installNotebookDisplay,
  LiveTraining,
  uninstallNotebookDisplay,
  vegaLiteToSvg,
} from "../../display/index.js";
import { historyChartSpec, historyPoints, VEGALITE_MIME } from "../../lib/utils/history-plot.js";
import { progbarHooks } from "../../lib/callbacks/progbar-logger.js";
import { RecordingSink } from "./helpers.js";

const display = (x: unknown): unknown => (x as Record<symbol, () => unknown>)[Symbol.for("Jupyter.display")]();

/** Paths drawn by line marks in a Vega SVG: one per series. */
function linePaths(svg: string): number {
  let n = 0;
  for (const m of svg.matchAll(/<g class="mark-line role-mark[^"]*"[^>]*>([\s\S]*?)<\/g>/g)) n += (m[1].match(/<path /g) ?? []).length;
  return n;
}

const record = {
  accuracy: [0.5, 0.7, 0.8],
  loss: [0.9, 0.5, 0.3],
  val_accuracy: [0.55, 0.65, 0.75],
  val_loss: [0.8, 0.6, 0.4],
};

describe("training chart spec", () => {
  it("is Vega-Lite v5, compiles with vega-lite, one panel per metric, loss first", async () => {
    const spec = historyChartSpec(historyPoints(record));
    expect(spec.$schema).toBe("https://vega.github.io/schema/vega-lite/v5.json");
    expect((spec.facet as { sort: string[] }).sort).toEqual(["loss", "accuracy"]);
    expect((spec.data as { values: unknown[] }).values).toHaveLength(12);
    const vega = await compileVegaLite(spec);
    expect(vega.$schema).toMatch(/vega\/v\d/);
  });

  it("renders to SVG in Node with one line path per series", async () => {
    const svg = await vegaLiteToSvg(historyChartSpec(historyPoints(record)));
    expect(svg).toMatch(/^<svg/);
    expect(linePaths(svg)).toBe(4);
    const trainOnly = await vegaLiteToSvg(historyChartSpec(historyPoints({ loss: [1, 0.5], mae: [2, 1] })));
    expect(linePaths(trainOnly)).toBe(2);
  });

  it("plotHistory picks metrics; History displays the chart with an SVG", async () => {
    const plot = keras.utils.plotHistory({ history: record, epoch: [0, 1, 2] }, { metrics: ["loss"] });
    const values = (plot.spec.data as { values: { metric: string }[] }).values;
    expect(new Set(values.map((v) => v.metric))).toEqual(new Set(["loss"]));
    const bundle = (await display(plot)) as Record<string, unknown>;
    expect(Object.keys(bundle).sort()).toEqual(["image/svg+xml", VEGALITE_MIME, "text/plain"].sort());
    expect(linePaths(bundle["image/svg+xml"] as string)).toBe(2);
    expect(() => keras.utils.plotHistory({ history: record }, { metrics: ["auc"] })).toThrow(/no such metric in the history: auc/);
    const history = new keras.callbacks.History();
    history.history = { ...record };
    history.epoch = [0, 1, 2];
    const hb = (await display(history)) as Record<string, unknown>;
    expect(hb[VEGALITE_MIME]).toBeDefined();
    expect(linePaths(hb["image/svg+xml"] as string)).toBe(4);
    expect(hb["text/plain"]).toContain("History(3 epochs");
  });
});

describe("live training display", () => {
  beforeEach(() => {
    keras.backend.clearSession();
    keras.utils.setRandomSeed(1);
  });
  afterEach(() => uninstallNotebookDisplay());

  function data(n: number): { x: number[][]; y: number[] } {
    const x = Array.from({ length: n }, (_, i) => [Math.sin(i), Math.cos(i * 0.7)]);
    return { x, y: x.map(([a, b]) => (a + b > 0 ? 1 : 0)) };
  }

  function model(): keras.Sequential {
    const m = keras.Sequential([keras.layers.Input({ shape: [2] }), keras.layers.Dense(8, { activation: "relu" }), keras.layers.Dense(1, { activation: "sigmoid" })]);
    m.compile({ optimizer: "adam", loss: "binary_crossentropy", metrics: ["accuracy"] });
    return m;
  }

  it("fit shows a progress area and a chart, updated in place every epoch; nothing on stdout", async () => {
    const sink = new RecordingSink();
    installNotebookDisplay(sink);
    const written: string[] = [];
    const write = vi.spyOn(process.stdout, "write").mockImplementation((s: string | Uint8Array) => {
      written.push(String(s));
      return true;
    });
    const { x, y } = data(64);
    const epochs = 4;
    let history: keras.callbacks.History;
    try {
      history = (await model().fit(x, y, { epochs, batchSize: 16, validationSplit: 0.25 })) as keras.callbacks.History;
      await flushNotebookDisplay();
    } finally {
      write.mockRestore();
    }
    expect(written).toEqual([]);
    const ids = new Set(sink.messages.map((m) => m.displayId));
    expect(ids.size).toBe(2);
    const [progressId, chartId] = [...ids];
    const shown = sink.messages.filter((m) => m.type === "display_data");
    expect(shown.map((m) => m.displayId)).toEqual([progressId, chartId]);
    const progressUpdates = sink.messages.filter((m) => m.type === "update_display_data" && m.displayId === progressId);
    const chartUpdates = sink.messages.filter((m) => m.type === "update_display_data" && m.displayId === chartId);
    expect(progressUpdates.length).toBeGreaterThanOrEqual(epochs);
    expect(chartUpdates.length).toBeGreaterThanOrEqual(epochs - 1);
    // The progress area: HTML bar and Keras's lines as text.
    const progress = sink.outputs.find((o) => o.displayId === progressId)!.data;
    expect(progress["text/html"]).toContain('class="tskeras-progress"');
    expect(progress["text/html"]).toContain("Epoch 4/4");
    expect(progress["text/html"]).toContain('data-final="true"');
    const text = progress["text/plain"] as string;
    expect(text.split("\n").filter((l) => /^Epoch \d\/4$/.test(l))).toHaveLength(4);
    expect(text).toMatch(/3\/3 ━━━━━━━━━━━━━━━━━━━━ \d+s \d+m?s\/step - accuracy: \d\.\d{4} - loss: \d\.\d{4} - val_accuracy: \d\.\d{4} - val_loss: \d\.\d{4}/);
    // The chart: train and validation of loss and accuracy, all epochs, with its SVG.
    const chart = sink.outputs.find((o) => o.displayId === chartId)!.data;
    const values = ((chart[VEGALITE_MIME] as { data: { values: { epoch: number; split: string; metric: string; value: number }[] } }).data.values);
    expect(values.filter((v) => v.metric === "loss" && v.split === "train").map((v) => v.epoch)).toEqual([1, 2, 3, 4]);
    expect(values.filter((v) => v.metric === "loss" && v.split === "validation").map((v) => v.value)).toEqual(history!.history.val_loss);
    expect(linePaths(chart["image/svg+xml"] as string)).toBe(4);
    expect(chart["text/plain"]).toBe("Training curves: 4/4 epochs");
  });

  it("a second fit gets its own progress area and chart; evaluate gets a bar; uninstall restores the terminal bar", async () => {
    const sink = new RecordingSink();
    installNotebookDisplay(sink, { svg: false });
    const { x, y } = data(32);
    const m = model();
    await m.fit(x, y, { epochs: 2, batchSize: 16 });
    await m.fit(x, y, { epochs: 2, batchSize: 16 });
    await flushNotebookDisplay();
    expect(sink.count("display_data")).toBe(4);
    await m.evaluate(x, y, { batchSize: 16 });
    const last = sink.messages.at(-1)!;
    expect(last.data!["text/html"]).toContain("Evaluating");
    expect(sink.count("display_data")).toBe(5);
    uninstallNotebookDisplay();
    expect(progbarHooks.factory).toBeNull();
    const written: string[] = [];
    const write = vi.spyOn(process.stdout, "write").mockImplementation((s: string | Uint8Array) => {
      written.push(String(s));
      return true;
    });
    try {
      await m.fit(x, y, { epochs: 1, batchSize: 16 });
    } finally {
      write.mockRestore();
    }
    expect(written.join("")).toContain("━━━━━━━━━━━━━━━━━━━━");
    expect(sink.count("display_data")).toBe(5);
  });

  it("throttles redraws within an epoch and charts long epochs at fractional epochs", async () => {
    let t = 0;
    const sink = new RecordingSink();
    const live = new LiveTraining(sink, { now: () => t, svg: false });
    const bar = live.factory({ target: 100, verbose: 1, unitName: "step", mode: "train", epoch: 0, epochs: 2 });
    for (let step = 1; step < 100; step++) {
      t += 0.01; // 100 steps per second
      bar.update(step, [["loss", 1 / step]], false);
    }
    await live.flush();
    // 1 s of steps at most 5 redraws a second → about 5 progress messages.
    const progress = sink.messages.filter((m) => m.data && "text/html" in m.data);
    expect(progress.length).toBeGreaterThanOrEqual(4);
    expect(progress.length).toBeLessThanOrEqual(6);
    t += 0.5;
    bar.update(100, [["loss", 0.01]], false);
    await live.flush();
    const charts = sink.messages.filter((m) => m.data && VEGALITE_MIME in m.data);
    expect(charts.length).toBeGreaterThanOrEqual(1);
    const pts = (charts.at(-1)!.data![VEGALITE_MIME] as { data: { values: { epoch: number }[] } }).data.values;
    expect(pts[0].epoch).toBeGreaterThan(0.9);
    expect(pts[0].epoch).toBeLessThanOrEqual(1);
    bar.update(100, [["loss", 0.01]], true);
    await live.flush();
    const final = sink.messages.filter((m) => m.data && VEGALITE_MIME in m.data).at(-1)!;
    expect((final.data![VEGALITE_MIME] as { data: { values: { epoch: number }[] } }).data.values.map((v) => v.epoch)).toEqual([1]);
  });
});
