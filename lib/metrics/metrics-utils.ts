/**
 * Keras's `metrics/metrics_utils.py`: thresholds, the confusion-matrix
 * update shared by TruePositives ... AUC, top-k filtering, and the
 * confusion matrix of the IoU metrics. Everything here runs on the device
 * (no data is read back); call these inside `tf.tidy`.
 */
import { tf, type Tensor } from "../backend/tfjs.js";
import type { DType } from "../backend/dtypes.js";
import { epsilon } from "../backend/config.js";
import type { Variable } from "../backend/variable.js";
import { squeezeOrExpandToSameRank } from "../losses/loss.js";

/** The threshold Precision/Recall use with `topK` (everything in the top k counts as positive). */
export const NEG_INF = -1e10;

/** The four cells of a binary confusion matrix. */
export type ConfusionMatrixKey = "tp" | "fp" | "tn" | "fn";

/** Throws unless every threshold is in `[0, 1]`. */
export function assertThresholdsRange(thresholds: readonly number[]): void {
  const invalid = thresholds.filter((t) => t === null || t === undefined || Number.isNaN(t) || t < 0 || t > 1);
  if (invalid.length > 0) {
    throw new Error(`Threshold values must be in [0, 1]. Received: [${invalid.join(", ")}]`);
  }
}

/** Keras's `parse_init_thresholds`: a list of thresholds (`defaultThreshold` when none is given). */
export function parseInitThresholds(
  thresholds: number | readonly number[] | null | undefined,
  defaultThreshold = 0.5,
): number[] {
  if (thresholds != null) {
    const list = typeof thresholds === "number" ? [thresholds] : [...thresholds];
    assertThresholdsRange(list);
    return list;
  }
  return [defaultThreshold];
}

/** True when the thresholds are `[0, 1/(n-1), ..., 1]` (n ≥ 3), which allows the bucketed update. */
export function isEvenlyDistributedThresholds(thresholds: readonly number[]): boolean {
  const n = thresholds.length;
  if (n < 3) return false;
  const atol = epsilon();
  for (let i = 0; i < n; i++) {
    const even = Math.fround(i / (n - 1));
    if (Math.abs(thresholds[i] - even) > atol + 1e-5 * Math.abs(even)) return false;
  }
  return true;
}

/** Keras's `_filter_top_k`: keeps the top `k` values of the last axis and sets the rest to `NEG_INF`. */
export function filterTopK(x: Tensor, k: number): Tensor {
  return tf.tidy(() => {
    const n = x.shape[x.rank - 1];
    const { indices } = tf.topk(x, Math.min(k, n));
    const mask = tf.sum(tf.oneHot(indices, n), -2);
    return tf.add(tf.mul(x, mask), tf.mul(NEG_INF, tf.sub(1, mask)));
  });
}

function hasKernel(name: string): boolean {
  try {
    return tf.getKernel(name, tf.getBackend()) !== undefined;
  } catch {
    return false;
  }
}

/**
 * Weighted counts of integer `ids` in `[0, size)` (others are dropped):
 * `out[i] = sum(weights[ids == i])`, on the device.
 */
export function weightedBincount(ids: Tensor, weights: Tensor, size: number): Tensor {
  return tf.tidy(() => {
    const flatIds = tf.reshape(ids.dtype === "int32" ? ids : tf.cast(ids, "int32"), [-1]);
    const flatW = tf.reshape(tf.cast(weights, "float32"), [-1]);
    const valid = tf.logicalAnd(tf.greaterEqual(flatIds, 0), tf.less(flatIds, size));
    if (hasKernel("Bincount")) {
      // Out-of-range ids go to `size`, which bincount ignores.
      const safe = tf.where(valid, flatIds, tf.fill(flatIds.shape, size, "int32"));
      return tf.bincount(safe as tf.Tensor1D, flatW as tf.Tensor1D, size);
    }
    const oh = tf.oneHot(tf.where(valid, flatIds, tf.fill(flatIds.shape, -1, "int32")), size);
    return tf.reshape(tf.matMul(tf.reshape(flatW, [1, -1]), tf.cast(oh, "float32")), [size]);
  });
}

