/**
 * The course notebooks of notebooks/, run end to end through the kernel:
 *
 * - every notebook through `tskeras run` (the CLI, a kernel subprocess, the
 *   real protocol), two at a time; any error fails its test. 01-first-contact
 *   runs through the same runner in this process with a recording iopub
 *   observer, for issue 5's display "Must show": a summary table, a plotModel
 *   SVG, a Vega-Lite chart and at least one update_display_data per epoch;
 * - one notebook through Debian's `jupyter nbconvert --to notebook --execute`
 *   with the tskeras kernelspec installed into a temp prefix.
 *
 * The kernels run on the default backend (the automatic choice, wasm on a
 * machine without a GPU), not the cpu backend vitest.config.ts pins for unit
 * tests; TSKERAS_NOTEBOOK_BACKEND picks another. Each notebook must finish in
 * TSKERAS_NOTEBOOK_LIMIT_S seconds (default 240: twice the 2-minute budget of
 * a notebook, as two run side by side). The executed notebooks and their
 * times are kept in test-artifacts/notebooks/. TSKERAS_NOTEBOOKS (a comma
 * list of names) runs only some.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { checkPython, ensureBuilt, installTempKernelspec, PACKAGE_ROOT, SYSTEM_PYTHON } from "../kernel/helpers.js";
import { runNotebook, type Notebook, type NotebookOutput } from "../../kernel/run-notebook.js";
import type { Message } from "../../kernel/protocol/message.js";

const NOTEBOOKS_DIR = join(PACKAGE_ROOT, "notebooks");
const ARTIFACTS = join(PACKAGE_ROOT, "test-artifacts", "notebooks");
const ALL_NOTEBOOKS = readdirSync(NOTEBOOKS_DIR).filter((f) => f.endsWith(".ipynb")).sort();
/** TSKERAS_NOTEBOOKS="01-first-contact,04-convnets" runs only those (the display test needs 01). */
const ONLY = process.env.TSKERAS_NOTEBOOKS?.split(",").map((n) => n.trim().replace(/(\.ipynb)?$/, ".ipynb"));
const NOTEBOOKS = ONLY ? ALL_NOTEBOOKS.filter((n) => ONLY.includes(n)) : ALL_NOTEBOOKS;
const DISPLAY_NOTEBOOK = "01-first-contact.ipynb";
const NBCONVERT_NOTEBOOK = "05-text.ipynb";
const LIMIT_S = Number(process.env.TSKERAS_NOTEBOOK_LIMIT_S ?? 240);
const PARALLEL = 2;

/** The environment of the kernels: the default backend (or TSKERAS_NOTEBOOK_BACKEND), temp files in `tmp`. */
function kernelEnv(tmp: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
  // An empty KERAS_BACKEND counts as unset: the automatic choice.
  env.KERAS_BACKEND = process.env.TSKERAS_NOTEBOOK_BACKEND ?? "";
  env.TMPDIR = tmp;
  return env;
}

interface Executed {
  notebook: Notebook;
  seconds: number;
  /** The CLI's exit code and output (absent for the in-process run). */
  code?: number | null;
  log: string;
  /** iopub messages (the in-process run only). */
  iopub: Message[];
}

let work: string;
const results = new Map<string, Promise<Executed>>();

/** `tskeras run NB --output OUT`, as a user runs it. */
function runCli(name: string): Promise<Executed> {
  const out = join(ARTIFACTS, name);
  return new Promise((resolve) => {
    const t0 = performance.now();
    const p = spawn(process.execPath, [join(PACKAGE_ROOT, "bin", "tskeras.js"), "run", join(NOTEBOOKS_DIR, name), "--output", out, "--timeout", String(LIMIT_S)], {
      env: kernelEnv(work),
    });
    let log = "";
    p.stdout.on("data", (d: Buffer) => (log += d.toString()));
    p.stderr.on("data", (d: Buffer) => (log += d.toString()));
    const killer = setTimeout(() => p.kill("SIGKILL"), (LIMIT_S + 60) * 1000);
    p.on("close", (code) => {
      clearTimeout(killer);
      let notebook: Notebook = { nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [] };
      try {
        notebook = JSON.parse(readFileSync(out, "utf8")) as Notebook;
      } catch {
        /* reported by the test through the exit code and the log */
      }
      resolve({ notebook, seconds: (performance.now() - t0) / 1000, code, log, iopub: [] });
    });
  });
}

