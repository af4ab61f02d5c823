/**
 * Shared pieces of the `keras.datasets` loaders: result types, Keras's
 * download origin, and turning NumPy arrays into tensors.
 */
import "../backend/engine.js";
import { tf, type Tensor } from "../backend/tfjs.js";
import { type NdArray, ndarrayToNumbers } from "../utils/npy.js";

/** Where Keras downloads its datasets from. */
export const KERAS_DATASETS_ORIGIN = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/";

/** `[[xTrain, yTrain], [xTest, yTest]]`, what every `loadData` returns (Keras's nested tuples). */
export type TrainTestSplit<X = Tensor, Y = Tensor> = [[X, Y], [X, Y]];

/**
 * The tensor dtype of image data. Keras returns `uint8` arrays; tfjs has no
 * uint8 tensors, so images come as `int32` tensors holding 0–255 by default,
 * or as `float32` (still 0–255) when asked.
 */
export type ImageDtype = "int32" | "float32";

/** Options shared by the image loaders. */
export interface ImageLoadOptions {
  /** Tensor dtype of the images: `"int32"` (default) or `"float32"`; values stay 0–255. */
  dtype?: ImageDtype;
}

/** Makes a tensor from numbers, as int32 or float32. */
export function makeTensor(values: ArrayLike<number>, shape: number[], dtype: "int32" | "float32"): Tensor {
  if (dtype === "int32") {
    return tf.tensor(values instanceof Int32Array ? values : Int32Array.from(values), shape, "int32");
  }
  return tf.tensor(values instanceof Float32Array ? values : Float32Array.from(values), shape, "float32");
}

/** The first-axis rows of a numeric array picked by `indices` (NumPy's `x[indices]`), flat. */
export function takeRows(arr: NdArray, indices: readonly number[]): { values: Float64Array; rowShape: number[] } {
  const rowShape = arr.shape.slice(1);
  const rowSize = rowShape.reduce((a, b) => a * b, 1);
  const src = ndarrayToNumbers(arr);
  const out = new Float64Array(indices.length * rowSize);
  for (let r = 0; r < indices.length; r++) {
    const from = indices[r]! * rowSize;
    for (let k = 0; k < rowSize; k++) out[r * rowSize + k] = src[from + k]!;
  }
  return { values: out, rowShape };
}

/** Checks Keras's `0 <= test_split < 1`. */
export function checkTestSplit(testSplit: number): void {
  if (!(testSplit >= 0 && testSplit < 1)) {
    throw new Error(`Invalid \`testSplit\` argument: ${testSplit}. It must be between 0 and 1 (exclusive of 1).`);
  }
}

/** Python's `int(n * (1 - test_split))`, the split index Keras uses. */
export function splitIndex(n: number, testSplit: number): number {
  return Math.trunc(n * (1 - testSplit));
}

/** Fetches a member of a loaded `.npz`, with an error naming the file when it is absent. */
export function member(arrays: Record<string, NdArray>, name: string, file: string): NdArray {
  const arr = arrays[name];
  if (arr === undefined) {
    throw new Error(`${file} has no array '${name}' (it has: ${Object.keys(arrays).join(", ") || "none"}).`);
  }
  return arr;
}
