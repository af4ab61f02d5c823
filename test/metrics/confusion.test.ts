import { describe, expect, it } from "vitest";
import { tf, expectResult, expectVector, expectNoLeak, roundTrip } from "./helpers.js";
import * as metrics from "../../lib/metrics/index.js";

describe("confusion-matrix counts", () => {
  it("FalsePositives matches Keras's docstring", () => {
    const m = new metrics.FalsePositives();
    m.updateState([0, 1, 0, 0], [0, 0, 1, 1]);
    expectResult(m, 2);
    m.resetState();
    m.updateState([0, 1, 0, 0], [0, 0, 1, 1], [0, 0, 1, 0]);
    expectResult(m, 1);
  });

  it("FalseNegatives, TrueNegatives, TruePositives match Keras's docstrings", () => {
    const fn = new metrics.FalseNegatives();
    fn.updateState([0, 1, 1, 1], [0, 1, 0, 0]);
    expectResult(fn, 2);
    fn.resetState();
    fn.updateState([0, 1, 1, 1], [0, 1, 0, 0], [0, 0, 1, 0]);
    expectResult(fn, 1);
    const tn = new metrics.TrueNegatives();
    tn.updateState([0, 1, 0, 0], [1, 1, 0, 0]);
    expectResult(tn, 2);
    tn.resetState();
    tn.updateState([0, 1, 0, 0], [1, 1, 0, 0], [0, 0, 1, 0]);
    expectResult(tn, 1);
    const tp = new metrics.TruePositives();
    tp.updateState([0, 1, 1, 1], [1, 0, 1, 1]);
    expectResult(tp, 2);
    tp.updateState([0, 1, 1, 1], [1, 0, 1, 1], [0, 0, 1, 0]);
    expectResult(tp, 3);
  });

  it("several thresholds give a vector (bucketed and direct updates agree)", () => {
    const yTrue = [0, 1, 1, 1, 0, 1];
    const yPred = [0.1, 0.3, 0.6, 0.9, 0.7, 0.5];
    // thresholds [0, 0.5, 1] are evenly spaced (bucketed path); [0.15, 0.5, 0.95] are not.
    const even = new metrics.TruePositives([0, 0.5, 1]);
    even.updateState(yTrue, yPred);
    expectVector(even, [4, 2, 0]);
    const uneven = new metrics.TruePositives({ thresholds: [0.15, 0.5, 0.95] });
    uneven.updateState(yTrue, yPred);
    expectVector(uneven, [4, 2, 0]);
    const fp = new metrics.FalsePositives([0, 0.5, 1]);
    fp.updateState(yTrue, yPred);
    expectVector(fp, [2, 1, 0]);
    expect(fp.getConfig()).toEqual({ name: fp.name, dtype: "float32", thresholds: [0, 0.5, 1] });
    roundTrip(fp);
  });

  it("rejects thresholds outside [0, 1]", () => {
    expect(() => new metrics.TruePositives([0.5, 1.5])).toThrow(/Threshold values must be in \[0, 1\]/);
  });
});

describe("Precision", () => {
  it("matches Keras's docstring", () => {
    const m = new metrics.Precision();
    expect(m.name).toMatch(/^precision/);
    m.updateState([0, 1, 1, 1], [1, 0, 1, 1]);
    expectResult(m, 2 / 3);
    m.resetState();
    m.updateState([0, 1, 1, 1], [1, 0, 1, 1], [0, 0, 1, 0]);
    expectResult(m, 1);
    const k2 = new metrics.Precision({ topK: 2 });
    k2.updateState([0, 0, 1, 1], [1, 1, 1, 1]);
    expectResult(k2, 0);
    const k4 = new metrics.Precision({ topK: 4 });
    k4.updateState([0, 0, 1, 1], [1, 1, 1, 1]);
    expectResult(k4, 0.5);
  });

  it("classId and accumulation", () => {
    const m = new metrics.Precision({ classId: 1 });
    m.updateState(
      [
        [0, 1, 0],
        [1, 0, 0],
        [0, 1, 0],
      ],
      [
        [0.1, 0.8, 0.1],
        [0.2, 0.6, 0.2],
        [0.7, 0.2, 0.1],
      ],
    );
    // class 1: predicted positive rows 0, 1; true in row 0 -> 1/2
    expectResult(m, 0.5);
    m.updateState([[0, 1, 0]], [[0, 0.9, 0.1]]);
    expectResult(m, 2 / 3);
    expect(m.getConfig()).toEqual({ name: m.name, dtype: "float32", thresholds: null, top_k: null, class_id: 1 });
    roundTrip(m);
  });

  it("multiple thresholds give a vector", () => {
    const m = new metrics.Precision([0.5, 0.7]);
    m.updateState([0, 1, 1, 0], [0.6, 0.8, 0.55, 0.75]);
    expectVector(m, [0.5, 0.5]);
  });

  it("does not leak", () => {
    const m = new metrics.Precision({ topK: 2 });
    const t = tf.tensor2d([[0, 1, 1]]);
    const p = tf.tensor2d([[0.2, 0.5, 0.3]]);
    expectNoLeak(m, () => m.updateState(t, p));
    t.dispose();
    p.dispose();
  });
});

