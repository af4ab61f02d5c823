/**
 * The registry of serializable classes: Keras's built-ins under their module
 * (`keras.layers` + `Dense`), and user classes under `Package>Name`
 * (`registerKerasSerializable`, Keras's `register_keras_serializable`).
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyConstructor = abstract new (...args: any[]) => object;

interface Entry {
  module: string;
  cls: AnyConstructor | ((...args: never[]) => unknown);
}

const builtins = new Map<string, Entry>(); // key: `${module}:${name}`
const builtinsByName = new Map<string, Entry[]>();
/** Keras's `GLOBAL_CUSTOM_OBJECTS`: registered name → class or function (what `getCustomObjects()` returns, live). */
const globalCustomObjects: Record<string, unknown> = {};
const customNames = new Map<unknown, string>();
const builtinModules = new Map<unknown, string>(); // class → first module it was registered under
const customScopes: Record<string, unknown>[] = [];

/** Registers a built-in class or function under Keras's module and name (e.g. `keras.layers`, `Dense`). */
export function registerBuiltin(
  module: string,
  cls: AnyConstructor | ((...args: never[]) => unknown),
  name: string = cls.name,
): void {
  const entry = { module, cls };
  if (!builtinModules.has(cls)) builtinModules.set(cls, module);
  builtins.set(`${module}:${name}`, entry);
  const list = builtinsByName.get(name) ?? [];
  list.push(entry);
  builtinsByName.set(name, list);
}

/** Finds a built-in by class name, preferring `module` when several modules use the name. */
export function getBuiltin(name: string, module?: string | null): Entry | undefined {
  if (module) {
    const hit = builtins.get(`${module}:${name}`);
    if (hit) return hit;
  }
  const list = builtinsByName.get(name);
  if (!list || list.length === 0) return undefined;
  if (module) {
    const m = list.find((e) => module.startsWith(e.module) || e.module.startsWith(module));
    if (m) return m;
  }
  return list[0];
}

/** The Keras module a built-in class was first registered under (`keras.layers` for Dense), or undefined. */
export function getBuiltinModule(cls: unknown): string | undefined {
  return builtinModules.get(cls);
}

/** The names registered in a module, e.g. every layer class name for `keras.layers`. */
export function builtinNames(module: string): string[] {
  const out: string[] = [];
  for (const key of builtins.keys()) if (key.startsWith(module + ":")) out.push(key.slice(module.length + 1));
  return out.sort();
}

/** Options of `registerKerasSerializable`. */
export interface RegisterOptions {
  /** The package part of the registered name. Default `"Custom"`. */
  package?: string;
  /** The name part. Default: the class name. */
  name?: string;
}

/**
 * Registers a custom class so configs and `.keras` files can refer to it as
 * `package>name`. Use as a function, `registerKerasSerializable()(MyLayer)`,
 * or as a decorator, `@registerKerasSerializable({ package: "my_pkg" })`.
 */
export function registerKerasSerializable(options: RegisterOptions = {}) {
  return <C extends AnyConstructor | ((...args: never[]) => unknown)>(cls: C, _context?: unknown): C => {
    const name = `${options.package ?? "Custom"}>${options.name ?? cls.name}`;
    globalCustomObjects[name] = cls;
    customNames.set(cls, name);
    return cls;
  };
}

/** The registered name of a class or object (`Custom>MyLayer`), or its class name when not registered. */
export function getRegisteredName(obj: unknown): string {
  const cls = typeof obj === "function" ? obj : (obj as object | null)?.constructor;
  const name = customNames.get(cls);
  if (name) return name;
  return (cls as { name?: string } | undefined)?.name ?? String(obj);
}

/** The class registered under `name` (custom first, then built-ins), or undefined. */
export function getRegisteredObject(
  name: string,
  customObjects?: Record<string, unknown>,
): AnyConstructor | ((...args: never[]) => unknown) | undefined {
  const fromCustom = customObjects?.[name];
  if (fromCustom) return fromCustom as AnyConstructor;
  for (let i = customScopes.length - 1; i >= 0; i--) {
    const scoped = customScopes[i][name];
    if (scoped) return scoped as AnyConstructor;
  }
  const reg = Object.hasOwn(globalCustomObjects, name) ? globalCustomObjects[name] : undefined;
  if (reg) return reg as AnyConstructor;
  return getBuiltin(name)?.cls;
}

