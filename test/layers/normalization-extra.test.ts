import { beforeEach, describe, expect, it } from "vitest";
import { tf, type Tensor } from "../../lib/backend/tfjs.js";
import { KerasTensor } from "../../lib/backend/keras-tensor.js";
import * as keras from "../../lib/index.js";
import { GroupNormalization } from "../../lib/layers/normalization/group-normalization.js";
import { RMSNormalization } from "../../lib/layers/normalization/rms-normalization.js";
import { UnitNormalization } from "../../lib/layers/normalization/unit-normalization.js";
import { SpectralNormalization } from "../../lib/layers/normalization/spectral-normalization.js";
import { LayerNormalization } from "../../lib/layers/normalization/layer-normalization.js";
import { Wrapper } from "../../lib/layers/core/wrapper.js";
import { Dense } from "../../lib/layers/core/dense.js";
import { Embedding } from "../../lib/layers/core/embedding.js";
import { weightPaths } from "../../lib/saving/index.js";
import { expectClose, expectNoLeaks, expectRoundTrip } from "./helpers.js";
import { checkInputGrad, checkWeightGrads, trainSteps } from "./attention/check-grad.js";

const { layers } = keras;

function rand(shape: number[], seed: number): Tensor {
  return tf.randomNormal(shape, 0, 1, "float32", seed);
}

/** Largest singular value of a 2D matrix by power iteration on WᵀW. */
function topSingularValue(w: number[][]): number {
  const n = w[0].length;
  let v = new Array<number>(n).fill(1);
  let s = 0;
  for (let it = 0; it < 500; it++) {
    const wv = w.map((row) => row.reduce((a, x, j) => a + x * v[j], 0));
    const wtwv = v.map((_, j) => w.reduce((a, row, i) => a + row[j] * wv[i], 0));
    const norm = Math.sqrt(wtwv.reduce((a, x) => a + x * x, 0));
    v = wtwv.map((x) => x / norm);
    s = Math.sqrt(norm);
  }
  return s;
}

