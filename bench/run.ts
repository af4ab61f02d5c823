/**
 * tskeras vs @tensorflow/tfjs-layers, side by side on the same tfjs backend:
 * training and inference throughput of the same models on the same data.
 *
 *   npm run bench                 # the full run (cpu and wasm, plus tensorflow / webgpu when present)
 *   npm run bench -- --quick      # fewer samples and runs (under 3 minutes on 2 cores)
 *   npm run bench -- --backends=wasm --only=mlp-train-b32,lstm-train-b64 --reps=5 --no-write
 *   npm run bench -- --kernels-only --cells=200   # the kernel comparison alone (bench/kernels.ts), nothing written
 *
 * Each backend runs in its own process (bench/worker.ts). Writes
 * bench/RESULTS.md and bench/results.json (unless --no-write).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { writeFileSync } from "node:fs";
import { cpus, loadavg, totalmem } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { LIBS, type Lib } from "./data.js";
import type { Reply, Request, SyncCheck, WorkloadConfig } from "./worker.js";
import { kernelMarkdown, runKernelBench, type KernelBenchResult } from "./kernels.js";

const here = dirname(fileURLToPath(import.meta.url));
/** bench/ in the source tree (this file runs from dist/bench/). */
const benchDir = resolve(here, "..", "..", "bench");

interface Options {
  quick: boolean;
  backends: string[];
  only: string[] | null;
  reps: number | null;
  write: boolean;
  syncCheck: boolean;
  /** Run the kernel comparison (default true); `--kernels-only` runs nothing else. */
  kernels: boolean;
  kernelsOnly: boolean;
  /** Cells per kernel series (default 200, 50 in quick mode). */
  cells: number | null;
}

function parseArgs(argv: string[]): Options {
  const o: Options = {
    quick: false,
    backends: ["cpu", "wasm", "tensorflow", "webgpu"],
    only: null,
    reps: null,
    write: true,
    syncCheck: true,
    kernels: true,
    kernelsOnly: false,
    cells: null,
  };
  for (const a of argv) {
    const [k, v] = a.split("=", 2);
    if (k === "--quick") o.quick = true;
    else if (k === "--backends") o.backends = v.split(",").filter(Boolean);
    else if (k === "--only") o.only = v.split(",").filter(Boolean);
    else if (k === "--reps") o.reps = Number(v);
    else if (k === "--no-write") o.write = false;
    else if (k === "--no-sync-check") o.syncCheck = false;
    else if (k === "--no-kernels") o.kernels = false;
    else if (k === "--kernels-only") {
      o.kernelsOnly = true;
      o.write = false; // RESULTS.md holds a whole run
    }
    else if (k === "--cells") o.cells = Number(v);
    else if (k === "--help" || k === "-h") {
      process.stdout.write(
        "npm run bench -- [--quick] [--backends=cpu,wasm,tensorflow,webgpu] [--only=<workload ids>] [--reps=N] [--no-write] [--no-sync-check] [--no-kernels | --kernels-only] [--cells=N]\n",
      );
      process.exit(0);
    } else throw new Error(`unknown option ${a}`);
  }
  return o;
}

/** The comparison targets (tskeras / tfjs-layers) from issue 10, by backend and workload. */
const TARGETS: Record<string, Record<string, number>> = {
  wasm: { "mlp-train-b32": 2, "mlp-train-b128": 1.5, "mlp-predict-b1024": 1.2, "lstm-train-b64": 2 },
  cpu: { "cnn-train-b64": 1.0 },
};

/**
 * The workloads. The cpu backend is slow (plain JavaScript kernels, about
 * 0.3 GFLOP/s for a matmul, far less for the convolution gradients: a few
 * CNN samples per second), so it gets fewer samples per timed run.
 */
