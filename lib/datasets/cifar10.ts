/** `keras.datasets.cifar10`: 60,000 32x32 colour images in 10 classes. */
import { join } from "node:path";
import { getFile } from "../utils/file-utils.js";
import { type CifarBatch, imagesTensor, labelsTensor, loadBatch } from "./cifar.js";
import type { ImageLoadOptions, TrainTestSplit } from "./common.js";

/** The class names of labels 0–9. */
export const CLASS_NAMES: readonly string[] = [
  "airplane",
  "automobile",
  "bird",
  "cat",
  "deer",
  "dog",
  "frog",
  "horse",
  "ship",
  "truck",
];

/** Options of {@link loadData}. */
export type Cifar10LoadOptions = ImageLoadOptions;

/**
 * Loads the CIFAR-10 dataset (Keras's `cifar10.load_data`):
 * `[[xTrain, yTrain], [xTest, yTest]]`, images `[50000, 32, 32, 3]` and
 * `[10000, 32, 32, 3]` (channels first when the image data format is
 * `channels_first`) with values 0–255 as `int32` (or `float32` with
 * `{ dtype: "float32" }`), labels 0–9 `int32` of shape `[50000, 1]` /
 * `[10000, 1]`.
 *
 * Reads the batches of `cifar-10-python.tar.gz`, which Keras keeps at
 * `$KERAS_HOME/datasets/cifar-10-batches-py-target_archive` and extracts to
 * `cifar-10-batches-py-target/cifar-10-batches-py/`; downloads it when
 * missing.
 */
export async function loadData(options: Cifar10LoadOptions = {}): Promise<TrainTestSplit> {
  const root = await getFile("cifar-10-batches-py-target", "https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz", {
    extract: true,
    fileHash: "6d958be074577803d12ecdefd02955f39262c83c16fe9348329d7fe0b5c001ce",
    offlineFallback: true,
  });
  const path = join(root, "cifar-10-batches-py");
  const train: CifarBatch[] = [];
  for (let i = 1; i <= 5; i++) train.push(loadBatch(join(path, `data_batch_${i}`)));
  const test = [loadBatch(join(path, "test_batch"))];
  const dtype = options.dtype ?? "int32";
  return [
    [imagesTensor(train, dtype), labelsTensor(train)],
    [imagesTensor(test, dtype), labelsTensor(test)],
  ];
}
