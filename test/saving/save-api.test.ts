/**
 * model.save / keras.saving.loadModel and the rest of the saving API:
 * resuming training with the saved optimizer state, atomic saves that
 * survive injected failures, custom layers, Lambda layers and safe mode,
 * weights files, toJson / modelFromJson and cloneModel.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { tf, type Tensor } from "../../lib/backend/tfjs.js";
import { Layer, type CallArgs, type LayerArgs } from "../../lib/layers/layer.js";
import * as layers from "../../lib/layers/index.js";
import { Functional } from "../../lib/models/functional.js";
import { Sequential } from "../../lib/models/sequential.js";
import { Model } from "../../lib/models/model.js";
import * as models from "../../lib/models/index.js";
import * as config from "../../lib/config/index.js";
import {
  KERAS_FORMAT_VERSION,
  cloneModel,
  disableUnsafeDeserialization,
  loadModel,
  loadWeights,
  modelFromJson,
  readKerasFile,
  registerKerasSerializable,
  saveModel,
  saveWeights,
  savingIo,
  weightPaths,
} from "../../lib/saving/index.js";
import { h5Tree } from "./h5-tree.js";

const tmp = mkdtempSync(join(tmpdir(), "tskeras-save-"));

function randomize(model: Layer, seed: number): void {
  model.weights.forEach((w, i) => {
    const v = w.dtype === "float32" ? tf.randomUniform(w.shape, -1, 1, "float32", seed + i) : tf.zeros(w.shape, w.dtype);
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
    worst = Math.max(worst, tf.tidy(() => tf.max(tf.abs(tf.sub(x, bs[i]))).dataSync()[0]));
  });
  return worst;
}

function weightsDiff(a: Layer, b: Layer): number {
  const wa = a.getWeights();
  const wb = b.getWeights();
  const d = maxDiff(wa, wb);
  tf.dispose([...wa, ...wb]);
  return d;
}

/** Files in `dir` other than `keep` (temporary files left behind by a save). */
function strayFiles(dir: string, keep: string[]): string[] {
  return readdirSync(dir).filter((f) => !keep.includes(f));
}

function mlp(name = "mlp"): Sequential {
  return new Sequential(
    [layers.Input({ shape: [5] }), new layers.Dense(8, { activation: "relu", name: "hidden" }), new layers.Dense(3, { name: "out" })],
    { name },
  );
}

afterEach(() => {
  vi.restoreAllMocks();
  disableUnsafeDeserialization();
});

