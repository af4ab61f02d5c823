/**
 * keras.callbacks: hooks into fit, evaluate and predict.
 */
export { Callback, type CallbackParams, type HookResult, type Logs } from "./callback.js";
export { CallbackList, type CallbackListOptions } from "./callback-list.js";
export { History, historyDisplayHook } from "./history.js";
export {
  ProgbarLogger,
  progbarHooks,
  type ProgbarLike,
  type ProgbarFactoryArgs,
  type ProgbarLoggerOptions,
} from "./progbar-logger.js";
export { MonitorCallback, type MonitorMode } from "./monitor-callback.js";
export { EarlyStopping, type EarlyStoppingOptions } from "./early-stopping.js";
export { ModelCheckpoint, type ModelCheckpointOptions } from "./model-checkpoint.js";
export { ReduceLROnPlateau, type ReduceLROnPlateauOptions } from "./reduce-lr-on-plateau.js";
export {
  LearningRateScheduler,
  type LearningRateScheduleFn,
  type LearningRateSchedulerOptions,
} from "./learning-rate-scheduler.js";
export { CSVLogger, type CSVLoggerOptions } from "./csv-logger.js";
export { LambdaCallback, type LambdaCallbackOptions } from "./lambda-callback.js";
export { TerminateOnNaN, type TerminateOnNaNOptions } from "./terminate-on-nan.js";
export { BackupAndRestore, type BackupAndRestoreOptions } from "./backup-and-restore.js";
export { SwapEMAWeights, type SwapEMAWeightsOptions } from "./swap-ema-weights.js";
export { TensorBoard, type TensorBoardOptions, EventFileWriter } from "./tensorboard.js";
export type { CallbackModel, CallbackOptimizer, CallbackMetric } from "./model-api.js";
