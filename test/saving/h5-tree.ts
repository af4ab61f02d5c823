/** A test helper: the whole tree of an HDF5 file (groups, datasets, attributes with their HDF5 types). */
import type * as H5 from "h5wasm";
import { loadH5wasm } from "../../lib/saving/h5-store.js";

/** One attribute: its value and HDF5 type (class 3 = string; vlen; cset 1 = UTF-8). */
export interface H5AttrInfo {
  value: unknown;
  type: number;
  vlen: boolean;
  cset: number | undefined;
}

/** One entry of the tree: a group or a dataset with its dtype, shape and values. */
export interface H5EntryInfo {
  kind: "group" | "dataset";
  attrs: Record<string, H5AttrInfo>;
  /** `f4`, `i4`, ... (class letter and size) for datasets. */
  dtype?: string;
  shape?: number[];
  values?: number[];
}

let counter = 0;

/** Every path of the file (root = ""), sorted. */
export async function h5Tree(bytes: Uint8Array): Promise<Map<string, H5EntryInfo>> {
  const { lib, fs } = await loadH5wasm();
  const name = `/h5tree_${++counter}.h5`;
  fs.writeFile(name, bytes);
  const file = new lib.File(name, "r");
  const out = new Map<string, H5EntryInfo>();
  const attrsOf = (e: H5.Group | H5.Dataset): Record<string, H5AttrInfo> => {
    const a: Record<string, H5AttrInfo> = {};
    for (const [k, v] of Object.entries(e.attrs)) {
      const m = v.metadata as { type: number; vlen: boolean; cset?: number };
      a[k] = { value: v.json_value, type: m.type, vlen: m.vlen, cset: m.cset };
    }
    return a;
  };
  const walk = (g: H5.Group, path: string): void => {
    out.set(path, { kind: "group", attrs: attrsOf(g) });
    for (const k of g.keys()) {
      const e = g.get(k);
      const p = path ? `${path}/${k}` : k;
      if (e instanceof lib.Group) walk(e, p);
      else if (e instanceof lib.Dataset) {
        const m = e.metadata;
        const cls = m.type === 1 ? "f" : m.type === 0 ? (m.signed ? "i" : "u") : m.type === 8 ? "b" : `t${m.type}`;
        const v = e.value as ArrayLike<number | bigint> | number;
        const values = typeof v === "number" || typeof v === "bigint" ? [Number(v)] : Array.from(v as ArrayLike<number | bigint>, Number);
        out.set(p, { kind: "dataset", attrs: attrsOf(e), dtype: `${cls}${m.size}`, shape: e.shape ?? [], values });
      }
    }
  };
  try {
    walk(file, "");
  } finally {
    file.close();
    fs.unlink(name);
  }
  return new Map([...out.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)));
}
