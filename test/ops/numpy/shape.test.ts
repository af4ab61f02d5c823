import { describe, expect, it } from "vitest";
import { KerasTensor } from "../../../lib/backend/keras-tensor.js";
import * as ops from "../../../lib/ops/numpy/shape.js";
import { disposeAll, expectKeras, expectNoLeak, expectTensor, tf } from "../ops-test-utils.js";

const m23 = [
  [1, 2, 3],
  [4, 5, 6],
];

describe("reshape / transpose / expandDims / squeeze", () => {
  it("reshape with -1", () => {
    const r = ops.reshape(m23, [3, -1]);
    expectTensor(r, [[1, 2], [3, 4], [5, 6]], "int32", [3, 2]);
    r.dispose();
    expect(() => ops.reshape(m23, [4, -1])).toThrow(/cannot reshape/);
  });
  it("reshape symbolic gives a null batch", () => {
    const x = new KerasTensor([null, 3]);
    expectKeras(ops.reshape(x, [-1]), [null], "float32");
    expectKeras(ops.reshape(new KerasTensor([null, 6]), [-1, 2, 3]), [null, 2, 3]);
  });
  it("transpose", () => {
    expectTensor(ops.transpose(m23), [[1, 4], [2, 5], [3, 6]]);
    const x = tf.zeros([2, 3, 4]);
    expect(ops.transpose(x, [2, 0, -2]).shape).toEqual([4, 2, 3]);
    expectKeras(ops.transpose(new KerasTensor([null, 3, 5]), [0, 2, 1]), [null, 5, 3]);
    x.dispose();
  });
  it("expandDims with axis lists and negative axes", () => {
    const x = tf.zeros([2, 3]);
    expect(ops.expandDims(x, 0).shape).toEqual([1, 2, 3]);
    expect(ops.expandDims(x, -1).shape).toEqual([2, 3, 1]);
    expect(ops.expandDims(x, [0, 3]).shape).toEqual([1, 2, 3, 1]);
    expect(ops.expandDims(x, [-1, 1]).shape).toEqual([2, 1, 3, 1]);
    expectKeras(ops.expandDims(new KerasTensor([null, 3]), -1), [null, 3, 1]);
    x.dispose();
  });
  it("squeeze", () => {
    const x = tf.zeros([1, 3, 1]);
    expect(ops.squeeze(x).shape).toEqual([3]);
    expect(ops.squeeze(x, -1).shape).toEqual([1, 3]);
    expect(ops.squeeze(x, [0, 2]).shape).toEqual([3]);
    expect(() => ops.squeeze(x, 1)).toThrow(/cannot squeeze/);
    x.dispose();
  });
});

describe("concatenate / stack family", () => {
  it("concatenate promotes dtypes and takes negative axes", () => {
    const a = tf.tensor([[1, 2]], [1, 2], "int32");
    const b = tf.tensor([[0.5, 1.5]]);
    expectTensor(ops.concatenate([a, b]), [[1, 2], [0.5, 1.5]], "float32");
    expectTensor(ops.concatenate([a, a], -1), [[1, 2, 1, 2]], "int32");
    expectTensor(ops.concatenate([a, [[3, 4, 5]]], null), [1, 2, 3, 4, 5], "int32");
    expect(() => ops.concatenate([a, tf.zeros([2, 3])], 0)).toThrow(/differ/);
    a.dispose();
    b.dispose();
  });
  it("concatenate symbolic", () => {
    const x = new KerasTensor([null, 3]);
    const y = new KerasTensor([null, 2]);
    expectKeras(ops.concatenate([x, y], -1), [null, 5]);
  });
  it("stack, hstack, vstack, dstack", () => {
    expectTensor(ops.stack([[1, 2], [3, 4]], 1), [[1, 3], [2, 4]]);
    expectTensor(ops.stack([[1, 2], [3, 4]], -1), [[1, 3], [2, 4]]);
    expectTensor(ops.hstack([[1, 2], [3]]), [1, 2, 3]);
    expectTensor(ops.hstack([[[1], [2]], [[3], [4]]]), [[1, 3], [2, 4]]);
    expectTensor(ops.vstack([[1, 2], [3, 4]]), [[1, 2], [3, 4]], "int32", [2, 2]);
    const d = ops.dstack([[1, 2], [3, 4]]);
    expectTensor(d, [[[1, 3], [2, 4]]], "int32", [1, 2, 2]);
    expectKeras(ops.stack([new KerasTensor([null, 3]), new KerasTensor([null, 3])], 1), [null, 2, 3]);
  });
});

