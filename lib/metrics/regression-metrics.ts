/**
 * Keras's `metrics/regression_metrics.py`: MeanSquaredError,
 * MeanAbsoluteError, MeanAbsolutePercentageError,
 * MeanSquaredLogarithmicError, RootMeanSquaredError, CosineSimilarity,
 * LogCoshError and R2Score.
 */
import { tf, type Tensor } from "../backend/tfjs.js";
import type { Variable } from "../backend/variable.js";
import { convertToTensor, type TensorLike } from "../ops/convert.js";
import * as nn from "../ops/nn.js";
import { squeezeOrExpandToSameRank } from "../losses/loss.js";
import {
  logCosh,
  meanAbsoluteError,
  meanAbsolutePercentageError,
  meanSquaredError,
  meanSquaredLogarithmicError,
} from "../losses/losses.js";
import { registerBuiltin } from "../saving/object-registration.js";
import { Metric, type MetricArgs } from "./metric.js";
import { kwarg, Mean, MeanMetricWrapperSubclass, registerMetricFunction } from "./reduction-metrics.js";

/**
 * The cosine similarity of `yTrue` and `yPred` along `axis` (default -1):
 * `sum(l2_normalize(yTrue) * l2_normalize(yPred), axis)`, in [-1, 1]
 * (1 = same direction). The loss of the same name is its negative.
 */
export function cosineSimilarity(yTrue: TensorLike, yPred: TensorLike, axis = -1): Tensor {
  return tf.tidy(() => {
    const p0 = convertToTensor(yPred);
    const p1 = p0.dtype === "float32" ? p0 : tf.cast(p0, "float32");
    const t0 = convertToTensor(yTrue, p1.dtype);
    const [t, p] = squeezeOrExpandToSameRank(t0, p1);
    return tf.sum(tf.mul(nn.normalize(t, axis), nn.normalize(p, axis)), axis);
  });
}

registerMetricFunction(cosineSimilarity, "cosine_similarity", "keras.metrics", (t, p, kw) => cosineSimilarity(t, p, kwarg(kw, "axis", -1)));

/**
 * The mean squared error, `mean(square(yTrue - yPred))`.
 *
 * ```ts
 * const m = new metrics.MeanSquaredError();
 * m.updateState([[0, 1], [0, 0]], [[1, 1], [0, 0]]);
 * m.result(); // 0.25
 * ```
 */
export class MeanSquaredError extends MeanMetricWrapperSubclass {
  /** Default name `"mean_squared_error"`. */
  constructor(args: MetricArgs = {}) {
    super(meanSquaredError, { name: args.name ?? "mean_squared_error", dtype: args.dtype });
    this.direction = "down";
  }
}

/**
 * The mean absolute error, `mean(abs(yTrue - yPred))`.
 *
 * ```ts
 * const m = new metrics.MeanAbsoluteError();
 * m.updateState([[0, 1], [0, 0]], [[1, 1], [0, 0]]);
 * m.result(); // 0.25
 * ```
 */
export class MeanAbsoluteError extends MeanMetricWrapperSubclass {
  /** Default name `"mean_absolute_error"`. */
  constructor(args: MetricArgs = {}) {
    super(meanAbsoluteError, { name: args.name ?? "mean_absolute_error", dtype: args.dtype });
    this.direction = "down";
  }
}

/**
 * The mean absolute percentage error, `100 * mean(abs((yTrue - yPred) / yTrue))`
 * (the denominator is at least epsilon).
 *
 * ```ts
 * const m = new metrics.MeanAbsolutePercentageError();
 * m.updateState([[0, 1], [0, 0]], [[1, 1], [0, 0]]);
 * m.result(); // 250000000
 * ```
 */
export class MeanAbsolutePercentageError extends MeanMetricWrapperSubclass {
  /** Default name `"mean_absolute_percentage_error"`. */
  constructor(args: MetricArgs = {}) {
    super(meanAbsolutePercentageError, { name: args.name ?? "mean_absolute_percentage_error", dtype: args.dtype });
    this.direction = "down";
  }
}

/**
 * The mean squared logarithmic error, `mean(square(log(yTrue + 1) - log(yPred + 1)))`.
 *
 * ```ts
 * const m = new metrics.MeanSquaredLogarithmicError();
 * m.updateState([[0, 1], [0, 0]], [[1, 1], [0, 0]]);
 * m.result(); // 0.12011322
 * ```
 */
