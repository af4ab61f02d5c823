/**
 * keras.constraints: MaxNorm, MinMaxNorm, NonNeg, UnitNorm, their snake_case
 * names, and `get` / `serialize` / `deserialize`.
 */
import type { Tensor } from "../backend/tfjs.js";
import { toSnakeCase } from "../utils/naming.js";
import { callable } from "../utils/callable.js";
import type { SerializedObject } from "../saving/serialized.js";
import {
  type CustomObjects,
  type ModuleObject,
  type ModuleTable,
  moduleAccessors,
} from "../saving/module-objects.js";
import { Constraint, type ConstraintFn, type ConstraintLike } from "./constraint.js";
import { MaxNorm as MaxNormClass, MinMaxNorm as MinMaxNormClass, NonNeg as NonNegClass, UnitNorm as UnitNormClass } from "./constraints.js";

export { Constraint, type ConstraintFn, type ConstraintLike } from "./constraint.js";
export {
  type NormAxis,
  type MaxNormOptions,
  type MinMaxNormOptions,
  type UnitNormOptions,
} from "./constraints.js";


/** The MaxNorm class; works with and without `new`. */
export const MaxNorm = callable(MaxNormClass);
export type MaxNorm = MaxNormClass;
/** The MinMaxNorm class; works with and without `new`. */
export const MinMaxNorm = callable(MinMaxNormClass);
export type MinMaxNorm = MinMaxNormClass;
/** The NonNeg class; works with and without `new`. */
export const NonNeg = callable(NonNegClass);
export type NonNeg = NonNegClass;
/** The UnitNorm class; works with and without `new`. */
export const UnitNorm = callable(UnitNormClass);
export type UnitNorm = UnitNormClass;

/** `max_norm`: builds a MaxNorm. */
export const maxNorm = callable(MaxNorm);
/** `min_max_norm`: builds a MinMaxNorm. */
export const minMaxNorm = callable(MinMaxNorm);
/** `non_neg`: builds a NonNeg. */
export const nonNeg = callable(NonNeg);
/** `unit_norm`: builds a UnitNorm. */
export const unitNorm = callable(UnitNorm);

const OBJECTS: Record<string, ModuleObject> = {};
for (const cls of [MaxNorm, MinMaxNorm, NonNeg, UnitNorm] as ModuleObject[]) {
  OBJECTS[cls.name] = cls;
  OBJECTS[toSnakeCase(cls.name)] = cls;
}

/** The names `get` and `deserialize` accept. */
export const ALL_OBJECTS: Readonly<Record<string, ModuleObject>> = OBJECTS;

const TABLE: ModuleTable = { module: "keras.constraints", kind: "constraint", objects: OBJECTS, base: Constraint };

/** A constraint that calls a plain function (what `get` makes of a function). */
export class FunctionConstraint extends Constraint {
  /** The wrapped function. */
  readonly fn: ConstraintFn;

  constructor(fn: ConstraintFn) {
    super();
    this.fn = fn;
  }

  override call(w: Tensor): Tensor {
    return this.fn(w);
  }
}

const accessors = moduleAccessors<Constraint, ConstraintFn>({ ...TABLE, base: Constraint }, (fn) => new FunctionConstraint(fn));

/** Keras's serialized dict of a constraint. */
export function serialize(constraint: Constraint | ConstraintFn): SerializedObject {
  return accessors.serialize(constraint);
}

/** Builds a constraint from its serialized dict (or a name). */
export function deserialize(config: SerializedObject | string, customObjects?: CustomObjects): Constraint {
  return accessors.deserialize(config, customObjects);
}

/**
 * Keras's `keras.constraints.get`: a name, a Constraint, a function, a Constraint class,
 * or a serialized dict; `null`/`undefined` gives null.
 */
export function get(identifier: ConstraintLike | null | undefined): Constraint | null {
  return accessors.get(identifier as Constraint | ConstraintFn | string | SerializedObject | null | undefined);
}
