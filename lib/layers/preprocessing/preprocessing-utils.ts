/**
 * Helpers shared by the (non-image) preprocessing layers: string inputs,
 * categorical encoding (Keras's `numerical_utils.encode_categorical_inputs`),
 * iterating the data given to `adapt`, and the assets directory that the
 * lookup layers save their vocabulary in.
 */
import { tf, type Tensor } from "../../backend/tfjs.js";
import { KerasTensor, type Shape } from "../../backend/keras-tensor.js";
import { Variable } from "../../backend/variable.js";
import { isPyDatasetLike } from "../../trainers/data-adapters/py-dataset.js";
import { isDatasetLike } from "../../trainers/data-adapters/iterable-data-adapter.js";

/** Strings nested in arrays: `"a"`, `["a", "b"]`, `[["a"], ["b"]]`. */
export type NestedStrings = string | readonly NestedStrings[];

/** What a layer that takes text accepts besides tensors: JS strings and (nested) arrays of strings. */
export type StringData = string | readonly string[] | readonly (readonly string[])[] | readonly NestedStrings[];

/** The output encodings of the categorical layers. */
export type CategoricalOutputMode = "int" | "one_hot" | "multi_hot" | "count" | "tf_idf";

function isStringNested(x: unknown): boolean {
  if (typeof x === "string") return true;
  if (!Array.isArray(x) || x.length === 0) return false;
  const leaves = (x as unknown[]).flat(Infinity);
  return leaves.length > 0 && leaves.every((v) => typeof v === "string");
}

/**
 * Replaces JS strings and nested arrays of strings in a call's inputs by
 * string tensors (elsewhere in lists, recursively). Returns the new inputs
 * and the tensors created (the caller disposes them).
 */
export function stringsToTensors(x: unknown): { inputs: unknown; created: Tensor[] } {
  const created: Tensor[] = [];
  const visit = (v: unknown): unknown => {
    if (isStringNested(v)) {
      const t = typeof v === "string" ? tf.scalar(v, "string") : tf.tensor(v as string[], undefined, "string");
      created.push(t);
      return t;
    }
    if (Array.isArray(v) && v.length > 0 && v.some((e) => isStringNested(e) || Array.isArray(e))) return v.map(visit);
    return v;
  };
  return { inputs: visit(x), created };
}

/** The values of a string tensor as JS strings (row-major). */
export function stringValues(t: Tensor): string[] {
  if (t.dtype !== "string") return Array.from(t.dataSync() as ArrayLike<number>, (v) => String(v));
  return t.dataSync() as unknown as string[];
}

/** Flat values and shape of tensor-like data (tensor, variable, JS numbers or strings, nested arrays). */
export function flatData(x: unknown): { values: (string | number)[]; shape: number[]; isString: boolean } {
  if (x instanceof Variable) x = x.value;
  if (x instanceof tf.Tensor) {
    const values = x.dtype === "string" ? (x.dataSync() as unknown as string[]) : Array.from(x.dataSync() as ArrayLike<number>);
    return { values: [...values], shape: [...x.shape], isString: x.dtype === "string" };
  }
  if (ArrayBuffer.isView(x)) {
    const a = Array.from(x as unknown as ArrayLike<number>);
    return { values: a, shape: [a.length], isString: false };
  }
  if (typeof x === "string" || typeof x === "number" || typeof x === "boolean") {
    return { values: [typeof x === "boolean" ? Number(x) : x], shape: [], isString: typeof x === "string" };
  }
  if (Array.isArray(x)) {
    const shape: number[] = [];
    let cur: unknown = x;
    while (Array.isArray(cur)) {
      shape.push(cur.length);
      cur = cur[0];
    }
    const values = (x as unknown[]).flat(Infinity) as (string | number)[];
    return { values, shape, isString: typeof values[0] === "string" };
  }
  throw new TypeError(`Expected a tensor, an array or a number. Received: ${describe(x)}`);
}

function describe(x: unknown): string {
  if (x === null || x === undefined) return String(x);
  return typeof x === "object" ? (x.constructor?.name ?? "object") : typeof x;
}

/**
 * Keras's `encode_categorical_inputs` on integer indices: `"int"` casts;
 * `"one_hot"` encodes each element (a last dimension of 1 is replaced);
 * `"multi_hot"` / `"count"` reduce the last axis (a rank-1 input is one
 * sample). Indices outside `[0, depth)` encode to zeros (as TF's bincount
 * drops them). `countWeights` (same shape as `indices`) weights `"count"`.
 */