/** Options of `updateConfusionMatrixVariables`. */
export interface ConfusionMatrixUpdateOptions {
  /** Only the top `k` predictions of each row count as positive. */
  topK?: number | null;
  /** Only this class (last axis of `yPred`) counts. */
  classId?: number | null;
  /** Per-sample (or per-entry) weights, broadcastable to `yTrue`. */
  sampleWeight?: Tensor | null;
  /** Whether `(n, labels)` data keeps one curve per label (variables of shape `[thresholds, labels]`). */
  multiLabel?: boolean;
  /** Per-label weights for flattened multi-label data. */
  labelWeights?: Tensor | null;
  /** Whether the thresholds are evenly spaced (then the bucketed O(T + N) update is used). */
  thresholdsDistributedEvenly?: boolean;
}

function sliceLast(x: Tensor, index: number): Tensor {
  const begin = x.shape.map(() => 0);
  const size = x.shape.map(() => -1);
  begin[x.rank - 1] = index;
  size[x.rank - 1] = 1;
  return tf.slice(x, begin, size);
}

function updateOptimized(
  vars: Partial<Record<ConfusionMatrixKey, Variable>>,
  yTrueIn: Tensor,
  yPredIn: Tensor,
  numThresholds: number,
  multiLabel: boolean,
  sampleWeights: Tensor | null,
  labelWeights: Tensor | null,
  thresholdsWithEpsilon: boolean,
  dtype: DType,
): void {
  let sw: Tensor | number = 1;
  if (sampleWeights !== null) {
    sw = tf.broadcastTo(tf.cast(sampleWeights, dtype), yPredIn.shape);
    if (!multiLabel) sw = tf.reshape(sw, [-1]);
  }
  let lw: Tensor | number = 1;
  if (labelWeights !== null) {
    lw = tf.broadcastTo(tf.expandDims(labelWeights, 0), yPredIn.shape);
    if (!multiLabel) lw = tf.reshape(lw, [-1]);
  }
  const weights = tf.mul(sw, lw);
  let yPred = tf.clipByValue(yPredIn, 0, 1);
  let yTrue = tf.cast(tf.cast(yTrueIn, "bool"), dtype);
  if (!multiLabel) {
    yTrue = tf.reshape(yTrue, [-1]);
    yPred = tf.reshape(yPred, [-1]);
  }
  const fullWeights = tf.broadcastTo(weights, yPred.shape);
  const trueLabels = tf.mul(yTrue, fullWeights);
  const falseLabels = tf.mul(tf.sub(1, yTrue), fullWeights);
  // A prediction p counts for the thresholds t_i < p: bucket ceil(p (T - 1)) - 1.
  let bucket = tf.sub(tf.ceil(tf.mul(yPred, numThresholds - 1)), 1);
  if (thresholdsWithEpsilon) bucket = tf.relu(bucket);
  let ids = tf.cast(bucket, "int32");
  let tp: Tensor;
  let fp: Tensor;
  if (multiLabel) {
    const numLabels = yPred.shape[1] ?? 1;
    // One block of T buckets per label: id + label * T (invalid ids stay invalid).
    const offsets = tf.mul(tf.range(0, numLabels, 1, "int32"), tf.scalar(numThresholds, "int32"));
    const valid = tf.logicalAnd(tf.greaterEqual(ids, 0), tf.less(ids, numThresholds));
    ids = tf.where(valid, tf.add(ids, tf.expandDims(offsets, 0)), tf.fill(ids.shape, -1, "int32"));
    const size = numLabels * numThresholds;
    const tpBuckets = tf.reshape(weightedBincount(ids, trueLabels, size), [numLabels, numThresholds]);
    const fpBuckets = tf.reshape(weightedBincount(ids, falseLabels, size), [numLabels, numThresholds]);
    tp = tf.transpose(tf.cumsum(tpBuckets, 1, false, true));
    fp = tf.transpose(tf.cumsum(fpBuckets, 1, false, true));
  } else {
    tp = tf.cumsum(weightedBincount(ids, trueLabels, numThresholds), 0, false, true);
    fp = tf.cumsum(weightedBincount(ids, falseLabels, numThresholds), 0, false, true);
  }
  const axis = multiLabel ? 0 : undefined;
  if (vars.tp) vars.tp.assignAdd(tf.cast(tp, vars.tp.dtype));
  if (vars.fp) vars.fp.assignAdd(tf.cast(fp, vars.fp.dtype));
  if (vars.tn) vars.tn.assignAdd(tf.cast(tf.sub(tf.sum(falseLabels, axis), fp), vars.tn.dtype));
  if (vars.fn) vars.fn.assignAdd(tf.cast(tf.sub(tf.sum(trueLabels, axis), tp), vars.fn.dtype));
}

