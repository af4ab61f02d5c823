/**
 * Keras's `metrics/probabilistic_metrics.py`: the crossentropies, KL
 * divergence and Poisson as mean metrics over Keras's loss functions.
 */
import type { Tensor } from "../backend/tfjs.js";
import { setKerasMask } from "../losses/loss.js";
import {
  binaryCrossentropy,
  categoricalCrossentropy,
  klDivergence,
  poisson,
  sparseCategoricalCrossentropy,
  sparseCategoricalCrossentropyWithMask,
} from "../losses/losses.js";
import { registerBuiltin } from "../saving/object-registration.js";
import type { MetricArgs } from "./metric.js";
import { kwarg, MeanMetricWrapperSubclass, type MetricFunction } from "./reduction-metrics.js";

/**
 * The mean Kullback-Leibler divergence, `yTrue * log(yTrue / yPred)`.
 *
 * ```ts
 * const m = new metrics.KLDivergence();
 * m.updateState([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]]);
 * m.result(); // 0.45814306
 * ```
 */
export class KLDivergence extends MeanMetricWrapperSubclass {
  /** Default name `"kl_divergence"`. */
  constructor(args: MetricArgs = {}) {
    super(klDivergence, { name: args.name ?? "kl_divergence", dtype: args.dtype });
    this.direction = "down";
  }
}

/**
 * The mean Poisson metric, `yPred - yTrue * log(yPred)`.
 *
 * ```ts
 * const m = new metrics.Poisson();
 * m.updateState([[0, 1], [0, 0]], [[1, 1], [0, 0]]);
 * m.result(); // 0.49999997
 * ```
 */
export class Poisson extends MeanMetricWrapperSubclass {
  /** Default name `"poisson"`. */
  constructor(args: MetricArgs = {}) {
    super(poisson, { name: args.name ?? "poisson", dtype: args.dtype });
    this.direction = "down";
  }
}

/** Options of `BinaryCrossentropy`. */
export interface BinaryCrossentropyArgs extends MetricArgs {
  /** Whether predictions are logits. Default false. */
  fromLogits?: boolean;
  /** Squeezes labels towards 0.5. Default 0. */
  labelSmoothing?: number;
}

/**
 * The mean binary crossentropy of labels and predictions.
 *
 * ```ts
 * const m = new metrics.BinaryCrossentropy();
 * m.updateState([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]]);
 * m.result(); // 0.81492424
 * ```
 */
export class BinaryCrossentropy extends MeanMetricWrapperSubclass {
  readonly fromLogits: boolean;
  readonly labelSmoothing: number;

  /** Default name `"binary_crossentropy"`, fromLogits false, labelSmoothing 0. */
  constructor(args: BinaryCrossentropyArgs = {}) {
    const fromLogits = args.fromLogits ?? false;
    const labelSmoothing = args.labelSmoothing ?? 0;
    super(binaryCrossentropy, {
      name: args.name ?? "binary_crossentropy",
      dtype: args.dtype,
      from_logits: fromLogits,
      label_smoothing: labelSmoothing,
    });
    this.fromLogits = fromLogits;
    this.labelSmoothing = labelSmoothing;
    this.direction = "down";
  }

  protected override ownConfig(): Record<string, unknown> {
    return { from_logits: this.fromLogits, label_smoothing: this.labelSmoothing };
  }
}

/** Options of `CategoricalCrossentropy`. */
export interface CategoricalCrossentropyArgs extends MetricArgs {
  /** Whether predictions are logits. Default false. */
  fromLogits?: boolean;
  /** Mixes labels with the uniform distribution. Default 0. */
  labelSmoothing?: number;
  /** The class axis. Default -1. */
  axis?: number;
}

/**
 * The mean categorical crossentropy of one-hot labels and predictions.
 *
 * ```ts
 * const m = new metrics.CategoricalCrossentropy();
 * m.updateState([[0, 1, 0], [0, 0, 1]], [[0.05, 0.95, 0], [0.1, 0.8, 0.1]]);
 * m.result(); // 1.1769392
 * ```
 */
