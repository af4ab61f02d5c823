/**
 * Keras's `metrics/correlation_metrics.py`: the Pearson and concordance
 * correlation coefficients, as functions and as mean metrics.
 */
import { tf, type Tensor } from "../backend/tfjs.js";
import { epsilon } from "../backend/config.js";
import { convertToTensor, type TensorLike } from "../ops/convert.js";
import { squeezeOrExpandToSameRank } from "../losses/loss.js";
import { registerBuiltin } from "../saving/object-registration.js";
import type { MetricArgs } from "./metric.js";
import { kwarg, MeanMetricWrapperSubclass, registerMetricFunction } from "./reduction-metrics.js";

function pair(yTrue: TensorLike, yPred: TensorLike): [Tensor, Tensor] {
  const p0 = convertToTensor(yPred);
  const p = p0.dtype === "float32" ? p0 : tf.cast(p0, "float32");
  return squeezeOrExpandToSameRank(convertToTensor(yTrue, p.dtype), p);
}

function populationStd(x: Tensor, axis: number): Tensor {
  const m = tf.mean(x, axis, true);
  return tf.sqrt(tf.mean(tf.square(tf.sub(x, m)), axis, true));
}

function populationVar(x: Tensor, axis: number): Tensor {
  const m = tf.mean(x, axis, true);
  return tf.mean(tf.square(tf.sub(x, m)), axis, true);
}

/**
 * The Pearson correlation coefficient of `yTrue` and `yPred` along `axis`
 * (default -1): `mean(z(yTrue) * z(yPred), axis)` with standardized values.
 */
export function pearsonCorrelation(yTrue: TensorLike, yPred: TensorLike, axis = -1): Tensor {
  return tf.tidy(() => {
    const [t, p] = pair(yTrue, yPred);
    let tn = tf.sub(t, tf.mean(t, axis, true));
    let pn = tf.sub(p, tf.mean(p, axis, true));
    tn = tf.div(tn, populationStd(tn, axis));
    pn = tf.div(pn, populationStd(pn, axis));
    return tf.mean(tf.mul(tn, pn), axis);
  });
}

/**
 * The concordance correlation coefficient of `yTrue` and `yPred` along
 * `axis` (default -1), as Keras computes it:
 * `mean(2 (yTrue - mean(yPred)) (yPred - mean(yPred)) / (var(yTrue) + var(yPred) + (mean(yTrue) - mean(yPred))² + ε))`.
 */
export function concordanceCorrelation(yTrue: TensorLike, yPred: TensorLike, axis = -1): Tensor {
  return tf.tidy(() => {
    const [t, p] = pair(yTrue, yPred);
    const tMean = tf.mean(t, axis, true);
    const pMean = tf.mean(p, axis, true);
    const tVar = populationVar(tf.sub(t, tMean), axis);
    const pVar = populationVar(tf.sub(p, pMean), axis);
    const covar = tf.mul(tf.sub(t, pMean), tf.sub(p, pMean));
    const norm = tf.add(tf.add(tVar, pVar), tf.square(tf.sub(tMean, pMean)));
    return tf.mean(tf.div(tf.mul(2, covar), tf.add(norm, epsilon())), axis);
  });
}

registerMetricFunction(pearsonCorrelation, "pearson_correlation", "keras.metrics", (t, p, kw) =>
  pearsonCorrelation(t, p, kwarg(kw, "axis", -1)),
);
registerMetricFunction(concordanceCorrelation, "concordance_correlation", "keras.metrics", (t, p, kw) =>
  concordanceCorrelation(t, p, kwarg(kw, "axis", -1)),
);

/** Options of the correlation metrics. */
export interface CorrelationArgs extends MetricArgs {
  /** The axis along which the coefficient is computed. Default -1. */
  axis?: number;
}

/**
 * The mean Pearson correlation coefficient (PCC) of labels and predictions.
 *
 * ```ts
 * const m = new metrics.PearsonCorrelation();
 * m.updateState([[0, 1, 0.5], [1, 1, 0.2]], [[0.1, 0.9, 0.5], [1, 0.9, 0.2]]);
 * m.result(); // 0.9966996
 * ```
 */
export class PearsonCorrelation extends MeanMetricWrapperSubclass {
  readonly axis: number;

  /** Default name `"pearson_correlation"`, axis -1. */
  constructor(args: CorrelationArgs = {}) {
    const axis = args.axis ?? -1;
    super(pearsonCorrelation, { name: args.name ?? "pearson_correlation", dtype: args.dtype, axis });
    this.axis = axis;
    this.direction = "up";
  }

  protected override ownConfig(): Record<string, unknown> {
    return { axis: this.axis };
  }
}

/**
 * The mean concordance correlation coefficient (CCC) of labels and predictions.
 *
 * ```ts
 * const m = new metrics.ConcordanceCorrelation();
 * m.updateState([[0, 1, 0.5], [1, 1, 0.2]], [[0.1, 0.9, 0.5], [1, 0.9, 0.2]]);
 * m.result(); // 0.9816320
 * ```
 */
export class ConcordanceCorrelation extends MeanMetricWrapperSubclass {
  readonly axis: number;

  /** Default name `"concordance_correlation"`, axis -1. */
  constructor(args: CorrelationArgs = {}) {
    const axis = args.axis ?? -1;
    super(concordanceCorrelation, { name: args.name ?? "concordance_correlation", dtype: args.dtype, axis });
    this.axis = axis;
    this.direction = "up";
  }

  protected override ownConfig(): Record<string, unknown> {
    return { axis: this.axis };
  }
}

registerBuiltin("keras.metrics", PearsonCorrelation);
registerBuiltin("keras.metrics", ConcordanceCorrelation);
