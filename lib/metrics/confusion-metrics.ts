/**
 * Keras's `metrics/confusion_metrics.py`: confusion-matrix counts,
 * Precision, Recall, the sensitivity/specificity family and AUC. State is
 * per-threshold counts kept on the device.
 */
import { tf, type Tensor } from "../backend/tfjs.js";
import { epsilon } from "../backend/config.js";
import type { Variable } from "../backend/variable.js";
import { convertToTensor, type TensorLike } from "../ops/convert.js";
import { registerBuiltin } from "../saving/object-registration.js";
import { Metric, type MetricArgs } from "./metric.js";
import {
  type ConfusionMatrixKey,
  isEvenlyDistributedThresholds,
  NEG_INF,
  parseInitThresholds,
  updateConfusionMatrixVariables,
} from "./metrics-utils.js";

/** One threshold or several. */
export type Thresholds = number | readonly number[];

function firstOrAll(v: Tensor, n: number): Tensor {
  return n === 1 ? tf.reshape(tf.slice(v, [0], [1]), []) : v;
}

/** Options of the confusion-matrix counts (`TruePositives`, ...). */
export interface ConfusionCountArgs extends MetricArgs {
  /** Thresholds in `[0, 1]`; a prediction above one counts as positive. One result per threshold. Default 0.5. */
  thresholds?: Thresholds | null;
}

function splitThresholdsArgs<A extends { thresholds?: Thresholds | null }>(
  first: Thresholds | A | null | undefined,
  args: A,
): A {
  if (first === null || first === undefined) return args;
  if (typeof first === "number" || Array.isArray(first)) return { ...args, thresholds: first as Thresholds };
  return first as A;
}

/** The base of TruePositives, FalsePositives, TrueNegatives and FalseNegatives. */
abstract class ConfusionMatrixConditionCount extends Metric {
  /** The thresholds as given (null: the default 0.5). */
  readonly initThresholds: Thresholds | null;
  /** The thresholds used. */
  readonly thresholds: number[];
  /** One weighted count per threshold. */
  readonly accumulator: Variable;
  private readonly cond: ConfusionMatrixKey;
  private readonly evenly: boolean;

  constructor(cond: ConfusionMatrixKey, args: ConfusionCountArgs) {
    super(args);
    this.cond = cond;
    this.initThresholds = args.thresholds ?? null;
    this.thresholds = parseInitThresholds(args.thresholds, 0.5);
    this.evenly = isEvenlyDistributedThresholds(this.thresholds);
    this.accumulator = this.addVariable({ shape: [this.thresholds.length], initializer: "zeros", name: "accumulator" });
  }

  /** Adds the (weighted) count of the condition at each threshold. */
  override updateState(yTrue: TensorLike, yPred: TensorLike, sampleWeight?: TensorLike | null): void {
    tf.tidy(() => {
      updateConfusionMatrixVariables({ [this.cond]: this.accumulator }, convertToTensor(yTrue), convertToTensor(yPred), this.thresholds, {
        thresholdsDistributedEvenly: this.evenly,
        sampleWeight: sampleWeight == null ? null : convertToTensor(sampleWeight),
      });
    });
  }

  /** A scalar with one threshold, else one count per threshold. */
  override result(): Tensor {
    return tf.tidy(() => (this.thresholds.length === 1 ? firstOrAll(this.accumulator.value, 1) : tf.clone(this.accumulator.value)));
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), thresholds: this.initThresholds };
  }
}

/**
 * The (weighted) number of false positives.
 *
 * ```ts
 * const m = new metrics.FalsePositives();
 * m.updateState([0, 1, 0, 0], [0, 0, 1, 1]);
 * m.result(); // 2
 * ```
 */
export class FalsePositives extends ConfusionMatrixConditionCount {
  /** `thresholds` default 0.5; default name `"false_positives"`. */
  constructor(thresholds?: Thresholds | ConfusionCountArgs | null, args: ConfusionCountArgs = {}) {
    super("fp", splitThresholdsArgs(thresholds, args));
  }
}

