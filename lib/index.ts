/**
 * tskeras: Keras 3 for TypeScript.
 *
 * ```ts
 * import * as keras from "tskeras";
 * const model = keras.Sequential([
 *   keras.layers.Input({ shape: [784] }),
 *   keras.layers.Dense(128, { activation: "relu" }),
 *   keras.layers.Dense(10, { activation: "softmax" }),
 * ]);
 * model.summary();
 * ```
 */
import "./backend/engine.js";

export * as backend from "./backend/index.js";
export * as config from "./config/index.js";
export * as ops from "./ops/index.js";
export * as layers from "./layers/index.js";
export * as models from "./models/index.js";
export * as activations from "./activations/index.js";
export * as initializers from "./initializers/index.js";
export * as regularizers from "./regularizers/index.js";
export * as constraints from "./constraints/index.js";
export * as random from "./random/index.js";
export * as saving from "./saving/index.js";
export * as losses from "./losses/index.js";
export * as metrics from "./metrics/index.js";
export * as optimizers from "./optimizers/index.js";
export * as callbacks from "./callbacks/index.js";
export * as utils from "./utils/index.js";
export * as distribution from "./distribution/index.js";
export * as datasets from "./datasets/index.js";

export { Model, Sequential, Functional } from "./models/index.js";
export { Input, InputLayer, InputSpec, Layer } from "./layers/index.js";
export { KerasTensor } from "./backend/keras-tensor.js";
export { Variable } from "./backend/variable.js";
export { Operation } from "./ops/operation.js";
export { DTypePolicy } from "./dtype-policies/dtype-policy.js";
export { Initializer } from "./initializers/initializer.js";
export { Regularizer } from "./regularizers/regularizer.js";
export { Constraint } from "./constraints/constraint.js";
export { Loss } from "./losses/loss.js";
export { Metric } from "./metrics/metric.js";
export { Optimizer } from "./optimizers/optimizer.js";
export { valueAndGrad } from "./backend/gradients.js";
export { withNameScope as nameScope } from "./backend/name-scope.js";
export { version, version as __version__ } from "./version.js";
export { tf } from "./backend/tfjs.js";
export type { Tensor } from "./backend/tfjs.js";
export type { Shape } from "./backend/keras-tensor.js";
export type { LayerArgs, CallArgs, AddWeightOptions } from "./layers/layer.js";
export type { TensorLike } from "./ops/convert.js";