export function encodeCategorical(
  indices: Tensor,
  outputMode: CategoricalOutputMode,
  depth: number,
  dtype: "float32" | "int32" = "float32",
  countWeights: Tensor | null = null,
): Tensor {
  return tf.tidy(() => {
    let x = indices.dtype === "int32" ? indices : tf.cast(indices, "int32");
    if (outputMode === "int") return tf.cast(x, dtype);
    if (x.rank === 0) x = tf.reshape(x, [1]);
    if (outputMode === "one_hot") {
      if (x.rank > 1 && x.shape[x.rank - 1] === 1) x = tf.reshape(x, x.shape.slice(0, -1));
      return tf.cast(tf.oneHot(tf.reshape(x, [-1]), depth).reshape([...x.shape, depth]), dtype);
    }
    const oh = tf.oneHot(tf.reshape(x, [-1]), depth).reshape([...x.shape, depth]);
    const axis = x.rank - 1;
    if (outputMode === "multi_hot") return tf.cast(tf.max(oh, axis), dtype);
    // count (and tf_idf, which multiplies the counts by the idf weights afterwards)
    if (countWeights) {
      const w = tf.cast(countWeights, "float32").reshape([...x.shape, 1]);
      return tf.sum(tf.mul(tf.cast(oh, "float32"), w), axis);
    }
    return tf.cast(tf.sum(oh, axis), dtype);
  });
}

/** The output shape of `encodeCategorical` for an input shape. */
export function encodedShape(inputShape: Shape, outputMode: CategoricalOutputMode, depth: number | null): Shape {
  if (outputMode === "int") return [...inputShape];
  if (inputShape.length === 0) return [depth];
  if (outputMode === "one_hot") {
    if (inputShape.length > 1 && inputShape[inputShape.length - 1] === 1) return [...inputShape.slice(0, -1), depth];
    return [...inputShape, depth];
  }
  return [...inputShape.slice(0, -1), depth];
}

/** A KerasTensor for a layer's symbolic output. */
export function specOf(shape: Shape, dtype: "float32" | "int32" | "string" | "bool"): KerasTensor {
  return new KerasTensor(shape, { dtype });
}

// ------------------------------------------------------------------ adapt data

/** Data `adapt()` accepts synchronously: a tensor, JS arrays, or an iterable of batches (each batch `x` or `[x, y]`). */
export type AdaptData = Tensor | Variable | number[] | readonly unknown[] | StringData | Iterable<unknown>;

/** Data `adapt()` accepts asynchronously: async iterables and tfjs-data Datasets (then `adapt` returns a Promise). */
export type AsyncAdaptData = AsyncIterable<unknown> | { iterator(): Promise<{ next(): Promise<IteratorResult<unknown>> }> };

/** Options of `adapt`. */
export interface AdaptOptions {
  /** With an iterable: the number of batches to read. Default: all of them. */
  steps?: number | null;
}

/** Keras's `_extract_batch`: `x` from `[x, y]`, `[x, y, sw]` or `{xs, ys}` batches of a dataset. */
function extractX(batch: unknown): unknown {
  if (batch !== null && typeof batch === "object" && !Array.isArray(batch) && !(batch instanceof tf.Tensor) && !(batch instanceof Variable)) {
    const o = batch as Record<string, unknown>;
    if ("xs" in o) return o.xs;
    if ("x" in o) return o.x;
  }
  return batch;
}

function isTupleBatch(b: unknown): boolean {
  // `[x, y]` where x is a tensor (a JS array batch is data, not a tuple).
  return Array.isArray(b) && b.length >= 1 && b.length <= 3 && (b[0] instanceof tf.Tensor || b[0] instanceof Variable);
}

function batchX(b: unknown): unknown {
  const x = extractX(b);
  return isTupleBatch(x) ? (x as unknown[])[0] : x;
}