/** The (weighted) number of false negatives. `thresholds` default 0.5. */
export class FalseNegatives extends ConfusionMatrixConditionCount {
  /** `thresholds` default 0.5; default name `"false_negatives"`. */
  constructor(thresholds?: Thresholds | ConfusionCountArgs | null, args: ConfusionCountArgs = {}) {
    super("fn", splitThresholdsArgs(thresholds, args));
  }
}

/** The (weighted) number of true negatives. `thresholds` default 0.5. */
export class TrueNegatives extends ConfusionMatrixConditionCount {
  /** `thresholds` default 0.5; default name `"true_negatives"`. */
  constructor(thresholds?: Thresholds | ConfusionCountArgs | null, args: ConfusionCountArgs = {}) {
    super("tn", splitThresholdsArgs(thresholds, args));
  }
}

/** The (weighted) number of true positives. `thresholds` default 0.5. */
export class TruePositives extends ConfusionMatrixConditionCount {
  /** `thresholds` default 0.5; default name `"true_positives"`. */
  constructor(thresholds?: Thresholds | ConfusionCountArgs | null, args: ConfusionCountArgs = {}) {
    super("tp", splitThresholdsArgs(thresholds, args));
  }
}

/** Options of `Precision` and `Recall`. */
export interface PrecisionRecallArgs extends MetricArgs {
  /** Thresholds in `[0, 1]`. Default 0.5 (or, with `topK`, every top-k prediction counts). */
  thresholds?: Thresholds | null;
  /** Only the `topK` largest predictions of each row count as positive. Default null. */
  topK?: number | null;
  /** Only this class (last axis) counts. Default null. */
  classId?: number | null;
}

abstract class PrecisionRecallBase extends Metric {
  /** The thresholds as given (null: the default). */
  readonly initThresholds: Thresholds | null;
  /** The thresholds used. */
  readonly thresholds: number[];
  /** `topK` as given. */
  readonly topK: number | null;
  /** `classId` as given. */
  readonly classId: number | null;
  /** Weighted true positives per threshold. */
  readonly truePositives: Variable;
  protected readonly evenly: boolean;

  constructor(args: PrecisionRecallArgs) {
    super(args);
    this.direction = "up";
    this.initThresholds = args.thresholds ?? null;
    this.topK = args.topK ?? null;
    this.classId = args.classId ?? null;
    this.thresholds = parseInitThresholds(args.thresholds, this.topK === null ? 0.5 : NEG_INF);
    this.evenly = isEvenlyDistributedThresholds(this.thresholds);
    this.truePositives = this.addVariable({ shape: [this.thresholds.length], initializer: "zeros", name: "true_positives" });
  }

  protected update(vars: Partial<Record<ConfusionMatrixKey, Variable>>, yTrue: TensorLike, yPred: TensorLike, sampleWeight?: TensorLike | null): void {
    tf.tidy(() => {
      updateConfusionMatrixVariables(vars, convertToTensor(yTrue), convertToTensor(yPred), this.thresholds, {
        thresholdsDistributedEvenly: this.evenly,
        topK: this.topK,
        classId: this.classId,
        sampleWeight: sampleWeight == null ? null : convertToTensor(sampleWeight),
      });
    });
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), thresholds: this.initThresholds, top_k: this.topK, class_id: this.classId };
  }
}

/**
 * Precision, `tp / (tp + fp)`, of predictions above the threshold(s)
 * (or in the top k, or for one class).
 *
 * ```ts
 * const m = new metrics.Precision();
 * m.updateState([0, 1, 1, 1], [1, 0, 1, 1]);
 * m.result(); // 0.6666667
 * ```
 */
export class Precision extends PrecisionRecallBase {
  /** Weighted false positives per threshold. */
  readonly falsePositives: Variable;