export class CategoricalCrossentropy extends MeanMetricWrapperSubclass {
  readonly fromLogits: boolean;
  readonly labelSmoothing: number;
  readonly axis: number;

  /** Default name `"categorical_crossentropy"`, fromLogits false, labelSmoothing 0, axis -1. */
  constructor(args: CategoricalCrossentropyArgs = {}) {
    const fromLogits = args.fromLogits ?? false;
    const labelSmoothing = args.labelSmoothing ?? 0;
    const axis = args.axis ?? -1;
    super(categoricalCrossentropy, {
      name: args.name ?? "categorical_crossentropy",
      dtype: args.dtype,
      from_logits: fromLogits,
      label_smoothing: labelSmoothing,
      axis,
    });
    this.fromLogits = fromLogits;
    this.labelSmoothing = labelSmoothing;
    this.axis = axis;
    this.direction = "down";
  }

  protected override ownConfig(): Record<string, unknown> {
    return { from_logits: this.fromLogits, label_smoothing: this.labelSmoothing, axis: this.axis };
  }
}

/** Options of `SparseCategoricalCrossentropy`. */
export interface SparseCategoricalCrossentropyArgs extends MetricArgs {
  /** Whether predictions are logits. Default false. */
  fromLogits?: boolean;
  /** A label to leave out (its entries are masked). Default null. */
  ignoreClass?: number | null;
  /** The class axis. Default -1. */
  axis?: number;
}

/**
 * The mean sparse categorical crossentropy of integer labels and predictions.
 *
 * ```ts
 * const m = new metrics.SparseCategoricalCrossentropy();
 * m.updateState([1, 2], [[0.05, 0.95, 0], [0.1, 0.8, 0.1]]);
 * m.result(); // 1.1769392
 * ```
 */
export class SparseCategoricalCrossentropy extends MeanMetricWrapperSubclass {
  readonly fromLogits: boolean;
  readonly ignoreClass: number | null;
  readonly axis: number;

  /** Default name `"sparse_categorical_crossentropy"`, fromLogits false, ignoreClass null, axis -1. */
  constructor(args: SparseCategoricalCrossentropyArgs = {}) {
    const fromLogits = args.fromLogits ?? false;
    const ignoreClass = args.ignoreClass ?? null;
    const axis = args.axis ?? -1;
    super(sparseCategoricalCrossentropy as MetricFunction, {
      name: args.name ?? "sparse_categorical_crossentropy",
      dtype: args.dtype,
      from_logits: fromLogits,
      ignore_class: ignoreClass,
      axis,
    });
    this.fromLogits = fromLogits;
    this.ignoreClass = ignoreClass;
    this.axis = axis;
    this.direction = "down";
  }

  /** The losses, carrying the mask of non-ignored entries (used with sample weights, as Keras). */
  protected override callFn(yTrue: Tensor, yPred: Tensor): Tensor {
    if (this.ignoreClass === null) return super.callFn(yTrue, yPred);
    const { losses, mask } = sparseCategoricalCrossentropyWithMask(yTrue, yPred, {
      fromLogits: kwarg(this.fnKwargs, "from_logits", false),
      ignoreClass: this.ignoreClass,
      axis: this.axis,
    });
    // The mask is disposed with the losses by the enclosing tidy of updateState.
    if (mask !== null) setKerasMask(losses, mask);
    return losses;
  }

  protected override ownConfig(): Record<string, unknown> {
    return { from_logits: this.fromLogits, ignore_class: this.ignoreClass, axis: this.axis };
  }
}

for (const cls of [KLDivergence, Poisson, BinaryCrossentropy, CategoricalCrossentropy, SparseCategoricalCrossentropy]) {
  registerBuiltin("keras.metrics", cls);
}