function workloads(backend: string, quick: boolean): WorkloadConfig[] {
  const slow = backend === "cpu";
  const w = (
    id: string,
    model: WorkloadConfig["model"],
    task: WorkloadConfig["task"],
    batchSize: number,
    samples: number,
    reps: number,
    warmupSamples: number,
  ): WorkloadConfig => ({ id, model, task, batchSize, samples, reps, warmupSamples });
  if (quick) {
    return [
      w("mlp-train-b32", "mlp", "train", 32, slow ? 512 : 2048, 3, 256),
      w("mlp-train-b128", "mlp", "train", 128, slow ? 1024 : 4096, 3, 512),
      w("mlp-predict-b1024", "mlp", "predict", 1024, slow ? 2048 : 10000, 3, 2048),
      w("cnn-train-b64", "cnn", "train", 64, slow ? 32 : 256, slow ? 2 : 3, slow ? 8 : 64),
      w("lstm-train-b64", "lstm", "train", 64, slow ? 64 : 512, 3, slow ? 16 : 128),
    ];
  }
  return [
    w("mlp-train-b32", "mlp", "train", 32, 10000, slow ? 3 : 5, 1024),
    w("mlp-train-b128", "mlp", "train", 128, 10000, slow ? 3 : 5, 1024),
    w("mlp-predict-b1024", "mlp", "predict", 1024, 10000, slow ? 3 : 7, 2048),
    w("cnn-train-b64", "cnn", "train", 64, slow ? 128 : 2048, slow ? 3 : 5, slow ? 16 : 128),
    w("lstm-train-b64", "lstm", "train", 64, slow ? 256 : 2048, slow ? 3 : 5, slow ? 32 : 128),
  ];
}

const DESCRIPTIONS: Record<string, string> = {
  "mlp-train-b32": "MLP 784-128-64-10, training, batch 32",
  "mlp-train-b128": "MLP 784-128-64-10, training, batch 128",
  "mlp-predict-b1024": "MLP 784-128-64-10, predict, batch 1024",
  "cnn-train-b64": "CNN (Conv2D 32, 64), training, batch 64",
  "lstm-train-b64": "LSTM(64) x 50 steps + Dense(1), training, batch 64",
};

/** A worker process and a way to ask it one thing at a time. */
class Worker {
  private readonly child: ChildProcess;
  private waiting: ((r: Reply) => void) | null = null;
  private exited: string | null = null;
  constructor(readonly lib: Lib, readonly backend: string) {
    this.child = spawn(process.execPath, [join(here, "worker.js"), lib, backend], {
      stdio: ["ignore", "pipe", "inherit", "ipc"],
      env: { ...process.env, KERAS_BACKEND: backend },
    });
    // Stdout carries only the progress bars of the verbose-1 sync check: dropped.
    this.child.stdout?.resume();
    this.child.on("message", (r: Reply) => {
      const w = this.waiting;
      this.waiting = null;
      w?.(r);
    });
    this.child.on("exit", (code) => {
      this.exited = `the ${lib} worker (${backend}) exited with code ${code}`;
      const w = this.waiting;
      this.waiting = null;
      w?.({ type: "error", error: this.exited });
    });
  }
  ask(req: Request): Promise<Reply> {
    if (this.exited) return Promise.resolve({ type: "error", error: this.exited });
    return new Promise((res) => {
      this.waiting = res;
      this.child.send(req);
    });
  }
  close(): void {
    if (!this.exited) this.child.send({ cmd: "exit" } satisfies Request);
  }
}

/** What one backend's run gave. */
interface BackendResult {
  backend: string;
  skipped?: string;
  info: Record<string, Record<string, unknown>>;
  workloads: {
    id: string;
    config: WorkloadConfig;
    runs: Record<string, number[]>;
    leakedTensors: Record<string, number>;
    errors: Record<string, string>;
  }[];
  syncCheck?: SyncCheck[];
}

function log(msg: string): void {
  process.stdout.write(`[bench] ${msg}\n`);
}

