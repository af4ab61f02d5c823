/**
 * keras.optimizers.schedules: the learning-rate schedules and their
 * `serialize` / `deserialize`.
 */
import type { SerializedObject } from "../../saving/serialized.js";
import {
  type CustomObjects,
  deserializeFromTable,
  type ModuleObject,
  type ModuleTable,
  serializeInstance,
} from "../../saving/module-objects.js";
import { LearningRateSchedule } from "./learning-rate-schedule.js";
import { ExponentialDecay } from "./exponential-decay.js";
import { PiecewiseConstantDecay } from "./piecewise-constant-decay.js";
import { PolynomialDecay } from "./polynomial-decay.js";
import { InverseTimeDecay } from "./inverse-time-decay.js";
import { CosineDecay } from "./cosine-decay.js";
import { CosineDecayRestarts } from "./cosine-decay-restarts.js";

export { LearningRateSchedule } from "./learning-rate-schedule.js";
export { ExponentialDecay, type ExponentialDecayOptions } from "./exponential-decay.js";
export { PiecewiseConstantDecay, type PiecewiseConstantDecayOptions } from "./piecewise-constant-decay.js";
export { PolynomialDecay, type PolynomialDecayOptions } from "./polynomial-decay.js";
export { InverseTimeDecay, type InverseTimeDecayOptions } from "./inverse-time-decay.js";
export { CosineDecay, type CosineDecayOptions } from "./cosine-decay.js";
export { CosineDecayRestarts, type CosineDecayRestartsOptions } from "./cosine-decay-restarts.js";

const OBJECTS: Record<string, ModuleObject> = {
  LearningRateSchedule,
  ExponentialDecay,
  PiecewiseConstantDecay,
  PolynomialDecay,
  InverseTimeDecay,
  CosineDecay,
  CosineDecayRestarts,
};

/** The names `deserialize` accepts. */
export const ALL_OBJECTS: Readonly<Record<string, ModuleObject>> = OBJECTS;

const TABLE: ModuleTable = {
  module: "keras.optimizers.schedules",
  kind: "decay",
  objects: OBJECTS,
  base: LearningRateSchedule,
};

/**
 * Keras's serialized dict of a schedule:
 * `{module: "keras.optimizers.schedules", class_name: "ExponentialDecay", config: {...}, registered_name: null}`.
 */
export function serialize(schedule: LearningRateSchedule): SerializedObject {
  if (!(schedule instanceof LearningRateSchedule)) {
    throw new TypeError(`Cannot serialize ${String(schedule)}: it is not a LearningRateSchedule.`);
  }
  return serializeInstance(schedule, TABLE.module);
}

/** Builds a schedule from its serialized dict (or a class name). */
export function deserialize(config: SerializedObject | string, customObjects?: CustomObjects): LearningRateSchedule {
  const obj = deserializeFromTable(config, TABLE, customObjects);
  if (obj instanceof LearningRateSchedule) return obj;
  throw new Error(`Could not interpret decay identifier: ${typeof config === "string" ? config : JSON.stringify(config)}`);
}
