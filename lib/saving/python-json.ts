/**
 * JSON text as Python's `json.dumps` writes it with its defaults, which is
 * how Keras writes `config.json` and `metadata.json`: separators `", "` and
 * `": "`, no indent, `ensure_ascii` (every character outside space..`~`
 * escaped as `\uXXXX`), `NaN`/`Infinity`/`-Infinity` as bare tokens, and
 * floats in Python's `repr` form (`1e-07`, `1e+16`).
 *
 * JavaScript has one number type, so integral numbers are written as
 * integers (`4`, not `4.0`); Keras reads both the same way.
 */

/** Python's `repr` of a float, from JavaScript's shortest round-trip digits. */
export function pythonFloatRepr(x: number): string {
  if (Number.isNaN(x)) return "NaN";
  if (x === Infinity) return "Infinity";
  if (x === -Infinity) return "-Infinity";
  if (x === 0) return Object.is(x, -0) ? "-0.0" : "0.0";
  const [mant, expText] = x.toExponential().split("e");
  const exp = Number(expText);
  const neg = mant.startsWith("-");
  const digits = mant.replace("-", "").replace(".", "");
  let out: string;
  if (exp < -4 || exp >= 16) out = expForm(digits, exp);
  else if (exp < 0) out = `0.${"0".repeat(-exp - 1)}${digits}`;
  else if (digits.length <= exp + 1) out = `${digits}${"0".repeat(exp + 1 - digits.length)}.0`;
  else out = `${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
  return neg ? `-${out}` : out;
}

function expForm(digits: string, exp: number): string {
  const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
  const sign = exp < 0 ? "-" : "+";
  const e = String(Math.abs(exp)).padStart(2, "0");
  return `${m}e${sign}${e}`;
}

function numberText(x: number): string {
  if (Number.isInteger(x) && Math.abs(x) < 2 ** 53) return Object.is(x, -0) ? "-0.0" : String(x);
  return pythonFloatRepr(x);
}

function stringText(s: string): string {
  return JSON.stringify(s).replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/**
 * Config keys whose values Keras's own classes hold as Python floats, so an
 * integral value is written `1.0` as Keras writes it (JavaScript cannot tell
 * `1` from `1.0`). Used for `config.json`; Keras reads either form.
 */
export const KERAS_FLOAT_KEYS: ReadonlySet<string> = new Set([
  "gain", "dropout", "recurrent_dropout", "rate", "momentum", "epsilon", "stddev", "mean", "minval", "maxval",
  "l1", "l2", "learning_rate", "rho", "beta_1", "beta_2", "ema_momentum", "initial_accumulator_value",
  "negative_slope", "threshold", "alpha", "label_smoothing", "mask_value", "weight_decay", "clipnorm",
  "global_clipnorm", "clipvalue", "loss_scale_factor", "scale",
]);

/** Options of `pythonJsonDumps`. */
export interface PythonJsonOptions {
  /** Keys whose integral numbers are written as Python floats (`1.0`). */
  floatKeys?: ReadonlySet<string>;
}

/**
 * `json.dumps(value)` with Python's defaults. `undefined` values in objects
 * are left out (as `JSON.stringify` does); in arrays they become `null`.
 * Objects with a `toJSON` method are not special-cased: pass plain data.
 */
export function pythonJsonDumps(value: unknown, options: PythonJsonOptions = {}): string {
  const seen = new Set<unknown>();
  const floatKeys = options.floatKeys;
  const write = (v: unknown, key?: string): string => {
    if (v === null || v === undefined) return "null";
    if (typeof v === "boolean") return v ? "true" : "false";
    if (typeof v === "number") return key !== undefined && floatKeys?.has(key) ? pythonFloatRepr(v) : numberText(v);
    if (typeof v === "bigint") return v.toString();
    if (typeof v === "string") return stringText(v);
    if (typeof v !== "object") throw new TypeError(`Object of type ${typeof v} is not JSON serializable`);
    if (seen.has(v)) throw new TypeError("Circular reference detected");
    seen.add(v);
    try {
      if (Array.isArray(v)) return `[${v.map((x) => write(x)).join(", ")}]`;
      const parts: string[] = [];
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
        if (x === undefined || typeof x === "function" || typeof x === "symbol") continue;
        parts.push(`${stringText(k)}: ${write(x, k)}`);
      }
      return `{${parts.join(", ")}}`;
    } finally {
      seen.delete(v);
    }
  };
  return write(value);
}