  /** Default name `"precision"`. */
  constructor(thresholds?: Thresholds | PrecisionRecallArgs | null, args: PrecisionRecallArgs = {}) {
    super(splitThresholdsArgs(thresholds, args));
    this.falsePositives = this.addVariable({ shape: [this.thresholds.length], initializer: "zeros", name: "false_positives" });
  }

  override updateState(yTrue: TensorLike, yPred: TensorLike, sampleWeight?: TensorLike | null): void {
    this.update({ tp: this.truePositives, fp: this.falsePositives }, yTrue, yPred, sampleWeight);
  }

  /** A scalar with one threshold, else one precision per threshold. */
  override result(): Tensor {
    return tf.tidy(() =>
      firstOrAll(tf.divNoNan(this.truePositives.value, tf.add(this.truePositives.value, this.falsePositives.value)), this.thresholds.length),
    );
  }
}

/**
 * Recall, `tp / (tp + fn)`, of predictions above the threshold(s) (or in
 * the top k, or for one class).
 *
 * ```ts
 * const m = new metrics.Recall();
 * m.updateState([0, 1, 1, 1], [1, 0, 1, 1]);
 * m.result(); // 0.6666667
 * ```
 */
export class Recall extends PrecisionRecallBase {
  /** Weighted false negatives per threshold. */
  readonly falseNegatives: Variable;

  /** Default name `"recall"`. */
  constructor(thresholds?: Thresholds | PrecisionRecallArgs | null, args: PrecisionRecallArgs = {}) {
    super(splitThresholdsArgs(thresholds, args));
    this.falseNegatives = this.addVariable({ shape: [this.thresholds.length], initializer: "zeros", name: "false_negatives" });
  }

  override updateState(yTrue: TensorLike, yPred: TensorLike, sampleWeight?: TensorLike | null): void {
    this.update({ tp: this.truePositives, fn: this.falseNegatives }, yTrue, yPred, sampleWeight);
  }

  /** A scalar with one threshold, else one recall per threshold. */
  override result(): Tensor {
    return tf.tidy(() =>
      firstOrAll(tf.divNoNan(this.truePositives.value, tf.add(this.truePositives.value, this.falseNegatives.value)), this.thresholds.length),
    );
  }
}

/** Options of the sensitivity/specificity metrics. */
export interface SensitivitySpecificityArgs extends MetricArgs {
  /** How many evenly spaced thresholds in `[0, 1]` to evaluate. Default 200. */
  numThresholds?: number;
  /** Only this class (last axis) counts. Default null. */
  classId?: number | null;
}

/** The base of SensitivityAtSpecificity, SpecificityAtSensitivity, PrecisionAtRecall and RecallAtPrecision. */
export abstract class SensitivitySpecificityBase extends Metric {
  /** The constraint value. */
  readonly value: number;
  /** `classId` as given. */
  readonly classId: number | null;
  /** The number of thresholds. */
  readonly numThresholds: number;
  /** The thresholds used. */
  readonly thresholds: number[];
  readonly truePositives: Variable;
  readonly falsePositives: Variable;
  readonly trueNegatives: Variable;
  readonly falseNegatives: Variable;
  private readonly evenly: boolean;

  constructor(value: number, args: SensitivitySpecificityArgs) {
    super(args);
    this.direction = "up";
    const numThresholds = args.numThresholds ?? 200;
    if (!(numThresholds > 0) || !Number.isInteger(numThresholds)) {
      throw new Error(`Argument \`num_thresholds\` must be an integer > 0. Received: num_thresholds=${numThresholds}`);
    }
    this.value = value;
    this.classId = args.classId ?? null;
    this.numThresholds = numThresholds;
    if (numThresholds === 1) {
      this.thresholds = [0.5];
      this.evenly = false;
    } else {
      const inner: number[] = [];
      for (let i = 0; i < numThresholds - 2; i++) inner.push(((i + 1) * 1.0) / (numThresholds - 1));
      this.thresholds = [0.0, ...inner, 1.0];
      this.evenly = true;
    }
    const n = this.thresholds.length;
    this.truePositives = this.addVariable({ shape: [n], initializer: "zeros", name: "true_positives" });
    this.falsePositives = this.addVariable({ shape: [n], initializer: "zeros", name: "false_positives" });
    this.trueNegatives = this.addVariable({ shape: [n], initializer: "zeros", name: "true_negatives" });
    this.falseNegatives = this.addVariable({ shape: [n], initializer: "zeros", name: "false_negatives" });
  }