async function runBackend(backend: string, ws: WorkloadConfig[], syncCheck: boolean): Promise<BackendResult> {
  const result: BackendResult = { backend, info: {}, workloads: [] };
  const workers = new Map<Lib, Worker>();
  try {
    const startErrors: Record<string, string> = {};
    for (const lib of LIBS) {
      const w = new Worker(lib, backend);
      const r = await w.ask({ cmd: "start" });
      if (r.type !== "started") {
        startErrors[lib] = r.type === "error" ? r.error : "did not start";
        w.close();
        continue;
      }
      result.info[lib] = r.info;
      if (r.error) {
        startErrors[lib] = r.error;
        w.close();
        if (lib === "tskeras") {
          result.skipped = `backend "${backend}" is not available here (${r.error})`;
          return result;
        }
        continue;
      }
      workers.set(lib, w);
    }
    if (!workers.has("tskeras")) {
      result.skipped = `tskeras could not start backend "${backend}" (${startErrors.tskeras ?? "unknown"})`;
      return result;
    }
    for (const wl of ws) {
      const res: BackendResult["workloads"][number] = { id: wl.id, config: wl, runs: {}, leakedTensors: {}, errors: {} };
      const active: Lib[] = [];
      for (const lib of LIBS) {
        const w = workers.get(lib);
        if (!w) {
          res.errors[lib] = startErrors[lib] ?? "did not start";
          continue;
        }
        const r = await w.ask({ cmd: "prepare", workload: wl });
        if (r.type === "prepared" && !r.error) {
          active.push(lib);
          res.runs[lib] = [];
          res.leakedTensors[lib] = 0;
        } else {
          res.errors[lib] = r.type === "prepared" || r.type === "error" ? (r.error ?? "failed") : "failed";
          log(`${backend} ${wl.id}: ${lib} cannot run it: ${res.errors[lib]}`);
        }
      }
      for (let rep = 0; rep < wl.reps; rep++) {
        // Alternate which library goes first.
        const order = rep % 2 === 0 ? active : [...active].reverse();
        for (const lib of order) {
          const r = await workers.get(lib)!.ask({ cmd: "run" });
          if (r.type !== "ran") throw new Error(`${backend} ${wl.id} ${lib}: ${r.type === "error" ? r.error : r.type}`);
          res.runs[lib].push(r.samplesPerSec);
          res.leakedTensors[lib] = Math.max(res.leakedTensors[lib], r.leakedTensors);
        }
      }
      for (const lib of active) await workers.get(lib)!.ask({ cmd: "release" });
      log(`${backend} ${wl.id}: ` + Object.entries(res.runs).map(([l, r]) => `${l} ${median(r).toFixed(0)}/s`).join(", ") + (res.runs.tskeras && res.runs["tfjs-layers"] ? `, ratio ${(median(res.runs.tskeras) / median(res.runs["tfjs-layers"])).toFixed(2)}` : ""));
      result.workloads.push(res);
    }
    if (syncCheck) {
      result.syncCheck = [];
      for (const [lib, w] of workers) {
        const r = await w.ask({ cmd: "syncCheck" });
        if (r.type === "syncChecked") result.syncCheck.push(...r.checks);
        else log(`${backend}: sync check of ${lib} failed: ${r.type === "error" ? r.error : r.type}`);
      }
    }
    return result;
  } finally {
    for (const w of workers.values()) w.close();
  }
}

