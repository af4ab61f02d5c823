/**
 * Writing `.keras` and `.weights.h5` files (Keras's `saving_lib.save_model`
 * and `save_weights_only`, `saving_api.save_model`).
 *
 * The archive holds, in Keras's order and stored uncompressed:
 * `metadata.json` (`{"keras_version", "date_saved"}`), `config.json`
 * (`serializeKerasObject(model)`, with `build_config` and `compile_config`)
 * and `model.weights.h5` (the variables of the model, its layers and its
 * optimizer in Keras's HDF5 layout), then `assets/<inner path>/...`: the
 * files of layers that keep state outside variables (the lookup layers'
 * `vocabulary.txt`, written by their `saveAssets`). Both JSON members are
 * written as Python's `json.dumps` writes them.
 *
 * Files are written atomically: the bytes go to a temporary file in the
 * same folder, which is then renamed over the target. A failure at any
 * point (an error in a custom `getConfig`, a full disk) leaves an existing
 * file untouched and removes the temporary file.
 */
import type { Layer } from "../layers/layer.js";
import { H5Writer } from "./h5-store.js";
import { writeKerasArchive, KerasArchiveError } from "./keras-archive.js";
import { KERAS_FLOAT_KEYS, pythonJsonDumps } from "./python-json.js";
import { serializeKerasObject, withObjectSharingScope } from "./serialization-lib.js";
import type { SerializedObject } from "./serialized.js";
import { saveWeightsToStore } from "./weights-loading.js";

/**
 * The Keras version written in `metadata.json`: the Keras 3 release whose
 * file format tskeras writes. The `.keras` format is the same from Keras
 * 3.15.1 to 3.16.0 (the reference fixtures come from both); tskeras writes
 * the newer one, which is what the fixtures in `shared/fixtures/keras` carry.
 */
export const KERAS_FORMAT_VERSION = "3.16.0";

/** `datetime.now().strftime("%Y-%m-%d@%H:%M:%S")`, as Keras writes `date_saved` (local time). */
export function formatDateSaved(date: Date = new Date()): string {
  const p = (n: number): string => String(n).padStart(2, "0");
  return (
    `${date.getFullYear()}-${p(date.getMonth() + 1)}-${p(date.getDate())}` +
    `@${p(date.getHours())}:${p(date.getMinutes())}:${p(date.getSeconds())}`
  );
}

/** The content of `metadata.json`. */
export function kerasMetadata(date: Date = new Date()): { keras_version: string; date_saved: string } {
  return { keras_version: KERAS_FORMAT_VERSION, date_saved: formatDateSaved(date) };
}

/** Options of `saveModel` / `model.save`. */
export interface SaveModelOptions {
  /** Replace an existing file. Default true; false throws when the file exists. */
  overwrite?: boolean;
  /**
   * Write the zip (default true for `.keras` paths). With false the three
   * members are written into a directory at `filepath` instead (Keras's `zipped=False`).
   */
  zipped?: boolean;
}

/** The serialized model, as `config.json` holds it. */
export function modelConfig(model: Layer): SerializedObject {
  return withObjectSharingScope(() => serializeKerasObject(model)) as SerializedObject;
}

/**
 * The bytes of `model.weights.h5` for `model` (its layers' and its
 * optimizer's variables). With `assets`, the layers' asset files are
 * collected into it on the same walk (path below `assets/` → bytes).
 */
export async function weightsH5Bytes(model: Layer, assets: Map<string, Uint8Array> | null = null): Promise<Uint8Array> {
  const writer = await H5Writer.create();
  try {
    saveWeightsToStore(model, writer, assets);
  } catch (e) {
    writer.discard();
    throw e;
  }
  return writer.toBytes();
}

/** The members of a `.keras` file: metadata.json, config.json, model.weights.h5 and the `assets/` files. */
export interface KerasMembers {
  metadata: Uint8Array;
  config: Uint8Array;
  weights: Uint8Array;
  /** The asset files, keyed by their path below `assets/` (e.g. `layers/string_lookup/vocabulary.txt`). */
  assets: Map<string, Uint8Array>;
}

/** The members of a `.keras` file for `model`: metadata.json, config.json, model.weights.h5, assets. */
export async function kerasMembers(model: Layer): Promise<KerasMembers> {
  // Serialize first: an error in a getConfig surfaces before anything is written.
  const config = modelConfig(model);
  const enc = new TextEncoder();
  const configBytes = enc.encode(pythonJsonDumps(config, { floatKeys: KERAS_FLOAT_KEYS }));
  const assets = new Map<string, Uint8Array>();
  const weights = await weightsH5Bytes(model, assets);
  return { metadata: enc.encode(pythonJsonDumps(kerasMetadata())), config: configBytes, weights, assets };
}

/**
 * The bytes of a `.keras` file for `model` (what `model.save` writes), for
 * saving elsewhere than the local file system (a browser download, IndexedDB, ...).
 */
export async function saveModelToBytes(model: Layer): Promise<Uint8Array> {
  const m = await kerasMembers(model);
  return writeKerasArchive({ configText: m.config, metadataText: m.metadata, weightsH5: m.weights, assets: m.assets });
}

// ------------------------------------------------------------------ files

/**
 * The file operations saving uses. Exported so tests can inject failures
 * (e.g. `vi.spyOn(savingIo, "rename")`); not meant to be replaced otherwise.
 */
