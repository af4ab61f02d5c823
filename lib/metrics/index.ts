/**
 * keras.metrics: the Metric base, the 49 metric classes, the metric
 * functions (Keras's snake_case names camelCased: `binaryAccuracy`,
 * `meanSquaredError`, ...), and `get` / `serialize` / `deserialize`.
 *
 * Classes work with and without `new`: `metrics.AUC()`.
 *
 * `get` resolves names of metric classes and functions (`"mse"`,
 * `"binary_accuracy"`, `"auc"`, `"Precision"`, ...). `"accuracy"` resolves
 * to `Accuracy` here; picking binary/categorical/sparse accuracy from the
 * loss and the shapes (as `compile(metrics: ["accuracy"])` does) is the
 * trainer's job.
 */
import { isVariable } from "../backend/variable.js";
import { tf } from "../backend/tfjs.js";
import type { SerializedObject } from "../saving/serialized.js";
import { isSerializedObject } from "../saving/serialized.js";
import {
  type CustomObjects,
  deserializeFromTable,
  isClassObject,
  type ModuleObject,
  type ModuleTable,
  serializeInstance,
} from "../saving/module-objects.js";
import { getRegisteredObject } from "../saving/object-registration.js";
import { deserializeLossFunction } from "../losses/losses.js";
import * as L from "../losses/losses.js";
import { callable } from "../utils/callable.js";
import { toSnakeCase } from "../utils/naming.js";
import { Metric } from "./metric.js";
import * as R from "./reduction-metrics.js";
import * as A from "./accuracy-metrics.js";
import * as C from "./confusion-metrics.js";
import * as F from "./f-score-metrics.js";
import * as I from "./iou-metrics.js";
import * as G from "./regression-metrics.js";
import * as K from "./correlation-metrics.js";
import * as P from "./probabilistic-metrics.js";
import * as H from "./hinge-metrics.js";

export { Metric, type MetricArgs, type AddMetricVariableOptions } from "./metric.js";
export {
  type MetricFunction,
  type MetricFunctionAdapter,
  type MeanMetricWrapperArgs,
  reduceToSamplewiseValues,
  registerMetricFunction,
  metricFunctionName,
} from "./reduction-metrics.js";
export type { BinaryAccuracyArgs, TopKCategoricalAccuracyArgs, SparseTopKCategoricalAccuracyArgs } from "./accuracy-metrics.js";
export type {
  Thresholds,
  ConfusionCountArgs,
  PrecisionRecallArgs,
  SensitivitySpecificityArgs,
  SensitivityAtSpecificityArgs,
  SpecificityAtSensitivityArgs,
  PrecisionAtRecallArgs,
  RecallAtPrecisionArgs,
  AUCArgs,
  AUCCurve,
  AUCSummationMethod,
} from "./confusion-metrics.js";
export type { FBetaScoreArgs, F1ScoreArgs, FScoreAverage } from "./f-score-metrics.js";
export type { IoUBaseArgs, IoUArgs, BinaryIoUArgs, MeanIoUArgs, OneHotIoUArgs, OneHotMeanIoUArgs } from "./iou-metrics.js";
export type { CosineSimilarityArgs, R2ScoreArgs, R2ClassAggregation } from "./regression-metrics.js";
export type { CorrelationArgs } from "./correlation-metrics.js";
export type {
  BinaryCrossentropyArgs,
  CategoricalCrossentropyArgs,
  SparseCategoricalCrossentropyArgs,
} from "./probabilistic-metrics.js";
export {
  NEG_INF,
  confusionMatrix,
  updateConfusionMatrixVariables,
  type ConfusionMatrixKey,
  type ConfusionMatrixUpdateOptions,
} from "./metrics-utils.js";

