import { describe, expect, it } from "vitest";
import { tf } from "../../../lib/backend/tfjs.js";
import { KerasTensor } from "../../../lib/backend/keras-tensor.js";
import { EinsumDense, analyzeEinsumString } from "../../../lib/layers/core/einsum-dense.js";
import { anyNonzero, expectClose, expectNoLeaks, expectRoundTrip, inputGrad, weightGrads } from "../helpers.js";

describe("EinsumDense", () => {
  it("Keras's shape rules (no ellipsis, left and right ellipsis)", () => {
    let a = analyzeEinsumString("ab,bc->ac", "c", [null, 32], 64);
    expect(a.kernelShape).toEqual([32, 64]);
    expect(a.biasShape).toEqual([64]);
    expect(a.fullOutputShape).toEqual([null, 64]);
    expect(a.inputAxes).toEqual([0]);
    expect(a.outputAxes).toEqual([1]);
    a = analyzeEinsumString("abc,cd->abd", "d", [null, 32, 128], [32, 64]);
    expect(a.kernelShape).toEqual([128, 64]);
    expect(a.biasShape).toEqual([64]);
    expect(a.fullOutputShape).toEqual([null, 32, 64]);
    a = analyzeEinsumString("...b,bc->...c", "c", [null, 32, 128], 64);
    expect(a.kernelShape).toEqual([128, 64]);
    expect(a.fullOutputShape).toEqual([null, 32, 64]);
    a = analyzeEinsumString("abc,cde->abde", "de", [null, 4, 8], [4, 2, 3]);
    expect(a.kernelShape).toEqual([8, 2, 3]);
    expect(a.biasShape).toEqual([2, 3]);
    a = analyzeEinsumString("ab...,bc->ac...", "c", [null, 4, 5], [6]);
    expect(a.kernelShape).toEqual([4, 6]);
    expect(a.fullOutputShape).toEqual([null, 6, 5]);
    expect(a.biasShape).toEqual([6, 1]);
    a = analyzeEinsumString("abc,cd->abd", "bd", [null, 3, 4], [null, 5]);
    expect(a.biasShape).toEqual([null, 5]); // as Keras: a partial output shape leaves the bias size unknown
    expect(() => new EinsumDense("abc,cd->abd", [null, 5], { biasAxes: "bd" }).build([null, 3, 4])).toThrow(/partially unknown shape/);
    expect(() => analyzeEinsumString("abc,cd->abd", null, [null, 3, 4], [7, 5])).toThrow(/shared dimension 'b'/);
    expect(() => analyzeEinsumString("ab,bc->ac", "z", [null, 3], 2)).toThrow(/Bias dimension 'z'/);
    expect(() => analyzeEinsumString("ab->b", null, [null, 3], 2)).toThrow(/Invalid einsum equation/);
  });

  it("computes the einsum plus bias", () => {
    const layer = new EinsumDense("abc,cd->abd", [2, 2], { biasAxes: "d" });
    layer.build([null, 2, 3]);
    layer.setWeights([
      [
        [1, 0],
        [0, 1],
        [1, 1],
      ],
      [10, 20],
    ]);
    const x = tf.tensor3d([[[1, 2, 3], [4, 5, 6]]]);
    const y = layer.apply(x);
    expectClose(y, [14, 25, 20, 31]);
    tf.dispose([x, y]);
  });

  it("shapes, config, round trip, gradients, leaks", () => {
    const layer = new EinsumDense({ equation: "...b,bc->...c", outputShape: 4, biasAxes: "c", activation: "relu" });
    expect(layer.computeOutputShape([null, 5, 3])).toEqual([null, 5, 4]);
    expect(layer.apply(new KerasTensor([null, 5, 3])).shape).toEqual([null, 5, 4]);
    const cfg = layer.getConfig();
    expect(cfg.output_shape).toEqual([4]);
    expect(cfg.equation).toBe("...b,bc->...c");
    expect(cfg.bias_axes).toBe("c");
    expect(Object.keys(cfg)).toEqual([
      "name", "trainable", "dtype", "output_shape", "equation", "activation", "bias_axes", "kernel_initializer",
      "bias_initializer", "kernel_regularizer", "bias_regularizer", "activity_regularizer", "kernel_constraint",
      "bias_constraint", "quantization_config",
    ]);
    const x = tf.randomNormal([2, 5, 3], 0, 1, "float32", 7);
    expectRoundTrip(layer, x);
    const lin = new EinsumDense("ab,bc->ac", 2);
    expect(anyNonzero(inputGrad(lin, tf.ones([2, 3])))).toBe(true);
    const g = weightGrads(lin, tf.ones([2, 3]));
    expect(g[lin.kernel!.path]).toEqual([2, 2, 2, 2, 2, 2]);
    expectNoLeaks(layer, () => tf.ones([2, 5, 3]));
    x.dispose();
  });
});
