#!/usr/bin/env node
/**
 * GPU benchmarks: training throughput of an MLP, a CNN and an LSTM, and a
 * large matmul's TFLOP/s, on webgpu against the cpu and wasm backends (and
 * tensorflow when tfjs-node(-gpu) is installed). Runs on the built library
 * (dist/lib), each backend in its own process.
 *
 *   node bench/gpu/bench.mjs                       # full sizes, writes bench/RESULTS-gpu.md
 *   node bench/gpu/bench.mjs --size=small --out=/tmp/r.md --backends=webgpu,wasm
 *
 * Options: --size=full|small, --backends=a,b (default cpu,wasm,webgpu and
 * tensorflow when installed), --out=PATH (default bench/RESULTS-gpu.md),
 * --json=PATH (raw results), --title=TEXT.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "..", "..");

function parseArgs(argv) {
  const o = { size: "full", backends: null, out: join(root, "bench", "RESULTS-gpu.md"), json: null, worker: false, backend: null, title: null };
  for (const a of argv) {
    const i = a.indexOf("=");
    const k = i < 0 ? a : a.slice(0, i);
    const v = i < 0 ? "" : a.slice(i + 1);
    if (k === "--size") o.size = v;
    else if (k === "--backends") o.backends = v.split(",").filter(Boolean);
    else if (k === "--out") o.out = resolve(v);
    else if (k === "--json") o.json = resolve(v);
    else if (k === "--worker") o.worker = true;
    else if (k === "--backend") o.backend = v;
    else if (k === "--title") o.title = v;
    else throw new Error(`unknown option ${a}`);
  }
  return o;
}

/** Sizes per backend: the cpu backend (plain JavaScript) gets small problems so a run ends in minutes. */
function plan(backend, size) {
  if (size === "smoke") {
    // Loads every code path once (pack.sh traces it); the numbers mean nothing.
    return {
      matmul: [64],
      mlp: { batch: 8, steps: 1, input: 16, hidden: 8 },
      cnn: { batch: 4, steps: 1, size: 12 },
      lstm: { batch: 4, steps: 1, time: 3, features: 4, units: 4 },
    };
  }
  const small = size === "small";
  const slow = backend === "cpu";
  const sw = backend === "webgpu" && process.env.TSKERAS_BENCH_SOFTWARE_GPU === "1";
  const tiny = small || slow || sw;
  return {
    matmul: small ? [256] : slow ? [256, 512] : backend === "wasm" ? [1024, 2048] : sw ? [512] : [1024, 4096, 8192],
    mlp: { batch: 128, steps: tiny ? 4 : 40, input: 784, hidden: 512 },
    cnn: { batch: slow || small ? 16 : 64, steps: slow || small ? 2 : sw ? 2 : 20, size: 28 },
    lstm: { batch: 64, steps: tiny ? 2 : 10, time: small ? 8 : 32, features: 32, units: small ? 32 : 128 },
  };
}

// ---------------------------------------------------------------------------- worker

