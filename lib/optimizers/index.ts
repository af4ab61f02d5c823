/**
 * keras.optimizers: the optimizer classes, `get` / `serialize` /
 * `deserialize`, and the `schedules` namespace.
 */
import type { SerializedObject } from "../saving/serialized.js";
import { isSerializedObject } from "../saving/serialized.js";
import {
  type CustomObjects,
  deserializeFromTable,
  type ModuleObject,
  type ModuleTable,
  serializeInstance,
} from "../saving/module-objects.js";
import { Optimizer } from "./optimizer.js";
import { callable } from "../utils/callable.js";
import { SGD as SGDClass } from "./sgd.js";
import { Adam as AdamClass } from "./adam.js";
import { AdamW as AdamWClass } from "./adamw.js";
import { Adamax as AdamaxClass } from "./adamax.js";
import { Adagrad as AdagradClass } from "./adagrad.js";
import { Adadelta as AdadeltaClass } from "./adadelta.js";
import { Adafactor as AdafactorClass } from "./adafactor.js";
import { Nadam as NadamClass } from "./nadam.js";
import { RMSprop as RMSpropClass } from "./rmsprop.js";
import { Ftrl as FtrlClass } from "./ftrl.js";
import { Lion as LionClass } from "./lion.js";
import { Lamb as LambClass } from "./lamb.js";
import { LossScaleOptimizer as LossScaleOptimizerClass, setInnerOptimizerDeserializer } from "./loss-scale-optimizer.js";

export {
  Optimizer,
  optimizerArgs,
  clipByNorm,
  clipByGlobalNorm,
  globalNorm,
  type OptimizerOptions,
  type LearningRateLike,
  type LearningRateFn,
  type AddOptimizerVariableOptions,
  type GradientVariablePair,
  type OptimizerStoredArray,
  type OptimizerArrayToStore,
} from "./optimizer.js";
export type { SGDOptions } from "./sgd.js";
export type { AdamOptions } from "./adam.js";
export type { AdamWOptions } from "./adamw.js";
export type { AdamaxOptions } from "./adamax.js";
export type { AdagradOptions } from "./adagrad.js";
export type { AdadeltaOptions } from "./adadelta.js";
export type { AdafactorOptions } from "./adafactor.js";
export type { NadamOptions } from "./nadam.js";
export type { RMSpropOptions } from "./rmsprop.js";
export type { FtrlOptions } from "./ftrl.js";
export type { LionOptions } from "./lion.js";
export type { LambOptions } from "./lamb.js";
export type { LossScaleOptimizerOptions } from "./loss-scale-optimizer.js";
export * as schedules from "./schedules/index.js";

// The optimizer classes, callable with or without `new` (`keras.optimizers.Adam({ learningRate: 1e-3 })`).
/** Gradient descent with optional (Nesterov) momentum; default learning rate 0.01. */
export const SGD = callable(SGDClass);
export type SGD = SGDClass;
/** Adam (optionally AMSGrad); default learning rate 0.001. */
export const Adam = callable(AdamClass);
export type Adam = AdamClass;
/** Adam with decoupled weight decay (default 0.004). */
export const AdamW = callable(AdamWClass);
export type AdamW = AdamWClass;
/** Adam with the infinity norm. */
export const Adamax = callable(AdamaxClass);
export type Adamax = AdamaxClass;
/** Adagrad (initial accumulator 0.1). */
export const Adagrad = callable(AdagradClass);
export type Adagrad = AdagradClass;
/** Adadelta (rho 0.95). */
export const Adadelta = callable(AdadeltaClass);
export type Adadelta = AdadeltaClass;
/** Adafactor (factored second moments). */
export const Adafactor = callable(AdafactorClass);
export type Adafactor = AdafactorClass;
/** Adam with Nesterov momentum. */
export const Nadam = callable(NadamClass);
export type Nadam = NadamClass;
/** RMSprop (rho 0.9, optional momentum and centering). */
export const RMSprop = callable(RMSpropClass);
export type RMSprop = RMSpropClass;
/** Follow The Regularized Leader. */
export const Ftrl = callable(FtrlClass);
export type Ftrl = FtrlClass;
/** Lion (sign updates; beta1 0.9, beta2 0.99). */
export const Lion = callable(LionClass);
export type Lion = LionClass;
/** Lamb (Adam with layer-wise trust ratios). */
export const Lamb = callable(LambClass);
export type Lamb = LambClass;
/** Dynamic loss scaling around another optimizer. */
export const LossScaleOptimizer = callable(LossScaleOptimizerClass);
export type LossScaleOptimizer = LossScaleOptimizerClass;