describe("model.save / loadModel", () => {
  it("writes Keras 3's members and metadata, and loads back the same model", async () => {
    const before = tf.memory().numTensors;
    const model = mlp();
    randomize(model, 1);
    const path = join(tmp, "mlp.keras");
    await model.save(path);
    const archive = await readKerasFile(path);
    expect(archive.members).toEqual(["metadata.json", "config.json", "model.weights.h5"]);
    expect(archive.metadata).toEqual({ keras_version: KERAS_FORMAT_VERSION, date_saved: expect.stringMatching(/^\d{4}-\d\d-\d\d@\d\d:\d\d:\d\d$/) });
    // Python's json.dumps separators.
    const text = new TextDecoder().decode(readFileSync(path)).slice(0, 400);
    expect(text).toContain('{"keras_version": "3.16.0", "date_saved": "');
    expect(archive.config).toMatchObject({ module: "keras", class_name: "Sequential", registered_name: null, compile_config: {} });

    const loaded = await loadModel(path);
    expect(loaded).toBeInstanceOf(Sequential);
    expect(loaded.layers.map((l) => l.name)).toEqual(["hidden", "out"]);
    const x = tf.randomNormal([4, 5], 0, 1, "float32", 3);
    const a = model.apply(x) as Tensor;
    const b = loaded.apply(x) as Tensor;
    expect(maxDiff(a, b)).toBe(0);
    tf.dispose([x, a, b]);
    model.dispose();
    loaded.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it("keras.saving.saveModel refuses other extensions, and overwrite: false keeps an existing file", async () => {
    const model = mlp();
    await expect(saveModel(model, join(tmp, "m.h5"))).rejects.toThrow(/legacy Keras 2 `\.h5`/);
    await expect(saveModel(model, join(tmp, "m.zip"))).rejects.toThrow(/Invalid filepath extension for saving.*\.keras/);
    const path = join(tmp, "keep.keras");
    writeFileSync(path, "old");
    await expect(saveModel(model, path, { overwrite: false })).rejects.toThrow(/File exists/);
    expect(readFileSync(path, "utf8")).toBe("old");
    await saveModel(model, path);
    expect((await readKerasFile(path)).config.class_name).toBe("Sequential");
    expect(models.saveModel).toBe(saveModel);
    model.dispose();
  });

  it("saves unzipped (a directory with the three members) and loads it", async () => {
    const model = mlp();
    randomize(model, 4);
    const dir = join(tmp, "unzipped_model");
    await model.save(dir, { zipped: false });
    expect(readdirSync(dir).sort()).toEqual(["config.json", "metadata.json", "model.weights.h5"]);
    await model.save(dir, { zipped: false }); // replaces it
    const loaded = await loadModel(dir);
    expect(weightsDiff(model, loaded)).toBe(0);
    model.dispose();
    loaded.dispose();
  });
});

describe("compiled state: a loaded model resumes training", () => {
  it("the next step after save + load gives the same weights as without the round trip (Adam)", async () => {
    const before = tf.memory().numTensors;
    const x = tf.randomNormal([16, 5], 0, 1, "float32", 11);
    const y = tf.randomNormal([16, 3], 0, 1, "float32", 12);
    const model = mlp("trained");
    randomize(model, 2);
    model.compile({ optimizer: "adam", loss: "mse", metrics: ["mae"] });
    model.trainOnBatch(x, y);
    model.trainOnBatch(x, y);
    const path = join(tmp, "trained.keras");
    await model.save(path);

    // The file holds the optimizer state under optimizer/vars in Keras's order.
    const archive = await readKerasFile(path);
    const tree = await h5Tree(archive.weightsH5 as Uint8Array);
    expect(tree.get("optimizer/vars")?.attrs.name.value).toBe(model.optimizer?.name);
    expect(tree.get("optimizer/vars/0")).toMatchObject({ dtype: "i4", shape: [], values: [2] });
    expect(tree.get("optimizer/vars/1")).toMatchObject({ dtype: "f4", shape: [] });
    expect([...tree.keys()].filter((p) => /^optimizer\/vars\/\d+$/.test(p))).toHaveLength(2 + 2 * 4);
    expect(archive.config.compile_config).toMatchObject({
      optimizer: { module: "keras.optimizers", class_name: "Adam" },
      loss: "mse",
      metrics: ["mae"],
    });

    const loaded = await loadModel(path);
    expect(loaded.compiled).toBe(true);
    expect(loaded.optimizer?.constructor.name).toBe("Adam");
    const it0 = loaded.optimizer?.iterations.value.dataSync()[0];
    expect(it0).toBe(2);
    expect(weightsDiff(model, loaded)).toBe(0);
    const opt = (m: Model): Tensor[] => (m.optimizer?.variables ?? []).map((v) => v.value);
    expect(maxDiff(opt(model), opt(loaded))).toBe(0);

    model.trainOnBatch(x, y);
    loaded.trainOnBatch(x, y);
    expect(weightsDiff(model, loaded)).toBe(0);
    expect(maxDiff(opt(model), opt(loaded))).toBe(0);

    // compile: false keeps the weights and leaves the model uncompiled.
    const plain = await loadModel(path, { compile: false });
    expect(plain.compiled).toBe(false);
    expect(plain.compileConfig).toMatchObject({ loss: "mse" });
    plain.dispose();

    tf.dispose([x, y]);
    model.dispose();
    loaded.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it("a Functional model trained with SGD momentum resumes the same way", async () => {
    const before = tf.memory().numTensors;
    const a = layers.Input({ shape: [4], name: "a" });
    const b = layers.Input({ shape: [3], name: "b" });
    const h = new layers.Concatenate().apply([new layers.Dense(4).apply(a), b]);
    const out = new layers.Dense(2).apply(new layers.BatchNormalization().apply(h));
    const model = new Functional({ inputs: [a, b], outputs: out, name: "two_in" });
    model.compile({ optimizer: "sgd", loss: "mse" });
    (model.optimizer as unknown as { momentum: number }).momentum = 0.9;
    const xa = tf.randomNormal([8, 4], 0, 1, "float32", 1);
    const xb = tf.randomNormal([8, 3], 0, 1, "float32", 2);
    const y = tf.randomNormal([8, 2], 0, 1, "float32", 3);
    model.trainOnBatch([xa, xb], y);
    const path = join(tmp, "functional_sgd.keras");
    await model.save(path);
    const loaded = await loadModel(path);
    model.trainOnBatch([xa, xb], y);
    loaded.trainOnBatch([xa, xb], y);
    expect(weightsDiff(model, loaded)).toBeLessThan(1e-7);
    tf.dispose([xa, xb, y]);
    model.dispose();
    loaded.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

class BrokenConfig extends layers.Dense {
  override getConfig(): Record<string, unknown> {
    throw new Error("getConfig exploded");
  }
}

describe("atomic saves: a failed save leaves the old file untouched and no temporary file", () => {
  it("an error in a custom getConfig", async () => {
    const dir = mkdtempSync(join(tmp, "fail-config-"));
    const path = join(dir, "model.keras");
    const good = mlp();
    await good.save(path);
    const old = readFileSync(path);
    const bad = new Sequential([layers.Input({ shape: [2] }), new BrokenConfig(3)]);
    await expect(bad.save(path)).rejects.toThrow(/getConfig exploded/);
    expect(readFileSync(path).equals(old)).toBe(true);
    expect(strayFiles(dir, ["model.keras"])).toEqual([]);
    good.dispose();
    bad.dispose();
  });

  it("a disk-full error while writing (partial temporary file)", async () => {
    const dir = mkdtempSync(join(tmp, "fail-write-"));
    const path = join(dir, "model.keras");
    const model = mlp();
    await model.save(path);
    const old = readFileSync(path);
    const realWrite = savingIo.writeFile.bind(savingIo);
    vi.spyOn(savingIo, "writeFile").mockImplementation(async (p: string, data: Uint8Array) => {
      await realWrite(p, data.subarray(0, 100));
      const err = new Error("ENOSPC: no space left on device, write") as Error & { code: string };
      err.code = "ENOSPC";
      throw err;
    });
    randomize(model, 9);
    await expect(model.save(path)).rejects.toThrow(/ENOSPC/);
    expect(readFileSync(path).equals(old)).toBe(true);
    expect(strayFiles(dir, ["model.keras"])).toEqual([]);
    vi.restoreAllMocks();
    // saveWeights too.
    await model.saveWeights(join(dir, "w.weights.h5"));
    const oldW = readFileSync(join(dir, "w.weights.h5"));
    vi.spyOn(savingIo, "rename").mockRejectedValue(new Error("EIO: i/o error, rename"));
    randomize(model, 10);
    await expect(model.saveWeights(join(dir, "w.weights.h5"))).rejects.toThrow(/EIO/);
    expect(readFileSync(join(dir, "w.weights.h5")).equals(oldW)).toBe(true);
    expect(strayFiles(dir, ["model.keras", "w.weights.h5"])).toEqual([]);
    model.dispose();
  });
});

/** A custom layer with its own weight and a sublayer. */
class ScaledDense extends Layer {
  readonly units: number;
  readonly inner: layers.Dense;
  scale: import("../../lib/backend/variable.js").Variable | null = null;

  constructor(args: LayerArgs & { units?: number } = {}) {
    super(args);
    this.units = args.units ?? 2;
    this.inner = new layers.Dense(this.units);
  }

  override build(inputShape: unknown): void {
    this.scale = this.addWeight({ shape: [this.units], initializer: "ones", name: "scale" });
    this.inner.maybeBuild(inputShape);
  }

  override call(inputs: unknown, _kwargs?: CallArgs): unknown {
    return tf.mul(this.inner.apply(inputs as Tensor) as Tensor, (this.scale as NonNullable<typeof this.scale>).value);
  }

  override computeOutputShape(inputShape: unknown): unknown {
    return [...(inputShape as (number | null)[]).slice(0, -1), this.units];
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), units: this.units };
  }
}

class Unregistered extends ScaledDense {}

describe("custom layers", () => {
  it("registerKerasSerializable: save + load with the registered name", async () => {
    registerKerasSerializable({ package: "my_pkg" })(ScaledDense);
    const before = tf.memory().numTensors;
    const x = layers.Input({ shape: [3] });
    const model = new Functional({ inputs: x, outputs: new ScaledDense({ units: 2, name: "sd" }).apply(x) as never, name: "custom" });
    randomize(model, 5);
    const path = join(tmp, "custom.keras");
    await model.save(path);
    const archive = await readKerasFile(path);
    const entry = (archive.config.config as { layers: Record<string, unknown>[] }).layers[1];
    expect(entry).toMatchObject({ module: null, class_name: "ScaledDense", registered_name: "my_pkg>ScaledDense" });
    const tree = await h5Tree(archive.weightsH5 as Uint8Array);
    expect(tree.get("layers/scaled_dense/vars/0")?.shape).toEqual([2]);
    expect(tree.get("layers/scaled_dense/inner/vars/0")?.shape).toEqual([3, 2]);
    const loaded = await loadModel(path);
    expect(loaded.getLayer("sd")).toBeInstanceOf(ScaledDense);
    expect(weightsDiff(model, loaded)).toBe(0);
    model.dispose();
    loaded.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it("customObjects: an unregistered class loads when passed by name", async () => {
    const x = layers.Input({ shape: [3] });
    const model = new Functional({ inputs: x, outputs: new Unregistered({ units: 2, name: "u" }).apply(x) as never });
    randomize(model, 6);
    const path = join(tmp, "unregistered.keras");
    await model.save(path);
    await expect(loadModel(path)).rejects.toThrow(/Could not locate class 'Unregistered'/);
    const loaded = await loadModel(path, { customObjects: { Unregistered } });
    expect(weightsDiff(model, loaded)).toBe(0);
    model.dispose();
    loaded.dispose();
  });
});

describe("Lambda layers and safe mode", () => {
  const fn = new Function("return (x) => x.mul(2).add(1)")() as (x: Tensor) => Tensor;

  it("refuses code from a file by default, saying how to allow it; runs it with safeMode: false", async () => {
    const model = new Sequential([layers.Input({ shape: [3] }), new layers.Lambda(fn, { name: "affine" }), new layers.Dense(2, { name: "d" })]);
    randomize(model, 7);
    const path = join(tmp, "lambda.keras");
    await model.save(path);
    const err = (await loadModel(path).catch((e: unknown) => e)) as Error;
    expect(err).toBeInstanceOf(Error);
    expect(err.message).toMatch(/`Lambda` layer whose `function` is a lambda/);
    expect(err.message).toMatch(/arbitrary code execution/);
    expect(err.message).toMatch(/safeMode: false/);
    expect(err.message).toMatch(/keras\.config\.enableUnsafeDeserialization\(\)/);

    const x = tf.randomNormal([2, 3], 0, 1, "float32", 8);
    const expected = model.apply(x) as Tensor;
    const loaded = await loadModel(path, { safeMode: false });
    const got = loaded.apply(x) as Tensor;
    expect(maxDiff(expected, got)).toBe(0);

    config.enableUnsafeDeserialization();
    const again = await loadModel(path);
    const got2 = again.apply(x) as Tensor;
    expect(maxDiff(expected, got2)).toBe(0);
    // An explicit safeMode: true still refuses.
    await expect(loadModel(path, { safeMode: true })).rejects.toThrow(/safeMode: false/);

    tf.dispose([x, expected, got, got2]);
    model.dispose();
    loaded.dispose();
    again.dispose();
  });

  it("a Python lambda never loads", async () => {
    const model = new Sequential([layers.Input({ shape: [3] }), new layers.Lambda(fn, { name: "affine" })]);
    const path = join(tmp, "pylambda.keras");
    await model.save(path);
    const archive = await readKerasFile(path);
    const cfg = archive.config as unknown as { config: { layers: { config: { function: { config: Record<string, unknown> } } }[] } };
    cfg.config.layers[1].config.function.config = { code: "4wEAAAAAAAAA", defaults: null, closure: null };
    const { writeKerasArchive } = await import("../../lib/saving/index.js");
    writeFileSync(path, writeKerasArchive({ config: archive.config, metadata: archive.metadata ?? {}, weightsH5: archive.weightsH5 }));
    await expect(loadModel(path)).rejects.toThrow(/safeMode: false/);
    await expect(loadModel(path, { safeMode: false })).rejects.toThrow(/Python lambda.*cannot run/);
    model.dispose();
  });
});

describe("weights files", () => {
  it("saveWeights / loadWeights in Keras's layout, with the keras.saving functions too", async () => {
    const model = mlp();
    randomize(model, 20);
    const path = join(tmp, "mlp.weights.h5");
    await model.saveWeights(path);
    const tree = await h5Tree(new Uint8Array(readFileSync(path)));
    expect([...tree.keys()].filter((k) => k.endsWith("/vars") || k === "vars")).toEqual(["layers/dense/vars", "layers/dense_1/vars", "vars"]);
    expect(tree.get("layers/dense/vars")?.attrs.name).toEqual({ value: "hidden", type: 3, vlen: true, cset: 1 });
    expect(tree.get("layers/dense/vars/0")).toMatchObject({ dtype: "f4", shape: [5, 8] });

    const other = mlp();
    await other.loadWeights(path);
    expect(weightsDiff(model, other)).toBe(0);
    randomize(other, 21);
    await loadWeights(other, path);
    expect(weightsDiff(model, other)).toBe(0);
    const third = mlp();
    await saveWeights(model, join(tmp, "fn.weights.h5"));
    await third.loadWeights(join(tmp, "fn.weights.h5"));
    expect(weightsDiff(model, third)).toBe(0);
    // The weights of a .keras file load too.
    await model.save(join(tmp, "w.keras"));
    randomize(third, 22);
    await third.loadWeights(join(tmp, "w.keras"));
    expect(weightsDiff(model, third)).toBe(0);
    await expect(model.saveWeights(join(tmp, "w.h5"))).rejects.toThrow(/must end in `\.weights\.h5`/);
    model.dispose();
    other.dispose();
    third.dispose();
  });

  it("skipMismatch skips a layer that does not fit, with a warning", async () => {
    const model = mlp();
    randomize(model, 30);
    const path = join(tmp, "mismatch.weights.h5");
    await model.saveWeights(path);
    const changed = new Sequential(
      [layers.Input({ shape: [5] }), new layers.Dense(8, { activation: "relu", name: "hidden" }), new layers.Dense(4, { name: "out" })],
      { name: "mlp" },
    );
    await expect(changed.loadWeights(path)).rejects.toThrow(/Layer 'out' \(Dense\) weight shape mismatch/);
    const warnings: string[] = [];
    vi.spyOn(console, "warn").mockImplementation((m: unknown) => void warnings.push(String(m)));
    randomize(changed, 31);
    await changed.loadWeights(path, { skipMismatch: true });
    expect(warnings.join("\n")).toMatch(/Skipping loading weights for layer 'out'/);
    const [k0] = changed.getLayer("hidden").getWeights();
    const [k1] = model.getLayer("hidden").getWeights();
    expect(maxDiff(k0, k1)).toBe(0);
    tf.dispose([k0, k1]);
    model.dispose();
    changed.dispose();
  });
});

describe("toJson / modelFromJson / cloneModel", () => {
  it("toJson is the serialized config; modelFromJson rebuilds the architecture", () => {
    const before = tf.memory().numTensors;
    const model = mlp("json_model");
    const json = model.toJson();
    expect(json.startsWith('{"module": "keras", "class_name": "Sequential", "config": {"name": "json_model"')).toBe(true);
    const rebuilt = models.modelFromJson(json);
    expect(models.modelFromJson).toBe(modelFromJson);
    expect(rebuilt).toBeInstanceOf(Sequential);
    expect(rebuilt.toJson()).toBe(json);
    expect(() => modelFromJson("{nope")).toThrow(/not valid JSON/);
    model.dispose();
    rebuilt.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it("cloneModel: Sequential and Functional, new weights, same architecture", () => {
    const before = tf.memory().numTensors;
    const seq = mlp("to_clone");
    const seqClone = models.cloneModel(seq);
    expect(seqClone).toBeInstanceOf(Sequential);
    expect(seqClone.toJson()).toBe(seq.toJson());
    expect(seqClone.weights.every((w, i) => w !== seq.weights[i])).toBe(true);

    const a = layers.Input({ shape: [4], name: "a" });
    const shared = new layers.Dense(3, { name: "shared" });
    const y = new layers.Add({ name: "sum" }).apply([shared.apply(a), shared.apply(new layers.Dense(4, { name: "pre" }).apply(a))]);
    const fun = new Functional({ inputs: a, outputs: y, name: "fun" });
    randomize(fun, 40);
    const funClone = cloneModel(fun);
    expect(funClone).toBeInstanceOf(Functional);
    expect(funClone.toJson()).toBe(fun.toJson());
    expect((funClone as Functional).getLayer("shared").inboundNodes).toHaveLength(2);
    expect(weightPaths(funClone).map((p) => p.path)).toEqual(weightPaths(fun).map((p) => p.path));
    expect(weightsDiff(fun, funClone)).toBeGreaterThan(0); // fresh weights
    const values = fun.getWeights();
    funClone.setWeights(values);
    tf.dispose(values);
    const x = tf.randomNormal([2, 4], 0, 1, "float32", 41);
    const o1 = fun.apply(x) as Tensor;
    const o2 = funClone.apply(x) as Tensor;
    expect(maxDiff(o1, o2)).toBeLessThan(1e-6);

    // cloneFunction: rename every Dense and keep the others.
    const renamed = cloneModel(fun, {
      cloneFunction: (l) => (l instanceof layers.Dense ? layers.Dense.fromConfig({ ...l.getConfig(), name: `${l.name}_c` }) : l),
    });
    expect(renamed.layers.map((l) => l.name)).toEqual(["a", "pre_c", "shared_c", "sum"]);

    tf.dispose([x, o1, o2]);
    [seq, seqClone, fun, funClone, renamed].forEach((m) => m.dispose());
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe("the temporary files", () => {
  it("are not left behind by successful saves", () => {
    expect(readdirSync(tmp).filter((f) => f.includes(".tmp-"))).toEqual([]);
    expect(existsSync(join(tmp, "mlp.keras"))).toBe(true);
  });
});

describe("the public namespaces", () => {
  it("keras.saving, keras.models and keras.config expose the saving API", async () => {
    const keras = await import("../../lib/index.js");
    for (const name of [
      "saveModel", "loadModel", "saveWeights", "loadWeights", "serializeKerasObject", "deserializeKerasObject",
      "getRegisteredName", "getRegisteredObject", "registerKerasSerializable", "exportTfjs", "cloneModel", "modelFromJson",
    ]) {
      expect(typeof (keras.saving as Record<string, unknown>)[name], `keras.saving.${name}`).toBe("function");
    }
    for (const name of ["loadModel", "saveModel", "modelFromJson", "cloneModel"]) {
      expect(typeof (keras.models as Record<string, unknown>)[name], `keras.models.${name}`).toBe("function");
    }
    expect(keras.config.enableUnsafeDeserialization).toBe(config.enableUnsafeDeserialization);
    const model = new keras.Sequential([keras.layers.Input({ shape: [2] }), keras.layers.Dense(1)]);
    for (const m of ["save", "saveWeights", "loadWeights", "toJson", "exportTfjs"]) {
      expect(typeof (model as unknown as Record<string, unknown>)[m], `model.${m}`).toBe("function");
    }
    model.dispose();
  });
});