/** The same runner in this process, recording every iopub message. */
async function runRecorded(name: string): Promise<Executed> {
  const nb = JSON.parse(readFileSync(join(NOTEBOOKS_DIR, name), "utf8")) as Notebook;
  const iopub: Message[] = [];
  const t0 = performance.now();
  const { notebook, failed } = await runNotebook(nb, {
    cwd: NOTEBOOKS_DIR,
    timeoutMs: LIMIT_S * 1000,
    kernel: { env: kernelEnv(work) },
    onIopub: (m) => iopub.push(m),
  });
  const seconds = (performance.now() - t0) / 1000;
  writeFileSync(join(ARTIFACTS, name), JSON.stringify(notebook, null, 1) + "\n");
  const log = failed ? `cell ${failed.index} failed ("${failed.firstLine}"): ${failed.ename}: ${failed.evalue}` : "";
  return { notebook, seconds, log, iopub };
}

beforeAll(() => {
  ensureBuilt();
  mkdirSync(ARTIFACTS, { recursive: true });
  work = mkdtempSync(join(tmpdir(), "tskeras-notebooks-"));
  // A pool of PARALLEL runners over the notebooks, the display notebook first; each test awaits its own.
  const queue = [...NOTEBOOKS.filter((n) => n === DISPLAY_NOTEBOOK), ...NOTEBOOKS.filter((n) => n !== DISPLAY_NOTEBOOK)];
  const resolvers = new Map<string, (r: Executed) => void>();
  for (const name of queue) results.set(name, new Promise((r) => resolvers.set(name, r)));
  const worker = async (): Promise<void> => {
    for (let name = queue.shift(); name !== undefined; name = queue.shift()) {
      const r = await (name === DISPLAY_NOTEBOOK ? runRecorded(name) : runCli(name)).catch(
        (e: unknown): Executed => ({ notebook: { nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [] }, seconds: 0, code: -1, log: String(e), iopub: [] }),
      );
      resolvers.get(name)!(r);
    }
  };
  for (let i = 0; i < PARALLEL; i++) void worker();
});

afterAll(async () => {
  // Wait for runs still going (a failed test does not stop the pool), then record the times.
  const all = await Promise.all([...results].map(async ([name, p]) => [name, await p] as const));
  const times = Object.fromEntries(all.map(([name, r]) => [name, Math.round(r.seconds * 10) / 10]));
  writeFileSync(join(ARTIFACTS, "times.json"), JSON.stringify(times, null, 1) + "\n");
  if (work) rmSync(work, { recursive: true, force: true });
});

type Output = NotebookOutput & { data?: Record<string, unknown> };

function joined(v: unknown): string {
  return Array.isArray(v) ? v.join("") : String(v ?? "");
}

function errorsOf(nb: Notebook): string[] {
  const errs: string[] = [];
  nb.cells.forEach((c, i) => {
    for (const o of (c.outputs ?? []) as Output[]) {
      if (o.output_type === "error") errs.push(`cell ${i}: ${o.ename}: ${o.evalue}`);
      if (o.output_type === "stream" && o.name === "stderr" && /\bError\b/.test(o.text)) errs.push(`cell ${i} stderr: ${o.text.slice(0, 300)}`);
    }
  });
  return errs;
}

