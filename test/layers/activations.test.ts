import { describe, expect, it } from "vitest";
import { tf, type Tensor } from "../../lib/backend/tfjs.js";
import { KerasTensor } from "../../lib/backend/keras-tensor.js";
import { ELU } from "../../lib/layers/activations/elu.js";
import { LeakyReLU } from "../../lib/layers/activations/leaky-relu.js";
import { PReLU } from "../../lib/layers/activations/prelu.js";
import { ReLU } from "../../lib/layers/activations/relu.js";
import { Softmax } from "../../lib/layers/activations/softmax.js";
import type { Layer } from "../../lib/layers/layer.js";
import { anyNonzero, expectClose, expectNoLeaks, expectRoundTrip, inputGrad, weightGrads } from "./helpers.js";

const X = [-3, -1, 0, 0.5, 2, 8];

function common(layer: Layer): void {
  expect(layer.computeOutputShape([null, 6])).toEqual([null, 6]);
  expect(layer.apply(new KerasTensor([null, 6])).shape).toEqual([null, 6]);
  const x = tf.tensor2d([X]);
  expectRoundTrip(layer, x);
  expect(anyNonzero(inputGrad(layer, x))).toBe(true);
  expectNoLeaks(layer, () => tf.ones([2, 6]));
  x.dispose();
}

function run(layer: Layer, xs = X): Tensor {
  return layer.apply(tf.tensor2d([xs])) as Tensor;
}

describe("activation layers", () => {
  it("ReLU: default, maxValue, negativeSlope, threshold", () => {
    expectClose(run(new ReLU()), [0, 0, 0, 0.5, 2, 8]);
    expectClose(run(new ReLU({ maxValue: 6 })), [0, 0, 0, 0.5, 2, 6]);
    expectClose(run(new ReLU({ negativeSlope: 0.1 })), [-0.3, -0.1, 0, 0.5, 2, 8]);
    expectClose(run(new ReLU({ threshold: 1, negativeSlope: 0.5, maxValue: 4 })), [-2, -1, -0.5, -0.25, 2, 4]);
    expect(new ReLU({ maxValue: 6 }).getConfig()).toMatchObject({ max_value: 6, negative_slope: 0, threshold: 0 });
    expect(() => new ReLU({ maxValue: -1 })).toThrow(/max_value/);
    common(new ReLU({ maxValue: 6, negativeSlope: 0.1 }));
  });

  it("LeakyReLU: 0.3 default", () => {
    expectClose(run(new LeakyReLU()), [-0.9, -0.3, 0, 0.5, 2, 8]);
    expect(new LeakyReLU().getConfig().negative_slope).toBe(0.3);
    expectClose(run(new LeakyReLU({ negativeSlope: 0.5 })), [-1.5, -0.5, 0, 0.5, 2, 8]);
    common(new LeakyReLU());
  });

  it("ELU", () => {
    expectClose(run(new ELU()), [Math.expm1(-3), Math.expm1(-1), 0, 0.5, 2, 8]);
    expectClose(run(new ELU({ alpha: 2 })), [2 * Math.expm1(-3), 2 * Math.expm1(-1), 0, 0.5, 2, 8]);
    expect(new ELU({ alpha: 2 }).getConfig().alpha).toBe(2);
    common(new ELU({ alpha: 0.5 }));
  });

  it("PReLU: alpha per unit, sharedAxes, weights and grads", () => {
    const layer = new PReLU({ alphaInitializer: "ones" });
    const y = run(layer);
    expectClose(y, X);
    expect(layer.alpha!.shape).toEqual([6]);
    layer.setWeights([[0.1, 0.2, 0.3, 0.4, 0.5, 0.6]]);
    expectClose(run(layer), [-0.3, -0.2, 0, 0.5, 2, 8]);
    const shared = new PReLU({ sharedAxes: [1, 2] });
    shared.build([null, 4, 4, 3]);
    expect(shared.alpha!.shape).toEqual([1, 1, 3]);
    expect(shared.getConfig()).toMatchObject({ shared_axes: [1, 2], alpha_initializer: { class_name: "Zeros" } });
    const g = weightGrads(layer, tf.tensor2d([X]));
    expectClose(tf.tensor1d(g[layer.alpha!.path]), [-3, -1, 0, 0, 0, 0]);
    common(new PReLU({ alphaInitializer: "ones" }));
  });

  it("Softmax: axis, mask", () => {
    const layer = new Softmax();
    const y = run(layer, [1, 2, 3]);
    const e = [Math.exp(1), Math.exp(2), Math.exp(3)];
    const s = e[0] + e[1] + e[2];
    expectClose(y, e.map((v) => v / s));
    const masked = layer.apply(tf.tensor2d([[1, 2, 3]]), { mask: tf.tensor2d([[1, 0, 1]]) });
    expectClose(masked, [e[0] / (e[0] + e[2]), 0, e[2] / (e[0] + e[2])]);
    const ax0 = new Softmax({ axis: 0 }).apply(tf.tensor2d([[0, 0], [0, Math.log(3)]]));
    expectClose(ax0, [0.5, 0.25, 0.5, 0.75]);
    const both = new Softmax({ axis: [0, 1] }).apply(tf.zeros([2, 2]));
    expectClose(both, [0.25, 0.25, 0.25, 0.25]);
    expect(new Softmax({ axis: 1 }).getConfig().axis).toBe(1);
    expect(() => layer.apply(tf.ones([1, 3]), { mask: tf.ones([1, 2]) })).toThrow(/broadcastable/);
    // gradient of sum(softmax) is 0; use the first output instead
    const x = tf.tensor2d([[1, 2, 3]]);
    const g = tf.grad((t: Tensor) => tf.slice(layer.apply(t) as Tensor, [0, 0], [1, 1]).sum())(x);
    expect(anyNonzero(Array.from(g.dataSync()))).toBe(true);
    expect(layer.computeOutputShape([null, 6])).toEqual([null, 6]);
    expectRoundTrip(layer, x);
    expectNoLeaks(layer, () => tf.ones([2, 6]));
    expectNoLeaks(layer, () => tf.ones([2, 6]), { mask: tf.ones([2, 6]) });
  });
});
