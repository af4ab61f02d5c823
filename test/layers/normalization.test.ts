import { describe, expect, it } from "vitest";
import { tf, type Tensor } from "../../lib/backend/tfjs.js";
import { KerasTensor } from "../../lib/backend/keras-tensor.js";
import { BatchNormalization } from "../../lib/layers/normalization/batch-normalization.js";
import { LayerNormalization } from "../../lib/layers/normalization/layer-normalization.js";
import { anyNonzero, expectClose, expectNoLeaks, expectRoundTrip, inputGrad, loadFixture, tensorOf, weightGrads } from "./helpers.js";

describe("BatchNormalization", () => {
  it("matches the Keras inference fixture", () => {
    const f = loadFixture("batch_normalization_inference");
    const layer = new BatchNormalization({ name: "bn" });
    const x = tensorOf(f.inputs[0]);
    layer.build([null, 5]);
    expect(layer.weights.map((w) => w.path)).toEqual(f.weights.map((w) => w.path));
    expect(layer.weights.map((w) => w.trainable)).toEqual(f.weights.map((w) => w.trainable));
    layer.setWeights(f.weights.map(tensorOf));
    const y = layer.apply(x, { training: false });
    expectClose(y, f.output);
    expect(layer.getConfig()).toEqual(f.layer_config);
    tf.dispose([x, y]);
  });

  it("training uses batch moments and updates the moving statistics", () => {
    const layer = new BatchNormalization({ momentum: 0.9, epsilon: 0 + 1e-3 });
    const x = tf.tensor2d([
      [1, 10],
      [3, 20],
    ]);
    const y = layer.apply(x, { training: true });
    // mean [2, 15], var [1, 25]
    const inv = [1 / Math.sqrt(1 + 1e-3), 1 / Math.sqrt(25 + 1e-3)];
    expectClose(y, [-inv[0], -5 * inv[1], inv[0], 5 * inv[1]]);
    expectClose(layer.movingMean!.value, [0.2, 1.5]);
    expectClose(layer.movingVariance!.value, [0.9 + 0.1, 0.9 + 2.5]);
    const yi = layer.apply(x);
    expectClose(yi, [
      (1 - 0.2) / Math.sqrt(1 + 1e-3),
      (10 - 1.5) / Math.sqrt(3.4 + 1e-3),
      (3 - 0.2) / Math.sqrt(1 + 1e-3),
      (20 - 1.5) / Math.sqrt(3.4 + 1e-3),
    ], 1e-5);
    // frozen: inference even with training=true
    layer.trainable = false;
    const yf = layer.apply(x, { training: true });
    expectClose(yf, yi);
    expectClose(layer.movingMean!.value, [0.2, 1.5]);
    tf.dispose([x, y, yi, yf]);
  });

  it("axis 1 of a rank-4 input, shapes, round trip, gradients, leaks", () => {
    const layer = new BatchNormalization({ axis: 1 });
    expect(layer.computeOutputShape([null, 3, 4, 4])).toEqual([null, 3, 4, 4]);
    expect(layer.apply(new KerasTensor([null, 3, 4, 4])).shape).toEqual([null, 3, 4, 4]);
    expect(layer.gamma!.shape).toEqual([3]);
    const x = tf.randomNormal([2, 3, 4, 4], 1, 2, "float32", 3);
    const y = layer.apply(x, { training: true }) as Tensor;
    // per-channel mean ~0 after normalization with batch stats
    const m = tf.mean(y, [0, 2, 3]);
    expectClose(m, [0, 0, 0], 1e-4);
    expectRoundTrip(layer, x);
    expect(anyNonzero(inputGrad(layer, x))).toBe(true);
    const g = weightGrads(layer, x, { training: true });
    expect(Object.keys(g)).toEqual([layer.gamma!.path, layer.beta!.path]);
    expect(g[layer.beta!.path]).toEqual([32, 32, 32]);
    expectNoLeaks(layer, () => tf.ones([2, 3, 4, 4]), { training: true });
    expectNoLeaks(layer, () => tf.ones([2, 3, 4, 4]));
    tf.dispose([x, y, m]);
  });

  it("renorm keeps Keras's config and trains", () => {
    const layer = new BatchNormalization({ renorm: true, renormClipping: { rmax: 3, rmin: 0.3, dmax: 5 } });
    const x = tf.randomNormal([8, 3], 0, 1, "float32", 4);
    const y = layer.apply(x, { training: true });
    expect(y.shape).toEqual([8, 3]);
    expect(layer.weights.map((w) => w.name)).toEqual(["gamma", "beta", "moving_mean", "moving_variance", "moving_stddev", "renorm_mean", "renorm_stddev"]);
    expect(layer.getConfig().renorm_clipping).toEqual({ rmax: 3, rmin: 0.3, dmax: 5 });
    tf.dispose([x, y]);
  });
});

describe("LayerNormalization", () => {
  it("matches the Keras fixture", () => {
    const f = loadFixture("layer_normalization");
    const layer = new LayerNormalization({ name: "ln" });
    const x = tensorOf(f.inputs[0]);
    layer.build(f.inputs[0].shape);
    expect(layer.weights.map((w) => w.path)).toEqual(f.weights.map((w) => w.path));
    layer.setWeights(f.weights.map(tensorOf));
    const y = layer.apply(x);
    expectClose(y, f.output);
    expect(layer.getConfig()).toEqual(f.layer_config);
    tf.dispose([x, y]);
  });

  it("hand values over two axes and rmsScaling", () => {
    const layer = new LayerNormalization({ axis: [1, 2], epsilon: 0 });
    const x = tf.tensor3d([[[1, 2], [3, 4]]]);
    const y = layer.apply(x);
    const s = Math.sqrt(1.25);
    expectClose(y, [-1.5 / s, -0.5 / s, 0.5 / s, 1.5 / s]);
    expect(layer.gamma!.shape).toEqual([2, 2]);
    expect(layer.getConfig().axis).toEqual([1, 2]);
    const rms = new LayerNormalization({ rmsScaling: true, epsilon: 0 });
    const y2 = rms.apply(tf.tensor2d([[1, 3]]));
    expectClose(y2, [1, 3]);
    expect(rms.weights.map((w) => w.name)).toEqual(["gamma"]);
    tf.dispose([x, y, y2]);
  });

  it("shapes, round trip, gradients, leaks", () => {
    const layer = new LayerNormalization();
    expect(layer.computeOutputShape([null, 3, 6])).toEqual([null, 3, 6]);
    expect(layer.apply(new KerasTensor([null, 3, 6])).shape).toEqual([null, 3, 6]);
    const x = tf.randomNormal([2, 3, 6], 0, 1, "float32", 5);
    expectRoundTrip(layer, x);
    inputGrad(layer, x);
    const g = weightGrads(layer, x);
    expect(anyNonzero(g[layer.gamma!.path].map(Math.abs))).toBe(true);
    expect(g[layer.beta!.path]).toEqual(new Array(6).fill(6));
    expectNoLeaks(layer, () => tf.ones([2, 3, 6]));
    x.dispose();
  });
});
