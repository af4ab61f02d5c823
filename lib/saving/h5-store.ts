/**
 * The variable store of `model.weights.h5` (Keras's `H5IOStore`), on
 * h5wasm. Each saveable object's own variables sit in the group
 * `<inner path>/vars` as datasets `"0"`, `"1"`, ... (at the root: `/vars`);
 * the group's `name` attribute is the object's name.
 *
 * h5wasm works on files of its Emscripten file system, so bytes are written
 * there under a unique name, opened, and removed again on `close()`.
 */
import type * as H5 from "h5wasm";

/** The dtypes a stored array comes back as (tfjs's dtypes). */
export type StoredDType = "float32" | "int32" | "bool";

/** One stored variable: its data, shape and dtype. */
export interface StoredArray {
  /** The dataset's key inside its `vars` group (`"0"`, `"1"`, ...). */
  key: string;
  /** Row-major values. float16/bfloat16/float64 come back as Float32Array, int64/uint* as Int32Array. */
  data: Float32Array | Int32Array | Uint8Array;
  shape: number[];
  dtype: StoredDType;
  /** The dtype as stored in the file (`float64`, `int64`, `bfloat16`, ...). */
  storedDtype: string;
}

interface EmscriptenFs {
  writeFile(path: string, data: Uint8Array): void;
  readFile(path: string): Uint8Array;
  unlink(path: string): void;
}

type H5Lib = typeof H5;

let h5Promise: Promise<{ lib: H5Lib; fs: EmscriptenFs }> | null = null;

function isNode(): boolean {
  const p = (globalThis as { process?: { versions?: { node?: string } } }).process;
  return typeof p?.versions?.node === "string";
}

/** Loads h5wasm once (its Node build under Node, its ES module build elsewhere) and waits for it to be ready. */
export async function loadH5wasm(): Promise<{ lib: H5Lib; fs: EmscriptenFs }> {
  if (!h5Promise) {
    h5Promise = (async () => {
      const lib = (isNode() ? await import("h5wasm/node") : await import("h5wasm")) as H5Lib;
      const module = await lib.ready;
      const fs = (module as unknown as { FS: EmscriptenFs }).FS;
      return { lib, fs };
    })();
    h5Promise.catch(() => {
      h5Promise = null;
    });
  }
  return h5Promise;
}

let fileCounter = 0;

function uniqueFsName(): string {
  fileCounter += 1;
  return `/tskeras_${Date.now().toString(36)}_${fileCounter}.h5`;
}

