/**
 * Keras's `metrics/f_score_metrics.py`: `FBetaScore` and `F1Score` for
 * multi-class and multi-label classification.
 */
import { tf, type Tensor } from "../backend/tfjs.js";
import { epsilon } from "../backend/config.js";
import type { Variable } from "../backend/variable.js";
import { convertToTensor, type TensorLike } from "../ops/convert.js";
import { registerBuiltin } from "../saving/object-registration.js";
import { Metric, type MetricArgs } from "./metric.js";

/** How `FBetaScore` averages the per-class scores: `null` (none, one score per class), `"micro"`, `"macro"`, `"weighted"`. */
export type FScoreAverage = "micro" | "macro" | "weighted" | null;

/** Options of `FBetaScore`. */
export interface FBetaScoreArgs extends MetricArgs {
  /** Default null: `result()` is one score per class. */
  average?: FScoreAverage;
  /** The weight of recall in the harmonic mean (> 0). Default 1. */
  beta?: number;
  /** Predictions above it count as 1, in `(0, 1]`; null: the argmax of each row counts as 1. Default null. */
  threshold?: number | null;
}

/**
 * The F-beta score, `(1 + b²) · precision · recall / (b² · precision + recall)`,
 * per class or averaged (`micro`, `macro`, `weighted`).
 *
 * ```ts
 * const m = new metrics.FBetaScore({ beta: 2.0, threshold: 0.5 });
 * m.updateState([[1, 1, 1], [1, 0, 0], [1, 1, 0]], [[0.2, 0.6, 0.7], [0.2, 0.6, 0.6], [0.6, 0.8, 0.0]]);
 * m.result(); // [0.3846154, 0.90909094, 0.8333334]
 * ```
 */
export class FBetaScore extends Metric {
  readonly average: FScoreAverage;
  readonly beta: number;
  readonly threshold: number | null;
  truePositives!: Variable;
  falsePositives!: Variable;
  falseNegatives!: Variable;
  intermediateWeights!: Variable;
  private readonly axis: number | undefined;
  private built = false;

  /** Default name `"fbeta_score"`, average null, beta 1, threshold null. */
  constructor(args: FBetaScoreArgs = {}) {
    super({ ...args, name: args.name ?? "fbeta_score" });
    this.direction = "up";
    const average = args.average ?? null;
    if (average !== null && average !== "micro" && average !== "macro" && average !== "weighted") {
      throw new Error(
        `Invalid \`average\` argument value. Expected one of: {None, 'micro', 'macro', 'weighted'}. Received: average=${String(average)}`,
      );
    }
    const beta = args.beta ?? 1.0;
    if (typeof beta !== "number" || Number.isNaN(beta)) {
      throw new Error(`Invalid \`beta\` argument value. It should be a number. Received: beta=${String(beta)}`);
    }
    if (beta <= 0) throw new Error(`Invalid \`beta\` argument value. It should be > 0. Received: beta=${beta}`);
    const threshold = args.threshold ?? null;
    if (threshold !== null) {
      if (typeof threshold !== "number" || Number.isNaN(threshold)) {
        throw new Error(`Invalid \`threshold\` argument value. It should be a number. Received: threshold=${String(threshold)}`);
      }
      if (threshold > 1 || threshold <= 0) {
        throw new Error(`Invalid \`threshold\` argument value. It should verify 0 < threshold <= 1. Received: threshold=${threshold}`);
      }
    }
    this.average = average;
    this.beta = beta;
    this.threshold = threshold;
    this.axis = average !== "micro" ? 0 : undefined;
  }

  private build(yTrueShape: number[], yPredShape: number[]): void {
    if (yPredShape.length !== 2 || yTrueShape.length !== 2) {
      throw new Error(
        `${this.constructor.name} expects 2D inputs with shape (batch_size, output_dim). ` +
          `Received input shapes: y_pred.shape=[${yPredShape}] and y_true.shape=[${yTrueShape}].`,
      );
    }
    const shape = this.average !== "micro" ? [yPredShape[1]] : [];
    const add = (name: string): Variable => this.addVariable({ name, shape, initializer: "zeros", dtype: this.dtype });
    this.truePositives = add("true_positives");
    this.falsePositives = add("false_positives");
    this.falseNegatives = add("false_negatives");
    this.intermediateWeights = add("intermediate_weights");
    this.built = true;
  }

