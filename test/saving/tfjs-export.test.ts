/**
 * model.exportTfjs: the TensorFlow.js layers format, opened by
 * @tensorflow/tfjs-layers' loadLayersModel (the real package, a
 * devDependency), which must predict what tskeras predicts.
 */
import { describe, expect, it } from "vitest";
import { createRequire } from "node:module";
import { mkdtempSync, readFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { tf, type Tensor } from "../../lib/backend/tfjs.js";
import type { Layer } from "../../lib/layers/layer.js";
import * as layers from "../../lib/layers/index.js";
import { Functional } from "../../lib/models/functional.js";
import { Sequential } from "../../lib/models/sequential.js";
import type { Model } from "../../lib/models/model.js";
import { TfjsExportError, exportTfjs, type TfjsModelJson } from "../../lib/saving/index.js";

interface TfjsLayersModel {
  predict(x: Tensor | Tensor[]): Tensor | Tensor[];
  dispose(): unknown;
  layers: { name: string }[];
}
const tfl = createRequire(import.meta.url)("@tensorflow/tfjs-layers") as {
  loadLayersModel(handler: unknown, options?: { strict?: boolean }): Promise<TfjsLayersModel>;
};

const tmp = mkdtempSync(join(tmpdir(), "tskeras-tfjs-"));
let counter = 0;

function randomize(model: Layer, seed: number): void {
  model.weights.forEach((w, i) => {
    const name = w.path;
    const v = /moving_variance|gamma/.test(name)
      ? tf.randomUniform(w.shape, 0.5, 1.5, "float32", seed + i)
      : tf.randomUniform(w.shape, -0.5, 0.5, "float32", seed + i);
    w.assign(v);
    v.dispose();
  });
}

/** Exports `model` to a fresh folder and loads it back with tfjs-layers (from the files on disk). */
async function exportAndLoad(model: Model): Promise<{ loaded: TfjsLayersModel; json: TfjsModelJson; dir: string }> {
  const dir = join(tmp, `m${++counter}`);
  await model.exportTfjs(dir);
  expect(readdirSync(dir).sort()).toEqual(["group1-shard1of1.bin", "model.json"]);
  const json = JSON.parse(readFileSync(join(dir, "model.json"), "utf8")) as TfjsModelJson;
  const bin = readFileSync(join(dir, json.weightsManifest[0].paths[0]));
  const weightData = bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength);
  const handler = tf.io.fromMemory({
    modelTopology: json.modelTopology as never,
    weightSpecs: json.weightsManifest[0].weights as never,
    weightData,
    format: json.format,
    generatedBy: json.generatedBy,
  });
  const loaded = await tfl.loadLayersModel(handler);
  return { loaded, json, dir };
}

async function checkSamePredictions(model: Model, inputs: Tensor | Tensor[], tol = 1e-5): Promise<TfjsModelJson> {
  const { loaded, json } = await exportAndLoad(model);
  try {
    const ours = model.predictOnBatch(inputs) as Tensor | Tensor[];
    const theirs = loaded.predict(inputs);
    const a = Array.isArray(ours) ? ours : [ours];
    const b = Array.isArray(theirs) ? theirs : [theirs];
    expect(b.length).toBe(a.length);
    a.forEach((t, i) => {
      expect(b[i].shape).toEqual(t.shape);
      const d = tf.tidy(() => tf.max(tf.abs(tf.sub(t, b[i]))).dataSync()[0]);
      expect(d, `output ${i}: max abs difference`).toBeLessThan(tol);
    });
    tf.dispose([...a, ...b]);
  } finally {
    loaded.dispose();
  }
  return json;
}

