import { describe, expect, it } from "vitest";
import { KerasTensor } from "../../lib/backend/keras-tensor.js";
import { Variable } from "../../lib/backend/variable.js";
import * as core from "../../lib/ops/core.js";
import { disposeAll, expectKeras, expectNoLeak, expectTensor, tf } from "./ops-test-utils.js";

describe("dtype, shape, conversion", () => {
  it("cast and saturateCast", () => {
    expectTensor(core.cast([1.7, -2.2], "int32"), [1, -2], "int32");
    expectTensor(core.cast([0, 2], "bool"), [false, true], "bool");
    expectTensor(core.cast([1, 2], "float16"), [1, 2], "float32");
    expectKeras(core.cast(new KerasTensor([null, 2]), "int32"), [null, 2], "int32");
    expectTensor(core.saturateCast([-1, 256.5, 3], "uint8"), [0, 255, 3], "int32");
    expectTensor(core.saturateCast([-200, 200], "int8"), [-128, 127], "int32");
    expectTensor(core.saturateCast(new Float32Array([1e10]), "int32"), [2147483520], "int32");
  });
  it("convertToTensor and convertToNumpy", () => {
    const t = core.convertToTensor([[1, 2]]);
    expect(t.dtype).toBe("int32");
    expect(core.convertToTensor(t)).toBe(t);
    const f = core.convertToTensor(t, "float32");
    expect(f.dtype).toBe("float32");
    expect(core.convertToNumpy(t)).toEqual([[1, 2]]);
    expect(core.convertToNumpy(tf.scalar(2.5))).toBe(2.5);
    expect(core.convertToNumpy([true, false])).toEqual([true, false]);
    disposeAll([t, f]);
  });
  it("isTensor, dtype, shape", () => {
    const t = tf.zeros([2, 3]);
    expect(core.isTensor(t)).toBe(true);
    expect(core.isTensor([1])).toBe(false);
    expect(core.dtype(t)).toBe("float32");
    expect(core.dtype([1, 2])).toBe("int32");
    expect(core.dtype(new KerasTensor([2], { dtype: "bool" }))).toBe("bool");
    expect(core.shape(t)).toEqual([2, 3]);
    expect(core.shape(new KerasTensor([null, 3]))).toEqual([null, 3]);
    t.dispose();
  });
});

describe("gradients", () => {
  it("stopGradient blocks gradients", () => {
    const g = tf.grad((x: tf.Tensor) => tf.add(tf.mul(x, x), core.stopGradient(tf.mul(x, 3))));
    const x = tf.scalar(2);
    const r = g(x);
    expect(r.dataSync()[0]).toBe(4);
    const v = core.stopGradient(x);
    expect(v.dataSync()[0]).toBe(2);
    disposeAll([x, r, v]);
  });
  it("customGradient", () => {
    const clipGrad = core.customGradient((x: tf.Tensor) => [tf.square(x), (dy: tf.Tensor) => tf.mul(dy, 100)]);
    const x = tf.scalar(3);
    const y = clipGrad(x);
    expect(y.dataSync()[0]).toBe(9);
    const g = tf.grad((t: tf.Tensor) => clipGrad(t))(x);
    expect(g.dataSync()[0]).toBe(100);
    disposeAll([x, y, g]);
  });
});

