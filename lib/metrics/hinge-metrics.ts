/**
 * Keras's `metrics/hinge_metrics.py`: the hinge family as mean metrics.
 */
import { categoricalHinge, hinge, squaredHinge } from "../losses/losses.js";
import { registerBuiltin } from "../saving/object-registration.js";
import type { MetricArgs } from "./metric.js";
import { MeanMetricWrapperSubclass } from "./reduction-metrics.js";

/**
 * The mean hinge loss, `mean(maximum(1 - yTrue * yPred, 0), -1)`; 0/1
 * labels are converted to -1/1.
 *
 * ```ts
 * const m = new metrics.Hinge();
 * m.updateState([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]]);
 * m.result(); // 1.3
 * ```
 */
export class Hinge extends MeanMetricWrapperSubclass {
  /** Default name `"hinge"`. */
  constructor(args: MetricArgs = {}) {
    super(hinge, { name: args.name ?? "hinge", dtype: args.dtype });
    this.direction = "down";
  }
}

/**
 * The mean squared hinge loss.
 *
 * ```ts
 * const m = new metrics.SquaredHinge();
 * m.updateState([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]]);
 * m.result(); // 1.86
 * ```
 */
export class SquaredHinge extends MeanMetricWrapperSubclass {
  /** Default name `"squared_hinge"`. */
  constructor(args: MetricArgs = {}) {
    super(squaredHinge, { name: args.name ?? "squared_hinge", dtype: args.dtype });
    this.direction = "down";
  }
}

/**
 * The mean categorical hinge loss.
 *
 * ```ts
 * const m = new metrics.CategoricalHinge();
 * m.updateState([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]]);
 * m.result(); // 1.4
 * ```
 */
export class CategoricalHinge extends MeanMetricWrapperSubclass {
  /** Default name `"categorical_hinge"`. */
  constructor(args: MetricArgs = {}) {
    super(categoricalHinge, { name: args.name ?? "categorical_hinge", dtype: args.dtype });
    this.direction = "down";
  }
}

for (const cls of [Hinge, SquaredHinge, CategoricalHinge]) registerBuiltin("keras.metrics", cls);
