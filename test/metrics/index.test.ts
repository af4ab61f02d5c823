import { describe, expect, it } from "vitest";
import { tf, expectResult, value } from "./helpers.js";
import type { Tensor } from "../../lib/backend/tfjs.js";
import * as metrics from "../../lib/metrics/index.js";
import { Metric } from "../../lib/metrics/metric.js";
import { registerKerasSerializable } from "../../lib/saving/object-registration.js";

describe("keras.metrics names", () => {
  it("exports Keras's 72 names (camelCased functions)", () => {
    const names = [
      "binaryCrossentropy", "binaryFocalCrossentropy", "categoricalCrossentropy", "categoricalFocalCrossentropy",
      "categoricalHinge", "hinge", "huber", "klDivergence", "logCosh", "meanAbsoluteError",
      "meanAbsolutePercentageError", "meanSquaredError", "meanSquaredLogarithmicError", "poisson",
      "sparseCategoricalCrossentropy", "squaredHinge", "deserialize", "get", "serialize", "Accuracy",
      "BinaryAccuracy", "CategoricalAccuracy", "SparseCategoricalAccuracy", "SparseTopKCategoricalAccuracy",
      "TopKCategoricalAccuracy", "binaryAccuracy", "categoricalAccuracy", "sparseCategoricalAccuracy",
      "sparseTopKCategoricalAccuracy", "topKCategoricalAccuracy", "AUC", "FalseNegatives", "FalsePositives",
      "Precision", "PrecisionAtRecall", "Recall", "RecallAtPrecision", "SensitivityAtSpecificity",
      "SpecificityAtSensitivity", "TrueNegatives", "TruePositives", "ConcordanceCorrelation", "PearsonCorrelation",
      "concordanceCorrelation", "pearsonCorrelation", "F1Score", "FBetaScore", "CategoricalHinge", "Hinge",
      "SquaredHinge", "BinaryIoU", "IoU", "MeanIoU", "OneHotIoU", "OneHotMeanIoU", "Metric", "BinaryCrossentropy",
      "CategoricalCrossentropy", "KLDivergence", "Poisson", "SparseCategoricalCrossentropy", "Mean",
      "MeanMetricWrapper", "Sum", "CosineSimilarity", "LogCoshError", "MeanAbsoluteError",
      "MeanAbsolutePercentageError", "MeanSquaredError", "MeanSquaredLogarithmicError", "R2Score",
      "RootMeanSquaredError",
    ];
    expect(names.length).toBe(72);
    const mod = metrics as unknown as Record<string, unknown>;
    for (const n of names) expect(typeof mod[n], n).toBe("function");
  });

  it("classes work with and without new", () => {
    const a = metrics.AUC({ numThresholds: 3 });
    expect(a).toBeInstanceOf(metrics.AUC);
    expect(a).toBeInstanceOf(Metric);
    expect(new metrics.Mean()).toBeInstanceOf(metrics.Mean);
    a.dispose();
  });
});

