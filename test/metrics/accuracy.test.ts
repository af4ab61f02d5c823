import { describe, expect, it } from "vitest";
import { tf, expectResult, expectNoLeak, roundTrip } from "./helpers.js";
import * as metrics from "../../lib/metrics/index.js";

function arr(t: tf.Tensor): number[] {
  const v = Array.from(t.dataSync());
  t.dispose();
  return v;
}

describe("Accuracy", () => {
  it("matches Keras's docstring", () => {
    const m = new metrics.Accuracy();
    expect(m.name).toBe("accuracy");
    m.updateState([[1], [2], [3], [4]], [[0], [2], [3], [4]]);
    expectResult(m, 0.75);
    m.resetState();
    m.updateState([[1], [2], [3], [4]], [[0], [2], [3], [4]], [1, 1, 0, 0]);
    expectResult(m, 0.5);
    expect(m.getConfig()).toEqual({ name: "accuracy", dtype: "float32" });
    roundTrip(m);
    expect(m.direction).toBe("up");
  });
});

describe("BinaryAccuracy", () => {
  it("matches Keras's docstring", () => {
    const m = metrics.BinaryAccuracy();
    m.updateState([[1], [1], [0], [0]], [[0.98], [1], [0], [0.6]]);
    expectResult(m, 0.75);
    m.resetState();
    m.updateState([[1], [1], [0], [0]], [[0.98], [1], [0], [0.6]], [1, 0, 0, 1]);
    expectResult(m, 0.5);
  });

  it("uses the threshold, accumulates, and round-trips", () => {
    const m = new metrics.BinaryAccuracy({ threshold: 0.7 });
    m.updateState([1, 1, 0, 0], [0.98, 0.6, 0, 0.65]);
    expectResult(m, 0.75);
    m.updateState([1, 0], [0.9, 0.1]);
    expectResult(m, 5 / 6);
    expect(m.getConfig()).toEqual({ name: "binary_accuracy", dtype: "float32", threshold: 0.7 });
    const m2 = roundTrip(m);
    expect(m2.threshold).toBe(0.7);
  });

  it("function form", () => {
    expect(arr(metrics.binaryAccuracy([[1], [0]], [[0.6], [0.6]]))).toEqual([1, 0]);
    expect(arr(metrics.binaryAccuracy([[1], [0]], [[0.6], [0.6]], 0.7))).toEqual([0, 1]);
  });
});

describe("CategoricalAccuracy", () => {
  it("matches Keras's docstring", () => {
    const m = new metrics.CategoricalAccuracy();
    m.updateState(
      [
        [0, 0, 1],
        [0, 1, 0],
      ],
      [
        [0.1, 0.9, 0.8],
        [0.05, 0.95, 0],
      ],
    );
    expectResult(m, 0.5);
    m.resetState();
    m.updateState(
      [
        [0, 0, 1],
        [0, 1, 0],
      ],
      [
        [0.1, 0.9, 0.8],
        [0.05, 0.95, 0],
      ],
      [0.7, 0.3],
    );
    expectResult(m, 0.3);
  });

  it("function form", () => {
    expect(arr(metrics.categoricalAccuracy([[0, 0, 1], [0, 1, 0]], [[0.1, 0.9, 0.8], [0.05, 0.95, 0]]))).toEqual([0, 1]);
  });
});

