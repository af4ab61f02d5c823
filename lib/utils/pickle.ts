/**
 * A minimal, restricted Python unpickler: enough to read the pickles Keras's
 * datasets ship, and nothing that can run code.
 *
 * - the object arrays inside `imdb.npz` and `reuters.npz` (a NumPy
 *   `ndarray` of `dtype=object` holding Python lists of ints), and
 * - the CIFAR-10/100 batch files (a dict of bytes keys to lists, bytes and a
 *   uint8 `ndarray`), written by Python 2 with protocol 2.
 *
 * Protocols 0–5 opcodes that such data use are read (the stack machine of
 * CPython's `pickle.py`). Only four globals may be named, as in Keras's
 * `npz_utils.RestrictedUnpickler`: `numpy.ndarray`, `numpy.dtype`,
 * `numpy.core.multiarray._reconstruct` (and its NumPy 2 spelling
 * `numpy._core.multiarray._reconstruct`), plus `_codecs.encode`, which
 * Python 3 uses to write `bytes` at protocol 2. Anything else is refused.
 *
 * Python values map to JS as: `None` → `null`, `bool` → `boolean`,
 * `int` → `number` (a `bigint` only past 2^53), `float` → `number`,
 * `str` → `string`, `bytes` / Python 2 `str` → `Uint8Array`,
 * `list` and `tuple` → arrays, `dict` → {@link PyDict} (a `Map`), and NumPy
 * arrays → {@link NdArray} (lib/utils/npy.ts).
 */
import { type NdArray, ndarrayFromBytes, parseDescr } from "./npy.js";

/** A Python dict as read from a pickle: keys as they come (bytes keys as `Uint8Array`). */
export class PyDict extends Map<unknown, unknown> {
  /**
   * The value under `key`, matching a string key, a bytes key with the same
   * UTF-8 text (Python 2 `str` keys, as CIFAR batches have), or a number key.
   */
  lookup(key: string | number): unknown {
    if (this.has(key)) return this.get(key);
    if (typeof key === "string") {
      for (const [k, v] of this) {
        if (k instanceof Uint8Array && decodeUtf8(k) === key) return v;
      }
    }
    return undefined;
  }

  /** The keys as text (bytes decoded as UTF-8), in insertion order. */
  textKeys(): string[] {
    return [...this.keys()].map((k) => (k instanceof Uint8Array ? decodeUtf8(k) : String(k)));
  }
}

/** Options of {@link unpickle}. */
export interface UnpickleOptions {
  /**
   * How Python 2 `str` values (opcodes `STRING`, `BINSTRING`,
   * `SHORT_BINSTRING`) are read: `"bytes"` (default, as Keras reads CIFAR)
   * gives `Uint8Array`s, `"latin1"` and `"utf8"` give strings.
   */
  encoding?: "bytes" | "latin1" | "utf8";
}

/** The error thrown for a malformed pickle or a refused global. */
export class UnpicklingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UnpicklingError";
  }
}

const MARK = Symbol("pickle.mark");

/** A placeholder for a NumPy array between `_reconstruct(...)` and `BUILD`. */
class PendingArray {
  result: NdArray | null = null;
}

/** A NumPy dtype between `dtype(descr, align, copy)` and `BUILD`. */
class PickledDtype {
  byteorder = "|";
  constructor(readonly descr: string) {}
}

type PyGlobal = "ndarray" | "dtype" | "_reconstruct" | "_codecs.encode";

class GlobalRef {
  constructor(readonly kind: PyGlobal) {}
}

function decodeUtf8(bytes: Uint8Array): string {
  return new TextDecoder("utf-8").decode(bytes);
}

function decodeLatin1(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i += 8192) {
    s += String.fromCharCode(...bytes.subarray(i, i + 8192));
  }
  return s;
}

function encodeLatin1(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c > 255) throw new UnpicklingError(`_codecs.encode: character U+${c.toString(16)} is not latin-1.`);
    out[i] = c;
  }
  return out;
}

function asText(v: unknown, what: string): string {
  if (typeof v === "string") return v;
  if (v instanceof Uint8Array) return decodeLatin1(v);
  throw new UnpicklingError(`${what}: expected a string, got ${describe(v)}.`);
}

function describe(v: unknown): string {
  if (v === null) return "None";
  if (Array.isArray(v)) return "a list/tuple";
  if (v instanceof Uint8Array) return "bytes";
  if (typeof v === "object") return (v as object).constructor?.name ?? "an object";
  return typeof v;
}

