import { it } from "vitest";
import { tf } from "../../lib/backend/tfjs.js";
import { setBackend } from "../../lib/backend/engine.js";
it("probe", async () => {
  await setBackend("wasm");
  const cpu = new Set(tf.getKernelsForBackend("cpu").map((k) => k.kernelName));
  const wasm = new Set(tf.getKernelsForBackend("wasm").map((k) => k.kernelName));
  console.log([...cpu].filter((k) => !wasm.has(k)).sort().join(" "));
  const b = tf.backend() as any;
  console.log(tf.getBackend(), typeof b.incRef, typeof b.disposeData);
  // scatterND duplicate sum?
  const r = tf.scatterND(tf.tensor2d([[0], [1], [0]], [3, 1], "int32"), tf.tensor2d([[1, 2], [3, 4], [5, 6]]), [3, 2]);
  console.log(Array.from(r.dataSync()));
});
