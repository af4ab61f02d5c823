import { describe, expect, it } from "vitest";
import { tf, type Tensor } from "../../lib/backend/tfjs.js";
import { KerasTensor } from "../../lib/backend/keras-tensor.js";
import { Flatten } from "../../lib/layers/reshaping/flatten.js";
import { Permute } from "../../lib/layers/reshaping/permute.js";
import { RepeatVector } from "../../lib/layers/reshaping/repeat-vector.js";
import { Reshape } from "../../lib/layers/reshaping/reshape.js";
import { expectClose, expectNoLeaks, expectRoundTrip, inputGrad } from "./helpers.js";

const range = (shape: number[]): Tensor => tf.reshape(tf.range(0, shape.reduce((a, b) => a * b, 1)), shape);

describe("Flatten", () => {
  it("flattens, channels_first, rank 1, shapes", () => {
    const x = range([2, 2, 3]);
    const y = new Flatten().apply(x);
    expect(y.shape).toEqual([2, 6]);
    expectClose(y, Array.from(x.dataSync()));
    const yf = new Flatten({ dataFormat: "channels_first" }).apply(x);
    expectClose(yf, [0, 3, 1, 4, 2, 5, 6, 9, 7, 10, 8, 11]);
    expect(new Flatten().apply(tf.ones([3])).shape).toEqual([3, 1]);
    expect(new Flatten().computeOutputShape([null, 3, null])).toEqual([null, null]);
    const kt = new Flatten().apply(new KerasTensor([null, 4, 5], { dtype: "int32" }));
    expect(kt.shape).toEqual([null, 20]);
    expect(kt.dtype).toBe("int32");
    const layer = new Flatten();
    expect(layer.getConfig().data_format).toBe("channels_last");
    expectRoundTrip(layer, x);
    expect(inputGrad(layer, x)).toEqual(new Array(12).fill(1));
    expectNoLeaks(layer, () => tf.ones([2, 3, 4]));
    tf.dispose([x, y, yf]);
  });
});

describe("Reshape", () => {
  it("reshapes with -1; errors; shapes", () => {
    const x = range([2, 12]);
    const y = new Reshape([-1, 4]).apply(x);
    expect(y.shape).toEqual([2, 3, 4]);
    expect(new Reshape({ targetShape: [3, 4] }).computeOutputShape([null, 12])).toEqual([null, 3, 4]);
    expect(new Reshape([-1, 4]).computeOutputShape([null, 12])).toEqual([null, 3, 4]);
    expect(new Reshape([-1, 4]).computeOutputShape([null, null])).toEqual([null, null, 4]);
    expect(new Reshape([-1, 2]).apply(new KerasTensor([null, 6])).shape).toEqual([null, 3, 2]);
    expect(() => new Reshape([5]).apply(x)).toThrow(/total size of the tensor must be unchanged/);
    expect(() => new Reshape([-1, -1])).toThrow(/at most one unknown/);
    const layer = new Reshape([4, 3]);
    expect(layer.getConfig().target_shape).toEqual([4, 3]);
    expectRoundTrip(layer, x);
    expect(inputGrad(layer, x)).toEqual(new Array(24).fill(1));
    expectNoLeaks(layer, () => tf.ones([2, 12]));
    tf.dispose([x, y]);
  });
});

describe("Permute", () => {
  it("permutes 1-based dims", () => {
    const x = range([1, 2, 3]);
    const layer = new Permute([2, 1]);
    const y = layer.apply(x);
    expect(y.shape).toEqual([1, 3, 2]);
    expectClose(y, [0, 3, 1, 4, 2, 5]);
    expect(layer.computeOutputShape([null, 10, 64])).toEqual([null, 64, 10]);
    expect(layer.apply(new KerasTensor([null, 10, 64])).shape).toEqual([null, 64, 10]);
    expect(() => new Permute([0, 1])).toThrow(/start from 1/);
    expect(() => layer.apply(tf.ones([2, 3]))).toThrow(/expected ndim=3, found ndim=2/);
    expect(layer.getConfig().dims).toEqual([2, 1]);
    expectRoundTrip(layer, x);
    expect(inputGrad(layer, x)).toEqual(new Array(6).fill(1));
    expectNoLeaks(layer, () => tf.ones([2, 3, 4]));
    tf.dispose([x, y]);
  });
});

describe("RepeatVector", () => {
  it("repeats", () => {
    const x = tf.tensor2d([[1, 2], [3, 4]]);
    const layer = new RepeatVector(3);
    const y = layer.apply(x);
    expect(y.shape).toEqual([2, 3, 2]);
    expectClose(y, [1, 2, 1, 2, 1, 2, 3, 4, 3, 4, 3, 4]);
    expect(layer.computeOutputShape([null, 32])).toEqual([null, 3, 32]);
    expect(layer.apply(new KerasTensor([null, 32])).shape).toEqual([null, 3, 32]);
    expect(() => new RepeatVector(0)).toThrow(/positive integer/);
    expect(layer.getConfig().n).toBe(3);
    expectRoundTrip(layer, x);
    expect(inputGrad(layer, x)).toEqual([3, 3, 3, 3]);
    expectNoLeaks(layer, () => tf.ones([2, 5]));
    tf.dispose([x, y]);
  });
});
