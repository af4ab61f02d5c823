import { describe, expect, it } from "vitest";
import { tf, type Tensor } from "../../lib/backend/tfjs.js";
import { KerasTensor } from "../../lib/backend/keras-tensor.js";
import { Dropout } from "../../lib/layers/regularization/dropout.js";
import { setRandomSeed } from "../../lib/random/seed-generator.js";
import { expectNoLeaks, inputGrad } from "./helpers.js";

describe("Dropout", () => {
  it("is the identity unless training", () => {
    const layer = new Dropout(0.5);
    const x = tf.ones([4, 10]);
    const y = layer.apply(x);
    expect(Array.from(y.dataSync())).toEqual(new Array(40).fill(1));
    const y2 = layer.apply(x, { training: false });
    expect(Array.from(y2.dataSync())).toEqual(new Array(40).fill(1));
    tf.dispose([x]);
  });

  it("drops about `rate` and scales the rest by 1/(1-rate)", () => {
    const layer = new Dropout(0.25, { seed: 3 });
    const x = tf.ones([100, 100]);
    const y = layer.apply(x, { training: true }) as Tensor;
    const v = Array.from(y.dataSync());
    const kept = v.filter((a) => a !== 0);
    expect(new Set(kept.map((a) => a.toFixed(5)))).toEqual(new Set([(1 / 0.75).toFixed(5)]));
    expect(Math.abs(1 - kept.length / v.length - 0.25)).toBeLessThan(0.03);
    // a new mask on each call
    const y2 = layer.apply(x, { training: true }) as Tensor;
    expect(Array.from(y2.dataSync())).not.toEqual(v);
    tf.dispose([x, y, y2]);
  });

  it("is reproducible with a seed and with setRandomSeed", () => {
    const x = tf.ones([8, 8]);
    const a = new Dropout(0.5, { seed: 42 }).apply(x, { training: true });
    const b = new Dropout(0.5, { seed: 42 }).apply(x, { training: true });
    expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
    setRandomSeed(7);
    const c = new Dropout(0.5).apply(x, { training: true });
    setRandomSeed(7);
    const d = new Dropout(0.5).apply(x, { training: true });
    expect(Array.from(c.dataSync())).toEqual(Array.from(d.dataSync()));
    tf.dispose([x, a, b, c, d]);
  });

  it("noiseShape broadcasts the mask", () => {
    const layer = new Dropout(0.5, { noiseShape: [null, 1, null], seed: 1 });
    const x = tf.ones([2, 5, 6]);
    const y = layer.apply(x, { training: true }) as Tensor;
    const arr = y.arraySync() as number[][][];
    for (const b of arr) for (const row of b) expect(row).toEqual(b[0]);
    expect(() => new Dropout(0.5, { noiseShape: [0, 1] })).toThrow(/positive integers/);
    expect(() => new Dropout(1.5)).toThrow(/rate=1.5/);
    tf.dispose([x, y]);
  });

  it("shapes, config, gradients, leaks", () => {
    const layer = new Dropout({ rate: 0.3, seed: 5, noiseShape: [null, 4] });
    expect(layer.getConfig()).toEqual({
      name: layer.name,
      trainable: true,
      dtype: { module: "keras", class_name: "DTypePolicy", config: { name: "float32" }, registered_name: null },
      rate: 0.3,
      seed: 5,
      noise_shape: [null, 4],
    });
    const clone = Dropout.fromConfig(layer.getConfig());
    expect(clone.getConfig()).toEqual(layer.getConfig());
    expect(layer.computeOutputShape([null, 4])).toEqual([null, 4]);
    expect(layer.apply(new KerasTensor([null, 4])).shape).toEqual([null, 4]);
    const x = tf.ones([3, 4]);
    const g = inputGrad(layer, x, { training: true });
    for (const v of g) expect([0, 1 / 0.7].some((e) => Math.abs(v - e) < 1e-5)).toBe(true);
    expect(inputGrad(layer, x)).toEqual(new Array(12).fill(1));
    expectNoLeaks(layer, () => tf.ones([3, 4]), { training: true });
    x.dispose();
  });
});
