import { describe, expect, it } from "vitest";
import { tf, type Tensor } from "../../../lib/backend/tfjs.js";
import { KerasTensor } from "../../../lib/backend/keras-tensor.js";
import { Embedding } from "../../../lib/layers/core/embedding.js";
import { anyNonzero, expectClose, expectNoLeaks, expectRoundTrip, loadFixture, tensorOf, weightGrads } from "../helpers.js";

describe("Embedding", () => {
  it("matches the Keras fixture", () => {
    const f = loadFixture("embedding");
    const layer = new Embedding(10, 4, { name: "embed" });
    const x = tensorOf(f.inputs[0]);
    layer.build(null);
    expect(layer.weights.map((w) => w.path)).toEqual(f.weights.map((w) => w.path));
    layer.setWeights(f.weights.map(tensorOf));
    const y = layer.apply(x);
    expectClose(y, f.output);
    expect(layer.getConfig()).toEqual(f.layer_config);
    tf.dispose([x, y]);
  });

  it("default initializer is RandomUniform(-0.05, 0.05)", () => {
    const layer = new Embedding({ inputDim: 50, outputDim: 8 });
    layer.build(null);
    const v = Array.from(layer.embeddings!.value.dataSync());
    expect(Math.max(...v)).toBeLessThanOrEqual(0.05);
    expect(Math.min(...v)).toBeGreaterThanOrEqual(-0.05);
    expect(() => new Embedding(0, 3)).toThrow(/input_dim/);
  });

  it("looks up JS integer arrays and float tensors as indices", () => {
    const layer = new Embedding(3, 2, { weights: [[0, 1], [2, 3], [4, 5]] });
    const y = layer.apply([[2, 0]]);
    expect(y.shape).toEqual([1, 2, 2]);
    expectClose(y, [4, 5, 0, 1]);
    const xf = tf.tensor1d([1, 2], "float32");
    const y2 = layer.apply(xf);
    expectClose(y2, [2, 3, 4, 5]);
    tf.dispose([y, y2, xf]);
  });

  it("computeMask with maskZero", () => {
    const layer = new Embedding(5, 2, { maskZero: true });
    const x = tf.tensor2d([[0, 3, 0]], [1, 3], "int32");
    const m = layer.computeMask(x) as Tensor;
    expect(Array.from(m.dataSync())).toEqual([0, 1, 0]);
    expect(new Embedding(5, 2).computeMask(x)).toBeNull();
    tf.dispose([x, m]);
  });

  it("shapes, round trip, gradients, leaks", () => {
    const layer = new Embedding(6, 3);
    expect(layer.computeOutputShape([null, 7])).toEqual([null, 7, 3]);
    expect(layer.apply(new KerasTensor([null, 7], { dtype: "int32" })).shape).toEqual([null, 7, 3]);
    const x = tf.tensor2d([[1, 5, 5]], [1, 3], "int32");
    expectRoundTrip(layer, x);
    const g = weightGrads(layer, x);
    const gv = g[layer.embeddings!.path];
    expect(anyNonzero(gv)).toBe(true);
    expect(gv.slice(15, 18)).toEqual([2, 2, 2]);
    expect(gv.slice(0, 3)).toEqual([0, 0, 0]);
    expectNoLeaks(layer, () => tf.tensor2d([[1, 2]], [1, 2], "int32"));
    x.dispose();
  });
});
