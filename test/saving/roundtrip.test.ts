/** serializeKerasObject ⇄ deserializeKerasObject on tskeras models, and the weights traversal. */
import { describe, expect, it } from "vitest";
import { tf, type Tensor } from "../../lib/backend/tfjs.js";
import { Layer, type CallArgs, type LayerArgs } from "../../lib/layers/layer.js";
import { Variable } from "../../lib/backend/variable.js";
import * as layers from "../../lib/layers/index.js";
import { Functional } from "../../lib/models/functional.js";
import { Sequential } from "../../lib/models/sequential.js";
import { Model } from "../../lib/models/model.js";
import {
  H5Store,
  H5Writer,
  deserializeKerasObject,
  getRegisteredName,
  getRegisteredObject,
  loadModel,
  loadWeightsFromStore,
  registerKerasSerializable,
  saveWeightsToStore,
  serializeKerasObject,
  weightPaths,
  writeKerasArchive,
} from "../../lib/saving/index.js";
import * as models from "../../lib/models/index.js";

/** A layer holding sublayers as attributes: own weight, a single layer, a list, another single layer. */
class Block extends Layer {
  proj: Layer;
  stack: Layer[];
  norm: Layer;
  scale: Variable | null = null;
  readonly units: number;

  constructor(args: LayerArgs & { units?: number } = {}) {
    super(args);
    this.units = args.units ?? 4;
    this.proj = new layers.Dense(this.units);
    this.stack = [new layers.Dense(this.units, { activation: "relu" }), new layers.Dense(this.units)];
    this.norm = new layers.LayerNormalization();
  }

  override build(inputShape: unknown): void {
    this.scale = this.addWeight({ shape: [this.units], initializer: "ones", name: "scale" });
    const shape = inputShape as (number | null)[];
    this.proj.maybeBuild(shape);
    const out = [...shape.slice(0, -1), this.units];
    this.stack[0].maybeBuild(out);
    this.stack[1].maybeBuild(out);
    this.norm.maybeBuild(out);
  }

  override call(inputs: unknown, _kwargs?: CallArgs): unknown {
    let x = this.proj.apply(inputs as Tensor);
    for (const l of this.stack) x = l.apply(x);
    return tf.mul(this.norm.apply(x) as Tensor, (this.scale as Variable).value);
  }

  override computeOutputShape(inputShape: unknown): unknown {
    const s = inputShape as (number | null)[];
    return [...s.slice(0, -1), this.units];
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), units: this.units };
  }
}
registerKerasSerializable({ package: "test_pkg" })(Block);

function randomize(model: Layer, seed: number): void {
  model.weights.forEach((w, i) => {
    const v = tf.randomUniform(w.shape, -1, 1, "float32", seed + i);
    w.assign(v);
    v.dispose();
  });
}

function maxDiff(a: Tensor | Tensor[], b: Tensor | Tensor[]): number {
  const as = Array.isArray(a) ? a : [a];
  const bs = Array.isArray(b) ? b : [b];
  expect(as.length).toBe(bs.length);
  let worst = 0;
  as.forEach((x, i) => {
    const d = tf.tidy(() => tf.max(tf.abs(tf.sub(x, bs[i]))).dataSync()[0]);
    worst = Math.max(worst, d);
  });
  return worst;
}

/** Rebuilds a model from its JSON config and copies the weights; returns both outputs' max difference. */
function rebuildAndCompare(model: Model, inputs: Tensor | Tensor[]): { clone: Model; diff: number } {
  const json = JSON.parse(JSON.stringify(serializeKerasObject(model))) as unknown;
  const clone = deserializeKerasObject(json) as Model;
  const values = model.getWeights();
  clone.setWeights(values);
  tf.dispose(values);
  const a = model.apply(inputs as Tensor) as Tensor | Tensor[];
  const b = clone.apply(inputs as Tensor) as Tensor | Tensor[];
  const diff = maxDiff(a, b);
  tf.dispose([...(Array.isArray(a) ? a : [a]), ...(Array.isArray(b) ? b : [b])]);
  return { clone, diff };
}

describe("registration", () => {
  it("names custom classes Package>Name", () => {
    expect(getRegisteredName(Block)).toBe("test_pkg>Block");
    expect(getRegisteredObject("test_pkg>Block")).toBe(Block);
    expect(serializeKerasObject(new Block({ name: "b0" }))).toMatchObject({ module: null, class_name: "Block", registered_name: "test_pkg>Block" });
  });

  it("keras.models.loadModel is saving.loadModel", () => {
    expect(models.loadModel).toBe(loadModel);
  });
});