function joinPath(...parts: string[]): string {
  return parts.filter((p) => p !== "").join("/").replace(/\/+/g, "/").replace(/^\//, "");
}

function halfToFloat(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return s * 2 ** -14 * (f / 1024);
  if (e === 31) return f ? NaN : s * Infinity;
  return s * 2 ** (e - 15) * (1 + f / 1024);
}

/** Converts what h5wasm returns for a dataset into a tfjs-friendly typed array. */
function toStoredArray(key: string, ds: H5.Dataset, where: string): StoredArray {
  const meta = ds.metadata;
  const shape = ds.shape ?? [];
  const raw = ds.value;
  const attrs = ds.attrs;
  const bf16 = "dtype" in attrs && String(attrs.dtype.value) === "bfloat16";
  const size = shape.reduce((a, b) => a * b, 1);
  const asArray = (v: unknown): ArrayLike<number | bigint> | null => {
    if (ArrayBuffer.isView(v)) return v as unknown as ArrayLike<number | bigint>;
    if (typeof v === "number" || typeof v === "bigint") return [v];
    if (typeof v === "boolean") return [v ? 1 : 0];
    if (Array.isArray(v)) return (v as unknown[]).flat(Infinity) as number[];
    return null;
  };
  const values = asArray(raw);
  if (values === null || values.length !== size) {
    throw new Error(`Cannot read the dataset ${where}: unsupported HDF5 type (${JSON.stringify({ type: meta.type, size: meta.size })}).`);
  }
  if (bf16) {
    const out = new Float32Array(size);
    const bits = new Uint32Array(out.buffer);
    for (let i = 0; i < size; i++) bits[i] = Number(values[i]) << 16;
    return { key, data: out, shape, dtype: "float32", storedDtype: "bfloat16" };
  }
  // HDF5 classes: 0 integer, 1 float, 8 enum (h5py stores numpy bools as an int8 enum).
  if (meta.type === 1) {
    if (meta.size === 4 && values instanceof Float32Array) return { key, data: values, shape, dtype: "float32", storedDtype: "float32" };
    const out = new Float32Array(size);
    if (meta.size === 2 && !(values instanceof Float32Array) && !(values instanceof Float64Array)) {
      for (let i = 0; i < size; i++) out[i] = halfToFloat(Number(values[i]));
    } else {
      for (let i = 0; i < size; i++) out[i] = Number(values[i]);
    }
    return { key, data: out, shape, dtype: "float32", storedDtype: `float${meta.size * 8}` };
  }
  if (meta.type === 8 && meta.size === 1) {
    const out = new Uint8Array(size);
    for (let i = 0; i < size; i++) out[i] = Number(values[i]) ? 1 : 0;
    return { key, data: out, shape, dtype: "bool", storedDtype: "bool" };
  }
  if (meta.type === 0) {
    const storedDtype = `${meta.signed ? "int" : "uint"}${meta.size * 8}`;
    if (values instanceof Int32Array) return { key, data: values, shape, dtype: "int32", storedDtype };
    const out = new Int32Array(size);
    for (let i = 0; i < size; i++) {
      const n = Number(values[i]);
      if (n > 2147483647 || n < -2147483648) {
        throw new Error(`The dataset ${where} (${storedDtype}) holds ${n}, which does not fit in int32 (tfjs has no int64).`);
      }
      out[i] = n;
    }
    return { key, data: out, shape, dtype: "int32", storedDtype };
  }
  throw new Error(`Cannot read the dataset ${where}: unsupported HDF5 type class ${meta.type} (size ${meta.size}).`);
}

/** A read-only view of a `model.weights.h5` file. Call `close()` when done. */
export class H5Store {
  private readonly file: H5.File;
  private readonly fsName: string;
  private readonly fs: EmscriptenFs;
  private readonly lib: H5Lib;
  private closed = false;

  private constructor(lib: H5Lib, fs: EmscriptenFs, fsName: string, file: H5.File) {
    this.lib = lib;
    this.fs = fs;
    this.fsName = fsName;
    this.file = file;
  }

  /** Opens HDF5 bytes. `source` names them in error messages. */
  static async fromBytes(bytes: Uint8Array, source = "model.weights.h5"): Promise<H5Store> {
    const { lib, fs } = await loadH5wasm();
    if (bytes.length < 8 || bytes[0] !== 0x89 || bytes[1] !== 0x48 || bytes[2] !== 0x44 || bytes[3] !== 0x46) {
      throw new Error(`${source} is not an HDF5 file (it does not start with the HDF5 signature).`);
    }
    const fsName = uniqueFsName();
    fs.writeFile(fsName, bytes);
    try {
      const file = new lib.File(fsName, "r");
      return new H5Store(lib, fs, fsName, file);
    } catch (e) {
      fs.unlink(fsName);
      throw new Error(`${source} could not be opened as HDF5 (${(e as Error).message}).`);
    }
  }

  private entity(path: string): H5.Entity | null {
    this.checkOpen();
    const p = joinPath(path);
    if (p === "") return this.file;
    try {
      return this.file.get(p);
    } catch {
      return null;
    }
  }

  private checkOpen(): void {
    if (this.closed) throw new Error("The HDF5 store is closed.");
  }

  private isGroup(e: H5.Entity | null): e is H5.Group {
    return e instanceof this.lib.Group;
  }

  /** True when a group or dataset exists at `path` (`""` is the root). */
  hasPath(path: string): boolean {
    return this.entity(path) !== null;
  }

  /** The names of the members of the group at `path`, sorted as Keras sorts them (numbers numerically). Empty when there is no group. */
  keys(path = ""): string[] {
    const e = this.entity(path);
    if (!this.isGroup(e)) return [];
    return sortKeys(e.keys());
  }

  /** Whether `path/vars` exists (the object at `path` was saved, possibly with no variables). */
  hasVars(path: string): boolean {
    return this.isGroup(this.entity(joinPath(path, "vars")));
  }

  /** The `name` attribute of `path/vars` (the saved object's name), or null. */
  savedName(path: string): string | null {
    const e = this.entity(joinPath(path, "vars"));
    if (!this.isGroup(e)) return null;
    const attr = e.attrs.name;
    return attr ? String(attr.value) : null;
  }

  /** The attributes of the group or dataset at `path`, as JSON values. */
  attrs(path: string): Record<string, unknown> {
    const e = this.entity(path);
    if (!e || !(e instanceof this.lib.Group || e instanceof this.lib.Dataset)) return {};
    const out: Record<string, unknown> = {};
    for (const [k, a] of Object.entries(e.attrs)) out[k] = a.json_value;
    return out;
  }

  /**
   * The variables stored for the object at `path`: the datasets of
   * `path/vars` in numeric order (`0`, `1`, ..., `10`), as Keras's
   * `H5IOStore.get` reads them. An empty list when the group is missing.
   * Keras 2.13 files that used `_layer_checkpoint_dependencies` for `layers` are read too.
   */
  get(path: string): StoredArray[] {
    let group = this.entity(joinPath(path, "vars"));
    if (!this.isGroup(group) && this.hasPath("_layer_checkpoint_dependencies")) {
      group = this.entity(joinPath(path.replace(/layers/g, "_layer_checkpoint_dependencies"), "vars"));
    }
    if (!this.isGroup(group)) return [];
    const g = group;
    return sortKeys(g.keys()).map((k) => {
      const ds = g.get(k);
      const where = `/${joinPath(path, "vars", k)}`;
      if (!(ds instanceof this.lib.Dataset)) throw new Error(`Expected a dataset at ${where} of the weights file.`);
      return toStoredArray(k, ds, where);
    });
  }

  /** Every group path that has a `vars` group, depth first (for messages and debugging). */
  varsPaths(): string[] {
    const out: string[] = [];
    const visit = (path: string): void => {
      for (const k of this.keys(path)) {
        const child = joinPath(path, k);
        if (k === "vars") out.push(path);
        else if (this.isGroup(this.entity(child))) visit(child);
      }
    };
    visit("");
    return out;
  }

  /** Closes the file and frees its copy in h5wasm's file system. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      this.file.close();
    } finally {
      try {
        this.fs.unlink(this.fsName);
      } catch {
        // already gone
      }
    }
  }
}

/** A value `H5Writer.set` stores. */
export interface ArrayToStore {
  /** The dataset's name in the `vars` group; default its position (`"0"`, `"1"`, ...). Keras's lookup layers use `"idf_weights"`. */
  key?: string;
  data: Float32Array | Int32Array | Uint8Array;
  shape: number[];
  dtype: StoredDType;
}

/**
 * Writes a `model.weights.h5` file the way Keras's `H5IOStore` does in
 * write mode: `make(path, name)` creates `path/vars` with its `name`
 * attribute, `set(path, key, value)` adds a dataset. `toBytes()` closes the
 * file and returns its bytes.
 */
export class H5Writer {
  private readonly file: H5.File;
  private readonly fsName: string;
  private readonly fs: EmscriptenFs;
  private readonly lib: H5Lib;
  private done = false;

  private constructor(lib: H5Lib, fs: EmscriptenFs, fsName: string, file: H5.File) {
    this.lib = lib;
    this.fs = fs;
    this.fsName = fsName;
    this.file = file;
  }

  /** Creates an empty file. */
  static async create(): Promise<H5Writer> {
    const { lib, fs } = await loadH5wasm();
    const fsName = uniqueFsName();
    const file = new lib.File(fsName, "w", { libver: ["earliest", "v110"] });
    return new H5Writer(lib, fs, fsName, file);
  }

  private group(path: string): H5.Group {
    let g: H5.Group = this.file;
    for (const part of joinPath(path).split("/").filter((p) => p !== "")) {
      const next = g.get(part);
      g = next instanceof this.lib.Group ? next : g.create_group(part);
    }
    return g;
  }

  /** Creates `path/vars` (at the root: `/vars`) with the attribute `name`. */
  make(path: string, name: string | null): void {
    const vars = this.group(joinPath(path, "vars"));
    if (name !== null) vars.create_attribute("name", name);
  }

  /** Stores one variable as dataset `path/vars/key`. */
  set(path: string, key: string, value: ArrayToStore): void {
    const vars = this.group(joinPath(path, "vars"));
    const dtype = value.dtype === "float32" ? "<f" : value.dtype === "int32" ? "<i" : "|b1";
    const data = value.dtype === "bool" ? new Int8Array(value.data) : value.data;
    vars.create_dataset({ name: key, data: data as Float32Array | Int32Array, shape: value.shape, dtype: value.dtype === "bool" ? "<b" : dtype });
  }

  /** Closes and deletes the file without returning it (after a failed write). */
  discard(): void {
    if (this.done) return;
    this.done = true;
    try {
      this.file.close();
    } finally {
      try {
        this.fs.unlink(this.fsName);
      } catch {
        // already gone
      }
    }
  }

  /** Closes the file and returns its bytes. */
  toBytes(): Uint8Array {
    if (this.done) throw new Error("H5Writer.toBytes() was already called.");
    this.done = true;
    this.file.close();
    try {
      return this.fs.readFile(this.fsName);
    } finally {
      this.fs.unlink(this.fsName);
    }
  }
}

/** Keras's key order for `vars` groups: numeric keys numerically, then the others by name. */
export function sortKeys(keys: string[]): string[] {
  const num = (k: string): number => (/^\d+$/.test(k) ? Number(k) : NaN);
  return [...keys].sort((a, b) => {
    const na = num(a);
    const nb = num(b);
    if (!Number.isNaN(na) && !Number.isNaN(nb)) return na - nb;
    if (!Number.isNaN(na)) return -1;
    if (!Number.isNaN(nb)) return 1;
    return a < b ? -1 : a > b ? 1 : 0;
  });
}