describe("exportTfjs → tfjs-layers loadLayersModel predicts the same", () => {
  it("an MLP (Dense, Dropout, activations)", async () => {
    const before = tf.memory().numTensors;
    const model = new Sequential([
      layers.Input({ shape: [8] }),
      new layers.Dense(16, { activation: "relu" }),
      new layers.Dropout(0.3),
      new layers.Dense(8, { activation: "tanh", kernelRegularizer: "l2" }),
      new layers.Dense(3, { activation: "softmax" }),
    ], { name: "mlp" });
    randomize(model, 1);
    const x = tf.randomNormal([4, 8], 0, 1, "float32", 2);
    const json = await checkSamePredictions(model, x);
    expect(json.format).toBe("layers-model");
    expect(json.modelTopology.class_name).toBe("Sequential");
    const dense = model.layers.filter((l) => l.className === "Dense").map((l) => l.name);
    expect(json.weightsManifest[0].weights.map((w) => w.name)).toEqual(dense.flatMap((n) => [`${n}/kernel`, `${n}/bias`]));
    expect(json.weightsManifest[0].weights[0]).toEqual({ name: `${dense[0]}/kernel`, shape: [8, 16], dtype: "float32" });
    x.dispose();
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it("a CNN (Conv2D, MaxPooling2D, BatchNormalization, Flatten) and depthwise / separable / average pooling", async () => {
    const model = new Sequential([
      layers.Input({ shape: [10, 10, 2] }),
      new layers.Conv2D(4, 3, { activation: "relu", padding: "same" }),
      new layers.MaxPooling2D(2),
      new layers.BatchNormalization(),
      new layers.DepthwiseConv2D(3, { depthMultiplier: 2 }),
      new layers.SeparableConv2D(3, 2, { activation: "elu" }),
      new layers.AveragePooling2D(1),
      new layers.Flatten(),
      new layers.Dense(5, { activation: "softmax" }),
    ]);
    randomize(model, 3);
    const x = tf.randomNormal([2, 10, 10, 2], 0, 1, "float32", 4);
    await checkSamePredictions(model, x);
    x.dispose();
    model.dispose();
  });

  it("recurrent layers and Embedding (Embedding, LSTM, GRU with resetAfter: false, SimpleRNN)", async () => {
    const model = new Sequential([
      layers.Input({ shape: [6], dtype: "int32" }),
      new layers.Embedding(10, 4),
      new layers.LSTM(5, { returnSequences: true }),
      new layers.GRU(3, { resetAfter: false, returnSequences: true }),
      new layers.SimpleRNN(2),
    ]);
    randomize(model, 5);
    const x = tf.tensor2d([[1, 2, 3, 4, 5, 6], [9, 0, 2, 2, 1, 7]], [2, 6], "int32");
    await checkSamePredictions(model, x, 1e-4);
    x.dispose();
    model.dispose();
  });

  it("a Functional graph: two inputs, merges, a shared layer, a nested Sequential, LayerNormalization, two outputs", async () => {
    const a = layers.Input({ shape: [6], name: "in_a" });
    const b = layers.Input({ shape: [6], name: "in_b" });
    const shared = new layers.Dense(4, { activation: "relu", name: "shared" });
    const sa = shared.apply(a);
    const sb = shared.apply(b);
    const cat = new layers.Concatenate({ name: "cat" }).apply([sa, sb]);
    const inner = new Sequential([layers.Input({ shape: [8] }), new layers.Dense(4, { name: "inner_dense" })], { name: "inner" });
    const h = new layers.Add({ name: "add" }).apply([inner.apply(cat), new layers.Multiply({ name: "mul" }).apply([sa, sb])]);
    const n = new layers.LayerNormalization({ name: "ln" }).apply(h);
    const out1 = new layers.Dense(3, { activation: "softmax", name: "class_out" }).apply(n);
    const out2 = new layers.Dense(1, { name: "reg_out" }).apply(new layers.Maximum({ name: "max" }).apply([sa, sb]));
    const model = new Functional({ inputs: [a, b], outputs: [out1, out2], name: "graph" });
    randomize(model, 7);
    const xa = tf.randomNormal([3, 6], 0, 1, "float32", 8);
    const xb = tf.randomNormal([3, 6], 0, 1, "float32", 9);
    const json = await checkSamePredictions(model, [xa, xb]);
    expect(json.modelTopology.class_name).toBe("Functional");
    const cfg = json.modelTopology.config as { layers: { name: string; inbound_nodes: unknown[] }[]; input_layers: unknown; output_layers: unknown };
    expect(cfg.input_layers).toEqual([["in_a", 0, 0], ["in_b", 0, 0]]);
    expect(cfg.output_layers).toEqual([["class_out", 0, 0], ["reg_out", 0, 0]]);
    expect(cfg.layers.find((l) => l.name === "shared")?.inbound_nodes).toEqual([[["in_a", 0, 0, {}]], [["in_b", 0, 0, {}]]]);
    // A nested model's first call is its node 1 (node 0 is its own graph).
    expect(cfg.layers.find((l) => l.name === "add")?.inbound_nodes).toEqual([[["inner", 1, 0, {}], ["mul", 0, 0, {}]]]);
    tf.dispose([xa, xb]);
    model.dispose();
  });

  it("keras.saving.exportTfjs is the same export", async () => {
    const model = new Sequential([layers.Input({ shape: [2] }), new layers.Dense(2)]);
    const dir = join(tmp, "fn");
    await exportTfjs(model, dir);
    expect(readdirSync(dir).sort()).toEqual(["group1-shard1of1.bin", "model.json"]);
    expect(readFileSync(join(dir, "group1-shard1of1.bin")).length).toBe((2 * 2 + 2) * 4);
    model.dispose();
  });
});

describe("exportTfjs: clear errors for what tfjs-layers cannot express", () => {
  it("names a layer class tfjs-layers does not have", async () => {
    const x = layers.Input({ shape: [5, 6] });
    const y = new layers.MultiHeadAttention(2, 3, { name: "mha" }).apply(x, { value: x } as never);
    const model = new Functional({ inputs: x, outputs: y as never });
    const err = (await model.exportTfjs(join(tmp, "mha")).catch((e: unknown) => e)) as Error;
    expect(err).toBeInstanceOf(TfjsExportError);
    expect(err.message).toMatch(/Cannot export layer 'mha' \(MultiHeadAttention\) to the TensorFlow\.js layers format: tfjs-layers has no such layer class/);
    model.dispose();
  });

  it("names a setting tfjs-layers does not support (GRU reset_after=True)", async () => {
    const model = new Sequential([layers.Input({ shape: [4, 3] }), new layers.GRU(2, { name: "gru_default" })]);
    await expect(model.exportTfjs(join(tmp, "gru"))).rejects.toThrow(/Cannot export layer 'gru_default' \(GRU\).*reset_after=True/);
    model.dispose();
  });
});
