/**
 * Writers of Keras's dataset file formats, for tests: `.npy` / `.npz`
 * (NumPy), a Python-2-style protocol-2 pickle writer (what CIFAR batches and
 * NumPy object arrays are), IDX files, and tar archives. Each test writes its
 * small files into a temporary KERAS_HOME; nothing touches the network.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { gzipSync } from "node:zlib";
import { zipSync } from "fflate";

/** A Python tuple, for the pickle writer (plain arrays are lists). */
export class Tuple {
  constructor(readonly items: unknown[]) {}
}

/** A NumPy array to pickle: numeric (`bytes`) or object (`items`). */
export class PickledArray {
  constructor(
    readonly descr: string,
    readonly shape: number[],
    readonly bytes: Uint8Array | null,
    readonly items: unknown[] | null = null,
  ) {}
}

/** Little-endian bytes of typed data. */
export function leBytes(data: ArrayBufferView): Uint8Array {
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice();
}

class ByteSink {
  private chunks: Uint8Array[] = [];
  push(...bytes: number[]): void {
    this.chunks.push(Uint8Array.from(bytes));
  }
  bytes(b: Uint8Array): void {
    this.chunks.push(b);
  }
  ascii(s: string): void {
    this.chunks.push(Uint8Array.from([...s].map((c) => c.charCodeAt(0))));
  }
  u32(v: number): void {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, v, true);
    this.chunks.push(b);
  }
  done(): Uint8Array {
    const n = this.chunks.reduce((a, c) => a + c.length, 0);
    const out = new Uint8Array(n);
    let o = 0;
    for (const c of this.chunks) {
      out.set(c, o);
      o += c.length;
    }
    return out;
  }
}

/**
 * Pickles `value` with protocol 2 as Python 2's cPickle writes it (byte
 * strings as `SHORT_BINSTRING`/`BINSTRING`, memo `BINPUT`s, NumPy arrays
 * through `numpy.core.multiarray._reconstruct`, repeated globals by `BINGET`).
 * JS: null, booleans, integers, floats, `Uint8Array` (a py2 str), strings
 * (unicode), arrays (lists), {@link Tuple}, `Map` (dicts), {@link PickledArray}.
 */
