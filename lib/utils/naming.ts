/** Keras's naming rules: snake_case class names and per-prefix unique names. */

/** `Conv2D` → `conv2d`, `BatchNormalization` → `batch_normalization`, `RMSprop` → `rm_sprop` (Keras's rule). */
export function toSnakeCase(name: string): string {
  let s = name.replace(/\W+/g, "");
  s = s.replace(/(.)([A-Z][a-z]+)/g, "$1_$2");
  return s.replace(/([a-z])([A-Z])/g, "$1_$2").toLowerCase();
}

/** `returnSequences` → `return_sequences`; leaves snake_case alone. */
export function camelToSnake(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toLowerCase();
}

/** `return_sequences` → `returnSequences`. */
export function snakeToCamel(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

let counters = new Map<string, number>();

/**
 * `uniquify("dense")` gives `dense`, then `dense_1`, `dense_2`, ... until
 * `resetUids()` (called by `keras.backend.clearSession()`).
 */
export function uniquify(prefix: string): string {
  const n = counters.get(prefix) ?? 0;
  counters.set(prefix, n + 1);
  return n === 0 ? prefix : `${prefix}_${n}`;
}

/** Auto name for an object of class `className`: `uniquify(toSnakeCase(className))`. */
export function autoName(className: string): string {
  return uniquify(toSnakeCase(className));
}

/** Forgets every name handed out so far. */
export function resetUids(): void {
  counters = new Map();
}
