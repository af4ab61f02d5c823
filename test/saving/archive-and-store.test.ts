/** The .keras zip reader, the HDF5 store, and loadModel's errors. */
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { zipSync, strToU8 } from "fflate";
import { tf } from "../../lib/backend/tfjs.js";
import "../../lib/layers/index.js";
import {
  H5Store,
  H5Writer,
  KerasArchiveError,
  UnknownObjectError,
  loadModel,
  readKerasArchive,
  readKerasFile,
  writeKerasArchive,
} from "../../lib/saving/index.js";
import { sortKeys } from "../../lib/saving/h5-store.js";
import { KERAS_FLOAT_KEYS, pythonFloatRepr, pythonJsonDumps } from "../../lib/saving/python-json.js";

const TEXT = fileURLToPath(new URL("../../../shared/fixtures/keras-text", import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), "tskeras-saving-"));

describe("readKerasArchive", () => {
  it("reads config, metadata and the weights of a Keras 3 file", async () => {
    const a = await readKerasFile(`${TEXT}/tiny_sequential.keras`);
    expect(a.config.class_name).toBe("Sequential");
    expect(a.config.module).toBe("keras");
    expect(a.metadata?.keras_version).toBe("3.15.1");
    expect(a.weightsH5?.slice(0, 4)).toEqual(new Uint8Array([0x89, 0x48, 0x44, 0x46]));
    expect(a.members).toEqual(["metadata.json", "config.json", "model.weights.h5"]);
  });

  it("round-trips through writeKerasArchive", () => {
    const config = { module: "keras", class_name: "Sequential", config: { name: "m", x: 0.1 }, registered_name: null };
    const bytes = writeKerasArchive({ config, metadata: { keras_version: "3.15.1" }, weightsH5: new Uint8Array([1, 2, 3]) });
    const a = readKerasArchive(bytes);
    expect(a.config).toEqual(config);
    expect(a.members).toEqual(["metadata.json", "config.json", "model.weights.h5"]);
    expect(Array.from(a.weightsH5 ?? [])).toEqual([1, 2, 3]);
  });

  it("reads Python's NaN and Infinity in config.json", () => {
    const text = '{"module": "keras", "class_name": "X", "config": {"a": NaN, "b": -Infinity, "c": "NaN"}, "registered_name": null}';
    const a = readKerasArchive(zipSync({ "config.json": strToU8(text) }));
    const c = a.config.config as Record<string, unknown>;
    expect(c.a).toBeNaN();
    expect(c.b).toBe(-Infinity);
    expect(c.c).toBe("NaN");
  });
});

describe("loadModel errors", () => {
  it("names a missing file", async () => {
    await expect(loadModel(join(tmp, "nope.keras"))).rejects.toThrow(/File not found: filepath=.*nope\.keras/);
  });

  it("rejects a file that is not a zip", async () => {
    const p = join(tmp, "text.keras");
    writeFileSync(p, "hello, I am not a zip file");
    await expect(loadModel(p)).rejects.toThrow(KerasArchiveError);
    await expect(loadModel(p)).rejects.toThrow(/is not a \.keras file: it is not a zip archive/);
  });

  it("rejects a zip without config.json", async () => {
    const p = join(tmp, "noconfig.keras");
    writeFileSync(p, zipSync({ "metadata.json": strToU8("{}"), "other.txt": strToU8("x") }));
    await expect(loadModel(p)).rejects.toThrow(/has no config\.json \(members: metadata\.json, other\.txt\)/);
  });

  it("rejects a truncated archive", async () => {
    const bytes = readFileSync(`${TEXT}/tiny_sequential.keras`);
    const p = join(tmp, "truncated.keras");
    writeFileSync(p, bytes.subarray(0, Math.floor(bytes.length / 2)));
    await expect(loadModel(p)).rejects.toThrow(/truncated or corrupt/);
  });

  it("names an unknown class and its module, and says how to fix it", async () => {
    const a = await readKerasFile(`${TEXT}/tiny_sequential.keras`);
    const config = JSON.parse(JSON.stringify(a.config)) as { config: { layers: { class_name: string }[] } };
    config.config.layers[1].class_name = "FancyDense";
    const p = join(tmp, "unknown.keras");
    writeFileSync(p, writeKerasArchive({ config: config as never, metadata: {}, weightsH5: a.weightsH5 }));
    const before = tf.memory().numTensors;
    const err = await loadModel(p).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnknownObjectError);
    expect((err as Error).message).toMatch(/Could not locate class 'FancyDense' \(module 'keras\.layers'\)/);
    expect((err as Error).message).toMatch(/registerKerasSerializable/);
    expect((err as Error).message).toMatch(/customObjects/);
    expect(tf.memory().numTensors).toBe(before); // the layers made before the failure are disposed
  });

  it("names the layer and the path when a shape does not match", async () => {
    const a = await readKerasFile(`${TEXT}/tiny_sequential.keras`);
    const config = JSON.parse(JSON.stringify(a.config)) as { config: { layers: { config: { units: number } }[] } };
    config.config.layers[2].config.units = 5;
    const p = join(tmp, "badshape.keras");
    writeFileSync(p, writeKerasArchive({ config: config as never, metadata: {}, weightsH5: a.weightsH5 }));
    const before = tf.memory().numTensors;
    await expect(loadModel(p)).rejects.toThrow(
      /Layer 'dense_1' \(Dense\) weight shape mismatch for dense_1\/kernel at \/layers\/dense_1\/vars\/0 of the weights file: the layer expects \(4, 5\), the file has \(4, 3\)/,
    );
    expect(tf.memory().numTensors).toBe(before);
  });

  it("names the layer when the variable count does not match", async () => {
    const a = await readKerasFile(`${TEXT}/tiny_sequential.keras`);
    const config = JSON.parse(JSON.stringify(a.config)) as { config: { layers: { config: { use_bias: boolean } }[] } };
    config.config.layers[2].config.use_bias = false;
    const p = join(tmp, "badcount.keras");
    writeFileSync(p, writeKerasArchive({ config: config as never, metadata: {}, weightsH5: a.weightsH5 }));
    await expect(loadModel(p)).rejects.toThrow(/Layer 'dense_1' \(Dense\) expected 1 variables, but received 2 variables during loading from \/layers\/dense_1\/vars/);
  });

  it("refuses legacy .h5 model files", async () => {
    await expect(loadModel(join(tmp, "model.h5"))).rejects.toThrow(/legacy Keras 2 \.h5/);
  });
});