export function pickle2(value: unknown): Uint8Array {
  const out = new ByteSink();
  let memo = 0;
  const globals = new Map<string, number>();
  const put = (): void => {
    if (memo < 256) out.push(0x71, memo);
    else {
      out.push(0x72);
      out.u32(memo);
    }
    memo++;
  };
  const global = (module: string, name: string): void => {
    const key = `${module}\n${name}\n`;
    const at = globals.get(key);
    if (at !== undefined) {
      out.push(0x68, at);
      return;
    }
    out.push(0x63);
    out.ascii(key);
    globals.set(key, memo);
    put();
  };
  const str = (b: Uint8Array): void => {
    if (b.length < 256) out.push(0x55, b.length);
    else {
      out.push(0x54);
      out.u32(b.length);
    }
    out.bytes(b);
    put();
  };
  const ascii = (s: string): Uint8Array => Uint8Array.from([...s].map((c) => c.charCodeAt(0)));
  const write = (v: unknown): void => {
    if (v === null) out.push(0x4e);
    else if (v === true) out.push(0x88);
    else if (v === false) out.push(0x89);
    else if (typeof v === "number" && Number.isInteger(v)) {
      if (v >= 0 && v < 256) out.push(0x4b, v);
      else if (v >= 0 && v < 65536) out.push(0x4d, v & 0xff, v >> 8);
      else if (v >= -2147483648 && v <= 2147483647) {
        out.push(0x4a);
        const b = new Uint8Array(4);
        new DataView(b.buffer).setInt32(0, v, true);
        out.bytes(b);
      } else {
        // LONG1, little-endian two's complement.
        let big = BigInt(v);
        const bytes: number[] = [];
        const neg = big < 0n;
        for (let i = 0; i < 16; i++) {
          bytes.push(Number(big & 0xffn));
          big >>= 8n;
          if ((big === 0n && !neg && !(bytes[bytes.length - 1]! & 0x80)) || (big === -1n && neg && bytes[bytes.length - 1]! & 0x80)) break;
        }
        out.push(0x8a, bytes.length, ...bytes);
      }
    } else if (typeof v === "number") {
      out.push(0x47);
      const b = new Uint8Array(8);
      new DataView(b.buffer).setFloat64(0, v, false);
      out.bytes(b);
    } else if (v instanceof Uint8Array) str(v);
    else if (typeof v === "string") {
      const b = new TextEncoder().encode(v);
      out.push(0x58);
      out.u32(b.length);
      out.bytes(b);
      put();
    } else if (Array.isArray(v)) {
      out.push(0x5d);
      put();
      if (v.length === 1) {
        write(v[0]);
        out.push(0x61);
      } else if (v.length > 0) {
        out.push(0x28);
        for (const item of v) write(item);
        out.push(0x65);
      }
    } else if (v instanceof Tuple) {
      if (v.items.length <= 3 && v.items.length > 0) {
        for (const item of v.items) write(item);
        out.push([0x85, 0x86, 0x87][v.items.length - 1]!);
      } else if (v.items.length === 0) out.push(0x29);
      else {
        out.push(0x28);
        for (const item of v.items) write(item);
        out.push(0x74);
      }
      put();
    } else if (v instanceof Map) {
      out.push(0x7d);
      put();
      out.push(0x28);
      for (const [k, val] of v) {
        write(k);
        write(val);
      }
      out.push(0x75);
    } else if (v instanceof PickledArray) {
      global("numpy.core.multiarray", "_reconstruct");
      global("numpy", "ndarray");
      write(new Tuple([0]));
      str(ascii("b"));
      out.push(0x87);
      put();
      out.push(0x52);
      put();
      // state: (1, shape, dtype, is_fortran, data)
      out.push(0x28, 0x4b, 1);
      write(new Tuple(v.shape));
      global("numpy", "dtype");
      const order = v.descr[0]!;
      const kind = v.descr.slice(1);
      str(ascii(kind === "O" ? "O8" : kind));
      out.push(0x4b, 0, 0x4b, 1, 0x87);
      put();
      out.push(0x52);
      put();
      out.push(0x28, 0x4b, 3);
      str(ascii(order));
      out.push(0x4e, 0x4e, 0x4e, 0x4a, 0xff, 0xff, 0xff, 0xff, 0x4a, 0xff, 0xff, 0xff, 0xff, 0x4b, kind === "O" ? 63 : 0, 0x74);
      put();
      out.push(0x62, 0x89);
      if (v.items) write(v.items);
      else str(v.bytes!);
      out.push(0x74);
      put();
      out.push(0x62);
    } else throw new Error(`pickle2: cannot write ${typeof v}`);
  };
  out.push(0x80, 2);
  write(value);
  out.push(0x2e);
  return out.done();
}

