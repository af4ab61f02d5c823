/**
 * Keras's `metrics/reduction_metrics.py`: `Sum`, `Mean` and
 * `MeanMetricWrapper`, the sample-weighted mean of a per-sample function.
 */
import { tf, type Tensor } from "../backend/tfjs.js";
import type { DType } from "../backend/dtypes.js";
import type { Variable } from "../backend/variable.js";
import { convertToTensor, type TensorLike } from "../ops/convert.js";
import { applyMask, getKerasMask, squeezeOrExpandToSameRank } from "../losses/loss.js";
import { getRegisteredName, isCustomRegistered, registerBuiltin } from "../saving/object-registration.js";
import type { SerializedObject } from "../saving/serialized.js";
import { camelToSnake, snakeToCamel, toSnakeCase } from "../utils/naming.js";
import { LOSS_FUNCTIONS } from "../losses/losses.js";
import { Metric, type MetricArgs } from "./metric.js";

/** A stateless metric function: per-sample (or per-element) values from labels and predictions. */
export type MetricFunction = (yTrue: Tensor, yPred: Tensor) => Tensor;

/** How a wrapped function receives its keyword arguments (snake_case keys, as in configs). */
export type MetricFunctionAdapter = (yTrue: Tensor, yPred: Tensor, kwargs: Readonly<Record<string, unknown>>) => Tensor;

interface FunctionInfo {
  /** Keras's snake_case name, used in configs. */
  name: string;
  /** Keras's module, `keras.metrics` or `keras.losses`. */
  module: string;
  adapter?: MetricFunctionAdapter;
}

const functionInfo = new Map<unknown, FunctionInfo>();

/**
 * Records a metric function's Keras name (`binary_accuracy`), its module, and
 * how it takes keyword arguments (Keras passes `**kwargs`, JS functions take
 * positional ones). Used by `MeanMetricWrapper` and serialization.
 */
export function registerMetricFunction(
  fn: (...args: never[]) => unknown,
  name: string,
  module = "keras.metrics",
  adapter?: MetricFunctionAdapter,
): void {
  functionInfo.set(fn, { name, module, adapter });
}

/** Keras's snake_case name of a metric function: its registered name, else the snake_case of `fn.name`. */
export function metricFunctionName(fn: (...args: never[]) => unknown): string {
  return functionInfo.get(fn)?.name ?? (fn.name ? toSnakeCase(fn.name) : "mean_metric_wrapper");
}

/**
 * The serialized form of a metric function, as Keras writes a function:
 * `{module: "builtins", class_name: "function", config: "binary_accuracy", registered_name: "function"}`
 * (custom registered functions: their registered name).
 */
export function serializeMetricFunction(fn: (...args: never[]) => unknown): SerializedObject {
  if (isCustomRegistered(fn)) {
    const registered = getRegisteredName(fn);
    return { module: null, class_name: "function", config: registered, registered_name: registered };
  }
  const info = functionInfo.get(fn);
  if (info === undefined && !fn.name) {
    throw new Error("Cannot serialize an anonymous metric function: give it a name and register it with registerKerasSerializable.");
  }
  return { module: "builtins", class_name: "function", config: info?.name ?? fn.name, registered_name: "function" };
}

/** `{from_logits: true}` → `{fromLogits: true}`: the options object of tskeras functions. */
export function kwargsToOptions(kwargs: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(kwargs)) out[snakeToCamel(k)] = v;
  return out;
}

/** Option getters for adapters: the kwarg or a default. */
export function kwarg<T>(kwargs: Readonly<Record<string, unknown>>, key: string, fallback: T): T {
  const v = kwargs[key];
  return v === undefined || v === null ? fallback : (v as T);
}

function range(from: number, to: number): number[] {
  const out: number[] = [];
  for (let i = from; i < to; i++) out.push(i);
  return out;
}

/**
 * Keras's `reduce_to_samplewise_values`: weights `values` by `sampleWeight`
 * (broadcast after squeezing/expanding to the same rank), reduces the
 * trailing axes with `reduceFn` to one value per sample, and returns the
 * weighted values and the weights reduced the same way (or null). Call
 * inside `tf.tidy`.
 */
