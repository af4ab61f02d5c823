/**
 * Loads the .keras files written by Python Keras 3 and checks names,
 * weights and outputs against the values Keras computed.
 */
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { readFileSync, readdirSync } from "node:fs";
import { tf, type Tensor } from "../../lib/backend/tfjs.js";
import "../../lib/layers/index.js";
import { loadModel, readKerasFile, weightPaths } from "../../lib/saving/index.js";
import { getBuiltin } from "../../lib/saving/object-registration.js";
import { Functional } from "../../lib/models/functional.js";
import { Sequential } from "../../lib/models/sequential.js";
import { parseNpy, parseNpz } from "./npy.js";

const FIXTURES = fileURLToPath(new URL("../../../shared/fixtures/keras", import.meta.url));
const TEXT_FIXTURES = fileURLToPath(new URL("../../../shared/fixtures/keras-text", import.meta.url));

interface JsonTensor {
  shape: number[];
  dtype: string;
  data: number[];
}
interface JsonWeight extends JsonTensor {
  path: string;
  name: string;
}

function toTensor(t: JsonTensor): Tensor {
  const dtype = t.dtype.startsWith("int") ? "int32" : t.dtype === "bool" ? "bool" : "float32";
  return tf.tensor(t.data, t.shape, dtype);
}

/** Every class a config names (layers, nested models), with its module. */
function classesIn(config: unknown, out: Map<string, string | null> = new Map()): Map<string, string | null> {
  if (Array.isArray(config)) config.forEach((c) => classesIn(c, out));
  else if (config && typeof config === "object") {
    const c = config as Record<string, unknown>;
    if (typeof c.class_name === "string" && "config" in c && !c.class_name.startsWith("__") && c.class_name !== "function") {
      out.set(c.class_name, typeof c.module === "string" ? c.module : null);
    }
    for (const [k, v] of Object.entries(c)) if (k !== "compile_config") classesIn(v, out);
  }
  return out;
}

async function missingClasses(file: string): Promise<string[]> {
  const archive = await readKerasFile(file);
  return [...classesIn(archive.config)].filter(([name, module]) => !getBuiltin(name, module)).map(([n]) => n);
}

function fixtureNames(dir: string): string[] {
  return readdirSync(dir).filter((f) => f.endsWith(".keras")).map((f) => f.slice(0, -6)).sort();
}

function expectClose(actual: Tensor, expected: JsonTensor, what: string, tol = 1e-5): void {
  expect(actual.shape, `${what} shape`).toEqual(expected.shape);
  const a = actual.dataSync();
  let worst = 0;
  for (let i = 0; i < expected.data.length; i++) worst = Math.max(worst, Math.abs(a[i] - expected.data[i]));
  expect(worst, `${what}: max abs difference`).toBeLessThanOrEqual(tol);
}

/**
 * Compares weights by path and value. Keras builds the layers of a Sequential
 * made in Python inside the model's name scope (`mlp_sequential/hidden/kernel`),
 * but a loaded model's layers are built from their build_config outside it
 * (Keras's own `load_model` gives `hidden/kernel` too), so the model-name prefix is ignored.
 */
function checkWeights(model: { name: string; weights: { path: string; value: Tensor; shape: number[] }[] }, expected: JsonWeight[]): void {
  const weights = model.weights;
  expect(weights.length).toBe(expected.length);
  const strip = (p: string): string => (p.startsWith(`${model.name}/`) ? p.slice(model.name.length + 1) : p);
  expected.forEach((w, i) => {
    expect(strip(weights[i].path), `weight ${i} path`).toBe(strip(w.path));
    expect(weights[i].shape).toEqual(w.shape);
    expectClose(weights[i].value, w, `weight ${w.path}`, 0);
  });
}

