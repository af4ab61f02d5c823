import { describe, expect, it } from "vitest";
import { tf, expectResult, expectVector, expectNoLeak, roundTrip } from "./helpers.js";
import * as metrics from "../../lib/metrics/index.js";

const t = [
  [0, 1],
  [0, 0],
];
const p = [
  [1, 1],
  [0, 0],
];

describe("regression metrics", () => {
  it("MeanSquaredError, MeanAbsoluteError match Keras's docstrings", () => {
    const mse = new metrics.MeanSquaredError();
    mse.updateState(t, p);
    expectResult(mse, 0.25);
    expect(mse.direction).toBe("down");
    const mae = new metrics.MeanAbsoluteError();
    mae.updateState(t, p);
    expectResult(mae, 0.25);
    mae.resetState();
    mae.updateState(t, p, [1, 0]);
    expectResult(mae, 0.5);
    expect(mae.getConfig()).toEqual({ name: "mean_absolute_error", dtype: "float32" });
    roundTrip(mae);
  });

  it("MeanAbsolutePercentageError, MeanSquaredLogarithmicError match Keras's docstrings", () => {
    const mape = new metrics.MeanAbsolutePercentageError();
    mape.updateState(t, p);
    expect(mape.resultValue() / 250000000).toBeCloseTo(1, 5);
    mape.resetState();
    mape.updateState(t, p, [1, 0]);
    expect(mape.resultValue() / 500000000).toBeCloseTo(1, 5);
    const msle = new metrics.MeanSquaredLogarithmicError();
    msle.updateState(t, p);
    expectResult(msle, 0.12011322);
    msle.resetState();
    msle.updateState(t, p, [1, 0]);
    expectResult(msle, 0.24022643);
  });

  it("RootMeanSquaredError matches Keras's docstring", () => {
    const m = new metrics.RootMeanSquaredError();
    m.updateState(t, p);
    expectResult(m, 0.5);
    m.resetState();
    m.updateState(t, p, [1, 0]);
    expectResult(m, 0.70710677);
    m.updateState([[2, 2]], [[0, 0]], [1]);
    // total = 1 + 8 = 9 ... per-sample means: 0.5 (w 1) and 4 (w 1), count 2
    expectResult(m, Math.sqrt(4.5 / 2));
    roundTrip(m);
  });

  it("CosineSimilarity matches Keras's docstring", () => {
    const m = new metrics.CosineSimilarity({ axis: 1 });
    m.updateState(
      [
        [0, 1],
        [1, 1],
      ],
      [
        [1, 0],
        [1, 1],
      ],
    );
    expectResult(m, 0.5);
    m.resetState();
    m.updateState(
      [
        [0, 1],
        [1, 1],
      ],
      [
        [1, 0],
        [1, 1],
      ],
      [0.3, 0.7],
    );
    expectResult(m, 0.7);
    expect(m.getConfig()).toEqual({ name: "cosine_similarity", dtype: "float32", axis: 1 });
    expect(roundTrip(m).axis).toBe(1);
  });

  it("LogCoshError matches Keras's docstring", () => {
    const m = new metrics.LogCoshError();
    expect(m.name).toBe("logcosh");
    m.updateState(t, p);
    expectResult(m, 0.10844523);
    m.resetState();
    m.updateState(t, p, [1, 0]);
    expectResult(m, 0.21689045);
  });

  it("R2Score matches Keras's docstring", () => {
    const m = new metrics.R2Score();
    m.updateState([[1], [4], [3]], [[2], [4], [4]]);
    expectResult(m, 0.57142854);
    expect(m.getConfig()).toEqual({ name: "r2_score", dtype: "float32", class_aggregation: "uniform_average", num_regressors: 0 });
    roundTrip(m);
  });

  it("R2Score aggregations, sample weights, adjusted R2, accumulation", () => {
    const yt = [
      [1, 2],
      [4, 1],
      [3, 5],
      [2, 2],
    ];
    const yp = [
      [2, 2],
      [4, 2],
      [4, 4],
      [2, 3],
    ];
    // column 0: mean 2.5, SS_tot = 2.25+2.25+0.25+0.25 = 5, SS_res = 1+0+1+0 = 2 -> 0.6
    // column 1: mean 2.5, SS_tot = 0.25+2.25+6.25+0.25 = 9, SS_res = 0+1+1+1 = 3 -> 2/3
    const none = new metrics.R2Score({ classAggregation: null });
    none.updateState(yt, yp);
    expectVector(none, [0.6, 2 / 3]);
    const uni = new metrics.R2Score();
    uni.updateState(yt.slice(0, 2), yp.slice(0, 2));
    uni.updateState(yt.slice(2), yp.slice(2));
    expectResult(uni, (0.6 + 2 / 3) / 2);
    const vw = new metrics.R2Score({ classAggregation: "variance_weighted_average" });
    vw.updateState(yt, yp);
    expectResult(vw, (5 * 0.6 + 9 * (2 / 3)) / 14);
    const adj = new metrics.R2Score({ numRegressors: 1 });
    adj.updateState(yt, yp);
    const r2 = (0.6 + 2 / 3) / 2;
    expectResult(adj, 1 - ((1 - r2) * 3) / 2);
    const tooMany = new metrics.R2Score({ numRegressors: 5 });
    tooMany.updateState(yt, yp);
    expectResult(tooMany, r2);
    const w = new metrics.R2Score({ classAggregation: null });
    w.updateState(yt, yp, [1, 1, 0, 0]);
    // rows 0-1: column 0 mean 2.5, SS_tot 4.5, SS_res 1 -> 1 - 1/4.5
    expectVector(w, [1 - 1 / 4.5, 1 - 1 / 0.5], 4);
    expect(() => new metrics.R2Score({ classAggregation: "bad" as metrics.R2ClassAggregation })).toThrow(/class_aggregation/);
    expect(() => new metrics.R2Score().updateState([1, 2], [1, 2])).toThrow(/2D inputs/);
  });

  it("do not leak", () => {
    const a = tf.tensor2d(t);
    const b = tf.tensor2d(p);
    const w = tf.tensor1d([1, 0.5]);
    for (const m of [
      new metrics.MeanSquaredError(),
      new metrics.RootMeanSquaredError(),
      new metrics.CosineSimilarity(),
      new metrics.R2Score({ numRegressors: 1 }),
    ]) {
      expectNoLeak(m, () => m.updateState(a, b, w));
    }
    tf.dispose([a, b, w]);
  });
});

