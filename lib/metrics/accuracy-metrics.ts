/**
 * Keras's `metrics/accuracy_metrics.py`: accuracy, binary, categorical,
 * sparse categorical and top-k accuracies, as functions (per-sample 0/1
 * values) and as `MeanMetricWrapper` classes.
 */
import { tf, type Tensor } from "../backend/tfjs.js";
import { convertToTensor, type TensorLike } from "../ops/convert.js";
import { inTopK } from "../ops/math.js";
import { squeezeOrExpandToSameRank } from "../losses/loss.js";
import { registerBuiltin } from "../saving/object-registration.js";
import type { MetricArgs } from "./metric.js";
import { kwarg, MeanMetricWrapperSubclass, registerMetricFunction } from "./reduction-metrics.js";

/** 1 where `yPred` equals `yTrue`, else 0 (after squeezing/expanding to the same rank). */
export function accuracy(yTrue: TensorLike, yPred: TensorLike): Tensor {
  return tf.tidy(() => {
    const p = convertToTensor(yPred);
    const t = convertToTensor(yTrue, p.dtype);
    const [a, b] = squeezeOrExpandToSameRank(t, p);
    return tf.cast(tf.equal(a, b), "float32");
  });
}

/** 1 where `yPred > threshold` matches the binary label `yTrue`, else 0. `threshold` default 0.5. */
export function binaryAccuracy(yTrue: TensorLike, yPred: TensorLike, threshold = 0.5): Tensor {
  return tf.tidy(() => {
    let p = convertToTensor(yPred);
    let t = convertToTensor(yTrue);
    [t, p] = squeezeOrExpandToSameRank(t, p);
    const thresholded = tf.cast(tf.greater(p, threshold), t.dtype);
    return tf.cast(tf.equal(t, thresholded), "float32");
  });
}

/** 1 where the argmax of `yPred` equals the argmax of the one-hot `yTrue`, else 0. */
export function categoricalAccuracy(yTrue: TensorLike, yPred: TensorLike): Tensor {
  return tf.tidy(() => {
    const p = convertToTensor(yPred);
    let t = tf.cast(tf.argMax(convertToTensor(yTrue), -1), p.dtype);
    const orgShape = t.shape;
    let reshapeMatches = false;
    if (t.rank === p.rank) {
      t = tf.squeeze(t, [t.rank - 1]);
      reshapeMatches = true;
    }
    const am = tf.cast(tf.argMax(p, -1), t.dtype);
    let matches = tf.cast(tf.equal(t, am), "float32");
    if (reshapeMatches) matches = tf.reshape(matches, orgShape);
    return matches;
  });
}

/**
 * 1 where the argmax of `yPred` equals the integer label `yTrue`, else 0.
 * Labels of shape `(n, 1)` are squeezed to `(n,)` (the result has shape `(n,)`).
 */
export function sparseCategoricalAccuracy(yTrue: TensorLike, yPred: TensorLike): Tensor {
  return tf.tidy(() => {
    const p = convertToTensor(yPred);
    let t = convertToTensor(yTrue, p.dtype === "bool" ? "float32" : p.dtype);
    const orgShape = t.shape;
    let reshapeMatches = false;
    if (t.rank === p.rank && t.shape[t.rank - 1] === 1) {
      t = tf.squeeze(t, [t.rank - 1]);
      reshapeMatches = true;
    }
    const am = tf.cast(tf.argMax(p, -1), t.dtype);
    let matches = tf.cast(tf.equal(t, am), "float32");
    if (reshapeMatches) matches = tf.reshape(matches, orgShape);
    if (matches.rank > 1 && matches.shape[matches.rank - 1] === 1) matches = tf.squeeze(matches, [matches.rank - 1]);
    return matches;
  });
}

/** 1 where the class of the one-hot `yTrue` is among the `k` largest predictions (ties count as in). `k` default 5. */
export function topKCategoricalAccuracy(yTrue: TensorLike, yPred: TensorLike, k = 5): Tensor {
  return tf.tidy(() => {
    let p = convertToTensor(yPred, "float32");
    let t = tf.argMax(convertToTensor(yTrue), -1);
    const orgShape = t.shape;
    let reshapeMatches = false;
    if (p.rank > 2) p = tf.reshape(p, [-1, p.shape[p.rank - 1]]);
    if (t.rank > 1) {
      reshapeMatches = true;
      t = tf.reshape(t, [-1]);
    }
    let matches = tf.cast(inTopK(t, p, k), "float32");
    if (reshapeMatches) matches = tf.reshape(matches, orgShape);
    return matches;
  });
}

