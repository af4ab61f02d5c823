/**
 * One library, one workload, for profiling:
 *
 *   KERAS_BACKEND=wasm node --cpu-prof --cpu-prof-dir=/tmp/prof dist/bench/profile.js tskeras mlp 32 4096
 *   node dist/bench/cpuprofile-top.js /tmp/prof/<file>.cpuprofile 30
 *
 * Arguments: library (tskeras | tfjs-layers), model (mlp | cnn | lstm), batch size,
 * samples per run, timed runs (default 2, after a warm-up run), task (train | predict).
 * The backend: KERAS_BACKEND (default wasm).
 */
import { performance } from "node:perf_hooks";
import { benchData, type BenchModel, type ModelId } from "./data.js";

const [lib = "tskeras", model = "mlp", batchArg = "32", samplesArg = "4096", runsArg = "2", task = "train"] = process.argv.slice(2);
const backend = process.env.KERAS_BACKEND ?? "wasm";
process.env.KERAS_BACKEND = backend;
let bm: BenchModel;
if (lib === "tskeras") {
  const m = await import("./models-tskeras.js");
  bm = m.buildTskeras(model as ModelId);
} else {
  const m = await import("./models-tfjs-layers.js");
  await m.startStockBackend(backend);
  bm = m.buildTfjsLayers(model as ModelId);
}
const batch = Number(batchArg);
const samples = Number(samplesArg);
const { x, y } = benchData(model as ModelId, samples);
const once = async (): Promise<number> => {
  const t0 = performance.now();
  if (task === "predict") await bm.predict(x, batch);
  else await bm.fit(x, y, batch);
  return performance.now() - t0;
};
await once();
for (let i = 0; i < Number(runsArg); i++) {
  const ms = await once();
  process.stdout.write(`${lib} ${model} ${task} batch ${batch} on ${backend}: ${((samples / ms) * 1000).toFixed(0)} samples/s\n`);
}
bm.dispose();
x.dispose();
y.dispose();
