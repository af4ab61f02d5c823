/** The regression sets Boston Housing and California Housing share: load, shuffle, split. */
import type { Tensor } from "../backend/tfjs.js";
import { getFile } from "../utils/file-utils.js";
import { loadNpz } from "../utils/npy.js";
import { KERAS_DATASETS_ORIGIN, type TrainTestSplit, checkTestSplit, makeTensor, member, splitIndex, takeRows } from "./common.js";
import { RandomState } from "./numpy-random.js";

/** Loads `x` and `y` of a housing `.npz`, keeps the first `limit` rows, shuffles with `seed` and splits, as Keras does. */
export async function loadHousing(
  fname: string,
  originName: string,
  fileHash: string,
  testSplit: number,
  seed: number,
  limit: number | null,
): Promise<TrainTestSplit> {
  checkTestSplit(testSplit);
  const file = await getFile(fname, KERAS_DATASETS_ORIGIN + originName, { fileHash, offlineFallback: true });
  const f = loadNpz(file, { allowPickle: false });
  const x = member(f, "x", file);
  const y = member(f, "y", file);
  const n = Math.min(x.shape[0] ?? 0, limit ?? Infinity);
  const yn = Math.min(y.shape[0] ?? 0, limit ?? Infinity);
  const indices = new RandomState(seed).permutation(n);
  if (yn < n) throw new Error(`${file}: y has fewer rows (${y.shape[0]}) than x (${x.shape[0]}).`);
  const split = splitIndex(n, testSplit);
  const part = (arr: typeof x, rows: number[]): Tensor => {
    const { values, rowShape } = takeRows(arr, rows);
    return makeTensor(values, [rows.length, ...rowShape], "float32");
  };
  const train = indices.slice(0, split);
  const test = indices.slice(split);
  return [
    [part(x, train), part(y, train)],
    [part(x, test), part(y, test)],
  ];
}

/** Options of {@link loadBostonHousing}. */
export interface BostonHousingLoadOptions {
  /** File name in the cache folder. Default `"boston_housing.npz"`. */
  path?: string;
  /** Fraction of the data kept for the test set. Default 0.2. */
  testSplit?: number;
  /** Seed of the shuffle before the split (NumPy's `RandomState`). Default 113. */
  seed?: number;
}

/**
 * Loads the Boston Housing price regression dataset (Keras's
 * `boston_housing.load_data`): `[[xTrain, yTrain], [xTest, yTest]]`, 13
 * features per house as `float32` `[n, 13]` and the median value in $1000s
 * as `float32` `[n]` (404 training and 102 test samples with the defaults).
 */
export function loadBostonHousing(options: BostonHousingLoadOptions = {}): Promise<TrainTestSplit> {
  return loadHousing(
    options.path ?? "boston_housing.npz",
    "boston_housing.npz",
    "f553886a1f8d56431e820c5b82552d9d95cfcb96d1e678153f8839538947dff5",
    options.testSplit ?? 0.2,
    options.seed ?? 113,
    null,
  );
}

/** Options of {@link loadCaliforniaHousing}. */
export interface CaliforniaHousingLoadOptions extends BostonHousingLoadOptions {
  /** `"large"` (all 20,640 samples, default) or `"small"` (the first 600). */
  version?: "large" | "small";
}

/**
 * Loads the California Housing price regression dataset (Keras's
 * `california_housing.load_data`): `[[xTrain, yTrain], [xTest, yTest]]`, 8
 * features per block group as `float32` `[n, 8]` and the median house value
 * as `float32` `[n]`. `version: "small"` keeps the first 600 samples before
 * shuffling.
 */
export function loadCaliforniaHousing(options: CaliforniaHousingLoadOptions = {}): Promise<TrainTestSplit> {
  const version = options.version ?? "large";
  if (version !== "large" && version !== "small") {
    return Promise.reject(new Error(`Argument \`version\` must be one of 'small', 'large'. Received: version=${String(version)}`));
  }
  return loadHousing(
    options.path ?? "california_housing.npz",
    "california_housing.npz",
    "1a2e3a52e0398de6463aebe6f4a8da34fb21fbb6b934cf88c3425e766f2a1a6f",
    options.testSplit ?? 0.2,
    options.seed ?? 113,
    version === "small" ? 600 : null,
  );
}