describe("GroupNormalization", () => {
  beforeEach(() => keras.utils.setRandomSeed(2));

  it("normalizes each group of channels (hand-computed)", () => {
    // [1, 2 steps, 4 channels], 2 groups: group 0 = channels 0-1, group 1 = channels 2-3.
    const data = [1, 2, 10, 20, 3, 4, 30, 40];
    const x = tf.tensor3d(data, [1, 2, 4]);
    const layer = new GroupNormalization({ groups: 2, epsilon: 1e-3 });
    const y = layer.apply(x) as Tensor;
    const g0 = [1, 2, 3, 4];
    const g1 = [10, 20, 30, 40];
    const norm = (g: number[], v: number): number => {
      const m = g.reduce((a, b) => a + b) / g.length;
      const varr = g.reduce((a, b) => a + (b - m) ** 2, 0) / g.length;
      return (v - m) / Math.sqrt(varr + 1e-3);
    };
    expectClose(y, [norm(g0, 1), norm(g0, 2), norm(g1, 10), norm(g1, 20), norm(g0, 3), norm(g0, 4), norm(g1, 30), norm(g1, 40)], 1e-5);
    expect(layer.weights.map((w) => [w.name, w.shape])).toEqual([["gamma", [4]], ["beta", [4]]]);
    tf.dispose([x, y]);
  });

  it("groups=1 is layer normalization over all axes; groups=-1 is instance normalization; channels_first axis", () => {
    const x = rand([2, 3, 4], 1);
    const g1 = new GroupNormalization({ groups: 1 }).apply(x) as Tensor;
    const ln = new LayerNormalization({ axis: [1, 2] }).apply(x) as Tensor;
    expectClose(g1, ln, 1e-4);
    const inst = new GroupNormalization({ groups: -1 });
    const yi = inst.apply(x) as Tensor;
    expect(inst.groups).toBe(4);
    const ref = tf.tidy(() => {
      const m = tf.mean(x, 1, true);
      const v = tf.mean(tf.square(tf.sub(x, m)), 1, true);
      return tf.div(tf.sub(x, m), tf.sqrt(tf.add(v, 1e-3)));
    });
    expectClose(yi, ref, 1e-4);
    const xt = tf.transpose(x, [0, 2, 1]);
    const cf = new GroupNormalization({ groups: 2, axis: 1 }).apply(xt) as Tensor;
    const cl = new GroupNormalization({ groups: 2 }).apply(x) as Tensor;
    expectClose(tf.transpose(cf, [0, 2, 1]), cl, 1e-5);
    expect(() => new GroupNormalization({ groups: 3 }).apply(x)).toThrow(/multiple/);
    expect(() => new GroupNormalization({ groups: 0 })).toThrow(/groups/);
    tf.dispose([x, g1, ln, yi, ref, xt, cf, cl]);
  });

  it("shapes, config, gradients, round trip, training, leaks", () => {
    const layer = layers.GroupNormalization({ groups: 2, epsilon: 1e-2 });
    expect(layer.computeOutputShape([null, 5, 4])).toEqual([null, 5, 4]);
    expect((layer.apply(new KerasTensor([null, 5, 4])) as unknown as KerasTensor).shape).toEqual([null, 5, 4]);
    expect(Object.keys(layer.getConfig())).toEqual([
      "name", "trainable", "dtype", "groups", "axis", "epsilon", "center", "scale",
      "beta_initializer", "gamma_initializer", "beta_regularizer", "gamma_regularizer", "beta_constraint", "gamma_constraint",
    ]);
    const x = rand([2, 3, 4], 3);
    layer.setWeights([tf.tensor1d([1, 2, 0.5, 1.5]), tf.tensor1d([0.1, -0.2, 0.3, 0])]);
    checkInputGrad((t) => layer.apply(t) as Tensor, x, { eps: 1e-2, tol: 3e-2 });
    checkWeightGrads(() => layer.apply(x) as Tensor, layer.trainableWeights);
    expectRoundTrip(layer, x);
    const target = rand([2, 3, 4], 4);
    const { first, last } = trainSteps(() => tf.mean(tf.square(tf.sub(layer.apply(x) as Tensor, target))), layer.trainableWeights, 20, 0.2);
    expect(last).toBeLessThan(first);
    expectNoLeaks(layer, () => tf.ones([2, 3, 4]));
    tf.dispose([x, target]);
  });
});

describe("RMSNormalization", () => {
  it("computes x * rsqrt(mean(x²) + eps) * scale (hand-computed)", () => {
    const layer = new RMSNormalization();
    const x = tf.tensor2d([[3, 4], [1, -1]]);
    const y = layer.apply(x) as Tensor;
    const r0 = Math.sqrt(12.5 + 1e-6);
    const r1 = Math.sqrt(1 + 1e-6);
    expectClose(y, [3 / r0, 4 / r0, 1 / r1, -1 / r1], 1e-6);
    expect(layer.getConfig()).toMatchObject({ axis: [-1], epsilon: 1e-6 });
    expect(layer.weights.map((w) => [w.path, w.shape])).toEqual([[`${layer.name}/scale`, [2]]]);
    layer.setWeights([tf.tensor1d([2, 0.5])]);
    const y2 = layer.apply(x) as Tensor;
    expectClose(y2, [6 / r0, 2 / r0, 2 / r1, -0.5 / r1], 1e-6);
    expect(new RMSNormalization({ axis: 1 }).getConfig().axis).toBe(1);
    tf.dispose([x, y, y2]);
  });

  it("several axes, shapes, gradients, round trip, training, leaks", () => {
    const layer = layers.RMSNormalization({ axis: [1, 2], epsilon: 1e-3 });
    const x = rand([2, 3, 4], 5);
    const y = layer.apply(x) as Tensor;
    expect(layer.scale!.shape).toEqual([3, 4]);
    const ms = tf.mean(tf.square(y), [1, 2]);
    expectClose(ms, [1, 1], 1e-2);
    expect(layer.computeOutputShape([null, 3, 4])).toEqual([null, 3, 4]);
    expect(() => layer.computeOutputShape([null, 3])).toThrow(/out of bounds/);
    checkInputGrad((t) => layer.apply(t) as Tensor, x);
    checkWeightGrads(() => layer.apply(x) as Tensor, layer.trainableWeights);
    expectRoundTrip(layer, x);
    const target = tf.mul(y, 3);
    const { first, last } = trainSteps(() => tf.mean(tf.square(tf.sub(layer.apply(x) as Tensor, target))), layer.trainableWeights, 20, 0.5);
    expect(last).toBeLessThan(first * 0.5);
    expectNoLeaks(layer, () => tf.ones([2, 3, 4]));
    tf.dispose([x, y, ms, target]);
  });
});

