/** keras.models: Model, Sequential, and (from lib/saving) loadModel. */
import { callable } from "../utils/callable.js";
import { Model as ModelClass } from "./model.js";
import { Sequential as SequentialClass } from "./sequential.js";
import { Functional as FunctionalClass } from "./functional.js";

/** A model: subclass it and define `call`, or build a graph with `keras.Model({ inputs, outputs })`. */
export const Model = callable(ModelClass);
export type Model = ModelClass;
/** A linear stack of layers. `keras.Sequential([layers.Input({ shape: [784] }), layers.Dense(10)])`. */
export const Sequential = callable(SequentialClass);
export type Sequential = SequentialClass;
/** A model defined by a graph of layers (what `keras.Model({ inputs, outputs })` makes). */
export const Functional = callable(FunctionalClass);
export type Functional = FunctionalClass;
export type { ModelArgs, GraphModelArgs } from "./model.js";
export type { SequentialArgs } from "./sequential.js";
export type { FunctionalArgs, TensorStructure } from "./functional.js";
export {
  loadModel,
  saveModel,
  modelFromJson,
  cloneModel,
  type LoadModelOptions,
  type LoadedModel,
  type SaveModelOptions,
  type CloneModelOptions,
} from "../saving/index.js";
