/** A tiny reader of NumPy .npy / .npz files (little-endian, C order), for tests. */
import { unzipSync } from "fflate";

/** One array: flat data, shape and numpy dtype string. */
export interface NpyArray {
  data: Float32Array | Float64Array | Int32Array | BigInt64Array | Uint8Array;
  shape: number[];
  dtype: string;
}

/** Parses the bytes of one .npy file. */
export function parseNpy(bytes: Uint8Array): NpyArray {
  if (bytes[0] !== 0x93 || String.fromCharCode(...bytes.slice(1, 6)) !== "NUMPY") throw new Error("not a .npy file");
  const major = bytes[6];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLen = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const headerStart = major === 1 ? 10 : 12;
  const header = new TextDecoder().decode(bytes.slice(headerStart, headerStart + headerLen));
  const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1];
  const fortran = /'fortran_order':\s*True/.test(header);
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1] ?? "";
  const shape = shapeText.split(",").map((s) => s.trim()).filter((s) => s !== "").map(Number);
  if (!descr || fortran) throw new Error(`unsupported npy header: ${header}`);
  const offset = headerStart + headerLen;
  const body = new Uint8Array(bytes.subarray(offset)); // a copy, so the data is aligned (Buffer.slice is a view)
  const size = shape.reduce((a, b) => a * b, 1);
  const kind = descr.slice(1);
  let data: NpyArray["data"];
  if (kind === "f4") data = new Float32Array(body.buffer, 0, size);
  else if (kind === "f8") data = new Float64Array(body.buffer, 0, size);
  else if (kind === "i4") data = new Int32Array(body.buffer, 0, size);
  else if (kind === "i8") data = new BigInt64Array(body.buffer, 0, size);
  else if (kind === "u1" || kind === "b1") data = new Uint8Array(body.buffer, 0, size);
  else throw new Error(`unsupported npy dtype ${descr}`);
  return { data, shape, dtype: descr };
}

/** Parses an .npz archive: its arrays by name (without the `.npy` suffix). */
export function parseNpz(bytes: Uint8Array): Record<string, NpyArray> {
  const files = unzipSync(bytes);
  const out: Record<string, NpyArray> = {};
  for (const [name, b] of Object.entries(files)) out[name.replace(/\.npy$/, "")] = parseNpy(b);
  return out;
}
