/**
 * One backend's share of the benchmark, in its own process (the backend is
 * chosen when tskeras is imported): `node dist/bench/worker.js <config.json> <out.json>`.
 * Runs each workload with tskeras and with tfjs-layers, alternating which
 * goes first, after an unmeasured warm-up of each, and writes the raw timings.
 * bench/run.ts starts it; see there for the options.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { cpus, loadavg } from "node:os";
import type { Tensor } from "../lib/backend/tfjs.js";

/** What run.ts asks of a worker. */
export interface WorkerConfig {
  backend: string;
  workloads: WorkloadConfig[];
  /** Also count the device-to-CPU reads per fit (verbose 0 and 1). */
  syncCheck: boolean;
}

/** One workload: a model, a task, a batch size, how many samples per timed run, how many runs. */
export interface WorkloadConfig {
  id: string;
  model: "mlp" | "cnn" | "lstm";
  task: "train" | "predict";
  batchSize: number;
  samples: number;
  reps: number;
  /** Samples of the unmeasured warm-up run of each library. */
  warmupSamples: number;
}

/** What a worker writes. */
export interface WorkerResult {
  backend: string;
  /** The backend tskeras actually runs on (differs when the requested one did not start). */
  actualBackend: string;
  skipped?: string;
  info: Record<string, unknown>;
  workloads: WorkloadResult[];
  syncCheck?: SyncCheck[];
}

export interface WorkloadResult {
  id: string;
  config: WorkloadConfig;
  /** Per library: samples/s of each timed run, in run order. */
  runs: Record<string, number[]>;
  /** Per library: tensors left behind per run (should be 0). */
  leakedTensors: Record<string, number>;
  /** Per library: why it could not run this workload. */
  errors: Record<string, string>;
}

export interface SyncCheck {
  lib: string;
  verbose: 0 | 1;
  batches: number;
  /** Device-to-CPU reads (backend.read + backend.readSync) during one fit. */
  reads: number;
}

function log(msg: string): void {
  process.stdout.write(`[bench] ${msg}\n`);
}

async function main(): Promise<void> {
  const [configPath, outPath] = process.argv.slice(2);
  const config = JSON.parse(readFileSync(configPath, "utf8")) as WorkerConfig;
  process.env.KERAS_BACKEND = config.backend;
  const m = await import("./models.js");
  const { keras, tf, tfl } = m;
  const specs = { mlp: m.MLP, cnn: m.CNN, lstm: m.LSTM };
  const actual = keras.backend.backend();
  const info: Record<string, unknown> = {
    node: process.version,
    cpu: cpus()[0]?.model ?? "unknown",
    logicalCores: cpus().length,
    tfjsCore: tf.version_core,
    tfjsLayers: tfl.version_layers,
    tfBackend: tf.getBackend(),
    loadavgStart: loadavg(),
  };
  if (actual === "wasm") {
    const wasm = (await import("@tensorflow/tfjs-backend-wasm")) as { getThreadsCount(): number };
    info.wasmThreads = wasm.getThreadsCount();
    info.wasmSimd = await tf.env().getAsync("WASM_HAS_SIMD_SUPPORT");
  }
  const result: WorkerResult = { backend: config.backend, actualBackend: actual, info, workloads: [] };
  if (actual !== config.backend) {
    result.skipped = `backend "${config.backend}" is not available here (${keras.backend.backendChoice().skipped.map((s) => s.reason).join("; ")})`;
    writeFileSync(outPath, JSON.stringify(result));
    return;
  }
  log(`${config.backend}: ${JSON.stringify(info)}`);

  const dataCache = new Map<string, { x: Tensor; y: Tensor }>();
  const dataFor = (w: WorkloadConfig): { x: Tensor; y: Tensor } => {
    const key = `${w.model}:${w.samples}`;
    let d = dataCache.get(key);
    if (!d) {
      d = specs[w.model].data(w.samples);
      dataCache.set(key, d);
    }
    return d;
  };

  for (const w of config.workloads) {
    const spec = specs[w.model];
    const { x, y } = dataFor(w);
    const warm = tf.tidy(() => ({ x: tf.slice(x, 0, Math.min(w.warmupSamples, w.samples)), y: tf.slice(y, 0, Math.min(w.warmupSamples, w.samples)) }));
    const res: WorkloadResult = { id: w.id, config: w, runs: {}, leakedTensors: {}, errors: {} };
    const models = new Map<string, import("./models.js").BenchModel>();
    // Build and warm up each library (the warm-up compiles kernels, builds the optimizer, lets the JIT settle).
    for (const lib of m.LIBS) {
      try {
        const model = spec.build(lib);
        if (w.task === "train") await model.fit(warm.x, warm.y, w.batchSize);
        else await model.predict(warm.x, w.batchSize);
        models.set(lib, model);
        res.runs[lib] = [];
        res.leakedTensors[lib] = 0;
      } catch (e) {
        res.errors[lib] = String(e instanceof Error ? e.message : e).split("\n")[0];
        log(`${w.id} ${lib}: cannot run: ${res.errors[lib]}`);
      }
    }
    tf.dispose([warm.x, warm.y]);
    for (let rep = 0; rep < w.reps; rep++) {
      const order = rep % 2 === 0 ? [...models.keys()] : [...models.keys()].reverse();
      for (const lib of order) {
        const model = models.get(lib)!;
        const before = tf.memory().numTensors;
        const t0 = performance.now();
        if (w.task === "train") await model.fit(x, y, w.batchSize);
        else await model.predict(x, w.batchSize);
        const dt = performance.now() - t0;
        res.runs[lib].push((w.samples / dt) * 1000);
        res.leakedTensors[lib] = Math.max(res.leakedTensors[lib], tf.memory().numTensors - before);
      }
    }
    const summary = Object.entries(res.runs)
      .map(([lib, r]) => `${lib} ${median(r).toFixed(0)}/s`)
      .join(", ");
    log(`${config.backend} ${w.id}: ${summary}`);
    for (const model of models.values()) model.dispose();
    result.workloads.push(res);
  }

  if (config.syncCheck) {
    // Count the device-to-CPU reads one fit makes (MLP, 20 batches of 32), silent and with the progress bar.
    const backend = tf.backend() as unknown as { read(id: unknown): Promise<unknown>; readSync(id: unknown): unknown };
    const { x, y } = specs.mlp.data(640, 11);
    result.syncCheck = [];
    for (const lib of m.LIBS) {
      for (const verbose of [0, 1] as const) {
        const model = specs.mlp.build(lib);
        await model.fit(x, y, 32, 0);
        let reads = 0;
        const origRead = backend.read;
        const origReadSync = backend.readSync;
        backend.read = function (this: unknown, id: unknown) {
          reads++;
          return origRead.call(this, id);
        };
        backend.readSync = function (this: unknown, id: unknown) {
          reads++;
          return origReadSync.call(this, id);
        };
        try {
          await model.fit(x, y, 32, verbose);
        } finally {
          backend.read = origRead;
          backend.readSync = origReadSync;
        }
        model.dispose();
        result.syncCheck.push({ lib, verbose, batches: 20, reads });
      }
    }
    tf.dispose([x, y]);
  }
  for (const d of dataCache.values()) tf.dispose([d.x, d.y]);
  info.loadavgEnd = loadavg();
  writeFileSync(outPath, JSON.stringify(result));
}

function median(xs: number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

main().then(
  () => process.exit(0),
  (e) => {
    process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  },
);
