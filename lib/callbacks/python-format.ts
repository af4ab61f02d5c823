/**
 * Python's `str.format` for file-name templates such as
 * `"ckpt-{epoch:02d}-{val_loss:.2f}.weights.h5"` (ModelCheckpoint).
 *
 * Supported: `{name}`, `{name:spec}`, `{name!s}` / `{name!r}`, `{{` and `}}`,
 * and the format-spec mini-language `[[fill]align][sign][z][#][0][width][,|_][.precision][type]`
 * with types d, b, o, x, X, c, n (ints), e, E, f, F, g, G, n, % (floats), s.
 * Values are ints, floats (Python semantics differ: `{loss}` of 1 prints `1.0`)
 * or strings.
 */
import { pyExp, pyFixed, pyGeneral, pyRepr } from "../utils/progbar.js";

/** A value to format: a Python int, a Python float, or a string. */
export type PyValue = { int: number } | { float: number } | string;

/** A Python `KeyError` from a missing field. */
export class PyKeyError extends Error {
  constructor(readonly key: string) {
    super(`'${key}'`);
    this.name = "KeyError";
  }
}

/** Python's `template.format(**values)`. */
export function pyStrFormat(template: string, values: Readonly<Record<string, PyValue>>): string {
  let out = "";
  let i = 0;
  while (i < template.length) {
    const ch = template[i];
    if (ch === "{") {
      if (template[i + 1] === "{") {
        out += "{";
        i += 2;
        continue;
      }
      let depth = 1;
      let j = i + 1;
      while (j < template.length && depth > 0) {
        if (template[j] === "{") depth++;
        else if (template[j] === "}") depth--;
        if (depth > 0) j++;
      }
      if (depth > 0) throw new Error("ValueError: expected '}' before end of string");
      out += formatField(template.slice(i + 1, j), values);
      i = j + 1;
    } else if (ch === "}") {
      if (template[i + 1] === "}") {
        out += "}";
        i += 2;
        continue;
      }
      throw new Error("ValueError: Single '}' encountered in format string");
    } else {
      out += ch;
      i++;
    }
  }
  return out;
}

function formatField(field: string, values: Readonly<Record<string, PyValue>>): string {
  const colon = field.indexOf(":");
  let head = colon >= 0 ? field.slice(0, colon) : field;
  let spec = colon >= 0 ? field.slice(colon + 1) : "";
  let conversion: string | null = null;
  const bang = head.indexOf("!");
  if (bang >= 0) {
    conversion = head.slice(bang + 1);
    head = head.slice(0, bang);
  }
  if (head === "" || /^\d+$/.test(head)) {
    throw new Error(`IndexError: Replacement index ${head || 0} out of range for positional args tuple`);
  }
  if (!Object.prototype.hasOwnProperty.call(values, head)) throw new PyKeyError(head);
  // nested fields in the spec, e.g. {x:{width}}
  if (spec.includes("{")) spec = pyStrFormat(spec, values);
  let value: PyValue = values[head];
  if (conversion === "s" || conversion === "r" || conversion === "a") {
    value = conversion === "s" ? pyStr(value) : pyReprValue(value);
  } else if (conversion !== null) {
    throw new Error(`ValueError: Unknown conversion specifier ${conversion}`);
  }
  return formatValue(value, spec);
}

function pyStr(v: PyValue): string {
  if (typeof v === "string") return v;
  if ("int" in v) return String(v.int);
  return pyRepr(v.float);
}

