/**
 * What the built-in callbacks use of the model and its optimizer, as
 * structural types: the Trainer provides all of it, and tests drive the
 * callbacks with small fake objects of the same shape.
 */
import type { Callback } from "./callback.js";

/** A tensor-like weight value: a tfjs Tensor (has `dispose`) or anything `setWeights` accepts. */
export type WeightValue = unknown;

/** The optimizer fields callbacks read and write. */
export interface CallbackOptimizer {
  /** The learning rate: a number, or a tensor / Variable holding one. Settable to a number. */
  learningRate: unknown;
  /** Reads the learning rate back as a number (tskeras optimizers have it). */
  learningRateValue?: () => number;
  /** The step counter (a Variable or a number). */
  iterations?: unknown;
  /** For multi-optimizers: the inner optimizers. */
  optimizers?: CallbackOptimizer[];
  /** The optimizer's name. */
  name?: string;
  /** Whether the optimizer keeps an exponential moving average of the weights. */
  useEma?: boolean;
  /** The EMA of each trainable variable (null where none). */
  modelVariablesMovingAverage?: readonly (VariableLike | null)[];
  /** Swaps the values of `variables` with their moving averages. */
  swapVariablesWithMovingAverage?: (variables: readonly VariableLike[]) => void;
  built?: boolean;
  build?: (variables: readonly VariableLike[]) => void;
}

/** A variable: has a value and can be assigned. */
export interface VariableLike {
  readonly value: unknown;
  assign(value: never): unknown;
}

/** A metric of the model (for `mode: "auto"` of monitoring callbacks). */
export interface CallbackMetric {
  name: string;
  /** `"up"` when higher is better, `"down"` when lower is better. */
  direction?: "up" | "down" | null;
  /** Nested metrics (metric lists). */
  metrics?: CallbackMetric[];
}

/** The model fields callbacks read and write. */
export interface CallbackModel {
  /** Set to true to stop `fit` after the current batch or epoch. */
  stopTraining: boolean;
  optimizer?: CallbackOptimizer | null;
  metrics?: readonly CallbackMetric[];
  built?: boolean;
  trainableVariables?: readonly VariableLike[];
  trainableWeights?: readonly VariableLike[];
  /** Copies of the weight values (the caller owns them). */
  getWeights(): WeightValue[];
  setWeights(values: readonly WeightValue[]): void;
  saveWeights?: (path: string, options?: { overwrite?: boolean }) => unknown;
  loadWeights?: (path: string) => unknown;
  save?: (path: string, options?: { overwrite?: boolean }) => unknown;
  /** Set by BackupAndRestore in `onTrainBegin`: the epoch `fit` resumes from (Keras's `_initial_epoch`). */
  _initialEpoch?: number | null;
}

/** The model of a callback, or a clear error when the callback is used outside `fit`. */
export function callbackModel(cb: Callback, who: string): CallbackModel {
  const model = cb.model as unknown as CallbackModel | null;
  if (!model) {
    throw new Error(`${who}: the callback has no model. Pass it to fit() (or call setModel(model)) before using it.`);
  }
  return model;
}

function readNumber(v: unknown): number {
  if (typeof v === "number") return v;
  if (v && typeof v === "object") {
    const o = v as { dataSync?: () => ArrayLike<number>; value?: unknown };
    if (typeof o.dataSync === "function") return Number(o.dataSync()[0]);
    if (o.value !== undefined && o.value !== v) return readNumber(o.value);
  }
  throw new TypeError(`Cannot read a number from ${String(v)}.`);
}

/** The optimizer's current learning rate as a number (Keras's `float(optimizer.learning_rate)`). */
export function getLearningRate(optimizer: CallbackOptimizer): number {
  if (typeof optimizer.learningRateValue === "function") return optimizer.learningRateValue();
  if (!("learningRate" in optimizer)) throw new Error('Optimizer must have a "learningRate" attribute.');
  return readNumber(optimizer.learningRate);
}

/** Sets the optimizer's learning rate to a number. */
export function setLearningRate(optimizer: CallbackOptimizer, value: number): void {
  optimizer.learningRate = value;
}

/** Disposes the tensors among `values` (weights copies the callback owns). */
export function disposeValues(values: readonly WeightValue[] | null): void {
  if (!values) return;
  for (const v of values) {
    const d = (v as { dispose?: () => void } | null)?.dispose;
    if (typeof d === "function") d.call(v);
  }
}

/** Whether `v` is a Promise-like value. */
export function isThenable(v: unknown): v is PromiseLike<unknown> {
  return !!v && typeof (v as { then?: unknown }).then === "function";
}

/** Writes a warning as Python's `warnings.warn` would show it. */
export function warn(message: string): void {
  console.warn(`UserWarning: ${message}`);
}