describe("get", () => {
  it("resolves class names, snake_case names and aliases to instances", () => {
    const cases: [string, unknown, string][] = [
      ["mse", metrics.MeanSquaredError, "mean_squared_error"],
      ["MSE", metrics.MeanSquaredError, "mean_squared_error"],
      ["mae", metrics.MeanAbsoluteError, "mean_absolute_error"],
      ["mape", metrics.MeanAbsolutePercentageError, "mean_absolute_percentage_error"],
      ["msle", metrics.MeanSquaredLogarithmicError, "mean_squared_logarithmic_error"],
      ["bce", metrics.BinaryCrossentropy, "binary_crossentropy"],
      ["binary_accuracy", metrics.BinaryAccuracy, "binary_accuracy"],
      ["categorical_accuracy", metrics.CategoricalAccuracy, "categorical_accuracy"],
      ["sparse_categorical_accuracy", metrics.SparseCategoricalAccuracy, "sparse_categorical_accuracy"],
      ["top_k_categorical_accuracy", metrics.TopKCategoricalAccuracy, "top_k_categorical_accuracy"],
      ["sparse_top_k_categorical_accuracy", metrics.SparseTopKCategoricalAccuracy, "sparse_top_k_categorical_accuracy"],
      ["accuracy", metrics.Accuracy, "accuracy"],
      ["categorical_crossentropy", metrics.CategoricalCrossentropy, "categorical_crossentropy"],
      ["kl_divergence", metrics.KLDivergence, "kl_divergence"],
      ["f1_score", metrics.F1Score, "f1_score"],
      ["r2_score", metrics.R2Score, "r2_score"],
      ["CategoricalCrossentropy", metrics.CategoricalCrossentropy, "categorical_crossentropy"],
    ];
    for (const [name, cls, metricName] of cases) {
      const m = metrics.get(name);
      expect(m, name).toBeInstanceOf(cls as new () => Metric);
      expect(m.name, name).toBe(metricName);
      m.dispose();
    }
    for (const [name, cls] of [
      ["auc", metrics.AUC],
      ["AUC", metrics.AUC],
      ["precision", metrics.Precision],
      ["recall", metrics.Recall],
      ["Recall", metrics.Recall],
    ] as const) {
      const m = metrics.get(name);
      expect(m).toBeInstanceOf(cls);
      expect(m.name.startsWith(name.toLowerCase())).toBe(true);
      m.dispose();
    }
  });

  it("wraps function names in a MeanMetricWrapper named after the function", () => {
    for (const [name, metricName] of [
      ["huber", "huber"],
      ["log_cosh", "log_cosh"],
      ["binary_focal_crossentropy", "binary_focal_crossentropy"],
      ["binaryAccuracy", "binary_accuracy"],
      ["pearsonCorrelation", "pearson_correlation"],
    ]) {
      const m = metrics.get(name as string);
      expect(m).toBeInstanceOf(metrics.MeanMetricWrapper);
      expect(m.name).toBe(metricName);
    }
    const m = metrics.get(metrics.binaryAccuracy);
    expect(m.name).toBe("binary_accuracy");
    m.updateState([[1], [1], [0], [0]], [[0.98], [1], [0], [0.6]]);
    expectResult(m, 0.75);
    const h = metrics.get("huber");
    h.updateState([[0, 1]], [[0, 3]]);
    // huber(delta 1) of errors [0, 2] = [0, 1.5], mean 0.75
    expectResult(h, 0.75);
  });

  it("passes Metrics through, instantiates Metric classes, reads configs", () => {
    const m = new metrics.Recall();
    expect(metrics.get(m)).toBe(m);
    expect(metrics.get(metrics.Hinge)).toBeInstanceOf(metrics.Hinge);
    const fromDict = metrics.get({ module: "keras.metrics", class_name: "CategoricalCrossentropy", config: { from_logits: true }, registered_name: null });
    expect(fromDict).toBeInstanceOf(metrics.CategoricalCrossentropy);
    expect((fromDict as metrics.CategoricalCrossentropy).fromLogits).toBe(true);
    expect(metrics.get(null)).toBeNull();
    const custom = function myMetric(t: Tensor, p: Tensor): Tensor {
      return tf.tidy(() => tf.mean(tf.abs(tf.sub(t, p)), -1));
    };
    const w = metrics.get(custom);
    expect(w.name).toBe("my_metric");
  });

  it("throws on unknown names, listing the valid ones", () => {
    let msg = "";
    try {
      metrics.get("not_a_metric");
    } catch (e) {
      msg = (e as Error).message;
    }
    expect(msg).toMatch(/Could not interpret metric identifier: not_a_metric/);
    expect(msg).toContain("binary_accuracy");
    expect(msg).toContain("mse");
    expect(msg).toContain("AUC");
    expect(() => metrics.deserialize({ module: "keras.metrics", class_name: "Nope", config: {}, registered_name: null })).toThrow(
      /Could not interpret metric identifier/,
    );
  });
});

