/**
 * `keras.utils.Config`: a dict-like container of settings whose entries are
 * also read and written as attributes, and that can be frozen (Keras's
 * `utils/config.py`).
 *
 * ```ts
 * const config = new keras.utils.Config({ learningRate: 0.1, momentum: 0.9 });
 * config.dropout = 0.2;           // attribute style
 * config.get("dropout");          // 0.2
 * config.freeze();
 * config.dropout = 0.5;           // throws: the config is frozen
 * ```
 */

const OWN = new Set(["frozen", "freeze", "unfreeze", "asDict", "toJson", "keys", "values", "items", "pop", "update", "get", "set", "has", "delete", "size", "toString", "constructor"]);

/** Levenshtein-like ratio of Python's difflib for "did you mean" hints (a simple edit-distance version). */
function closest(name: string, keys: readonly string[]): string | null {
  const dist = (a: string, b: string): number => {
    const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
    for (let j = 1; j <= b.length; j++) d[0]![j] = j;
    for (let i = 1; i <= a.length; i++) for (let j = 1; j <= b.length; j++) d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    return d[a.length]![b.length]!;
  };
  let best: string | null = null;
  let bestRatio = 0.7;
  for (const k of keys) {
    const ratio = 1 - dist(name, k) / Math.max(name.length, k.length, 1);
    if (ratio >= bestRatio) {
      best = k;
      bestRatio = ratio;
    }
  }
  return best;
}

/** A frozen-able attribute container of settings (Keras's `keras.utils.Config`). */
export class Config {
  /** Any setting, read or written as an attribute. */
  [key: string]: unknown;

  constructor(config: Record<string, unknown> = {}) {
    const data: Record<string, unknown> = { ...config };
    let frozen = false;
    const raiseIfFrozen = (): void => {
      if (frozen) throw new Error("Cannot mutate attribute(s) because the config is frozen.");
    };
    const methods = {
      get frozen(): boolean {
        return frozen;
      },
      /** Forbids changes until {@link unfreeze}. */
      freeze: (): void => {
        frozen = true;
      },
      unfreeze: (): void => {
        frozen = false;
      },
      /** A shallow copy of the settings as a plain object. */
      asDict: (): Record<string, unknown> => ({ ...data }),
      /** The settings as JSON text. */
      toJson: (): string => JSON.stringify(data),
      keys: (): string[] => Object.keys(data),
      values: (): unknown[] => Object.values(data),
      items: (): [string, unknown][] => Object.entries(data),
      /** Removes `key` and returns its value (or `defaultValue`; throws when absent without one). */
      pop: (key: string, ...defaultValue: unknown[]): unknown => {
        raiseIfFrozen();
        if (!(key in data)) {
          if (defaultValue.length) return defaultValue[0];
          throw new Error(`KeyError: '${key}'`);
        }
        const v = data[key];
        delete data[key];
        return v;
      },
      update: (other: Record<string, unknown>): void => {
        raiseIfFrozen();
        Object.assign(data, other);
      },
      get: (key: string, defaultValue: unknown = null): unknown => (key in data ? data[key] : defaultValue),
      set: (key: string, value: unknown): void => {
        raiseIfFrozen();
        data[key] = value;
      },
      has: (key: string): boolean => key in data,
      delete: (key: string): void => {
        raiseIfFrozen();
        delete data[key];
      },
      get size(): number {
        return Object.keys(data).length;
      },
      toString: (): string => `<Config ${JSON.stringify(data)}>`,
      [Symbol.iterator]: function* (): Generator<string> {
        yield* Object.keys(data).sort();
      },
    };
    return new Proxy(this, {
      get(target, prop, receiver) {
        if (typeof prop === "symbol") {
          if (prop === Symbol.iterator) return methods[Symbol.iterator];
          if (prop === Symbol.for("nodejs.util.inspect.custom")) return () => methods.toString();
          return Reflect.get(target, prop, receiver);
        }
        if (OWN.has(prop)) return prop === "constructor" ? Config : (methods as Record<string, unknown>)[prop];
        if (prop in data) return data[prop];
        if (prop === "then" || prop === "toJSON") return undefined; // not a promise; JSON.stringify sees the settings via ownKeys
        const hint = closest(prop, Object.keys(data));
        throw new Error(`Unknown attribute: '${prop}'.${hint ? ` Did you mean '${hint}'?` : ""}`);
      },
      set(_target, prop, value) {
        if (typeof prop === "symbol" || OWN.has(prop)) throw new Error(`Cannot set '${String(prop)}' on a Config.`);
        raiseIfFrozen();
        data[prop] = value;
        return true;
      },
      has(_target, prop) {
        return typeof prop === "string" && prop in data;
      },
      deleteProperty(_target, prop) {
        raiseIfFrozen();
        if (typeof prop === "string") delete data[prop];
        return true;
      },
      ownKeys() {
        return Reflect.ownKeys(data);
      },
      getOwnPropertyDescriptor(_target, prop) {
        return typeof prop === "string" && prop in data ? { value: data[prop], writable: true, enumerable: true, configurable: true } : undefined;
      },
    });
  }

  /** A Config from JSON text written by `toJson`. */
  static fromJson(json: string): Config {
    const parsed = JSON.parse(json) as unknown;
    if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) throw new Error("Config.fromJson: the JSON must describe an object.");
    return new Config(parsed as Record<string, unknown>);
  }
}

/** The methods and properties every Config has (for typed access). */
export interface Config {
  readonly frozen: boolean;
  freeze(): void;
  unfreeze(): void;
  asDict(): Record<string, unknown>;
  toJson(): string;
  keys(): string[];
  values(): unknown[];
  items(): [string, unknown][];
  pop(key: string, defaultValue?: unknown): unknown;
  update(other: Record<string, unknown>): void;
  get(key: string, defaultValue?: unknown): unknown;
  set(key: string, value: unknown): void;
  has(key: string): boolean;
  delete(key: string): void;
  readonly size: number;
  [Symbol.iterator](): Iterator<string>;
}
