/**
 * Serialization of the small configurable objects of one Keras module
 * (initializers, regularizers, constraints): Keras's
 * `serialize_keras_object` / `deserialize_keras_object` restricted to
 * objects whose config is a flat dict, with the module's table of names
 * (`ALL_OBJECTS_DICT`: class names, snake_case names and aliases).
 */
import { getRegisteredName, getRegisteredObject, isCustomRegistered } from "./object-registration.js";
import { isSerializedObject, type SerializedObject } from "./serialized.js";
import { snakeToCamel } from "../utils/naming.js";

/** A class (or function) a module table maps a name to. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ModuleObject = abstract new (...args: any[]) => object;

/** The names of one Keras module. */
export interface ModuleTable {
  /** Keras's module, e.g. `keras.initializers`. */
  module: string;
  /** What the module holds, singular, for messages: `initializer`. */
  kind: string;
  /** Name → class: class names, snake_case names, aliases. */
  objects: Readonly<Record<string, ModuleObject>>;
  /** The module's base class: any subclass of it is instantiated, not called. */
  base?: ModuleObject;
}

/** Custom classes or functions by name, as Keras's `custom_objects`. */
export type CustomObjects = Record<string, unknown>;

/** Converts a snake_case config to camelCase constructor options (top-level keys only). */
export function configToOptions(config: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(config)) out[snakeToCamel(k)] = v;
  return out;
}

interface FromConfigClass {
  fromConfig(config: Record<string, unknown>): unknown;
}

function hasFromConfig(cls: unknown): cls is FromConfigClass {
  return typeof (cls as { fromConfig?: unknown }).fromConfig === "function";
}

/** Builds an instance of `cls` from a snake_case config: `cls.fromConfig(config)` when defined, else `new cls(options)`. */
export function instantiateFromConfig(cls: ModuleObject, config: Record<string, unknown>): unknown {
  if (hasFromConfig(cls)) return cls.fromConfig(config);
  return new (cls as unknown as new (o: Record<string, unknown>) => object)(configToOptions(config));
}

/** Keras's serialized dict of an instance of a built-in or registered class. */
export function serializeInstance(obj: { getConfig(): Record<string, unknown> }, module: string): SerializedObject {
  const cls = (obj as object).constructor;
  if (isCustomRegistered(cls)) {
    return {
      module: null,
      class_name: cls.name,
      config: obj.getConfig(),
      registered_name: getRegisteredName(cls),
    };
  }
  return { module, class_name: cls.name, config: obj.getConfig(), registered_name: null };
}

/** Keras's serialized form of a plain function: `{class_name: "function", config: name}`. */
export function serializeFunction(fn: (...args: never[]) => unknown, module: string): SerializedObject {
  if (isCustomRegistered(fn)) {
    const registered = getRegisteredName(fn);
    return { module: null, class_name: "function", config: registered, registered_name: registered };
  }
  return { module, class_name: "function", config: fn.name, registered_name: null };
}

function unknownName(name: string, table: ModuleTable): Error {
  const valid = Object.keys(table.objects).sort();
  return new Error(
    `Could not interpret ${table.kind} identifier: ${name}. ` +
      `Expected one of: ${valid.join(", ")}, or a ${table.kind} object, a function, or a config dict ` +
      `(custom classes must be registered with registerKerasSerializable or passed in customObjects).`,
  );
}

/** Finds the class or function a name refers to: custom objects, registered names, then the module's table. */
export function lookup(
  name: string,
  table: ModuleTable,
  customObjects?: CustomObjects,
  registeredName?: string | null,
): unknown {
  if (customObjects) {
    if (registeredName && customObjects[registeredName] !== undefined) return customObjects[registeredName];
    if (customObjects[name] !== undefined) return customObjects[name];
  }
  if (registeredName) {
    const reg = getRegisteredObject(registeredName);
    if (reg !== undefined && (registeredName.includes(">") || table.objects[registeredName] === undefined)) return reg;
  }
  const hit = table.objects[name];
  if (hit !== undefined) return hit;
  if (name.includes(">")) {
    const reg = getRegisteredObject(name);
    if (reg !== undefined) return reg;
  }
  throw unknownName(name, table);
}

/**
 * Keras's `deserialize_keras_object` for one module: a serialized dict (or a
 * bare name) becomes an instance (or a function, for `class_name:
 * "function"`).
 */
