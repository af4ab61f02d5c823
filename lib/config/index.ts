/** keras.config: global settings (floatx, epsilon, image data format, dtype policy, backend). */
export { floatx, setFloatx, epsilon, setEpsilon, imageDataFormat, setImageDataFormat } from "../backend/config.js";
export { backend, setBackend } from "../backend/engine.js";
export { dtypePolicy, setDtypePolicy } from "../dtype-policies/dtype-policy.js";
export { enableUnsafeDeserialization } from "../saving/safe-mode.js";