  override updateState(yTrue: TensorLike, yPred: TensorLike, sampleWeight?: TensorLike | null): void {
    tf.tidy(() => {
      updateConfusionMatrixVariables(
        { tp: this.truePositives, tn: this.trueNegatives, fp: this.falsePositives, fn: this.falseNegatives },
        convertToTensor(yTrue),
        convertToTensor(yPred),
        this.thresholds,
        {
          thresholdsDistributedEvenly: this.evenly,
          classId: this.classId,
          sampleWeight: sampleWeight == null ? null : convertToTensor(sampleWeight),
        },
      );
    });
  }

  /** The largest `dependent` value whose `constrained` value is ≥ `value` (0 if none). */
  protected findMaxUnderConstraint(constrained: Tensor, dependent: Tensor): Tensor {
    return tf.tidy(() => {
      const feasible = tf.greaterEqual(constrained, this.value);
      return tf.maximum(tf.max(tf.where(feasible, dependent, tf.zerosLike(dependent))), 0);
    });
  }

  protected sensitivities(): Tensor {
    return tf.divNoNan(this.truePositives.value, tf.add(this.truePositives.value, this.falseNegatives.value));
  }

  protected specificities(): Tensor {
    return tf.divNoNan(this.trueNegatives.value, tf.add(this.trueNegatives.value, this.falsePositives.value));
  }

  protected precisions(): Tensor {
    return tf.divNoNan(this.truePositives.value, tf.add(this.truePositives.value, this.falsePositives.value));
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), class_id: this.classId };
  }
}

function checkUnit(name: string, v: number): void {
  if (!(v >= 0 && v <= 1)) throw new Error(`Argument \`${name}\` must be in the range [0, 1]. Received: ${name}=${v}`);
}

function splitValueArgs<A extends object>(first: number | A, args: A, key: string): [number, A] {
  if (typeof first === "number") return [first, args];
  const v = (first as Record<string, unknown>)[key];
  if (typeof v !== "number") throw new Error(`Argument \`${key}\` is required (a number in [0, 1]). Received: ${String(v)}`);
  return [v, first];
}

/** Options of `SensitivityAtSpecificity` (with the value inside). */
export interface SensitivityAtSpecificityArgs extends SensitivitySpecificityArgs {
  specificity?: number;
}

/**
 * The best sensitivity `tp / (tp + fn)` at a threshold where specificity
 * `tn / (tn + fp)` ≥ `specificity`.
 *
 * ```ts
 * const m = new metrics.SensitivityAtSpecificity(0.5);
 * m.updateState([0, 0, 0, 1, 1], [0, 0.3, 0.8, 0.3, 0.8]);
 * m.result(); // 0.5
 * ```
 */
export class SensitivityAtSpecificity extends SensitivitySpecificityBase {
  readonly specificity: number;

  /** `numThresholds` default 200; default name `"sensitivity_at_specificity"`. */
  constructor(specificity: number | SensitivityAtSpecificityArgs, args: SensitivityAtSpecificityArgs = {}) {
    const [v, a] = splitValueArgs(specificity, args, "specificity");
    checkUnit("specificity", v);
    const { specificity: _s, ...rest } = a;
    super(v, rest);
    this.specificity = v;
  }

  override result(): Tensor {
    return tf.tidy(() => this.findMaxUnderConstraint(this.specificities(), this.sensitivities()));
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), num_thresholds: this.numThresholds, specificity: this.specificity };
  }
}

