/**
 * Lambda: wraps a function as a layer (Keras's `layers/core/lambda_layer.py`).
 */
import type { Tensor } from "../../backend/tfjs.js";
import type { Shape } from "../../backend/keras-tensor.js";
import {
  getRegisteredName,
  getRegisteredObject,
  isCustomRegistered,
} from "../../saving/object-registration.js";
import { isSerializedObject, type SerializedObject } from "../../saving/serialized.js";
import { registerBuiltin } from "../../saving/object-registration.js";
import { isPlainObject } from "../../utils/tree.js";
import { Layer, type CallArgs, type LayerArgs } from "../layer.js";
import { isShapeLike } from "../layer-utils.js";

/** What a Lambda's function receives besides its inputs: the `arguments` option plus `mask` and `training`. */
export interface LambdaCallKwargs {
  mask?: unknown;
  training?: boolean | null;
  [key: string]: unknown;
}

/**
 * The function a Lambda wraps: `(inputs, kwargs) => outputs`. `inputs` is
 * what the layer is called with (a tensor, or a list or dict of tensors).
 * Declared as a method type so `(x: Tensor) => Tensor` is accepted.
 */
export type LambdaFunction = {
  fn(inputs: Tensor & Tensor[] & Record<string, Tensor>, kwargs: LambdaCallKwargs): unknown;
}["fn"];

/** A Lambda's `outputShape`: a shape without the batch dimension, or a function of the input shape. */
export type LambdaOutputShape = Shape | Shape[] | ((inputShape: unknown) => unknown);

/** A Lambda's `mask`: a fixed mask, or a function `(inputs, mask) => mask`. */
export type LambdaMask = Tensor | ((inputs: unknown, mask: unknown) => unknown);

/** Options of Lambda. */
export interface LambdaArgs extends LayerArgs {
  /** The function to wrap (also the first positional argument). */
  function?: LambdaFunction | SerializedObject;
  /**
   * The output shape without the batch dimension, or a function from the
   * input shape to the full output shape. Default: inferred by running the
   * function on placeholder inputs.
   */
  outputShape?: LambdaOutputShape | SerializedObject | null;
  /** The output mask, or a function computing it. Default none. */
  mask?: LambdaMask | null;
  /** Extra keyword arguments passed to the function. Default `{}`. */
  arguments?: Record<string, unknown> | null;
}

/**
 * Marker written in configs for a function kept as JavaScript source text.
 * Keras stores Python lambdas as `{"class_name": "__lambda__", "config":
 * {"code": <Python bytecode>, ...}}`; tskeras writes the JS source under
 * `code` and marks it with `language: "javascript"`, and never evaluates it
 * when loading.
 */
export const JS_SOURCE_LANGUAGE = "javascript";

function serializeFunctionConfig(fn: (...args: never[]) => unknown): SerializedObject {
  if (isCustomRegistered(fn)) {
    const registered = getRegisteredName(fn);
    return { module: null, class_name: "function", config: registered, registered_name: registered };
  }
  return {
    module: null,
    class_name: "__lambda__",
    config: { code: Function.prototype.toString.call(fn), defaults: null, closure: null, language: JS_SOURCE_LANGUAGE },
    registered_name: null,
  };
}

function deserializeFunctionConfig(value: unknown, what: string, customObjects?: Record<string, unknown>): unknown {
  if (typeof value === "function" || !isSerializedObject(value)) return value;
  if (value.class_name === "__lambda__") {
    throw new Error(
      `Requested the deserialization of a \`Lambda\` layer whose \`${what}\` is stored as source code. ` +
        "tskeras never evaluates code from a config: register the function with " +
        "`keras.saving.registerKerasSerializable()` before saving, or pass it in `customObjects` " +
        `(keyed by its name) when loading.`,
    );
  }
  if (value.class_name === "function") {
    const name = typeof value.config === "string" ? value.config : String(value.registered_name ?? "");
    const fn = customObjects?.[name] ?? (value.registered_name ? customObjects?.[value.registered_name] : undefined) ?? getRegisteredObject(name);
    if (typeof fn === "function") return fn;
    throw new Error(
      `Could not find the function '${name}' of a Lambda layer's \`${what}\`. Register it with ` +
        "`keras.saving.registerKerasSerializable()` or pass it in `customObjects`.",
    );
  }
  return value;
}

/**
 * Wraps a function as a layer, for quick experiments in Sequential and
 * Functional models. Prefer a Layer subclass for anything with state.
 *
 * ```ts
 * const square = layers.Lambda((x: Tensor) => tf.square(x));
 * ```
 */
