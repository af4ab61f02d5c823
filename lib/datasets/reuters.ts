/**
 * `keras.datasets.reuters`: 11,228 Reuters newswires labelled over 46
 * topics, each a sequence of word indices ranked by frequency.
 */
import type { Tensor } from "../backend/tfjs.js";
import { getFile } from "../utils/file-utils.js";
import { loadNpz } from "../utils/npy.js";
import { KERAS_DATASETS_ORIGIN, type TrainTestSplit, member, splitIndex } from "./common.js";
import { RandomState } from "./numpy-random.js";
import {
  type SequenceLoadOptions,
  cutVocabulary,
  labelsOf,
  markSequences,
  objectArrayToSequences,
  removeLongSeq,
  resolveSequenceOptions,
  loadWordIndex,
  splitSequences,
  take,
} from "./sequences.js";

/** Options of {@link loadData}: Keras's arguments, camelCased. `path` defaults to `"reuters.npz"`. */
export interface ReutersLoadOptions extends SequenceLoadOptions {
  /** Fraction of the data kept for the test set. Default 0.2. */
  testSplit?: number;
}

/**
 * Loads the Reuters newswire topic dataset (Keras's `reuters.load_data`).
 *
 * Returns `[[xTrain, yTrain], [xTest, yTest]]`: the newswires as arrays of
 * word indices (`number[][]`, Keras's object arrays of lists) and their
 * topics 0–45 as `int32` tensors of shape `[n]` (names from
 * {@link getLabelNames}). The data is shuffled with `seed` as Keras does,
 * then split at `int(n * (1 - testSplit))`. `startChar`, `oovChar`,
 * `indexFrom`, `numWords`, `skipTop` and `maxlen` work as for IMDB.
 */
export async function loadData(options: ReutersLoadOptions = {}): Promise<TrainTestSplit<number[][], Tensor>> {
  const o = resolveSequenceOptions(options);
  const testSplit = options.testSplit ?? 0.2;
  const file = await getFile(options.path ?? "reuters.npz", `${KERAS_DATASETS_ORIGIN}reuters.npz`, {
    fileHash: "d6586e694ee56d7a4e65172e12b3e987c03096cb01eab99753921ef915959916",
    offlineFallback: true,
  });
  const f = loadNpz(file);
  let xs = objectArrayToSequences(member(f, "x", file), `${file}: x`);
  let labels = labelsOf(member(f, "y", file), `${file}: y`);

  const indices = new RandomState(o.seed).permutation(xs.length);
  xs = take(xs, indices);
  labels = take(labels, indices);
  xs = markSequences(xs, o);
  if (o.maxlen) [xs, labels] = removeLongSeq(o.maxlen, xs, labels);
  xs = cutVocabulary(xs, o);

  const idx = splitIndex(xs.length, testSplit);
  return splitSequences(xs, labels, idx);
}

/**
 * The word index of the Reuters dataset (Keras's `reuters.get_word_index`):
 * word → rank (1 = most frequent). Add `indexFrom` (3 by default) to get the
 * indices {@link loadData} uses.
 */
export function getWordIndex(path = "reuters_word_index.json"): Promise<Record<string, number>> {
  return loadWordIndex(path, "reuters_word_index.json", "4d44cc38712099c9e383dc6e5f11a921");
}

/** The 46 topic names, in label order (Keras's `reuters.get_label_names`). */
export function getLabelNames(): string[] {
  return [
    "cocoa", "grain", "veg-oil", "earn", "acq", "wheat", "copper", "housing", "money-supply", "coffee",
    "sugar", "trade", "reserves", "ship", "cotton", "carcass", "crude", "nat-gas", "cpi", "money-fx",
    "interest", "gnp", "meal-feed", "alum", "oilseed", "gold", "tin", "strategic-metal", "livestock", "retail",
    "ipi", "iron-steel", "rubber", "heat", "jobs", "lei", "bop", "zinc", "orange", "pet-chem",
    "dlr", "gas", "silver", "wpi", "hog", "lead",
  ];
}