/** Options of `SpecificityAtSensitivity` (with the value inside). */
export interface SpecificityAtSensitivityArgs extends SensitivitySpecificityArgs {
  sensitivity?: number;
}

/**
 * The best specificity at a threshold where sensitivity ≥ `sensitivity`.
 *
 * ```ts
 * const m = new metrics.SpecificityAtSensitivity(0.5);
 * m.updateState([0, 0, 0, 1, 1], [0, 0.3, 0.8, 0.3, 0.8]);
 * m.result(); // 0.6666667
 * ```
 */
export class SpecificityAtSensitivity extends SensitivitySpecificityBase {
  readonly sensitivity: number;

  /** `numThresholds` default 200; default name `"specificity_at_sensitivity"`. */
  constructor(sensitivity: number | SpecificityAtSensitivityArgs, args: SpecificityAtSensitivityArgs = {}) {
    const [v, a] = splitValueArgs(sensitivity, args, "sensitivity");
    checkUnit("sensitivity", v);
    const { sensitivity: _s, ...rest } = a;
    super(v, rest);
    this.sensitivity = v;
  }

  override result(): Tensor {
    return tf.tidy(() => this.findMaxUnderConstraint(this.sensitivities(), this.specificities()));
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), num_thresholds: this.numThresholds, sensitivity: this.sensitivity };
  }
}

/** Options of `PrecisionAtRecall` (with the value inside). */
export interface PrecisionAtRecallArgs extends SensitivitySpecificityArgs {
  recall?: number;
}

/**
 * The best precision at a threshold where recall ≥ `recall`.
 *
 * ```ts
 * const m = new metrics.PrecisionAtRecall(0.5);
 * m.updateState([0, 0, 0, 1, 1], [0, 0.3, 0.8, 0.3, 0.8]);
 * m.result(); // 0.5
 * ```
 */
export class PrecisionAtRecall extends SensitivitySpecificityBase {
  readonly recall: number;

  /** `numThresholds` default 200; default name `"precision_at_recall"`. */
  constructor(recall: number | PrecisionAtRecallArgs, args: PrecisionAtRecallArgs = {}) {
    const [v, a] = splitValueArgs(recall, args, "recall");
    checkUnit("recall", v);
    const { recall: _r, ...rest } = a;
    super(v, rest);
    this.recall = v;
  }

  override result(): Tensor {
    return tf.tidy(() => this.findMaxUnderConstraint(this.sensitivities(), this.precisions()));
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), num_thresholds: this.numThresholds, recall: this.recall };
  }
}

/** Options of `RecallAtPrecision` (with the value inside). */
export interface RecallAtPrecisionArgs extends SensitivitySpecificityArgs {
  precision?: number;
}

/**
 * The best recall at a threshold where precision ≥ `precision` (0 when no
 * threshold reaches it).
 *
 * ```ts
 * const m = new metrics.RecallAtPrecision(0.8);
 * m.updateState([0, 0, 1, 1], [0, 0.5, 0.3, 0.9]);
 * m.result(); // 0.5
 * ```
 */
export class RecallAtPrecision extends SensitivitySpecificityBase {
  readonly precision: number;

  /** `numThresholds` default 200; default name `"recall_at_precision"`. */
  constructor(precision: number | RecallAtPrecisionArgs, args: RecallAtPrecisionArgs = {}) {
    const [v, a] = splitValueArgs(precision, args, "precision");
    checkUnit("precision", v);
    const { precision: _p, ...rest } = a;
    super(v, rest);
    this.precision = v;
  }

  override result(): Tensor {
    return tf.tidy(() => this.findMaxUnderConstraint(this.precisions(), this.sensitivities()));
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), num_thresholds: this.numThresholds, precision: this.precision };
  }
}

/** The curve `AUC` integrates. */
export type AUCCurve = "ROC" | "PR" | "PRGAIN";
/** How `AUC` sums: mid-point (`interpolation`), lower (`minoring`) or upper (`majoring`) rectangles. */
export type AUCSummationMethod = "interpolation" | "minoring" | "majoring";