describe("split family", () => {
  it("split into sections and at indices", () => {
    const parts = ops.split([0, 1, 2, 3, 4, 5], 3);
    expect(parts.length).toBe(3);
    expectTensor(parts[2], [4, 5]);
    const at = ops.split([0, 1, 2, 3, 4, 5], [1, 4]);
    expectTensor(at[0], [0]);
    expectTensor(at[1], [1, 2, 3]);
    expectTensor(at[2], [4, 5]);
    expect(() => ops.split([0, 1, 2], 2)).toThrow(/equal division/);
    disposeAll([parts, at]);
  });
  it("arraySplit allows uneven sections", () => {
    const p = ops.arraySplit([0, 1, 2, 3, 4], 3);
    expect(p.map((t) => t.arraySync())).toEqual([[0, 1], [2, 3], [4]]);
    disposeAll(p);
  });
  it("hsplit, vsplit, dsplit", () => {
    const x = tf.reshape(tf.range(0, 8, 1, "int32"), [2, 2, 2]);
    const h = ops.hsplit(x, 2);
    expectTensor(h[0], [[[0, 1]], [[4, 5]]]);
    const v = ops.vsplit(x, 2);
    expectTensor(v[1], [[[4, 5], [6, 7]]]);
    const d = ops.dsplit(x, [1]);
    expectTensor(d[0], [[[0], [2]], [[4], [6]]]);
    disposeAll([x, h, v, d]);
  });
  it("split symbolic", () => {
    const out = ops.split(new KerasTensor([null, 4]), 2, -1);
    expect(out.length).toBe(2);
    expectKeras(out[0], [null, 2]);
  });
});

describe("tile / repeat / pad / broadcastTo", () => {
  it("tile", () => {
    expectTensor(ops.tile([1, 2], 2), [1, 2, 1, 2]);
    expectTensor(ops.tile([1, 2], [2, 1]), [[1, 2], [1, 2]]);
    expectTensor(ops.tile([[1], [2]], [2]), [[1, 1], [2, 2]]);
  });
  it("repeat", () => {
    expectTensor(ops.repeat([[1, 2], [3, 4]], 2), [1, 1, 2, 2, 3, 3, 4, 4]);
    expectTensor(ops.repeat([[1, 2], [3, 4]], [1, 2], 0), [[1, 2], [3, 4], [3, 4]]);
    expectTensor(ops.repeat([[1, 2], [3, 4]], 2, -1), [[1, 1, 2, 2], [3, 3, 4, 4]]);
    expectKeras(ops.repeat(new KerasTensor([null, 3]), 2, 1), [null, 6]);
  });
  it("pad constant with NumPy pad_width forms", () => {
    expectTensor(ops.pad([1, 2], 1), [0, 1, 2, 0]);
    expectTensor(ops.pad([1, 2], [[2, 1]], "constant", 9), [9, 9, 1, 2, 9]);
    expectTensor(ops.pad([[1]], [1, 0]), [[0, 0], [0, 1]]);
    expectTensor(ops.pad([[1, 2]], [[0, 1], [1, 0]]), [[0, 1, 2], [0, 0, 0]], "int32");
    expectKeras(ops.pad(new KerasTensor([null, 3]), [[0, 0], [1, 1]]), [null, 5]);
  });
  it("pad reflect, symmetric, edge, wrap", () => {
    const x = [1, 2, 3];
    expectTensor(ops.pad(x, [2, 2], "reflect"), [3, 2, 1, 2, 3, 2, 1]);
    expectTensor(ops.pad(x, [2, 2], "symmetric"), [2, 1, 1, 2, 3, 3, 2]);
    expectTensor(ops.pad(x, [2, 1], "edge"), [1, 1, 1, 2, 3, 3]);
    expectTensor(ops.pad(x, [2, 1], "wrap"), [2, 3, 1, 2, 3, 1]);
    // larger than the axis: NumPy's repeated reflection
    expectTensor(ops.pad(x, [4, 0], "reflect"), [1, 2, 3, 2, 1, 2, 3]);
    expectTensor(ops.pad([[1, 2], [3, 4]], 1, "reflect"), [[4, 3, 4, 3], [2, 1, 2, 1], [4, 3, 4, 3], [2, 1, 2, 1]]);
    expect(() => ops.pad(x, 1, "reflect", 3)).toThrow(/constantValues/);
  });
  it("broadcastTo", () => {
    expectTensor(ops.broadcastTo([1, 2], [2, 2]), [[1, 2], [1, 2]]);
    expect(() => ops.broadcastTo([1, 2, 3], [2, 2])).toThrow(/broadcast/);
  });
});

