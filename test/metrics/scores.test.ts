import { describe, expect, it } from "vitest";
import { tf, expectResult, expectVector, expectNoLeak, roundTrip } from "./helpers.js";
import * as metrics from "../../lib/metrics/index.js";

const yTrue = [
  [1, 1, 1],
  [1, 0, 0],
  [1, 1, 0],
];
const yPred = [
  [0.2, 0.6, 0.7],
  [0.2, 0.6, 0.6],
  [0.6, 0.8, 0.0],
];

describe("FBetaScore / F1Score", () => {
  it("match Keras's docstrings (average null gives a vector)", () => {
    const fb = new metrics.FBetaScore({ beta: 2.0, threshold: 0.5 });
    fb.updateState(yTrue, yPred);
    expectVector(fb, [0.3846154, 0.90909094, 0.8333334]);
    const f1 = new metrics.F1Score({ threshold: 0.5 });
    f1.updateState(yTrue, yPred);
    expectVector(f1, [0.5, 0.8, 0.6666667]);
  });

  it("micro, macro and weighted averages", () => {
    // tp=[1,2,1], fp=[0,1,1], fn=[2,0,0] (threshold 0.5)
    const micro = new metrics.F1Score({ average: "micro", threshold: 0.5 });
    micro.updateState(yTrue, yPred);
    // tp=4, fp=2, fn=2 -> p = r = 2/3
    expectResult(micro, 2 / 3, 5);
    const macro = new metrics.F1Score({ average: "macro", threshold: 0.5 });
    macro.updateState(yTrue, yPred);
    expectResult(macro, (0.5 + 0.8 + 2 / 3) / 3, 5);
    const weighted = new metrics.F1Score({ average: "weighted", threshold: 0.5 });
    weighted.updateState(yTrue, yPred);
    // support [3, 2, 1]
    expectResult(weighted, (0.5 * 3 + 0.8 * 2 + (2 / 3) * 1) / 6, 5);
  });

  it("threshold null takes the argmax of each row, with sample weights", () => {
    const f1 = new metrics.F1Score();
    f1.updateState(yTrue, yPred, [1, 0, 1]);
    // argmax rows 0 and 2: [0,0,1], [0,1,0] -> tp=[0,1,1], fp=0, fn=[2,1,0]
    expectVector(f1, [0, 2 / 3, 1], 5);
    expect(f1.getConfig()).toEqual({ name: "f1_score", dtype: "float32", average: null, threshold: null });
    roundTrip(f1);
    const fb = new metrics.FBetaScore({ average: "macro", beta: 0.5, threshold: 0.3 });
    expect(fb.getConfig()).toEqual({ name: "fbeta_score", dtype: "float32", average: "macro", beta: 0.5, threshold: 0.3 });
    roundTrip(fb);
  });

  it("validates its options and input rank", () => {
    expect(() => new metrics.FBetaScore({ average: "bad" as metrics.FScoreAverage })).toThrow(/Invalid `average`/);
    expect(() => new metrics.FBetaScore({ beta: 0 })).toThrow(/beta/);
    expect(() => new metrics.F1Score({ threshold: 1.5 })).toThrow(/threshold/);
    expect(() => new metrics.F1Score().updateState([1, 0], [0.3, 0.6])).toThrow(/2D inputs/);
  });

  it("does not leak", () => {
    const m = new metrics.F1Score({ average: "weighted" });
    const t = tf.tensor2d(yTrue);
    const p = tf.tensor2d(yPred);
    expectNoLeak(m, () => m.updateState(t, p));
    t.dispose();
    p.dispose();
  });
});