describe("serialize / deserialize", () => {
  const instances = (): Metric[] => [
    new metrics.Mean({ name: "m" }),
    new metrics.Sum(),
    new metrics.MeanMetricWrapper(metrics.sparseTopKCategoricalAccuracy, { k: 2 }),
    new metrics.Accuracy(),
    new metrics.BinaryAccuracy({ threshold: 0.3 }),
    new metrics.CategoricalAccuracy(),
    new metrics.SparseCategoricalAccuracy(),
    new metrics.TopKCategoricalAccuracy(3),
    new metrics.SparseTopKCategoricalAccuracy(2),
    new metrics.TruePositives([0.2, 0.6]),
    new metrics.FalsePositives(),
    new metrics.TrueNegatives(),
    new metrics.FalseNegatives(0.3),
    new metrics.Precision({ topK: 3, classId: 1 }),
    new metrics.Recall([0.1, 0.5]),
    new metrics.AUC({ curve: "PR", numThresholds: 50 }),
    new metrics.PrecisionAtRecall(0.4),
    new metrics.RecallAtPrecision(0.6, { numThresholds: 20 }),
    new metrics.SensitivityAtSpecificity(0.3),
    new metrics.SpecificityAtSensitivity(0.7, { classId: 0 }),
    new metrics.FBetaScore({ beta: 2, average: "micro" }),
    new metrics.F1Score({ threshold: 0.4 }),
    new metrics.IoU(3, [0, 2]),
    new metrics.BinaryIoU({ threshold: 0.4 }),
    new metrics.MeanIoU(4, { ignoreClass: 0 }),
    new metrics.OneHotIoU({ numClasses: 3, targetClassIds: [1] }),
    new metrics.OneHotMeanIoU(3),
    new metrics.MeanSquaredError(),
    new metrics.MeanAbsoluteError(),
    new metrics.MeanAbsolutePercentageError(),
    new metrics.MeanSquaredLogarithmicError(),
    new metrics.RootMeanSquaredError(),
    new metrics.CosineSimilarity({ axis: 0 }),
    new metrics.LogCoshError(),
    new metrics.R2Score({ classAggregation: null, numRegressors: 2 }),
    new metrics.PearsonCorrelation(),
    new metrics.ConcordanceCorrelation({ axis: 1 }),
    new metrics.BinaryCrossentropy({ labelSmoothing: 0.2 }),
    new metrics.CategoricalCrossentropy({ fromLogits: true }),
    new metrics.SparseCategoricalCrossentropy({ ignoreClass: 3 }),
    new metrics.KLDivergence(),
    new metrics.Poisson(),
    new metrics.Hinge(),
    new metrics.SquaredHinge(),
    new metrics.CategoricalHinge(),
  ];

  it("round-trips every class through JSON", () => {
    const all = instances();
    expect(all.length).toBe(45);
    for (const m of all) {
      const s = metrics.serialize(m);
      expect(s.module).toBe("keras.metrics");
      expect(s.class_name).toBe(m.constructor.name);
      const back = metrics.deserialize(JSON.parse(JSON.stringify(s)));
      expect(back, m.constructor.name).toBeInstanceOf(m.constructor as new () => Metric);
      expect((back as Metric).getConfig(), m.constructor.name).toEqual(m.getConfig());
      (back as Metric).dispose();
      m.dispose();
    }
  });

  it("serializes functions as Keras does and deserializes them", () => {
    expect(metrics.serialize(metrics.binaryAccuracy)).toEqual({
      module: "builtins",
      class_name: "function",
      config: "binary_accuracy",
      registered_name: "function",
    });
    expect(metrics.deserialize(metrics.serialize(metrics.binaryAccuracy))).toBe(metrics.binaryAccuracy);
    expect(metrics.deserialize(metrics.serialize(metrics.meanSquaredError))).toBe(metrics.meanSquaredError);
    expect(metrics.deserialize({ module: "builtins", class_name: "function", config: "huber", registered_name: "function" })).toBe(metrics.huber);
  });

  it("reads a Keras MeanMetricWrapper config and custom registered classes", () => {
    const cfg = {
      module: "keras.metrics",
      class_name: "MeanMetricWrapper",
      config: {
        name: "bacc",
        dtype: "float32",
        fn: { module: "builtins", class_name: "function", config: "binary_accuracy", registered_name: "function" },
        threshold: 0.9,
      },
      registered_name: null,
    };
    const m = metrics.deserialize(cfg) as metrics.MeanMetricWrapper;
    expect(m).toBeInstanceOf(metrics.MeanMetricWrapper);
    m.updateState([1, 1], [0.95, 0.8]);
    expectResult(m, 0.5);

    class Twice extends metrics.Mean {
      override result(): Tensor {
        return tf.tidy(() => tf.mul(super.result(), 2));
      }
    }
    registerKerasSerializable({ package: "metrics_test" })(Twice);
    const t = new Twice({ name: "twice" });
    const s = metrics.serialize(t);
    expect(s.registered_name).toBe("metrics_test>Twice");
    const back = metrics.deserialize(s) as Metric;
    expect(back).toBeInstanceOf(Twice);
    (back as Twice).updateState([1, 3]);
    expect(value(back)).toBe(4);
  });
});

