/**
 * NumPy's `.npy` and `.npz` formats, read in TypeScript.
 *
 * `.npy` (format versions 1.0, 2.0 and 3.0): the magic `\x93NUMPY`, a
 * version, a Python-literal header `{'descr': '<f4', 'fortran_order': False,
 * 'shape': (2, 3), }`, then the raw data. Supported dtypes: `|b1`, `|i1`,
 * `|u1`, `<i2`, `<u2`, `<i4`, `<u4`, `<i8`, `<u8`, `<f4`, `<f8` (big-endian
 * `>` spellings are byte-swapped on read) and `|O` object arrays, which NumPy
 * stores as a pickle: those are read by the restricted unpickler of
 * `lib/utils/pickle.ts`, which only accepts NumPy arrays of plain Python
 * values (what `imdb.npz` and `reuters.npz` hold), like Keras's
 * `npz_utils.load_npz`.
 *
 * `.npz` is a zip of `.npy` members (stored or deflated, as `np.savez` and
 * `np.savez_compressed` write them).
 */
import { readFileSync } from "node:fs";
import { unzipSync } from "fflate";
import { tf, type Tensor } from "../backend/tfjs.js";
import "../backend/engine.js";
import { unpickle } from "./pickle.js";

/** The NumPy dtypes this reader understands, by NumPy's name. */
export type NdDtype =
  | "bool"
  | "int8"
  | "uint8"
  | "int16"
  | "uint16"
  | "int32"
  | "uint32"
  | "int64"
  | "uint64"
  | "float32"
  | "float64"
  | "object";

/** The element storage of an {@link NdArray}. */
export type NdData =
  | Uint8Array
  | Int8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | BigInt64Array
  | BigUint64Array
  | Float32Array
  | Float64Array
  | unknown[];

/**
 * A NumPy array as read from a file: its dtype, its shape and its elements,
 * flat in C (row-major) order. `bool` arrays keep one byte per element
 * (a `Uint8Array` of 0/1), `int64` ones a `BigInt64Array`, object arrays a
 * plain JS array of the unpickled Python values.
 */
export interface NdArray {
  dtype: NdDtype;
  shape: number[];
  data: NdData;
  /** Whether the file stored it in Fortran order (the data here is always C order). */
  fortranOrder?: boolean;
}

/** A parsed dtype descriptor (`'<f4'`, `'|u1'`, `'|O'`, ...). */
export interface ParsedDescr {
  dtype: NdDtype;
  itemsize: number;
  bigEndian: boolean;
}

const KIND_TABLE: Record<string, NdDtype> = {
  b1: "bool",
  i1: "int8",
  u1: "uint8",
  i2: "int16",
  u2: "uint16",
  i4: "int32",
  u4: "uint32",
  i8: "int64",
  u8: "uint64",
  f4: "float32",
  f8: "float64",
};

/** Parses a NumPy dtype descriptor such as `'<f4'` or `'|O'`. Throws for unsupported ones. */
export function parseDescr(descr: string): ParsedDescr {
  let order = "|";
  let rest = descr;
  if ("<>|=".includes(descr[0] ?? "")) {
    order = descr[0]!;
    rest = descr.slice(1);
  }
  if (rest === "O" || rest === "O8" || rest === "O4") return { dtype: "object", itemsize: 8, bigEndian: false };
  if (rest === "?") rest = "b1";
  const dtype = KIND_TABLE[rest];
  if (dtype === undefined) {
    throw new Error(
      `Unsupported NumPy dtype '${descr}'. tskeras reads ${Object.keys(KIND_TABLE).join(", ")} ` +
        "(little- or big-endian) and object arrays.",
    );
  }
  return { dtype, itemsize: Number(rest.slice(1)), bigEndian: order === ">" };
}