/**
 * True when `cls` was registered with `registerKerasSerializable`, or is one
 * of the custom objects of an active `withCustomObjects` scope (Keras's
 * `CustomObjectScope`: while a model loads, its `customObjects` count as
 * registered).
 */
export function isCustomRegistered(cls: unknown): boolean {
  if (customNames.has(cls)) return true;
  if (Object.values(globalCustomObjects).includes(cls)) return true;
  return customScopes.some((scope) => Object.values(scope).includes(cls));
}

/**
 * Runs `fn` with `customObjects` visible to every lookup by name
 * (`getRegisteredObject`, and so the `get()` functions of activations,
 * initializers, ...), like Keras's `CustomObjectScope`. Scopes nest; the
 * innermost wins.
 */
export function withCustomObjects<T>(customObjects: Record<string, unknown> | null | undefined, fn: () => T): T {
  if (!customObjects || Object.keys(customObjects).length === 0) return fn();
  customScopes.push(customObjects);
  try {
    return fn();
  } finally {
    customScopes.pop();
  }
}

/** The custom objects of the active `withCustomObjects` scopes, merged (innermost last). */
export function activeCustomObjects(): Record<string, unknown> {
  return Object.assign({}, ...customScopes) as Record<string, unknown>;
}

/**
 * The global dictionary of custom objects (Keras's `get_custom_objects`):
 * registered name → class or function. It is live: adding an entry makes
 * the name resolvable when configs and `.keras` files are loaded, and
 * `registerKerasSerializable` adds its classes here.
 *
 * ```ts
 * keras.utils.getCustomObjects()["MyLayer"] = MyLayer;
 * ```
 */
export function getCustomObjects(): Record<string, unknown> {
  return globalCustomObjects;
}

/**
 * Exposes custom classes and functions to deserialization by name while the
 * scope is active (Keras's `CustomObjectScope`, used there as a `with`
 * block). Scopes nest; the innermost wins.
 *
 * ```ts
 * const scope = new keras.utils.CustomObjectScope({ MyLayer });
 * const model = scope.run(() => keras.models.modelFromJson(json));
 * // or: scope.enter(); ...; scope.exit();
 * ```
 */
export class CustomObjectScope {
  /** The custom objects of this scope (the arguments merged, later ones winning). */
  readonly customObjects: Record<string, unknown>;
  private entered = 0;

  constructor(...customObjects: (Record<string, unknown> | null | undefined)[]) {
    this.customObjects = Object.assign({}, ...customObjects.filter((o) => o)) as Record<string, unknown>;
  }

  /** Activates the scope (until {@link exit}); returns the scope. */
  enter(): this {
    customScopes.push(this.customObjects);
    this.entered++;
    return this;
  }

  /** Deactivates the scope (its innermost activation). */
  exit(): void {
    if (this.entered === 0) return;
    const i = customScopes.lastIndexOf(this.customObjects);
    if (i >= 0) customScopes.splice(i, 1);
    this.entered--;
  }

  /**
   * Runs `fn` inside the scope. When `fn` returns a promise, the scope stays
   * active until it settles (other code running meanwhile sees it too).
   */
  run<T>(fn: () => T): T {
    this.enter();
    let result: T;
    try {
      result = fn();
    } catch (e) {
      this.exit();
      throw e;
    }
    if (result && typeof (result as { then?: unknown }).then === "function") {
      return (result as unknown as Promise<unknown>).finally(() => this.exit()) as T;
    }
    this.exit();
    return result;
  }
}

/**
 * Keras's `custom_object_scope`: with `fn`, runs it with `customObjects`
 * visible to deserialization and returns its result; without, returns a
 * {@link CustomObjectScope} to `enter()` / `exit()` or `run()`.
 */
export function customObjectScope<T>(customObjects: Record<string, unknown> | null | undefined, fn: () => T): T;
export function customObjectScope(customObjects: Record<string, unknown> | null | undefined): CustomObjectScope;
export function customObjectScope<T>(customObjects: Record<string, unknown> | null | undefined, fn?: () => T): T | CustomObjectScope {
  const scope = new CustomObjectScope(customObjects);
  return fn ? scope.run(fn) : scope;
}
