/**
 * `keras.datasets.fashion_mnist`: Zalando's Fashion-MNIST, 28x28 grayscale
 * images of 10 kinds of clothing, a drop-in replacement for MNIST.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import type { Tensor } from "../backend/tfjs.js";
import { getFile } from "../utils/file-utils.js";
import { type ImageLoadOptions, KERAS_DATASETS_ORIGIN, type TrainTestSplit, makeTensor } from "./common.js";

/** The class names of labels 0–9. */
export const CLASS_NAMES: readonly string[] = [
  "T-shirt/top",
  "Trouser",
  "Pullover",
  "Dress",
  "Coat",
  "Sandal",
  "Shirt",
  "Sneaker",
  "Bag",
  "Ankle boot",
];

/** An IDX file (LeCun's MNIST format): its dims and its unsigned bytes. */
export interface IdxArray {
  shape: number[];
  data: Uint8Array;
}

/**
 * Parses an IDX file of unsigned bytes (`train-images-idx3-ubyte` etc.),
 * gunzipping it first when it is gzip-compressed.
 */
export function readIdx(bytes: Uint8Array, what = "IDX file"): IdxArray {
  const raw = bytes.length > 2 && bytes[0] === 0x1f && bytes[1] === 0x8b ? new Uint8Array(gunzipSync(bytes)) : bytes;
  if (raw.length < 4 || raw[0] !== 0 || raw[1] !== 0) throw new Error(`${what} is not an IDX file.`);
  if (raw[2] !== 0x08) throw new Error(`${what}: only unsigned-byte IDX data (type 0x08) is supported, got 0x${raw[2]!.toString(16)}.`);
  const rank = raw[3]!;
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const shape: number[] = [];
  for (let i = 0; i < rank; i++) shape.push(view.getUint32(4 + 4 * i, false));
  const start = 4 + 4 * rank;
  const n = shape.reduce((a, b) => a * b, 1);
  if (raw.length < start + n) throw new Error(`${what} is truncated: expected ${n} values of shape (${shape.join(", ")}).`);
  return { shape, data: raw.subarray(start, start + n) };
}

/** Options of {@link loadData}. */
export type FashionMnistLoadOptions = ImageLoadOptions;

/**
 * Loads the Fashion-MNIST dataset (Keras's `fashion_mnist.load_data`):
 * `[[xTrain, yTrain], [xTest, yTest]]`, images `[60000, 28, 28]` and
 * `[10000, 28, 28]` with values 0–255 (`int32`, or `float32` with
 * `{ dtype: "float32" }`), labels 0–9 `int32` of shape `[60000]` / `[10000]`
 * (names in {@link CLASS_NAMES}).
 *
 * Reads Keras's four gzipped IDX files from
 * `$KERAS_HOME/datasets/fashion-mnist/` (`train-labels-idx1-ubyte.gz`,
 * `train-images-idx3-ubyte.gz`, `t10k-labels-idx1-ubyte.gz`,
 * `t10k-images-idx3-ubyte.gz`), downloading what is missing.
 */
export async function loadData(options: FashionMnistLoadOptions = {}): Promise<TrainTestSplit> {
  const dirname = join("datasets", "fashion-mnist");
  const files = ["train-labels-idx1-ubyte.gz", "train-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz"];
  const paths: string[] = [];
  for (const fname of files) paths.push(await getFile(fname, KERAS_DATASETS_ORIGIN + fname, { cacheSubdir: dirname }));
  const read = (i: number): IdxArray => readIdx(new Uint8Array(readFileSync(paths[i]!)), paths[i]);
  const dtype = options.dtype ?? "int32";
  const pair = (labelsAt: number, imagesAt: number): [Tensor, Tensor] => {
    const labels = read(labelsAt);
    const images = read(imagesAt);
    const n = labels.data.length;
    if (images.data.length !== n * 28 * 28) {
      throw new Error(`${paths[imagesAt]} holds ${images.data.length} pixels, not ${n} images of 28x28.`);
    }
    return [makeTensor(images.data, [n, 28, 28], dtype), makeTensor(labels.data, [n], "int32")];
  };
  return [pair(0, 1), pair(2, 3)];
}