/**
 * Keras's `update_confusion_matrix_variables`: adds to the given variables
 * (of shape `[numThresholds]`, or `[numThresholds, numLabels]` with
 * `multiLabel`) the weighted counts of
 * tp (`yTrue` and `yPred > t`), fp (not `yTrue` and `yPred > t`),
 * tn (not `yTrue` and `yPred <= t`) and fn (`yTrue` and `yPred <= t`) for
 * each threshold `t`. Runs on the device; call inside `tf.tidy`.
 */
export function updateConfusionMatrixVariables(
  vars: Partial<Record<ConfusionMatrixKey, Variable>>,
  yTrueIn: Tensor,
  yPredIn: Tensor,
  thresholds: readonly number[],
  options: ConfusionMatrixUpdateOptions = {},
): void {
  const multiLabel = options.multiLabel ?? false;
  const labelWeightsIn = options.labelWeights ?? null;
  if (multiLabel && labelWeightsIn !== null) {
    throw new Error(
      "`label_weights` for multilabel data should be handled outside of `update_confusion_matrix_variables` when `multi_label` is True.",
    );
  }
  const keys = Object.keys(vars) as ConfusionMatrixKey[];
  const first = keys.map((k) => vars[k]).find((v) => v !== undefined);
  if (first === undefined) {
    throw new Error('Please provide at least one valid confusion matrix variable to update. Valid variable key options are: "tp", "fp", "tn", "fn".');
  }
  const dtype = first.dtype;
  let yTrue = tf.cast(yTrueIn, dtype);
  let yPred = tf.cast(yPredIn, dtype);
  const evenly = options.thresholdsDistributedEvenly ?? false;
  const thresholdsWithEpsilon = evenly && (thresholds[0] < 0 || thresholds[thresholds.length - 1] > 1);
  const numThresholds = thresholds.length;

  [yPred, yTrue] = squeezeOrExpandToSameRank(yPred, yTrue);
  let sampleWeight: Tensor | null = null;
  if (options.sampleWeight != null) {
    sampleWeight = tf.expandDims(tf.cast(options.sampleWeight, dtype), -1);
    [, sampleWeight] = squeezeOrExpandToSameRank(yTrue, sampleWeight, false);
  }
  if (options.topK != null) yPred = filterTopK(yPred, options.topK);
  if (options.classId != null) {
    if (yPred.rank === 1) {
      throw new Error(
        `When class_id is provided, y_pred must be a 2D array with shape (num_samples, num_classes), found shape: [${yPred.shape}]`,
      );
    }
    yTrue = sliceLast(yTrue, options.classId);
    yPred = sliceLast(yPred, options.classId);
  }
  if (multiLabel && yPred.rank !== 2) {
    throw new Error(`\`y_pred\` must have rank 2 when \`multi_label=True\`. Found rank ${yPred.rank}. Full shape received for \`y_pred\`: [${yPred.shape}]`);
  }
  const labelWeights = labelWeightsIn === null ? null : tf.cast(labelWeightsIn, dtype);

  if (evenly) {
    updateOptimized(vars, yTrue, yPred, numThresholds, multiLabel, sampleWeight, labelWeights, thresholdsWithEpsilon, dtype);
    return;
  }

  // Compare every prediction with every threshold: [T, N*L] (or [T, N, L] for multi-label).
  const preds = multiLabel ? tf.expandDims(yPred, 0) : tf.reshape(yPred, [1, -1]);
  const labels = multiLabel ? tf.expandDims(tf.cast(yTrue, "bool"), 0) : tf.reshape(tf.cast(yTrue, "bool"), [1, -1]);
  const thresh = tf.reshape(tf.tensor1d([...thresholds], "float32"), multiLabel ? [numThresholds, 1, 1] : [numThresholds, 1]);
  const tiledShape = multiLabel ? [numThresholds, ...yPred.shape] : [numThresholds, yPred.size];
  const predIsPos = tf.broadcastTo(tf.greater(preds, tf.cast(thresh, dtype)), tiledShape);
  const labelIsPos = tf.broadcastTo(labels, tiledShape);
  let weights: Tensor | null = null;
  if (sampleWeight !== null) {
    const w = tf.broadcastTo(sampleWeight, yPred.shape);
    weights = multiLabel ? tf.expandDims(w, 0) : tf.reshape(w, [1, -1]);
  }
  if (labelWeights !== null && !multiLabel) {
    const lw = tf.reshape(tf.broadcastTo(tf.expandDims(labelWeights, 0), yPred.shape), [1, -1]);
    weights = weights === null ? lw : tf.mul(weights, lw);
  }
  const weightedAdd = (label: Tensor, pred: Tensor, v: Variable): void => {
    const both = tf.logicalAnd(label, pred);
    const counted =
      weights === null ? tf.cast(both, v.dtype) : tf.where(both, tf.broadcastTo(tf.cast(weights, v.dtype), tiledShape), tf.zeros(tiledShape, v.dtype));
    v.assignAdd(tf.sum(counted, 1));
  };
  const predIsNeg = vars.fn || vars.tn ? tf.logicalNot(predIsPos) : null;
  const labelIsNeg = vars.fp || vars.tn ? tf.logicalNot(labelIsPos) : null;
  if (vars.tp) weightedAdd(labelIsPos, predIsPos, vars.tp);
  if (vars.fn && predIsNeg) weightedAdd(labelIsPos, predIsNeg, vars.fn);
  if (vars.fp && labelIsNeg) weightedAdd(labelIsNeg, predIsPos, vars.fp);
  if (vars.tn && labelIsNeg && predIsNeg) weightedAdd(labelIsNeg, predIsNeg, vars.tn);
}