export class MeanSquaredLogarithmicError extends MeanMetricWrapperSubclass {
  /** Default name `"mean_squared_logarithmic_error"`. */
  constructor(args: MetricArgs = {}) {
    super(meanSquaredLogarithmicError, { name: args.name ?? "mean_squared_logarithmic_error", dtype: args.dtype });
    this.direction = "down";
  }
}

/**
 * The root mean squared error, `sqrt(mean(square(yPred - yTrue)))` over
 * every element seen (weighted).
 *
 * ```ts
 * const m = new metrics.RootMeanSquaredError();
 * m.updateState([[0, 1], [0, 0]], [[1, 1], [0, 0]]);
 * m.result(); // 0.5
 * ```
 */
export class RootMeanSquaredError extends Mean {
  /** Default name `"root_mean_squared_error"`. */
  constructor(args: MetricArgs = {}) {
    super({ name: args.name ?? "root_mean_squared_error", dtype: args.dtype });
    this.direction = "down";
  }

  override updateState(yTrue: TensorLike, yPred: TensorLike, sampleWeight?: TensorLike | null): void {
    tf.tidy(() => {
      const [t, p] = squeezeOrExpandToSameRank(convertToTensor(yTrue, this.dtype), convertToTensor(yPred, this.dtype));
      this.accumulate(tf.square(tf.sub(p, t)), sampleWeight);
    });
  }

  override result(): Tensor {
    return tf.tidy(() => tf.sqrt(super.result()));
  }
}

/** Options of `CosineSimilarity`. */
export interface CosineSimilarityArgs extends MetricArgs {
  /** The axis along which the similarity is computed. Default -1. */
  axis?: number;
}

/**
 * The mean cosine similarity between labels and predictions.
 *
 * ```ts
 * const m = new metrics.CosineSimilarity({ axis: 1 });
 * m.updateState([[0, 1], [1, 1]], [[1, 0], [1, 1]]);
 * m.result(); // 0.49999997
 * ```
 */
export class CosineSimilarity extends MeanMetricWrapperSubclass {
  readonly axis: number;

  /** Default name `"cosine_similarity"`, axis -1. */
  constructor(args: CosineSimilarityArgs = {}) {
    const axis = args.axis ?? -1;
    super(cosineSimilarity, { name: args.name ?? "cosine_similarity", dtype: args.dtype, axis });
    this.axis = axis;
    this.direction = "up";
  }

  protected override ownConfig(): Record<string, unknown> {
    return { axis: this.axis };
  }
}

/**
 * The mean logarithm of the hyperbolic cosine of the prediction error.
 *
 * ```ts
 * const m = new metrics.LogCoshError();
 * m.updateState([[0, 1], [0, 0]], [[1, 1], [0, 0]]);
 * m.result(); // 0.10844523
 * ```
 */
export class LogCoshError extends MeanMetricWrapperSubclass {
  /** Default name `"logcosh"`. */
  constructor(args: MetricArgs = {}) {
    super(logCosh, { name: args.name ?? "logcosh", dtype: args.dtype });
    this.direction = "down";
  }
}

/** How `R2Score` aggregates the scores of the output dimensions. */
export type R2ClassAggregation = "uniform_average" | "variance_weighted_average" | null;

/** Options of `R2Score`. */
export interface R2ScoreArgs extends MetricArgs {
  /** `"uniform_average"` (default), `"variance_weighted_average"`, or null (one score per output). */
  classAggregation?: R2ClassAggregation;
  /** The number of independent regressors, for the adjusted R² (0: plain R²). Default 0. */
  numRegressors?: number;
}

/**
 * The coefficient of determination,
 * `1 - sum((yTrue - yPred)²) / sum((yTrue - mean(yTrue))²)`, per output
 * dimension and aggregated; with `numRegressors` the adjusted R².
 * Inputs are `(batch, outputs)`.
 *
 * ```ts
 * const m = new metrics.R2Score();
 * m.updateState([[1], [4], [3]], [[2], [4], [4]]);
 * m.result(); // 0.57142854
 * ```
 */
export class R2Score extends Metric {
  readonly classAggregation: R2ClassAggregation;
  readonly numRegressors: number;
  readonly numSamples: Variable;
  squaredSum!: Variable;
  sum!: Variable;
  totalMse!: Variable;
  count!: Variable;
  private built = false;

