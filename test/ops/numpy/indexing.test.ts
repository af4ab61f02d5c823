import { describe, expect, it } from "vitest";
import { KerasTensor } from "../../../lib/backend/keras-tensor.js";
import * as ops from "../../../lib/ops/numpy/indexing.js";
import { disposeAll, expectKeras, expectNoLeak, expectTensor, tf } from "../ops-test-utils.js";

const m = [
  [10, 20, 30],
  [40, 50, 60],
];

describe("take / takeAlongAxis", () => {
  it("take flattened, along an axis, negative indices", () => {
    expectTensor(ops.take(m, [0, 5, -1]), [10, 60, 60], "int32");
    expectTensor(ops.take(m, [2, -3], 1), [[30, 10], [60, 40]]);
    expectTensor(ops.take(m, [[1], [0]], 0), [[[40, 50, 60]], [[10, 20, 30]]], "int32", [2, 1, 3]);
    expectTensor(ops.take(m, -1, -1), [30, 60]);
    expectKeras(ops.take(new KerasTensor([null, 5]), [0, 1], 1), [null, 2]);
  });
  it("takeAlongAxis", () => {
    const x = [[4, 3, 5], [1, 2, 9]];
    expectTensor(ops.takeAlongAxis(x, [[1, 0], [2, -1]], 1), [[3, 4], [9, 9]]);
    expectTensor(ops.takeAlongAxis(x, [[1, 0, 0]], 0), [[1, 3, 5]]);
    expectTensor(ops.takeAlongAxis(x, [5, 0], null), [9, 4]);
    // broadcasting of the non-axis dims
    expectTensor(ops.takeAlongAxis(x, [[0], [2]], -1), [[4], [9]]);
    expectKeras(ops.takeAlongAxis(new KerasTensor([null, 4]), new KerasTensor([null, 2], { dtype: "int32" }), 1), [null, 2]);
  });
});

describe("where / select / nonzero", () => {
  it("where with broadcasting and promotion", () => {
    expectTensor(ops.where([true, false, true], [1, 2, 3], 0.5), [1, 0.5, 3], "float32");
    expectTensor(ops.where([[true], [false]], [1, 2], [3, 4]), [[1, 2], [3, 4]], "int32");
    expectTensor(ops.where([1, 0], 7, 8), [7, 8], "int32");
    expectKeras(ops.where(new KerasTensor([null, 3], { dtype: "bool" }), 1.0, new KerasTensor([null, 3])), [null, 3], "float32");
  });
  it("where with one argument is nonzero", () => {
    const r = ops.where([[0, 1], [2, 0]]);
    expect(r.length).toBe(2);
    expectTensor(r[0], [0, 1], "int32");
    expectTensor(r[1], [1, 0], "int32");
    disposeAll(r);
  });
  it("nonzero", () => {
    const r = ops.nonzero([0, 3, 0, 4]);
    expectTensor(r[0], [1, 3], "int32");
    disposeAll(r);
    const s = ops.nonzero(new KerasTensor([null, 3]));
    expect(s.length).toBe(2);
    expectKeras(s[0], [null], "int32");
  });
  it("select", () => {
    const x = [0, 1, 2, 3, 4, 5];
    const r = ops.select([[true, true, true, false, false, false], [false, false, false, false, false, true]], [[0, 0, 0, 0, 0, 0], x.map((v) => v * v)], 42);
    expectTensor(r, [0, 0, 0, 42, 42, 25], "int32");
    // the first true condition wins
    expectTensor(ops.select([[true, false], [true, true]], [[1, 1], [2, 2]]), [1, 2]);
  });
});

describe("getItem", () => {
  const x = tf.reshape(tf.range(0, 24, 1, "int32"), [2, 3, 4]);
  it("integers, slices, ellipsis, new axes", () => {
    expectTensor(ops.getItem(x, 1), [[12, 13, 14, 15], [16, 17, 18, 19], [20, 21, 22, 23]]);
    expectTensor(ops.getItem(x, [0, -1]), [8, 9, 10, 11]);
    expectTensor(ops.getItem(x, [0, "1:", "::2"]), [[4, 6], [8, 10]]);
    expectTensor(ops.getItem(x, ["...", -1]), [[3, 7, 11], [15, 19, 23]]);
    expectTensor(ops.getItem(x, [1, 2, "::-1"]), [23, 22, 21, 20]);
    expect(ops.getItem(x, [null, "...", null]).shape).toEqual([1, 2, 3, 4, 1]);
    expectTensor(ops.getItem(x, [0, 0, { start: -3, stop: null, step: 1 }]), [1, 2, 3]);
    expectTensor(ops.getItem(x, [0, 0, "5:"]), [], "int32", [0]);
    expect(() => ops.getItem(x, [0, 3])).toThrow(/out of bounds/);
  });
  it("symbolic", () => {
    expectKeras(ops.getItem(new KerasTensor([null, 5]), [":", "1:3"]), [null, 2]);
    expectKeras(ops.getItem(new KerasTensor([null, 5]), ["...", 0]), [null]);
  });
  it("no leaks", () => {
    expectNoLeak(() => ops.getItem(x, [0, "::-1", 1]));
  });
});