/**
 * 1 where the integer label `yTrue` is among the `k` largest predictions.
 * With `fromSortedIds`, `yPred` holds the ids of the top categories, best
 * first, and the label must be among the first `k`. `k` default 5.
 */
export function sparseTopKCategoricalAccuracy(yTrue: TensorLike, yPred: TensorLike, k = 5, fromSortedIds = false): Tensor {
  return tf.tidy(() => {
    let p = convertToTensor(yPred);
    let t = convertToTensor(yTrue, fromSortedIds ? p.dtype : "int32");
    const orgShape = t.shape;
    let reshapeMatches = false;
    if (p.rank > 2) p = tf.reshape(p, [-1, p.shape[p.rank - 1]]);
    if (t.rank > 1) {
      reshapeMatches = true;
      t = tf.reshape(t, [-1]);
    }
    let matches: Tensor;
    if (fromSortedIds) {
      const kk = Math.min(k, p.shape[1] ?? k);
      const first = tf.slice(p, [0, 0], [-1, kk]);
      matches = tf.any(tf.equal(tf.expandDims(t, 1), first), 1);
    } else {
      matches = inTopK(t, tf.cast(p, "float32"), k);
    }
    matches = tf.cast(matches, "float32");
    if (reshapeMatches) matches = tf.reshape(matches, orgShape);
    return matches;
  });
}

registerMetricFunction(accuracy, "accuracy");
registerMetricFunction(binaryAccuracy, "binary_accuracy", "keras.metrics", (t, p, kw) =>
  binaryAccuracy(t, p, kwarg(kw, "threshold", 0.5)),
);
registerMetricFunction(categoricalAccuracy, "categorical_accuracy");
registerMetricFunction(sparseCategoricalAccuracy, "sparse_categorical_accuracy");
registerMetricFunction(topKCategoricalAccuracy, "top_k_categorical_accuracy", "keras.metrics", (t, p, kw) =>
  topKCategoricalAccuracy(t, p, kwarg(kw, "k", 5)),
);
registerMetricFunction(sparseTopKCategoricalAccuracy, "sparse_top_k_categorical_accuracy", "keras.metrics", (t, p, kw) =>
  sparseTopKCategoricalAccuracy(t, p, kwarg(kw, "k", 5), kwarg(kw, "from_sorted_ids", false)),
);

/**
 * How often predictions equal labels (`"accuracy"`).
 *
 * ```ts
 * const m = new metrics.Accuracy();
 * m.updateState([[1], [2], [3], [4]], [[0], [2], [3], [4]]);
 * m.result(); // 0.75
 * ```
 */
export class Accuracy extends MeanMetricWrapperSubclass {
  /** Default name `"accuracy"`. */
  constructor(args: MetricArgs = {}) {
    super(accuracy, { name: args.name ?? "accuracy", dtype: args.dtype });
    this.direction = "up";
  }
}

/** Options of `BinaryAccuracy`. */
export interface BinaryAccuracyArgs extends MetricArgs {
  /** Predictions above it count as 1. Default 0.5. */
  threshold?: number;
}

/**
 * How often predictions match binary labels (`"binary_accuracy"`).
 *
 * ```ts
 * const m = new metrics.BinaryAccuracy();
 * m.updateState([[1], [1], [0], [0]], [[0.98], [1], [0], [0.6]]);
 * m.result(); // 0.75
 * ```
 */
export class BinaryAccuracy extends MeanMetricWrapperSubclass {
  /** The decision threshold. */
  readonly threshold: number;

  /** Default name `"binary_accuracy"`, threshold 0.5. */
  constructor(args: BinaryAccuracyArgs = {}) {
    const threshold = args.threshold ?? 0.5;
    super(binaryAccuracy, { name: args.name ?? "binary_accuracy", dtype: args.dtype, threshold });
    this.threshold = threshold;
    this.direction = "up";
  }

  protected override ownConfig(): Record<string, unknown> {
    return { threshold: this.threshold };
  }
}

/**
 * How often the argmax of predictions matches one-hot labels
 * (`"categorical_accuracy"`).
 *
 * ```ts
 * const m = new metrics.CategoricalAccuracy();
 * m.updateState([[0, 0, 1], [0, 1, 0]], [[0.1, 0.9, 0.8], [0.05, 0.95, 0]]);
 * m.result(); // 0.5
 * ```
 */