// ---- metric functions (keras.metrics.<snake_case> camelCased)
export {
  binaryAccuracy,
  categoricalAccuracy,
  sparseCategoricalAccuracy,
  topKCategoricalAccuracy,
  sparseTopKCategoricalAccuracy,
} from "./accuracy-metrics.js";
export { pearsonCorrelation, concordanceCorrelation } from "./correlation-metrics.js";
export {
  binaryCrossentropy,
  binaryFocalCrossentropy,
  categoricalCrossentropy,
  categoricalFocalCrossentropy,
  categoricalHinge,
  hinge,
  huber,
  klDivergence,
  logCosh,
  meanAbsoluteError,
  meanAbsolutePercentageError,
  meanSquaredError,
  meanSquaredLogarithmicError,
  poisson,
  sparseCategoricalCrossentropy,
  squaredHinge,
} from "../losses/losses.js";

// ---- metric classes (`export const X = callable(XClass); export type X = XClass;`)
export const Mean = callable(R.Mean); export type Mean = R.Mean;
export const Sum = callable(R.Sum); export type Sum = R.Sum;
export const MeanMetricWrapper = callable(R.MeanMetricWrapper); export type MeanMetricWrapper = R.MeanMetricWrapper;
export const Accuracy = callable(A.Accuracy); export type Accuracy = A.Accuracy;
export const BinaryAccuracy = callable(A.BinaryAccuracy); export type BinaryAccuracy = A.BinaryAccuracy;
export const CategoricalAccuracy = callable(A.CategoricalAccuracy); export type CategoricalAccuracy = A.CategoricalAccuracy;
export const SparseCategoricalAccuracy = callable(A.SparseCategoricalAccuracy); export type SparseCategoricalAccuracy = A.SparseCategoricalAccuracy;
export const TopKCategoricalAccuracy = callable(A.TopKCategoricalAccuracy); export type TopKCategoricalAccuracy = A.TopKCategoricalAccuracy;
export const SparseTopKCategoricalAccuracy = callable(A.SparseTopKCategoricalAccuracy); export type SparseTopKCategoricalAccuracy = A.SparseTopKCategoricalAccuracy;
export const TruePositives = callable(C.TruePositives); export type TruePositives = C.TruePositives;
export const FalsePositives = callable(C.FalsePositives); export type FalsePositives = C.FalsePositives;
export const TrueNegatives = callable(C.TrueNegatives); export type TrueNegatives = C.TrueNegatives;
export const FalseNegatives = callable(C.FalseNegatives); export type FalseNegatives = C.FalseNegatives;
export const Precision = callable(C.Precision); export type Precision = C.Precision;
export const Recall = callable(C.Recall); export type Recall = C.Recall;
export const AUC = callable(C.AUC); export type AUC = C.AUC;
export const PrecisionAtRecall = callable(C.PrecisionAtRecall); export type PrecisionAtRecall = C.PrecisionAtRecall;
export const RecallAtPrecision = callable(C.RecallAtPrecision); export type RecallAtPrecision = C.RecallAtPrecision;
export const SensitivityAtSpecificity = callable(C.SensitivityAtSpecificity); export type SensitivityAtSpecificity = C.SensitivityAtSpecificity;
export const SpecificityAtSensitivity = callable(C.SpecificityAtSensitivity); export type SpecificityAtSensitivity = C.SpecificityAtSensitivity;
export const FBetaScore = callable(F.FBetaScore); export type FBetaScore = F.FBetaScore;
export const F1Score = callable(F.F1Score); export type F1Score = F.F1Score;
export const IoU = callable(I.IoU); export type IoU = I.IoU;
export const BinaryIoU = callable(I.BinaryIoU); export type BinaryIoU = I.BinaryIoU;
export const MeanIoU = callable(I.MeanIoU); export type MeanIoU = I.MeanIoU;
export const OneHotIoU = callable(I.OneHotIoU); export type OneHotIoU = I.OneHotIoU;
export const OneHotMeanIoU = callable(I.OneHotMeanIoU); export type OneHotMeanIoU = I.OneHotMeanIoU;
export const MeanSquaredError = callable(G.MeanSquaredError); export type MeanSquaredError = G.MeanSquaredError;
export const MeanAbsoluteError = callable(G.MeanAbsoluteError); export type MeanAbsoluteError = G.MeanAbsoluteError;
export const MeanAbsolutePercentageError = callable(G.MeanAbsolutePercentageError); export type MeanAbsolutePercentageError = G.MeanAbsolutePercentageError;
export const MeanSquaredLogarithmicError = callable(G.MeanSquaredLogarithmicError); export type MeanSquaredLogarithmicError = G.MeanSquaredLogarithmicError;
export const RootMeanSquaredError = callable(G.RootMeanSquaredError); export type RootMeanSquaredError = G.RootMeanSquaredError;
export const CosineSimilarity = callable(G.CosineSimilarity); export type CosineSimilarity = G.CosineSimilarity;
export const LogCoshError = callable(G.LogCoshError); export type LogCoshError = G.LogCoshError;
export const R2Score = callable(G.R2Score); export type R2Score = G.R2Score;
export const PearsonCorrelation = callable(K.PearsonCorrelation); export type PearsonCorrelation = K.PearsonCorrelation;
export const ConcordanceCorrelation = callable(K.ConcordanceCorrelation); export type ConcordanceCorrelation = K.ConcordanceCorrelation;
export const BinaryCrossentropy = callable(P.BinaryCrossentropy); export type BinaryCrossentropy = P.BinaryCrossentropy;
export const CategoricalCrossentropy = callable(P.CategoricalCrossentropy); export type CategoricalCrossentropy = P.CategoricalCrossentropy;
export const SparseCategoricalCrossentropy = callable(P.SparseCategoricalCrossentropy); export type SparseCategoricalCrossentropy = P.SparseCategoricalCrossentropy;
export const KLDivergence = callable(P.KLDivergence); export type KLDivergence = P.KLDivergence;
export const Poisson = callable(P.Poisson); export type Poisson = P.Poisson;
export const Hinge = callable(H.Hinge); export type Hinge = H.Hinge;
export const SquaredHinge = callable(H.SquaredHinge); export type SquaredHinge = H.SquaredHinge;
export const CategoricalHinge = callable(H.CategoricalHinge); export type CategoricalHinge = H.CategoricalHinge;