// Precomputed skip lists: a fixture turns on as soon as its classes are registered.
const modelFixtures = await Promise.all(
  fixtureNames(`${FIXTURES}/models`).map(async (name) => ({ name, missing: await missingClasses(`${FIXTURES}/models/${name}.keras`) })),
);
const layerFixtures = await Promise.all(
  fixtureNames(`${FIXTURES}/layers`).map(async (name) => ({ name, missing: await missingClasses(`${FIXTURES}/layers/${name}.keras`) })),
);

describe("models/ fixtures", () => {
  for (const { name, missing } of modelFixtures) {
    const title = missing.length ? `${name} (skipped: ${missing.join(", ")} not implemented yet)` : name;
    (missing.length ? it.skip : it)(title, async () => {
      const file = `${FIXTURES}/models/${name}.keras`;
      const json = JSON.parse(readFileSync(`${FIXTURES}/models/${name}.json`, "utf8")) as {
        inputs: JsonTensor | JsonTensor[];
        outputs: JsonTensor | JsonTensor[];
        weights: JsonWeight[];
        input_names: string[];
        count_params: number;
      };
      const archive = await readKerasFile(file);
      const cfg = archive.config.config as { name: string; layers: { config: { name: string } }[] };
      const before = tf.memory().numTensors;
      const model = await loadModel(file);
      try {
        expect(model.name).toBe(cfg.name);
        const layerNames = cfg.layers.map((l) => l.config.name);
        if (model instanceof Sequential) expect(model.allLayers.map((l) => l.name)).toEqual(layerNames);
        else expect(model.layers.map((l) => l.name)).toEqual(layerNames);
        if (model instanceof Functional) expect(model.inputNames).toEqual(json.input_names);
        checkWeights(model, json.weights);
        expect(model.countParams()).toBe(json.count_params);
        const loadedTensors = tf.memory().numTensors;
        expect(loadedTensors - before).toBe(model.weights.length);

        const inputs = Array.isArray(json.inputs) ? json.inputs.map(toTensor) : toTensor(json.inputs);
        const out = model.apply(inputs as Tensor, { training: false }) as Tensor | Tensor[];
        const outs = Array.isArray(out) ? out : [out];
        const expected = Array.isArray(json.outputs) ? json.outputs : [json.outputs];
        expect(outs.length).toBe(expected.length);
        outs.forEach((o, i) => expectClose(o, expected[i], `output ${i}`));
        tf.dispose([inputs as Tensor, ...outs]);
        expect(tf.memory().numTensors).toBe(loadedTensors);
      } finally {
        model.dispose();
      }
      expect(tf.memory().numTensors).toBe(before);
    });
  }
});

describe("layers/ fixtures", () => {
  for (const { name, missing } of layerFixtures) {
    const title = missing.length ? `${name} (skipped: ${missing.join(", ")} not implemented yet)` : name;
    (missing.length ? it.skip : it)(title, async () => {
      const json = JSON.parse(readFileSync(`${FIXTURES}/layers/${name}.json`, "utf8")) as {
        layer_class: string;
        layer_config: { name: string };
        inputs: JsonTensor[];
        output: JsonTensor;
        weights: JsonWeight[];
      };
      const before = tf.memory().numTensors;
      const model = await loadModel(`${FIXTURES}/layers/${name}.keras`);
      try {
        const layer = model.layers.find((l) => l.name === json.layer_config.name);
        expect(layer?.className).toBe(json.layer_class);
        checkWeights(model, json.weights);
        const inputs = json.inputs.map(toTensor);
        const out = model.apply((inputs.length === 1 ? inputs[0] : inputs) as Tensor, { training: false }) as Tensor;
        expectClose(out, json.output, "output");
        tf.dispose([...inputs, out]);
      } finally {
        model.dispose();
      }
      expect(tf.memory().numTensors).toBe(before);
    });
  }
});

const tinyMissing = await missingClasses(`${TEXT_FIXTURES}/tiny_sequential.keras`);
const towerMissing = await missingClasses(`${TEXT_FIXTURES}/two_tower_functional.keras`);

