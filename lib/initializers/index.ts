/**
 * keras.initializers: the initializer classes, their snake_case names, and
 * `get` / `serialize` / `deserialize`.
 */
import type { Tensor } from "../backend/tfjs.js";
import type { DTypeLike } from "../backend/dtypes.js";
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
import { Initializer, type InitializerFn, type InitializerLike } from "./initializer.js";
import { RandomNormal as RandomNormalClass, TruncatedNormal as TruncatedNormalClass, RandomUniform as RandomUniformClass, VarianceScaling as VarianceScalingClass, GlorotUniform as GlorotUniformClass, GlorotNormal as GlorotNormalClass, LecunNormal as LecunNormalClass, LecunUniform as LecunUniformClass, HeNormal as HeNormalClass, HeUniform as HeUniformClass, Orthogonal as OrthogonalClass } from "./random-initializers.js";
import { Constant as ConstantClass, Zeros as ZerosClass, Ones as OnesClass, Identity as IdentityClass, STFT as STFTClass } from "./constant-initializers.js";

export { Initializer, type InitializerFn, type InitializerLike } from "./initializer.js";
export {
  getWindow,
  type ConstantValue,
  type ConstantOptions,
  type IdentityOptions,
  type STFTOptions,
} from "./constant-initializers.js";

export {
  RandomInitializer,
  computeFans,
  orthonormalColumns,
  type InitializerSeed,
  type RandomInitializerOptions,
  type RandomNormalOptions,
  type RandomUniformOptions,
  type VarianceScalingOptions,
  type VarianceScalingPresetOptions,
  type OrthogonalOptions,
  type FanMode,
  type ScalingDistribution,
} from "./random-initializers.js";


/** The Constant class; works with and without `new`. */
export const Constant = callable(ConstantClass);
export type Constant = ConstantClass;
/** The Zeros class; works with and without `new`. */
export const Zeros = callable(ZerosClass);
export type Zeros = ZerosClass;
/** The Ones class; works with and without `new`. */
export const Ones = callable(OnesClass);
export type Ones = OnesClass;
/** The Identity class; works with and without `new`. */
export const Identity = callable(IdentityClass);
export type Identity = IdentityClass;
/** The STFT class; works with and without `new`. */
export const STFT = callable(STFTClass);
export type STFT = STFTClass;

/** The RandomNormal class; works with and without `new`. */
export const RandomNormal = callable(RandomNormalClass);
export type RandomNormal = RandomNormalClass;
/** The TruncatedNormal class; works with and without `new`. */
export const TruncatedNormal = callable(TruncatedNormalClass);
export type TruncatedNormal = TruncatedNormalClass;
/** The RandomUniform class; works with and without `new`. */
export const RandomUniform = callable(RandomUniformClass);
export type RandomUniform = RandomUniformClass;
/** The VarianceScaling class; works with and without `new`. */
export const VarianceScaling = callable(VarianceScalingClass);
export type VarianceScaling = VarianceScalingClass;
/** The GlorotUniform class; works with and without `new`. */
export const GlorotUniform = callable(GlorotUniformClass);
export type GlorotUniform = GlorotUniformClass;
/** The GlorotNormal class; works with and without `new`. */
export const GlorotNormal = callable(GlorotNormalClass);
export type GlorotNormal = GlorotNormalClass;
/** The LecunNormal class; works with and without `new`. */
export const LecunNormal = callable(LecunNormalClass);
export type LecunNormal = LecunNormalClass;
/** The LecunUniform class; works with and without `new`. */
export const LecunUniform = callable(LecunUniformClass);
export type LecunUniform = LecunUniformClass;
/** The HeNormal class; works with and without `new`. */
export const HeNormal = callable(HeNormalClass);
export type HeNormal = HeNormalClass;
/** The HeUniform class; works with and without `new`. */
export const HeUniform = callable(HeUniformClass);
export type HeUniform = HeUniformClass;
/** The Orthogonal class; works with and without `new`. */
export const Orthogonal = callable(OrthogonalClass);
export type Orthogonal = OrthogonalClass;

/** Keras's compatibility alias of `Identity`. */
export const IdentityInitializer = Identity;
/** Keras's compatibility alias of `Orthogonal`. */
export const OrthogonalInitializer = Orthogonal;
/** Keras's compatibility alias of `STFT`. */
export const STFTInitializer = STFT;

