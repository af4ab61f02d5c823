import { describe, expect, it } from "vitest";
import { tf, type Tensor } from "../../../lib/backend/tfjs.js";
import { KerasTensor } from "../../../lib/backend/keras-tensor.js";
import { Dense } from "../../../lib/layers/core/dense.js";
import { Input } from "../../../lib/layers/core/input-layer.js";
import { anyNonzero, expectClose, expectNoLeaks, expectRoundTrip, inputGrad, loadFixture, tensorOf, weightGrads } from "../helpers.js";

describe("Dense", () => {
  it("matches the Keras fixture", () => {
    const f = loadFixture("dense");
    const layer = new Dense(5, { name: "dense" });
    const x = tensorOf(f.inputs[0]);
    layer.build([null, 4]);
    expect(layer.weights.map((w) => w.path)).toEqual(f.weights.map((w) => w.path));
    layer.setWeights(f.weights.map(tensorOf));
    const y = layer.apply(x);
    expectClose(y, f.output);
    expect(layer.getConfig()).toEqual(f.layer_config);
    tf.dispose([x, y]);
    layer.dispose();
  });

  it("accepts positional, options-only and callable forms", () => {
    expect(new Dense({ units: 3 }).units).toBe(3);
    const d = new Dense(3, { activation: "relu", useBias: false });
    expect(d.getConfig().activation).toBe("relu");
    expect(d.getConfig().use_bias).toBe(false);
    expect(() => new Dense(0)).toThrow(/units=0/);
    expect(() => new Dense(2.5)).toThrow(/positive integer/);
  });

  it("hand-computed values, activation and rank-3 input", () => {
    const layer = new Dense(2, { activation: "relu" });
    layer.build([null, 3]);
    layer.setWeights([
      [
        [1, -1],
        [2, 0],
        [0, 1],
      ],
      [0.5, -10],
    ]);
    const y = layer.apply([[1, 1, 1]]);
    expectClose(y, [3.5, 0]);
    const y3 = layer.apply(tf.ones([2, 4, 3]));
    expect(y3.shape).toEqual([2, 4, 2]);
    expectClose(tf.slice(y3, [1, 3, 0], [1, 1, 2]), [3.5, 0]);
    tf.dispose([y, y3]);
  });

  it("output shapes: computeOutputShape and KerasTensors", () => {
    const layer = new Dense(7);
    expect(layer.computeOutputShape([null, 3, 4])).toEqual([null, 3, 7]);
    const out = layer.apply(new KerasTensor([null, 4]));
    expect(out).toBeInstanceOf(KerasTensor);
    expect(out.shape).toEqual([null, 7]);
    const out2 = new Dense(3)(Input({ shape: [5, 4] }));
    expect(out2.shape).toEqual([null, 5, 3]);
  });

  it("round-trips its config", () => {
    const layer = new Dense(3, { activation: "tanh", kernelRegularizer: "l2", biasConstraint: "non_neg" });
    const x = tf.randomNormal([2, 4], 0, 1, "float32", 1);
    expectRoundTrip(layer, x);
    x.dispose();
  });

  it("gradients flow to inputs and weights", () => {
    const layer = new Dense(3);
    const x = tf.randomNormal([2, 4], 0, 1, "float32", 2);
    expect(anyNonzero(inputGrad(layer, x))).toBe(true);
    const g = weightGrads(layer, x);
    expect(Object.keys(g)).toEqual([layer.kernel!.path, layer.bias!.path]);
    expect(anyNonzero(g[layer.kernel!.path])).toBe(true);
    expect(g[layer.bias!.path]).toEqual([2, 2, 2]);
    x.dispose();
  });

  it("does not leak tensors", () => {
    const layer = new Dense(3, { activation: "relu" });
    expectNoLeaks(layer, () => tf.ones([2, 3, 4]));
  });

  it("names the layer and the expected vs received shape on bad input", () => {
    const layer = new Dense(3, { name: "my_dense" });
    const ok = layer.apply(tf.ones([2, 4]));
    ok.dispose();
    const wrongDim = tf.ones([2, 5]);
    expect(() => layer.apply(wrongDim)).toThrow(/my_dense.*expected axis -1 of input shape to have value 4.*\(2, 5\)/);
    const wrongRank = tf.ones([4]);
    expect(() => layer.apply(wrongRank)).toThrow(/my_dense.*min_ndim=2, found ndim=1.*\(4,\)/);
    expect(() => layer.apply(new KerasTensor([null, 6]))).toThrow(/my_dense.*value 4.*\(None, 6\)/);
    tf.dispose([wrongDim, wrongRank]);
  });

  it("casts integer tensors", () => {
    const layer = new Dense(1, { kernelInitializer: "ones" });
    const x = tf.tensor2d([[1, 2]], [1, 2], "int32");
    const y = layer.apply(x) as Tensor;
    expect(y.dtype).toBe("float32");
    expectClose(y, [3]);
    tf.dispose([x, y]);
  });
});
