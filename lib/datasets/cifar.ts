/**
 * What CIFAR-10 and CIFAR-100 share: reading one pickled batch file of the
 * Python version of the datasets (Keras's `keras/src/datasets/cifar.py`).
 */
import { readFileSync } from "node:fs";
import type { Tensor } from "../backend/tfjs.js";
import { imageDataFormat } from "../backend/config.js";
import { type NdArray, ndarrayToNumbers } from "../utils/npy.js";
import { PyDict, unpickle } from "../utils/pickle.js";
import { type ImageDtype, makeTensor } from "./common.js";

/** One CIFAR batch: `n` images of 3x32x32 bytes (channels first, as stored) and their labels. */
export interface CifarBatch {
  /** Pixel bytes, `n * 3072`, in the file's `(n, 3, 32, 32)` order. */
  data: Uint8Array;
  labels: number[];
  count: number;
}

function isNdArray(v: unknown): v is NdArray {
  return v !== null && typeof v === "object" && "dtype" in v && "shape" in v && "data" in v;
}

/**
 * Reads a CIFAR batch file (a Python-2 pickle of a dict with `data`, a
 * uint8 array of shape `(n, 3072)`, and the labels under `labelKey`).
 */
export function loadBatch(fpath: string, labelKey = "labels"): CifarBatch {
  const d = unpickle(new Uint8Array(readFileSync(fpath)), { encoding: "bytes" });
  if (!(d instanceof PyDict)) throw new Error(`${fpath} is not a CIFAR batch (a pickled dict).`);
  const data = d.lookup("data");
  const labels = d.lookup(labelKey);
  if (!isNdArray(data) || (data.dtype !== "uint8" && data.dtype !== "int8")) {
    throw new Error(`${fpath}: 'data' is not a uint8 array (keys: ${d.textKeys().join(", ")}).`);
  }
  let labelList: number[];
  if (Array.isArray(labels)) labelList = labels.map((v) => Number(v));
  else if (isNdArray(labels)) labelList = Array.from(ndarrayToNumbers(labels));
  else throw new Error(`${fpath} has no '${labelKey}' (keys: ${d.textKeys().join(", ")}).`);
  const count = data.shape[0] ?? 0;
  if (data.data.length !== count * 3072) {
    throw new Error(`${fpath}: 'data' has shape (${data.shape.join(", ")}), expected (n, 3072).`);
  }
  return { data: new Uint8Array((data.data as Uint8Array).buffer, (data.data as Uint8Array).byteOffset, count * 3072), labels: labelList, count };
}

/**
 * Stacks batches into an image tensor: `[n, 32, 32, 3]` for
 * `channels_last` (Keras's default image data format) or `[n, 3, 32, 32]`.
 */
export function imagesTensor(batches: CifarBatch[], dtype: ImageDtype): Tensor {
  const n = batches.reduce((a, b) => a + b.count, 0);
  // Written straight into the tensor's own typed array (50,000 images are 150M values).
  const out = dtype === "float32" ? new Float32Array(n * 3072) : new Int32Array(n * 3072);
  const channelsLast = imageDataFormat() === "channels_last";
  let row = 0;
  for (const b of batches) {
    if (!channelsLast) out.set(b.data, row * 3072);
    else {
      for (let i = 0; i < b.count; i++) {
        const src = i * 3072;
        const dst = (row + i) * 3072;
        for (let c = 0; c < 3; c++) {
          for (let p = 0; p < 1024; p++) out[dst + p * 3 + c] = b.data[src + c * 1024 + p]!;
        }
      }
    }
    row += b.count;
  }
  return makeTensor(out, channelsLast ? [n, 32, 32, 3] : [n, 3, 32, 32], dtype);
}

/** The labels of batches as an `int32` tensor of shape `[n, 1]`, as Keras reshapes them. */
export function labelsTensor(batches: CifarBatch[]): Tensor {
  const labels = batches.flatMap((b) => b.labels);
  return makeTensor(labels, [labels.length, 1], "int32");
}