/** Options of `AUC`. */
export interface AUCArgs extends MetricArgs {
  /** Evenly spaced thresholds used to discretize the curve (> 1). Default 200. */
  numThresholds?: number;
  /** `"ROC"` (default), `"PR"` or `"PRGAIN"` (case-insensitive). */
  curve?: AUCCurve | "roc" | "pr" | "prgain";
  /** Default `"interpolation"`. */
  summationMethod?: AUCSummationMethod | "Interpolation" | "Minoring" | "Majoring";
  /** Explicit thresholds in `[0, 1]` (then `numThresholds` is ignored); -ε and 1+ε are added. Default null. */
  thresholds?: readonly number[] | null;
  /** One curve per label of `(n, labels)` data, averaged (else the data is flattened). Default false. */
  multiLabel?: boolean;
  /** The number of labels with `multiLabel` (else known at the first update). Default null. */
  numLabels?: number | null;
  /** Non-negative per-label weights. Default null. */
  labelWeights?: readonly number[] | null;
  /** Whether predictions are logits (a sigmoid is applied). Default false. */
  fromLogits?: boolean;
}

function parseCurve(c: string): AUCCurve {
  if (c === "pr" || c === "PR") return "PR";
  if (c === "roc" || c === "ROC") return "ROC";
  if (c === "prgain" || c === "PRGAIN") return "PRGAIN";
  throw new Error(`Invalid AUC curve value: "${c}". Expected values are ["PR", "ROC", "PRGAIN"]`);
}

function parseSummation(s: string): AUCSummationMethod {
  if (s === "interpolation" || s === "Interpolation") return "interpolation";
  if (s === "majoring" || s === "Majoring") return "majoring";
  if (s === "minoring" || s === "Minoring") return "minoring";
  throw new Error(`Invalid AUC summation method value: "${s}". Expected values are ["interpolation", "majoring", "minoring"]`);
}

/**
 * The area under the ROC (default) or precision-recall curve, by a Riemann
 * sum over `numThresholds` thresholds (PR with `interpolation` uses Davis &
 * Goadrich's interpolation, as Keras).
 *
 * ```ts
 * const m = new metrics.AUC({ numThresholds: 3 });
 * m.updateState([0, 0, 1, 1], [0, 0.5, 0.3, 0.9]);
 * m.result(); // 0.75
 * ```
 */
export class AUC extends Metric {
  /** The number of thresholds (including the two end points). */
  readonly numThresholds: number;
  readonly curve: AUCCurve;
  readonly summationMethod: AUCSummationMethod;
  readonly multiLabel: boolean;
  /** `numLabels` as given. */
  readonly numLabels: number | null;
  readonly labelWeights: number[] | null;
  readonly fromLogits: boolean;
  truePositives!: Variable;
  falsePositives!: Variable;
  trueNegatives!: Variable;
  falseNegatives!: Variable;
  private readonly thresholdList: number[];
  private readonly initFromThresholds: boolean;
  private readonly evenly: boolean;
  private built = false;
  private labelWeightsTensor: Tensor | null = null;

