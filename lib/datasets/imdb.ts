/**
 * `keras.datasets.imdb`: 50,000 IMDB movie reviews labelled by sentiment,
 * each a sequence of word indices ranked by frequency.
 */
import type { Tensor } from "../backend/tfjs.js";
import { getFile } from "../utils/file-utils.js";
import { loadNpz } from "../utils/npy.js";
import { KERAS_DATASETS_ORIGIN, type TrainTestSplit, member } from "./common.js";
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

/** Options of {@link loadData}: Keras's arguments, camelCased. `path` defaults to `"imdb.npz"`. */
export type ImdbLoadOptions = SequenceLoadOptions;

/**
 * Loads the IMDB sentiment dataset (Keras's `imdb.load_data`), 25,000
 * training and 25,000 test reviews.
 *
 * Returns `[[xTrain, yTrain], [xTest, yTest]]`: `xTrain` and `xTest` are
 * arrays of reviews, each an array of word indices (`number[][]`, what
 * Keras returns as object arrays of lists), and `yTrain` / `yTest` are
 * `int32` tensors of 0 (negative) / 1 (positive), shape `[n]`.
 * By default each review starts with 1 (`startChar`), words are indexed from
 * 3 (`indexFrom`, index i + 3 is the i-th most frequent word of
 * {@link getWordIndex}), and 2 marks out-of-vocabulary words (`oovChar`).
 * The order is shuffled with `seed` exactly as Keras does.
 *
 * ```ts
 * const [[xTrain, yTrain], [xTest, yTest]] = await keras.datasets.imdb.loadData({ numWords: 10000 });
 * const x = keras.utils.padSequences(xTrain, { maxlen: 200 });
 * ```
 */
export async function loadData(options: ImdbLoadOptions = {}): Promise<TrainTestSplit<number[][], Tensor>> {
  const o = resolveSequenceOptions(options);
  const file = await getFile(options.path ?? "imdb.npz", `${KERAS_DATASETS_ORIGIN}imdb.npz`, {
    fileHash: "69664113be75683a8fe16e3ed0ab59fda8886cb3cd7ada244f7d9544e4676b9f",
    offlineFallback: true,
  });
  const f = loadNpz(file);
  let xTrain = objectArrayToSequences(member(f, "x_train", file), `${file}: x_train`);
  let labelsTrain = labelsOf(member(f, "y_train", file), `${file}: y_train`);
  let xTest = objectArrayToSequences(member(f, "x_test", file), `${file}: x_test`);
  let labelsTest = labelsOf(member(f, "y_test", file), `${file}: y_test`);

  const rng = new RandomState(o.seed);
  let indices = rng.permutation(xTrain.length);
  xTrain = take(xTrain, indices);
  labelsTrain = take(labelsTrain, indices);
  indices = rng.permutation(xTest.length);
  xTest = take(xTest, indices);
  labelsTest = take(labelsTest, indices);

  xTrain = markSequences(xTrain, o);
  xTest = markSequences(xTest, o);

  if (o.maxlen) {
    [xTrain, labelsTrain] = removeLongSeq(o.maxlen, xTrain, labelsTrain);
    [xTest, labelsTest] = removeLongSeq(o.maxlen, xTest, labelsTest);
    if (xTrain.length === 0 || xTest.length === 0) {
      throw new Error(`After filtering for sequences shorter than maxlen=${o.maxlen}, no sequence was kept. Increase maxlen.`);
    }
  }

  const xs = cutVocabulary([...xTrain, ...xTest], o);
  const labels = [...labelsTrain, ...labelsTest];
  const idx = xTrain.length;
  return splitSequences(xs, labels, idx);
}

/**
 * The word index of the IMDB dataset (Keras's `imdb.get_word_index`): word →
 * rank (1 = most frequent). Add `indexFrom` (3 by default) to get the
 * indices {@link loadData} uses.
 *
 * ```ts
 * const wordIndex = await keras.datasets.imdb.getWordIndex();
 * const inverted = new Map(Object.entries(wordIndex).map(([w, i]) => [i + 3, w]));
 * ```
 */
export function getWordIndex(path = "imdb_word_index.json"): Promise<Record<string, number>> {
  return loadWordIndex(path, "imdb_word_index.json", "bfafd718b763782e994055a2d397834f");
}
