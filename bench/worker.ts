/**
 * One library on one backend, in its own process, driven by bench/run.ts over
 * IPC: `node dist/bench/worker.js <tskeras|tfjs-layers> <backend>`.
 *
 * The tskeras worker imports tskeras (its engine starts the backend, with its
 * extra wasm kernels and wasm threads); the tfjs-layers worker imports only
 * tfjs-core, the stock backend package and tfjs-layers, as a tfjs-layers user
 * has them. The orchestrator alternates the timed runs between the two.
 */
import { performance } from "node:perf_hooks";
import { cpus, loadavg } from "node:os";
import { benchData, type BenchModel, type Lib, type ModelId } from "./data.js";
import type * as tfTypes from "@tensorflow/tfjs-core";

/** One workload: a model, a task, a batch size, how many samples per timed run, how many runs. */
export interface WorkloadConfig {
  id: string;
  model: ModelId;
  task: "train" | "predict";
  batchSize: number;
  samples: number;
  reps: number;
  /** Samples of the unmeasured warm-up run. */
  warmupSamples: number;
}

/**
 * Reads of tensor values back to JavaScript (`tf.engine().read` and
 * `readSync`, which `data()`, `dataSync()`, `array()` go through) during one
 * fit. Kernels' own peeks at their inputs (the wasm Gather kernel checks its
 * indices) are not counted: they are no device-to-CPU transfer.
 */
export interface SyncCheck {
  lib: Lib;
  verbose: 0 | 1;
  batches: number;
  reads: number;
}

export type Request =
  | { cmd: "start" }
  | { cmd: "prepare"; workload: WorkloadConfig }
  | { cmd: "run" }
  | { cmd: "release" }
  | { cmd: "syncCheck" }
  | { cmd: "exit" };

export type Reply =
  | { type: "started"; actualBackend: string; info: Record<string, unknown>; error?: string }
  | { type: "prepared"; error?: string }
  | { type: "ran"; samplesPerSec: number; leakedTensors: number }
  | { type: "released" }
  | { type: "syncChecked"; checks: SyncCheck[] }
  | { type: "error"; error: string };

const [libArg, backendArg] = process.argv.slice(2);
const lib = libArg as Lib;
const backendName = backendArg;

let tf: typeof tfTypes;
let build: (id: ModelId) => BenchModel;
let current: { w: WorkloadConfig; model: BenchModel; x: tfTypes.Tensor; y: tfTypes.Tensor } | null = null;
const dataCache = new Map<string, { x: tfTypes.Tensor; y: tfTypes.Tensor }>();

function firstLine(e: unknown): string {
  return String(e instanceof Error ? e.message : e).split("\n")[0];
}

async function start(): Promise<Reply> {
  let actualBackend = backendName;
  let error: string | undefined;
  const info: Record<string, unknown> = { lib, node: process.version, cpu: cpus()[0]?.model ?? "unknown", logicalCores: cpus().length, loadavg: loadavg() };
  if (lib === "tskeras") {
    process.env.KERAS_BACKEND = backendName;
    const m = await import("./models-tskeras.js");
    tf = m.tf as unknown as typeof tfTypes;
    build = m.buildTskeras;
    const b = m.backendInfo();
    actualBackend = b.name;
    if (b.name !== backendName) error = b.skipped.join("; ") || `tskeras chose ${b.name}`;
    else if (b.cpuFallbackAdapter && process.env.TSKERAS_BENCH_ALLOW_CPU_WEBGPU !== "1") {
      error = `the only WebGPU adapter is a CPU fallback (${b.cpuFallbackAdapter}); set TSKERAS_BENCH_ALLOW_CPU_WEBGPU=1 to measure it anyway`;
    }
  } else {
    const m = await import("./models-tfjs-layers.js");
    tf = m.tf;
    build = m.buildTfjsLayers;
    try {
      await m.startStockBackend(backendName);
    } catch (e) {
      error = firstLine(e);
    }
    actualBackend = tf.getBackend();
    info.tfjsLayers = m.tfl.version_layers;
  }
  info.tfjsCore = tf.version_core;
  info.tfBackend = tf.getBackend();
  if (tf.getBackend() === "wasm") {
    const wasm = (await import("@tensorflow/tfjs-backend-wasm")) as { getThreadsCount(): number };
    info.wasmThreads = wasm.getThreadsCount();
    info.wasmSimd = await tf.env().getAsync("WASM_HAS_SIMD_SUPPORT");
  }
  return { type: "started", actualBackend, info, error };
}