describe("search and counting", () => {
  it("searchsorted", () => {
    expectTensor(ops.searchsorted([1, 2, 2, 3], [2, 0, 5, 2.5]), [1, 0, 4, 3], "int32");
    expectTensor(ops.searchsorted([1, 2, 2, 3], [[2]], "right"), [[3]], "int32");
    expect(() => ops.searchsorted([[1]], [1])).toThrow(/1-D/);
  });
  it("digitize", () => {
    // np.digitize([0.2, 6.4, 3.0, 1.6], [0, 1, 2.5, 4, 10]) = [1, 4, 3, 2]
    expectTensor(ops.digitize([0.2, 6.4, 3.0, 1.6], [0, 1, 2.5, 4, 10]), [1, 4, 3, 2], "int32");
    expectTensor(ops.digitize([1, 4], [1, 4]), [1, 2], "int32");
  });
  it("unravelIndex", () => {
    // np.unravel_index([22, 41, 37], (7, 6)) = ([3, 6, 6], [4, 5, 1])
    const r = ops.unravelIndex([22, 41, 37], [7, 6]);
    expectTensor(r[0], [3, 6, 6], "int32");
    expectTensor(r[1], [4, 5, 1], "int32");
    disposeAll(r);
  });
  it("isin", () => {
    expectTensor(ops.isin([[0, 2], [4, 6]], [1, 2, 4, 8]), [[false, true], [true, false]], "bool");
    expectTensor(ops.isin([1, 3], [1], false, true), [false, true]);
    expectKeras(ops.isin(new KerasTensor([null, 2]), [1, 2]), [null, 2], "bool");
  });
  it("bincount", () => {
    expectTensor(ops.bincount([0, 1, 1, 3]), [1, 2, 0, 1], "int32");
    expectTensor(ops.bincount([0, 1, 1, 3], null, 6), [1, 2, 0, 1, 0, 0], "int32");
    expectTensor(ops.bincount([0, 1, 1], [0.5, 1, 2]), [0.5, 3], "float32");
    expectTensor(ops.bincount([[0, 1], [2, 2]], null, 3), [[1, 1, 0], [0, 0, 2]], "int32");
    expectKeras(ops.bincount(new KerasTensor([null], { dtype: "int32" })), [null], "int32");
  });
  it("histogram", () => {
    // np.histogram([1, 2, 1], bins=3, range=(0, 3)) = ([0, 2, 1], [0, 1, 2, 3])
    const [c, e] = ops.histogram([1, 2, 1], 3, [0, 3]);
    expectTensor(c, [0, 2, 1], "int32");
    expectTensor(e, [0, 1, 2, 3], "float32");
    // default range: min..max; the last bin is closed; out-of-range values dropped
    const [c2, e2] = ops.histogram([0, 1, 2, 3, 4], 2);
    expectTensor(c2, [2, 3]);
    expectTensor(e2, [0, 2, 4]);
    const [c3] = ops.histogram([-1, 0.25, 0.5, 1, 5], 2, [0, 1]);
    expectTensor(c3, [1, 2]);
    disposeAll([c, e, c2, e2, c3]);
  });
  it("unique", () => {
    expectTensor(ops.unique([3, 1, 3, 2, 1]), [1, 2, 3], "int32");
    const [v, idx, inv, cnt] = ops.unique([3, 1, 3, 2, 1], { returnIndex: true, returnInverse: true, returnCounts: true }) as tf.Tensor[];
    expectTensor(v, [1, 2, 3]);
    expectTensor(idx, [1, 3, 0]);
    expectTensor(inv, [2, 0, 2, 1, 0]);
    expectTensor(cnt, [2, 1, 2]);
    expectTensor(ops.unique([2, 2], { size: 3, fillValue: -1 }), [2, -1, -1]);
    disposeAll([v, idx, inv, cnt]);
  });
  it("no leaks", () => {
    const a = tf.tensor([3, 1, 2, 1]);
    expectNoLeak(() => ops.bincount([0, 1, 1]));
    expectNoLeak(() => ops.histogram(a, 4));
    expectNoLeak(() => ops.unique(a));
    expectNoLeak(() => ops.nonzero(a));
    const c = tf.tensor([true, false, true, true], [4], "bool");
    expectNoLeak(() => ops.where(c, a, 0));
    c.dispose();
    const a2 = tf.reshape(a, [2, 2]);
    expectNoLeak(() => ops.takeAlongAxis(a2, [[0], [1]], 1));
    a2.dispose();
    expect(a.isDisposed).toBe(false);
    a.dispose();
  });
});