function median(xs: number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

interface Row {
  id: string;
  description: string;
  batchSize: number;
  samples: number;
  reps: number;
  tskeras: { median: number; runs: number[] } | null;
  tfjsLayers: { median: number; runs: number[] } | null;
  ratio: number | null;
  target: number | null;
  met: boolean | null;
  leakedTensors: Record<string, number>;
  errors: Record<string, string>;
}

function rowsOf(r: BackendResult): Row[] {
  return r.workloads.map((w) => {
    const k = w.runs["tskeras"];
    const t = w.runs["tfjs-layers"];
    const km = k ? median(k) : NaN;
    const tm = t ? median(t) : NaN;
    const ratio = k && t ? km / tm : null;
    const target = TARGETS[r.backend]?.[w.id] ?? null;
    return {
      id: w.id,
      description: DESCRIPTIONS[w.id] ?? w.id,
      batchSize: w.config.batchSize,
      samples: w.config.samples,
      reps: w.config.reps,
      tskeras: k ? { median: km, runs: k } : null,
      tfjsLayers: t ? { median: tm, runs: t } : null,
      ratio,
      target,
      met: target === null || ratio === null ? null : ratio >= target,
      leakedTensors: w.leakedTensors,
      errors: w.errors,
    };
  });
}

const f0 = (x: number | undefined | null): string => (x === undefined || x === null || !Number.isFinite(x) ? "-" : x.toFixed(0));
const f2 = (x: number | undefined | null): string => (x === undefined || x === null || !Number.isFinite(x) ? "-" : x.toFixed(2));

function describeSide(info: Record<string, unknown> | undefined): string {
  if (!info) return "did not start";
  const parts = [`tfjs backend \`${String(info.tfBackend)}\``];
  if (info.wasmThreads !== undefined) parts.push(`${String(info.wasmThreads)} wasm thread(s), SIMD ${String(info.wasmSimd)}`);
  return parts.join(", ");
}

function markdown(
  opts: Options,
  results: BackendResult[],
  kernels: KernelBenchResult | null,
  started: Date,
  seconds: number,
  load: { start: number[]; end: number[] },
): string {
  const ran = results.find((r) => !r.skipped);
  const k = ran?.info.tskeras ?? {};
  const t = results.map((r) => r.info["tfjs-layers"]).find((i) => i !== undefined) ?? {};
  const lines: string[] = [];
  lines.push("# Benchmarks: tskeras vs @tensorflow/tfjs-layers, and its kernel vs Deno's and tslab's");
  lines.push("");
  lines.push(
    "Training and inference throughput (samples/s, higher is better) of the same models (bench/models-*.ts), with the same initial weights, " +
      "the same data, the same batch sizes and the same optimizer settings (Adam, Keras's defaults), in tskeras and in " +
      `\`@tensorflow/tfjs-layers\` ${String(t.tfjsLayers ?? "4.22.0")}, on the same tfjs backend. ` +
      "Each library runs in its own Node process: tskeras as `import * as keras from \"tskeras\"` gives it (its engine, its extra wasm kernels, " +
      "wasm worker threads), tfjs-layers on the stock tfjs packages as a tfjs-layers user has them (tfjs-core, the backend package, tfjs-layers). " +
      "The timed runs alternate between the two processes (which library goes first flips every run), after one unmeasured warm-up run each; " +
      "one run is one epoch of `fit` (shuffled, `verbose: 0`) or one `predict` over the samples, read back. " +
      "Figures are medians over the runs. Ratio = tskeras / tfjs-layers.",
  );
  lines.push("");
  lines.push("## Machine");
  lines.push("");
  lines.push(`- CPU: ${String(k.cpu ?? cpus()[0]?.model)}, ${String(k.logicalCores ?? cpus().length)} logical cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM`);
  lines.push(`- Node ${String(k.node ?? process.version)}, @tensorflow/tfjs-core ${String(k.tfjsCore ?? t.tfjsCore ?? "?")}`);
  lines.push(`- Run: ${started.toISOString()}, ${opts.quick ? "quick mode (`--quick`)" : "full mode"}, ${seconds.toFixed(0)} s`);
  lines.push(
    `- Load average (1 min) at start ${load.start[0].toFixed(2)}, at end ${load.end[0].toFixed(2)}` +
      (Math.max(load.start[0], load.end[0]) > 1.5
        ? ": **the machine was shared with other jobs during this run**, so absolute figures are lower and noisier than on an idle machine; " +
          "both libraries were exposed alike (alternating runs), but with 2 threads tskeras is the more sensitive to a busy second core."
        : "."),
  );
  lines.push("");
  for (const r of results) {
    lines.push(`## Backend: ${r.backend}`);
    lines.push("");
    if (r.skipped) {
      lines.push(`Not run: ${r.skipped}.`);
      lines.push("");
      continue;
    }
    lines.push(`tskeras: ${describeSide(r.info.tskeras)}. tfjs-layers: ${describeSide(r.info["tfjs-layers"])}.`);
    lines.push("");
    lines.push("| workload | batch | samples/run x runs | tskeras (samples/s) | tfjs-layers (samples/s) | ratio | target | |");
    lines.push("|---|---:|---:|---:|---:|---:|---:|---|");
    const rows = rowsOf(r);
    for (const row of rows) {
      const mark = row.met === null ? "" : row.met ? "met" : "**not met**";
      lines.push(
        `| ${row.description} | ${row.batchSize} | ${row.samples} x ${row.reps} | ${row.tskeras ? f0(row.tskeras.median) : "cannot run"} | ${row.tfjsLayers ? f0(row.tfjsLayers.median) : "cannot run"} | ${f2(row.ratio)} | ${row.target === null ? "" : ">= " + row.target} | ${mark} |`,
      );
    }
    lines.push("");
    const notes: string[] = [];
    for (const row of rows) {
      for (const [lib, err] of Object.entries(row.errors)) notes.push(`${row.id}: ${lib} cannot run it: ${err}`);
      for (const [lib, n] of Object.entries(row.leakedTensors)) if (n > 0) notes.push(`${row.id}: ${lib} left ${n} tensors behind per run`);
    }
    for (const n of notes) lines.push(`- ${n}`);
    if (notes.length) lines.push("");
    if (r.syncCheck?.length) {
      lines.push("Reads of tensor values back to JavaScript (`data()`, `dataSync()`: `tf.engine().read`/`readSync`) during one `fit` of the MLP, 20 batches of 32:");
      lines.push("");
      lines.push("| library | verbose | reads |");
      lines.push("|---|---:|---:|");
      for (const s of r.syncCheck) lines.push(`| ${s.lib} | ${s.verbose} | ${s.reads} |`);
      lines.push("");
    }
  }
  if (kernels) lines.push(kernelMarkdown(kernels));
  lines.push("## How to rerun");
  lines.push("");
  lines.push("```");
  lines.push("npm run bench                 # full run: cpu and wasm (tensorflow and webgpu too when they start); writes bench/RESULTS.md and bench/results.json");
  lines.push("npm run bench -- --quick      # fewer samples and runs (under 3 minutes on 2 cores)");
  lines.push("npm run bench -- --backends=wasm --only=mlp-train-b32,lstm-train-b64 --reps=7 --no-write   # some figures, nothing written");
  lines.push("TSKERAS_WASM_THREADS=1 npm run bench -- --backends=wasm   # tskeras on one wasm thread, like tfjs-layers");
  lines.push("npm run bench -- --kernels-only --cells=200 --no-write   # the kernel comparison alone (node dist/bench/kernels.js does the same)");
  lines.push("```");
  lines.push("");
  lines.push(
    "`npm run bench` compiles the library and bench/ (bench/tsconfig.json) into dist/ and runs dist/bench/run.js, which starts one process per library " +
      "and backend (dist/bench/worker.js) and alternates the timed runs between them. Every run's figure is in bench/results.json. " +
      "test/bench/bench-models.test.ts checks that the models build and train in both libraries. Where the time goes: bench/PROFILE.md.",
  );
  lines.push("");
  return lines.join("\n");
}

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  const started = new Date();
  const t0 = performance.now();
  const loadStart = loadavg();
  const results: BackendResult[] = [];
  for (const backend of opts.kernelsOnly ? [] : opts.backends) {
    let ws = workloads(backend, opts.quick);
    if (opts.only) ws = ws.filter((w) => opts.only!.includes(w.id));
    if (opts.reps) ws = ws.map((w) => ({ ...w, reps: opts.reps! }));
    process.stdout.write(`[bench] backend ${backend}: ${ws.map((w) => w.id).join(", ")}\n`);
    const r = await runBackend(backend, ws, opts.syncCheck && (backend === "wasm" || backend === "cpu"));
    if (r.skipped) process.stdout.write(`[bench] ${backend}: skipped: ${r.skipped}\n`);
    results.push(r);
  }
  let kernels: KernelBenchResult | null = null;
  if (opts.kernels || opts.kernelsOnly) {
    kernels = await runKernelBench({ cells: opts.cells ?? (opts.quick ? 50 : 200), log });
  }
  const seconds = (performance.now() - t0) / 1000;
  const md = markdown(opts, results, kernels, started, seconds, { start: loadStart, end: loadavg() });
  process.stdout.write("\n" + md);
  if (opts.write) {
    const json = {
      date: started.toISOString(),
      mode: opts.quick ? "quick" : "full",
      seconds,
      loadavg: { start: loadStart, end: loadavg() },
      backends: Object.fromEntries(
        results.map((r) => [
          r.backend,
          r.skipped ? { skipped: r.skipped } : { info: r.info, workloads: rowsOf(r), syncCheck: r.syncCheck ?? [] },
        ]),
      ),
      kernels,
    };
    writeFileSync(join(benchDir, "results.json"), JSON.stringify(json, null, 2) + "\n");
    writeFileSync(join(benchDir, "RESULTS.md"), md);
    process.stdout.write(`\n[bench] wrote ${join(benchDir, "RESULTS.md")} and results.json\n`);
  }
}

main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
