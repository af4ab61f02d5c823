/**
 * Keras's `serialization_lib`: objects ⇄ the JSON of `config.json`.
 *
 * `serializeKerasObject` turns layers, models, initializers, regularizers,
 * constraints, activations, dtype policies, KerasTensors and tensors into
 * `{module, class_name, config, registered_name, ...}` dicts (and plain
 * values into themselves). `deserializeKerasObject` does the reverse,
 * resolving classes through the registry: custom objects and
 * `registerKerasSerializable` names (`Package>Name`) first, then the
 * built-ins by class name and module.
 */
import { tf, type Tensor } from "../backend/tfjs.js";
import { KerasTensor, type Shape } from "../backend/keras-tensor.js";
import { standardizeDtype, type DType } from "../backend/dtypes.js";
import { Variable } from "../backend/variable.js";
import { Operation } from "../ops/operation.js";
import { Layer } from "../layers/layer.js";
import { DTypePolicy } from "../dtype-policies/dtype-policy.js";
import { Initializer } from "../initializers/initializer.js";
import { Regularizer } from "../regularizers/regularizer.js";
import { Constraint } from "../constraints/constraint.js";
import * as initializers from "../initializers/index.js";
import * as regularizers from "../regularizers/index.js";
import * as constraints from "../constraints/index.js";
import * as activations from "../activations/index.js";
import { isPlainObject } from "../utils/tree.js";
import {
  getBuiltin,
  getBuiltinModule,
  getRegisteredName,
  getRegisteredObject,
  isCustomRegistered,
  withCustomObjects,
} from "./object-registration.js";
import { isSerializedObject, type SerializedObject } from "./serialized.js";
import { inSafeMode, unsafeCodeMessage } from "./safe-mode.js";
import * as opsModule from "../ops/index.js";
import { Sequential } from "../models/sequential.js";
import { Functional } from "../models/functional.js";
import { Model } from "../models/model.js";
import { functionalFromConfig, sequentialFromConfig, serializeFunctionalConfig, serializeSequentialConfig } from "./model-config.js";

/** Custom classes or functions by name (class name or registered name), as Keras's `custom_objects`. */
export type CustomObjects = Record<string, unknown>;

/** Options of `deserializeKerasObject`. */
export interface DeserializeOptions {
  /**
   * Refuse to evaluate code stored in a config (a Lambda layer's function).
   * Default true, unless `keras.config.enableUnsafeDeserialization()` was
   * called. With false, JavaScript source saved by tskeras is evaluated;
   * Python lambdas can never be loaded.
   */
  safeMode?: boolean;
  /** Whether to call `compileFromConfig` on models with a `compile_config`. Default true. */
  compile?: boolean;
}

/** A JSON value as written in config.json. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

// ------------------------------------------------------------------ errors

/** Thrown when a config names a class or function that is neither registered nor built in. */
export class UnknownObjectError extends TypeError {
  readonly className: string;
  readonly module: string | null;

  constructor(kind: "class" | "function", name: string, module: string | null, registeredName: string | null, fullConfig: unknown) {
    const where = module ? ` (module '${module}'${registeredName && registeredName !== name ? `, registered name '${registeredName}'` : ""})` : registeredName && registeredName !== name ? ` (registered name '${registeredName}')` : "";
    super(
      `Could not locate ${kind} '${name}'${where}. ` +
        (module && (module === "keras" || module.startsWith("keras."))
          ? `tskeras has no built-in ${kind} of that name (it may not be implemented yet). `
          : "") +
        `Make sure custom classes and functions are registered with \`registerKerasSerializable()\` ` +
        `(and that the module registering them is imported before loading), or pass them in ` +
        `\`customObjects\`, e.g. loadModel(path, { customObjects: { ${JSON.stringify(registeredName ?? name)}: ${name} } }). ` +
        `Full object config: ${truncate(safeJson(fullConfig), 600)}`,
    );
    this.name = "UnknownObjectError";
    this.className = name;
    this.module = module;
  }
}