export function reduceToSamplewiseValues(
  values: Tensor,
  sampleWeight: TensorLike | null | undefined,
  reduceFn: "sum" | "mean",
  dtype: DType,
): [Tensor, Tensor | null] {
  const reduce = (x: Tensor, axes: number[]): Tensor => (reduceFn === "sum" ? tf.sum(x, axes) : tf.mean(x, axes));
  const mask = getKerasMask(values);
  let v = values.dtype === dtype ? values : tf.cast(values, dtype);
  let sw: Tensor | null = null;
  if (sampleWeight != null) {
    sw = convertToTensor(sampleWeight, dtype);
    if (mask !== null) sw = applyMask(sw, mask, dtype, "sum") ?? sw;
    [v, sw] = squeezeOrExpandToSameRank(v, sw);
    const weightNdim = sw.rank;
    const valuesNdim = v.rank;
    if (valuesNdim > weightNdim) v = reduce(v, range(weightNdim, valuesNdim));
    sw = tf.broadcastTo(sw, v.shape);
    v = tf.mul(v, sw);
    if (weightNdim > 1) sw = reduce(sw, range(1, weightNdim));
  }
  if (v.rank > 1) v = reduce(v, range(1, v.rank));
  return [v, sw];
}

/**
 * The (weighted) sum of the given values: `[1, 3, 5, 7]` gives 16, with
 * `sampleWeight` `[1, 1, 0, 0]` 4. One variable, `total`.
 */
export class Sum extends Metric {
  /** The running sum. */
  readonly total: Variable;

  /** Default name `"sum"`. */
  constructor(args: MetricArgs = {}) {
    super({ ...args, name: args.name ?? "sum" });
    this.total = this.addVariable({ shape: [], initializer: "zeros", dtype: this.dtype, name: "total" });
  }

  /** Adds `sum(values * sampleWeight)`. */
  override updateState(values: TensorLike, sampleWeight?: TensorLike | null): void {
    tf.tidy(() => {
      const [v] = reduceToSamplewiseValues(convertToTensor(values), sampleWeight, "sum", this.dtype);
      this.total.assignAdd(tf.sum(v));
    });
  }

  override result(): Tensor {
    return tf.clone(this.total.value);
  }
}

/**
 * The (weighted) mean of the given values: `[1, 3, 5, 7]` gives 4, with
 * `sampleWeight` `[1, 1, 0, 0]` 2. Two variables, `total` and `count`; the
 * result is `total / count` (0 when `count` is 0).
 */
export class Mean extends Metric {
  /** The running weighted sum. */
  readonly total: Variable;
  /** The running sum of weights (or number of samples). */
  readonly count: Variable;

  /** Default name `"mean"`. */
  constructor(args: MetricArgs = {}) {
    super({ ...args, name: args.name ?? "mean" });
    this.total = this.addVariable({ shape: [], initializer: "zeros", dtype: this.dtype, name: "total" });
    this.count = this.addVariable({ shape: [], initializer: "zeros", dtype: this.dtype, name: "count" });
  }

  /**
   * Adds a batch of values. `sampleWeight` (default 1) has the rank of
   * `values` or less and broadcasts to it; trailing axes of `values` beyond
   * the weight's rank are averaged first.
   */
  override updateState(values: TensorLike, sampleWeight?: TensorLike | null): void {
    tf.tidy(() => this.accumulate(convertToTensor(values), sampleWeight));
  }

  /** The update of `updateState`, on a tensor; call inside `tf.tidy`. */
  protected accumulate(values: Tensor, sampleWeight: TensorLike | null | undefined): void {
    const [v, sw] = reduceToSamplewiseValues(values, sampleWeight, "mean", this.dtype);
    this.total.assignAdd(tf.sum(v));
    if (sw !== null) this.count.assignAdd(tf.sum(sw));
    else this.count.assignAdd(v.rank >= 1 ? v.shape[0] : 1);
  }

  override result(): Tensor {
    return tf.divNoNan(this.total.value, this.count.value);
  }
}

/** Options of `MeanMetricWrapper`: name, dtype, and keyword arguments passed on to the function. */
export interface MeanMetricWrapperArgs extends MetricArgs {
  /** The function, when the options object carries it (as in configs). */
  fn?: MetricFunction | SerializedObject | string;
  /** Other keys are keyword arguments of the function (camelCase or snake_case). */
  [kwarg: string]: unknown;
}

/**
 * The mean of a stateless metric function `fn(yTrue, yPred)` that returns
 * per-sample values, weighted by `sampleWeight`: `total += sum(values * w)`,
 * `count += sum(w)` (w broadcast to the values), result `total / count`.
 *
 * ```ts
 * const mse = (t: Tensor, p: Tensor) => tf.mean(tf.squaredDifference(t, p), -1);
 * const m = new MeanMetricWrapper(mse, { name: "mse" });
 * ```
 *
 * Extra options are keyword arguments of `fn` (Keras's `**kwargs`): built-in
 * functions map them to their parameters; other functions get them as a
 * third argument, an options object with camelCase keys.
 */
export class MeanMetricWrapper extends Mean {
  /** The wrapped function. */
  readonly fn: MetricFunction;
  /** Keyword arguments of `fn`, snake_case keys. */
  readonly fnKwargs: Readonly<Record<string, unknown>>;