/**
 * Keras's `confusion_matrix`: the `(numClasses, numClasses)` matrix whose
 * `[i, j]` is the (weighted) count of label `i` predicted as `j`. Labels and
 * predictions are 1-D integer-valued; entries outside `[0, numClasses)`
 * contribute nothing. On the device.
 */
export function confusionMatrix(
  labels: Tensor,
  predictions: Tensor,
  numClasses: number,
  weights: Tensor | null = null,
  dtype: DType = "int32",
): Tensor {
  return tf.tidy(() => {
    let l = tf.cast(labels, "int32");
    let p = tf.cast(predictions, "int32");
    [l, p] = squeezeOrExpandToSameRank(l, p);
    l = tf.reshape(l, [-1]);
    p = tf.reshape(p, [-1]);
    const w = weights === null ? tf.onesLike(l) : tf.reshape(tf.broadcastTo(weights, l.shape), [-1]);
    const valid = tf.logicalAnd(
      tf.logicalAnd(tf.greaterEqual(l, 0), tf.less(l, numClasses)),
      tf.logicalAnd(tf.greaterEqual(p, 0), tf.less(p, numClasses)),
    );
    const ids = tf.where(valid, tf.add(tf.mul(l, tf.scalar(numClasses, "int32")), p), tf.fill(l.shape, -1, "int32"));
    const flat = weightedBincount(ids, w, numClasses * numClasses);
    return tf.cast(tf.reshape(flat, [numClasses, numClasses]), dtype);
  });
}
