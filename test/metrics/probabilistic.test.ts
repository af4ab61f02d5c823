import { describe, expect, it } from "vitest";
import { tf, expectResult, expectNoLeak, roundTrip } from "./helpers.js";
import * as metrics from "../../lib/metrics/index.js";

const t = [
  [0, 1],
  [0, 0],
];
const p = [
  [0.6, 0.4],
  [0.4, 0.6],
];

describe("probabilistic metrics", () => {
  it("KLDivergence and Poisson match Keras's docstrings", () => {
    const kl = new metrics.KLDivergence();
    kl.updateState(t, p);
    expectResult(kl, 0.45814306);
    kl.resetState();
    kl.updateState(t, p, [1, 0]);
    expectResult(kl, 0.9162892);
    const po = new metrics.Poisson();
    po.updateState(t, [
      [1, 1],
      [0, 0],
    ]);
    expectResult(po, 0.49999997);
    po.resetState();
    po.updateState(
      t,
      [
        [1, 1],
        [0, 0],
      ],
      [1, 0],
    );
    expectResult(po, 0.99999994);
  });

  it("BinaryCrossentropy matches Keras's docstring", () => {
    const m = new metrics.BinaryCrossentropy();
    m.updateState(t, p);
    expectResult(m, 0.81492424);
    m.resetState();
    m.updateState(t, p, [1, 0]);
    expectResult(m, 0.9162905);
    const cfg = new metrics.BinaryCrossentropy({ fromLogits: true, labelSmoothing: 0.1 });
    expect(cfg.getConfig()).toEqual({ name: "binary_crossentropy", dtype: "float32", from_logits: true, label_smoothing: 0.1 });
    const c2 = roundTrip(cfg);
    expect(c2.fromLogits).toBe(true);
    c2.updateState([[1]], [[0]]);
    // labels 0.95: -(0.95 log .5 + 0.05 log .5) = log 2
    expectResult(c2, Math.log(2), 5);
  });

  it("CategoricalCrossentropy and SparseCategoricalCrossentropy match Keras's docstrings", () => {
    const yp = [
      [0.05, 0.95, 0],
      [0.1, 0.8, 0.1],
    ];
    const c = new metrics.CategoricalCrossentropy();
    c.updateState(
      [
        [0, 1, 0],
        [0, 0, 1],
      ],
      yp,
    );
    expectResult(c, 1.1769392);
    c.resetState();
    c.updateState(
      [
        [0, 1, 0],
        [0, 0, 1],
      ],
      yp,
      [0.3, 0.7],
    );
    expectResult(c, 1.6271976);
    expect(c.getConfig()).toEqual({ name: "categorical_crossentropy", dtype: "float32", from_logits: false, label_smoothing: 0, axis: -1 });
    roundTrip(c);
    const s = new metrics.SparseCategoricalCrossentropy();
    s.updateState([1, 2], yp);
    expectResult(s, 1.1769392);
    s.resetState();
    s.updateState([1, 2], yp, [0.3, 0.7]);
    expectResult(s, 1.6271976);
    expect(s.getConfig()).toEqual({
      name: "sparse_categorical_crossentropy",
      dtype: "float32",
      from_logits: false,
      ignore_class: null,
      axis: -1,
    });
    roundTrip(s);
  });

  it("SparseCategoricalCrossentropy with ignoreClass masks ignored entries when weighted", () => {
    const yp = [
      [0.05, 0.95, 0],
      [0.1, 0.8, 0.1],
    ];
    const s = new metrics.SparseCategoricalCrossentropy({ ignoreClass: 2 });
    s.updateState([1, 2], yp, [1, 1]);
    expectResult(s, -Math.log(0.95), 5);
    const unweighted = new metrics.SparseCategoricalCrossentropy({ ignoreClass: 2 });
    unweighted.updateState([1, 2], yp);
    expectResult(unweighted, -Math.log(0.95) / 2, 5);
  });

  it("do not leak", () => {
    const a = tf.tensor1d([1, 2]);
    const b = tf.tensor2d([
      [0.05, 0.95, 0],
      [0.1, 0.8, 0.1],
    ]);
    const w = tf.tensor1d([1, 1]);
    const m = new metrics.SparseCategoricalCrossentropy({ ignoreClass: 2 });
    expectNoLeak(m, () => m.updateState(a, b, w));
    tf.dispose([a, b, w]);
  });
});

describe("hinge metrics", () => {
  it("Hinge, SquaredHinge and CategoricalHinge match Keras's docstrings", () => {
    const h = new metrics.Hinge();
    h.updateState(t, p);
    expectResult(h, 1.3);
    h.resetState();
    h.updateState(t, p, [1, 0]);
    expectResult(h, 1.1);
    const sh = new metrics.SquaredHinge();
    sh.updateState(t, p);
    expectResult(sh, 1.86);
    sh.resetState();
    sh.updateState(t, p, [1, 0]);
    expectResult(sh, 1.46);
    const ch = new metrics.CategoricalHinge();
    ch.updateState(t, p);
    expectResult(ch, 1.4);
    ch.resetState();
    ch.updateState(t, p, [1, 0]);
    expectResult(ch, 1.2);
    expect(ch.getConfig()).toEqual({ name: "categorical_hinge", dtype: "float32" });
    roundTrip(ch);
  });
});