describe("serializeKerasObject / deserializeKerasObject", () => {
  it("writes Sequential configs like Keras (InputLayer in layers, build_input_shape)", () => {
    const model = new Sequential([layers.Input({ shape: [8] }), new layers.Dense(4, { activation: "relu", name: "d1" })], { name: "seq" });
    const s = serializeKerasObject(model) as { module: string; class_name: string; config: Record<string, unknown>; build_config: unknown; compile_config: unknown };
    expect(s.module).toBe("keras");
    expect(s.class_name).toBe("Sequential");
    expect(Object.keys(s.config)).toEqual(["name", "trainable", "dtype", "layers", "build_input_shape"]);
    expect((s.config.layers as { class_name: string }[]).map((l) => l.class_name)).toEqual(["InputLayer", "Dense"]);
    expect(s.config.build_input_shape).toEqual([null, 8]);
    expect(s.build_config).toEqual({ input_shape: [null, 8] });
    expect(s.compile_config).toEqual({});
    model.dispose();
  });

  it("rebuilds a Sequential with the same outputs", () => {
    const before = tf.memory().numTensors;
    const model = new Sequential([layers.Input({ shape: [6] }), new layers.Dense(5, { activation: "tanh" }), new layers.Dropout(0.5), new layers.Dense(2)]);
    randomize(model, 1);
    const x = tf.randomNormal([3, 6], 0, 1, "float32", 7);
    const { clone, diff } = rebuildAndCompare(model, x);
    expect(diff).toBeLessThan(1e-6);
    expect(clone).toBeInstanceOf(Sequential);
    expect(clone.name).toBe(model.name);
    expect(clone.layers.map((l) => l.name)).toEqual(model.layers.map((l) => l.name));
    x.dispose();
    model.dispose();
    clone.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it("rebuilds a Functional with dict inputs, a shared layer, a nested Sequential and two outputs", () => {
    const before = tf.memory().numTensors;
    const a = layers.Input({ shape: [4], name: "a" });
    const b = layers.Input({ shape: [4], name: "b" });
    const shared = new layers.Dense(3, { name: "shared" });
    const sa = shared.apply(a);
    const sb = shared.apply(b);
    const inner = new Sequential([layers.Input({ shape: [6] }), new layers.Dense(5, { activation: "relu" }), new layers.Dense(2)], { name: "inner" });
    const cat = new layers.Concatenate({ name: "cat" }).apply([sa, sb]);
    const y1 = inner.apply(cat);
    const y2 = new layers.Add({ name: "sum" }).apply([sa, sb]);
    const model = new Functional({ inputs: { a, b }, outputs: [y1, y2], name: "graph" });
    randomize(model, 3);

    const config = serializeKerasObject(model) as { module: string; class_name: string; registered_name: string; config: Record<string, unknown> };
    expect(config.module).toBe("keras.src.models.functional");
    expect(config.registered_name).toBe("Functional");
    expect(config.config.input_layers).toEqual({ a: ["a", 0, 0], b: ["b", 0, 0] });
    expect(config.config.output_layers).toEqual([["inner", 0, 0], ["sum", 0, 0]]);
    const sharedEntry = (config.config.layers as { name: string; inbound_nodes: unknown[] }[]).find((l) => l.name === "shared");
    expect(sharedEntry?.inbound_nodes).toHaveLength(2);
    expect(JSON.stringify(sharedEntry?.inbound_nodes[1])).toContain('"keras_history":["b",0,0]');

    const xa = tf.randomNormal([2, 4], 0, 1, "float32", 1);
    const xb = tf.randomNormal([2, 4], 0, 1, "float32", 2);
    const { clone, diff } = rebuildAndCompare(model, { a: xa, b: xb } as never);
    expect(diff).toBeLessThan(1e-6);
    expect(clone.layers.map((l) => l.name)).toEqual(model.layers.map((l) => l.name));
    expect((clone as Functional).getLayer("shared").inboundNodes).toHaveLength(2);
    expect(weightPaths(clone).map((p) => p.path)).toEqual(weightPaths(model).map((p) => p.path));
    // Serializing the clone gives the same config.
    expect(JSON.stringify(serializeKerasObject(clone))).toBe(JSON.stringify(config));
    tf.dispose([xa, xb]);
    model.dispose();
    clone.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it("reads the Keras 2 inbound_nodes list format", () => {
    const config = {
      class_name: "Functional",
      config: {
        name: "legacy",
        layers: [
          { class_name: "InputLayer", name: "input_1", config: { batch_input_shape: [null, 3], dtype: "float32", name: "input_1" }, inbound_nodes: [] },
          { class_name: "Dense", name: "node_a", config: { units: 2, name: "node_a" }, inbound_nodes: [[["input_1", 0, 0, {}]]] },
          { class_name: "Dense", name: "node_b", config: { units: 4, name: "node_b" }, inbound_nodes: [[["node_a", 0, 0, {}]]] },
        ],
        input_layers: [["input_1", 0, 0]],
        output_layers: [["node_b", 0, 0]],
      },
    };
    const model = deserializeKerasObject(config) as Functional;
    expect(model).toBeInstanceOf(Functional);
    expect(model.layers.map((l) => l.name)).toEqual(["input_1", "node_a", "node_b"]);
    expect(model.outputs[0].shape).toEqual([null, 4]);
    model.dispose();
  });

  it("uses customObjects before the built-ins, and explains unknown classes", () => {
    const cfg = { module: "my.module", class_name: "Mystery", config: { name: "m" }, registered_name: "pkg>Mystery" };
    expect(() => deserializeKerasObject(cfg)).toThrow(/Could not locate class 'Mystery' \(module 'my\.module', registered name 'pkg>Mystery'\).*registerKerasSerializable.*customObjects/s);
    const obj = deserializeKerasObject(cfg, { "pkg>Mystery": Block }) as Block;
    expect(obj).toBeInstanceOf(Block);
    expect(obj.name).toBe("m");
    obj.dispose();
    // initializers, regularizers, constraints, activations and dtype policies go through their modules.
    expect(deserializeKerasObject({ module: "keras", class_name: "DTypePolicy", config: { name: "float32" }, registered_name: null })).toMatchObject({ name: "float32" });
    const init = deserializeKerasObject({ module: "keras.initializers", class_name: "Constant", config: { value: 2 }, registered_name: null });
    expect(serializeKerasObject(init)).toMatchObject({ module: "keras.initializers", class_name: "Constant" });
    const reg = deserializeKerasObject({ module: "keras.regularizers", class_name: "L2", config: { l2: 0.5 }, registered_name: null });
    expect(serializeKerasObject(reg)).toMatchObject({ class_name: "L2", config: { l2: 0.5 } });
    const relu = deserializeKerasObject({ module: "builtins", class_name: "function", config: "relu", registered_name: null });
    expect(serializeKerasObject(relu)).toBe("relu");
  });

  it("refuses lambdas in safe mode, and Python lambdas always", () => {
    expect(() => deserializeKerasObject({ class_name: "__lambda__", config: { value: "abc" } })).toThrow(/arbitrary code execution.*safeMode: false/s);
    expect(() => deserializeKerasObject({ class_name: "__lambda__", config: { value: "abc" } }, {}, { safeMode: false })).toThrow(/Python lambda/);
    const fn = deserializeKerasObject({ class_name: "__lambda__", config: { code: "(x) => x + 1", language: "javascript" } }, {}, { safeMode: false });
    expect((fn as (x: number) => number)(1)).toBe(2);
  });
});

describe("weights traversal", () => {
  it("follows Keras's paths for attribute-held sublayers (own vars, then sorted attributes, lists by class name)", () => {
    const x = layers.Input({ shape: [3] });
    const y = new Block({ name: "blk", units: 4 }).apply(x);
    const model = new Functional({ inputs: x, outputs: y as never, name: "outer" });
    expect(weightPaths(model).map((p) => `${p.path} ${p.variable.name}`)).toEqual([
      "layers/block/vars/0 scale",
      "layers/block/norm/vars/0 gamma",
      "layers/block/norm/vars/1 beta",
      "layers/block/proj/vars/0 kernel",
      "layers/block/proj/vars/1 bias",
      "layers/block/stack/dense/vars/0 kernel",
      "layers/block/stack/dense/vars/1 bias",
      "layers/block/stack/dense_1/vars/0 kernel",
      "layers/block/stack/dense_1/vars/1 bias",
    ]);
    model.dispose();
  });

  it("saves and loads a .keras file with custom and nested layers", async () => {
    const before = tf.memory().numTensors;
    const x = layers.Input({ shape: [3], name: "x" });
    const h = new Block({ name: "blk", units: 4 }).apply(x);
    const inner = new Sequential([layers.Input({ shape: [4] }), new layers.Dense(2, { name: "inner_dense" })], { name: "inner_seq" });
    const model = new Functional({ inputs: x, outputs: inner.apply(h), name: "with_block" });
    randomize(model, 11);

    const w = await H5Writer.create();
    saveWeightsToStore(model, w);
    const h5 = w.toBytes();
    const store = await H5Store.fromBytes(h5);
    expect(store.savedName("layers/block")).toBe("blk");
    expect(store.keys("layers/sequential/layers")).toEqual(["dense"]);
    store.close();

    const bytes = writeKerasArchive({ config: serializeKerasObject(model) as never, metadata: { keras_version: "3.15.1" }, weightsH5: h5 });
    const loaded = await loadModel(bytes);
    const input = tf.randomNormal([5, 3], 0, 1, "float32", 5);
    const a = model.apply(input) as Tensor;
    const b = loaded.apply(input) as Tensor;
    expect(maxDiff(a, b)).toBeLessThan(1e-6);
    expect(loaded.compileConfig).toBeNull();

    // loadWeightsFromStore assigns into an existing model too.
    randomize(loaded, 99);
    const store2 = await H5Store.fromBytes(h5);
    loadWeightsFromStore(loaded, store2);
    store2.close();
    const c = loaded.apply(input) as Tensor;
    expect(maxDiff(a, c)).toBeLessThan(1e-6);

    tf.dispose([input, a, b, c]);
    model.dispose();
    loaded.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
