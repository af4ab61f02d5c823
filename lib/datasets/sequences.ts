/**
 * The word-index sequence handling IMDB and Reuters share (Keras's
 * `imdb.load_data` / `reuters.load_data`): shuffling, start and
 * out-of-vocabulary markers, index offsets, `maxlen` and `numWords` cuts.
 */
import { readFileSync } from "node:fs";
import type { Tensor } from "../backend/tfjs.js";
import { getFile } from "../utils/file-utils.js";
import { type NdArray, ndarrayToNumbers } from "../utils/npy.js";
import { KERAS_DATASETS_ORIGIN, type TrainTestSplit, makeTensor } from "./common.js";

/** Keras's keyword arguments shared by the IMDB and Reuters loaders, camelCased. */
export interface SequenceLoadOptions {
  /** File name in the cache folder. */
  path?: string;
  /**
   * Keep only the `numWords` most frequent words (indices below `numWords`
   * after `indexFrom` is added); the others become `oovChar`. Default: all
   * words (as in Keras, the largest index then counts as out of vocabulary).
   */
  numWords?: number | null;
  /** Also treat the `skipTop` most frequent words as out of vocabulary. Default 0. */
  skipTop?: number;
  /** Drop sequences of `maxlen` words or more (Keras keeps `len < maxlen`). Default: none dropped. */
  maxlen?: number | null;
  /** Seed of the shuffle (NumPy's `RandomState`, so Python Keras gives the same order). Default 113. */
  seed?: number;
  /** Index that starts every sequence; `null` for none. Default 1. */
  startChar?: number | null;
  /** Index out-of-vocabulary words become; `null` removes them instead. Default 2. */
  oovChar?: number | null;
  /** Offset added to every word index. Default 3. */
  indexFrom?: number;
}

/** Resolved options, Keras's defaults filled in. */
export interface ResolvedSequenceOptions {
  numWords: number | null;
  skipTop: number;
  maxlen: number | null;
  seed: number;
  startChar: number | null;
  oovChar: number | null;
  indexFrom: number;
}

/** Fills in Keras's defaults. */
export function resolveSequenceOptions(o: SequenceLoadOptions): ResolvedSequenceOptions {
  return {
    numWords: o.numWords ?? null,
    skipTop: o.skipTop ?? 0,
    maxlen: o.maxlen ?? null,
    seed: o.seed ?? 113,
    startChar: o.startChar === undefined ? 1 : o.startChar,
    oovChar: o.oovChar === undefined ? 2 : o.oovChar,
    indexFrom: o.indexFrom ?? 3,
  };
}

/** The sequences of an object array (Python lists of ints, or int arrays) as JS number arrays. */
export function objectArrayToSequences(arr: NdArray, what: string): number[][] {
  if (arr.dtype !== "object") {
    // A rectangular file may store an int matrix instead of ragged lists.
    if (arr.shape.length !== 2) throw new Error(`${what} is neither an object array of sequences nor a 2-D int array.`);
    const [n, m] = arr.shape as [number, number];
    const flat = ndarrayToNumbers(arr);
    return Array.from({ length: n }, (_, i) => Array.from({ length: m }, (_, j) => flat[i * m + j]!));
  }
  return (arr.data as unknown[]).map((seq, i) => {
    if (Array.isArray(seq)) return seq.map((w) => Number(w));
    if (seq !== null && typeof seq === "object" && "dtype" in seq) return Array.from(ndarrayToNumbers(seq as NdArray));
    throw new Error(`${what}[${i}] is not a sequence of ints.`);
  });
}

/** The labels of an int array as numbers. */
export function labelsOf(arr: NdArray, what: string): number[] {
  if (arr.dtype === "object") return (arr.data as unknown[]).map((v) => Number(v));
  if (arr.shape.length !== 1) throw new Error(`${what} should be 1-D, got shape (${arr.shape.join(", ")}).`);
  return Array.from(ndarrayToNumbers(arr));
}

/** Adds `startChar` and `indexFrom` as Keras does. */
export function markSequences(xs: number[][], o: ResolvedSequenceOptions): number[][] {
  if (o.startChar !== null) return xs.map((x) => [o.startChar as number, ...x.map((w) => w + o.indexFrom)]);
  if (o.indexFrom) return xs.map((x) => x.map((w) => w + o.indexFrom));
  return xs.map((x) => x.slice());
}

/** Keras's `remove_long_seq`: keeps the sequences shorter than `maxlen`, and their labels. */
export function removeLongSeq(maxlen: number, seqs: number[][], labels: number[]): [number[][], number[]] {
  const keptSeqs: number[][] = [];
  const keptLabels: number[] = [];
  for (let i = 0; i < seqs.length && i < labels.length; i++) {
    if (seqs[i]!.length < maxlen) {
      keptSeqs.push(seqs[i]!);
      keptLabels.push(labels[i]!);
    }
  }
  return [keptSeqs, keptLabels];
}

/** Applies the `numWords` / `skipTop` vocabulary cut with `oovChar`, as Keras does. */
export function cutVocabulary(xs: number[][], o: ResolvedSequenceOptions): number[][] {
  let numWords = o.numWords;
  if (!numWords) {
    let max = -Infinity;
    for (const x of xs) for (const w of x) if (w > max) max = w;
    if (xs.some((x) => x.length === 0)) throw new Error("max() arg is an empty sequence: a sequence is empty.");
    numWords = max;
  }
  const nw = numWords;
  if (o.oovChar !== null) {
    const oov = o.oovChar;
    return xs.map((x) => x.map((w) => (o.skipTop <= w && w < nw ? w : oov)));
  }
  return xs.map((x) => x.filter((w) => o.skipTop <= w && w < nw));
}

/** Picks `items[indices[i]]` for each i (NumPy fancy indexing on the first axis). */
export function take<T>(items: readonly T[], indices: readonly number[]): T[] {
  return indices.map((i) => items[i]!);
}

/** Sequences and labels cut at `index` into Keras's `((x_train, y_train), (x_test, y_test))`, labels as int32 tensors. */
export function splitSequences(xs: number[][], labels: number[], index: number): TrainTestSplit<number[][], Tensor> {
  return [
    [xs.slice(0, index), makeTensor(labels.slice(0, index), [index], "int32")],
    [xs.slice(index), makeTensor(labels.slice(index), [labels.length - index], "int32")],
  ];
}

/** A dataset's word index (word → rank, 1 = most frequent) from Keras's JSON file, fetched into the cache when missing. */
export async function loadWordIndex(path: string, fileName: string, fileHash: string): Promise<Record<string, number>> {
  const file = await getFile(path, `${KERAS_DATASETS_ORIGIN}${fileName}`, { fileHash, offlineFallback: true });
  return JSON.parse(readFileSync(file, "utf8")) as Record<string, number>;
}
