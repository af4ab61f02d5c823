import { it } from "vitest";
import { tf } from "../../lib/backend/tfjs.js";
it("debug", async () => {
  await (await import("../../lib/backend/engine.js")).setBackend("cpu"); await (await import("../../lib/backend/engine.js")).setBackend("webgpu");
  const cpu = tf.getKernelsForBackend("cpu").map((k) => k.kernelName);
  const gpu = new Set(tf.getKernelsForBackend("webgpu").map((k) => k.kernelName));
  console.log("MISSING", cpu.length, gpu.size, cpu.filter((k) => !gpu.has(k)).sort().join(" "));
});
