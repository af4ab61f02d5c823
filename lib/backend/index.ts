/** keras.backend: which engine runs, and Keras's global numeric settings. */
import { tf } from "./tfjs.js";
import { resetUids, uniquify } from "../utils/naming.js";
import { resetNameScopes } from "./name-scope.js";

export { backend, backendChoice, setBackend, isCpuFallbackAdapter, BACKEND_NAMES } from "./engine.js";
export type { BackendName, BackendChoice } from "./engine.js";
export { floatx, setFloatx, epsilon, setEpsilon, imageDataFormat, setImageDataFormat, standardizeDataFormat, kerasHome } from "./config.js";
export type { FloatX, ImageDataFormat } from "./config.js";
export { standardizeDtype, isFloatDtype, isIntDtype, resultType } from "./dtypes.js";
export type { DType, DTypeLike } from "./dtypes.js";
export { KerasTensor, isKerasTensor, formatShape } from "./keras-tensor.js";
export type { Shape } from "./keras-tensor.js";
export { Variable, isVariable } from "./variable.js";
export { withNameScope as nameScope, currentNameScope } from "./name-scope.js";
export { valueAndGrad, type ValueAndGrad } from "./gradients.js";

/**
 * Resets Keras's global state: layer names start again at `dense`, `dense_1`,
 * ... and name scopes are cleared. With `{ disposeVariables: true }` every
 * tfjs variable is freed too (models made before cannot be used afterwards).
 */
export function clearSession(options: { disposeVariables?: boolean } = {}): void {
  resetUids();
  resetNameScopes();
  if (options.disposeVariables) tf.disposeVariables();
}

/** A unique integer per prefix, as Keras's `get_uid` (1, 2, 3, ... after each clearSession). */
export function getUid(prefix = ""): number {
  const name = uniquify(`__uid__${prefix}`);
  const m = /_(\d+)$/.exec(name);
  return m ? Number(m[1]) + 1 : 1;
}