/** A `.npy` file (format 1.0, header padded to 64 bytes as NumPy does). Object arrays take `items` (pickled). */
export function npy(descr: string, shape: number[], data: ArrayBufferView | unknown[], fortran = false): Uint8Array {
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(", ")})`;
  let header = `{'descr': '${descr}', 'fortran_order': ${fortran ? "True" : "False"}, 'shape': ${shapeText}, }`;
  const total = 10 + header.length + 1;
  header += " ".repeat((64 - (total % 64)) % 64) + "\n";
  const out = new ByteSink();
  out.push(0x93);
  out.ascii("NUMPY");
  out.push(1, 0, header.length & 0xff, header.length >> 8);
  out.ascii(header);
  if (Array.isArray(data)) out.bytes(pickle2(new PickledArray("|O", shape, null, data)));
  else out.bytes(leBytes(data));
  return out.done();
}

/** A `.npz` archive of `.npy` members (stored like `np.savez`, or deflated like `np.savez_compressed`). */
export function npz(members: Record<string, Uint8Array>, compressed = false): Uint8Array {
  const files: Record<string, Uint8Array> = {};
  for (const [k, v] of Object.entries(members)) files[`${k}.npy`] = v;
  return zipSync(files, { level: compressed ? 6 : 0 });
}

/** A gzipped IDX file of unsigned bytes. */
export function idxGz(shape: number[], data: Uint8Array): Uint8Array {
  const header = new Uint8Array(4 + 4 * shape.length);
  const view = new DataView(header.buffer);
  header[2] = 0x08;
  header[3] = shape.length;
  shape.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  const raw = new Uint8Array(header.length + data.length);
  raw.set(header);
  raw.set(data, header.length);
  return new Uint8Array(gzipSync(raw));
}

/** A ustar tar archive (gzipped when `gzip`), directories from the paths' parents. */
export function tar(files: Record<string, Uint8Array>, gzip = true): Uint8Array {
  const out = new ByteSink();
  const dirs = new Set<string>();
  const header = (name: string, size: number, type: string): void => {
    const h = new Uint8Array(512);
    const put = (s: string, at: number): void => {
      for (let i = 0; i < s.length; i++) h[at + i] = s.charCodeAt(i);
    };
    put(name, 0);
    put(type === "5" ? "0000755\0" : "0000644\0", 100);
    put("0000000\0", 108);
    put("0000000\0", 116);
    put(size.toString(8).padStart(11, "0") + "\0", 124);
    put("00000000000\0", 136);
    put("        ", 148);
    put(type, 156);
    put("ustar\0", 257);
    put("00", 263);
    const sum = h.reduce((a, b) => a + b, 0);
    put(sum.toString(8).padStart(6, "0") + "\0 ", 148);
    out.bytes(h);
  };
  for (const [name, data] of Object.entries(files)) {
    const parts = name.split("/");
    for (let i = 1; i < parts.length; i++) {
      const d = parts.slice(0, i).join("/") + "/";
      if (!dirs.has(d)) {
        dirs.add(d);
        header(d, 0, "5");
      }
    }
    header(name, data.length, "0");
    out.bytes(data);
    if (data.length % 512) out.bytes(new Uint8Array(512 - (data.length % 512)));
  }
  out.bytes(new Uint8Array(1024));
  const raw = out.done();
  return gzip ? new Uint8Array(gzipSync(raw)) : raw;
}

/** A temporary KERAS_HOME, set in `process.env` until {@link TempKerasHome.dispose}. */
export class TempKerasHome {
  readonly root: string;
  private readonly previous: string | undefined;
  constructor() {
    this.root = mkdtempSync(join(tmpdir(), "tskeras-datasets-"));
    this.previous = process.env.KERAS_HOME;
    process.env.KERAS_HOME = this.root;
  }
  /** `$KERAS_HOME/datasets/<rel>`. */
  path(rel: string): string {
    return join(this.root, "datasets", rel);
  }
  /** Writes a file under `$KERAS_HOME/datasets`. */
  write(rel: string, data: Uint8Array | string): string {
    const p = this.path(rel);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, data);
    return p;
  }
  dispose(): void {
    if (this.previous === undefined) delete process.env.KERAS_HOME;
    else process.env.KERAS_HOME = this.previous;
    rmSync(this.root, { recursive: true, force: true });
  }
}

/** A fetch that always fails as when there is no network. */
export function offlineFetch(): typeof fetch {
  return (async (input: unknown) => {
    throw Object.assign(new TypeError("fetch failed"), {
      cause: Object.assign(new Error(`getaddrinfo ENOTFOUND (${String(input)})`), { code: "ENOTFOUND" }),
    });
  }) as typeof fetch;
}
