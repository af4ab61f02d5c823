import { describe, expect, it } from "vitest";
import { tf, type Tensor } from "../../../lib/backend/tfjs.js";
import { KerasTensor } from "../../../lib/backend/keras-tensor.js";
import { layers } from "../../../lib/index.js";
import { StringLookup } from "../../../lib/layers/preprocessing/string-lookup.js";
import { IntegerLookup } from "../../../lib/layers/preprocessing/integer-lookup.js";
import { assetsDirIn } from "../../../lib/layers/preprocessing/preprocessing-utils.js";
import { expectClose } from "../helpers.js";

function vals(t: Tensor): unknown[] {
  const v = t.arraySync();
  t.dispose();
  return v as unknown[];
}

describe("StringLookup (Keras docstring examples)", () => {
  const vocab = ["a", "b", "c", "d"];
  it("known vocabulary", () => {
    const layer = layers.StringLookup({ vocabulary: vocab });
    const y = layer([["a", "c", "d"], ["d", "z", "b"]]);
    expect(y.dtype).toBe("int32");
    expect(vals(y)).toEqual([[1, 3, 4], [4, 0, 2]]);
    expect(layer.getVocabulary()).toEqual(["[UNK]", "a", "b", "c", "d"]);
    expect(layer.vocabularySize()).toBe(5);
  });

  it("adapted vocabulary: by frequency, ties in descending order", () => {
    const data = [["a", "c", "d"], ["d", "z", "b"]];
    const layer = new StringLookup();
    layer.adapt(data);
    expect(layer.getVocabulary()).toEqual(["[UNK]", "d", "z", "c", "b", "a"]);
    expect(vals(layer(data))).toEqual([[5, 3, 1], [1, 2, 4]]);
  });

  it("multiple OOV indices hash with FarmHash64", () => {
    const layer = new StringLookup({ vocabulary: vocab, numOovIndices: 2 });
    expect(vals(layer([["a", "c", "d"], ["m", "z", "b"]]))).toEqual([[2, 4, 5], [0, 1, 3]]);
  });

  it("one_hot, multi_hot, count", () => {
    const oh = new StringLookup({ vocabulary: vocab, outputMode: "one_hot" });
    expect(vals(oh(["a", "b", "c", "d", "z"]))).toEqual([
      [0, 1, 0, 0, 0], [0, 0, 1, 0, 0], [0, 0, 0, 1, 0], [0, 0, 0, 0, 1], [1, 0, 0, 0, 0],
    ]);
    const data = [["a", "c", "d", "d"], ["d", "z", "b", "z"]];
    const mh = new StringLookup({ vocabulary: vocab, outputMode: "multi_hot" });
    expect(vals(mh(data))).toEqual([[0, 1, 0, 1, 1], [1, 0, 1, 0, 1]]);
    const ct = new StringLookup({ vocabulary: vocab, outputMode: "count" });
    const y = ct(data);
    expect(y.dtype).toBe("float32");
    expect(vals(y)).toEqual([[0, 1, 0, 1, 2], [2, 0, 1, 0, 1]]);
  });

  it("tf_idf with setVocabulary, with and without the OOV weight", () => {
    const data = [["a", "c", "d", "d"], ["d", "z", "b", "z"]];
    const l1 = new StringLookup({ outputMode: "tf_idf" });
    l1.setVocabulary(vocab, [0.25, 0.75, 0.6, 0.4]);
    expectClose(l1(data), [0, 0.25, 0, 0.6, 0.8, 1.0, 0, 0.75, 0, 0.4]);
    const l2 = new StringLookup({ outputMode: "tf_idf" });
    l2.setVocabulary(["[UNK]", ...vocab], [0.9, 0.25, 0.75, 0.6, 0.4]);
    expectClose(l2(data), [0, 0.25, 0, 0.6, 0.8, 1.8, 0, 0.75, 0, 0.4]);
  });

  it("tf_idf adapt learns log(1 + docs / (1 + df))", () => {
    const layer = new StringLookup({ outputMode: "tf_idf" });
    layer.adapt([["a", "a", "b"], ["b", "c", "c"]]);
    // counts: a2 b2 c2 → ties broken descending: c, b, a
    expect(layer.getVocabulary()).toEqual(["[UNK]", "c", "b", "a"]);
    const w = [Math.log(1 + 2 / 2), Math.log(1 + 2 / 3), Math.log(1 + 2 / 2)];
    const mean = (w[0] + w[1] + w[2]) / 3;
    expectClose(tf.tensor(layer.getIdfWeights()!), [mean, ...w]);
  });

  it("invert, and forward/inverse pairs", () => {
    const inv = new StringLookup({ vocabulary: vocab, invert: true });
    expect(vals(inv([[1, 3, 4], [4, 0, 2]]))).toEqual([["a", "c", "d"], ["d", "[UNK]", "b"]]);
    const fwd = new StringLookup({ vocabulary: vocab });
    const ids = fwd([["a", "c", "d"], ["d", "z", "b"]]);
    expect(vals(inv(ids))).toEqual([["a", "c", "d"], ["d", "[UNK]", "b"]]);
  });

  it("mask token maps to 0 (int) and is dropped (multi_hot)", () => {
    const l = new StringLookup({ vocabulary: vocab, maskToken: "" });
    expect(l.getVocabulary()).toEqual(["", "[UNK]", "a", "b", "c", "d"]);
    expect(vals(l([["a", "", "z"]]))).toEqual([[2, 0, 1]]);
    const m = new StringLookup({ vocabulary: vocab, maskToken: "", outputMode: "multi_hot" });
    expect(vals(m([["a", "", "z"]]))).toEqual([[1, 1, 0, 0, 0]]);
  });

  it("errors: num_oov_indices=0 with an OOV value, repeated terms, max_tokens", () => {
    const l = new StringLookup({ vocabulary: vocab, numOovIndices: 0 });
    expect(vals(l(["a", "d"]))).toEqual([0, 3]);
    expect(() => l(["q"])).toThrow(/num_oov_indices=0/);
    expect(() => new StringLookup({ vocabulary: ["a", "a"] })).toThrow(/repeated/);
    expect(() => new StringLookup({ vocabulary: vocab, maxTokens: 3 })).toThrow(/larger than the maximum/);
    expect(() => new StringLookup({ maxTokens: 1 })).toThrow(/max_tokens/);
    const adapted = new StringLookup({ maxTokens: 3 });
    adapted.adapt(["x", "x", "y", "z", "z", "z"]);
    expect(adapted.getVocabulary()).toEqual(["[UNK]", "z", "x"]);
  });

  it("accepts string tensors, symbolic inputs, config round trip", () => {
    const layer = new StringLookup({ vocabulary: vocab, outputMode: "multi_hot", name: "sl" });
    const t = tf.tensor([["a", "b"]], undefined, "string");
    expect(vals(layer(t))).toEqual([[0, 1, 1, 0, 0]]);
    t.dispose();
    const sym = layer(new KerasTensor([null, 2], { dtype: "string" }));
    expect(sym.shape).toEqual([null, 5]);
    expect(sym.dtype).toBe("float32");
    const cfg = layer.getConfig();
    expect(cfg).toMatchObject({
      name: "sl", invert: false, max_tokens: null, num_oov_indices: 1, oov_token: "[UNK]", mask_token: null,
      output_mode: "multi_hot", sparse: false, pad_to_max_tokens: false, idf_weights: null, vocabulary: vocab,
      vocabulary_size: 5, oov_method: "floormod", salt: null, encoding: "utf-8",
    });
    expect("vocabulary_dtype" in cfg).toBe(false);
    const clone = StringLookup.fromConfig(JSON.parse(JSON.stringify(cfg)));
    expect(clone.getConfig()).toEqual(cfg);
  });

  it("saves the adapted vocabulary as the asset vocabulary.txt and loads it back", () => {
    const layer = new StringLookup({ outputMode: "count" });
    layer.adapt([["x", "y", "y"], ["ü", "y", "x"]]);
    const assets = new Map<string, Uint8Array>();
    layer.saveAssets(assetsDirIn(assets, "layers/string_lookup"));
    const bytes = assets.get("layers/string_lookup/vocabulary.txt")!;
    expect(new TextDecoder().decode(bytes)).toBe("[UNK]\ny\nx\nü");
    const cfg = JSON.parse(JSON.stringify(layer.getConfig()));
    expect(cfg.vocabulary).toBeNull();
    expect(cfg.vocabulary_size).toBe(4);
    const clone = StringLookup.fromConfig(cfg);
    // The output size is known from the config before the vocabulary is loaded.
    expect(clone.computeOutputShape([null, 3])).toEqual([null, 4]);
    clone.loadAssets(assetsDirIn(assets, "layers/string_lookup"));
    expect(clone.getVocabulary()).toEqual(layer.getVocabulary());
    expect(vals(clone([["x", "q", "y", "y"]]))).toEqual([[1, 2, 1, 0]]);
    // A vocabulary given to the constructor is in the config; no asset.
    const given = new StringLookup({ vocabulary: ["a"] });
    const a2 = new Map<string, Uint8Array>();
    given.saveAssets(assetsDirIn(a2, "x"));
    expect(a2.size).toBe(0);
  });

  it("tf_idf weights are saved as the variable idf_weights", () => {
    const layer = new StringLookup({ outputMode: "tf_idf" });
    layer.adapt([["a", "b"], ["a"]]);
    const saved = layer.saveOwnVariables();
    expect(saved.map((s) => s.key)).toEqual(["idf_weights"]);
    const clone = StringLookup.fromConfig(JSON.parse(JSON.stringify(layer.getConfig())));
    clone.loadOwnVariables(saved.map((s) => ({ ...s, key: "idf_weights", storedDtype: "float32" })), "");
    const assets = new Map<string, Uint8Array>();
    layer.saveAssets(assetsDirIn(assets, ""));
    clone.loadAssets(assetsDirIn(assets, ""));
    expectClose(clone([["a", "b", "b"]]), vals(layer([["a", "b", "b"]])).flat() as number[]);
  });

  it("no tensor leaks", () => {
    const layer = new StringLookup({ vocabulary: vocab, outputMode: "tf_idf", idfWeights: [1, 2, 3, 4] });
    layer(["a"]).dispose();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) layer([["a", "q", "d"]]).dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe("IntegerLookup (Keras docstring examples)", () => {
  const vocab = [12, 36, 1138, 42];
  it("known and adapted vocabularies", () => {
    expect(vals(layers.IntegerLookup({ vocabulary: vocab })([[12, 1138, 42], [42, 1000, 36]]))).toEqual([[1, 3, 4], [4, 0, 2]]);
    const l = new IntegerLookup();
    l.adapt([[12, 1138, 42], [42, 1000, 36]]);
    expect(l.getVocabulary()).toEqual([-1, 42, 1138, 1000, 36, 12]);
    expect(vals(l([[12, 1138, 42], [42, 1000, 36]]))).toEqual([[5, 2, 1], [1, 3, 4]]);
  });

  it("OOV buckets: floormod and farmhash", () => {
    const l = new IntegerLookup({ vocabulary: vocab, numOovIndices: 2 });
    expect(vals(l([[12, 1138, 42], [37, 1000, 36]]))).toEqual([[2, 4, 5], [1, 0, 3]]);
    const oov = [100, 300, 700, 1100, 1700, 2000];
    expect(vals(new IntegerLookup({ vocabulary: [10, 20, 30], numOovIndices: 4 })(oov))).toEqual([0, 0, 0, 0, 0, 0]);
    expect(vals(new IntegerLookup({ vocabulary: [10, 20, 30], numOovIndices: 4, oovMethod: "farmhash" })(oov))).toEqual([3, 3, 2, 2, 0, 1]);
    expect(() => new IntegerLookup({ salt: 3 })).toThrow(/oov_method='farmhash'/);
  });

  it("encodings, tf_idf, invert", () => {
    expect(vals(new IntegerLookup({ vocabulary: vocab, outputMode: "one_hot" })([12, 36, 1138, 42, 7]))).toEqual([
      [0, 1, 0, 0, 0], [0, 0, 1, 0, 0], [0, 0, 0, 1, 0], [0, 0, 0, 0, 1], [1, 0, 0, 0, 0],
    ]);
    const data = [[12, 1138, 42, 42], [42, 7, 36, 7]];
    expect(vals(new IntegerLookup({ vocabulary: vocab, outputMode: "multi_hot" })(data))).toEqual([[0, 1, 0, 1, 1], [1, 0, 1, 0, 1]]);
    expect(vals(new IntegerLookup({ vocabulary: vocab, outputMode: "count" })(data))).toEqual([[0, 1, 0, 1, 2], [2, 0, 1, 0, 1]]);
    expectClose(new IntegerLookup({ outputMode: "tf_idf", vocabulary: vocab, idfWeights: [0.25, 0.75, 0.6, 0.4] })(data), [0, 0.25, 0, 0.6, 0.8, 1.0, 0, 0.75, 0, 0.4]);
    expectClose(
      new IntegerLookup({ outputMode: "tf_idf", vocabulary: [-1, ...vocab], idfWeights: [0.9, 0.25, 0.75, 0.6, 0.4] })(data),
      [0, 0.25, 0, 0.6, 0.8, 1.8, 0, 0.75, 0, 0.4],
    );
    const inv = new IntegerLookup({ vocabulary: vocab, invert: true });
    expect(vals(inv([[1, 3, 4], [4, 0, 2]]))).toEqual([[12, 1138, 42], [42, -1, 36]]);
    const fwd = new IntegerLookup({ vocabulary: vocab });
    const inv2 = new IntegerLookup({ vocabulary: fwd.getVocabulary(), invert: true });
    expect(vals(inv2(fwd([[12, 1138, 42], [42, 1000, 36]])))).toEqual([[12, 1138, 42], [42, -1, 36]]);
  });

  it("config (vocabulary_dtype int64) and round trip; pad_to_max_tokens", () => {
    const l = new IntegerLookup({ vocabulary: vocab, maxTokens: 8, padToMaxTokens: true, outputMode: "multi_hot" });
    const cfg = l.getConfig();
    expect(cfg.vocabulary_dtype).toBe("int64");
    expect(cfg.oov_token).toBe(-1);
    const c = IntegerLookup.fromConfig(JSON.parse(JSON.stringify(cfg)));
    expect(c.getConfig()).toEqual(cfg);
    expect(vals(c([[12, 42]]))).toEqual([[0, 1, 0, 0, 1, 0, 0, 0]]);
    const assets = new Map<string, Uint8Array>();
    const a = new IntegerLookup();
    a.adapt([3, 3, 5]);
    a.saveAssets(assetsDirIn(assets, "p"));
    expect(new TextDecoder().decode(assets.get("p/vocabulary.txt"))).toBe("-1\n3\n5");
    const b = IntegerLookup.fromConfig(JSON.parse(JSON.stringify(a.getConfig())));
    b.loadAssets(assetsDirIn(assets, "p"));
    expect(b.getVocabulary()).toEqual([-1, 3, 5]);
  });

  it("adapt from an iterable of batches (generator)", () => {
    const l = new IntegerLookup();
    const batches = [tf.tensor([[1, 2]], undefined, "int32"), tf.tensor([[2, 9]], undefined, "int32")];
    function* gen(): Generator<Tensor> {
      yield* batches;
    }
    const before = tf.memory().numTensors;
    const r = l.adapt(gen());
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose(batches);
    expect(r).toBeUndefined();
    expect(l.getVocabulary()).toEqual([-1, 2, 9, 1]);
  });
});
