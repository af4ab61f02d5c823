import { describe, expect, it } from "vitest";
import { tf, type Tensor } from "../../lib/backend/tfjs.js";
import { KerasTensor } from "../../lib/backend/keras-tensor.js";
import { Add, add } from "../../lib/layers/merging/add.js";
import { Average } from "../../lib/layers/merging/average.js";
import { Concatenate, concatenate } from "../../lib/layers/merging/concatenate.js";
import { Dot, batchDot } from "../../lib/layers/merging/dot.js";
import { Maximum } from "../../lib/layers/merging/maximum.js";
import { Minimum } from "../../lib/layers/merging/minimum.js";
import { Multiply } from "../../lib/layers/merging/multiply.js";
import { Subtract } from "../../lib/layers/merging/subtract.js";
import type { Layer } from "../../lib/layers/layer.js";
import { expectClose, expectNoLeaks, expectRoundTrip } from "./helpers.js";

const a = (): Tensor => tf.tensor2d([[1, 5], [3, -2]]);
const b = (): Tensor => tf.tensor2d([[2, 4], [-1, 0]]);

function gradsOfPair(layer: Layer, x: Tensor, y: Tensor): [number[], number[]] {
  const [gx, gy] = tf.grads((p: Tensor, q: Tensor) => tf.sum(layer.apply([p, q]) as Tensor))([x, y]);
  const out: [number[], number[]] = [Array.from(gx.dataSync()), Array.from(gy.dataSync())];
  tf.dispose([gx, gy]);
  return out;
}

describe("element-wise merges", () => {
  const cases: [string, () => Layer, number[], [number[], number[]]][] = [
    ["Add", () => new Add(), [3, 9, 2, -2], [[1, 1, 1, 1], [1, 1, 1, 1]]],
    ["Subtract", () => new Subtract(), [-1, 1, 4, -2], [[1, 1, 1, 1], [-1, -1, -1, -1]]],
    ["Multiply", () => new Multiply(), [2, 20, -3, 0], [[2, 4, -1, 0], [1, 5, 3, -2]]],
    ["Average", () => new Average(), [1.5, 4.5, 1, -1], [[0.5, 0.5, 0.5, 0.5], [0.5, 0.5, 0.5, 0.5]]],
    ["Maximum", () => new Maximum(), [2, 5, 3, 0], [[0, 1, 1, 0], [1, 0, 0, 1]]],
    ["Minimum", () => new Minimum(), [1, 4, -1, -2], [[1, 0, 0, 1], [0, 1, 1, 0]]],
  ];
  for (const [name, make, expected, grads] of cases) {
    it(`${name}: values, shapes, config, gradients, leaks`, () => {
      const layer = make();
      const x = a();
      const y = b();
      const out = layer.apply([x, y]);
      expectClose(out, expected);
      expect(layer.computeOutputShape([[null, 2], [null, 2]])).toEqual([null, 2]);
      const kt = layer.apply([new KerasTensor([null, 3, 4]), new KerasTensor([null, 3, 4])]);
      expect(kt.shape).toEqual([null, 3, 4]);
      expectRoundTrip(layer, [x, y]);
      expect(gradsOfPair(layer, x, y)).toEqual(grads);
      expectNoLeaks(layer, () => [tf.ones([2, 2]), tf.ones([2, 2])]);
      tf.dispose([x, y, out]);
    });
  }

  it("broadcasts size-1 dims and inputs of lower rank (Keras's rules)", () => {
    const layer = new Add();
    expect(layer.computeOutputShape([[null, 3, 1], [null, 1, 4]])).toEqual([null, 3, 4]);
    expect(layer.computeOutputShape([[2, 4], [null, 3, 4]])).toEqual([2, 3, 4]);
    const out = layer.apply([tf.ones([2, 4]), tf.ones([2, 3, 4])]);
    expect(out.shape).toEqual([2, 3, 4]);
    const out3 = new Multiply().apply([tf.ones([2, 3]), tf.ones([2, 3]), tf.fill([2, 3], 2)]);
    expectClose(out3, new Array(6).fill(2));
    tf.dispose([out, out3]);
  });

  it("errors name the layer and the shapes", () => {
    expect(() => new Add({ name: "adder" }).apply([new KerasTensor([null, 3]), new KerasTensor([null, 4])])).toThrow(
      /adder.*incompatible shapes.*\(3,\) and \(4,\)/,
    );
    expect(() => new Add({ name: "adder2" }).apply([tf.ones([2, 3]), tf.ones([5, 3])])).toThrow(
      /adder2.*different batch sizes.*\(2, 3\), \(5, 3\)/,
    );
    expect(() => new Subtract({ name: "sub" }).apply([tf.ones([2, 3]), tf.ones([2, 3]), tf.ones([2, 3])])).toThrow(
      /sub.*exactly 2 inputs/,
    );
    expect(() => new Add().apply(tf.ones([2, 3]))).toThrow(/list of inputs/);
  });

  it("computeMask ORs the masks", () => {
    const m1 = tf.tensor1d([1, 0, 0], "bool");
    const m2 = tf.tensor1d([0, 0, 1], "bool");
    const m = new Add().computeMask([tf.ones([3, 2]), tf.ones([3, 2])], [m1, m2]) as Tensor;
    expect(Array.from(m.dataSync())).toEqual([1, 0, 1]);
    expect(new Add().computeMask([tf.ones([3, 2]), tf.ones([3, 2])], [m1, null])).toBeNull();
    tf.dispose([m1, m2, m]);
  });

  it("functional forms", () => {
    const out = add([tf.ones([1, 2]), tf.ones([1, 2])]);
    expectClose(out, [2, 2]);
    const kt = add([new KerasTensor([null, 2]), new KerasTensor([null, 2])]);
    expect(kt).toBeInstanceOf(KerasTensor);
    out.dispose();
  });
});