export class Lambda extends Layer {
  /** The wrapped function. */
  readonly function: LambdaFunction;
  /** Extra keyword arguments passed to the function. */
  readonly lambdaArguments: Record<string, unknown>;
  /** The output mask or its function. */
  readonly mask: LambdaMask | null;
  private readonly outputShapeArg: LambdaOutputShape | null;

  /** `new Lambda((x) => tf.square(x))` or `new Lambda({ function: fn, outputShape: [4] })`. */
  constructor(fn: LambdaFunction | LambdaArgs, args: LambdaArgs = {}) {
    const opts: LambdaArgs = typeof fn === "function" ? { ...args, function: fn } : { ...fn };
    const f = opts.function;
    if (typeof f !== "function") {
      throw new Error(`Lambda: \`function\` must be a function. Received: ${typeof f}`);
    }
    super(opts);
    this.function = f;
    this.lambdaArguments = opts.arguments ?? {};
    this.mask = opts.mask ?? null;
    this.supportsMasking = this.mask !== null;
    const os = opts.outputShape ?? null;
    if (os !== null && typeof os !== "function" && !Array.isArray(os)) {
      throw new Error(`Lambda: \`outputShape\` must be a shape or a function. Received: ${JSON.stringify(os)}`);
    }
    this.outputShapeArg = os as LambdaOutputShape | null;
    this.built = true;
  }

  override call(inputs: unknown, kwargs: CallArgs = {}): unknown {
    const extra: LambdaCallKwargs = { ...this.lambdaArguments, mask: kwargs.mask, training: kwargs.training ?? null };
    return this.function(inputs as Tensor & Tensor[] & Record<string, Tensor>, extra);
  }

  override computeOutputShape(inputShape: unknown): unknown {
    const os = this.outputShapeArg;
    if (os === null) return super.computeOutputShape(inputShape);
    if (typeof os === "function") return os(inputShape);
    const first = firstShape(inputShape);
    const batch = first && first.length > 0 ? first[0] : null;
    if (isShapeLike(os)) return [batch, ...os];
    return (os as Shape[]).map((s) => [batch, ...s]);
  }

  override computeMask(inputs: unknown, mask?: unknown): unknown {
    if (typeof this.mask === "function") return this.mask(inputs, mask);
    return this.mask;
  }

  /**
   * `function` is stored as Keras stores functions: a registered function by
   * its registered name; any other function as its JavaScript source text
   * under `{class_name: "__lambda__", config: {code, language: "javascript"}}`
   * (kept for reading; `fromConfig` never evaluates it).
   */
  override getConfig(): Record<string, unknown> {
    const config: Record<string, unknown> = { function: serializeFunctionConfig(this.function) };
    const os = this.outputShapeArg;
    if (os !== null) {
      config.output_shape = typeof os === "function" ? serializeFunctionConfig(os) : os;
    }
    if (this.mask !== null) {
      if (typeof this.mask === "function") config.mask = serializeFunctionConfig(this.mask);
    }
    config.arguments = { ...this.lambdaArguments };
    return { ...super.getConfig(), ...config };
  }

  /**
   * Rebuilds a Lambda from its config. A function stored as source text is
   * not evaluated: pass it in `customObjects` or register it instead.
   */
  static override fromConfig<T extends Layer>(
    this: new (args: never) => T,
    config: Record<string, unknown>,
    customObjects?: Record<string, unknown>,
  ): T {
    const fn = deserializeFunctionConfig(config.function, "function", customObjects);
    const outputShape =
      config.output_shape === undefined ? null : deserializeFunctionConfig(config.output_shape, "output_shape", customObjects);
    const mask = config.mask === undefined ? null : deserializeFunctionConfig(config.mask, "mask", customObjects);
    const args: LambdaArgs = {
      name: config.name as string | undefined,
      trainable: config.trainable as boolean | undefined,
      dtype: config.dtype as LambdaArgs["dtype"],
      function: fn as LambdaFunction,
      outputShape: outputShape as LambdaOutputShape | null,
      mask: typeof mask === "function" ? (mask as LambdaMask) : null,
      arguments: isPlainObject(config.arguments) ? config.arguments : {},
    };
    return new this(args as never);
  }
}
registerBuiltin("keras.layers", Lambda);

function firstShape(s: unknown): Shape | null {
  if (isShapeLike(s)) return s;
  if (Array.isArray(s) && s.length > 0) return firstShape(s[0]);
  if (isPlainObject(s)) {
    const keys = Object.keys(s).sort();
    return keys.length ? firstShape(s[keys[0]]) : null;
  }
  return null;
}