function safeJson(x: unknown): string {
  try {
    return JSON.stringify(x);
  } catch {
    return String(x);
  }
}

function truncate(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n)}...` : s;
}

// ------------------------------------------------------------------ serialize

/** The class name written for an object: `Dense`, `Functional`, or an op's name. */
function classNameOf(obj: object): string {
  if (obj instanceof Operation) return obj.className;
  return obj.constructor.name;
}

/** `{module, class_name, registered_name}` for an instance of a built-in, registered or plain user class. */
function classIdentity(obj: object): { module: string | null; class_name: string; registered_name: string | null } {
  const cls = obj.constructor;
  const className = classNameOf(obj);
  if (isCustomRegistered(cls)) return { module: null, class_name: className, registered_name: getRegisteredName(cls) };
  const module = getBuiltinModule(cls);
  if (module !== undefined) {
    // Non-exported Keras classes (Functional) carry their Python module and registered_name = class name.
    return { module, class_name: className, registered_name: module.startsWith("keras.src.") ? className : null };
  }
  return { module: null, class_name: className, registered_name: className };
}

interface HasGetConfig {
  getConfig(): Record<string, unknown>;
}

function hasGetConfig(x: unknown): x is HasGetConfig {
  return typeof (x as { getConfig?: unknown })?.getConfig === "function";
}

/** The `compile_config` a model carries: `getCompileConfig()` when the trainer defines it, else the loaded `compileConfig`. */
function compileConfigOf(model: Model): Record<string, unknown> | null {
  const m = model as unknown as { getCompileConfig?: () => Record<string, unknown> | null; compileConfig?: Record<string, unknown> | null };
  if (typeof m.getCompileConfig === "function") return m.getCompileConfig() ?? {};
  return m.compileConfig ?? {};
}

function serializeTensorValue(t: Tensor): SerializedObject {
  return { class_name: "__tensor__", config: { value: t.arraySync() as unknown as JsonValue, dtype: t.dtype } };
}

/**
 * Serializes the config returned by `getConfig()`: nested objects (layers,
 * initializers, tensors, ...) become their serialized dicts, plain values
 * stay.
 */
export function serializeDict(config: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(config)) out[k] = serializeKerasObject(v);
  return out;
}

/**
 * Keras's `serialize_keras_object`: the JSON-ready form of `obj`.
 *
 * - numbers, strings, booleans, null: themselves; arrays and plain objects: serialized element-wise;
 * - built-in activations: their name (`"relu"`); registered functions: `{class_name: "function", ...}`;
 * - layers and models: `{module, class_name, config, registered_name, build_config?, compile_config?}`;
 * - Sequential and Functional models include their layers (and inbound nodes);
 * - initializers, regularizers, constraints, dtype policies: their serialized dicts;
 * - KerasTensors: `__keras_tensor__`; tensors and variables: `__tensor__`; typed arrays: `__numpy__`.
 */
export function serializeKerasObject(obj: unknown): unknown {
  if (obj === null || obj === undefined) return null;
  if (typeof obj === "number" || typeof obj === "string" || typeof obj === "boolean") return obj;
  if (typeof obj === "bigint") return Number(obj);
  if (Array.isArray(obj)) return obj.map(serializeKerasObject);
  if (obj instanceof KerasTensor) {
    const h = obj.kerasHistory;
    return {
      class_name: "__keras_tensor__",
      config: { shape: [...obj.shape], dtype: obj.dtype, keras_history: h ? [h.operation.name, h.nodeIndex, h.tensorIndex] : null },
    };
  }
  if (obj instanceof Variable) return serializeTensorValue(obj.value);
  if (obj instanceof tf.Tensor) return serializeTensorValue(obj);
  if (ArrayBuffer.isView(obj)) {
    const dtype = obj instanceof Int32Array ? "int32" : obj instanceof Uint8Array ? "uint8" : obj instanceof Float64Array ? "float64" : "float32";
    return { class_name: "__numpy__", config: { value: Array.from(obj as unknown as ArrayLike<number>), dtype } };
  }
  if (isPlainObject(obj)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(obj)) out[k] = serializeKerasObject(v);
    return out;
  }
  if (obj instanceof DTypePolicy) return obj.serialize();
  if (obj instanceof Initializer) return initializers.serialize(obj);
  if (obj instanceof Regularizer) return regularizers.serialize(obj);
  if (obj instanceof Constraint) return constraints.serialize(obj);
  if (obj instanceof Sequential) return serializeModel(obj, serializeSequentialConfig(obj));
  if (obj instanceof Functional && isFunctionalLike(obj)) return serializeModel(obj, serializeFunctionalConfig(obj));
  if (obj instanceof Layer || obj instanceof Operation) {
    const out = withConfig(classIdentity(obj), serializeDict(obj.getConfig()));
    if (obj instanceof Layer) {
      const build = obj.getBuildConfig();
      if (build) out.build_config = serializeDict(build);
      if (obj instanceof Model) out.compile_config = serializeKerasObject(compileConfigOf(obj)) as Record<string, unknown>;
    }
    return out;
  }
  if (typeof obj === "function") return serializeFunction(obj as (...args: never[]) => unknown);
  if (hasGetConfig(obj)) return withConfig(classIdentity(obj), serializeDict(obj.getConfig()));
  throw new TypeError(
    `Cannot serialize ${String(obj)} (of type ${(obj as object).constructor?.name ?? typeof obj}): ` +
      "it is not a Keras object (no getConfig()) nor a JSON value.",
  );
}

/** `{module, class_name, config, registered_name}` in Keras's key order. */
function withConfig(id: { module: string | null; class_name: string; registered_name: string | null }, config: unknown): SerializedObject {
  return { module: id.module, class_name: id.class_name, config: config as SerializedObject["config"], registered_name: id.registered_name };
}

function serializeModel(model: Model, config: Record<string, unknown>): SerializedObject {
  const out = withConfig(classIdentity(model), config);
  // A Functional graph is built by its constructor: Keras records no build shapes for it.
  const build = model instanceof Functional ? null : model.getBuildConfig();
  if (build) out.build_config = serializeDict(build);
  else if (model instanceof Functional) out.build_config = { input_shape: null };
  out.compile_config = serializeKerasObject(compileConfigOf(model)) as Record<string, unknown>;
  return out;
}

/** Whether a Functional (sub)class keeps Functional's constructor, so its config is the graph (Keras's `functional_like_constructor`). */
function isFunctionalLike(model: Functional): boolean {
  const ctor = model.constructor as { functionalLikeConstructor?: boolean };
  return model.constructor === Functional || ctor.functionalLikeConstructor !== false;
}

function serializeFunction(fn: (...args: never[]) => unknown): unknown {
  try {
    return activations.serialize(fn as activations.ActivationFn);
  } catch {
    // not an activation
  }
  if (isCustomRegistered(fn)) {
    const name = getRegisteredName(fn);
    return { module: null, class_name: "function", config: name, registered_name: name };
  }
  const module = getBuiltinModule(fn);
  if (module !== undefined) return { module, class_name: "function", config: fn.name, registered_name: null };
  throw new TypeError(
    `Cannot serialize the function '${fn.name || "<anonymous>"}': register it with registerKerasSerializable() ` +
      "so a saved model can refer to it by name.",
  );
}

// ------------------------------------------------------------------ deserialize

/** `keras_history` of KerasTensors rebuilt from config, before they are wired to layers (Keras's `_pre_serialization_keras_history`). */
const preHistory = new WeakMap<KerasTensor, [string, number, number]>();

/** The `[layer_name, node_index, tensor_index]` a deserialized KerasTensor was saved with, or undefined. */
export function preSerializationHistory(t: KerasTensor): [string, number, number] | undefined {
  return preHistory.get(t);
}

let sharedObjects: Map<number, unknown> | null = null;

/**
 * Runs `fn` with a fresh scope for `shared_object_id` (Keras's
 * `ObjectSharingScope`): an object serialized several times in one file is
 * rebuilt once and reused.
 */
export function withObjectSharingScope<T>(fn: () => T): T {
  if (sharedObjects) return fn();
  sharedObjects = new Map();
  try {
    return fn();
  } finally {
    sharedObjects = null;
  }
}

interface FromConfigClass {
  fromConfig(config: Record<string, unknown>, customObjects?: CustomObjects): unknown;
}

function hasFromConfig(x: unknown): x is FromConfigClass {
  return typeof (x as { fromConfig?: unknown })?.fromConfig === "function";
}

function isClass(x: unknown): boolean {
  if (typeof x !== "function") return false;
  if ((x as { prototype?: unknown }).prototype instanceof Layer || x === Layer) return true;
  try {
    return /^class[\s{]/.test(Function.prototype.toString.call(x));
  } catch {
    return false;
  }
}

/** Finds a class (or function) for a config entry, as Keras's `_retrieve_class_or_fn`. */
function retrieveClassOrFn(
  name: string,
  registeredName: string | null,
  module: string | null,
  kind: "class" | "function",
  fullConfig: unknown,
  customObjects: CustomObjects,
): unknown {
  const keys = kind === "function" ? [name, registeredName] : [registeredName ?? name, name];
  for (const key of keys) {
    if (!key) continue;
    if (customObjects[key] !== undefined) return customObjects[key];
  }
  for (const key of keys) {
    if (!key) continue;
    const reg = getRegisteredObject(key);
    if (reg !== undefined && (isCustomRegistered(reg) || key.includes(">"))) return reg;
  }
  if (kind === "function") {
    const mod = module === null || module === "builtins" ? null : module;
    const fnName = registeredName && !registeredName.includes(">") ? registeredName : name;
    const hit = getBuiltin(fnName, mod ?? "keras.activations") ?? getBuiltin(name, mod);
    if (hit) return hit.cls;
    // Keras <= 3.6 saved custom functions by bare name: match `pkg>name`.
    for (const [k, v] of Object.entries(customObjects)) if (k.endsWith(`>${name}`)) return v;
    throw new UnknownObjectError("function", name, module, registeredName, fullConfig);
  }
  const hit = getBuiltin(name, module);
  if (hit) return hit.cls;
  throw new UnknownObjectError("class", name, module, registeredName, fullConfig);
}

/** A model is built from the graph in its config (Sequential and Functional) rather than by its constructor. */
function instantiate(cls: unknown, inner: Record<string, unknown>, customObjects: CustomObjects, options: DeserializeOptions): unknown {
  if (cls === Sequential || (typeof cls === "function" && (cls as { prototype?: unknown }).prototype instanceof Sequential)) {
    return sequentialFromConfig(cls as typeof Sequential, inner, customObjects, options);
  }
  const graphConfig = "layers" in inner && "input_layers" in inner && "output_layers" in inner;
  if (graphConfig && (cls === Functional || cls === Model || (typeof cls === "function" && (cls as { prototype?: unknown }).prototype instanceof Functional))) {
    return functionalFromConfig(cls === Model ? Functional : (cls as typeof Functional), inner, customObjects, options);
  }
  if (hasFromConfig(cls)) return cls.fromConfig(inner, customObjects);
  if (isClass(cls)) return new (cls as new (o: Record<string, unknown>) => unknown)(inner);
  throw new TypeError(`Unable to reconstruct an instance of ${String((cls as { name?: string }).name)}: the class has no \`fromConfig()\`.`);
}