describe("flip / roll / rot90 / axes", () => {
  it("flip family", () => {
    expectTensor(ops.flip(m23), [[6, 5, 4], [3, 2, 1]]);
    expectTensor(ops.flip(m23, -1), [[3, 2, 1], [6, 5, 4]]);
    expectTensor(ops.fliplr(m23), [[3, 2, 1], [6, 5, 4]]);
    expectTensor(ops.flipud(m23), [[4, 5, 6], [1, 2, 3]]);
  });
  it("roll", () => {
    expectTensor(ops.roll([1, 2, 3, 4], 1), [4, 1, 2, 3]);
    expectTensor(ops.roll([1, 2, 3, 4], -1), [2, 3, 4, 1]);
    expectTensor(ops.roll(m23, 1), [[6, 1, 2], [3, 4, 5]]);
    expectTensor(ops.roll(m23, 1, -1), [[3, 1, 2], [6, 4, 5]]);
    expectTensor(ops.roll(m23, [1, 1], [0, 1]), [[6, 4, 5], [3, 1, 2]]);
  });
  it("rot90", () => {
    const x = [[1, 2], [3, 4]];
    expectTensor(ops.rot90(x), [[2, 4], [1, 3]]);
    expectTensor(ops.rot90(x, 2), [[4, 3], [2, 1]]);
    expectTensor(ops.rot90(x, -1), [[3, 1], [4, 2]]);
    expectTensor(ops.rot90(x, 1, [1, 0]), [[3, 1], [4, 2]]);
  });
  it("moveaxis / swapaxes / ravel", () => {
    const x = tf.zeros([2, 3, 4]);
    expect(ops.moveaxis(x, 0, -1).shape).toEqual([3, 4, 2]);
    expect(ops.moveaxis(x, [0, 1], [-1, -2]).shape).toEqual([4, 3, 2]);
    expect(ops.swapaxes(x, 0, -1).shape).toEqual([4, 3, 2]);
    expectTensor(ops.ravel(m23), [1, 2, 3, 4, 5, 6]);
    expectKeras(ops.moveaxis(new KerasTensor([null, 3, 4]), 0, -1), [3, 4, null]);
    x.dispose();
  });
  it("ndim, size, append", () => {
    expect(ops.ndim(m23)).toBe(2);
    expect(ops.size(m23)).toBe(6);
    expect(ops.size(new KerasTensor([null, 3]))).toBe(null);
    expect(ops.ndim(new KerasTensor([null, 3]))).toBe(2);
    expectTensor(ops.append([1, 2], [[3.5]]), [1, 2, 3.5], "float32");
    expectTensor(ops.append(m23, [[7, 8, 9]], 0), [[1, 2, 3], [4, 5, 6], [7, 8, 9]]);
  });
});

describe("diagonal / trace / view", () => {
  const x = [
    [1, 2, 3],
    [4, 5, 6],
    [7, 8, 9],
  ];
  it("diagonal with offsets", () => {
    expectTensor(ops.diagonal(x), [1, 5, 9]);
    expectTensor(ops.diagonal(x, 1), [2, 6]);
    expectTensor(ops.diagonal(x, -1), [4, 8]);
    const b = tf.reshape(tf.range(0, 8, 1, "int32"), [2, 2, 2]);
    // np.diagonal(arange(8).reshape(2,2,2), axis1=1, axis2=2) = [[0,3],[4,7]]
    expectTensor(ops.diagonal(b, 0, 1, 2), [[0, 3], [4, 7]]);
    // axis1=0, axis2=-1 → [[0,5],[2,7]]
    expectTensor(ops.diagonal(b, 0, 0, -1), [[0, 5], [2, 7]]);
    b.dispose();
  });
  it("trace", () => {
    expectTensor(ops.trace(x), 15, "int32", []);
    expectTensor(ops.trace(x, 1), 8);
    expectTensor(ops.trace([[true, false], [true, true]]), 2, "int32");
    expectKeras(ops.trace(new KerasTensor([3, 3, null]), 0, 0, 1), [null]);
  });
  it("view reinterprets float32 as int32", () => {
    expectTensor(ops.view(new Float32Array([1]), "int32"), [1065353216], "int32");
    expectTensor(ops.view(new Int32Array([1065353216]), "float32"), [1], "float32");
  });
});

describe("graph recording", () => {
  it("a symbolic call records a node that replays on concrete values", () => {
    const x = new KerasTensor([null, 2, 3]);
    const y = ops.pad(ops.reshape(x, [-1, 6]), [[0, 0], [1, 1]], "reflect");
    expectKeras(y, [null, 8]);
    const op = y.kerasHistory!.operation;
    const node = op.inboundNodes[0]!;
    expect(node).toBeDefined();
    const inner = (op.callFromNode([[[1, 2, 3, 4, 5, 6]], [[0, 0], [1, 1]], "reflect", null], {}) as tf.Tensor);
    expectTensor(inner, [[2, 1, 2, 3, 4, 5, 6, 5]]);
    inner.dispose();
  });
});

describe("memory", () => {
  it("ops do not leak", () => {
    const x = tf.tensor([[1, 2, 3], [4, 5, 6]]);
    expectNoLeak(() => ops.reshape(x, [-1]));
    expectNoLeak(() => ops.concatenate([x, [[1, 2, 3]]]));
    expectNoLeak(() => ops.split(x, 3, 1));
    expectNoLeak(() => ops.pad(x, 2, "symmetric"));
    expectNoLeak(() => ops.roll(x, 2));
    expectNoLeak(() => ops.repeat(x, 2, 1));
    expectNoLeak(() => ops.trace(x));
    expectNoLeak(() => ops.rot90(x, 3));
    expectNoLeak(() => ops.tile(x, [2, 2]));
    expectNoLeak(() => ops.squeeze(x));
    // an op never hands its argument back
    const same = ops.flip(tf.scalar(1));
    same.dispose();
    const y = ops.broadcastTo(x, [2, 3]);
    expect(y).not.toBe(x);
    y.dispose();
    expect(x.isDisposed).toBe(false);
    x.dispose();
  });
});
