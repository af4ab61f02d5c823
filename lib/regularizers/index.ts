/**
 * keras.regularizers: L1, L2, L1L2, OrthogonalRegularizer, their snake_case
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
import { Regularizer, type RegularizerFn, type RegularizerLike } from "./regularizer.js";
import { L1 as L1Class, L2 as L2Class, L1L2 as L1L2Class, OrthogonalRegularizer as OrthogonalRegularizerClass } from "./regularizers.js";

export { Regularizer, type RegularizerFn, type RegularizerLike } from "./regularizer.js";
export {
  type L1Options,
  type L2Options,
  type L1L2Options,
  type OrthogonalRegularizerOptions,
} from "./regularizers.js";


/** The L1 class; works with and without `new`. */
export const L1 = callable(L1Class);
export type L1 = L1Class;
/** The L2 class; works with and without `new`. */
export const L2 = callable(L2Class);
export type L2 = L2Class;
/** The L1L2 class; works with and without `new`. */
export const L1L2 = callable(L1L2Class);
export type L1L2 = L1L2Class;
/** The OrthogonalRegularizer class; works with and without `new`. */
export const OrthogonalRegularizer = callable(OrthogonalRegularizerClass);
export type OrthogonalRegularizer = OrthogonalRegularizerClass;

/** `l1`: builds an L1. */
export const l1 = callable(L1);
/** `l2`: builds an L2. */
export const l2 = callable(L2);
/** `l1_l2`: builds an L1L2. */
export const l1L2 = callable(L1L2);
/** `orthogonal_regularizer`: builds an OrthogonalRegularizer. */
export const orthogonalRegularizer = callable(OrthogonalRegularizer);

const OBJECTS: Record<string, ModuleObject> = {};
for (const cls of [L1, L2, L1L2, OrthogonalRegularizer] as ModuleObject[]) {
  OBJECTS[cls.name] = cls;
  OBJECTS[toSnakeCase(cls.name)] = cls;
}
// Keras's public function-style name (`keras.regularizers.l1_l2`); its own
// snake_case rule gives `l1l2`, kept above.
OBJECTS.l1_l2 = L1L2;

/** The names `get` and `deserialize` accept. */
export const ALL_OBJECTS: Readonly<Record<string, ModuleObject>> = OBJECTS;

const TABLE: ModuleTable = { module: "keras.regularizers", kind: "regularizer", objects: OBJECTS, base: Regularizer };

/** A regularizer that calls a plain function (what `get` makes of a function). */
export class FunctionRegularizer extends Regularizer {
  /** The wrapped function. */
  readonly fn: RegularizerFn;

  constructor(fn: RegularizerFn) {
    super();
    this.fn = fn;
  }

  override call(x: Tensor): Tensor {
    return this.fn(x);
  }
}

const accessors = moduleAccessors<Regularizer, RegularizerFn>({ ...TABLE, base: Regularizer }, (fn) => new FunctionRegularizer(fn));

/** Keras's serialized dict of a regularizer. */
export function serialize(regularizer: Regularizer | RegularizerFn): SerializedObject {
  return accessors.serialize(regularizer);
}

/** Builds a regularizer from its serialized dict (or a name). */
export function deserialize(config: SerializedObject | string, customObjects?: CustomObjects): Regularizer {
  return accessors.deserialize(config, customObjects);
}

/**
 * Keras's `keras.regularizers.get`: a name, a Regularizer, a function, a Regularizer class,
 * or a serialized dict; `null`/`undefined` gives null.
 */
export function get(identifier: RegularizerLike | null | undefined): Regularizer | null {
  return accessors.get(identifier as Regularizer | RegularizerFn | string | SerializedObject | null | undefined);
}