  override updateState(yTrue: TensorLike, yPred: TensorLike, sampleWeight?: TensorLike | null): void {
    tf.tidy(() => {
      let t = convertToTensor(yTrue, this.dtype);
      let p = convertToTensor(yPred, this.dtype);
      if (!this.built) this.build(t.shape, p.shape);
      if (this.threshold === null) {
        const threshold = tf.max(p, -1, true);
        // [0, 0, 0] must not become [1, 1, 1].
        p = tf.logicalAnd(tf.greaterEqual(p, threshold), tf.greater(tf.abs(p), 1e-9));
      } else {
        p = tf.greater(p, this.threshold);
      }
      p = tf.cast(p, this.dtype);
      t = tf.cast(t, this.dtype);
      let sw: Tensor | null = null;
      if (sampleWeight != null) {
        sw = convertToTensor(sampleWeight, this.dtype);
        while (sw.rank < t.rank) sw = tf.expandDims(sw, -1);
      }
      const weightedSum = (val: Tensor): Tensor => tf.sum(sw === null ? val : tf.mul(val, sw), this.axis);
      this.truePositives.assignAdd(weightedSum(tf.mul(p, t)));
      this.falsePositives.assignAdd(weightedSum(tf.mul(p, tf.sub(1, t))));
      this.falseNegatives.assignAdd(weightedSum(tf.mul(tf.sub(1, p), t)));
      this.intermediateWeights.assignAdd(weightedSum(t));
    });
  }

  /** One score per class with `average: null`, else a scalar. */
  override result(): Tensor {
    return tf.tidy(() => {
      if (!this.built) return this.average === null ? tf.zeros([0]) : tf.scalar(0);
      const eps = epsilon();
      const tp = this.truePositives.value;
      const precision = tf.div(tp, tf.add(tf.add(tp, this.falsePositives.value), eps));
      const recall = tf.div(tp, tf.add(tf.add(tp, this.falseNegatives.value), eps));
      const b2 = this.beta ** 2;
      const mul = tf.mul(precision, recall);
      const add = tf.add(tf.mul(b2, precision), recall);
      let f = tf.mul(tf.div(mul, tf.add(add, eps)), 1 + b2);
      if (this.average === "weighted") {
        const w = this.intermediateWeights.value;
        f = tf.sum(tf.mul(f, tf.div(w, tf.add(tf.sum(w), eps))));
      } else if (this.average !== null) {
        f = tf.mean(f);
      }
      return f;
    });
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), average: this.average, beta: this.beta, threshold: this.threshold };
  }
}

/** Options of `F1Score`. */
export type F1ScoreArgs = Omit<FBetaScoreArgs, "beta">;

/**
 * The F1 score, `2 · precision · recall / (precision + recall)`.
 *
 * ```ts
 * const m = new metrics.F1Score({ threshold: 0.5 });
 * m.updateState([[1, 1, 1], [1, 0, 0], [1, 1, 0]], [[0.2, 0.6, 0.7], [0.2, 0.6, 0.6], [0.6, 0.8, 0.0]]);
 * m.result(); // [0.5, 0.8, 0.6666667]
 * ```
 */
export class F1Score extends FBetaScore {
  /** Default name `"f1_score"`, average null, threshold null. */
  constructor(args: F1ScoreArgs = {}) {
    const { beta: _beta, ...rest } = args as FBetaScoreArgs;
    super({ ...rest, beta: 1.0, name: args.name ?? "f1_score" });
  }

  override getConfig(): Record<string, unknown> {
    const { beta: _beta, ...rest } = super.getConfig();
    return rest;
  }
}

registerBuiltin("keras.metrics", FBetaScore);
registerBuiltin("keras.metrics", F1Score);