describe("correlation metrics", () => {
  const yt = [
    [0, 1, 0.5],
    [1, 1, 0.2],
  ];
  const yp = [
    [0.1, 0.9, 0.5],
    [1, 0.9, 0.2],
  ];

  it("PearsonCorrelation and ConcordanceCorrelation match Keras's docstrings", () => {
    const pcc = new metrics.PearsonCorrelation({ axis: -1 });
    pcc.updateState(yt, yp);
    expectResult(pcc, 0.9966996338993913, 5);
    const ccc = new metrics.ConcordanceCorrelation({ axis: -1 });
    ccc.updateState(yt, yp);
    expectResult(ccc, 0.9816320385426076, 5);
    expect(ccc.getConfig()).toEqual({ name: "concordance_correlation", dtype: "float32", axis: -1 });
    roundTrip(ccc);
    roundTrip(pcc);
  });

  it("function forms", () => {
    const r = metrics.concordanceCorrelation(yt, yp);
    const v = Array.from(r.dataSync());
    r.dispose();
    expect(v[0]).toBeCloseTo(0.97560976, 5);
    expect(v[1]).toBeCloseTo(0.98765432, 5);
    const q = metrics.pearsonCorrelation(yt, yp);
    expect(q.shape).toEqual([2]);
    q.dispose();
  });
});