describe("IoU family", () => {
  it("IoU matches Keras's docstring", () => {
    const m = new metrics.IoU({ numClasses: 2, targetClassIds: [0] });
    m.updateState([0, 0, 1, 1], [0, 1, 0, 1]);
    expectResult(m, 1 / 3);
    const w = new metrics.IoU(2, [0], { dtype: "float32" });
    w.updateState([0, 0, 1, 1], [0, 1, 0, 1], [0.3, 0.3, 0.3, 0.1]);
    expectResult(w, 1 / 3);
    const w1 = new metrics.IoU(2, [1], { dtype: "float32" });
    w1.updateState([0, 0, 1, 1], [0, 1, 0, 1], [0.3, 0.3, 0.3, 0.1]);
    expectResult(w1, 0.1 / 0.7);
  });

  it("MeanIoU matches Keras's docstring and keeps an int confusion matrix by default", () => {
    const m = new metrics.MeanIoU(2);
    expect(m.totalCm.dtype).toBe("int32");
    m.updateState([0, 0, 1, 1], [0, 1, 0, 1]);
    expectResult(m, 1 / 3);
    m.updateState([0, 1], [0, 1]);
    // cm [[2,1],[1,2]] -> iou 2/4 each
    expectResult(m, 0.5);
    const f = new metrics.MeanIoU({ numClasses: 2, dtype: "float32" });
    f.updateState([0, 0, 1, 1], [0, 1, 0, 1], [0.3, 0.3, 0.3, 0.1]);
    expectResult(f, 0.23809525);
    expect(f.getConfig()).toEqual({
      num_classes: 2,
      name: f.name,
      dtype: "float32",
      ignore_class: null,
      sparse_y_true: true,
      sparse_y_pred: true,
      axis: -1,
    });
    roundTrip(f);
  });

  it("ignores ignoreClass and out-of-range ids; leaves absent classes out", () => {
    const m = new metrics.MeanIoU({ numClasses: 3, ignoreClass: -1 });
    m.updateState([0, -1, 1, 7], [0, 1, 1, 1]);
    // cm: (0,0), (1,1); class 2 absent -> mean of 1 and 1
    expectResult(m, 1);
  });

  it("BinaryIoU matches Keras's docstring", () => {
    const m = new metrics.BinaryIoU({ targetClassIds: [0, 1], threshold: 0.3 });
    m.updateState([0, 1, 0, 1], [0.1, 0.2, 0.4, 0.7]);
    expectResult(m, 1 / 3);
    const w = new metrics.BinaryIoU({ targetClassIds: [0, 1], threshold: 0.3, dtype: "float32" });
    w.updateState([0, 1, 0, 1], [0.1, 0.2, 0.4, 0.7], [0.2, 0.3, 0.4, 0.1]);
    expectResult(w, 0.17361112);
    expect(w.getConfig()).toEqual({ target_class_ids: [0, 1], threshold: 0.3, name: w.name, dtype: "float32" });
    roundTrip(w);
  });

  it("OneHotIoU and OneHotMeanIoU match Keras's docstrings", () => {
    const t = [
      [0, 0, 1],
      [1, 0, 0],
      [0, 1, 0],
      [1, 0, 0],
    ];
    const p = [
      [0.2, 0.3, 0.5],
      [0.1, 0.2, 0.7],
      [0.5, 0.3, 0.1],
      [0.1, 0.4, 0.5],
    ];
    const sw = [0.1, 0.2, 0.3, 0.4];
    const m = new metrics.OneHotIoU({ numClasses: 3, targetClassIds: [0, 2], dtype: "float32" });
    m.updateState(t, p, sw);
    expectResult(m, (0 / (0.3 + 0.6) + 0.1 / (0.7 + 0.1 - 0.1)) / 2, 5);
    roundTrip(m);
    const mm = new metrics.OneHotMeanIoU(3, { dtype: "float32" });
    mm.updateState(t, p, sw);
    expectResult(mm, 0.1 / 0.7 / 3, 5);
    expect(mm.getConfig()).toEqual({ num_classes: 3, name: mm.name, dtype: "float32", ignore_class: null, sparse_y_pred: false, axis: -1 });
    roundTrip(mm);
  });

  it("validates target class ids", () => {
    expect(() => new metrics.IoU({ numClasses: 2, targetClassIds: [2] })).toThrow(/Target class id 2 is out of range/);
  });

  it("does not leak", () => {
    const m = new metrics.MeanIoU({ numClasses: 3, dtype: "float32" });
    const t = tf.tensor1d([0, 1, 2, 2]);
    const p = tf.tensor1d([0, 2, 2, 1]);
    const w = tf.tensor1d([1, 0.5, 1, 1]);
    expectNoLeak(m, () => m.updateState(t, p, w));
    tf.dispose([t, p, w]);
  });
});
