/**
 * keras.callbacks: hooks into fit, evaluate and predict.
 */
import { callable } from "../utils/callable.js";
import { Callback as CallbackClass } from "./callback.js";
import { CallbackList as CallbackListClass } from "./callback-list.js";
import { History as HistoryClass } from "./history.js";
import { ProgbarLogger as ProgbarLoggerClass } from "./progbar-logger.js";
import { EarlyStopping as EarlyStoppingClass } from "./early-stopping.js";
import { ModelCheckpoint as ModelCheckpointClass } from "./model-checkpoint.js";
import { ReduceLROnPlateau as ReduceLROnPlateauClass } from "./reduce-lr-on-plateau.js";
import { LearningRateScheduler as LearningRateSchedulerClass } from "./learning-rate-scheduler.js";
import { CSVLogger as CSVLoggerClass } from "./csv-logger.js";
import { LambdaCallback as LambdaCallbackClass } from "./lambda-callback.js";
import { TerminateOnNaN as TerminateOnNaNClass } from "./terminate-on-nan.js";
import { BackupAndRestore as BackupAndRestoreClass } from "./backup-and-restore.js";
import { SwapEMAWeights as SwapEMAWeightsClass } from "./swap-ema-weights.js";
import { TensorBoard as TensorBoardClass } from "./tensorboard.js";
export { type CallbackParams, type HookResult, type Logs } from "./callback.js";
export { type CallbackListOptions } from "./callback-list.js";
export { historyDisplayHook } from "./history.js";
export {
  progbarHooks,
  type ProgbarLike,
  type ProgbarFactoryArgs,
  type ProgbarLoggerOptions,
} from "./progbar-logger.js";
export { MonitorCallback, type MonitorMode } from "./monitor-callback.js";
export { type EarlyStoppingOptions } from "./early-stopping.js";
export { type ModelCheckpointOptions } from "./model-checkpoint.js";
export { type ReduceLROnPlateauOptions } from "./reduce-lr-on-plateau.js";
export {
  type LearningRateScheduleFn,
  type LearningRateSchedulerOptions,
} from "./learning-rate-scheduler.js";
export { type CSVLoggerOptions } from "./csv-logger.js";
export { type LambdaCallbackOptions } from "./lambda-callback.js";
export { type TerminateOnNaNOptions } from "./terminate-on-nan.js";
export { type BackupAndRestoreOptions } from "./backup-and-restore.js";
export { type SwapEMAWeightsOptions } from "./swap-ema-weights.js";
export { type TensorBoardOptions, EventFileWriter } from "./tensorboard.js";
export type { CallbackModel, CallbackOptimizer, CallbackMetric } from "./model-api.js";

// Callback classes work with and without `new` (`callbacks.EarlyStopping({ patience: 3 })`).
export const Callback = callable(CallbackClass);
export type Callback = CallbackClass;
export const CallbackList = callable(CallbackListClass);
export type CallbackList = CallbackListClass;
export const History = callable(HistoryClass);
export type History = HistoryClass;
export const ProgbarLogger = callable(ProgbarLoggerClass);
export type ProgbarLogger = ProgbarLoggerClass;
export const EarlyStopping = callable(EarlyStoppingClass);
export type EarlyStopping = EarlyStoppingClass;
export const ModelCheckpoint = callable(ModelCheckpointClass);
export type ModelCheckpoint = ModelCheckpointClass;
export const ReduceLROnPlateau = callable(ReduceLROnPlateauClass);
export type ReduceLROnPlateau = ReduceLROnPlateauClass;
export const LearningRateScheduler = callable(LearningRateSchedulerClass);
export type LearningRateScheduler = LearningRateSchedulerClass;
export const CSVLogger = callable(CSVLoggerClass);
export type CSVLogger = CSVLoggerClass;
export const LambdaCallback = callable(LambdaCallbackClass);
export type LambdaCallback = LambdaCallbackClass;
export const TerminateOnNaN = callable(TerminateOnNaNClass);
export type TerminateOnNaN = TerminateOnNaNClass;
export const BackupAndRestore = callable(BackupAndRestoreClass);
export type BackupAndRestore = BackupAndRestoreClass;
export const SwapEMAWeights = callable(SwapEMAWeightsClass);
export type SwapEMAWeights = SwapEMAWeightsClass;
export const TensorBoard = callable(TensorBoardClass);
export type TensorBoard = TensorBoardClass;
