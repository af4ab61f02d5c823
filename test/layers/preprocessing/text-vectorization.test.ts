import { describe, expect, it } from "vitest";
import { tf, type Tensor } from "../../../lib/backend/tfjs.js";
import * as keras from "../../../lib/index.js";
import { TextVectorization } from "../../../lib/layers/preprocessing/text-vectorization.js";
import { assetsDirIn } from "../../../lib/layers/preprocessing/preprocessing-utils.js";
import { expectClose } from "../helpers.js";

const { layers } = keras;

function vals(t: Tensor): unknown[] {
  const v = t.arraySync();
  t.dispose();
  return v as unknown[];
}

describe("TextVectorization", () => {
  it("Keras docstring: adapt, then int sequences padded to outputSequenceLength", () => {
    const tv = layers.TextVectorization({ maxTokens: 5000, outputMode: "int", outputSequenceLength: 4 });
    tv.adapt(["foo bar", "bar baz", "baz bada boom"]);
    expect(tv.getVocabulary()).toEqual(["", "[UNK]", "baz", "bar", "foo", "boom", "bada"]);
    const y = tv([["foo qux bar"], ["qux baz"]]);
    expect(y.dtype).toBe("int32");
    expect(vals(y)).toEqual([[4, 1, 3, 0], [1, 2, 0, 0]]);
  });

  it("Keras docstring: a given vocabulary", () => {
    const tv = new TextVectorization({ maxTokens: 5000, outputSequenceLength: 4, vocabulary: ["earth", "wind", "and", "fire"] });
    expect(tv.getVocabulary()).toEqual(["", "[UNK]", "earth", "wind", "and", "fire"]);
    expect(tv.vocabularySize()).toBe(6);
    expect(vals(tv(["Earth, wind & FIRE! water"]))).toEqual([[2, 3, 5, 1]]);
  });

  it("standardization strips punctuation and lowercases ASCII; pads to the longest sequence", () => {
    const tv = new TextVectorization();
    tv.adapt(["The cat.", "the DOG!", "a cat"]);
    // the:2 cat:2 → tie broken descending: "the" > "cat"; then dog, a (descending)
    expect(tv.getVocabulary()).toEqual(["", "[UNK]", "the", "cat", "dog", "a"]);
    expect(vals(tv(["the cat sat", "dog"]))).toEqual([[2, 3, 1], [4, 0, 0]]);
    expect(tv.standardizeText("Hello, World! (x-y) it's")).toBe("hello world xy its");
    expect(tv.standardizeText("ÉTÉ")).toBe("ÉtÉ");
  });

  it("maxTokens keeps the most frequent tokens", () => {
    const tv = new TextVectorization({ maxTokens: 4 });
    tv.adapt(["a a a b b c", "c d"]);
    expect(tv.getVocabulary()).toEqual(["", "[UNK]", "a", "c"]);
  });

  it("multi_hot, count and tf_idf outputs", () => {
    const texts = ["a b b", "c"];
    const mh = new TextVectorization({ outputMode: "multi_hot", vocabulary: ["a", "b", "c"] });
    const y = mh(texts);
    expect(y.dtype).toBe("float32");
    expect(vals(y)).toEqual([[0, 1, 1, 0], [0, 0, 0, 1]]);
    const ct = new TextVectorization({ outputMode: "count", vocabulary: ["a", "b", "c"], padToMaxTokens: true, maxTokens: 6 });
    expect(vals(ct(texts))).toEqual([[0, 1, 2, 0, 0, 0], [0, 0, 0, 1, 0, 0]]);
    const ti = new TextVectorization({ outputMode: "tf_idf" });
    ti.adapt(["a b b", "b c"]);
    expect(ti.getVocabulary()).toEqual(["[UNK]", "b", "c", "a"]);
    const w = [Math.log(1 + 2 / 3), Math.log(1 + 2 / 2), Math.log(1 + 2 / 2)];
    const mean = (w[0] + w[1] + w[2]) / 3;
    expectClose(ti(["a b b zz"]), [mean, 2 * w[0], 0, w[2]]);
  });

  it("ngrams, character split, no split, custom functions", () => {
    const ng = new TextVectorization({ ngrams: 2 });
    ng.adapt(["a b c"]);
    expect(ng.getVocabulary(false).sort()).toEqual(["a", "a b", "b", "b c", "c"]);
    expect(vals(ng(["a b c"])).length).toBe(1);
    const ch = new TextVectorization({ split: "character", standardize: null });
    ch.adapt(["abba"]);
    expect(ch.getVocabulary()).toEqual(["", "[UNK]", "b", "a"]);
    expect(vals(ch(["ab", "é"]))).toEqual([[3, 2], [1, 0]]);
    const ns = new TextVectorization({ split: null, vocabulary: ["new york", "paris"] });
    expect(vals(ns(["New York", "Paris", "Rome"]))).toEqual([2, 3, 1]);
    const fn = new TextVectorization({ standardize: (s) => s.toUpperCase(), split: (s) => s.split("-") });
    fn.adapt(["x-y-y"]);
    expect(fn.getVocabulary()).toEqual(["", "[UNK]", "Y", "X"]);
  });

  it("rejects bad inputs and options", () => {
    expect(() => new TextVectorization({ outputMode: "multi_hot", outputSequenceLength: 3 })).toThrow(/output_sequence_length/);
    expect(() => new TextVectorization({ ragged: true })).toThrow(/ragged/);
    const tv = new TextVectorization({ vocabulary: ["a"] });
    expect(() => tv([["a", "b"]])).toThrow(/last shape dimension must be 1/);
    expect(() => tv.adapt(["a"])).toThrow(/static vocabulary/);
  });

  it("config round trip (Keras keys) and vocabulary assets", () => {
    const tv = new TextVectorization({ maxTokens: 10, outputSequenceLength: 5, ngrams: [1, 2], name: "tv" });
    tv.adapt(["x y z", "x y", "x"]);
    const cfg = JSON.parse(JSON.stringify(tv.getConfig()));
    expect(cfg).toMatchObject({
      name: "tv", max_tokens: 10, standardize: "lower_and_strip_punctuation", split: "whitespace", ngrams: [1, 2],
      output_mode: "int", output_sequence_length: 5, pad_to_max_tokens: false, sparse: false, ragged: false,
      vocabulary: null, idf_weights: null, encoding: "utf-8", vocabulary_size: 7,
    });
    const assets = new Map<string, Uint8Array>();
    tv.saveAssets(assetsDirIn(assets, "layers/text_vectorization"));
    const clone = TextVectorization.fromConfig(cfg);
    clone.loadAssets(assetsDirIn(assets, "layers/text_vectorization"));
    expect(clone.getVocabulary()).toEqual(tv.getVocabulary());
    expect(clone.getConfig()).toEqual(tv.getConfig());
    expect(vals(clone(["x y q"]))).toEqual(vals(tv(["x y q"])));
    expect(Object.keys(clone.saveableChildren())).toEqual(["_lookup_layer"]);
  });

  it("string tensors in and out, symbolic shapes, no leaks", () => {
    const tv = new TextVectorization({ vocabulary: ["a", "b"], outputSequenceLength: 3 });
    const s = tf.tensor(["a b", "b"], undefined, "string");
    expect(vals(tv(s))).toEqual([[2, 3, 0], [3, 0, 0]]);
    const inp = keras.Input({ shape: [1], dtype: "string" });
    const out = tv(inp);
    expect(out.shape).toEqual([null, 3]);
    expect(out.dtype).toBe("int32");
    const before = tf.memory().numTensors;
    const tv2 = new TextVectorization({ outputMode: "tf_idf" });
    tv2.adapt(s);
    tv2.adapt(["a b", "c"]);
    tv2(["a c"]).dispose();
    for (let i = 0; i < 5; i++) tv(s).dispose();
    for (let i = 0; i < 5; i++) tv(["a a b"]).dispose();
    expect(tf.memory().numTensors).toBe(before);
    s.dispose();
  });

  it("TextVectorization → Embedding → GlobalAveragePooling1D → Dense trains on a tiny text set", async () => {
    const texts = ["good great fine", "great good", "fine good nice", "nice great", "bad awful poor", "awful bad", "poor bad terrible", "terrible awful"];
    const labels = [1, 1, 1, 1, 0, 0, 0, 0];
    const tv = layers.TextVectorization({ maxTokens: 20, outputSequenceLength: 4 });
    tv.adapt(texts);
    // In a Functional model, on a string input.
    const inp = keras.Input({ shape: [1], dtype: "string" });
    let x = tv(inp);
    x = layers.Embedding(20, 8)(x);
    x = layers.GlobalAveragePooling1D()(x);
    const outp = layers.Dense(1, { activation: "sigmoid" })(x);
    const model = keras.Model({ inputs: inp, outputs: outp });
    const xs = tf.tensor(texts.map((t) => [t]), undefined, "string");
    const ys = tf.tensor2d(labels.map((l) => [l]));
    // fit on the vectorized ints (Keras's recommended use: preprocessing outside the trained graph).
    const ids = tv(xs);
    const core = keras.Sequential([layers.Input({ shape: [4], dtype: "int32" }), layers.Embedding(20, 8), layers.GlobalAveragePooling1D(), layers.Dense(1, { activation: "sigmoid" })]);
    core.compile({ optimizer: keras.optimizers.Adam(0.05), loss: "binary_crossentropy" });
    const h = await core.fit(ids, ys, { epochs: 30, batchSize: 8, verbose: 0 });
    const losses = h.history.loss as number[];
    expect(losses[losses.length - 1]).toBeLessThan(losses[0] * 0.5);
    // And the whole text model trains end to end on string tensors (shuffle: false, as the
    // trainer shuffles with tf.gather, which tfjs does not run on string tensors).
    model.compile({ optimizer: keras.optimizers.Adam(0.05), loss: "binary_crossentropy" });
    const h2 = await model.fit(xs, ys, { epochs: 30, batchSize: 4, verbose: 0, shuffle: false });
    const l2 = h2.history.loss as number[];
    expect(l2[l2.length - 1]).toBeLessThan(l2[0] * 0.5);
    const p = await model.predict(tf.tensor([["good nice"], ["awful poor"]], undefined, "string"));
    const pv = (await (p as Tensor).array()) as number[][];
    expect(pv[0][0]).toBeGreaterThan(pv[1][0]);
    tf.dispose([xs, ys, ids, p as Tensor]);
  });
});