describe("UnitNormalization", () => {
  it("scales to unit L2 norm over the axes (hand-computed)", () => {
    const layer = new UnitNormalization();
    const x = tf.tensor2d([[3, 4], [0, 0]]);
    const y = layer.apply(x) as Tensor;
    expectClose(y, [0.6, 0.8, 0, 0], 1e-6);
    const multi = new UnitNormalization({ axis: [1, 2] });
    const x3 = tf.tensor3d([[[1, 1], [1, 1]]]);
    expectClose(multi.apply(x3) as Tensor, [0.5, 0.5, 0.5, 0.5], 1e-6);
    expect(multi.getConfig()).toMatchObject({ axis: [1, 2] });
    expect(() => new UnitNormalization({ axis: "x" as unknown as number })).toThrow(/axis/);
    tf.dispose([x, y, x3]);
  });

  it("shapes, gradients, round trip, no weights, leaks; trains inside a model", () => {
    const layer = layers.UnitNormalization();
    expect((layer.apply(new KerasTensor([null, 3])) as unknown as KerasTensor).shape).toEqual([null, 3]);
    const x = rand([2, 3], 6);
    checkInputGrad((t) => layer.apply(t) as Tensor, x);
    expectRoundTrip(layer, x);
    expect(layer.weights).toHaveLength(0);
    expectNoLeaks(layer, () => tf.ones([2, 3]));
    const dense = new Dense(3);
    const target = tf.tensor2d([[1, 0, 0], [0, 1, 0]]);
    const run = (): Tensor => layer.apply(dense.apply(x) as Tensor) as Tensor;
    run().dispose();
    const { first, last } = trainSteps(() => tf.mean(tf.square(tf.sub(run(), target))), dense.trainableWeights, 30, 0.5);
    expect(last).toBeLessThan(first);
    tf.dispose([x, target]);
  });
});