async function worker(backend, size) {
  process.env.KERAS_BACKEND = backend;
  const keras = await import(join(root, "dist", "lib", "index.js"));
  const { tf, layers } = keras;
  const got = keras.backend.backend();
  if (got !== backend) throw new Error(`asked for ${backend}, got ${got}`);
  const p = plan(backend, size);
  const results = { backend, devices: keras.distribution.deviceDetails(), matmul: [], train: [] };

  const sync = async (t) => {
    await t.data();
  };

  // Matmul: N x N times N x N, 2 N^3 flops per product.
  for (const n of p.matmul) {
    const a = tf.randomNormal([n, n]);
    const b = tf.randomNormal([n, n]);
    await sync(tf.tidy(() => tf.matMul(a, b))); // warm up (shader compile, buffers)
    const reps = Math.max(2, Math.min(50, Math.round(2e10 / (2 * n ** 3)) || 2));
    let last;
    const t0 = performance.now();
    for (let i = 0; i < reps; i++) {
      last?.dispose();
      last = tf.matMul(a, b);
    }
    await sync(last);
    const seconds = (performance.now() - t0) / 1000;
    last.dispose();
    tf.dispose([a, b]);
    results.matmul.push({ n, reps, seconds, tflops: (2 * n ** 3 * reps) / seconds / 1e12 });
    process.stderr.write(`  ${backend} matmul ${n}: ${(results.matmul.at(-1).tflops * 1000).toFixed(2)} GFLOP/s\n`);
  }

  const fitThroughput = async (name, makeModel, x, y, loss, batch, steps) => {
    keras.utils.setRandomSeed(1);
    const model = makeModel();
    model.compile({ optimizer: keras.optimizers.Adam({ learningRate: 1e-3 }), loss });
    // Warm-up epoch: builds the optimizer, compiles the shaders.
    await model.fit(x, y, { epochs: 1, batchSize: batch, verbose: 0, shuffle: false, stepsPerEpoch: Math.min(2, steps) });
    const before = tf.memory();
    const t0 = performance.now();
    const h = await model.fit(x, y, { epochs: 1, batchSize: batch, verbose: 0, shuffle: false });
    const seconds = (performance.now() - t0) / 1000;
    const after = tf.memory();
    const samples = x.shape[0];
    results.train.push({
      model: name,
      batch,
      samples,
      seconds,
      samplesPerSec: samples / seconds,
      loss: h.history.loss[0],
      leakedTensors: after.numTensors - before.numTensors,
    });
    process.stderr.write(`  ${backend} ${name}: ${(samples / seconds).toFixed(1)} samples/s\n`);
    model.dispose();
  };

  {
    const { batch, steps, input, hidden } = p.mlp;
    const n = batch * steps;
    const x = tf.randomUniform([n, input]);
    const y = tf.randomUniform([n], 0, 10, "int32");
    await fitThroughput(
      `MLP ${input}-${hidden}-${hidden}-10`,
      () => keras.Sequential([layers.Input({ shape: [input] }), layers.Dense(hidden, { activation: "relu" }), layers.Dense(hidden, { activation: "relu" }), layers.Dense(10, { activation: "softmax" })]),
      x,
      y,
      "sparse_categorical_crossentropy",
      batch,
      steps,
    );
    tf.dispose([x, y]);
  }
  {
    const { batch, steps, size: s } = p.cnn;
    const n = batch * steps;
    const x = tf.randomUniform([n, s, s, 1]);
    const y = tf.randomUniform([n], 0, 10, "int32");
    await fitThroughput(
      `CNN conv32-pool-conv64-pool-dense128 (${s}x${s})`,
      () =>
        keras.Sequential([
          layers.Input({ shape: [s, s, 1] }),
          layers.Conv2D(32, 3, { activation: "relu" }),
          layers.MaxPooling2D(2),
          layers.Conv2D(64, 3, { activation: "relu" }),
          layers.MaxPooling2D(2),
          layers.Flatten(),
          layers.Dense(128, { activation: "relu" }),
          layers.Dense(10, { activation: "softmax" }),
        ]),
      x,
      y,
      "sparse_categorical_crossentropy",
      batch,
      steps,
    );
    tf.dispose([x, y]);
  }
  {
    const { batch, steps, time, features, units } = p.lstm;
    const n = batch * steps;
    const x = tf.randomNormal([n, time, features]);
    const y = tf.randomNormal([n, 1]);
    await fitThroughput(
      `LSTM ${units} (${time} steps x ${features})`,
      () => keras.Sequential([layers.Input({ shape: [time, features] }), layers.LSTM(units), layers.Dense(1)]),
      x,
      y,
      "mse",
      batch,
      steps,
    );
    tf.dispose([x, y]);
  }
  process.stdout.write(JSON.stringify(results) + "\n");
}

// ---------------------------------------------------------------------------- driver

function gpuNames() {
  const r = spawnSync("nvidia-smi", ["--query-gpu=name,driver_version,memory.total", "--format=csv,noheader"], { encoding: "utf8" });
  return r.status === 0 ? r.stdout.trim().split("\n").filter(Boolean) : [];
}

function fmt(x, digits = 1) {
  return Number.isFinite(x) ? x.toFixed(digits) : "–";
}

