/**
 * LambdaCallback: a callback made of functions (Keras's `callbacks/lambda_callback.py`).
 */
import { Callback, type HookResult, type Logs } from "./callback.js";
import { registerBuiltin } from "../saving/object-registration.js";

type EpochFn = (epoch: number, logs?: Logs) => HookResult;
type BatchFn = (batch: number, logs?: Logs) => HookResult;
type LogsFn = (logs?: Logs) => HookResult;

/** The hooks a LambdaCallback may set; any hook of {@link Callback} can be given. */
export interface LambdaCallbackOptions {
  onEpochBegin?: EpochFn;
  onEpochEnd?: EpochFn;
  onTrainBegin?: LogsFn;
  onTrainEnd?: LogsFn;
  onTrainBatchBegin?: BatchFn;
  onTrainBatchEnd?: BatchFn;
  onBatchBegin?: BatchFn;
  onBatchEnd?: BatchFn;
  onTestBegin?: LogsFn;
  onTestEnd?: LogsFn;
  onTestBatchBegin?: BatchFn;
  onTestBatchEnd?: BatchFn;
  onPredictBegin?: LogsFn;
  onPredictEnd?: LogsFn;
  onPredictBatchBegin?: BatchFn;
  onPredictBatchEnd?: BatchFn;
}

const HOOKS = [
  "onEpochBegin",
  "onEpochEnd",
  "onTrainBegin",
  "onTrainEnd",
  "onTrainBatchBegin",
  "onTrainBatchEnd",
  "onBatchBegin",
  "onBatchEnd",
  "onTestBegin",
  "onTestEnd",
  "onTestBatchBegin",
  "onTestBatchEnd",
  "onPredictBegin",
  "onPredictEnd",
  "onPredictBatchBegin",
  "onPredictBatchEnd",
] as const;

/**
 * A callback built from functions.
 *
 * ```ts
 * const printer = new keras.callbacks.LambdaCallback({
 *   onEpochEnd: (epoch, logs) => console.log(epoch, logs?.loss),
 * });
 * ```
 */
export class LambdaCallback extends Callback {
  constructor(hooks: LambdaCallbackOptions = {}) {
    super();
    const self = this as unknown as Record<string, unknown>;
    for (const [name, fn] of Object.entries(hooks)) {
      if (fn === undefined || fn === null) continue;
      if (!(HOOKS as readonly string[]).includes(name)) {
        throw new Error(`LambdaCallback: unknown hook '${name}'. Valid hooks: ${HOOKS.join(", ")}.`);
      }
      if (typeof fn !== "function") throw new TypeError(`LambdaCallback: '${name}' must be a function.`);
      self[name] = fn;
    }
  }
}
registerBuiltin("keras.callbacks", LambdaCallback);