const CLASSES: ModuleObject[] = [
  Optimizer,
  AdamClass,
  SGDClass,
  RMSpropClass,
  AdadeltaClass,
  AdamWClass,
  AdagradClass,
  AdamaxClass,
  AdafactorClass,
  NadamClass,
  FtrlClass,
  LionClass,
  LambClass,
  LossScaleOptimizerClass,
];

// Keras's ALL_OBJECTS_DICT: lower-cased class names (lookups are case-insensitive).
const OBJECTS: Record<string, ModuleObject> = {};
for (const cls of CLASSES) OBJECTS[cls.name.toLowerCase()] = cls;

/** The names `get` and `deserialize` accept (lower-cased class names; matching is case-insensitive). */
export const ALL_OBJECTS: Readonly<Record<string, ModuleObject>> = OBJECTS;

const TABLE: ModuleTable = { module: "keras.optimizers", kind: "optimizer", objects: OBJECTS, base: Optimizer };

/** What `get` accepts: a name (`"adam"`, `"SGD"`), an Optimizer, or a serialized dict. */
export type OptimizerIdentifier = string | Optimizer | SerializedObject;

/**
 * Keras's serialized dict of an optimizer:
 * `{module: "keras.optimizers", class_name: "Adam", config: {...}, registered_name: null}`.
 */
export function serialize(optimizer: Optimizer): SerializedObject {
  if (!(optimizer instanceof Optimizer)) throw new TypeError(`Cannot serialize ${String(optimizer)}: it is not an Optimizer.`);
  return serializeInstance(optimizer, TABLE.module);
}

function unknownOptimizer(name: string): Error {
  const valid = CLASSES.filter((c) => c !== Optimizer)
    .map((c) => c.name.toLowerCase())
    .sort();
  return new Error(
    `Could not interpret optimizer identifier: ${name}. Expected one of: ${valid.join(", ")}, ` +
      "an Optimizer instance, or a serialized optimizer config.",
  );
}

/** Builds an optimizer from its serialized dict (class names match case-insensitively for built-ins). */
export function deserialize(config: SerializedObject | string, customObjects?: CustomObjects): Optimizer {
  let c: SerializedObject | string = config;
  if (typeof c === "string") {
    const key = c.toLowerCase();
    if (OBJECTS[key] === undefined && !(customObjects && customObjects[c] !== undefined) && !c.includes(">")) {
      throw unknownOptimizer(c);
    }
    c = OBJECTS[key] !== undefined ? key : c;
  } else if (isSerializedObject(c)) {
    const key = c.class_name.toLowerCase();
    if (OBJECTS[key] !== undefined && !c.registered_name?.includes(">")) c = { ...c, class_name: key };
  }
  let obj: unknown;
  try {
    obj = deserializeFromTable(c, TABLE, customObjects);
  } catch (e) {
    if (typeof c !== "string" && isSerializedObject(c) && e instanceof Error && e.message.startsWith("Could not interpret")) {
      throw unknownOptimizer(c.class_name);
    }
    throw e;
  }
  if (obj instanceof Optimizer) return obj;
  throw new Error(`Could not interpret optimizer identifier: ${typeof config === "string" ? config : JSON.stringify(config)}`);
}

setInnerOptimizerDeserializer((config, customObjects) => deserialize(config, customObjects));

/**
 * Keras's `keras.optimizers.get`: a name (`"adam"`, `"sgd"`, `"rmsprop"`,
 * ... case-insensitive), an Optimizer (returned as is), or a serialized dict.
 * `null`/`undefined` gives null. An unknown name throws, listing the valid names.
 */
export function get(identifier: OptimizerIdentifier): Optimizer;
export function get(identifier: OptimizerIdentifier | null | undefined): Optimizer | null;
export function get(identifier: OptimizerIdentifier | null | undefined): Optimizer | null {
  if (identifier === null || identifier === undefined) return null;
  if (identifier instanceof Optimizer) return identifier;
  if (typeof identifier === "string") return deserialize({ class_name: identifier, config: {} });
  if (isSerializedObject(identifier)) return deserialize(identifier);
  throw new Error(`Could not interpret optimizer identifier: ${String(identifier)}`);
}
