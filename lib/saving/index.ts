/**
 * keras.saving: loading `.keras` files, and the (de)serialization registry.
 *
 * ```ts
 * const model = await keras.saving.loadModel("model.keras");
 * const y = model.apply(x);
 * ```
 */
import { Layer } from "../layers/layer.js";
import { Model, setModelSavingHooks } from "../models/model.js";
import { readKerasArchive, readKerasFile, KerasArchiveError, type KerasArchive } from "./keras-archive.js";
import { H5Store } from "./h5-store.js";
import { deserializeKerasObject, withObjectSharingScope, type CustomObjects } from "./serialization-lib.js";
import { loadWeightsFromStore, type LoadWeightsOptions } from "./weights-loading.js";
import { inSafeMode } from "./safe-mode.js";
import { saveModel, saveWeights } from "./saving-lib.js";
import { exportTfjs } from "./tfjs-export.js";
import { KERAS_FLOAT_KEYS, pythonJsonDumps } from "./python-json.js";
import { serializeKerasObject } from "./serialization-lib.js";

export {
  registerKerasSerializable,
  getRegisteredName,
  getRegisteredObject,
  withCustomObjects,
  CustomObjectScope,
  customObjectScope,
  getCustomObjects,
  type RegisterOptions,
} from "./object-registration.js";
export {
  serializeKerasObject,
  deserializeKerasObject,
  UnknownObjectError,
  type CustomObjects,
  type DeserializeOptions,
} from "./serialization-lib.js";
export { serializeSequentialConfig, serializeFunctionalConfig, sequentialFromConfig, functionalFromConfig } from "./model-config.js";
export { readKerasArchive, readKerasFile, writeKerasArchive, KerasArchiveError, type KerasArchive } from "./keras-archive.js";
export { H5Store, H5Writer, type StoredArray } from "./h5-store.js";
export { loadWeightsFromStore, saveWeightsToStore, weightPaths, ownVariables, saveableChildren, type LoadWeightsOptions } from "./weights-loading.js";
export type { SerializedObject } from "./serialized.js";
export {
  saveModel,
  saveWeights,
  saveModelToBytes,
  saveWeightsToBytes,
  writeFileAtomic,
  savingIo,
  kerasMetadata,
  formatDateSaved,
  KERAS_FORMAT_VERSION,
  type SaveModelOptions,
} from "./saving-lib.js";
export { enableUnsafeDeserialization, disableUnsafeDeserialization, inSafeMode } from "./safe-mode.js";
export { cloneModel, cloneLayer, type CloneModelOptions, type CloneFunction } from "./cloning.js";
export { exportTfjs, toTfjsArtifacts, TfjsExportError, TFJS_SHARD_NAME, type TfjsArtifacts, type TfjsModelJson, type TfjsWeightSpec } from "./tfjs-export.js";
export { pythonJsonDumps, pythonFloatRepr, KERAS_FLOAT_KEYS, type PythonJsonOptions } from "./python-json.js";

/** Options of `loadModel`. */
export interface LoadModelOptions {
  /** Custom classes and functions by name (class name or `Package>Name`). */
  customObjects?: CustomObjects;
  /**
   * Whether to compile the model from its `compile_config` (once tskeras
   * models can be compiled). The config is always kept as `model.compileConfig`.
   * Default true.
   */
  compile?: boolean;
  /**
   * Refuse to evaluate code stored in the file (a Lambda layer's function).
   * Default true, unless `keras.config.enableUnsafeDeserialization()` was
   * called. With false, the JavaScript source of Lambdas saved by tskeras is
   * evaluated (only for files you trust); Python lambdas can never be loaded.
   */
  safeMode?: boolean;
}

/** A model loaded from a `.keras` file: its `compile_config` (null when it was not compiled). */
export type LoadedModel = Model & {
  compileConfig: Record<string, unknown> | null;
  /** `metadata.json` of the file (`keras_version`, `date_saved`). */
  savedMetadata?: Record<string, unknown> | null;
};

async function modelFromArchive(archive: KerasArchive, source: string, options: LoadModelOptions): Promise<LoadedModel> {
  const obj = withObjectSharingScope(() =>
    deserializeKerasObject(archive.config, options.customObjects ?? {}, { safeMode: inSafeMode(options.safeMode), compile: options.compile ?? true }),
  );
  if (!(obj instanceof Layer)) {
    throw new Error(`${source} does not hold a model: config.json describes a ${archive.config.class_name}.`);
  }
  const model = obj as LoadedModel;
  try {
    if (archive.weightsH5) {
      const store = await H5Store.fromBytes(archive.weightsH5, `${source}: model.weights.h5`);
      try {
        loadWeightsFromStore(model, store, { assets: archive.assets });
      } finally {
        store.close();
      }
    } else if (archive.weightsNpz) {
      throw new Error(`${source} stores its weights as model.weights.npz, which tskeras does not read yet.`);
    }
  } catch (e) {
    model.dispose();
    throw e;
  }
  if ((model as { compileConfig?: unknown }).compileConfig === undefined) model.compileConfig = null;
  model.savedMetadata = archive.metadata;
  return model;
}