  /** Default name `"r2_score"`. */
  constructor(args: R2ScoreArgs = {}) {
    super({ ...args, name: args.name ?? "r2_score" });
    this.direction = "up";
    const agg = args.classAggregation === undefined ? "uniform_average" : args.classAggregation;
    if (agg !== null && agg !== "uniform_average" && agg !== "variance_weighted_average") {
      throw new Error(
        "Invalid value for argument `class_aggregation`. Expected one of (None, 'uniform_average', 'variance_weighted_average'). " +
          `Received: class_aggregation=${String(agg)}`,
      );
    }
    const numRegressors = args.numRegressors ?? 0;
    if (numRegressors < 0) {
      throw new Error(`Invalid value for argument \`num_regressors\`. Expected a value >= 0. Received: num_regressors=${numRegressors}`);
    }
    this.classAggregation = agg;
    this.numRegressors = numRegressors;
    this.numSamples = this.addVariable({ shape: [], initializer: "zeros", name: "num_samples" });
  }

  private build(yTrueShape: number[], yPredShape: number[]): void {
    if (yPredShape.length !== 2 || yTrueShape.length !== 2) {
      throw new Error(
        "R2Score expects 2D inputs with shape (batch_size, output_dim). " +
          `Received input shapes: y_pred.shape=[${yPredShape}] and y_true.shape=[${yTrueShape}].`,
      );
    }
    const n = yPredShape[1];
    this.squaredSum = this.addVariable({ name: "squared_sum", shape: [n], initializer: "zeros" });
    this.sum = this.addVariable({ name: "sum", shape: [n], initializer: "zeros" });
    this.totalMse = this.addVariable({ name: "residual", shape: [n], initializer: "zeros" });
    this.count = this.addVariable({ name: "count", shape: [n], initializer: "zeros" });
    this.built = true;
  }

  override updateState(yTrue: TensorLike, yPred: TensorLike, sampleWeight?: TensorLike | null): void {
    tf.tidy(() => {
      const [t, p] = squeezeOrExpandToSameRank(convertToTensor(yTrue, this.dtype), convertToTensor(yPred, this.dtype));
      if (!this.built) this.build(t.shape, p.shape);
      let sw = sampleWeight == null ? tf.scalar(1, this.dtype) : convertToTensor(sampleWeight, this.dtype);
      if (sw.rank === 1) sw = tf.expandDims(sw, 1);
      sw = tf.broadcastTo(sw, t.shape);
      const weightedT = tf.mul(t, sw);
      this.sum.assignAdd(tf.sum(weightedT, 0));
      this.squaredSum.assignAdd(tf.sum(tf.mul(t, weightedT), 0));
      this.totalMse.assignAdd(tf.sum(tf.mul(tf.square(tf.sub(t, p)), sw), 0));
      this.count.assignAdd(tf.sum(sw, 0));
      // A sample counts when it has a non-zero weight in at least one output.
      this.numSamples.assignAdd(tf.sum(tf.cast(tf.any(tf.notEqual(sw, 0), -1), this.dtype)));
    });
  }

  /** The aggregated score (a vector with `classAggregation: null`). */
  override result(): Tensor {
    return tf.tidy(() => {
      if (!this.built) return tf.scalar(0);
      const mean = tf.div(this.sum.value, this.count.value);
      const total = tf.sub(this.squaredSum.value, tf.mul(this.sum.value, mean));
      let raw = tf.sub(1, tf.div(this.totalMse.value, total));
      raw = tf.where(tf.isInf(raw), tf.zerosLike(raw), raw);
      let r2: Tensor;
      if (this.classAggregation === "uniform_average") r2 = tf.mean(raw);
      else if (this.classAggregation === "variance_weighted_average") r2 = tf.div(tf.sum(tf.mul(total, raw)), tf.sum(total));
      else r2 = raw;
      if (this.numRegressors !== 0) {
        // Adjusted R² when n - 1 > p, else (Keras warns) the plain score; decided on the device.
        const n = this.numSamples.value;
        const p = this.numRegressors;
        const adjusted = tf.sub(1, tf.div(tf.mul(tf.sub(1, r2), tf.sub(n, 1)), tf.sub(tf.sub(n, p), 1)));
        r2 = tf.where(tf.greater(tf.sub(n, 1), p), adjusted, r2);
      }
      return r2;
    });
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), class_aggregation: this.classAggregation, num_regressors: this.numRegressors };
  }
}

for (const cls of [
  MeanSquaredError,
  MeanAbsoluteError,
  MeanAbsolutePercentageError,
  MeanSquaredLogarithmicError,
  RootMeanSquaredError,
  CosineSimilarity,
  LogCoshError,
  R2Score,
]) {
  registerBuiltin("keras.metrics", cls);
}