describe("Concatenate", () => {
  it("values, axis, shapes, config, errors, grads, leaks", () => {
    const layer = new Concatenate();
    const out = layer.apply([a(), tf.tensor2d([[7], [8]])]);
    expectClose(out, [1, 5, 7, 3, -2, 8]);
    const out0 = new Concatenate(0).apply([a(), b()]);
    expect(out0.shape).toEqual([4, 2]);
    expect(layer.computeOutputShape([[null, 2, 3], [null, 2, 5]])).toEqual([null, 2, 8]);
    expect(new Concatenate({ axis: 1 }).computeOutputShape([[null, 2, 3], [null, 4, 3]])).toEqual([null, 6, 3]);
    expect(layer.computeOutputShape([[null, 2], [null, null]])).toEqual([null, null]);
    expect(concatenate([new KerasTensor([null, 3]), new KerasTensor([null, 4])]).shape).toEqual([null, 7]);
    expect(() => new Concatenate({ name: "cat" }).apply([new KerasTensor([null, 2, 3]), new KerasTensor([null, 4, 5])])).toThrow(
      /cat.*matching shapes except for the concatenation axis.*\(None, 2, 3\), \(None, 4, 5\)/,
    );
    expect(layer.getConfig().axis).toBe(-1);
    const x = a();
    const y = b();
    expectRoundTrip(new Concatenate(1), [x, y]);
    expect(gradsOfPair(new Concatenate(), x, y)).toEqual([[1, 1, 1, 1], [1, 1, 1, 1]]);
    expectNoLeaks(new Concatenate(), () => [tf.ones([2, 2]), tf.ones([2, 3])]);
    tf.dispose([out, out0, x, y]);
  });

  it("computeMask", () => {
    const m1 = tf.tensor2d([[1, 0]], [1, 2], "bool");
    const m = new Concatenate().computeMask([tf.ones([1, 2, 3]), tf.ones([1, 2, 3])], [m1, null]) as Tensor;
    expect(Array.from(m.dataSync())).toEqual([1, 1]);
    tf.dispose([m1, m]);
  });
});

describe("Dot", () => {
  it("dot products, normalize, shapes, config, grads, leaks", () => {
    const layer = new Dot(1);
    const out = layer.apply([a(), b()]);
    expect(out.shape).toEqual([2, 1]);
    expectClose(out, [22, -3]);
    const cos = new Dot(1, { normalize: true }).apply([tf.tensor2d([[3, 4]]), tf.tensor2d([[4, 3]])]);
    expectClose(cos, [24 / 25]);
    const x3 = tf.reshape(tf.range(0, 12), [2, 2, 3]);
    const y3 = tf.reshape(tf.range(0, 12), [2, 3, 2]);
    const mm = new Dot([2, 1]).apply([x3, y3]);
    const ref = tf.matMul(x3, y3);
    expectClose(mm, ref);
    const bd = batchDot(x3, tf.reshape(tf.range(0, 6), [2, 3]), [2, 1]);
    expect(bd.shape).toEqual([2, 2]);
    expectClose(bd, [5, 14, 86, 122]);
    expect(new Dot([2, 1]).computeOutputShape([[null, 2, 3], [null, 3, 4]])).toEqual([null, 2, 4]);
    expect(new Dot(-1).apply([new KerasTensor([null, 5]), new KerasTensor([null, 5])]).shape).toEqual([null, 1]);
    expect(() => new Dot(1, { name: "dd" }).apply([new KerasTensor([null, 5]), new KerasTensor([null, 4])])).toThrow(
      /dd.*axis values 5 \(at axis 1\) != 4 \(at axis 1\)/,
    );
    expect(() => new Dot([1, 2, 3])).toThrow(/two elements/);
    expect(new Dot([2, 1], { normalize: true }).getConfig()).toMatchObject({ axes: [2, 1], normalize: true });
    const x = a();
    const y = b();
    expectRoundTrip(new Dot(1), [x, y]);
    expect(gradsOfPair(new Dot(1), x, y)).toEqual([[2, 4, -1, 0], [1, 5, 3, -2]]);
    expectNoLeaks(new Dot(1, { normalize: true }), () => [tf.ones([2, 3]), tf.ones([2, 3])]);
    tf.dispose([out, cos, x3, y3, mm, ref, bd, x, y]);
  });
});