/**
 * Loads a model saved with `model.save("name.keras")` (by Keras 3 or
 * tskeras): rebuilds it from `config.json`, then assigns the weights of
 * `model.weights.h5`. `path` is a file path (Node), or the bytes of the file.
 *
 * Throws for a missing file, a file that is not a `.keras` zip, a
 * truncated archive, an archive without `config.json`, an unknown class
 * (register it with `registerKerasSerializable` or pass it in
 * `customObjects`), and weights that do not fit the layers.
 */
export async function loadModel(path: string | Uint8Array | ArrayBuffer, options: LoadModelOptions = {}): Promise<LoadedModel> {
  if (typeof path === "string") {
    if (/\.(h5|hdf5)$/i.test(path) && !/\.weights\.h5$/i.test(path)) {
      throw new KerasArchiveError(
        `${path}: legacy Keras 2 .h5 model files are not supported by tskeras. Re-save the model in Keras 3 as .keras.`,
      );
    }
    if (/\.weights\.h5$/i.test(path)) {
      throw new KerasArchiveError(`${path} holds only weights. Build the model, then call loadWeights(model, "${path}").`);
    }
    const archive = await readKerasFile(path);
    return modelFromArchive(archive, `'${path}'`, options);
  }
  const bytes = path instanceof Uint8Array ? path : new Uint8Array(path);
  return modelFromArchive(readKerasArchive(bytes), "The .keras data", options);
}

/**
 * Loads weights into a built model from a `.weights.h5` file or from the
 * weights of a `.keras` file (Keras's `model.load_weights`).
 */
export async function loadWeights(model: Layer, path: string | Uint8Array, options: LoadWeightsOptions = {}): Promise<void> {
  let bytes: Uint8Array;
  let source: string;
  if (typeof path === "string") {
    source = `'${path}'`;
    if (/\.keras$/i.test(path)) {
      const archive = await readKerasFile(path);
      if (!archive.weightsH5) throw new KerasArchiveError(`${source} has no model.weights.h5.`);
      bytes = archive.weightsH5;
    } else {
      const fs = (await import("node:fs/promises")) as { readFile(p: string): Promise<Uint8Array> };
      try {
        bytes = new Uint8Array(await fs.readFile(path));
      } catch (e) {
        if ((e as { code?: string }).code === "ENOENT") throw new KerasArchiveError(`File not found: filepath=${path}.`);
        throw e;
      }
    }
  } else {
    bytes = path;
    source = "The weights data";
  }
  const store = await H5Store.fromBytes(bytes, source);
  try {
    loadWeightsFromStore(model, store, options);
  } finally {
    store.close();
  }
}

/**
 * Rebuilds a model from `model.toJson()`'s output (Keras's
 * `keras.models.model_from_json`): same architecture, new weights, not compiled.
 */
export function modelFromJson(json: string, customObjects: CustomObjects = {}, options: { safeMode?: boolean } = {}): Model {
  let config: unknown;
  try {
    config = JSON.parse(json);
  } catch (e) {
    throw new Error(`modelFromJson: the text is not valid JSON (${(e as Error).message}).`);
  }
  const obj = deserializeKerasObject(config, customObjects, { safeMode: inSafeMode(options.safeMode), compile: false });
  if (!(obj instanceof Model)) throw new TypeError(`modelFromJson: the JSON does not describe a model (got ${String(obj)}).`);
  return obj;
}

/** `model.toJson()`: the serialized model as JSON text (Python's `json.dumps` style). */
export function modelToJson(model: Layer): string {
  return pythonJsonDumps(withObjectSharingScope(() => serializeKerasObject(model)), { floatKeys: KERAS_FLOAT_KEYS });
}

setModelSavingHooks({
  save: (model, filepath, options) => saveModel(model, filepath, options),
  saveWeights: (model, filepath, options) => saveWeights(model, filepath, options),
  loadWeights: (model, filepath, options) => loadWeights(model, filepath, options),
  toJson: (model) => modelToJson(model),
  exportTfjs: (model, dir) => exportTfjs(model, dir),
});
