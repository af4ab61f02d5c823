/**
 * Asset files in `.keras` archives: the lookup layers' adapted vocabulary
 * goes to `assets/<inner path>/vocabulary.txt` (Keras's `save_assets`,
 * `get_vocabulary(include_special_tokens=True)` joined by newlines) and
 * comes back on load; tf_idf weights are the variable `vars/idf_weights`.
 */
import { afterAll, describe, expect, it } from "vitest";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { tf, type Tensor } from "../../lib/backend/tfjs.js";
import * as keras from "../../lib/index.js";
import { loadModel, readKerasArchive, saveModel, saveModelToBytes, saveWeightsToBytes, writeKerasArchive } from "../../lib/saving/index.js";
import { h5Tree } from "./h5-tree.js";

const { layers } = keras;
const text = (b: Uint8Array | undefined): string | undefined => (b === undefined ? undefined : new TextDecoder().decode(b));

async function predictBoth(model: keras.Model, loaded: keras.Model, x: Tensor): Promise<[number[], number[]]> {
  const a = (await model.predict(x)) as Tensor;
  const b = (await loaded.predict(x)) as Tensor;
  expect(b.shape).toEqual(a.shape);
  const out: [number[], number[]] = [Array.from(a.dataSync()), Array.from(b.dataSync())];
  tf.dispose([a, b]);
  return out;
}

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe(".keras assets", () => {
  it("an adapted StringLookup saves assets/layers/string_lookup/vocabulary.txt and loads with the same outputs", async () => {
    const lookup = layers.StringLookup({ outputMode: "multi_hot" });
    lookup.adapt([["x", "y", "y"], ["ü", "y", "x"]]);
    const inp = keras.Input({ shape: [3], dtype: "string" });
    const model = keras.Model({ inputs: inp, outputs: layers.Dense(2, { kernelInitializer: "glorot_uniform" })(lookup(inp)) });
    const bytes = await saveModelToBytes(model);
    const archive = readKerasArchive(bytes);
    expect([...archive.assets.keys()]).toEqual(["layers/string_lookup/vocabulary.txt"]);
    // Keras's content: get_vocabulary(include_special_tokens=True), one term a line, no trailing newline.
    expect(text(archive.assets.get("layers/string_lookup/vocabulary.txt"))).toBe("[UNK]\ny\nx\nü");
    expect(archive.members).toContain("assets/layers/string_lookup/vocabulary.txt");
    expect(archive.config.config).toBeDefined();

    const loaded = (await loadModel(bytes)) as unknown as keras.Model;
    const loadedLookup = loaded.layers.find((l) => l.className === "StringLookup") as unknown as { getVocabulary(): string[] };
    expect(loadedLookup.getVocabulary()).toEqual(["[UNK]", "y", "x", "ü"]);
    const x = tf.tensor([["x", "q", "ü"], ["y", "y", "z"]], undefined, "string");
    const [a, b] = await predictBoth(model, loaded, x);
    expect(b).toEqual(a);
    x.dispose();
    model.dispose();
    loaded.dispose();
  });

  it("a vocabulary given to the constructor lives in the config: no asset", async () => {
    const inp = keras.Input({ shape: [2], dtype: "string" });
    const model = keras.Model({ inputs: inp, outputs: layers.StringLookup({ vocabulary: ["a", "b"] })(inp) });
    const archive = readKerasArchive(await saveModelToBytes(model));
    expect(archive.assets.size).toBe(0);
    expect(archive.members).toEqual(["metadata.json", "config.json", "model.weights.h5"]);
  });

  it("mask token and IntegerLookup: Keras's vocabulary.txt lines", async () => {
    const sl = layers.StringLookup({ maskToken: "", numOovIndices: 2 });
    sl.adapt([["b", "a", "b"]]);
    const il = layers.IntegerLookup();
    il.adapt(tf.tensor1d([7, 3, 7, 7], "int32"));
    const sIn = keras.Input({ shape: [3], dtype: "string" });
    const iIn = keras.Input({ shape: [3], dtype: "int32" });
    const model = keras.Model({ inputs: [sIn, iIn], outputs: [sl(sIn), il(iIn)] });
    const bytes = await saveModelToBytes(model);
    const archive = readKerasArchive(bytes);
    // Mask first (int mode), then the OOV tokens, then the terms by frequency.
    expect(text(archive.assets.get("layers/string_lookup/vocabulary.txt"))).toBe("\n[UNK]\n[UNK]\nb\na");
    expect(text(archive.assets.get("layers/integer_lookup/vocabulary.txt"))).toBe("-1\n7\n3");
    const loaded = (await loadModel(bytes)) as unknown as keras.Model;
    const s = tf.tensor([["a", "", "zz"]], undefined, "string");
    const i = tf.tensor2d([[3, 7, 5]], undefined, "int32");
    const a = (await model.predict([s, i])) as Tensor[];
    const b = (await loaded.predict([s, i])) as Tensor[];
    expect(b.map((t) => t.arraySync())).toEqual(a.map((t) => t.arraySync()));
    expect(a[0].arraySync()).toEqual([[4, 0, expect.any(Number)]]);
    tf.dispose([s, i, ...a, ...b]);
    model.dispose();
    loaded.dispose();
  });

  for (const outputMode of ["int", "tf_idf"] as const) {
    it(`TextVectorization (${outputMode}) saves its vocabulary (and idf_weights) and loads with the same outputs`, async () => {
      const tv = layers.TextVectorization({ outputMode, maxTokens: 8, ...(outputMode === "int" ? { outputSequenceLength: 4 } : {}) });
      tv.adapt(["the cat sat", "the dog", "a cat, a dog!"]);
      const inp = keras.Input({ shape: [1], dtype: "string" });
      let out = tv(inp);
      out = outputMode === "int" ? layers.Flatten()(layers.Embedding(8, 2)(out)) : layers.Dense(3)(out);
      const model = keras.Model({ inputs: inp, outputs: out });
      const bytes = await saveModelToBytes(model);
      const archive = readKerasArchive(bytes);
      const vocab = (tv as unknown as { getVocabulary(): string[] }).getVocabulary();
      const expected = vocab.join("\n");
      expect(vocab[0]).toBe(outputMode === "int" ? "" : "[UNK]");
      // Keras visits the layer and its `_lookup_layer`: both write the vocabulary.
      expect([...archive.assets.keys()].sort()).toEqual([
        "layers/text_vectorization/_lookup_layer/vocabulary.txt",
        "layers/text_vectorization/vocabulary.txt",
      ]);
      expect(text(archive.assets.get("layers/text_vectorization/vocabulary.txt"))).toBe(expected);
      expect(text(archive.assets.get("layers/text_vectorization/_lookup_layer/vocabulary.txt"))).toBe(expected);
      const tree = await h5Tree(archive.weightsH5!);
      if (outputMode === "tf_idf") {
        for (const p of ["/layers/text_vectorization/vars/idf_weights", "/layers/text_vectorization/_lookup_layer/vars/idf_weights"]) {
          const e = tree.get(p) ?? tree.get(p.slice(1));
          expect(e?.kind).toBe("dataset");
          expect(e?.shape).toEqual([vocab.length]);
        }
      } else {
        expect([...tree.keys()].some((k) => k.includes("idf_weights"))).toBe(false);
      }
      const loaded = (await loadModel(bytes)) as unknown as keras.Model;
      const x = tf.tensor([["the cat"], ["a bird, a dog"], ["zebra"]], undefined, "string");
      const [a, b] = await predictBoth(model, loaded, x);
      expect(b.length).toBe(a.length);
      b.forEach((v, k) => expect(v).toBeCloseTo(a[k], 5));
      x.dispose();
      model.dispose();
      loaded.dispose();
    });
  }

  it("a lookup layer inside a Pipeline saves at assets/layers/pipeline/layers/string_lookup/", async () => {
    const lookup = layers.StringLookup();
    lookup.adapt(["p", "q", "q"]);
    const pipe = layers.Pipeline([lookup]);
    const inp = keras.Input({ shape: [2], dtype: "string" });
    const model = keras.Model({ inputs: inp, outputs: pipe(inp) });
    const bytes = await saveModelToBytes(model);
    expect(text(readKerasArchive(bytes).assets.get("layers/pipeline/layers/string_lookup/vocabulary.txt"))).toBe("[UNK]\nq\np");
    const loaded = (await loadModel(bytes)) as unknown as keras.Model;
    const x = tf.tensor([["p", "z"]], undefined, "string");
    const [a, b] = await predictBoth(model, loaded, x);
    expect(b).toEqual(a);
    expect(a).toEqual([2, 0]);
    x.dispose();
  });

  it("the unzipped form writes assets/ too, and loads it", async () => {
    const lookup = layers.StringLookup();
    lookup.adapt(["m", "n", "n"]);
    const inp = keras.Input({ shape: [2], dtype: "string" });
    const model = keras.Model({ inputs: inp, outputs: lookup(inp) });
    const dir = mkdtempSync(join(tmpdir(), "tskeras-assets-"));
    dirs.push(dir);
    const path = join(dir, "m_dir");
    await saveModel(model, path, { zipped: false });
    expect(readFileSync(join(path, "assets", "layers", "string_lookup", "vocabulary.txt"), "utf8")).toBe("[UNK]\nn\nm");
    const loaded = (await loadModel(path)) as unknown as keras.Model;
    const x = tf.tensor([["m", "n"]], undefined, "string");
    const [a, b] = await predictBoth(model, loaded, x);
    expect(b).toEqual([2, 1]);
    expect(a).toEqual(b);
    x.dispose();
  });

  it("a .keras file whose assets folder is missing gives a clear error", async () => {
    const lookup = layers.StringLookup({ name: "words" });
    lookup.adapt(["u", "v"]);
    const inp = keras.Input({ shape: [2], dtype: "string" });
    const model = keras.Model({ inputs: inp, outputs: lookup(inp) });
    const archive = readKerasArchive(await saveModelToBytes(model));
    const stripped = writeKerasArchive({
      configText: JSON.stringify(archive.config),
      metadata: archive.metadata ?? {},
      weightsH5: archive.weightsH5,
    });
    const before = tf.memory().numTensors;
    await expect(loadModel(stripped)).rejects.toThrow(
      /Layer 'words' \(StringLookup\) cannot load its vocabulary: 'assets\/layers\/string_lookup\/vocabulary\.txt' is missing/,
    );
    expect(tf.memory().numTensors).toBe(before);
  });

  it("weights-only files carry no assets; model.loadWeights leaves the vocabulary alone", async () => {
    const lookup = layers.StringLookup();
    lookup.adapt(["a", "b", "b"]);
    const inp = keras.Input({ shape: [1], dtype: "string" });
    const model = keras.Model({ inputs: inp, outputs: layers.Dense(1)(lookup(inp)) });
    const weights = await saveWeightsToBytes(model);
    const tree = await h5Tree(weights);
    expect([...tree.keys()].some((k) => k.includes("assets"))).toBe(false);
    await keras.saving.loadWeights(model, weights);
    expect((lookup as unknown as { getVocabulary(): string[] }).getVocabulary()).toEqual(["[UNK]", "b", "a"]);
  });
});