describe("Recall", () => {
  it("matches Keras's docstring", () => {
    const m = new metrics.Recall();
    m.updateState([0, 1, 1, 1], [1, 0, 1, 1]);
    expectResult(m, 2 / 3);
    m.resetState();
    m.updateState([0, 1, 1, 1], [1, 0, 1, 1], [0, 0, 1, 0]);
    expectResult(m, 1);
  });

  it("topK", () => {
    const m = new metrics.Recall({ topK: 1 });
    m.updateState(
      [
        [0, 1, 1],
        [1, 0, 0],
      ],
      [
        [0.1, 0.5, 0.4],
        [0.3, 0.6, 0.1],
      ],
    );
    // top-1: row0 -> class1 (tp), row1 -> class1 (fp). positives: 3; tp 1
    expectResult(m, 1 / 3);
    roundTrip(new metrics.Recall({ topK: 1, name: "r" }));
  });
});

describe("sensitivity / specificity family", () => {
  it("SensitivityAtSpecificity matches Keras's docstring", () => {
    const m = new metrics.SensitivityAtSpecificity(0.5);
    m.updateState([0, 0, 0, 1, 1], [0, 0.3, 0.8, 0.3, 0.8]);
    expectResult(m, 0.5);
    m.resetState();
    m.updateState([0, 0, 0, 1, 1], [0, 0.3, 0.8, 0.3, 0.8], [1, 1, 2, 2, 1]);
    expectResult(m, 1 / 3);
    expect(m.getConfig()).toEqual({ name: m.name, dtype: "float32", class_id: null, num_thresholds: 200, specificity: 0.5 });
    roundTrip(m);
  });

  it("SpecificityAtSensitivity matches Keras's docstring", () => {
    const m = new metrics.SpecificityAtSensitivity(0.5);
    m.updateState([0, 0, 0, 1, 1], [0, 0.3, 0.8, 0.3, 0.8]);
    expectResult(m, 2 / 3);
    m.resetState();
    m.updateState([0, 0, 0, 1, 1], [0, 0.3, 0.8, 0.3, 0.8], [1, 1, 2, 2, 2]);
    expectResult(m, 0.5);
    roundTrip(m);
  });

  it("PrecisionAtRecall matches Keras's docstring", () => {
    const m = new metrics.PrecisionAtRecall(0.5);
    m.updateState([0, 0, 0, 1, 1], [0, 0.3, 0.8, 0.3, 0.8]);
    expectResult(m, 0.5);
    m.resetState();
    m.updateState([0, 0, 0, 1, 1], [0, 0.3, 0.8, 0.3, 0.8], [2, 2, 2, 1, 1]);
    expectResult(m, 1 / 3);
    roundTrip(m);
  });

  it("RecallAtPrecision matches Keras's docstring", () => {
    const m = new metrics.RecallAtPrecision(0.8);
    m.updateState([0, 0, 1, 1], [0, 0.5, 0.3, 0.9]);
    expectResult(m, 0.5);
    m.resetState();
    m.updateState([0, 0, 1, 1], [0, 0.5, 0.3, 0.9], [1, 0, 0, 1]);
    expectResult(m, 1);
    const r = roundTrip(new metrics.RecallAtPrecision({ precision: 0.7, numThresholds: 10, classId: 2 }));
    expect(r.numThresholds).toBe(10);
  });

  it("validates its value", () => {
    expect(() => new metrics.SensitivityAtSpecificity(1.5)).toThrow(/range \[0, 1\]/);
    expect(() => new metrics.PrecisionAtRecall(0.5, { numThresholds: 0 })).toThrow(/num_thresholds/);
  });
});

