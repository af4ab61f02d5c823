import { describe, expect, it } from "vitest";
import { tf } from "../../../lib/backend/tfjs.js";
import { KerasTensor } from "../../../lib/backend/keras-tensor.js";
import * as np from "../../../lib/ops/numpy/creation.js";
import { check, checkSymbolic, noLeak } from "./elementwise-test-utils.js";

describe("ranges", () => {
  it("arange", () => {
    check(np.arange(5), [0, 1, 2, 3, 4], "int32", [5]);
    check(np.arange(2, 8, 2), [2, 4, 6], "int32");
    check(np.arange(0, 1, 0.25), [0, 0.25, 0.5, 0.75], "float32");
    check(np.arange(5, 0, -2), [5, 3, 1], "int32");
    check(np.arange(3, null, null, "float32"), [0, 1, 2], "float32");
    check(np.arange(0.5, 3), [0.5, 1.5, 2.5], "float32");
    check(np.arange(3, 1), [], "int32", [0]);
    expect(() => np.arange(0, 3, 0)).toThrow(/zero/);
  });
  it("linspace", () => {
    check(np.linspace(2, 3, 5), [2, 2.25, 2.5, 2.75, 3], "float32", [5]);
    check(np.linspace(2, 3, 5, { endpoint: false }), [2, 2.2, 2.4, 2.6, 2.8], "float32");
    check(np.linspace(0, 10, 3, { dtype: "int32" }), [0, 5, 10], "int32");
    check(np.linspace(0, 1, 1), [0]);
    check(np.linspace([0, 10], [1, 20], 3), [[0, 10], [0.5, 15], [1, 20]], "float32", [3, 2]);
    check(np.linspace([0, 10], [1, 20], 3, { axis: -1 }), [[0, 0.5, 1], [10, 15, 20]], "float32", [2, 3]);
  });
  it("logspace / geomspace", () => {
    check(np.logspace(0, 3, 4), [1, 10, 100, 1000], "float32");
    check(np.logspace(0, 3, 3, { base: 2, endpoint: false }), [1, 2, 4], "float32");
    check(np.geomspace(1, 1000, 4), [1, 10, 100, 1000], "float32");
    check(np.geomspace(-1, -16, 5), [-1, -2, -4, -8, -16], "float32");
    check(np.geomspace([1, 2], [8, 16], 4, { axis: 1 }), [[1, 2, 4, 8], [2, 4, 8, 16]], "float32", [2, 4], 1e-5);
    expect(() => np.geomspace(0, 1, 3)).toThrow(/zero/);
  });
});

describe("constants", () => {
  it("zeros / ones / full / empty", () => {
    check(np.zeros([2, 2]), [0, 0, 0, 0], "float32", [2, 2]);
    check(np.ones(3, "int32"), [1, 1, 1], "int32", [3]);
    check(np.full([2], 7), [7, 7], "float32");
    check(np.full([2, 2], [1, 2], "int32"), [[1, 2], [1, 2]], "int32", [2, 2]);
    check(np.full([1], true, "bool"), [1], "bool");
    check(np.empty([2, 1]), [0, 0], "float32", [2, 1]);
  });
  it("*Like", () => {
    const x = tf.tensor([[1, 2, 3]], undefined, "int32");
    check(np.zerosLike(x), [[0, 0, 0]], "int32", [1, 3]);
    check(np.onesLike(x, "float32"), [[1, 1, 1]], "float32");
    check(np.fullLike(x, 2.7), [[2, 2, 2]], "int32");
    check(np.fullLike(x, 2.5, "float32"), [[2.5, 2.5, 2.5]], "float32");
    check(np.emptyLike([1.5, 2]), [0, 0], "float32", [2]);
    x.dispose();
  });
  it("array", () => {
    check(np.array([[1, 2]]), [[1, 2]], "int32", [1, 2]);
    check(np.array([1, 2], "float32"), [1, 2], "float32");
    const x = tf.tensor([1, 2]);
    const y = np.array(x);
    expect(y).not.toBe(x);
    check(y, [1, 2], "float32");
    expect(x.isDisposed).toBe(false);
    x.dispose();
  });
});

