import { expect, it } from "vitest";
import * as keras from "../../lib/index.js";
import { tf } from "../../lib/backend/tfjs.js";

const { layers } = keras;
it("runs on webgpu", async () => {
  expect(keras.backend.backend()).toBe("webgpu");
  const y = tf.matMul(tf.ones([2, 3]), tf.ones([3, 2]));
  expect(Array.from(y.dataSync())).toEqual([3, 3, 3, 3]);
});

it("fits a small MLP", async () => {
  const x = tf.randomNormal([64, 2]);
  const yv = tf.cast(tf.greater(tf.sum(x, 1, true), 0), "float32");
  const model = keras.Sequential([layers.Input({ shape: [2] }), layers.Dense(8, { activation: "relu" }), layers.Dense(1, { activation: "sigmoid" })]);
  model.compile({ optimizer: "adam", loss: "binary_crossentropy", metrics: ["accuracy"] });
  for (let e = 0; e < 3; e++) {
    const t0 = Date.now();
    const h = await model.fit(x, yv, { epochs: 1, batchSize: 32, verbose: 0 });
    console.log("epoch", e, Date.now() - t0, "ms", h.history.loss, tf.memory().numTensors);
  }
});