describe("keras-text fixtures", () => {
  (tinyMissing.length ? it.skip : it)("tiny_sequential.keras (Sequential with InputLayer, compiled with Adam)", async () => {
    const before = tf.memory().numTensors;
    const model = await loadModel(`${TEXT_FIXTURES}/tiny_sequential.keras`);
    expect(model).toBeInstanceOf(Sequential);
    expect(model.name).toBe("tiny_sequential");
    expect(model.layers.map((l) => l.name)).toEqual(["dense", "dense_1"]);
    expect((model as unknown as Sequential).allLayers[0].name).toBe("input_layer");
    expect(weightPaths(model).map((p) => p.path)).toEqual([
      "layers/dense/vars/0",
      "layers/dense/vars/1",
      "layers/dense_1/vars/0",
      "layers/dense_1/vars/1",
    ]);
    expect(model.compileConfig?.loss).toBe("sparse_categorical_crossentropy");
    expect((model.compileConfig?.optimizer as { class_name: string }).class_name).toBe("Adam");
    expect(model.savedMetadata?.keras_version).toBe("3.15.1");
    const x = parseNpy(readFileSync(`${TEXT_FIXTURES}/tiny_sequential.input.npy`));
    const y = parseNpy(readFileSync(`${TEXT_FIXTURES}/tiny_sequential.expected_output.npy`));
    const xt = tf.tensor(Array.from(x.data as Float32Array), x.shape, "float32");
    const out = model.apply(xt) as Tensor;
    expectClose(out, { shape: y.shape, dtype: "float32", data: Array.from(y.data as Float32Array) }, "output");
    tf.dispose([xt, out]);
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  (towerMissing.length ? it.skip : it)("two_tower_functional.keras (two inputs, BatchNormalization, nested Sequential)", async () => {
    const before = tf.memory().numTensors;
    const model = await loadModel(`${TEXT_FIXTURES}/two_tower_functional.keras`);
    expect(model).toBeInstanceOf(Functional);
    expect(model.name).toBe("two_tower");
    expect(model.layers.map((l) => l.name)).toEqual(["input_a", "input_b", "dense_a", "dense_b", "concat", "bn", "block", "head"]);
    const block = model.getLayer("block");
    expect(block).toBeInstanceOf(Sequential);
    expect((block as Sequential).layers.map((l) => l.name)).toEqual(["dense_2", "dense_3"]);
    expect(weightPaths(model).map((p) => `${p.path} ${p.variable.path}`)).toEqual([
      "layers/dense/vars/0 dense_a/kernel",
      "layers/dense/vars/1 dense_a/bias",
      "layers/dense_1/vars/0 dense_b/kernel",
      "layers/dense_1/vars/1 dense_b/bias",
      "layers/batch_normalization/vars/0 bn/gamma",
      "layers/batch_normalization/vars/1 bn/beta",
      "layers/batch_normalization/vars/2 bn/moving_mean",
      "layers/batch_normalization/vars/3 bn/moving_variance",
      "layers/sequential/layers/dense/vars/0 dense_2/kernel",
      "layers/sequential/layers/dense/vars/1 dense_2/bias",
      "layers/sequential/layers/dense_1/vars/0 dense_3/kernel",
      "layers/sequential/layers/dense_1/vars/1 dense_3/bias",
      "layers/dense_2/vars/0 head/kernel",
      "layers/dense_2/vars/1 head/bias",
    ]);
    expect((model.compileConfig?.optimizer as { class_name: string }).class_name).toBe("SGD");
    const io = parseNpz(readFileSync(`${TEXT_FIXTURES}/two_tower_functional.io.npz`));
    const t = (a: { data: unknown; shape: number[] }): Tensor => tf.tensor(Array.from(a.data as Float32Array), a.shape, "float32");
    const a = t(io.input_a);
    const b = t(io.input_b);
    const out = model.apply([a, b], { training: false }) as Tensor;
    const e = io.expected_output;
    expectClose(out, { shape: e.shape, dtype: "float32", data: Array.from(e.data as Float32Array) }, "output");
    tf.dispose([a, b, out]);
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