function pyReprValue(v: PyValue): string {
  if (typeof v === "string") return `'${v.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
  return pyStr(v);
}

interface Spec {
  fill: string;
  align: string | null;
  sign: string;
  alternate: boolean;
  /** The `z` option: a negative zero after rounding prints without its sign. */
  coerceZero: boolean;
  zero: boolean;
  width: number;
  grouping: string;
  precision: number | null;
  type: string;
}

function parseSpec(spec: string): Spec {
  const m = /^(?:(.)?([<>=^]))?([-+ ])?(z)?(#)?(0)?(\d+)?([,_])?(?:\.(\d+))?([bcdeEfFgGnosxX%])?$/su.exec(spec);
  if (!m) throw new Error(`ValueError: Invalid format specifier '${spec}'`);
  return {
    fill: m[1] ?? (m[6] && !m[2] ? "0" : " "),
    align: m[2] ?? (m[6] ? "=" : null),
    sign: m[3] ?? "-",
    alternate: !!m[5],
    coerceZero: !!m[4],
    zero: !!m[6],
    width: m[7] ? Number(m[7]) : 0,
    grouping: m[8] ?? "",
    precision: m[9] !== undefined ? Number(m[9]) : null,
    type: m[10] ?? "",
  };
}

function group(intPart: string, sep: string, every = 3): string {
  if (!sep) return intPart;
  let out = "";
  for (let i = 0; i < intPart.length; i++) {
    if (i > 0 && (intPart.length - i) % every === 0) out += sep;
    out += intPart[i];
  }
  return out;
}

function pad(sign: string, body: string, s: Spec, defaultAlign: string): string {
  const align = s.align ?? defaultAlign;
  const len = [...sign].length + [...body].length;
  const n = Math.max(0, s.width - len);
  if (n === 0) return sign + body;
  const fill = (k: number): string => s.fill.repeat(k);
  switch (align) {
    case "<":
      return sign + body + fill(n);
    case "^":
      return fill(Math.floor(n / 2)) + sign + body + fill(n - Math.floor(n / 2));
    case "=":
      return sign + fill(n) + body;
    default:
      return fill(n) + sign + body;
  }
}

function signOf(negative: boolean, s: Spec): string {
  if (negative) return "-";
  if (s.sign === "+") return "+";
  if (s.sign === " ") return " ";
  return "";
}

function formatValue(value: PyValue, specText: string): string {
  const s = parseSpec(specText);
  if (typeof value === "string") {
    if (s.type !== "" && s.type !== "s") {
      throw new Error(`ValueError: Unknown format code '${s.type}' for object of type 'str'`);
    }
    if (s.align === "=") throw new Error("ValueError: '=' alignment not allowed in string format specifier");
    const body = s.precision !== null ? [...value].slice(0, s.precision).join("") : value;
    return pad("", body, s, "<");
  }
  if ("int" in value) {
    const v = value.int;
    if ("bcdoxXn".includes(s.type) || s.type === "") {
      if (s.precision !== null) throw new Error("ValueError: Precision not allowed in integer format specifier");
      const abs = Math.abs(v);
      let body: string;
      let prefix = "";
      switch (s.type) {
        case "b":
          body = abs.toString(2);
          prefix = s.alternate ? "0b" : "";
          break;
        case "o":
          body = abs.toString(8);
          prefix = s.alternate ? "0o" : "";
          break;
        case "x":
          body = abs.toString(16);
          prefix = s.alternate ? "0x" : "";
          break;
        case "X":
          body = abs.toString(16).toUpperCase();
          prefix = s.alternate ? "0X" : "";
          break;
        case "c":
          return pad("", String.fromCodePoint(v), s, "<");
        default:
          body = group(String(abs), s.grouping);
      }
      return pad(signOf(v < 0, s) + prefix, body, s, ">");
    }
    return formatFloat(v, s);
  }
  if ("bcdoxX".includes(s.type) && s.type !== "") {
    throw new Error(`ValueError: Unknown format code '${s.type}' for object of type 'float'`);
  }
  return formatFloat(value.float, s);
}

function formatFloat(v: number, s: Spec): string {
  const negative = v < 0 || Object.is(v, -0);
  const abs = Math.abs(v);
  let body: string;
  const p = s.precision;
  switch (s.type) {
    case "f":
    case "F":
      body = pyFixed(abs, p ?? 6);
      if (s.type === "F") body = body.toUpperCase();
      break;
    case "e":
    case "E":
      body = pyExp(abs, p ?? 6, s.type === "E");
      break;
    case "g":
    case "G":
    case "n":
      body = pyGeneral(abs, p ?? 6, s.type === "G", s.alternate);
      break;
    case "%":
      body = `${pyFixed(abs * 100, p ?? 6)}%`;
      break;
    default:
      // no type: repr, or 'g'-like with at least one digit after the point when a precision is given
      if (p === null) body = pyRepr(abs);
      else {
        body = pyGeneral(abs, p, false, s.alternate);
        if (Number.isFinite(abs) && !/[.e]/.test(body)) body += ".0";
      }
  }
  if (s.alternate && (s.type === "f" || s.type === "F" || s.type === "%") && (p ?? 6) === 0 && !body.includes(".")) {
    body = body.replace(/^(\d+)/, "$1.");
  }
  if (s.grouping && Number.isFinite(abs)) {
    const m = /^(\d+)(.*)$/s.exec(body);
    if (m) body = group(m[1], s.grouping) + m[2];
  }
  const roundsToZero = !/[1-9]/.test(body.replace(/e.*$/i, ""));
  return pad(signOf(negative && !(s.coerceZero && roundsToZero), s), body, s, ">");
}