  /** Default name `"auc"`. */
  constructor(args: AUCArgs = {}) {
    super(args);
    this.direction = "up";
    this.curve = parseCurve(args.curve ?? "ROC");
    this.summationMethod = parseSummation(args.summationMethod ?? "interpolation");
    this.initFromThresholds = args.thresholds != null;
    let inner: number[];
    if (args.thresholds != null) {
      inner = [...args.thresholds].sort((a, b) => a - b);
      this.numThresholds = inner.length + 2;
      this.evenly = isEvenlyDistributedThresholds([0.0, ...inner, 1.0]);
    } else {
      const n = args.numThresholds ?? 200;
      if (!(n > 1) || !Number.isInteger(n)) {
        throw new Error(`Argument \`num_thresholds\` must be an integer > 1. Received: num_thresholds=${n}`);
      }
      this.numThresholds = n;
      inner = [];
      for (let i = 0; i < n - 2; i++) inner.push(((i + 1) * 1.0) / (n - 1));
      this.evenly = true;
    }
    this.thresholdList = [0.0 - epsilon(), ...inner, 1.0 + epsilon()];
    this.multiLabel = args.multiLabel ?? false;
    this.numLabels = args.numLabels ?? null;
    this.labelWeights = args.labelWeights == null ? null : [...args.labelWeights];
    this.fromLogits = args.fromLogits ?? false;
    if (this.multiLabel) {
      if (this.numLabels) this.build([null, this.numLabels]);
    } else {
      if (this.numLabels) throw new Error("`num_labels` is needed only when `multi_label` is True.");
      this.build(null);
    }
  }

  /** The thresholds used (with the -ε and 1+ε end points). */
  get thresholds(): number[] {
    return [...this.thresholdList];
  }

  private build(shape: (number | null)[] | null): void {
    let variableShape: number[];
    if (this.multiLabel) {
      if (shape === null || shape.length !== 2) {
        throw new Error(
          `\`y_pred\` must have rank 2 when \`multi_label=True\`. Found rank ${shape?.length ?? 0}. Full shape received for \`y_pred\`: [${shape ?? ""}]`,
        );
      }
      variableShape = [this.numThresholds, shape[1] as number];
    } else {
      variableShape = [this.numThresholds];
    }
    this.truePositives = this.addVariable({ shape: variableShape, initializer: "zeros", name: "true_positives" });
    this.falsePositives = this.addVariable({ shape: variableShape, initializer: "zeros", name: "false_positives" });
    this.trueNegatives = this.addVariable({ shape: variableShape, initializer: "zeros", name: "true_negatives" });
    this.falseNegatives = this.addVariable({ shape: variableShape, initializer: "zeros", name: "false_negatives" });
    this.built = true;
  }

  private labelWeightsValue(): Tensor | null {
    if (this.labelWeights === null) return null;
    if (this.labelWeightsTensor === null || this.labelWeightsTensor.isDisposed) {
      this.labelWeightsTensor = tf.keep(tf.tensor1d(this.labelWeights, "float32"));
    }
    return this.labelWeightsTensor;
  }

  override updateState(yTrue: TensorLike, yPred: TensorLike, sampleWeight?: TensorLike | null): void {
    const lw = this.labelWeightsValue();
    tf.tidy(() => {
      let p = convertToTensor(yPred);
      if (!this.built) this.build(p.shape);
      if (this.fromLogits) p = tf.sigmoid(p);
      updateConfusionMatrixVariables(
        { tp: this.truePositives, tn: this.trueNegatives, fp: this.falsePositives, fn: this.falseNegatives },
        convertToTensor(yTrue),
        p,
        this.thresholdList,
        {
          thresholdsDistributedEvenly: this.evenly,
          sampleWeight: sampleWeight == null ? null : convertToTensor(sampleWeight),
          multiLabel: this.multiLabel,
          labelWeights: this.multiLabel ? null : lw,
        },
      );
    });
  }

  private head(x: Tensor): Tensor {
    return tf.slice(x, 0, this.numThresholds - 1);
  }

  private tail(x: Tensor): Tensor {
    return tf.slice(x, 1, this.numThresholds - 1);
  }

  private aggregate(terms: Tensor): Tensor {
    if (!this.multiLabel) return tf.sum(terms);
    const byLabel = tf.sum(terms, 0);
    const lw = this.labelWeightsValue();
    if (lw === null) return tf.mean(byLabel);
    return tf.divNoNan(tf.sum(tf.mul(byLabel, lw)), tf.sum(lw));
  }