function product(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Reorders a Fortran-order flat array into C order. */
function fortranToC<T extends { length: number; [i: number]: unknown }>(src: T, make: (n: number) => T, shape: readonly number[]): T {
  const n = product(shape);
  const out = make(n);
  const rank = shape.length;
  const fStrides = new Array<number>(rank);
  let s = 1;
  for (let k = 0; k < rank; k++) {
    fStrides[k] = s;
    s *= shape[k]!;
  }
  const idx = new Array<number>(rank).fill(0);
  for (let c = 0; c < n; c++) {
    let off = 0;
    for (let k = 0; k < rank; k++) off += idx[k]! * fStrides[k]!;
    (out as { [i: number]: unknown })[c] = src[off];
    for (let k = rank - 1; k >= 0; k--) {
      idx[k]!++;
      if (idx[k]! < shape[k]!) break;
      idx[k] = 0;
    }
  }
  return out;
}

/**
 * Builds an {@link NdArray} from raw element bytes (what `.npy` files and
 * pickled NumPy arrays hold). The bytes are copied, so the result owns its data.
 */
export function ndarrayFromBytes(bytes: Uint8Array, descr: ParsedDescr, shape: number[], fortranOrder = false): NdArray {
  if (descr.dtype === "object") throw new Error("ndarrayFromBytes: object arrays are pickled, not raw bytes.");
  const n = product(shape);
  const nbytes = n * descr.itemsize;
  if (bytes.length < nbytes) {
    throw new Error(`NumPy array data is truncated: expected ${nbytes} bytes for shape (${shape.join(", ")}), got ${bytes.length}.`);
  }
  const copy = bytes.slice(0, nbytes);
  if (descr.bigEndian && descr.itemsize > 1) {
    for (let i = 0; i < nbytes; i += descr.itemsize) copy.subarray(i, i + descr.itemsize).reverse();
  }
  const buf = copy.buffer;
  let data: Exclude<NdData, unknown[]>;
  switch (descr.dtype) {
    case "bool":
    case "uint8":
      data = new Uint8Array(buf, 0, n);
      break;
    case "int8":
      data = new Int8Array(buf, 0, n);
      break;
    case "int16":
      data = new Int16Array(buf, 0, n);
      break;
    case "uint16":
      data = new Uint16Array(buf, 0, n);
      break;
    case "int32":
      data = new Int32Array(buf, 0, n);
      break;
    case "uint32":
      data = new Uint32Array(buf, 0, n);
      break;
    case "int64":
      data = new BigInt64Array(buf, 0, n);
      break;
    case "uint64":
      data = new BigUint64Array(buf, 0, n);
      break;
    case "float32":
      data = new Float32Array(buf, 0, n);
      break;
    case "float64":
      data = new Float64Array(buf, 0, n);
      break;
  }
  if (fortranOrder && shape.length > 1) {
    const ctor = data.constructor as new (n: number) => typeof data;
    data = fortranToC(data, (m) => new ctor(m), shape);
  }
  return { dtype: descr.dtype, shape, data, fortranOrder };
}

interface NpyHeader {
  descr: string;
  fortranOrder: boolean;
  shape: number[];
}

function parseHeader(text: string): NpyHeader {
  const descr = /['"]descr['"]\s*:\s*['"]([^'"]+)['"]/.exec(text);
  const fortran = /['"]fortran_order['"]\s*:\s*(True|False)/.exec(text);
  const shape = /['"]shape['"]\s*:\s*\(([^)]*)\)/.exec(text);
  if (!descr || !fortran || !shape) {
    throw new Error(`Unsupported .npy header (structured dtypes are not supported): ${text.trim()}`);
  }
  const dims = shape[1]!
    .split(",")
    .map((s) => s.trim().replace(/L$/, ""))
    .filter((s) => s.length > 0)
    .map((s) => Number(s));
  return { descr: descr[1]!, fortranOrder: fortran[1] === "True", shape: dims };
}

/** Options of {@link readNpy} and {@link readNpz}. */
export interface NpyReadOptions {
  /**
   * Whether object arrays (stored as pickles) may be read. Default true: the
   * unpickler is restricted to NumPy arrays of plain Python values, so it is
   * as safe as Keras's own `npz_utils.load_npz`. Pass false for NumPy's
   * `allow_pickle=False` behaviour.
   */
  allowPickle?: boolean;
}

/** Parses the bytes of one `.npy` file. */
export function readNpy(bytes: Uint8Array, options: NpyReadOptions = {}): NdArray {
  const magic = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];
  if (bytes.length < 10 || magic.some((m, i) => bytes[i] !== m)) {
    throw new Error("Not a .npy file: the magic string \\x93NUMPY is missing.");
  }
  const major = bytes[6]!;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let headerLen: number;
  let start: number;
  if (major === 1) {
    headerLen = view.getUint16(8, true);
    start = 10;
  } else if (major === 2 || major === 3) {
    headerLen = view.getUint32(8, true);
    start = 12;
  } else {
    throw new Error(`Unsupported .npy format version ${major}.${bytes[7]}.`);
  }
  const headerBytes = bytes.subarray(start, start + headerLen);
  const headerText = major === 3 ? new TextDecoder().decode(headerBytes) : String.fromCharCode(...headerBytes);
  const header = parseHeader(headerText);
  const descr = parseDescr(header.descr);
  const body = bytes.subarray(start + headerLen);
  if (descr.dtype === "object") {
    if (options.allowPickle === false) {
      throw new Error("Object arrays cannot be loaded when allowPickle=false.");
    }
    const value = unpickle(body, { encoding: "latin1" });
    if (value === null || typeof value !== "object" || (value as NdArray).dtype !== "object") {
      throw new Error("The pickled data of an object .npy array is not a NumPy object array.");
    }
    return value as NdArray;
  }
  return ndarrayFromBytes(body, descr, header.shape, header.fortranOrder);
}

/** Parses the bytes of a `.npz` archive into its arrays, keyed by member name without `.npy`. */
export function readNpz(bytes: Uint8Array, options: NpyReadOptions = {}): Record<string, NdArray> {
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes);
  } catch (e) {
    throw new Error(`Not a valid .npz (zip) archive: ${(e as Error).message}`);
  }
  const out: Record<string, NdArray> = {};
  for (const [name, content] of Object.entries(files)) {
    if (!name.endsWith(".npy")) continue;
    out[name.slice(0, -4)] = readNpy(content, options);
  }
  return out;
}

/** Reads a `.npy` file from disk. */
export function loadNpy(path: string, options: NpyReadOptions = {}): NdArray {
  return readNpy(new Uint8Array(readFileSync(path)), options);
}

/** Reads a `.npz` file from disk (NumPy's `np.load(path)` on an archive). */
export function loadNpz(path: string, options: NpyReadOptions = {}): Record<string, NdArray> {
  try {
    return readNpz(new Uint8Array(readFileSync(path)), options);
  } catch (e) {
    throw new Error(`Could not read ${path}: ${(e as Error).message}`);
  }
}

/** The tensor dtypes {@link ndarrayToTensor} can produce. */
export type NdTensorDtype = "int32" | "float32" | "bool";

/**
 * Turns a numeric {@link NdArray} into a tfjs tensor. tfjs has no 8/16/64-bit
 * ints nor float64, so by default: integer dtypes → `int32` (int64/uint32
 * values must fit, else an error), floats → `float32`, bool → `bool`. Pass
 * `dtype` to convert (e.g. uint8 images straight to `float32`).
 */
export function ndarrayToTensor(arr: NdArray, dtype?: NdTensorDtype): Tensor {
  const target: NdTensorDtype =
    dtype ?? (arr.dtype === "bool" ? "bool" : arr.dtype === "float32" || arr.dtype === "float64" ? "float32" : "int32");
  if (arr.dtype === "object") throw new Error("Cannot make a tensor of an object array; its elements are Python objects.");
  const values = ndarrayToNumbers(arr, target === "int32");
  const typed =
    target === "float32"
      ? values instanceof Float32Array
        ? values
        : Float32Array.from(values as ArrayLike<number>)
      : target === "int32"
        ? values instanceof Int32Array
          ? values
          : Int32Array.from(values as ArrayLike<number>)
        : Uint8Array.from(values as ArrayLike<number>);
  return tf.tensor(typed, arr.shape, target);
}

/**
 * The elements of a numeric {@link NdArray} as a JS number array-like
 * (int64 values converted to numbers; with `checkInt32`, values outside the
 * int32 range throw).
 */
export function ndarrayToNumbers(arr: NdArray, checkInt32 = false): ArrayLike<number> {
  const d = arr.data;
  if (Array.isArray(d)) throw new Error("ndarrayToNumbers: object array.");
  if (d instanceof BigInt64Array || d instanceof BigUint64Array) {
    const out = new Float64Array(d.length);
    for (let i = 0; i < d.length; i++) out[i] = Number(d[i]!);
    if (checkInt32) assertInt32(out, arr.dtype);
    return out;
  }
  if (checkInt32 && d instanceof Uint32Array) assertInt32(d, arr.dtype);
  return d as ArrayLike<number>;
}

function assertInt32(values: ArrayLike<number>, dtype: string): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v > 2147483647 || v < -2147483648) {
      throw new Error(`A ${dtype} value (${v}) does not fit in int32, the widest integer dtype tfjs has.`);
    }
  }
}
