/**
 * keras.activations: the activation functions by their Keras names, and
 * `get` / `serialize` / `deserialize` to go between names and functions.
 */
import type { Tensor } from "../backend/tfjs.js";
import {
  getRegisteredName,
  getRegisteredObject,
  isCustomRegistered,
  registerBuiltin,
} from "../saving/object-registration.js";
import { isSerializedObject, type SerializedObject } from "../saving/serialized.js";
import * as A from "./activations.js";
import type { ActivationFn } from "./activations.js";

export * from "./activations.js";

/** Anything `get` accepts: a Keras name, a function, a serialized function, or null/undefined for linear. */
export type ActivationLike = string | ActivationFn | SerializedObject | null | undefined;

/** Keras name → function, as keras.activations.ALL_OBJECTS_DICT (with the swish / hard_swish aliases). */
const TABLE: Record<string, ActivationFn> = {
  relu: (x) => A.relu(x),
  leaky_relu: (x) => A.leakyRelu(x),
  relu6: A.relu6,
  softmax: (x) => A.softmax(x),
  celu: (x) => A.celu(x),
  elu: (x) => A.elu(x),
  selu: A.selu,
  softplus: A.softplus,
  softsign: A.softsign,
  squareplus: (x) => A.squareplus(x),
  soft_shrink: (x) => A.softShrink(x),
  sparse_plus: A.sparsePlus,
  silu: A.silu,
  gelu: (x) => A.gelu(x),
  glu: (x) => A.glu(x),
  tanh: A.tanh,
  tanh_shrink: A.tanhShrink,
  sigmoid: A.sigmoid,
  sparse_sigmoid: A.sparseSigmoid,
  exponential: A.exponential,
  hard_sigmoid: A.hardSigmoid,
  hard_silu: A.hardSilu,
  hard_tanh: A.hardTanh,
  hard_shrink: (x) => A.hardShrink(x),
  linear: A.linear,
  mish: A.mish,
  log_softmax: (x) => A.logSoftmax(x),
  log_sigmoid: A.logSigmoid,
  sparsemax: (x) => A.sparsemax(x),
};

/**
 * `threshold` has no defaults in Keras (its threshold and default value are
 * required), so by name it cannot be called with `x` alone; it is listed
 * for completeness and throws a clear error when used bare.
 */
TABLE.threshold = (): Tensor => {
  throw new Error(
    "The 'threshold' activation needs its `threshold` and `default_value` arguments: " +
      "use (x) => keras.activations.threshold(x, threshold, defaultValue).",
  );
};

/** The exported public functions (camelCase) → their Keras name, for `serialize`. */
const NAME_OF = new Map<unknown, string>();
const exported: [unknown, string][] = [
  [A.relu, "relu"],
  [A.leakyRelu, "leaky_relu"],
  [A.relu6, "relu6"],
  [A.softmax, "softmax"],
  [A.celu, "celu"],
  [A.elu, "elu"],
  [A.selu, "selu"],
  [A.softplus, "softplus"],
  [A.softsign, "softsign"],
  [A.squareplus, "squareplus"],
  [A.softShrink, "soft_shrink"],
  [A.sparsePlus, "sparse_plus"],
  [A.silu, "silu"],
  [A.gelu, "gelu"],
  [A.glu, "glu"],
  [A.tanh, "tanh"],
  [A.tanhShrink, "tanh_shrink"],
  [A.threshold, "threshold"],
  [A.sigmoid, "sigmoid"],
  [A.sparseSigmoid, "sparse_sigmoid"],
  [A.exponential, "exponential"],
  [A.hardSigmoid, "hard_sigmoid"],
  [A.hardSilu, "hard_silu"],
  [A.hardTanh, "hard_tanh"],
  [A.hardShrink, "hard_shrink"],
  [A.linear, "linear"],
  [A.mish, "mish"],
  [A.logSoftmax, "log_softmax"],
  [A.logSigmoid, "log_sigmoid"],
  [A.sparsemax, "sparsemax"],
];
for (const [fn, name] of exported) NAME_OF.set(fn, name);
for (const [name, fn] of Object.entries(TABLE)) if (!NAME_OF.has(fn)) NAME_OF.set(fn, name);
TABLE.swish = TABLE.silu;
TABLE.hard_swish = TABLE.hard_silu;
for (const [name, fn] of Object.entries(TABLE)) registerBuiltin("keras.activations", fn as (...args: never[]) => unknown, name);