describe("control flow", () => {
  it("cond", () => {
    expect(core.cond(true, () => 1, () => 2)).toBe(1);
    const p = tf.scalar(false, "bool");
    expect(core.cond(p, () => "a", () => "b")).toBe("b");
    p.dispose();
  });
  it("foriLoop", () => {
    const r = core.foriLoop(0, 5, (i, acc: tf.Tensor) => tf.add(acc, tf.scalar(i, "int32")), tf.scalar(0, "int32"));
    expectTensor(r, 10, "int32");
    r.dispose();
    expectNoLeak(() => {
      const init = tf.zeros([2]);
      const ones = tf.ones([2]);
      const out = core.foriLoop(1, 4, (i, [a, b]: tf.Tensor[]) => [tf.add(a!, i), tf.mul(b!, 2)], [init, ones]);
      return [init, ones, out];
    });
    const sym = core.foriLoop(0, 3, (_i, v: KerasTensor | tf.Tensor) => tf.add(v as tf.Tensor, 1), new KerasTensor([null, 2]));
    expectKeras(sym, [null, 2]);
  });
  it("whileLoop", () => {
    const out = core.whileLoop(
      (i: tf.Tensor) => tf.less(i, 10),
      (i: tf.Tensor) => tf.add(i, tf.scalar(3, "int32")),
      tf.scalar(0, "int32"),
    );
    expectTensor(out, 12, "int32");
    out.dispose();
    const [a, b] = core.whileLoop(
      (x: number, _y: tf.Tensor) => x < 4,
      (x: number, y: tf.Tensor) => [x + 1, tf.mul(y, 2)],
      [0, tf.scalar(1)] as [number, tf.Tensor],
    ) as [number, tf.Tensor];
    expect(a).toBe(4);
    expectTensor(b, 16);
    b.dispose();
    const capped = core.whileLoop(() => true, (x: number) => x + 1, 0, 7);
    expect(capped).toBe(7);
    expectNoLeak(() => {
      const i0 = tf.scalar(0);
      return [i0, core.whileLoop((i: tf.Tensor) => tf.less(i, 5), (i: tf.Tensor) => tf.add(i, 1), i0)];
    });
  });
  it("scan", () => {
    const xs = tf.tensor([1, 2, 3, 4]);
    const [carry, ys] = core.scan((c: tf.Tensor, x: tf.Tensor | null) => {
      const n = tf.add(c, x!);
      return [n, tf.mul(n, 10)];
    }, tf.scalar(0), xs);
    expectTensor(carry, 10);
    expectTensor(ys, [10, 30, 60, 100]);
    disposeAll([carry, ys]);
    const [c2, y2] = core.scan((c: tf.Tensor, x: tf.Tensor | null) => [tf.add(c, x!), c], tf.scalar(0), xs, null, true);
    expectTensor(c2, 10);
    expectTensor(y2, [9, 7, 4, 0]);
    disposeAll([c2, y2]);
    const [c3, y3] = core.scan((c: tf.Tensor) => [tf.mul(c, 2), c], tf.scalar(1), null, 3);
    expectTensor(c3, 8);
    expectTensor(y3, [1, 2, 4]);
    disposeAll([c3, y3]);
    expectNoLeak(() => {
      const c0 = tf.scalar(0);
      return [c0, core.scan((c: tf.Tensor, x: tf.Tensor | null) => [tf.add(c, x!), tf.square(x!)], c0, xs)];
    });
    xs.dispose();
  });
  it("map and vectorizedMap", () => {
    const xs = tf.tensor([[1, 2], [3, 4]]);
    expectTensor(core.map((x: tf.Tensor) => tf.sum(x), xs), [3, 7]);
    const both = core.map((p: { a: tf.Tensor; b: tf.Tensor }) => ({ s: tf.add(p.a, p.b) }), { a: xs, b: xs });
    expectTensor(both.s, [[2, 4], [6, 8]]);
    both.s.dispose();
    expectTensor(core.vectorizedMap((x: tf.Tensor) => tf.mul(x, 2), xs), [[2, 4], [6, 8]]);
    expectNoLeak(() => core.map((x: tf.Tensor) => tf.square(x), xs));
    expectKeras(core.map((x: tf.Tensor) => tf.sum(x), new KerasTensor([5, 3]) as unknown as tf.Tensor), [5]);
    xs.dispose();
  });
  it("associativeScan", () => {
    expectTensor(core.associativeScan((a: tf.Tensor, b: tf.Tensor) => tf.add(a, b), tf.tensor([1, 2, 3, 4])), [1, 3, 6, 10]);
    expectTensor(core.associativeScan((a: tf.Tensor, b: tf.Tensor) => tf.add(a, b), tf.tensor([1, 2, 3, 4]), true), [10, 9, 7, 4]);
    expectTensor(core.associativeScan((a: tf.Tensor, b: tf.Tensor) => tf.mul(a, b), tf.tensor([[1, 2], [3, 4]]), false, 1), [[1, 2], [3, 12]]);
  });
  it("switch", () => {
    const branches = [(x: number) => x + 1, (x: number) => x * 10];
    expect(core.switch(1, branches, 5)).toBe(50);
    expect(core.switchCase(-3, branches, 5)).toBe(6);
    expect(core.switch(9, branches, 5)).toBe(50);
  });
});