describe("the course notebooks", () => {
  it("are nbformat 4 TypeScript notebooks for the tskeras kernel, each stating its goal first", () => {
    expect(ALL_NOTEBOOKS.length).toBeGreaterThanOrEqual(9);
    for (const name of ALL_NOTEBOOKS) {
      const nb = JSON.parse(readFileSync(join(NOTEBOOKS_DIR, name), "utf8")) as Notebook;
      expect(nb.nbformat, name).toBe(4);
      expect(nb.metadata.kernelspec, name).toEqual({ name: "tskeras", display_name: "TypeScript (Keras)", language: "typescript" });
      expect(nb.cells[0]!.cell_type, name).toBe("markdown");
      expect(joined(nb.cells[0]!.source), name).toMatch(/\*\*Goal\.\*\*/);
      const code = nb.cells.filter((c) => c.cell_type === "code");
      // The last code cell is the check that throws when the model did not learn.
      expect(joined(code[code.length - 1]!.source), name).toMatch(/throw new Error/);
    }
  });

  for (const name of NOTEBOOKS) {
    it(`${name} runs end to end without an error`, { timeout: (LIMIT_S + 90) * NOTEBOOKS.length * 1000 }, async () => {
      const r = await results.get(name)!;
      if (r.code !== undefined) expect(r.code, r.log).toBe(0);
      expect(r.log, r.log).not.toMatch(/cell \d+ failed/);
      expect(errorsOf(r.notebook)).toEqual([]);
      const code = r.notebook.cells.filter((c) => c.cell_type === "code");
      expect(code.length).toBeGreaterThan(0);
      for (const c of code) expect(c.execution_count, `${name}: a cell did not run`).toBeGreaterThan(0);
      // The check cell ran and said so.
      const last = code[code.length - 1]!;
      expect(((last.outputs ?? []) as Output[]).map((o) => (o.output_type === "stream" ? o.text : "")).join("")).toMatch(/^OK/m);
      expect(r.seconds, `${name} took ${r.seconds.toFixed(0)} s`).toBeLessThan(LIMIT_S);
    });
  }

  it.skipIf(!NOTEBOOKS.includes(DISPLAY_NOTEBOOK))(`${DISPLAY_NOTEBOOK} shows a summary table, a plotModel graph and a live chart updated every epoch`, { timeout: (LIMIT_S + 90) * NOTEBOOKS.length * 1000 }, async () => {
    const r = await results.get(DISPLAY_NOTEBOOK)!;
    expect(r.log).toBe("");
    const bundles = (type: string) => r.iopub.filter((m) => m.header.msg_type === type).map((m) => m.content as { data: Record<string, unknown>; transient?: { display_id?: string } });
    const shown = [...bundles("display_data"), ...bundles("execute_result")];

    // model.summary(): an HTML table with Keras's columns, and Keras's text.
    const summary = shown.find((b) => typeof b.data["text/html"] === "string" && (b.data["text/html"] as string).includes("Param #"));
    expect(summary, "no summary table").toBeDefined();
    const html = summary!.data["text/html"] as string;
    for (const col of ["Layer (type)", "Output Shape", "Param #"]) expect(html).toContain(col);
    expect(html).toMatch(/<table/);
    expect(String(summary!.data["text/plain"])).toContain('Model: "digits_mlp"');
    expect(html).toMatch(/Total params/);

    // plotModel: an SVG graph whose text names every layer of the model.
    const svgText = (svg: string): string[] => [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]!.trim());
    const graph = shown
      .map((b) => b.data["image/svg+xml"])
      .find((s): s is string => typeof s === "string" && s.includes('class="node"') && svgText(s).includes("dense_2"));
    expect(graph, "no plotModel SVG naming the layers").toBeDefined();
    for (const layer of ["dense", "dropout", "dense_1", "dense_2"]) expect(svgText(graph!)).toContain(layer);

    // fit: a Vega-Lite chart, created once and updated in place at least once per epoch.
    const vegaMime = "application/vnd.vegalite.v5+json";
    const chart = bundles("display_data").find((b) => b.data[vegaMime] !== undefined);
    expect(chart, "no Vega-Lite chart").toBeDefined();
    const chartId = chart!.transient?.display_id;
    expect(chartId).toBeTruthy();
    const updates = bundles("update_display_data").filter((b) => b.transient?.display_id === chartId && b.data[vegaMime] !== undefined);
    const fitCell = r.notebook.cells.find((c) => joined(c.source).includes("model.fit("))!;
    const epochs = Number(/epochs:\s*(\d+)/.exec(joined(fitCell.source))![1]);
    expect(updates.length).toBeGreaterThanOrEqual(epochs);
    // The last update has every epoch of the training and validation curves.
    type Row = { metric?: string; split?: string; epoch?: number };
    const spec = updates[updates.length - 1]!.data[vegaMime] as { data?: { values?: Row[] }; datasets?: Record<string, Row[]> };
    const rows = spec.data?.values ?? Object.values(spec.datasets ?? {}).flat();
    for (let epoch = 1; epoch <= epochs; epoch++) {
      for (const metric of ["loss", "accuracy"]) {
        for (const split of ["train", "validation"]) {
          expect(rows.some((r) => r.epoch === epoch && r.metric === metric && r.split === split), `${metric} ${split} epoch ${epoch}`).toBe(true);
        }
      }
    }
    // Every chart bundle also carries a server-side SVG for front ends without Vega-Lite.
    expect(typeof updates[updates.length - 1]!.data["image/svg+xml"]).toBe("string");
  });
});

