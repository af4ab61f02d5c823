/**
 * Keras's `metrics/iou_metrics.py`: Intersection-over-Union from a
 * confusion matrix accumulated on the device: `IoU`, `BinaryIoU`,
 * `MeanIoU`, `OneHotIoU`, `OneHotMeanIoU`.
 */
import { tf, type Tensor } from "../backend/tfjs.js";
import { epsilon } from "../backend/config.js";
import type { Variable } from "../backend/variable.js";
import { convertToTensor, type TensorLike } from "../ops/convert.js";
import { registerBuiltin } from "../saving/object-registration.js";
import { Metric, type MetricArgs } from "./metric.js";
import { confusionMatrix } from "./metrics-utils.js";

/** Options shared by the IoU metrics. */
export interface IoUBaseArgs extends MetricArgs {
  /** The number of classes (the confusion matrix is `numClasses × numClasses`). */
  numClasses?: number;
  /** A label to leave out (e.g. a "void" class, -1 or 255). Default null. */
  ignoreClass?: number | null;
  /** Whether labels are integers (else the argmax of `axis` is taken). Default true. */
  sparseYTrue?: boolean;
  /** Whether predictions are integers (else the argmax of `axis` is taken). Default true. */
  sparseYPred?: boolean;
  /** The class axis for the argmax. Default -1. */
  axis?: number;
}

/**
 * The base of the IoU metrics: accumulates the confusion matrix
 * `total_confusion_matrix` (rows: labels, columns: predictions). Its dtype
 * defaults to int32, as Keras's (an int); pass `dtype: "float32"` for
 * fractional sample weights.
 */
export abstract class IoUBase extends Metric {
  readonly numClasses: number;
  readonly ignoreClass: number | null;
  readonly sparseYTrue: boolean;
  readonly sparseYPred: boolean;
  readonly axis: number;
  /** The accumulated confusion matrix. */
  readonly totalCm: Variable;

  constructor(args: IoUBaseArgs) {
    super({ ...args, dtype: args.dtype ?? "int32" });
    this.direction = "up";
    const n = args.numClasses;
    if (typeof n !== "number" || !Number.isInteger(n) || n < 1) {
      throw new Error(`Argument \`num_classes\` must be a positive integer. Received: num_classes=${String(n)}`);
    }
    this.numClasses = n;
    this.ignoreClass = args.ignoreClass ?? null;
    this.sparseYTrue = args.sparseYTrue ?? true;
    this.sparseYPred = args.sparseYPred ?? true;
    this.axis = args.axis ?? -1;
    this.totalCm = this.addVariable({ name: "total_confusion_matrix", shape: [n, n], initializer: "zeros", dtype: this.dtype });
  }

  /** Adds the batch's (weighted) confusion matrix; out-of-range and ignored labels count for nothing. */
  override updateState(yTrue: TensorLike, yPred: TensorLike, sampleWeight?: TensorLike | null): void {
    tf.tidy(() => this.accumulate(convertToTensor(yTrue), convertToTensor(yPred), sampleWeight));
  }

  /** The update on tensors; call inside `tf.tidy`. */
  protected accumulate(yTrueIn: Tensor, yPredIn: Tensor, sampleWeight: TensorLike | null | undefined): void {
    let t = this.sparseYTrue ? yTrueIn : tf.argMax(yTrueIn, this.axis);
    let p = this.sparseYPred ? yPredIn : tf.argMax(yPredIn, this.axis);
    // Integer class ids (a float dtype holds them exactly).
    t = tf.cast(t, "float32");
    p = tf.cast(p, "float32");
    if (p.rank > 1) p = tf.reshape(p, [-1]);
    if (t.rank > 1) t = tf.reshape(t, [-1]);
    let sw = sampleWeight == null ? tf.scalar(1, this.dtype) : convertToTensor(sampleWeight, this.dtype);
    if (sw.rank > 1) sw = tf.reshape(sw, [-1]);
    sw = tf.broadcastTo(sw, t.shape);
    let valid = tf.logicalAnd(
      tf.logicalAnd(tf.greaterEqual(t, 0), tf.less(t, this.numClasses)),
      tf.logicalAnd(tf.greaterEqual(p, 0), tf.less(p, this.numClasses)),
    );
    if (this.ignoreClass !== null) valid = tf.logicalAnd(valid, tf.notEqual(t, this.ignoreClass));
    const zeros = tf.zerosLike(t);
    t = tf.where(valid, t, zeros);
    p = tf.where(valid, p, zeros);
    sw = tf.where(valid, sw, tf.zerosLike(sw));
    const cm = confusionMatrix(t, p, this.numClasses, tf.cast(sw, "float32"), this.dtype);
    this.totalCm.assignAdd(cm);
  }
}