async function driver(o) {
  let backends = o.backends;
  if (!backends) {
    backends = ["cpu", "wasm", "webgpu"];
    if (existsSync(join(root, "node_modules", "@tensorflow", "tfjs-node-gpu")) || existsSync(join(root, "node_modules", "@tensorflow", "tfjs-node"))) {
      backends.push("tensorflow");
    }
  }
  const runs = [];
  for (const b of backends) {
    process.stderr.write(`bench/gpu: ${b} ...\n`);
    const t0 = Date.now();
    const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), "--worker", `--backend=${b}`, `--size=${o.size}`], {
      encoding: "utf8",
      env: process.env,
      stdio: ["ignore", "pipe", "inherit"],
      maxBuffer: 1 << 26,
      timeout: 20 * 60 * 1000,
    });
    const line = (r.stdout || "").trim().split("\n").filter((l) => l.startsWith("{")).pop();
    if (r.status === 0 && line) runs.push({ ...JSON.parse(line), wallSeconds: (Date.now() - t0) / 1000 });
    else runs.push({ backend: b, error: `exit ${r.status ?? r.signal}${r.error ? ` (${r.error.message})` : ""}` });
  }

  const gpus = gpuNames();
  const webgpu = runs.find((r) => r.backend === "webgpu" && !r.error);
  const adapter = webgpu?.devices?.find((d) => d.type === "gpu" && d.backends.includes("webgpu"))?.description ?? webgpu?.devices?.[0]?.description;
  const lines = [];
  lines.push(`# ${o.title ?? "tskeras on a GPU: webgpu (Dawn) against cpu and wasm"}`);
  lines.push("");
  lines.push(`Measured ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC by \`bench/gpu/bench.mjs --size=${o.size}\` (bench/gpu/run.sh).`);
  lines.push("");
  lines.push(`- GPU: ${gpus.length ? gpus.join("; ") : "none reported by nvidia-smi"}`);
  lines.push(`- WebGPU adapter: ${adapter ?? "none"}`);
  lines.push(`- CPU: ${cpus()[0]?.model ?? "?"}, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB; Node ${process.version}`);
  lines.push(`- VK_ICD_FILENAMES: ${process.env.VK_ICD_FILENAMES ?? "(unset)"}`);
  lines.push("");
  lines.push("## Matmul (float32, N×N · N×N)");
  lines.push("");
  lines.push("| backend | N | TFLOP/s | ms per product |");
  lines.push("| --- | ---: | ---: | ---: |");
  for (const r of runs) {
    if (r.error) {
      lines.push(`| ${r.backend} | – | failed: ${r.error} | – |`);
      continue;
    }
    for (const m of r.matmul) lines.push(`| ${r.backend} | ${m.n} | ${m.tflops.toFixed(m.tflops < 0.01 ? 5 : 3)} | ${fmt((m.seconds / m.reps) * 1000, 2)} |`);
  }
  lines.push("");
  lines.push("## Training throughput (samples/s, one epoch after a warm-up, Adam)");
  lines.push("");
  const models = [...new Set(runs.flatMap((r) => (r.train ?? []).map((t) => t.model.split(" ")[0])))];
  lines.push(`| backend | ${models.map((m) => `${m} samples/s`).join(" | ")} |`);
  lines.push(`| --- | ${models.map(() => "---:").join(" | ")} |`);
  for (const r of runs) {
    if (r.error) continue;
    const cells = models.map((m) => {
      const t = r.train.find((tt) => tt.model.startsWith(m));
      return t ? `${fmt(t.samplesPerSec)}${t.leakedTensors ? ` (leaked ${t.leakedTensors})` : ""}` : "–";
    });
    lines.push(`| ${r.backend} | ${cells.join(" | ")} |`);
  }
  lines.push("");
  const any = runs.find((r) => r.train?.length);
  if (any) {
    lines.push("Models:");
    for (const r of runs.filter((x) => x.train?.length)) {
      lines.push(`- ${r.backend}: ${r.train.map((t) => `${t.model}, batch ${t.batch}, ${t.samples} samples`).join("; ")}`);
    }
    lines.push("");
  }
  writeFileSync(o.out, lines.join("\n"));
  if (o.json) writeFileSync(o.json, JSON.stringify({ gpus, runs }, null, 2));
  process.stderr.write(`bench/gpu: wrote ${o.out}\n`);
  if (runs.some((r) => r.error)) process.exitCode = 1;
}

const o = parseArgs(process.argv.slice(2));
if (o.worker) await worker(o.backend, o.size);
else await driver(o);