/** The metric classes of keras.metrics (`ALL_OBJECTS` of Keras, less the abstract `Metric`). */
const CLASSES: ModuleObject[] = [
  R.Mean,
  R.Sum,
  R.MeanMetricWrapper,
  G.MeanSquaredError,
  G.RootMeanSquaredError,
  G.MeanAbsoluteError,
  G.MeanAbsolutePercentageError,
  G.MeanSquaredLogarithmicError,
  G.CosineSimilarity,
  G.LogCoshError,
  G.R2Score,
  C.AUC,
  C.FalseNegatives,
  C.FalsePositives,
  C.Precision,
  C.PrecisionAtRecall,
  C.Recall,
  C.RecallAtPrecision,
  C.SensitivityAtSpecificity,
  C.SpecificityAtSensitivity,
  C.TrueNegatives,
  C.TruePositives,
  K.ConcordanceCorrelation,
  K.PearsonCorrelation,
  H.Hinge,
  H.SquaredHinge,
  H.CategoricalHinge,
  P.KLDivergence,
  P.Poisson,
  P.BinaryCrossentropy,
  P.CategoricalCrossentropy,
  P.SparseCategoricalCrossentropy,
  A.Accuracy,
  A.BinaryAccuracy,
  A.CategoricalAccuracy,
  A.SparseCategoricalAccuracy,
  A.TopKCategoricalAccuracy,
  A.SparseTopKCategoricalAccuracy,
  F.F1Score,
  F.FBetaScore,
  I.IoU,
  I.BinaryIoU,
  I.MeanIoU,
  I.OneHotIoU,
  I.OneHotMeanIoU,
];