describe("SparseCategoricalAccuracy", () => {
  it("matches Keras's docstring, with (n, 1) labels", () => {
    const m = new metrics.SparseCategoricalAccuracy();
    m.updateState([[2], [1]], [[0.1, 0.6, 0.3], [0.05, 0.95, 0]]);
    expectResult(m, 0.5);
    m.resetState();
    m.updateState([[2], [1]], [[0.1, 0.6, 0.3], [0.05, 0.95, 0]], [0.7, 0.3]);
    expectResult(m, 0.3);
  });

  it("takes (n,) labels and gives per-sample matches of shape (n,)", () => {
    const r = metrics.sparseCategoricalAccuracy([2, 1], [[0.1, 0.6, 0.3], [0.05, 0.95, 0]]);
    expect(r.shape).toEqual([2]);
    expect(arr(r)).toEqual([0, 1]);
    const r2 = metrics.sparseCategoricalAccuracy([[2], [1]], [[0.1, 0.6, 0.3], [0.05, 0.95, 0]]);
    expect(r2.shape).toEqual([2]);
    expect(arr(r2)).toEqual([0, 1]);
  });

  it("handles sequences (n, t) against (n, t, c)", () => {
    const yt = [
      [0, 1],
      [2, 2],
    ];
    const yp = [
      [
        [0.9, 0.1, 0],
        [0.9, 0.1, 0],
      ],
      [
        [0, 0, 1],
        [0, 1, 0],
      ],
    ];
    const r = metrics.sparseCategoricalAccuracy(yt, yp);
    expect(r.shape).toEqual([2, 2]);
    expect(arr(r)).toEqual([1, 0, 1, 0]);
  });

  it("does not leak", () => {
    const m = new metrics.SparseCategoricalAccuracy();
    const t = tf.tensor2d([[2], [1]]);
    const p = tf.tensor2d([
      [0.1, 0.6, 0.3],
      [0.05, 0.95, 0],
    ]);
    expectNoLeak(m, () => m.updateState(t, p));
    t.dispose();
    p.dispose();
  });
});

describe("TopKCategoricalAccuracy", () => {
  it("matches Keras's docstring", () => {
    const m = new metrics.TopKCategoricalAccuracy(1);
    expect(m.k).toBe(1);
    m.updateState(
      [
        [0, 0, 1],
        [0, 1, 0],
      ],
      [
        [0.1, 0.9, 0.8],
        [0.05, 0.95, 0],
      ],
    );
    expectResult(m, 0.5);
    m.resetState();
    m.updateState(
      [
        [0, 0, 1],
        [0, 1, 0],
      ],
      [
        [0.1, 0.9, 0.8],
        [0.05, 0.95, 0],
      ],
      [0.7, 0.3],
    );
    expectResult(m, 0.3);
    expect(m.getConfig()).toEqual({ name: "top_k_categorical_accuracy", dtype: "float32", k: 1 });
    roundTrip(m);
  });

  it("defaults to k=5 and counts ties at the boundary as in", () => {
    expect(new metrics.TopKCategoricalAccuracy().k).toBe(5);
    expect(arr(metrics.topKCategoricalAccuracy([[0, 1, 0]], [[0.5, 0.5, 0.5]], 1))).toEqual([1]);
    expect(arr(metrics.topKCategoricalAccuracy([[0, 0, 1]], [[0.3, 0.5, 0.2]], 2))).toEqual([0]);
  });
});

describe("SparseTopKCategoricalAccuracy", () => {
  it("matches Keras's docstring", () => {
    const m = new metrics.SparseTopKCategoricalAccuracy({ k: 1 });
    m.updateState([2, 1], [[0.1, 0.9, 0.8], [0.05, 0.95, 0]]);
    expectResult(m, 0.5);
    m.resetState();
    m.updateState([2, 1], [[0.1, 0.9, 0.8], [0.05, 0.95, 0]], [0.7, 0.3]);
    expectResult(m, 0.3);
    const s = new metrics.SparseTopKCategoricalAccuracy(1, { fromSortedIds: true });
    s.updateState([2, 1], [[1, 0, 3], [1, 2, 3]]);
    expectResult(s, 0.5);
  });

  it("k=2 and its config", () => {
    const m = new metrics.SparseTopKCategoricalAccuracy(2);
    m.updateState([2, 1], [[0.1, 0.9, 0.8], [0.05, 0.95, 0]]);
    expectResult(m, 1);
    expect(m.getConfig()).toEqual({ name: "sparse_top_k_categorical_accuracy", dtype: "float32", k: 2 });
    const s = new metrics.SparseTopKCategoricalAccuracy({ k: 3, fromSortedIds: true });
    expect(s.getConfig()).toEqual({ name: "sparse_top_k_categorical_accuracy", dtype: "float32", k: 3, from_sorted_ids: true });
    const s2 = roundTrip(s);
    expect(s2.fromSortedIds).toBe(true);
  });

  it("function form keeps the label shape", () => {
    const r = metrics.sparseTopKCategoricalAccuracy([[2], [1]], [[0.1, 0.9, 0.8], [0.05, 0.95, 0]], 1);
    expect(r.shape).toEqual([2, 1]);
    expect(arr(r)).toEqual([0, 1]);
  });
});