describe("slicing and scattering", () => {
  const x = [
    [1, 2, 3],
    [4, 5, 6],
  ];
  it("slice and sliceUpdate", () => {
    expectTensor(core.slice(x, [0, 1], [2, 2]), [[2, 3], [5, 6]]);
    expectTensor(core.slice(x, tf.tensor([1, 0], [2], "int32"), [1, 3]), [[4, 5, 6]]);
    expectTensor(core.sliceUpdate(x, [1, 1], [[9, 9]]), [[1, 2, 3], [4, 9, 9]], "int32");
    expect(() => core.sliceUpdate(x, [1, 2], [[9, 9]])).toThrow(/do not fit/);
    expectKeras(core.slice(new KerasTensor([4, 5]), [1, 1], [2, 3]), [2, 3]);
  });
  it("scatter sums duplicates", () => {
    expectTensor(core.scatter([[0], [2], [0]], [1, 2, 3], [4]), [4, 0, 2, 0]);
    expectTensor(core.scatter([[0, 1], [1, 0]], [[1.5, 2]].flat(), [2, 2]), [[0, 1.5], [2, 0]], "float32");
  });
  it("scatterUpdate", () => {
    expectTensor(core.scatterUpdate(x, [[0, 0], [1, 2]], [10, 20]), [[10, 2, 3], [4, 5, 20]]);
    expectTensor(core.scatterUpdate(x, [[1]], [[7, 8, 9]]), [[1, 2, 3], [7, 8, 9]]);
    expectTensor(core.scatterUpdate(x, [[0, 0], [0, 0]], [10, 20], "add"), [[31, 2, 3], [4, 5, 6]]);
    expectTensor(core.scatterUpdate(x, [[0, 0], [1, 1]], [0, 9], "max"), [[1, 2, 3], [4, 9, 6]]);
    expectTensor(core.scatterUpdate(x, [[0, 2]], [2], "mul"), [[1, 2, 6], [4, 5, 6]]);
  });
  it("unstack", () => {
    const u = core.unstack(x);
    expect(u.length).toBe(2);
    expectTensor(u[1], [4, 5, 6]);
    const v = core.unstack(x, 3, -1);
    expectTensor(v[0], [1, 4]);
    expect(() => core.unstack(x, 5)).toThrow(/num=5/);
    disposeAll([u, v]);
    const s = core.unstack(new KerasTensor([null, 3]), 3, 1);
    expect(s.length).toBe(3);
    expectKeras(s[0], [null]);
  });
  it("no leaks", () => {
    const t = tf.tensor(x);
    expectNoLeak(() => core.sliceUpdate(t, [0, 0], [[7]]));
    expectNoLeak(() => core.scatterUpdate(t, [[0, 0]], [1], "min"));
    expectNoLeak(() => core.scatter([[1]], [1], [3]));
    expectNoLeak(() => core.cast(t, "float32"));
    expectNoLeak(() => core.saturateCast(t, "uint8"));
    expectNoLeak(() => core.unstack(t, null, 1));
    expect(t.isDisposed).toBe(false);
    t.dispose();
  });
  it("Variables are not consumed", () => {
    const v = new Variable(tf.tensor([1, 2]));
    const t = core.convertToTensor(v);
    t.dispose();
    expect(core.convertToNumpy(v)).toEqual([1, 2]);
    const c = core.cast(v, "int32");
    c.dispose();
    expect(v.value.isDisposed).toBe(false);
  });
});