/** Options of `IoU`. */
export interface IoUArgs extends IoUBaseArgs {
  /** The classes whose IoUs are averaged. */
  targetClassIds?: readonly number[];
}

/**
 * The mean IoU, `tp / (tp + fp + fn)`, of the classes in `targetClassIds`
 * (classes absent from both labels and predictions are left out).
 *
 * ```ts
 * const m = new metrics.IoU({ numClasses: 2, targetClassIds: [0] });
 * m.updateState([0, 0, 1, 1], [0, 1, 0, 1]);
 * m.result(); // 0.33333334
 * ```
 */
export class IoU extends IoUBase {
  readonly targetClassIds: number[];

  /**
   * `new IoU(numClasses, targetClassIds, options?)` or `new IoU({numClasses, targetClassIds, ...})`;
   * `ignoreClass` null, `sparseYTrue`/`sparseYPred` true, `axis` -1; default name `"io_u"`.
   */
  constructor(numClasses: number | IoUArgs, targetClassIds?: readonly number[], args: IoUArgs = {}) {
    const opts: IoUArgs =
      typeof numClasses === "number" ? { ...args, numClasses, targetClassIds: targetClassIds ?? args.targetClassIds } : numClasses;
    super(opts);
    const ids = [...(opts.targetClassIds ?? [])];
    if (ids.length === 0) throw new Error("Argument `target_class_ids` must list at least one class id.");
    const max = Math.max(...ids);
    if (max >= this.numClasses) {
      throw new Error(`Target class id ${max} is out of range, which is [0, ${this.numClasses}).`);
    }
    this.targetClassIds = ids;
  }

  /** The mean IoU of the target classes (float32 scalar). */
  override result(): Tensor {
    return tf.tidy(() => {
      const cm = tf.cast(this.totalCm.value, "float32");
      const sumOverRow = tf.sum(cm, 0);
      const sumOverCol = tf.sum(cm, 1);
      const n = this.numClasses;
      const truePositives = tf.sum(tf.mul(cm, tf.eye(n)), 1);
      const denominator = tf.sub(tf.add(sumOverRow, sumOverCol), truePositives);
      const ids = tf.tensor1d(this.targetClassIds, "int32");
      const tpT = tf.gather(truePositives, ids);
      const denT = tf.gather(denominator, ids);
      const validEntries = tf.greater(denT, 1e-9);
      const numValid = tf.sum(tf.cast(validEntries, "float32"));
      let iou = tf.div(tpT, tf.add(denT, epsilon()));
      iou = tf.where(validEntries, iou, tf.zerosLike(iou));
      return tf.div(tf.sum(iou, this.axis), tf.add(numValid, epsilon()));
    });
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      num_classes: this.numClasses,
      target_class_ids: this.targetClassIds,
      ignore_class: this.ignoreClass,
      sparse_y_true: this.sparseYTrue,
      sparse_y_pred: this.sparseYPred,
      axis: this.axis,
    };
  }
}

/** Options of `BinaryIoU`. */
export interface BinaryIoUArgs extends MetricArgs {
  /** `[0]`, `[1]` or `[0, 1]` (default): the classes whose IoUs are averaged. */
  targetClassIds?: readonly number[];
  /** Predictions ≥ it are class 1, else class 0. Default 0.5. */
  threshold?: number;
}

/**
 * IoU of a binary task whose predictions are thresholded at `threshold`.
 *
 * ```ts
 * const m = new metrics.BinaryIoU({ targetClassIds: [0, 1], threshold: 0.3 });
 * m.updateState([0, 1, 0, 1], [0.1, 0.2, 0.4, 0.7]);
 * m.result(); // 0.33333334
 * ```
 */
export class BinaryIoU extends IoU {
  readonly threshold: number;