/** Every name `get` accepts, sorted. */
export const ACTIVATION_NAMES: readonly string[] = Object.keys(TABLE).sort();

function unknownName(identifier: string): Error {
  return new Error(
    `Could not interpret activation function identifier: '${identifier}'. ` +
      `Expected one of: ${ACTIVATION_NAMES.join(", ")} (or a function, or a name registered with registerKerasSerializable).`,
  );
}

function byName(name: string): ActivationFn | undefined {
  const hit = TABLE[name];
  if (hit) return hit;
  const custom = getRegisteredObject(name);
  // A built-in registered elsewhere under the same name (e.g. a layer class) is not an activation.
  if (typeof custom === "function" && isCustomRegistered(custom)) return custom as unknown as ActivationFn;
  return undefined;
}

/**
 * The activation function for `identifier`: a Keras name (`"relu"`), a
 * function (returned as is), a serialized function
 * (`{class_name: "function", config: "relu"}`), or null/undefined for linear.
 * An unknown name throws an Error listing every valid name.
 */
export function get(identifier: ActivationLike): ActivationFn {
  if (identifier == null) return A.linear;
  if (typeof identifier === "function") return identifier;
  if (typeof identifier === "string") {
    const fn = byName(identifier);
    if (!fn) throw unknownName(identifier);
    return fn;
  }
  if (isSerializedObject(identifier)) return deserialize(identifier);
  throw new Error(`Could not interpret activation function identifier: ${JSON.stringify(identifier)}`);
}

/** The Keras name of a built-in activation (`"relu"`); a registered custom function gives its serialized form. */
export function serialize(activation: ActivationFn | ((...args: never[]) => unknown)): string | SerializedObject {
  const name = NAME_OF.get(activation);
  if (name) return name;
  if (isCustomRegistered(activation)) {
    const registered = getRegisteredName(activation);
    return { module: null, class_name: "function", config: registered, registered_name: registered };
  }
  throw new Error(
    `Unknown activation function '${activation.name || String(activation)}' cannot be serialized due to invalid ` +
      "function name. Make sure to use an activation name that matches the references defined in " +
      "keras.activations or use `keras.saving.registerKerasSerializable()` to register any custom activations.",
  );
}

/** The activation function for a name or a serialized function config. */
export function deserialize(config: string | SerializedObject, customObjects?: Record<string, unknown>): ActivationFn {
  if (typeof config === "string") {
    const custom = customObjects?.[config];
    if (typeof custom === "function") return custom as ActivationFn;
    const fn = byName(config);
    if (!fn) throw unknownName(config);
    return fn;
  }
  if (config.class_name === "function" || config.class_name === "__function__") {
    const name = typeof config.config === "string" ? config.config : (config.registered_name ?? "");
    const custom = customObjects?.[name] ?? (config.registered_name ? customObjects?.[config.registered_name] : undefined);
    if (typeof custom === "function") return custom as ActivationFn;
    const fn = byName(name) ?? (config.registered_name ? byName(config.registered_name) : undefined);
    if (!fn) throw unknownName(name);
    return fn;
  }
  const fn = byName(config.registered_name ?? config.class_name);
  if (fn) return fn;
  throw new Error(
    `Could not interpret serialized activation function: ${JSON.stringify(config)}. ` +
      `Expected a function config ({"class_name": "function", "config": <name>}) with a name among: ${ACTIVATION_NAMES.join(", ")}.`,
  );
}