// Keras's function-style names (`keras.initializers.glorot_uniform`), camelCased;
// each builds the class with or without `new`.
/** `glorot_uniform`: builds a GlorotUniform. */
export const glorotUniform = callable(GlorotUniform);
/** `glorot_normal`: builds a GlorotNormal. */
export const glorotNormal = callable(GlorotNormal);
/** `he_uniform`: builds a HeUniform. */
export const heUniform = callable(HeUniform);
/** `he_normal`: builds a HeNormal. */
export const heNormal = callable(HeNormal);
/** `lecun_uniform`: builds a LecunUniform. */
export const lecunUniform = callable(LecunUniform);
/** `lecun_normal`: builds a LecunNormal. */
export const lecunNormal = callable(LecunNormal);
/** `random_normal`: builds a RandomNormal. */
export const randomNormal = callable(RandomNormal);
/** `random_uniform`: builds a RandomUniform. */
export const randomUniform = callable(RandomUniform);
/** `truncated_normal`: builds a TruncatedNormal. */
export const truncatedNormal = callable(TruncatedNormal);
/** `variance_scaling`: builds a VarianceScaling. */
export const varianceScaling = callable(VarianceScaling);
/** `orthogonal`: builds an Orthogonal. */
export const orthogonal = callable(Orthogonal);
/** `identity`: builds an Identity. */
export const identity = callable(Identity);
/** `constant`: builds a Constant. */
export const constant = callable(Constant);
/** `zeros`: builds a Zeros. */
export const zeros = callable(Zeros);
/** `ones`: builds a Ones. */
export const ones = callable(Ones);
/** `stft`: builds an STFT. */
export const stft = callable(STFT);

const CLASSES: ModuleObject[] = [
  Constant,
  Identity,
  Ones,
  STFT,
  Zeros,
  GlorotNormal,
  GlorotUniform,
  HeNormal,
  HeUniform,
  LecunNormal,
  LecunUniform,
  Orthogonal,
  RandomNormal,
  RandomUniform,
  TruncatedNormal,
  VarianceScaling,
];

const OBJECTS: Record<string, ModuleObject> = {};
for (const cls of CLASSES) {
  OBJECTS[cls.name] = cls;
  OBJECTS[toSnakeCase(cls.name)] = cls;
}
Object.assign(OBJECTS, {
  IdentityInitializer: Identity,
  normal: RandomNormal,
  one: Ones,
  STFTInitializer: STFT,
  OrthogonalInitializer: Orthogonal,
  uniform: RandomUniform,
  zero: Zeros,
});

/** The names `get` and `deserialize` accept (class names, snake_case names, aliases). */
export const ALL_OBJECTS: Readonly<Record<string, ModuleObject>> = OBJECTS;

const TABLE: ModuleTable = { module: "keras.initializers", kind: "initializer", objects: OBJECTS, base: Initializer };

/** An initializer that calls a plain function (what `get` makes of a function). */
export class FunctionInitializer extends Initializer {
  /** The wrapped function. */
  readonly fn: InitializerFn;

  constructor(fn: InitializerFn) {
    super();
    this.fn = fn;
  }

  override call(shape: number[], dtype?: DTypeLike): Tensor {
    return this.fn(shape, dtype);
  }
}

/** Keras's serialized dict of an initializer, e.g. `{module: "keras.initializers", class_name: "GlorotUniform", config: {...}, registered_name: null}`. */
export function serialize(initializer: Initializer | InitializerFn): SerializedObject {
  if (initializer instanceof FunctionInitializer) return serializeFunction(initializer.fn, TABLE.module);
  if (initializer instanceof Initializer) return serializeInstance(initializer, TABLE.module);
  if (typeof initializer === "function") return serializeFunction(initializer, TABLE.module);
  throw new TypeError(`Cannot serialize ${String(initializer)} as an initializer.`);
}

function asInitializer(obj: unknown, identifier: unknown): Initializer {
  if (obj instanceof Initializer) return obj;
  if (typeof obj === "function") {
    if (isClassObject(obj, Initializer)) {
      const inst = new (obj as unknown as new () => unknown)();
      if (inst instanceof Initializer) return inst;
      throw new Error(`Could not interpret initializer identifier: ${String(identifier)}`);
    }
    return new FunctionInitializer(obj as InitializerFn);
  }
  throw new Error(`Could not interpret initializer identifier: ${describeIdentifier(identifier)}`);
}

function describeIdentifier(x: unknown): string {
  if (typeof x === "object" && x !== null) {
    try {
      return JSON.stringify(x);
    } catch {
      return String(x);
    }
  }
  return String(x);
}

/** Builds an initializer from its serialized dict (or a name). */
export function deserialize(config: SerializedObject | string, customObjects?: CustomObjects): Initializer {
  return asInitializer(deserializeFromTable(config, TABLE, customObjects), config);
}

/**
 * Keras's `keras.initializers.get`: a name (`"glorot_uniform"`,
 * `"GlorotUniform"`), an Initializer, a function `(shape, dtype) => Tensor`, an
 * Initializer class, or a serialized dict. `null`/`undefined` gives `fallback`
 * (resolved the same way) when one is given, else throws.
 */
export function get(identifier: InitializerLike | null | undefined, fallback?: InitializerLike): Initializer {
  if (identifier == null) {
    if (fallback !== undefined) return get(fallback);
    throw new Error("Could not interpret initializer identifier: null (pass a name, an Initializer or a config).");
  }
  if (identifier instanceof Initializer) return identifier;
  if (typeof identifier === "string") return deserialize(identifier);
  if (typeof identifier === "function") return asInitializer(identifier, identifier);
  return deserialize(identifier);
}