  /** `targetClassIds` default `[0, 1]`, `threshold` 0.5. */
  constructor(args: BinaryIoUArgs = {}) {
    super({ numClasses: 2, targetClassIds: args.targetClassIds ?? [0, 1], name: args.name, dtype: args.dtype });
    this.threshold = args.threshold ?? 0.5;
  }

  override updateState(yTrue: TensorLike, yPred: TensorLike, sampleWeight?: TensorLike | null): void {
    tf.tidy(() => {
      const p = tf.cast(tf.greaterEqual(convertToTensor(yPred, "float32"), this.threshold), "float32");
      this.accumulate(convertToTensor(yTrue), p, sampleWeight);
    });
  }

  override getConfig(): Record<string, unknown> {
    return { target_class_ids: this.targetClassIds, threshold: this.threshold, name: this.name, dtype: this.dtype };
  }
}

/** Options of `MeanIoU`. */
export type MeanIoUArgs = IoUBaseArgs;

/**
 * The mean IoU over all `numClasses` classes.
 *
 * ```ts
 * const m = new metrics.MeanIoU({ numClasses: 2 });
 * m.updateState([0, 0, 1, 1], [0, 1, 0, 1]);
 * m.result(); // 0.33333334
 * ```
 */
export class MeanIoU extends IoU {
  /** `numClasses` (required) first or in the options. */
  constructor(numClasses: number | MeanIoUArgs, args: MeanIoUArgs = {}) {
    const opts = typeof numClasses === "number" ? { ...args, numClasses } : numClasses;
    const n = opts.numClasses ?? 0;
    super({ ...opts, targetClassIds: Array.from({ length: n }, (_, i) => i) });
  }

  override getConfig(): Record<string, unknown> {
    return {
      num_classes: this.numClasses,
      name: this.name,
      dtype: this.dtype,
      ignore_class: this.ignoreClass,
      sparse_y_true: this.sparseYTrue,
      sparse_y_pred: this.sparseYPred,
      axis: this.axis,
    };
  }
}

/** Options of `OneHotIoU`. */
export type OneHotIoUArgs = Omit<IoUArgs, "sparseYTrue">;

/**
 * IoU for one-hot labels (and, unless `sparseYPred`, probability
 * predictions): both are turned into class ids by argmax.
 *
 * ```ts
 * const m = new metrics.OneHotIoU({ numClasses: 3, targetClassIds: [0, 2], dtype: "float32" });
 * m.updateState(yTrue, yPred, [0.1, 0.2, 0.3, 0.4]);
 * ```
 */
export class OneHotIoU extends IoU {
  /** `sparseYPred` default false. */
  constructor(args: OneHotIoUArgs) {
    super({ ...args, sparseYTrue: false, sparseYPred: args.sparseYPred ?? false });
  }

  override getConfig(): Record<string, unknown> {
    return {
      num_classes: this.numClasses,
      target_class_ids: this.targetClassIds,
      name: this.name,
      dtype: this.dtype,
      ignore_class: this.ignoreClass,
      sparse_y_pred: this.sparseYPred,
      axis: this.axis,
    };
  }
}

/** Options of `OneHotMeanIoU`. */
export type OneHotMeanIoUArgs = Omit<IoUBaseArgs, "sparseYTrue">;

/** The mean IoU over all classes for one-hot labels (and probability predictions unless `sparseYPred`). */
export class OneHotMeanIoU extends MeanIoU {
  /** `numClasses` (required) first or in the options; `sparseYPred` default false. */
  constructor(numClasses: number | OneHotMeanIoUArgs, args: OneHotMeanIoUArgs = {}) {
    const opts = typeof numClasses === "number" ? { ...args, numClasses } : numClasses;
    super({ ...opts, sparseYTrue: false, sparseYPred: opts.sparseYPred ?? false });
  }

  override getConfig(): Record<string, unknown> {
    return {
      num_classes: this.numClasses,
      name: this.name,
      dtype: this.dtype,
      ignore_class: this.ignoreClass,
      sparse_y_pred: this.sparseYPred,
      axis: this.axis,
    };
  }
}

for (const cls of [IoU, BinaryIoU, MeanIoU, OneHotIoU, OneHotMeanIoU]) registerBuiltin("keras.metrics", cls);