describe("memory", () => {
  it("every metric's updateState and result keep the tensor count flat", () => {
    const yTrueBin = tf.tensor2d([[0, 1, 1], [1, 0, 1]]);
    const yPredProb = tf.tensor2d([[0.1, 0.7, 0.2], [0.6, 0.3, 0.1]]);
    const yTrueSparse = tf.tensor1d([1, 0], "int32");
    const weights = tf.tensor1d([1, 0.5]);
    const all: [Metric, () => void][] = [];
    const add = (m: Metric, t: tf.Tensor, p: tf.Tensor): void => {
      all.push([m, () => m.updateState(t, p, weights)]);
    };
    for (const m of [
      new metrics.BinaryAccuracy(),
      new metrics.CategoricalAccuracy(),
      new metrics.TopKCategoricalAccuracy(2),
      new metrics.TruePositives([0.2, 0.5, 0.9]),
      new metrics.Precision({ classId: 1 }),
      new metrics.Recall({ topK: 2 }),
      new metrics.AUC(),
      new metrics.AUC({ multiLabel: true, curve: "PR" }),
      new metrics.SensitivityAtSpecificity(0.5),
      new metrics.F1Score({ average: "macro" }),
      new metrics.OneHotMeanIoU(3, { dtype: "float32" }),
      new metrics.MeanSquaredError(),
      new metrics.RootMeanSquaredError(),
      new metrics.CosineSimilarity(),
      new metrics.R2Score(),
      new metrics.PearsonCorrelation(),
      new metrics.BinaryCrossentropy(),
      new metrics.CategoricalCrossentropy(),
      new metrics.KLDivergence(),
      new metrics.Poisson(),
      new metrics.Hinge(),
      new metrics.CategoricalHinge(),
      metrics.get("huber"),
    ]) {
      add(m, yTrueBin, yPredProb);
    }
    for (const m of [new metrics.SparseCategoricalAccuracy(), new metrics.SparseTopKCategoricalAccuracy(2), new metrics.SparseCategoricalCrossentropy(), new metrics.MeanIoU(3)]) {
      add(m, yTrueSparse, m instanceof metrics.MeanIoU ? tf.keep(tf.tensor1d([1, 2], "int32")) : yPredProb);
    }
    // warm up: build lazily created variables
    for (const [m, u] of all) {
      u();
      m.result().dispose();
    }
    const before = tf.memory().numTensors;
    for (let i = 0; i < 50; i++) for (const [, u] of all) u();
    for (const [m] of all) m.result().dispose();
    for (const [m] of all) m.resetState();
    expect(tf.memory().numTensors).toBe(before);
    for (const [m] of all) m.dispose();
    tf.dispose([yTrueBin, yPredProb, yTrueSparse, weights]);
  });
});
