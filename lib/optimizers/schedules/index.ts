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
import { callable } from "../../utils/callable.js";
import { ExponentialDecay as ExponentialDecayClass } from "./exponential-decay.js";
import { PiecewiseConstantDecay as PiecewiseConstantDecayClass } from "./piecewise-constant-decay.js";
import { PolynomialDecay as PolynomialDecayClass } from "./polynomial-decay.js";
import { InverseTimeDecay as InverseTimeDecayClass } from "./inverse-time-decay.js";
import { CosineDecay as CosineDecayClass } from "./cosine-decay.js";
import { CosineDecayRestarts as CosineDecayRestartsClass } from "./cosine-decay-restarts.js";

export { LearningRateSchedule } from "./learning-rate-schedule.js";
export type { ExponentialDecayOptions } from "./exponential-decay.js";
export type { PiecewiseConstantDecayOptions } from "./piecewise-constant-decay.js";
export type { PolynomialDecayOptions } from "./polynomial-decay.js";
export type { InverseTimeDecayOptions } from "./inverse-time-decay.js";
export type { CosineDecayOptions } from "./cosine-decay.js";
export type { CosineDecayRestartsOptions } from "./cosine-decay-restarts.js";


// The schedule classes, callable with or without `new`.
/** Keras's `ExponentialDecay` schedule. */
export const ExponentialDecay = callable(ExponentialDecayClass);
export type ExponentialDecay = ExponentialDecayClass;
/** Keras's `PiecewiseConstantDecay` schedule. */
export const PiecewiseConstantDecay = callable(PiecewiseConstantDecayClass);
export type PiecewiseConstantDecay = PiecewiseConstantDecayClass;
/** Keras's `PolynomialDecay` schedule. */
export const PolynomialDecay = callable(PolynomialDecayClass);
export type PolynomialDecay = PolynomialDecayClass;
/** Keras's `InverseTimeDecay` schedule. */
export const InverseTimeDecay = callable(InverseTimeDecayClass);
export type InverseTimeDecay = InverseTimeDecayClass;
/** Keras's `CosineDecay` schedule. */
export const CosineDecay = callable(CosineDecayClass);
export type CosineDecay = CosineDecayClass;
/** Keras's `CosineDecayRestarts` schedule. */
export const CosineDecayRestarts = callable(CosineDecayRestartsClass);
export type CosineDecayRestarts = CosineDecayRestartsClass;

const OBJECTS: Record<string, ModuleObject> = {
  LearningRateSchedule,
  ExponentialDecay: ExponentialDecayClass,
  PiecewiseConstantDecay: PiecewiseConstantDecayClass,
  PolynomialDecay: PolynomialDecayClass,
  InverseTimeDecay: InverseTimeDecayClass,
  CosineDecay: CosineDecayClass,
  CosineDecayRestarts: CosineDecayRestartsClass,
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
