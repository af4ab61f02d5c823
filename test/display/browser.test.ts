// A real browser: headless Chromium (Debian's `chromium`, driven by
// playwright-core) opens a page made from the outputs of a notebook executed
// by `tskeras run` (test/display/fixtures/two-tower.ipynb: a kernel
// subprocess, the real protocol, display updates applied by display id as a
// front end does) — Vega-Lite charts drawn by vega-embed from node_modules,
// SVGs inline — and the test checks from the page that the training chart
// and the model graph are drawn. The page, the notebook and a screenshot are
// kept under test-artifacts/. No network: everything comes from node_modules.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { VEGALITE_MIME } from "../../lib/utils/history-plot.js";
import { ARTIFACTS } from "./helpers.js";
import { ensureBuilt, PACKAGE_ROOT } from "../kernel/helpers.js";
import type { MimeBundle } from "../../display/sink.js";

const CHROMIUM = "/usr/bin/chromium";
const NOTEBOOK = fileURLToPath(new URL("./fixtures/two-tower.ipynb", import.meta.url));

interface Output {
  output_type: "display_data" | "execute_result" | "stream" | "error";
  data?: MimeBundle;
  metadata?: Record<string, unknown>;
  text?: string;
}

interface Cell {
  cell_type: "code" | "markdown";
  source: string | string[];
  outputs?: Output[];
  execution_count?: number | null;
}