export class CategoricalAccuracy extends MeanMetricWrapperSubclass {
  /** Default name `"categorical_accuracy"`. */
  constructor(args: MetricArgs = {}) {
    super(categoricalAccuracy, { name: args.name ?? "categorical_accuracy", dtype: args.dtype });
    this.direction = "up";
  }
}

/**
 * How often the argmax of predictions matches integer labels
 * (`"sparse_categorical_accuracy"`); labels `(n,)` or `(n, 1)`.
 *
 * ```ts
 * const m = new metrics.SparseCategoricalAccuracy();
 * m.updateState([[2], [1]], [[0.1, 0.6, 0.3], [0.05, 0.95, 0]]);
 * m.result(); // 0.5
 * ```
 */
export class SparseCategoricalAccuracy extends MeanMetricWrapperSubclass {
  /** Default name `"sparse_categorical_accuracy"`. */
  constructor(args: MetricArgs = {}) {
    super(sparseCategoricalAccuracy, { name: args.name ?? "sparse_categorical_accuracy", dtype: args.dtype });
    this.direction = "up";
  }
}

/** Options of `TopKCategoricalAccuracy`. */
export interface TopKCategoricalAccuracyArgs extends MetricArgs {
  /** How many top predictions to look at. Default 5. */
  k?: number;
}

/**
 * How often one-hot targets are in the top `k` predictions
 * (`"top_k_categorical_accuracy"`).
 *
 * ```ts
 * const m = new metrics.TopKCategoricalAccuracy(1);
 * m.updateState([[0, 0, 1], [0, 1, 0]], [[0.1, 0.9, 0.8], [0.05, 0.95, 0]]);
 * m.result(); // 0.5
 * ```
 */
export class TopKCategoricalAccuracy extends MeanMetricWrapperSubclass {
  /** How many top predictions count. */
  readonly k: number;

  /** `k` default 5; default name `"top_k_categorical_accuracy"`. */
  constructor(k?: number | TopKCategoricalAccuracyArgs, args: TopKCategoricalAccuracyArgs = {}) {
    const opts = typeof k === "object" && k !== null ? k : { ...args, k: k ?? args.k };
    const kk = opts.k ?? 5;
    super(topKCategoricalAccuracy, { name: opts.name ?? "top_k_categorical_accuracy", dtype: opts.dtype, k: kk });
    this.k = kk;
    this.direction = "up";
  }

  protected override ownConfig(): Record<string, unknown> {
    return { k: this.k };
  }
}

/** Options of `SparseTopKCategoricalAccuracy`. */
export interface SparseTopKCategoricalAccuracyArgs extends MetricArgs {
  /** How many top predictions to look at. Default 5. */
  k?: number;
  /** Whether `yPred` holds sorted category ids instead of scores. Default false. */
  fromSortedIds?: boolean;
}

/**
 * How often integer targets are in the top `k` predictions
 * (`"sparse_top_k_categorical_accuracy"`).
 *
 * ```ts
 * const m = new metrics.SparseTopKCategoricalAccuracy(1);
 * m.updateState([2, 1], [[0.1, 0.9, 0.8], [0.05, 0.95, 0]]);
 * m.result(); // 0.5
 * ```
 */
export class SparseTopKCategoricalAccuracy extends MeanMetricWrapperSubclass {
  /** How many top predictions count. */
  readonly k: number;
  /** Whether `yPred` holds sorted category ids. */
  readonly fromSortedIds: boolean;

  /** `k` default 5, `fromSortedIds` default false; default name `"sparse_top_k_categorical_accuracy"`. */
  constructor(k?: number | SparseTopKCategoricalAccuracyArgs, args: SparseTopKCategoricalAccuracyArgs = {}) {
    const opts = typeof k === "object" && k !== null ? k : { ...args, k: k ?? args.k };
    const kk = opts.k ?? 5;
    const fromSortedIds = opts.fromSortedIds ?? false;
    super(sparseTopKCategoricalAccuracy, {
      name: opts.name ?? "sparse_top_k_categorical_accuracy",
      dtype: opts.dtype,
      k: kk,
      fromSortedIds,
    });
    this.k = kk;
    this.fromSortedIds = fromSortedIds;
    this.direction = "up";
  }

  protected override ownConfig(): Record<string, unknown> {
    return this.fromSortedIds ? { k: this.k, from_sorted_ids: true } : { k: this.k };
  }
}

for (const cls of [
  Accuracy,
  BinaryAccuracy,
  CategoricalAccuracy,
  SparseCategoricalAccuracy,
  TopKCategoricalAccuracy,
  SparseTopKCategoricalAccuracy,
]) {
  registerBuiltin("keras.metrics", cls);
}