/**
 * Keras's `deserialize_keras_object`: rebuilds the object a serialized dict
 * describes. Lists and plain dicts are deserialized element-wise, plain
 * values returned as they are. Classes are looked up in `customObjects`
 * (by registered name or class name), then among the classes registered
 * with `registerKerasSerializable`, then among the built-ins (by class
 * name and module). An unknown class throws `UnknownObjectError`.
 * A `build_config` builds the object; a model's `compile_config` is kept as
 * `model.compileConfig`.
 */
export function deserializeKerasObject(config: unknown, customObjects: CustomObjects = {}, options: DeserializeOptions = {}): unknown {
  return withObjectSharingScope(() => withCustomObjects(customObjects, () => deserializeInner(config, customObjects, options)));
}

function deserializeInner(config: unknown, customObjects: CustomObjects, options: DeserializeOptions): unknown {
  if (config === null || config === undefined) return null;
  if (typeof config === "string") {
    const custom = customObjects[config];
    return custom !== undefined ? custom : config;
  }
  if (typeof config === "number" || typeof config === "boolean") return config;
  if (Array.isArray(config)) return config.map((c) => deserializeInner(c, customObjects, options));
  if (!isPlainObject(config)) throw new TypeError(`Could not parse config: ${truncate(safeJson(config), 300)}`);
  if (!("class_name" in config) || !("config" in config)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(config)) out[k] = deserializeInner(v, customObjects, options);
    return out;
  }
  const full = config as SerializedObject;
  const className = String(full.class_name);
  const inner = (full.config ?? {}) as Record<string, unknown> | string;
  const innerDict = typeof inner === "object" && inner !== null ? inner : {};

  switch (className) {
    case "__keras_tensor__": {
      const c = innerDict as { shape: Shape; dtype: string; keras_history?: [string, number, number] | null };
      const t = new KerasTensor(c.shape, { dtype: standardizeDtype(c.dtype) });
      if (c.keras_history) preHistory.set(t, [c.keras_history[0], c.keras_history[1], c.keras_history[2]]);
      return t;
    }
    case "__tensor__":
    case "__numpy__": {
      const c = innerDict as { value: unknown; dtype: string };
      const dtype = tfDtype(c.dtype);
      return tf.tensor(c.value as number[], undefined, dtype);
    }
    case "__bytes__":
      return new TextEncoder().encode(String((innerDict as { value: string }).value));
    case "__ellipsis__":
      return "...";
    case "__slice__": {
      const c = innerDict as { start: unknown; stop: unknown; step: unknown };
      return {
        start: deserializeInner(c.start, customObjects, options),
        stop: deserializeInner(c.stop, customObjects, options),
        step: deserializeInner(c.step, customObjects, options),
      };
    }
    case "__lambda__":
      return loadLambda(full, "a lambda in a config", customObjects, options);
    case "__typespec__":
      throw new Error("`__typespec__` configs (TensorFlow type specs) are not supported by tskeras.");
    default:
      break;
  }

  const module = typeof full.module === "string" ? full.module : null;
  const registeredName = typeof full.registered_name === "string" ? full.registered_name : null;

  if (className === "function") {
    if (typeof inner !== "string") {
      throw new TypeError(`Expected 'config' to be a non-null string for a function class_name, got ${truncate(safeJson(inner), 200)}.`);
    }
    return retrieveClassOrFn(inner, registeredName ?? inner, module, "function", full, customObjects);
  }
  if (typeof inner !== "object" || inner === null) {
    throw new TypeError(`Expected 'config' to be a dict for ${className}, got ${truncate(safeJson(inner), 200)}.`);
  }
  const sharedId = typeof full.shared_object_id === "number" ? full.shared_object_id : null;
  if (sharedId !== null && sharedObjects?.has(sharedId)) return sharedObjects.get(sharedId);

  const cls = retrieveClassOrFn(className, registeredName, module, "class", full, customObjects);
  if (!isClass(cls) && typeof cls === "function" && !hasFromConfig(cls)) return cls;
  const innerResolved = resolveLambdas(inner, className, customObjects, options);
  const instance =
    cls === DTypePolicy ? new DTypePolicy((inner as { name?: string }).name) : instantiate(cls, innerResolved as Record<string, unknown>, customObjects, options);
  if (instance instanceof Layer) {
    const build = full.build_config;
    if (build && !instance.built) {
      instance.buildFromConfig(build);
      instance.built = true;
    }
    if (instance instanceof Model) attachCompileConfig(instance, full.compile_config ?? null, options);
  }
  if (sharedId !== null && sharedObjects) sharedObjects.set(sharedId, instance);
  return instance;
}