describe("matrices", () => {
  it("eye / identity / tri", () => {
    check(np.eye(2), [[1, 0], [0, 1]], "float32", [2, 2]);
    check(np.eye(2, 3, 1), [[0, 1, 0], [0, 0, 1]], "float32", [2, 3]);
    check(np.eye(3, null, -1, "int32"), [[0, 0, 0], [1, 0, 0], [0, 1, 0]], "int32");
    check(np.identity(2, "bool"), [[1, 0], [0, 1]], "bool");
    check(np.tri(3, 2, 0), [[1, 0], [1, 1], [1, 1]], "float32", [3, 2]);
    check(np.tri(2, 3, 1), [[1, 1, 0], [1, 1, 1]], "float32");
  });
  it("tril / triu", () => {
    const m = [[1, 2, 3], [4, 5, 6], [7, 8, 9]];
    check(np.tril(m), [[1, 0, 0], [4, 5, 0], [7, 8, 9]], "int32");
    check(np.tril(m, -1), [[0, 0, 0], [4, 0, 0], [7, 8, 0]], "int32");
    check(np.triu(m, 1), [[0, 2, 3], [0, 0, 6], [0, 0, 0]], "int32");
    check(np.triu([[[1, 2], [3, 4]], [[5, 6], [7, 8]]]), [[[1, 2], [0, 4]], [[5, 6], [0, 8]]], "int32", [2, 2, 2]);
    check(np.tril([1, 2]), [[1, 0], [1, 2]], "int32", [2, 2]);
  });
  it("diag / diagflat", () => {
    check(np.diag([1, 2]), [[1, 0], [0, 2]], "int32", [2, 2]);
    check(np.diag([1, 2], 1), [[0, 1, 0], [0, 0, 2], [0, 0, 0]], "int32", [3, 3]);
    check(np.diag([1, 2], -1), [[0, 0, 0], [1, 0, 0], [0, 2, 0]], "int32", [3, 3]);
    const m = [[1, 2, 3], [4, 5, 6]];
    check(np.diag(m), [1, 5], "int32", [2]);
    check(np.diag(m, 1), [2, 6], "int32");
    check(np.diag(m, -1), [4], "int32");
    check(np.diag(m, 5), [], "int32", [0]);
    check(np.diagflat([[1, 2]]), [[1, 0], [0, 2]], "int32");
    check(np.diagflat([3.5], 1), [[0, 3.5], [0, 0]], "float32");
  });
  it("meshgrid", () => {
    const [a, bb] = np.meshgrid([1, 2, 3], [4, 5]);
    check(a, [[1, 2, 3], [1, 2, 3]], "int32", [2, 3]);
    check(bb, [[4, 4, 4], [5, 5, 5]], "int32", [2, 3]);
    const [c, d] = np.meshgrid([1, 2, 3], [4.5, 5], { indexing: "ij" });
    check(c, [[1, 1], [2, 2], [3, 3]], "int32", [3, 2]);
    check(d, [[4.5, 5], [4.5, 5], [4.5, 5]], "float32", [3, 2]);
    const grids = np.meshgrid([1, 2], [3], [4, 5, 6]);
    expect(grids.map((g) => g.shape)).toEqual([[1, 2, 3], [1, 2, 3], [1, 2, 3]]);
    tf.dispose(grids);
  });
  it("vander", () => {
    check(np.vander([1, 2, 3]), [[1, 1, 1], [4, 2, 1], [9, 3, 1]], "int32", [3, 3]);
    check(np.vander([2, 3], 4, true), [[1, 2, 4, 8], [1, 3, 9, 27]], "int32", [2, 4]);
    check(np.vander([0.5], 2), [[0.5, 1]], "float32");
  });
});

describe("windows (NumPy values)", () => {
  it("bartlett / blackman / hamming / hanning / kaiser", () => {
    check(np.bartlett(5), [0, 0.5, 1, 0.5, 0], "float32", [5]);
    check(np.hanning(5), [0, 0.5, 1, 0.5, 0], "float32");
    check(np.hamming(5), [0.08, 0.54, 1, 0.54, 0.08], "float32");
    check(np.blackman(5), [0, 0.34, 1, 0.34, 0], "float32");
    check(np.bartlett(1), [1]);
    check(np.hamming(0), [], "float32", [0]);
    check(np.kaiser(3, 1), [1 / 1.2660658777520082, 1, 1 / 1.2660658777520082], "float32");
    const k = np.kaiser(12, 14);
    const v = Array.from(k.dataSync()).slice(0, 6);
    const want = [7.72686684e-6, 3.46009194e-3, 4.65200189e-2, 2.29737120e-1, 5.99885316e-1, 9.45674898e-1];
    v.forEach((g, i) => expect(Math.abs(g - (want[i] as number))).toBeLessThan(1e-6));
    k.dispose();
  });
});

describe("symbolic and memory", () => {
  it("returns KerasTensors for KerasTensor inputs", () => {
    const x = new KerasTensor([null, 3]);
    checkSymbolic(np.zerosLike(x), [null, 3], "float32");
    checkSymbolic(np.onesLike(x, "int32"), [null, 3], "int32");
    checkSymbolic(np.fullLike(x, 2), [null, 3], "float32");
    checkSymbolic(np.tril(x), [null, 3], "float32");
    checkSymbolic(np.array(x), [null, 3], "float32");
    checkSymbolic(np.diag(new KerasTensor([4])), [4, 4], "float32");
    checkSymbolic(np.linspace(new KerasTensor([2]), 1, 5), [5, 2], "float32");
    const grids = np.meshgrid(new KerasTensor([null]), new KerasTensor([4]));
    checkSymbolic(grids[0], [4, null]);
  });
  it("leaks no tensors", () => {
    const x = tf.tensor([[1, 2], [3, 4]]);
    noLeak(() => [
      np.arange(4), np.linspace(0, 1, 4), np.linspace([0, 1], 2, 3, { axis: 1 }), np.logspace(0, 2, 3), np.geomspace(1, 8, 4),
      np.geomspace([1, 2], [4, 8], 3), np.zeros(2), np.ones([1, 2]), np.full([2], 3), np.full([2, 2], [1, 2]), np.empty(1), np.zerosLike(x),
      np.onesLike(x), np.fullLike(x, 5), np.emptyLike(x), np.eye(3, 2, 1), np.identity(2), np.tri(3), np.tril(x), np.triu(x, 1), np.diag(x),
      np.diag([1, 2], -1), np.diagflat(x), ...np.meshgrid([1, 2], [3, 4, 5]), np.bartlett(4), np.blackman(4), np.hamming(4), np.hanning(4),
      np.kaiser(4, 2), np.vander([1, 2]), np.array(x), np.array([1, 2], "int32"),
    ]);
    x.dispose();
  });
});
