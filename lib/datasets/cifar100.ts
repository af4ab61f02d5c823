/** `keras.datasets.cifar100`: 60,000 32x32 colour images in 100 fine / 20 coarse classes. */
import { join } from "node:path";
import { getFile } from "../utils/file-utils.js";
import { imagesTensor, labelsTensor, loadBatch } from "./cifar.js";
import type { ImageLoadOptions, TrainTestSplit } from "./common.js";

/** Options of {@link loadData}. */
export interface Cifar100LoadOptions extends ImageLoadOptions {
  /** `"fine"` (100 classes, default) or `"coarse"` (20 superclasses). */
  labelMode?: "fine" | "coarse";
}

/**
 * Loads the CIFAR-100 dataset (Keras's `cifar100.load_data`):
 * `[[xTrain, yTrain], [xTest, yTest]]`, images `[50000, 32, 32, 3]` and
 * `[10000, 32, 32, 3]` (channels first when the image data format is
 * `channels_first`) with values 0–255 as `int32` (or `float32`), labels
 * `int32` of shape `[50000, 1]` / `[10000, 1]`: 0–99 for
 * `labelMode: "fine"`, 0–19 for `"coarse"`.
 *
 * Reads `cifar-100-python.tar.gz`, which Keras keeps at
 * `$KERAS_HOME/datasets/cifar-100-python-target_archive` and extracts to
 * `cifar-100-python-target/cifar-100-python/`; downloads it when missing.
 */
export async function loadData(options: Cifar100LoadOptions = {}): Promise<TrainTestSplit> {
  const labelMode = options.labelMode ?? "fine";
  if (labelMode !== "fine" && labelMode !== "coarse") {
    throw new Error(`\`labelMode\` must be one of "fine", "coarse". Received: labelMode=${String(labelMode)}.`);
  }
  const root = await getFile("cifar-100-python-target", "https://www.cs.toronto.edu/~kriz/cifar-100-python.tar.gz", {
    extract: true,
    fileHash: "85cd44d02ba6437773c5bbd22e183051d648de2e7d6b014e1ef29b855ba677a7",
    offlineFallback: true,
  });
  const path = join(root, "cifar-100-python");
  const train = [loadBatch(join(path, "train"), `${labelMode}_labels`)];
  const test = [loadBatch(join(path, "test"), `${labelMode}_labels`)];
  const dtype = options.dtype ?? "int32";
  return [
    [imagesTensor(train, dtype), labelsTensor(train)],
    [imagesTensor(test, dtype), labelsTensor(test)],
  ];
}
