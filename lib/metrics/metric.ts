/**
 * Metric: the stateful base of keras.metrics (Keras's `metrics/metric.py`).
 * State lives in Variables on the device; `updateState` accumulates,
 * `result` computes the value, `resetState` starts over.
 */
import type { Tensor } from "../backend/tfjs.js";
import type { TensorLike } from "../ops/convert.js";
import type { DType, DTypeLike } from "../backend/dtypes.js";
import { standardizeDtype } from "../backend/dtypes.js";
import { Variable } from "../backend/variable.js";
import { withNameScope } from "../backend/name-scope.js";
import * as initializers from "../initializers/index.js";
import type { InitializerLike } from "../initializers/initializer.js";
import { autoName, snakeToCamel } from "../utils/naming.js";

/** Options every metric accepts. */
export interface MetricArgs {
  /** Default: the snake_case class name. */
  name?: string | null;
  /** Default `"float32"`. */
  dtype?: DTypeLike | null;
}

/** Options of `addVariable`. */
export interface AddMetricVariableOptions {
  shape?: number[];
  /** Default `"zeros"`. */
  initializer?: InitializerLike;
  dtype?: DTypeLike;
  name: string;
}

/** The base of all metrics. */
export abstract class Metric {
  /** The metric's name, the key it has in training logs. */
  name: string;
  /** The dtype of its state and result. */
  readonly dtype: DType;
  /**
   * Whether a larger value is better (`"up"`, accuracies, AUC) or a smaller
   * one (`"down"`, errors, crossentropies); `null` when unknown (Keras's
   * `_direction`, used by callbacks that monitor a metric).
   */
  direction: "up" | "down" | null = null;
  private readonly stateVariables: Variable[] = [];
  private readonly initialValues = new Map<Variable, InitializerLike>();

  constructor(args: MetricArgs = {}) {
    this.name = args.name ?? autoName(this.constructor.name);
    this.dtype = standardizeDtype(args.dtype ?? "float32");
  }

  /** Accumulates statistics from a batch (tensors, arrays or typed arrays). */
  abstract updateState(yTrue: TensorLike, yPred: TensorLike, sampleWeight?: TensorLike | null): void;

  /** The metric's value from the state so far: a new scalar tensor the caller owns. */
  abstract result(): Tensor;

  /** Resets the state variables to their initial values. */
  resetState(): void {
    for (const v of this.stateVariables) {
      const init = initializers.get(this.initialValues.get(v) ?? "zeros");
      const value = init.call(v.shape, v.dtype);
      v.assign(value);
      value.dispose();
    }
  }

  /** Creates a state variable (not trainable). */
  addVariable(options: AddMetricVariableOptions): Variable {
    const shape = options.shape ?? [];
    const dtype = standardizeDtype(options.dtype ?? this.dtype);
    const initializer = options.initializer ?? "zeros";
    const v = withNameScope(this.name, () => {
      const value = initializers.get(initializer).call(shape, dtype);
      try {
        return new Variable(value, { name: options.name, trainable: false, dtype, aggregation: "sum" });
      } finally {
        value.dispose();
      }
    });
    this.stateVariables.push(v);
    this.initialValues.set(v, initializer);
    return v;
  }

  /** The state variables, in creation order. */
  get variables(): Variable[] {
    return [...this.stateVariables];
  }

  /** The result read back as a number (syncs with the device). */
  resultValue(): number {
    const r = this.result();
    try {
      return r.dataSync()[0];
    } finally {
      r.dispose();
    }
  }

  /** Updates with a batch and returns the new result (Keras's `metric(y_true, y_pred)`). */
  apply(yTrue: TensorLike, yPred: TensorLike, sampleWeight?: TensorLike | null): Tensor {
    this.updateState(yTrue, yPred, sampleWeight);
    return this.result();
  }

  /** Frees the state variables. */
  dispose(): void {
    for (const v of this.stateVariables) if (!v.isDisposed) v.dispose();
  }

  /** `{name, dtype}` plus each metric's own keys (snake_case). */
  getConfig(): Record<string, unknown> {
    return { name: this.name, dtype: this.dtype };
  }

  /** Makes a metric from `getConfig()` output (snake_case keys → camelCase options). */
  static fromConfig<T extends Metric>(this: new (args: never) => T, config: Record<string, unknown>): T {
    const args: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(config)) args[snakeToCamel(k)] = v;
    return new this(args as never);
  }

  toString(): string {
    return `<${this.constructor.name} name=${this.name}>`;
  }
}