const OBJECTS: Record<string, ModuleObject> = {};
for (const cls of CLASSES) {
  OBJECTS[cls.name] = cls;
  OBJECTS[toSnakeCase(cls.name)] = cls;
}
Object.assign(OBJECTS, {
  bce: P.BinaryCrossentropy,
  BCE: P.BinaryCrossentropy,
  mse: G.MeanSquaredError,
  MSE: G.MeanSquaredError,
  mae: G.MeanAbsoluteError,
  MAE: G.MeanAbsoluteError,
  mape: G.MeanAbsolutePercentageError,
  MAPE: G.MeanAbsolutePercentageError,
  msle: G.MeanSquaredLogarithmicError,
  MSLE: G.MeanSquaredLogarithmicError,
});

/** The names `get` and `deserialize` accept for metric classes (class names, snake_case names, aliases). */
export const ALL_OBJECTS: Readonly<Record<string, ModuleObject>> = OBJECTS;

const METRIC_FUNCTION_LIST: R.MetricFunction[] = [
  A.binaryAccuracy,
  A.categoricalAccuracy,
  A.sparseCategoricalAccuracy,
  A.topKCategoricalAccuracy,
  A.sparseTopKCategoricalAccuracy,
  K.pearsonCorrelation,
  K.concordanceCorrelation,
  L.binaryCrossentropy,
  L.binaryFocalCrossentropy,
  L.categoricalCrossentropy,
  L.categoricalFocalCrossentropy,
  L.categoricalHinge,
  L.hinge,
  L.huber,
  L.klDivergence,
  L.logCosh,
  L.meanAbsoluteError,
  L.meanAbsolutePercentageError,
  L.meanSquaredError,
  L.meanSquaredLogarithmicError,
  L.poisson,
  L.sparseCategoricalCrossentropy,
  L.squaredHinge,
];

const FUNCTIONS: Record<string, R.MetricFunction> = {};
for (const fn of METRIC_FUNCTION_LIST) {
  FUNCTIONS[R.metricFunctionName(fn)] = fn;
  FUNCTIONS[fn.name] = fn;
}

/** The metric functions by name (Keras's snake_case names and the camelCase function names). */
export const ALL_FUNCTIONS: Readonly<Record<string, R.MetricFunction>> = FUNCTIONS;

const TABLE: ModuleTable = { module: "keras.metrics", kind: "metric", objects: OBJECTS, base: Metric };

function validNames(): string[] {
  return [...new Set([...Object.keys(OBJECTS), ...Object.keys(FUNCTIONS)])].sort();
}

function unknownMetric(identifier: unknown): Error {
  const shown = typeof identifier === "string" ? identifier : JSON.stringify(identifier);
  return new Error(
    `Could not interpret metric identifier: ${shown}. Expected one of: ${validNames().join(", ")}, ` +
      "or a Metric, a metric class, a function (yTrue, yPred) => Tensor, or a config dict.",
  );
}

function resolveFunction(name: string, registered: string | null, customObjects?: CustomObjects): R.MetricFunction {
  for (const key of [registered, name]) {
    if (key && customObjects && typeof customObjects[key] === "function") return customObjects[key] as R.MetricFunction;
  }
  const hit = FUNCTIONS[name];
  if (hit !== undefined) return hit;
  for (const key of [registered, name]) {
    if (!key || key === "function") continue;
    const reg = getRegisteredObject(key);
    if (typeof reg === "function") return reg as unknown as R.MetricFunction;
  }
  try {
    return deserializeLossFunction(name, customObjects) as R.MetricFunction;
  } catch {
    throw unknownMetric(name);
  }
}

function resolveSerializedFunction(fn: unknown, customObjects?: CustomObjects): R.MetricFunction {
  if (typeof fn === "function") return fn as R.MetricFunction;
  if (typeof fn === "string") return resolveFunction(fn, null, customObjects);
  if (isSerializedObject(fn) && fn.class_name === "function") {
    const name = typeof fn.config === "string" ? fn.config : String(fn.registered_name ?? "");
    return resolveFunction(name, fn.registered_name ?? null, customObjects);
  }
  throw new Error(`Could not interpret metric function: ${JSON.stringify(fn)}. Expected a function name or a serialized function.`);
}

R.setMetricFunctionResolver((fn) => resolveSerializedFunction(fn));