describe("H5Store", () => {
  it("lists groups and reads vars in numeric order", async () => {
    const store = await H5Store.fromBytes(readFileSync(`${TEXT}/two_tower_functional.weights.h5`));
    try {
      expect(store.keys("layers")).toEqual([
        "batch_normalization",
        "concatenate",
        "dense",
        "dense_1",
        "dense_2",
        "input_layer",
        "input_layer_1",
        "sequential",
      ]);
      expect(store.savedName("layers/dense")).toBe("dense_a");
      expect(store.savedName("")).toBe("two_tower");
      const opt = store.get("optimizer");
      expect(opt.map((v) => v.key)).toEqual(["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13"]);
      expect(opt[0].dtype).toBe("int32");
      expect(opt[10].shape).toEqual([4, 2]);
      const dense = store.get("layers/sequential/layers/dense");
      expect(dense.map((v) => v.shape)).toEqual([[8, 4], [4]]);
      expect(dense[0].data).toBeInstanceOf(Float32Array);
      expect(store.get("layers/concatenate")).toEqual([]);
      expect(store.hasVars("layers/concatenate")).toBe(true);
      expect(store.get("layers/nothing")).toEqual([]);
      expect(store.varsPaths()).toContain("layers/sequential/layers/dense_1");
    } finally {
      store.close();
    }
  });

  it("writes what it reads (H5Writer)", async () => {
    const w = await H5Writer.create();
    w.make("", "root");
    w.make("layers/dense", "my_dense");
    for (let i = 0; i < 12; i++) w.set("layers/dense", String(i), { data: new Float32Array([i, i + 0.5]), shape: [2], dtype: "float32" });
    w.set("layers/dense", "12", { data: new Int32Array([7]), shape: [], dtype: "int32" });
    const bytes = w.toBytes();
    const store = await H5Store.fromBytes(bytes);
    try {
      expect(store.savedName("layers/dense")).toBe("my_dense");
      const vals = store.get("layers/dense");
      expect(vals.map((v) => v.key)).toEqual(sortKeys(Array.from({ length: 13 }, (_, i) => String(i))));
      expect(Array.from(vals[11].data)).toEqual([11, 11.5]);
      expect(vals[12]).toMatchObject({ dtype: "int32", shape: [] });
      expect(Array.from(vals[12].data)).toEqual([7]);
    } finally {
      store.close();
    }
  });

  it("rejects bytes that are not HDF5", async () => {
    await expect(H5Store.fromBytes(new Uint8Array(100), "x.h5")).rejects.toThrow(/x\.h5 is not an HDF5 file/);
  });
});

describe("pythonJsonDumps (config.json as Python's json.dumps writes it)", () => {
  it("uses Python's separators, float repr, ensure_ascii and NaN/Infinity", () => {
    expect(pythonJsonDumps({ a: [1, 2.5], b: "x", c: null, d: true })).toBe('{"a": [1, 2.5], "b": "x", "c": null, "d": true}');
    expect([1e-7, 1.5e-5, 0.0001, 0.001, 1e16, 1.2345e21, -2.5e-10, 0.009999999776482582].map(pythonFloatRepr)).toEqual([
      "1e-07", "1.5e-05", "0.0001", "0.001", "1e+16", "1.2345e+21", "-2.5e-10", "0.009999999776482582",
    ]);
    expect(pythonJsonDumps([NaN, Infinity, -Infinity])).toBe("[NaN, Infinity, -Infinity]");
    expect(pythonJsonDumps("é\u007f\n")).toBe('"\\u00e9\\u007f\\n"');
    expect(pythonJsonDumps({ rate: 0, gain: 1, units: 4 }, { floatKeys: KERAS_FLOAT_KEYS })).toBe('{"rate": 0.0, "gain": 1.0, "units": 4}');
  });
});
