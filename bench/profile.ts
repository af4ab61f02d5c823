/**
 * One library, one workload, for profiling:
 *
 *   KERAS_BACKEND=wasm node --cpu-prof --cpu-prof-dir=/tmp/prof dist/bench/profile.js tskeras mlp 32 4096
 *   node dist/bench/cpuprofile-top.js /tmp/prof/<file>.cpuprofile 30
 *
 * Arguments: library (tskeras | tfjs-layers), model (mlp | cnn | lstm), batch size,
 * samples per run, runs (default 2; a warm-up run comes first).
 */
import { performance } from "node:perf_hooks";

const [lib = "tskeras", model = "mlp", batchArg = "32", samplesArg = "4096", runsArg = "2", task = "train"] = process.argv.slice(2);
const m = await import("./models.js");
const spec = { mlp: m.MLP, cnn: m.CNN, lstm: m.LSTM }[model as "mlp" | "cnn" | "lstm"];
const batch = Number(batchArg);
const samples = Number(samplesArg);
const { x, y } = spec.data(samples);
const bm = spec.build(lib as "tskeras" | "tfjs-layers");
const once = async (): Promise<number> => {
  const t0 = performance.now();
  if (task === "predict") await bm.predict(x, batch);
  else await bm.fit(x, y, batch);
  return performance.now() - t0;
};
await once();
for (let i = 0; i < Number(runsArg); i++) {
  const ms = await once();
  process.stdout.write(`${lib} ${model} ${task} batch ${batch} on ${m.keras.backend.backend()}: ${((samples / ms) * 1000).toFixed(0)} samples/s\n`);
}
bm.dispose();
m.tf.dispose([x, y]);
