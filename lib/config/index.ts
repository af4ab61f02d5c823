/**
 * keras.config: global settings (floatx, epsilon, image data format, dtype
 * policy, backend), logging and traceback flags, flash attention, and the
 * debugging caps on `fit`'s epochs and steps.
 */
export {
  floatx,
  setFloatx,
  epsilon,
  setEpsilon,
  imageDataFormat,
  setImageDataFormat,
  maxEpochs,
  setMaxEpochs,
  maxStepsPerEpoch,
  setMaxStepsPerEpoch,
  enableFlashAttention,
  disableFlashAttention,
  isFlashAttentionEnabled,
  isNnxEnabled,
} from "../backend/config.js";
export { backend, setBackend } from "../backend/engine.js";
export { dtypePolicy, setDtypePolicy } from "../dtype-policies/dtype-policy.js";
export { enableUnsafeDeserialization } from "../saving/safe-mode.js";
export {
  enableInteractiveLogging,
  disableInteractiveLogging,
  isInteractiveLoggingEnabled,
  enableTracebackFiltering,
  disableTracebackFiltering,
  isTracebackFilteringEnabled,
} from "../utils/io-utils.js";
