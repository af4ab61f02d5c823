import { describe, expect, it } from "vitest";
import { tf, expectResult, expectNoLeak, roundTrip, value } from "./helpers.js";
import type { Tensor } from "../../lib/backend/tfjs.js";
import * as metrics from "../../lib/metrics/index.js";

describe("Sum", () => {
  it("sums, with sample weights, and accumulates", () => {
    const m = new metrics.Sum();
    expect(m.name).toBe("sum");
    m.updateState([1, 3, 5, 7]);
    expectResult(m, 16);
    m.updateState([1, 3, 5, 7], [1, 1, 0, 0]);
    expectResult(m, 20);
    m.resetState();
    m.updateState([1, 3, 5, 7], [1, 1, 0, 0]);
    expectResult(m, 4);
    expect(m.variables.map((v) => v.name)).toEqual(["total"]);
    expect(m.variables[0]?.path).toBe("sum/total");
    expect(m.variables[0]?.trainable).toBe(false);
  });

  it("round-trips its config", () => {
    const m = new metrics.Sum({ name: "my_sum" });
    expect(m.getConfig()).toEqual({ name: "my_sum", dtype: "float32" });
    roundTrip(m);
  });
});

describe("Mean", () => {
  it("matches Keras's docstring", () => {
    const m = metrics.Mean();
    m.updateState([1, 3, 5, 7]);
    expectResult(m, 4);
    m.resetState();
    m.updateState([1, 3, 5, 7], [1, 1, 0, 0]);
    expectResult(m, 2);
  });

  it("accumulates across calls and weights scalars", () => {
    const m = new metrics.Mean();
    m.updateState([1, 2]);
    m.updateState(6);
    expectResult(m, 3);
    m.updateState([10], 2);
    // total = 3 + 6 + 20 = 29; count = 2 + 1 + 2 = 5
    expectResult(m, 29 / 5);
  });

  it("reduces values of higher rank to per-sample means", () => {
    const m = new metrics.Mean();
    // per-sample means [1.5, 3.5]; weights [1, 3] -> (1.5 + 10.5) / 4
    m.updateState(
      [
        [1, 2],
        [3, 4],
      ],
      [1, 3],
    );
    expectResult(m, 3);
    m.resetState();
    // weights of the same shape: sum(v*w) per sample over mean(w) per sample
    m.updateState(
      [
        [1, 2],
        [3, 4],
      ],
      [
        [1, 0],
        [0, 1],
      ],
    );
    // values*w = [[1,0],[0,4]], mean over axis 1 -> [0.5, 2]; w mean -> [0.5, 0.5]
    expectResult(m, 2.5);
  });

  it("gives 0 before any update", () => {
    expectResult(new metrics.Mean(), 0);
  });

  it("does not leak", () => {
    const m = new metrics.Mean();
    const x = tf.tensor1d([1, 2, 3]);
    const w = tf.tensor1d([1, 0, 1]);
    expectNoLeak(m, () => m.updateState(x, w));
    x.dispose();
    w.dispose();
  });
});

describe("MeanMetricWrapper", () => {
  const sq = function squaredError(t: Tensor, p: Tensor): Tensor {
    return tf.tidy(() => tf.mean(tf.squaredDifference(t, p), -1));
  };

  it("averages a per-sample function with sample weights as Keras", () => {
    const m = new metrics.MeanMetricWrapper(sq);
    expect(m.name).toBe("squared_error");
    m.updateState(
      [
        [0, 1],
        [0, 0],
      ],
      [
        [1, 1],
        [0, 0],
      ],
    );
    expectResult(m, 0.25);
    m.resetState();
    // per-sample [0.5, 0]; weights [0.25, 0.75]: total 0.125, count 1
    m.updateState(
      [
        [0, 1],
        [0, 0],
      ],
      [
        [1, 1],
        [0, 0],
      ],
      [0.25, 0.75],
    );
    expectResult(m, 0.125);
    // a second batch: per-sample [1], weight 1 -> (0.125 + 1) / 2
    m.updateState([[1, 1]], [[0, 0]], [1]);
    expectResult(m, 1.125 / 2);
  });

  it("passes keyword arguments to built-in functions", () => {
    const m = new metrics.MeanMetricWrapper(metrics.binaryAccuracy, { name: "acc", threshold: 0.7 });
    m.updateState([[1], [1], [0], [0]], [[0.98], [0.6], [0], [0.65]]);
    expectResult(m, 0.75);
    expect(m.getConfig()).toEqual({
      name: "acc",
      dtype: "float32",
      fn: { module: "builtins", class_name: "function", config: "binary_accuracy", registered_name: "function" },
      threshold: 0.7,
    });
    const m2 = roundTrip(m);
    m2.updateState([[1], [1], [0], [0]], [[0.98], [0.6], [0], [0.65]]);
    expectResult(m2, 0.75);
  });

  it("passes options objects to loss functions", () => {
    const m = new metrics.MeanMetricWrapper(metrics.binaryCrossentropy, { fromLogits: true });
    expect(m.name).toBe("binary_crossentropy");
    expect(m.getConfig().from_logits).toBe(true);
    m.updateState([[1]], [[0]]);
    expectResult(m, Math.log(2), 4);
  });

  it("does not leak", () => {
    const m = new metrics.MeanMetricWrapper(sq);
    const t = tf.tensor2d([[0, 1]]);
    const p = tf.tensor2d([[1, 1]]);
    expectNoLeak(m, () => m.updateState(t, p));
    expect(value(m)).toBe(0);
    t.dispose();
    p.dispose();
  });
});