/** Runs the fixture notebook with `tskeras run` and returns its code cells as a front end ends up showing them. */
function executedNotebook(): Cell[] {
  ensureBuilt();
  mkdirSync(ARTIFACTS, { recursive: true });
  const out = join(ARTIFACTS, "display-executed.ipynb");
  const r = spawnSync(process.execPath, [join(PACKAGE_ROOT, "bin", "tskeras.js"), "run", NOTEBOOK, "--output", out], { encoding: "utf8", timeout: 240_000 });
  if (r.status !== 0) throw new Error(`tskeras run ${NOTEBOOK} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  const nb = JSON.parse(readFileSync(out, "utf8")) as { cells: Cell[] };
  return nb.cells.filter((c) => c.cell_type === "code");
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** The page of a notebook's outputs, as a front end draws each: Vega-Lite, SVG, HTML, PNG, else text. */
function notebookPage(cells: Cell[]): string {
  let chart = 0;
  const parts = cells.map((cell) => {
    const outs = (cell.outputs ?? []).map((o) => {
      const d = o.data ?? {};
      if (d[VEGALITE_MIME]) {
        const id = `vega-${chart++}`;
        return `<div class="output vega" id="${id}"></div><script type="application/json" data-for="${id}">${JSON.stringify(d[VEGALITE_MIME]).replace(/</g, "\\u003c")}</script>`;
      }
      if (typeof d["image/svg+xml"] === "string") return `<div class="output svg">${(d["image/svg+xml"] as string).replace(/<\?xml[^>]*\?>|<!DOCTYPE[^>]*>/g, "")}</div>`;
      if (typeof d["text/html"] === "string") return `<div class="output html">${d["text/html"]}</div>`;
      if (typeof d["image/png"] === "string") return `<div class="output png"><img src="data:image/png;base64,${d["image/png"]}"></div>`;
      return `<pre class="output text">${escapeHtml(String(d["text/plain"] ?? o.text ?? ""))}</pre>`;
    });
    const source = Array.isArray(cell.source) ? cell.source.join("") : cell.source;
    return `<section class="cell"><pre class="source">In [${cell.execution_count}]: ${escapeHtml(source)}</pre>${outs.join("")}</section>`;
  });
  return `<!doctype html><html><head><meta charset="utf-8"><title>tskeras display</title>
<style>body{font-family:sans-serif;margin:16px;width:1100px}.source{color:#303f9f;background:#f5f5f5;padding:4px}.output{margin:6px 0 14px}.svg svg{max-width:100%;height:auto}</style>
</head><body>${parts.join("\n")}</body></html>`;
}

const haveChromium = existsSync(CHROMIUM);

describe("the notebook's outputs in a real browser", () => {
  it.skipIf(!haveChromium && !process.env.CI)("headless Chromium draws the Vega-Lite chart and the model graph", { timeout: 300_000 }, async () => {
    const cells = executedNotebook();
    // (That the live chart is updated in place at least once per epoch is checked on the kernel's iopub
    // messages in test/notebooks/notebooks.test.ts; the runner applies the updates, as a front end does.)
    const html = notebookPage(cells);
    const pagePath = join(ARTIFACTS, "display-notebook.html");
    writeFileSync(pagePath, html);

    const { chromium } = await import("playwright-core");
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
    });
    try {
      const page = await browser.newPage({ viewport: { width: 1160, height: 900 } });
      const errors: string[] = [];
      page.on("pageerror", (e) => errors.push(String(e)));
      // Nothing may come from the network.
      await page.route(/^https?:/, (route) => {
        errors.push(`network request: ${route.request().url()}`);
        return route.abort();
      });
      await page.goto(`file://${pagePath}`);
      for (const lib of ["vega/build/vega.min.js", "vega-lite/build/vega-lite.min.js", "vega-embed/build/vega-embed.min.js"]) {
        await page.addScriptTag({ path: fileURLToPath(new URL(`../../node_modules/${lib}`, import.meta.url)) });
      }
      // Page-side code as text: this project's TypeScript has no DOM types.
      await page.evaluate(`(async () => {
        for (const script of document.querySelectorAll("script[data-for]")) {
          const el = document.getElementById(script.getAttribute("data-for"));
          await vegaEmbed(el, JSON.parse(script.textContent), { renderer: "svg", actions: false });
        }
      })()`);
      const drawn = (await page.evaluate(`(() => {
        const chart = document.querySelector(".vega svg");
        const chartBox = chart ? chart.getBoundingClientRect() : null;
        const graph = Array.from(document.querySelectorAll(".output.svg svg")).find((s) => s.querySelector("g.node"));
        const graphBox = graph ? graph.getBoundingClientRect() : null;
        const progress = document.querySelector(".tskeras-progress");
        return {
          lines: chart ? chart.querySelectorAll("g.mark-line path").length : 0,
          chartSize: chartBox ? [chartBox.width, chartBox.height] : [0, 0],
          nodes: graph ? graph.querySelectorAll("g.node").length : 0,
          edges: graph ? graph.querySelectorAll("g.edge").length : 0,
          graphSize: graphBox ? [graphBox.width, graphBox.height] : [0, 0],
          graphText: graph ? graph.textContent : "",
          summaryRows: document.querySelectorAll(".tskeras-summary-row").length,
          progress: progress ? progress.getAttribute("data-final") : null,
        };
      })()`)) as {
        lines: number;
        chartSize: number[];
        nodes: number;
        edges: number;
        graphSize: number[];
        graphText: string;
        summaryRows: number;
        progress: string | null;
      };
      await page.screenshot({ path: join(ARTIFACTS, "display-notebook.png"), fullPage: true });
      expect(errors).toEqual([]);
      // The final chart of the fit and the History chart: 4 curves each (loss, accuracy × train, validation).
      expect(drawn.lines).toBe(4);
      expect(drawn.chartSize[0]).toBeGreaterThan(300);
      expect(drawn.chartSize[1]).toBeGreaterThan(150);
      expect(drawn.nodes).toBe(7);
      expect(drawn.edges).toBe(6);
      expect(drawn.graphSize[0]).toBeGreaterThan(200);
      for (const name of ["input_a", "input_b", "dense_a", "dense_b", "concat", "bn", "head"]) expect(drawn.graphText).toContain(name);
      expect(drawn.summaryRows).toBe(7);
      expect(drawn.progress).toBe("true");
    } finally {
      await browser.close();
    }
  });
});