  /** Keras's `interpolate_pr_auc` (Davis & Goadrich 2006, closed form). */
  interpolatePrAuc(): Tensor {
    return tf.tidy(() => {
      if (!this.built) return tf.scalar(0);
      const tp = this.truePositives.value;
      const fp = this.falsePositives.value;
      const fn = this.falseNegatives.value;
      const dtp = tf.sub(this.head(tp), this.tail(tp));
      const p = tf.add(tp, fp);
      const dp = tf.sub(this.head(p), this.tail(p));
      const precSlope = tf.divNoNan(dtp, tf.maximum(dp, 0));
      const intercept = tf.sub(this.tail(tp), tf.mul(precSlope, this.tail(p)));
      const safePRatio = tf.where(
        tf.logicalAnd(tf.greater(this.head(p), 0), tf.greater(this.tail(p), 0)),
        tf.divNoNan(this.head(p), tf.maximum(this.tail(p), 0)),
        tf.onesLike(this.tail(p)),
      );
      const increment = tf.divNoNan(
        tf.mul(precSlope, tf.add(dtp, tf.mul(intercept, tf.log(safePRatio)))),
        tf.maximum(tf.add(this.tail(tp), this.tail(fn)), 0),
      );
      return this.aggregate(increment);
    });
  }

  override result(): Tensor {
    if (this.curve === "PR" && this.summationMethod === "interpolation") return this.interpolatePrAuc();
    return tf.tidy(() => {
      if (!this.built) return tf.scalar(0);
      const tp = this.truePositives.value;
      const fp = this.falsePositives.value;
      const tn = this.trueNegatives.value;
      const fn = this.falseNegatives.value;
      const recall = tf.divNoNan(tp, tf.add(tp, fn));
      let x: Tensor;
      let y: Tensor;
      if (this.curve === "ROC") {
        x = tf.divNoNan(fp, tf.add(fp, tn));
        y = recall;
      } else if (this.curve === "PR") {
        x = recall;
        y = tf.divNoNan(tp, tf.add(tp, fp));
      } else {
        const scaling = tf.divNoNan(tf.add(tp, fn), tf.add(tn, fp));
        let recallGain = tf.sub(1, tf.mul(scaling, tf.divNoNan(fn, tp)));
        let precisionGain = tf.sub(1, tf.mul(scaling, tf.divNoNan(fp, tp)));
        const noTp = tf.equal(tp, 0);
        recallGain = tf.where(noTp, tf.zerosLike(recallGain), recallGain);
        precisionGain = tf.where(noTp, tf.onesLike(precisionGain), precisionGain);
        x = tf.maximum(recallGain, 0);
        y = precisionGain;
      }
      let heights: Tensor;
      if (this.summationMethod === "interpolation") heights = tf.div(tf.add(this.head(y), this.tail(y)), 2);
      else if (this.summationMethod === "minoring") heights = tf.minimum(this.head(y), this.tail(y));
      else heights = tf.maximum(this.head(y), this.tail(y));
      return this.aggregate(tf.mul(tf.sub(this.head(x), this.tail(x)), heights));
    });
  }

  override dispose(): void {
    this.labelWeightsTensor?.dispose();
    this.labelWeightsTensor = null;
    super.dispose();
  }

  override getConfig(): Record<string, unknown> {
    const config: Record<string, unknown> = {
      ...super.getConfig(),
      num_thresholds: this.numThresholds,
      curve: this.curve,
      summation_method: this.summationMethod,
      multi_label: this.multiLabel,
      num_labels: this.numLabels,
      label_weights: this.labelWeights,
      from_logits: this.fromLogits,
    };
    if (this.initFromThresholds) config.thresholds = this.thresholdList.slice(1, -1);
    return config;
  }
}

for (const cls of [
  TruePositives,
  FalsePositives,
  TrueNegatives,
  FalseNegatives,
  Precision,
  Recall,
  SensitivityAtSpecificity,
  SpecificityAtSensitivity,
  PrecisionAtRecall,
  RecallAtPrecision,
  AUC,
]) {
  registerBuiltin("keras.metrics", cls);
}