/** Decodes a little-endian two's-complement integer (LONG1/LONG4 payload). */
function decodeLong(bytes: Uint8Array): number | bigint {
  if (bytes.length === 0) return 0;
  let v = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[i]!);
  if (bytes[bytes.length - 1]! & 0x80) v -= 1n << BigInt(bytes.length * 8);
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}

function parseIntText(text: string): number | bigint | boolean {
  const t = text.trim().replace(/L$/, "");
  if (t === "00") return false; // protocol 0 spelling of False
  if (t === "01") return true;
  const b = BigInt(t);
  return b >= BigInt(Number.MIN_SAFE_INTEGER) && b <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(b) : b;
}

/**
 * Reads one pickled object from `data` (restricted to the globals listed in
 * the module doc). Throws {@link UnpicklingError} on anything else.
 */
export function unpickle(data: Uint8Array, options: UnpickleOptions = {}): unknown {
  const encoding = options.encoding ?? "bytes";
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  let pos = 0;
  let stack: unknown[] = [];
  const metastack: unknown[][] = [];
  const memo = new Map<number, unknown>();

  const need = (n: number): void => {
    if (pos + n > data.length) throw new UnpicklingError("pickle data was truncated.");
  };
  const take = (n: number): Uint8Array => {
    need(n);
    const out = data.subarray(pos, pos + n);
    pos += n;
    return out;
  };
  const u8 = (): number => {
    need(1);
    return data[pos++]!;
  };
  const u16 = (): number => {
    need(2);
    const v = view.getUint16(pos, true);
    pos += 2;
    return v;
  };
  const u32 = (): number => {
    need(4);
    const v = view.getUint32(pos, true);
    pos += 4;
    return v;
  };
  const i32 = (): number => {
    need(4);
    const v = view.getInt32(pos, true);
    pos += 4;
    return v;
  };
  const u64 = (): number => {
    need(8);
    const v = view.getBigUint64(pos, true);
    pos += 8;
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new UnpicklingError("pickle length too large.");
    return Number(v);
  };
  const line = (): string => {
    const end = data.indexOf(0x0a, pos);
    if (end < 0) throw new UnpicklingError("pickle data was truncated (no newline).");
    const s = decodeLatin1(data.subarray(pos, end));
    pos = end + 1;
    return s;
  };
  const pop = (): unknown => {
    if (stack.length === 0) throw new UnpicklingError("unpickling stack underflow.");
    return stack.pop();
  };
  const top = (): unknown => {
    if (stack.length === 0) throw new UnpicklingError("unpickling stack underflow.");
    return stack[stack.length - 1];
  };
  const popMark = (): unknown[] => {
    const items = stack;
    const prev = metastack.pop();
    if (prev === undefined) throw new UnpicklingError("could not find MARK.");
    stack = prev;
    return items;
  };
  const py2str = (bytes: Uint8Array): unknown => {
    if (encoding === "bytes") return bytes;
    if (encoding === "latin1") return decodeLatin1(bytes);
    return decodeUtf8(bytes);
  };
  const findGlobal = (module: string, name: string): GlobalRef => {
    if (module === "numpy" && name === "ndarray") return new GlobalRef("ndarray");
    if (module === "numpy" && name === "dtype") return new GlobalRef("dtype");
    if ((module === "numpy.core.multiarray" || module === "numpy._core.multiarray") && name === "_reconstruct") {
      return new GlobalRef("_reconstruct");
    }
    if (module === "_codecs" && name === "encode") return new GlobalRef("_codecs.encode");
    throw new UnpicklingError(
      `Refusing to deserialize \`${module}.${name}\` while loading a Keras dataset. ` +
        "The file may be corrupted or malicious.",
    );
  };
  const callGlobal = (fn: unknown, args: unknown): unknown => {
    if (!(fn instanceof GlobalRef)) throw new UnpicklingError(`REDUCE: ${describe(fn)} is not callable.`);
    if (!Array.isArray(args)) throw new UnpicklingError("REDUCE: arguments are not a tuple.");
    switch (fn.kind) {
      case "_reconstruct":
        return new PendingArray();
      case "dtype":
        return new PickledDtype(asText(args[0], "numpy.dtype"));
      case "_codecs.encode": {
        const text = args[0];
        const enc = args.length > 1 ? asText(args[1], "_codecs.encode") : "utf-8";
        if (typeof text !== "string") throw new UnpicklingError("_codecs.encode: expected a str.");
        if (enc === "latin1" || enc === "latin-1" || enc === "iso-8859-1") return encodeLatin1(text);
        return new TextEncoder().encode(text);
      }
      case "ndarray":
        throw new UnpicklingError("numpy.ndarray may only be passed to _reconstruct.");
    }
  };
  const build = (obj: unknown, state: unknown): void => {
    if (obj instanceof PickledDtype) {
      if (Array.isArray(state) && state.length > 1) obj.byteorder = asText(state[1], "dtype byteorder");
      return;
    }
    if (obj instanceof PendingArray) {
      if (!Array.isArray(state) || state.length < 5) throw new UnpicklingError("ndarray state is not a 5-tuple.");
      const [, shapeT, dtype, fortran, raw] = state as [unknown, unknown, unknown, unknown, unknown];
      if (!Array.isArray(shapeT) || !(dtype instanceof PickledDtype)) {
        throw new UnpicklingError("ndarray state has no shape or dtype.");
      }
      const shape = shapeT.map((d) => Number(d));
      const parsed = parseDescr(dtype.byteorder === "|" || dtype.byteorder === "=" ? dtype.descr : dtype.byteorder + dtype.descr);
      if (parsed.dtype === "object") {
        if (!Array.isArray(raw)) throw new UnpicklingError("object ndarray state holds no list.");
        obj.result = { dtype: "object", shape, data: raw, fortranOrder: Boolean(fortran) };
      } else {
        const bytes = raw instanceof Uint8Array ? raw : typeof raw === "string" ? encodeLatin1(raw) : null;
        if (bytes === null) throw new UnpicklingError("ndarray state holds no bytes.");
        obj.result = ndarrayFromBytes(bytes, parsed, shape, Boolean(fortran));
      }
      return;
    }
    throw new UnpicklingError(`BUILD on ${describe(obj)} is not supported.`);
  };
  const resolve = (v: unknown): unknown => {
    if (v instanceof PendingArray) {
      if (v.result === null) throw new UnpicklingError("ndarray was never built.");
      return v.result;
    }
    return v;
  };

  for (;;) {
    const op = u8();
    switch (op) {
      case 0x80: // PROTO
        u8();
        break;
      case 0x95: // FRAME
        u64();
        break;
      case 0x2e: // STOP
        return resolveDeep(pop(), resolve);
      case 0x28: // MARK
        metastack.push(stack);
        stack = [];
        break;
      case 0x7d: // EMPTY_DICT
        stack.push(new PyDict());
        break;
      case 0x5d: // EMPTY_LIST
        stack.push([]);
        break;
      case 0x29: // EMPTY_TUPLE
        stack.push([]);
        break;
      case 0x74: {
        // TUPLE (popMark replaces `stack`, so take the items before pushing)
        const items = popMark();
        stack.push(items);
        break;
      }
      case 0x85: // TUPLE1
        stack.push([pop()]);
        break;
      case 0x86: {
        // TUPLE2
        const b = pop();
        const a = pop();
        stack.push([a, b]);
        break;
      }
      case 0x87: {
        // TUPLE3
        const c = pop();
        const b = pop();
        const a = pop();
        stack.push([a, b, c]);
        break;
      }
      case 0x6c: {
        // LIST
        const items = popMark();
        stack.push(items);
        break;
      }
      case 0x64: {
        // DICT
        const items = popMark();
        const d = new PyDict();
        for (let i = 0; i + 1 < items.length; i += 2) d.set(items[i], items[i + 1]);
        stack.push(d);
        break;
      }
      case 0x61: {
        // APPEND
        const v = pop();
        const list = top();
        if (!Array.isArray(list)) throw new UnpicklingError("APPEND to a non-list.");
        list.push(v);
        break;
      }
      case 0x65: {
        // APPENDS
        const items = popMark();
        const list = top();
        if (!Array.isArray(list)) throw new UnpicklingError("APPENDS to a non-list.");
        for (const v of items) list.push(v);
        break;
      }
      case 0x73: {
        // SETITEM
        const v = pop();
        const k = pop();
        const d = top();
        if (!(d instanceof PyDict)) throw new UnpicklingError("SETITEM on a non-dict.");
        d.set(k, v);
        break;
      }
      case 0x75: {
        // SETITEMS
        const items = popMark();
        const d = top();
        if (!(d instanceof PyDict)) throw new UnpicklingError("SETITEMS on a non-dict.");
        for (let i = 0; i + 1 < items.length; i += 2) d.set(items[i], items[i + 1]);
        break;
      }
      case 0x4a: // BININT
        stack.push(i32());
        break;
      case 0x4b: // BININT1
        stack.push(u8());
        break;
      case 0x4d: // BININT2
        stack.push(u16());
        break;
      case 0x8a: // LONG1
        stack.push(decodeLong(take(u8())));
        break;
      case 0x8b: // LONG4
        stack.push(decodeLong(take(u32())));
        break;
      case 0x49: // INT (text)
        stack.push(parseIntText(line()));
        break;
      case 0x4c: // LONG (text)
        stack.push(parseIntText(line()));
        break;
      case 0x47: {
        // BINFLOAT (big-endian double)
        need(8);
        stack.push(view.getFloat64(pos, false));
        pos += 8;
        break;
      }
      case 0x46: // FLOAT (text)
        stack.push(Number.parseFloat(line()));
        break;
      case 0x4e: // NONE
        stack.push(null);
        break;
      case 0x88: // NEWTRUE
        stack.push(true);
        break;
      case 0x89: // NEWFALSE
        stack.push(false);
        break;
      case 0x55: // SHORT_BINSTRING
        stack.push(py2str(take(u8())));
        break;
      case 0x54: // BINSTRING
        stack.push(py2str(take(u32())));
        break;
      case 0x43: // SHORT_BINBYTES
        stack.push(take(u8()));
        break;
      case 0x42: // BINBYTES
        stack.push(take(u32()));
        break;
      case 0x8e: // BINBYTES8
        stack.push(take(u64()));
        break;
      case 0x96: // BYTEARRAY8
        stack.push(take(u64()));
        break;
      case 0x8c: // SHORT_BINUNICODE
        stack.push(decodeUtf8(take(u8())));
        break;
      case 0x58: // BINUNICODE
        stack.push(decodeUtf8(take(u32())));
        break;
      case 0x8d: // BINUNICODE8
        stack.push(decodeUtf8(take(u64())));
        break;
      case 0x71: // BINPUT
        memo.set(u8(), top());
        break;
      case 0x72: // LONG_BINPUT
        memo.set(u32(), top());
        break;
      case 0x70: // PUT (text)
        memo.set(Number.parseInt(line(), 10), top());
        break;
      case 0x94: // MEMOIZE
        memo.set(memo.size, top());
        break;
      case 0x68: // BINGET
      case 0x6a: // LONG_BINGET
      case 0x67: {
        // GET (text)
        const idx = op === 0x68 ? u8() : op === 0x6a ? u32() : Number.parseInt(line(), 10);
        if (!memo.has(idx)) throw new UnpicklingError(`memo key ${idx} not found.`);
        stack.push(memo.get(idx));
        break;
      }
      case 0x63: {
        // GLOBAL
        const module = line();
        const name = line();
        stack.push(findGlobal(module, name));
        break;
      }
      case 0x93: {
        // STACK_GLOBAL
        const name = asText(pop(), "STACK_GLOBAL");
        const module = asText(pop(), "STACK_GLOBAL");
        stack.push(findGlobal(module, name));
        break;
      }
      case 0x52: {
        // REDUCE
        const args = pop();
        const fn = pop();
        stack.push(callGlobal(fn, args));
        break;
      }
      case 0x62: {
        // BUILD
        const state = pop();
        build(top(), state);
        break;
      }
      case 0x30: // POP
        pop();
        break;
      case 0x31: // POP_MARK
        popMark();
        break;
      case 0x32: // DUP
        stack.push(top());
        break;
      default:
        throw new UnpicklingError(
          `unsupported pickle opcode 0x${op.toString(16).padStart(2, "0")} at byte ${pos - 1}.`,
        );
    }
  }
}

/** Replaces built NumPy placeholders by their arrays, through lists and dicts. */
function resolveDeep(v: unknown, resolve: (v: unknown) => unknown, seen = new Set<unknown>()): unknown {
  const r = resolve(v);
  if (seen.has(r)) return r;
  if (Array.isArray(r)) {
    seen.add(r);
    for (let i = 0; i < r.length; i++) r[i] = resolveDeep(r[i], resolve, seen);
  } else if (r instanceof PyDict) {
    seen.add(r);
    for (const [k, val] of r) r.set(k, resolveDeep(val, resolve, seen));
  } else if (r !== null && typeof r === "object" && (r as NdArray).dtype === "object") {
    const nd = r as NdArray;
    seen.add(r);
    const items = nd.data as unknown[];
    for (let i = 0; i < items.length; i++) items[i] = resolveDeep(items[i], resolve, seen);
  }
  return r;
}