export const savingIo = {
  async writeFile(path: string, data: Uint8Array): Promise<void> {
    const fs = await import("node:fs/promises");
    await fs.writeFile(path, data);
  },
  async rename(from: string, to: string): Promise<void> {
    const fs = await import("node:fs/promises");
    await fs.rename(from, to);
  },
  async unlink(path: string): Promise<void> {
    const fs = await import("node:fs/promises");
    await fs.rm(path, { force: true, recursive: true });
  },
  async exists(path: string): Promise<boolean> {
    const fs = await import("node:fs/promises");
    try {
      await fs.stat(path);
      return true;
    } catch {
      return false;
    }
  },
  async mkdir(path: string): Promise<void> {
    const fs = await import("node:fs/promises");
    await fs.mkdir(path, { recursive: true });
  },
};

function splitPath(path: string): { dir: string; base: string } {
  const i = Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\"));
  return i < 0 ? { dir: ".", base: path } : { dir: path.slice(0, i) || "/", base: path.slice(i + 1) };
}

/** A temporary name next to `path` (same folder, so the rename is atomic). */
export function temporaryPathFor(path: string): string {
  const { dir, base } = splitPath(path);
  const pid = (globalThis as { process?: { pid?: number } }).process?.pid ?? 0;
  const rand = Math.random().toString(36).slice(2, 10);
  return `${dir}/.${base}.tmp-${pid}-${rand}`;
}

/**
 * Writes `data` to `path` atomically: into a temporary file in the same
 * folder, then renamed over `path`. On any failure the temporary file is
 * removed and an existing `path` keeps its old content.
 */
export async function writeFileAtomic(path: string, data: Uint8Array | (() => Promise<Uint8Array>)): Promise<void> {
  const tmp = temporaryPathFor(path);
  try {
    const bytes = typeof data === "function" ? await data() : data;
    await savingIo.writeFile(tmp, bytes);
    await savingIo.rename(tmp, path);
  } catch (e) {
    await savingIo.unlink(tmp).catch(() => undefined);
    throw e;
  }
}

async function checkOverwrite(path: string, overwrite: boolean | undefined): Promise<void> {
  if (overwrite === false && (await savingIo.exists(path))) {
    throw new Error(`File exists: ${path}. Pass \`overwrite: true\` to replace it.`);
  }
}

/**
 * Saves `model` as a `.keras` file (Keras's `keras.saving.save_model`):
 * architecture, weights and compile state (optimizer included), readable by
 * `keras.saving.loadModel` here and by `keras.saving.load_model` in Python
 * Keras 3. The path must end in `.keras`.
 */
export async function saveModel(model: Layer, filepath: string, options: SaveModelOptions = {}): Promise<void> {
  if (typeof filepath !== "string") throw new TypeError("saveModel: `filepath` must be a string path ending in `.keras`.");
  const zipped = options.zipped ?? true;
  if (/\.(h5|hdf5)$/i.test(filepath)) {
    throw new KerasArchiveError(
      `Invalid filepath extension for saving: ${filepath}. The legacy Keras 2 \`.h5\` model format is not written by ` +
        "tskeras. Use the native Keras format (`model.save('name.keras')`), or `model.saveWeights('name.weights.h5')` for weights only.",
    );
  }
  if (zipped && !filepath.endsWith(".keras")) {
    throw new KerasArchiveError(
      "Invalid filepath extension for saving. Please add a `.keras` extension for the native Keras format " +
        `(e.g. model.save('model.keras')). Received: filepath=${filepath}`,
    );
  }
  await checkOverwrite(filepath, options.overwrite);
  if (zipped) {
    await writeFileAtomic(filepath, () => saveModelToBytes(model));
    return;
  }
  // Unzipped: the members (and assets/) in a fresh directory, swapped in by rename.
  const m = await kerasMembers(model);
  const tmp = temporaryPathFor(filepath);
  const old = `${tmp}.old`;
  try {
    await savingIo.mkdir(tmp);
    await savingIo.writeFile(`${tmp}/metadata.json`, m.metadata);
    await savingIo.writeFile(`${tmp}/config.json`, m.config);
    await savingIo.writeFile(`${tmp}/model.weights.h5`, m.weights);
    for (const [name, data] of m.assets) {
      const file = `${tmp}/assets/${name}`;
      await savingIo.mkdir(file.slice(0, file.lastIndexOf("/")));
      await savingIo.writeFile(file, data);
    }
    const hadOld = await savingIo.exists(filepath);
    if (hadOld) await savingIo.rename(filepath, old);
    try {
      await savingIo.rename(tmp, filepath);
    } catch (e) {
      if (hadOld) await savingIo.rename(old, filepath).catch(() => undefined);
      throw e;
    }
    if (hadOld) await savingIo.unlink(old).catch(() => undefined);
  } catch (e) {
    await savingIo.unlink(tmp).catch(() => undefined);
    throw e;
  }
}

/** The bytes of a `.weights.h5` file for `model` (what `model.saveWeights` writes). */
export async function saveWeightsToBytes(model: Layer): Promise<Uint8Array> {
  return weightsH5Bytes(model);
}

/**
 * Saves the variables of `model` (its layers' and its optimizer's) to a
 * `.weights.h5` file in Keras's layout (Keras's `model.save_weights`). The
 * path must end in `.weights.h5`.
 */
export async function saveWeights(model: Layer, filepath: string, options: { overwrite?: boolean } = {}): Promise<void> {
  if (typeof filepath !== "string" || !filepath.endsWith(".weights.h5")) {
    throw new KerasArchiveError(`The filename must end in \`.weights.h5\`. Received: filepath=${String(filepath)}`);
  }
  await checkOverwrite(filepath, options.overwrite);
  await writeFileAtomic(filepath, () => saveWeightsToBytes(model));
}