describe("a course notebook through a standard Jupyter client", () => {
  it(`jupyter nbconvert --to notebook --execute runs ${NBCONVERT_NOTEBOOK}`, { timeout: 600_000 }, async () => {
    checkPython(["nbconvert", "nbclient"]);
    const { jupyterPath, prefix } = installTempKernelspec();
    const home = mkdtempSync(join(tmpdir(), "tskeras-nbconvert-"));
    try {
      const env = {
        ...kernelEnv(home),
        JUPYTER_PATH: jupyterPath,
        JUPYTER_CONFIG_DIR: join(home, "config"),
        JUPYTER_RUNTIME_DIR: join(home, "runtime"),
        JUPYTER_DATA_DIR: join(home, "data"),
        JUPYTER_PLATFORM_DIRS: "1",
        PYTHONNOUSERSITE: "1",
      };
      const out = await new Promise<{ code: number | null; log: string }>((resolve) => {
        // The notebook runs where it lives (it reads data/ beside it); the result goes to the temp folder.
        const args = ["-m", "nbconvert", "--to", "notebook", "--execute", "--ExecutePreprocessor.timeout=600", "--output-dir", home, "--output", "executed.ipynb", join(NOTEBOOKS_DIR, NBCONVERT_NOTEBOOK)];
        const p = spawn(SYSTEM_PYTHON, args, { cwd: NOTEBOOKS_DIR, env });
        let log = "";
        p.stdout.on("data", (d: Buffer) => (log += d.toString()));
        p.stderr.on("data", (d: Buffer) => (log += d.toString()));
        const killer = setTimeout(() => p.kill("SIGKILL"), 590_000);
        p.on("close", (code) => {
          clearTimeout(killer);
          resolve({ code, log });
        });
      });
      expect(out.code, out.log).toBe(0);
      const nb = JSON.parse(readFileSync(join(home, "executed.ipynb"), "utf8")) as Notebook;
      expect(errorsOf(nb)).toEqual([]);
      const code = nb.cells.filter((c) => c.cell_type === "code");
      for (const c of code) expect(c.execution_count).toBeGreaterThan(0);
      const last = code[code.length - 1]!;
      expect(((last.outputs ?? []) as Output[]).map((o) => (o.output_type === "stream" ? joined(o.text) : "")).join("")).toMatch(/^OK/m);
      // The training cell's live chart ended as the final chart (nbclient applies update_display_data).
      const fitCell = code.find((c) => joined(c.source).includes("model.fit("))!;
      expect(((fitCell.outputs ?? []) as Output[]).some((o) => o.data?.["application/vnd.vegalite.v5+json"] !== undefined)).toBe(true);
      writeFileSync(join(ARTIFACTS, `nbconvert-${NBCONVERT_NOTEBOOK}`), JSON.stringify(nb, null, 1) + "\n");
    } finally {
      rmSync(prefix, { recursive: true, force: true });
      rmSync(home, { recursive: true, force: true });
    }
  });
});
