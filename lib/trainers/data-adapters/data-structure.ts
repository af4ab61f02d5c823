/** Converting user data (tensors, arrays, typed arrays, lists and dicts of them) for the trainer. */
import { tf, type Tensor } from "../../backend/tfjs.js";
import { Variable } from "../../backend/variable.js";
import { convertToTensor, describe, type TensorLike } from "../../ops/convert.js";
import { isTensorData } from "../../layers/layer.js";
import { isPlainObject } from "../../utils/tree.js";

/** One batch as the train step sees it: `[x, y, sampleWeight]` (y and sampleWeight may be undefined). */
export type Batch = [unknown, unknown?, unknown?];

/** Maps the leaves of user data (JS numeric arrays count as one leaf). */
export function mapData(x: unknown, fn: (leaf: unknown) => unknown): unknown {
  if (x === undefined || x === null) return x;
  if (x instanceof tf.Tensor || x instanceof Variable || isTensorData(x)) return fn(x);
  if (Array.isArray(x)) return x.map((e) => mapData(e, fn));
  if (isPlainObject(x)) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(x)) out[k] = mapData(x[k], fn);
    return out;
  }
  return fn(x);
}

/** The leaves of user data, in order. */
export function dataLeaves(x: unknown): unknown[] {
  const out: unknown[] = [];
  mapData(x, (l) => {
    out.push(l);
    return l;
  });
  return out;
}

/**
 * Converts every leaf to a tensor (floats stay float32, integer JS data int32).
 * Returns the structure and the tensors it created (to dispose later).
 */
export function toTensors(x: unknown, what: string): { data: unknown; created: Tensor[] } {
  const created: Tensor[] = [];
  const data = mapData(x, (leaf) => {
    if (leaf instanceof tf.Tensor) return leaf;
    if (leaf instanceof Variable) return leaf.value;
    if (isTensorData(leaf)) {
      const t = convertToTensor(leaf as TensorLike);
      created.push(t);
      return t;
    }
    throw new TypeError(`Unrecognized data type for \`${what}\`: ${describe(leaf)}. Expected tensors, arrays of numbers or typed arrays (or lists / dicts of them).`);
  });
  return { data, created };
}

/** The number of samples (first dimension) shared by every tensor; throws naming the mismatch. */
export function numSamplesOf(named: Record<string, unknown>): number {
  const sizes: [string, number][] = [];
  for (const [name, data] of Object.entries(named)) {
    for (const leaf of dataLeaves(data)) {
      if (leaf instanceof tf.Tensor) {
        if (leaf.rank === 0) throw new Error(`\`${name}\` holds a scalar; every input and target needs a first (batch) dimension.`);
        sizes.push([name, leaf.shape[0]]);
      }
    }
  }
  if (sizes.length === 0) throw new Error("No data was given: pass `x` (and `y`) as tensors or arrays.");
  const n = sizes[0][1];
  const bad = sizes.find(([, s]) => s !== n);
  if (bad) {
    const list = sizes.map(([k, s]) => `${k}: ${s}`).join(", ");
    throw new Error(
      `Data cardinality is ambiguous: make sure all arrays contain the same number of samples. Sizes: ${list}.`,
    );
  }
  return n;
}

/** Gathers rows `indices` of every tensor leaf (string tensors too, which tfjs cannot gather). */
export function gatherRows(x: unknown, indices: Tensor): unknown {
  return mapData(x, (leaf) => {
    if (!(leaf instanceof tf.Tensor)) return leaf;
    if (leaf.dtype !== "string") return tf.gather(leaf, indices);
    const rows = leaf.arraySync() as unknown[];
    const picked = Array.from(indices.dataSync(), (i) => rows[i]);
    return tf.tensor(picked as string[], [picked.length, ...leaf.shape.slice(1)], "string");
  });
}

/** Slices rows [start, start+size) of every tensor leaf. */
export function sliceRows(x: unknown, start: number, size: number): unknown {
  return mapData(x, (leaf) => (leaf instanceof tf.Tensor ? tf.slice(leaf, start, size) : leaf));
}

/** Every tensor in a structure. */
export function tensorsIn(x: unknown): Tensor[] {
  return dataLeaves(x).filter((l): l is Tensor => l instanceof tf.Tensor);
}

/**
 * `keras.utils.unpackXYSampleWeight`: `[x, y?, sw?]` from a batch given as an
 * array (always read as the tuple `[x]`, `[x, y]` or `[x, y, sampleWeight]`,
 * as Keras reads lists) or as `{x|xs, y|ys, sampleWeight}`; anything else is `x`.
 */
export function unpackXYSampleWeight(data: unknown): Batch {
  if (Array.isArray(data)) {
    if (data.length === 0 || data.length > 3) {
      throw new Error(
        `Data is expected to be in format \`x\`, \`[x]\`, \`[x, y]\`, or \`[x, y, sampleWeight]\`, found an array of length ${data.length}. ` +
          "Wrap a plain array of samples as a tensor (or in a one-element array) to pass it as `x`.",
      );
    }
    return [data[0], data[1], data[2]];
  }
  if (isPlainObject(data) && ("xs" in data || "x" in data)) {
    return [data.xs ?? data.x, data.ys ?? data.y, data.sampleWeight ?? data.sample_weight];
  }
  return [data, undefined, undefined];
}

/** `keras.utils.packXYSampleWeight`: the inverse of unpackXYSampleWeight. */
export function packXYSampleWeight(x: unknown, y?: unknown, sampleWeight?: unknown): Batch {
  if (y === undefined) return [x];
  if (sampleWeight === undefined) return [x, y];
  return [x, y, sampleWeight];
}
