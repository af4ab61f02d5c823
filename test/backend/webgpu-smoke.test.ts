import { expect, it } from "vitest";
import * as keras from "../../lib/index.js";
import { tf } from "../../lib/backend/tfjs.js";

it("runs on webgpu", async () => {
  expect(keras.backend.backend()).toBe("webgpu");
  expect(tf.getBackend()).toBe("webgpu");
  console.log(keras.distribution.deviceDetails(), process.env.VK_ICD_FILENAMES);
  const y = tf.matMul(tf.ones([2, 3]), tf.ones([3, 2]));
  expect(Array.from(await y.data())).toEqual([3, 3, 3, 3]);
});