describe("AUC", () => {
  const yTrue = [0, 0, 1, 1];
  const yPred = [0, 0.5, 0.3, 0.9];
  const sw = [1, 2, 3, 4];
  const logits = yPred.map((p) => -Math.log(1 / (p + 1e-12) - 1));

  it("matches Keras's docstring", () => {
    const m = new metrics.AUC({ numThresholds: 3 });
    expect(m.name).toMatch(/^auc/);
    m.updateState(yTrue, yPred);
    expectResult(m, 0.75);
    m.resetState();
    m.updateState(yTrue, yPred, [1, 0, 0, 1]);
    expectResult(m, 1);
  });

  it("is 1 when all correct", () => {
    const m = new metrics.AUC();
    m.updateState(yTrue, yTrue);
    expectResult(m, 1);
  });

  it("from logits", () => {
    const m = new metrics.AUC({ numThresholds: 3, fromLogits: true });
    m.updateState(yTrue, logits);
    expectResult(m, 0.75, 3);
  });

  it("manual thresholds", () => {
    const m = new metrics.AUC({ numThresholds: 2, thresholds: [0.5] });
    expect(m.numThresholds).toBe(3);
    const th = m.thresholds;
    expect(th[0]).toBeCloseTo(0, 6);
    expect(th[1]).toBe(0.5);
    expect(th[2]).toBeCloseTo(1, 6);
    m.updateState(yTrue, yPred);
    expectResult(m, 0.75);
  });

  it("weighted ROC: interpolation, majoring, minoring", () => {
    const cases: [metrics.AUCSummationMethod, number][] = [
      ["interpolation", 0.7855],
      ["majoring", 1],
      ["minoring", 0.571],
    ];
    for (const [method, expected] of cases) {
      const m = new metrics.AUC({ numThresholds: 3, summationMethod: method });
      m.updateState(yTrue, yPred, sw);
      expectResult(m, expected, 3);
    }
  });

  it("weighted PR: majoring, minoring, interpolation (Davis & Goadrich)", () => {
    const maj = new metrics.AUC({ numThresholds: 3, curve: "PR", summationMethod: "majoring" });
    maj.updateState(yTrue, yPred, sw);
    expectResult(maj, 1 * 0.429 + 1 * 0.571, 3);
    const min = new metrics.AUC({ numThresholds: 3, curve: "PR", summationMethod: "minoring" });
    min.updateState(yTrue, yPred, sw);
    expectResult(min, 0.7 * 0.429, 3);
    const interp = new metrics.AUC({ numThresholds: 3, curve: "PR" });
    interp.updateState(yTrue, yPred, sw);
    expectResult(interp, (0.5 * (3 + 2 * Math.log(2.5))) / 7 + 4 / 7, 5);
    const neg = new metrics.AUC({ numThresholds: 3, curve: "PR" });
    neg.updateState(yTrue, yPred, [-1, -2, -3, -4]);
    expectResult(neg, 0);
  });

  it("weighted PRGAIN", () => {
    const cases: [metrics.AUCSummationMethod, number][] = [
      ["majoring", 1],
      ["minoring", 0],
      ["interpolation", 0.5],
    ];
    for (const [method, expected] of cases) {
      const m = new metrics.AUC({ numThresholds: 3, curve: "PRGAIN", summationMethod: method });
      m.updateState(yTrue, yPred, sw);
      expectResult(m, expected, 4);
    }
    const m = new metrics.AUC({ numThresholds: 3, curve: "PRGAIN" });
    m.updateState([0, 0, 0, 1, 0, 1, 0, 1, 1, 1], [0.1, 0.2, 0.3, 0.3, 0.4, 0.4, 0.6, 0.6, 0.8, 0.9]);
    expectResult(m, 0.666666 * 0.333333 + 0.333333 * 0.833333, 4);
  });

  it("extra dims are flattened", () => {
    const sig = (x: number): number => 1 / (1 + Math.exp(-x));
    const logitsIn = [
      [
        [-10, 10, -10],
        [10, -10, 10],
      ],
      [
        [-12, 12, -12],
        [12, -12, 12],
      ],
    ];
    const p = logitsIn.map((a) => a.map((b) => b.map((x) => sig(-x))));
    const labels = [
      [
        [1, 0, 0],
        [1, 0, 0],
      ],
      [
        [0, 1, 1],
        [0, 1, 1],
      ],
    ];
    const m = new metrics.AUC();
    m.updateState(labels, p);
    expectResult(m, 0.5, 4);
  });

  it("multi-label: one curve per label, averaged", () => {
    const yp = [
      [0, 0.1],
      [0.5, 0.2],
      [0.3, 0.3],
      [0.9, 0.4],
    ];
    const good = [
      [0, 0],
      [0, 0],
      [1, 1],
      [1, 1],
    ];
    const m = new metrics.AUC({ numThresholds: 5, multiLabel: true });
    expect(m.variables.length).toBe(0);
    m.updateState(good, yp);
    expect(m.truePositives.shape).toEqual([5, 2]);
    expectResult(m, (0.875 + 1.0) / 2, 4);
    const all = new metrics.AUC({ multiLabel: true });
    all.updateState(good, good);
    expectResult(all, 1);
    const flat = new metrics.AUC({ numThresholds: 5 });
    flat.updateState(good, good);
    expectResult(flat, 1);
    const withLogits = new metrics.AUC({ numThresholds: 5, multiLabel: true, numLabels: 2, fromLogits: true });
    expect(withLogits.variables.length).toBe(4);
    withLogits.updateState(
      good,
      yp.map((r) => r.map((x) => -Math.log(1 / (x + 1e-12) - 1))),
    );
    expectResult(withLogits, (0.875 + 1.0) / 2, 4);
    const weighted = new metrics.AUC({ numThresholds: 5, multiLabel: true, labelWeights: [0.75, 0.25] });
    weighted.updateState(good, yp);
    expectResult(weighted, 0.875 * 0.75 + 1.0 * 0.25, 4);
    weighted.dispose();
  });

  it("config round trip", () => {
    const m = new metrics.AUC({
      numThresholds: 100,
      curve: "PR",
      summationMethod: "majoring",
      name: "auc_1",
      multiLabel: true,
      numLabels: 2,
      fromLogits: true,
    });
    const cfg = m.getConfig();
    expect(cfg).toEqual({
      name: "auc_1",
      dtype: "float32",
      num_thresholds: 100,
      curve: "PR",
      summation_method: "majoring",
      multi_label: true,
      num_labels: 2,
      label_weights: null,
      from_logits: true,
    });
    const m2 = roundTrip(m);
    expect(m2.variables.length).toBe(4);
    const manual = new metrics.AUC({ curve: "PR", summationMethod: "majoring", thresholds: [0.3, 0.5] });
    expect(manual.numThresholds).toBe(4);
    expect(manual.getConfig().thresholds).toEqual([0.3, 0.5]);
    const manual2 = roundTrip(manual);
    expect(manual2.thresholds).toEqual(manual.thresholds);
  });

  it("validates its options", () => {
    expect(() => new metrics.AUC({ numThresholds: 1 })).toThrow(/Argument `num_thresholds` must be an integer > 1/);
    expect(() => new metrics.AUC({ curve: "Invalid" as metrics.AUCCurve })).toThrow(/Invalid AUC curve value: "Invalid"/);
    expect(() => new metrics.AUC({ summationMethod: "Invalid" as metrics.AUCSummationMethod })).toThrow(
      /Invalid AUC summation method value: "Invalid"/,
    );
  });

  it("does not leak (single and multi-label)", () => {
    const t = tf.tensor1d([0, 0, 1, 1]);
    const p = tf.tensor1d([0, 0.5, 0.3, 0.9]);
    const w = tf.tensor1d([1, 2, 3, 4]);
    const m = new metrics.AUC({ curve: "PR" });
    expectNoLeak(m, () => m.updateState(t, p, w));
    const t2 = tf.tensor2d([[0, 1], [1, 0]]);
    const p2 = tf.tensor2d([[0.2, 0.7], [0.6, 0.1]]);
    const ml = new metrics.AUC({ multiLabel: true, labelWeights: [1, 2] });
    expectNoLeak(ml, () => ml.updateState(t2, p2));
    ml.dispose();
    tf.dispose([t, p, w, t2, p2]);
  });

  it("200 thresholds approximate the exact ROC AUC", () => {
    // Exact AUC of these scores: pairs (pos > neg) / (pos * neg).
    const scores = [0.05, 0.15, 0.25, 0.35, 0.45, 0.55, 0.65, 0.75, 0.85, 0.95];
    const labels = [0, 0, 1, 0, 1, 0, 1, 1, 0, 1];
    let good = 0;
    let total = 0;
    scores.forEach((s, i) =>
      scores.forEach((s2, j) => {
        if (labels[i] === 1 && labels[j] === 0) {
          total++;
          if (s > s2) good++;
        }
      }),
    );
    const m = new metrics.AUC();
    m.updateState(labels, scores);
    expectResult(m, good / total, 5);
  });
});