function dataFor(model: ModelId, samples: number): { x: tfTypes.Tensor; y: tfTypes.Tensor } {
  const key = `${model}:${samples}`;
  let d = dataCache.get(key);
  if (!d) {
    d = benchData(model, samples);
    dataCache.set(key, d);
  }
  return d;
}

async function once(model: BenchModel, w: WorkloadConfig, x: tfTypes.Tensor, y: tfTypes.Tensor): Promise<void> {
  if (w.task === "train") await model.fit(x, y, w.batchSize);
  else await model.predict(x, w.batchSize);
}

async function prepare(w: WorkloadConfig): Promise<Reply> {
  release();
  const { x, y } = dataFor(w.model, w.samples);
  let model: BenchModel | null = null;
  try {
    model = build(w.model);
    // The warm-up compiles kernels, builds the optimizer and lets the JIT settle.
    const n = Math.min(w.warmupSamples, w.samples);
    const wx = tf.slice(x, 0, n);
    const wy = tf.slice(y, 0, n);
    try {
      await once(model, w, wx, wy);
    } finally {
      tf.dispose([wx, wy]);
    }
    current = { w, model, x, y };
    return { type: "prepared" };
  } catch (e) {
    model?.dispose();
    return { type: "prepared", error: firstLine(e) };
  }
}

async function run(): Promise<Reply> {
  if (!current) return { type: "error", error: "run before prepare" };
  const { w, model, x, y } = current;
  const before = tf.memory().numTensors;
  const t0 = performance.now();
  await once(model, w, x, y);
  const dt = performance.now() - t0;
  return { type: "ran", samplesPerSec: (w.samples / dt) * 1000, leakedTensors: tf.memory().numTensors - before };
}

function release(): void {
  current?.model.dispose();
  current = null;
}

/** Counts the device-to-CPU reads of one MLP fit (20 batches of 32), silent and with the progress bar. */
async function syncCheck(): Promise<Reply> {
  const backend = tf.engine() as unknown as Record<"read" | "readSync", (id: unknown) => unknown>;
  const { x, y } = benchData("mlp", 640);
  const checks: SyncCheck[] = [];
  try {
    for (const verbose of [0, 1] as const) {
      const model = build("mlp");
      await model.fit(x, y, 32, 0);
      let reads = 0;
      const orig = { read: backend.read, readSync: backend.readSync };
      for (const k of ["read", "readSync"] as const) {
        backend[k] = function (this: unknown, id: unknown) {
          reads++;
          return orig[k].call(this, id);
        };
      }
      try {
        await model.fit(x, y, 32, verbose);
      } finally {
        delete (backend as Partial<typeof backend>).read;
        delete (backend as Partial<typeof backend>).readSync;
        if (backend.read !== orig.read) backend.read = orig.read;
        if (backend.readSync !== orig.readSync) backend.readSync = orig.readSync;
      }
      model.dispose();
      checks.push({ lib, verbose, batches: 20, reads });
    }
  } finally {
    tf.dispose([x, y]);
  }
  return { type: "syncChecked", checks };
}

async function handle(req: Request): Promise<Reply | null> {
  switch (req.cmd) {
    case "start":
      return start();
    case "prepare":
      return prepare(req.workload);
    case "run":
      return run();
    case "release":
      release();
      return { type: "released" };
    case "syncCheck":
      return syncCheck();
    case "exit":
      release();
      for (const d of dataCache.values()) tf.dispose([d.x, d.y]);
      process.exit(0);
  }
}

if (!process.send) {
  process.stderr.write("bench/worker.js is started by bench/run.js (it talks over IPC).\n");
  process.exit(2);
}
// The progress bars of the verbose-1 sync check go to stdout, which the orchestrator drops.
let queue = Promise.resolve();
process.on("message", (req: Request) => {
  queue = queue.then(async () => {
    let reply: Reply | null;
    try {
      reply = await handle(req);
    } catch (e) {
      reply = { type: "error", error: firstLine(e) };
    }
    if (reply) process.send!(reply);
  });
});
process.on("disconnect", () => process.exit(0));