/** True when `data` is a stream of batches (not one array or tensor). */
export function isBatchStream(data: unknown): boolean {
  if (data === null || typeof data !== "object") return false;
  if (Array.isArray(data)) {
    // A list of tensor batches (or of `[x, y]` tuples of tensors) is a stream; nested JS numbers or strings are data.
    const first: unknown = data[0];
    return first instanceof tf.Tensor || first instanceof Variable || isTupleBatch(first);
  }
  if (ArrayBuffer.isView(data) || data instanceof tf.Tensor || data instanceof Variable) return false;
  return Symbol.iterator in data || Symbol.asyncIterator in data || isDatasetLike(data) || isPyDatasetLike(data);
}

/**
 * Runs `update` on each batch of `data`: once on the whole of an array or
 * tensor, else on each element of an iterable (synchronously) or of an
 * async iterable / dataset / PyDataset (then it returns a Promise).
 */
export function forEachBatch(data: unknown, update: (batch: unknown) => void, steps: number | null = null): void | Promise<void> {
  if (!isBatchStream(data)) {
    update(data);
    return;
  }
  if (isPyDatasetLike(data)) {
    const ds = data;
    const n = steps ?? ds.length;
    return (async () => {
      for (let i = 0; i < n; i++) update(batchX(await ds.getItem(i)));
    })();
  }
  if (isDatasetLike(data)) {
    const ds = data;
    return (async () => {
      const it = await ds.iterator();
      for (let i = 0; steps === null || i < steps; i++) {
        const r = await it.next();
        if (r.done) break;
        update(batchX(r.value));
      }
    })();
  }
  if (Symbol.iterator in (data as object)) {
    let i = 0;
    for (const b of data as Iterable<unknown>) {
      if (steps !== null && i >= steps) break;
      update(batchX(b));
      i++;
    }
    return;
  }
  return (async () => {
    let i = 0;
    for await (const b of data as AsyncIterable<unknown>) {
      if (steps !== null && i >= steps) break;
      update(batchX(b));
      i++;
    }
  })();
}

/** Runs `finalize` after `forEachBatch` finished (at once, or when its Promise resolves). */
export function thenFinalize(result: void | Promise<void>, finalize: () => void): void | Promise<void> {
  if (result instanceof Promise) return result.then(finalize);
  finalize();
}

// ------------------------------------------------------------------ assets

/**
 * A layer's directory of assets in a `.keras` archive (Keras's
 * `DiskIOStore.make(inner_path)` / `.get(inner_path)`): the files a layer's
 * `saveAssets(dir)` writes go to `assets/<inner_path>/<name>` in the zip.
 */
export interface AssetsDir {
  /** This directory's path below `assets/` (Keras's `inner_path`, e.g. `layers/string_lookup`). */
  readonly path: string;
  /** Writes (or replaces) the file `name` in this directory. */
  writeFile(name: string, data: Uint8Array | string): void;
  /** The bytes of the file `name`, or undefined when it is absent. */
  readFile(name: string): Uint8Array | undefined;
}

/** A layer that keeps state in asset files (Keras's `save_assets` / `load_assets`). */
export interface HasAssets {
  saveAssets(dir: AssetsDir): void;
  loadAssets(dir: AssetsDir): void;
}

/** True for objects with `saveAssets` and `loadAssets` methods (layer instances are callable, so functions count too). */
export function hasAssets(x: unknown): x is HasAssets {
  return (
    (typeof x === "object" || typeof x === "function") &&
    x !== null &&
    typeof (x as HasAssets).saveAssets === "function" &&
    typeof (x as HasAssets).loadAssets === "function"
  );
}

/**
 * An `AssetsDir` over the archive's `assets` map (path below `assets/` →
 * bytes, as `lib/saving/keras-archive.ts` reads and writes it), for the
 * layer at `innerPath`.
 */
export function assetsDirIn(assets: Map<string, Uint8Array>, innerPath: string): AssetsDir {
  const prefix = innerPath ? `${innerPath.replace(/\\/g, "/").replace(/\/+$/, "")}/` : "";
  const check = (name: string): void => {
    if (name.startsWith("/") || name.split("/").includes("..")) throw new Error(`Invalid asset path: '${name}' escapes the asset directory.`);
  };
  return {
    path: innerPath,
    writeFile(name: string, data: Uint8Array | string): void {
      check(name);
      assets.set(prefix + name, typeof data === "string" ? new TextEncoder().encode(data) : data);
    },
    readFile(name: string): Uint8Array | undefined {
      check(name);
      return assets.get(prefix + name);
    },
  };
}