/** The language tskeras marks JavaScript source with in `__lambda__` configs. */
const JS_SOURCE = "javascript";

/**
 * A `__lambda__` config: refused in safe mode (with how to allow it);
 * otherwise JavaScript source written by tskeras is evaluated, with `tf`,
 * `ops` (keras.ops) and the custom objects whose names are identifiers in
 * scope. Python lambdas (bytecode) cannot be loaded at all.
 */
function loadLambda(full: SerializedObject, what: string, customObjects: CustomObjects, options: DeserializeOptions): unknown {
  const c = isPlainObject(full.config) ? full.config : {};
  if (inSafeMode(options.safeMode)) throw new Error(unsafeCodeMessage(what));
  if (c.language !== JS_SOURCE || typeof c.code !== "string") {
    throw new Error(
      `Cannot load ${what}: it is a Python lambda (stored as Python bytecode), which tskeras cannot run. ` +
        "Replace it by a registered function or a custom layer (registerKerasSerializable), or pass it in customObjects.",
    );
  }
  const names = Object.keys(customObjects).filter((k) => /^[A-Za-z_$][\w$]*$/.test(k) && k !== "tf" && k !== "ops");
  let fn: unknown;
  try {
    // eslint-disable-next-line @typescript-eslint/no-implied-eval
    const factory = new Function("tf", "ops", ...names, `"use strict"; return (${c.code}\n);`) as (...args: unknown[]) => unknown;
    fn = factory(tf, opsModule, ...names.map((k) => customObjects[k]));
  } catch (e) {
    throw new Error(`Cannot load ${what}: its JavaScript source does not evaluate to a function (${(e as Error).message}).`);
  }
  if (typeof fn !== "function") throw new Error(`Cannot load ${what}: its JavaScript source does not evaluate to a function.`);
  return fn;
}