  /** Default name: the snake_case name of `fn`. */
  constructor(fn: MetricFunction, args: MeanMetricWrapperArgs = {}) {
    const { name, dtype, fn: _ignored, ...kwargs } = args;
    super({ name: name ?? metricFunctionName(fn), dtype });
    if (typeof fn !== "function") {
      throw new TypeError(`MeanMetricWrapper expects a function (yTrue, yPred) => Tensor. Received: fn=${String(fn)}`);
    }
    this.fn = fn;
    const kw: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(kwargs)) if (v !== undefined) kw[camelToSnake(k)] = v;
    this.fnKwargs = kw;
  }

  /** Calls the wrapped function with its keyword arguments. */
  protected callFn(yTrue: Tensor, yPred: Tensor): Tensor {
    const adapter = functionInfo.get(this.fn)?.adapter;
    if (adapter) return adapter(yTrue, yPred, this.fnKwargs);
    if (Object.keys(this.fnKwargs).length > 0) {
      return (this.fn as unknown as MetricFunctionAdapter)(yTrue, yPred, kwargsToOptions(this.fnKwargs));
    }
    return this.fn(yTrue, yPred);
  }

  /** Adds the mean of `fn(yTrue, yPred)` weighted by `sampleWeight` (and by a mask attached to `yPred`). */
  override updateState(yTrue: TensorLike, yPred: TensorLike, sampleWeight?: TensorLike | null): void {
    tf.tidy(() => {
      const yp = convertToTensor(yPred);
      const mask = getKerasMask(yPred);
      const values = this.callFn(convertToTensor(yTrue), yp);
      let sw: Tensor | null = sampleWeight == null ? null : convertToTensor(sampleWeight, this.dtype);
      if (mask !== null) sw = applyMask(sw, mask, this.dtype, "sum");
      this.accumulate(values, sw);
    });
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), fn: serializeMetricFunction(this.fn), ...this.fnKwargs };
  }

  /** Rebuilds from a config whose `fn` is a serialized function (resolved by `keras.metrics.deserialize`). */
  static override fromConfig<T extends Metric>(
    this: new (args: never) => T,
    config: Record<string, unknown>,
  ): T {
    const { name, dtype, fn, ...kwargs } = config;
    const resolved = resolveMetricFunction(fn);
    const Ctor = this as unknown as new (fn: MetricFunction, args: MeanMetricWrapperArgs) => T;
    return new Ctor(resolved, { name: name as string | null | undefined, dtype: dtype as MetricArgs["dtype"], ...kwargs });
  }
}

type FunctionResolver = (fn: unknown) => MetricFunction;
let functionResolver: FunctionResolver | null = null;

/** Installs how `MeanMetricWrapper.fromConfig` resolves a serialized `fn` (set by `metrics/index.ts`). */
export function setMetricFunctionResolver(resolver: FunctionResolver): void {
  functionResolver = resolver;
}

function resolveMetricFunction(fn: unknown): MetricFunction {
  if (typeof fn === "function") return fn as MetricFunction;
  if (functionResolver === null) {
    throw new Error("MeanMetricWrapper.fromConfig: import keras.metrics to resolve serialized functions.");
  }
  return functionResolver(fn);
}

/**
 * Base of the `MeanMetricWrapper` subclasses whose config is only their own
 * arguments (Keras's `get_config` of `Accuracy`, `MeanSquaredError`, ...).
 */
export abstract class MeanMetricWrapperSubclass extends MeanMetricWrapper {
  /** `{name, dtype}` plus the subclass's own keys. */
  override getConfig(): Record<string, unknown> {
    return { name: this.name, dtype: this.dtype, ...this.ownConfig() };
  }

  /** The subclass's own config keys (snake_case). */
  protected ownConfig(): Record<string, unknown> {
    return {};
  }

  /** Builds the subclass from `{name, dtype, ...own keys}` (snake_case → camelCase options). */
  static override fromConfig<T extends Metric>(
    this: new (args: never) => T,
    config: Record<string, unknown>,
  ): T {
    return Metric.fromConfig.call(this, config) as T;
  }
}

registerBuiltin("keras.metrics", Sum);
registerBuiltin("keras.metrics", Mean);
registerBuiltin("keras.metrics", MeanMetricWrapper);

// Keras's loss functions, usable as metric functions: registered with their
// Keras names and with keyword arguments passed as their options object.
for (const [name, fn] of Object.entries(LOSS_FUNCTIONS)) {
  registerMetricFunction(fn, name, "keras.losses", (t, p, kw) => fn(t, p, kwargsToOptions(kw)));
}