describe("SpectralNormalization and Wrapper", () => {
  beforeEach(() => keras.utils.setRandomSeed(3));

  it("training calls normalize the kernel's largest singular value to 1; inference leaves it", () => {
    const sn = new SpectralNormalization(new Dense(3, { name: "d" }), { name: "sn", powerIterations: 2 });
    const x = rand([2, 4], 7);
    const y0 = sn.apply(x) as Tensor;
    const k0 = sn.kernel!.value.arraySync() as number[][];
    expect(topSingularValue(k0)).toBeGreaterThan(1.05);
    const yi = sn.apply(x, { training: false }) as Tensor;
    expectClose(yi, y0, 0);
    expect(sn.weights.map((w) => w.path)).toEqual(["sn/d/kernel", "sn/vector_u", "sn/d/bias"]);
    expect(sn.weights.map((w) => w.trainable)).toEqual([true, false, true]);
    expect(sn.vectorU!.shape).toEqual([1, 3]);
    for (let i = 0; i < 10; i++) (sn.apply(x, { training: true }) as Tensor).dispose();
    const k = sn.kernel!.value.arraySync() as number[][];
    expect(Math.abs(topSingularValue(k) - 1)).toBeLessThan(1e-3);
    // The wrapped layer's output uses the normalized kernel.
    const yt = sn.apply(x, { training: true }) as Tensor;
    const ref = tf.tidy(() => tf.add(tf.matMul(x, sn.kernel!.value), sn.layer.weights[1].value));
    expectClose(yt, ref, 1e-5);
    // Keras's file layout: [kernel, vector_u] as the wrapper's own vars (the layer's under `layer`).
    const own = sn.saveOwnVariables();
    expect(own.map((a) => a.shape)).toEqual([[4, 3], [1, 3]]);
    expect(Array.from(own[0].data)).toEqual(Array.from(sn.kernel!.value.dataSync()));
    const stored = own.map((a, i) => ({ ...a, key: String(i), storedDtype: "<f4" }));
    stored[1] = { ...stored[1], data: new Float32Array([1, 2, 3]) };
    sn.loadOwnVariables(stored as never, "sn");
    expectClose(sn.vectorU!.value, [1, 2, 3], 0);
    expect(() => sn.loadOwnVariables([] as never, "sn")).toThrow(/expected 2 variables/);
    expect(weightPaths(sn).map((p) => p.path).slice(-2)).toEqual(["layer/vars/0", "layer/vars/1"]);
    tf.dispose([x, y0, yi, yt, ref]);
  });

  it("wraps Embedding (embeddings), config with the serialized layer, round trip", () => {
    const sn = layers.SpectralNormalization(new Embedding(5, 3));
    const ids = tf.tensor2d([[0, 1, 4]], undefined, "int32");
    const e = sn.apply(ids, { training: true }) as Tensor;
    expect(e.shape).toEqual([1, 3, 3]);
    expect(sn.kernel).toBe((sn.layer as Embedding).embeddings);
    const dense = new SpectralNormalization(new Dense(2), { powerIterations: 3 });
    const x = rand([2, 3], 8);
    dense.apply(x).dispose();
    const cfg = dense.getConfig();
    expect(Object.keys(cfg)).toEqual(["name", "trainable", "dtype", "layer", "power_iterations"]);
    expect((cfg.layer as { class_name: string }).class_name).toBe("Dense");
    const clone = expectRoundTrip(dense, x) as SpectralNormalization;
    expect(clone.layer).toBeInstanceOf(Dense);
    expect(clone.powerIterations).toBe(3);
    expect(() => new SpectralNormalization(new Dense(2), { powerIterations: 0 })).toThrow(/power_iterations/);
    expect(() => new SpectralNormalization(layers.Flatten()).apply(x)).toThrow(/kernel/);
    expect(() => new Wrapper({} as never)).toThrow(/supported layer/);
    tf.dispose([ids, e, x]);
  });

  it("gradients (inference), shapes, training lowers the loss, no leaks", () => {
    const sn = new SpectralNormalization(new Dense(2));
    const x = rand([3, 4], 9);
    expect((sn.apply(new KerasTensor([null, 4])) as unknown as KerasTensor).shape).toEqual([null, 2]);
    expect(sn.computeOutputShape([null, 4])).toEqual([null, 2]);
    checkInputGrad((t) => sn.apply(t) as Tensor, x);
    checkWeightGrads(() => sn.apply(x) as Tensor, sn.trainableWeights);
    const target = tf.tensor2d([[0.5, -0.5], [0.2, 0.1], [-0.3, 0.3]]);
    const { first, last } = trainSteps(() => tf.mean(tf.square(tf.sub(sn.apply(x, { training: true }) as Tensor, target))), sn.trainableWeights, 30, 0.1);
    expect(last).toBeLessThan(first);
    expectNoLeaks(sn, () => tf.ones([3, 4]), { training: true });
    expectNoLeaks(sn, () => tf.ones([3, 4]));
    tf.dispose([x, target]);
  });
});