/** Replaces the `__lambda__` values of a class's config (a Lambda's `function`, `output_shape`, `mask`) by functions, or refuses them. */
function resolveLambdas(
  inner: Record<string, unknown> | string,
  className: string,
  customObjects: CustomObjects,
  options: DeserializeOptions,
): Record<string, unknown> | string {
  if (typeof inner !== "object" || inner === null) return inner;
  let out: Record<string, unknown> | null = null;
  for (const [k, v] of Object.entries(inner)) {
    if (isSerializedObject(v) && v.class_name === "__lambda__") {
      out ??= { ...inner };
      out[k] = loadLambda(v, `a \`${className}\` layer whose \`${k}\` is a lambda`, customObjects, options);
    }
  }
  return out ?? inner;
}

function attachCompileConfig(model: Model, compileConfig: Record<string, unknown> | null, options: DeserializeOptions): void {
  const m = model as Model & { compileConfig?: Record<string, unknown> | null; compileFromConfig?: (c: Record<string, unknown>) => void };
  const cfg = compileConfig && Object.keys(compileConfig).length > 0 ? compileConfig : null;
  m.compileConfig = cfg;
  if (cfg && options.compile !== false && typeof m.compileFromConfig === "function") m.compileFromConfig(cfg);
}

function tfDtype(dtype: string): DType {
  try {
    return standardizeDtype(dtype);
  } catch {
    return "float32";
  }
}