/** A metric class (constructible without arguments). */
export type MetricClass = new () => Metric;

/** What `get` accepts. */
export type MetricIdentifier = string | Metric | MetricClass | R.MetricFunction | SerializedObject;

/** Keras's serialized dict of a metric, or of a metric function (`{class_name: "function", config: "binary_accuracy", ...}`). */
export function serialize(metric: Metric | R.MetricFunction): SerializedObject {
  if (metric instanceof Metric) return serializeInstance(metric, TABLE.module);
  if (typeof metric === "function") return R.serializeMetricFunction(metric);
  throw new TypeError(`Cannot serialize ${String(metric)} as a metric.`);
}

/**
 * Keras's `keras.metrics.deserialize`: a serialized dict (or a name) gives
 * a Metric, or a metric function for `class_name: "function"`.
 */
export function deserialize(config: SerializedObject | string, customObjects?: CustomObjects): Metric | R.MetricFunction {
  if (typeof config === "string") {
    if (OBJECTS[config] === undefined && (FUNCTIONS[config] !== undefined || customObjects?.[config] !== undefined)) {
      const custom = customObjects?.[config];
      if (typeof custom === "function" && !isClassObject(custom, Metric)) return custom as R.MetricFunction;
      if (custom === undefined) return FUNCTIONS[config];
    }
  } else if (isSerializedObject(config) && config.class_name === "function") {
    return resolveSerializedFunction(config, customObjects);
  }
  let obj: unknown;
  try {
    obj = deserializeFromTable(config, TABLE, customObjects);
  } catch (e) {
    if (e instanceof Error && e.message.startsWith("Could not interpret metric identifier")) throw unknownMetric(config);
    throw e;
  }
  if (obj instanceof Metric) return obj;
  if (typeof obj === "function") return obj as R.MetricFunction;
  throw unknownMetric(config);
}

function wrapFunction(fn: R.MetricFunction): Metric {
  return new R.MeanMetricWrapper(fn, { name: R.metricFunctionName(fn) });
}

/**
 * Keras's `keras.metrics.get`, always giving a `Metric`: a name
 * (`"mse"`, `"binary_accuracy"`, `"auc"`, `"Precision"`, ...), a Metric
 * (returned as is), a Metric class (instantiated with its defaults), a
 * function `(yTrue, yPred) => Tensor` (wrapped in a `MeanMetricWrapper`
 * named after it), or a serialized dict. Names of functions without a class
 * (`"huber"`, `"log_cosh"`, `"binary_focal_crossentropy"`, `"binaryAccuracy"`)
 * give a `MeanMetricWrapper` of the function. `null`/`undefined` give null.
 * Unknown names throw an Error listing the valid names.
 */
export function get(identifier: MetricIdentifier): Metric;
export function get(identifier: MetricIdentifier | null | undefined): Metric | null;
export function get(identifier: MetricIdentifier | null | undefined): Metric | null {
  if (identifier == null) return null;
  if (identifier instanceof Metric) return identifier;
  if (typeof identifier === "string") {
    const cls = OBJECTS[identifier];
    if (cls !== undefined) {
      if (cls === R.MeanMetricWrapper) throw new Error(`MeanMetricWrapper needs a function: use new MeanMetricWrapper(fn). Received: ${identifier}`);
      return new (cls as unknown as MetricClass)();
    }
    const fn = FUNCTIONS[identifier];
    if (fn !== undefined) return wrapFunction(fn);
    throw unknownMetric(identifier);
  }
  if (typeof identifier === "function") {
    if (isClassObject(identifier, Metric)) {
      const inst = new (identifier as MetricClass)();
      if (inst instanceof Metric) return inst;
      throw unknownMetric(identifier.name);
    }
    return wrapFunction(identifier as R.MetricFunction);
  }
  if (isVariable(identifier) || identifier instanceof tf.Tensor) throw unknownMetric(String(identifier));
  const obj = deserialize(identifier);
  return obj instanceof Metric ? obj : wrapFunction(obj);
}
