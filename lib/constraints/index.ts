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
  deserializeFromTable,
  isClassObject,
  type ModuleObject,
  type ModuleTable,
  serializeFunction,
  serializeInstance,
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

/** Keras's serialized dict of a constraint. */
export function serialize(constraint: Constraint | ConstraintFn): SerializedObject {
  if (constraint instanceof FunctionConstraint) return serializeFunction(constraint.fn, TABLE.module);
  if (constraint instanceof Constraint) return serializeInstance(constraint, TABLE.module);
  if (typeof constraint === "function") return serializeFunction(constraint, TABLE.module);
  throw new TypeError(`Cannot serialize ${String(constraint)} as a constraint.`);
}

function asConstraint(obj: unknown, identifier: unknown): Constraint {
  if (obj instanceof Constraint) return obj;
  if (typeof obj === "function") {
    if (isClassObject(obj, Constraint)) {
      const inst = new (obj as unknown as new () => unknown)();
      if (inst instanceof Constraint) return inst;
    } else {
      return new FunctionConstraint(obj as ConstraintFn);
    }
  }
  throw new Error(`Could not interpret constraint identifier: ${typeof identifier === "object" ? JSON.stringify(identifier) : String(identifier)}`);
}

/** Builds a constraint from its serialized dict (or a name). */
export function deserialize(config: SerializedObject | string, customObjects?: CustomObjects): Constraint {
  return asConstraint(deserializeFromTable(config, TABLE, customObjects), config);
}

/**
 * Keras's `keras.constraints.get`: a name (`"max_norm"`, `"NonNeg"`), a
 * Constraint, a function `(w) => Tensor`, a Constraint class, or a serialized
 * dict; `null`/`undefined` gives null.
 */
export function get(identifier: ConstraintLike | null | undefined): Constraint | null {
  if (identifier == null) return null;
  if (identifier instanceof Constraint) return identifier;
  if (typeof identifier === "function") return asConstraint(identifier, identifier);
  return deserialize(identifier);
}
