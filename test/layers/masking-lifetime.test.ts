import { describe, expect, it } from "vitest";
import * as keras from "../../lib/index.js";
import { tf } from "../../lib/backend/tfjs.js";
import { getKerasMask } from "../../lib/backend/masking.js";

const { layers } = keras;

describe("masks travel with tensors", () => {
  it("a mask is attached to the output and freed with it", () => {
    const emb = layers.Embedding({ inputDim: 10, outputDim: 3, maskZero: true });
    const ids = tf.tensor2d([[1, 2, 0, 0]], undefined, "int32");
    emb(ids).dispose(); // builds the embeddings
    const before = tf.memory().numTensors;
    const out = emb(ids);
    const mask = getKerasMask(out);
    expect(mask).not.toBeNull();
    expect(Array.from((mask as tf.Tensor).dataSync())).toEqual([1, 1, 0, 0]);
    expect(tf.memory().numTensors).toBe(before + 2);
    out.dispose();
    expect((mask as tf.Tensor).isDisposed).toBe(true);
    expect(tf.memory().numTensors).toBe(before);
    ids.dispose();
    emb.dispose();
  });

  it("flows from Embedding(maskZero) into LSTM without leaking, and gradients pass through masks", () => {
    const model = keras.Sequential([
      layers.Input({ shape: [5], dtype: "int32" }),
      layers.Embedding({ inputDim: 20, outputDim: 4, maskZero: true }),
      layers.LSTM(3),
      layers.Dense(1),
    ]);
    const padded = tf.tensor2d([[3, 4, 5, 0, 0]], undefined, "int32");
    const short = tf.tensor2d([[3, 4, 5]], undefined, "int32");
    const before = tf.memory().numTensors;
    for (let i = 0; i < 10; i++) model(padded).dispose();
    expect(tf.memory().numTensors).toBe(before);
    // Masked steps are skipped: padding does not change the result.
    const a = model(padded);
    const lstm = model.layers[1];
    const emb = model.layers[0];
    const direct = tf.tidy(() => model.layers[2](lstm(emb(short))));
    expect(Math.abs(a.dataSync()[0] - direct.dataSync()[0])).toBeLessThan(1e-6);
    tf.dispose([a, direct]);
    const x = tf.randomNormal([2, 5, 4]);
    const masked = keras.Sequential([layers.Input({ shape: [5, 4] }), layers.Masking({ maskValue: 0 }), layers.LSTM(2)]);
    const g = tf.grad((t: tf.Tensor) => tf.sum(masked(t) as tf.Tensor))(x);
    expect(Array.from(g.dataSync()).every(Number.isFinite)).toBe(true);
    tf.dispose([g, x, padded, short]);
    model.dispose();
    masked.dispose();
  });
});
