/**
 * tskeras vs @tensorflow/tfjs-layers, side by side on the same tfjs backend:
 * training and inference throughput of the same models on the same data.
 *
 *   npm run bench                 # the full run (cpu and wasm, plus tensorflow / webgpu when present)
 *   npm run bench -- --quick      # fewer samples and runs (under 3 minutes on 2 cores)
 *   npm run bench -- --backends=wasm --only=mlp-train-b32,lstm-train-b64 --reps=5 --no-write
 *
 * Each backend runs in its own process (bench/worker.ts). Writes
 * bench/RESULTS.md and bench/results.json (unless --no-write).
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir, totalmem } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { WorkerConfig, WorkerResult, WorkloadConfig } from "./worker.js";

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
}

function parseArgs(argv: string[]): Options {
  const o: Options = { quick: false, backends: ["cpu", "wasm", "tensorflow", "webgpu"], only: null, reps: null, write: true, syncCheck: true };
  for (const a of argv) {
    const [k, v] = a.split("=", 2);
    if (k === "--quick") o.quick = true;
    else if (k === "--backends") o.backends = v.split(",").filter(Boolean);
    else if (k === "--only") o.only = v.split(",").filter(Boolean);
    else if (k === "--reps") o.reps = Number(v);
    else if (k === "--no-write") o.write = false;
    else if (k === "--no-sync-check") o.syncCheck = false;
    else if (k === "--help" || k === "-h") {
      process.stdout.write(
        "npm run bench -- [--quick] [--backends=cpu,wasm,tensorflow,webgpu] [--only=<workload ids>] [--reps=N] [--no-write] [--no-sync-check]\n",
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
 * 0.3 GFLOP/s for a matmul), so it gets fewer samples per timed run.
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
      w("mlp-train-b32", "mlp", "train", 32, slow ? 1024 : 2048, 3, 256),
      w("mlp-train-b128", "mlp", "train", 128, slow ? 2048 : 4096, 3, 512),
      w("mlp-predict-b1024", "mlp", "predict", 1024, 10000, 3, 2048),
      w("cnn-train-b64", "cnn", "train", 64, slow ? 128 : 512, 3, 64),
      w("lstm-train-b64", "lstm", "train", 64, slow ? 128 : 512, 3, 128),
    ];
  }
  return [
    w("mlp-train-b32", "mlp", "train", 32, 10000, slow ? 3 : 5, 1024),
    w("mlp-train-b128", "mlp", "train", 128, 10000, slow ? 3 : 5, 1024),
    w("mlp-predict-b1024", "mlp", "predict", 1024, 10000, 7, 2048),
    w("cnn-train-b64", "cnn", "train", 64, slow ? 512 : 2048, slow ? 3 : 5, 128),
    w("lstm-train-b64", "lstm", "train", 64, slow ? 512 : 2048, slow ? 3 : 5, 128),
  ];
}

const DESCRIPTIONS: Record<string, string> = {
  "mlp-train-b32": "MLP 784-128-64-10, training, batch 32",
  "mlp-train-b128": "MLP 784-128-64-10, training, batch 128",
  "mlp-predict-b1024": "MLP 784-128-64-10, predict, batch 1024",
  "cnn-train-b64": "CNN (Conv2D 32, 64), training, batch 64",
  "lstm-train-b64": "LSTM(64) x 50 steps + Dense(1), training, batch 64",
};

function runWorker(config: WorkerConfig): Promise<WorkerResult> {
  const dir = mkdtempSync(join(tmpdir(), "tskeras-bench-"));
  const cfg = join(dir, "config.json");
  const out = join(dir, "out.json");
  writeFileSync(cfg, JSON.stringify(config));
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [join(here, "worker.js"), cfg, out], {
      stdio: ["ignore", "pipe", "inherit"],
      env: { ...process.env, KERAS_BACKEND: config.backend },
    });
    let buf = "";
    child.stdout.on("data", (d: Buffer) => {
      buf += d.toString();
      let i: number;
      while ((i = buf.indexOf("\n")) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        // The worker's own lines; the progress bars of the verbose-1 sync check are dropped.
        if (line.startsWith("[bench]")) process.stdout.write(line + "\n");
      }
    });
    child.on("error", reject);
    child.on("exit", (code) => {
      try {
        if (code !== 0) throw new Error(`the ${config.backend} worker exited with code ${code}`);
        resolvePromise(JSON.parse(readFileSync(out, "utf8")) as WorkerResult);
      } catch (e) {
        reject(e);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
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

function rowsOf(r: WorkerResult): Row[] {
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

function markdown(opts: Options, results: WorkerResult[], started: Date, seconds: number, load: { start: number[]; end: number[] }): string {
  const first = results.find((r) => !r.skipped)?.info ?? {};
  const lines: string[] = [];
  lines.push("# Benchmarks: tskeras vs @tensorflow/tfjs-layers");
  lines.push("");
  lines.push(
    "Training and inference throughput (samples/s, higher is better) of the same models, with the same initial weights, the same data, " +
      "the same batch sizes and the same optimizer settings, in tskeras and in `@tensorflow/tfjs-layers` " +
      `${String(first.tfjsLayers ?? "4.22.0")}, on the same tfjs backend in the same process. ` +
      "Each figure is the median over the timed runs; the two libraries alternate run by run (which goes first flips every run), " +
      "after one unmeasured warm-up run each. Ratio = tskeras / tfjs-layers.",
  );
  lines.push("");
  lines.push("## Machine");
  lines.push("");
  lines.push(`- CPU: ${String(first.cpu ?? cpus()[0]?.model)}, ${String(first.logicalCores ?? cpus().length)} logical cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB`);
  lines.push(`- Node ${String(first.node ?? process.version)}, @tensorflow/tfjs-core ${String(first.tfjsCore ?? "?")}`);
  lines.push(`- Run: ${started.toISOString()}, ${opts.quick ? "quick mode (`--quick`)" : "full mode"}, ${seconds.toFixed(0)} s`);
  lines.push(
    `- Load average (1 min) at start ${load.start[0].toFixed(2)}, at end ${load.end[0].toFixed(2)}` +
      (Math.max(load.start[0], load.end[0]) > 1.5
        ? ": **the machine was shared with other jobs during this run**, so absolute figures are lower and noisier than on an idle machine; both libraries were affected alike (alternating runs)."
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
    const extra: string[] = [`tfjs backend \`${String(r.info.tfBackend)}\``];
    if (r.info.wasmThreads !== undefined) extra.push(`wasm threads: ${String(r.info.wasmThreads)}, SIMD: ${String(r.info.wasmSimd)}`);
    lines.push(extra.join("; ") + ".");
    lines.push("");
    lines.push("| workload | batch | samples/run x runs | tskeras (samples/s) | tfjs-layers (samples/s) | ratio | target | |");
    lines.push("|---|---:|---:|---:|---:|---:|---:|---|");
    for (const row of rowsOf(r)) {
      const mark = row.met === null ? "" : row.met ? "met" : "**not met**";
      lines.push(
        `| ${row.description} | ${row.batchSize} | ${row.samples} x ${row.reps} | ${f0(row.tskeras?.median)} | ${row.tfjsLayers ? f0(row.tfjsLayers.median) : "cannot run"} | ${f2(row.ratio)} | ${row.target === null ? "" : ">= " + row.target} | ${mark} |`,
      );
    }
    lines.push("");
    const notes: string[] = [];
    for (const row of rowsOf(r)) {
      for (const [lib, err] of Object.entries(row.errors)) notes.push(`${row.id}: ${lib} could not run: ${err}`);
      for (const [lib, n] of Object.entries(row.leakedTensors)) if (n > 0) notes.push(`${row.id}: ${lib} left ${n} tensors behind per run`);
    }
    if (r.backend === "wasm") {
      notes.push(
        "tfjs-backend-wasm has no Conv2DBackpropFilter kernel; tskeras registers one (lib/backend/wasm-kernels.ts) in the shared kernel registry, " +
          "which is what lets tfjs-layers train the CNN here at all (alone, it cannot).",
      );
    }
    for (const n of notes) lines.push(`- ${n}`);
    if (notes.length) lines.push("");
    if (r.syncCheck?.length) {
      lines.push("Device-to-CPU reads during one `fit` of the MLP (20 batches of 32):");
      lines.push("");
      lines.push("| library | verbose | reads |");
      lines.push("|---|---:|---:|");
      for (const s of r.syncCheck) lines.push(`| ${s.lib} | ${s.verbose} | ${s.reads} |`);
      lines.push("");
    }
  }
  lines.push("## How to rerun");
  lines.push("");
  lines.push("```");
  lines.push("npm run bench                 # full run: cpu and wasm (tensorflow and webgpu too when they start), writes bench/RESULTS.md and bench/results.json");
  lines.push("npm run bench -- --quick      # fewer samples and runs, a few minutes");
  lines.push("npm run bench -- --backends=wasm --only=mlp-train-b32 --reps=7 --no-write   # one figure, nothing written");
  lines.push("TSKERAS_WASM_THREADS=0 npm run bench -- --backends=wasm   # wasm backend without worker threads");
  lines.push("```");
  lines.push("");
  lines.push(
    "`npm run bench` compiles the library and bench/ (bench/tsconfig.json) into dist/ and runs dist/bench/run.js; each backend runs in its own " +
      "process (dist/bench/worker.js). The models are defined in bench/models.ts (test/bench/bench-models.test.ts checks that they build and train in both libraries). " +
      "Per-sample timings of every run are in bench/results.json. Profiles: bench/PROFILE.md.",
  );
  lines.push("");
  return lines.join("\n");
}

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  const started = new Date();
  const t0 = performance.now();
  const loadStart = loadavg();
  const results: WorkerResult[] = [];
  for (const backend of opts.backends) {
    let ws = workloads(backend, opts.quick);
    if (opts.only) ws = ws.filter((w) => opts.only!.includes(w.id));
    if (opts.reps) ws = ws.map((w) => ({ ...w, reps: opts.reps! }));
    process.stdout.write(`[bench] backend ${backend}: ${ws.map((w) => w.id).join(", ")}\n`);
    const r = await runWorker({ backend, workloads: ws, syncCheck: opts.syncCheck && (backend === "wasm" || backend === "cpu") });
    if (r.skipped) process.stdout.write(`[bench] ${backend}: skipped: ${r.skipped}\n`);
    results.push(r);
  }
  const seconds = (performance.now() - t0) / 1000;
  const md = markdown(opts, results, started, seconds, { start: loadStart, end: loadavg() });
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