export function deserializeFromTable(
  config: SerializedObject | string,
  table: ModuleTable,
  customObjects?: CustomObjects,
): unknown {
  if (typeof config === "string") {
    return instantiateLooked(lookup(config, table, customObjects), {}, config, table);
  }
  if (!isSerializedObject(config)) {
    throw new Error(
      `Could not interpret ${table.kind} identifier: ${JSON.stringify(config)}. ` +
        "A serialized object needs `class_name` and `config`.",
    );
  }
  if (config.class_name === "function") {
    const fnName = typeof config.config === "string" ? config.config : String(config.registered_name ?? "");
    const fn = lookup(fnName, table, customObjects, config.registered_name ?? null);
    if (typeof fn !== "function") throw unknownName(fnName, table);
    return fn;
  }
  const found = lookup(config.class_name, table, customObjects, config.registered_name ?? null);
  const inner = config.config;
  const cfg = typeof inner === "object" && inner !== null ? inner : {};
  return instantiateLooked(found, cfg, config.class_name, table);
}

function isClass(x: unknown, base?: ModuleObject): x is ModuleObject {
  if (typeof x !== "function") return false;
  const proto = (x as { prototype?: unknown }).prototype;
  if (base !== undefined && (x === base || proto instanceof base)) return true;
  try {
    return /^class[\s{]/.test(Function.prototype.toString.call(x));
  } catch {
    return false;
  }
}

function instantiateLooked(found: unknown, config: Record<string, unknown>, name: string, table: ModuleTable): unknown {
  if (isClass(found, table.base)) return instantiateFromConfig(found, config);
  if (typeof found === "function") return found;
  throw unknownName(name, table);
}

/** True when `x` is a class (not a plain function). */
export function isClassObject(x: unknown, base?: ModuleObject): x is ModuleObject {
  return isClass(x, base);
}

/** A module object that wraps a plain function (`FunctionRegularizer`, `FunctionConstraint`). */
interface FunctionWrapper {
  readonly fn: (...args: never[]) => unknown;
}

/**
 * The `get` / `serialize` / `deserialize` trio of a module whose objects are
 * instances of `base`, with plain functions wrapped by `wrap` (Keras's
 * `regularizers.get`, `constraints.get`).
 */
export function moduleAccessors<T extends object, F extends (...args: never[]) => unknown>(
  table: ModuleTable & { base: abstract new (...args: never[]) => T },
  wrap: (fn: F) => T & FunctionWrapper,
) {
  const base = table.base;
  const isWrapper = (x: unknown): x is T & FunctionWrapper => x instanceof base && typeof (x as Partial<FunctionWrapper>).fn === "function";
  const toInstance = (obj: unknown, identifier: unknown): T => {
    if (obj instanceof base) return obj;
    if (typeof obj === "function") {
      if (isClass(obj, base)) {
        const inst = new (obj as unknown as new () => unknown)();
        if (inst instanceof base) return inst;
      } else {
        return wrap(obj as F);
      }
    }
    const shown = typeof identifier === "object" ? JSON.stringify(identifier) : String(identifier);
    throw new Error(`Could not interpret ${table.kind} identifier: ${shown}`);
  };
  const deserialize = (config: SerializedObject | string, customObjects?: CustomObjects): T =>
    toInstance(deserializeFromTable(config, table, customObjects), config);
  return {
    /** Keras's serialized dict of an object or a plain function. */
    serialize(x: T | F): SerializedObject {
      if (isWrapper(x)) return serializeFunction(x.fn, table.module);
      if (x instanceof base) return serializeInstance(x as unknown as { getConfig(): Record<string, unknown> }, table.module);
      if (typeof x === "function") return serializeFunction(x as F, table.module);
      throw new TypeError(`Cannot serialize ${String(x)} as a ${table.kind}.`);
    },
    deserialize,
    /** A name, an instance, a function, a class or a serialized dict; null/undefined gives null. */
    get(identifier: T | F | string | SerializedObject | null | undefined): T | null {
      if (identifier == null) return null;
      if (identifier instanceof base) return identifier;
      if (typeof identifier === "function") return toInstance(identifier, identifier);
      return deserialize(identifier as SerializedObject | string);
    },
  };
}
