/**
 * Variables ⇄ `model.weights.h5`, walking the object graph exactly as
 * Keras's `saving_lib._save_state` / `_load_state` do:
 *
 * 1. the object's own variables (`_trainable_variables +
 *    _non_trainable_variables`) at `<path>/vars/<i>`;
 * 2. for Sequential and Functional models, `model.layers` under
 *    `<path>/layers/<snake_case class name, de-duplicated>`;
 * 3. every other attribute holding a layer (or a list/dict of layers), in
 *    Keras's sorted `dir()` order with `_private` names last: a layer under
 *    `<path>/<attr_name>`, a list under `<path>/<attr_name>/<snake_case>[_N]`
 *    (nested lists as `container`, `container_1`, ...).
 *
 * Each object is visited once, at the first path that reaches it.
 *
 * Layers can take over the mapping with two optional methods:
 * `saveableChildren()` returns Keras's attribute names → sublayers (use it
 * when the TypeScript field names differ from the Python ones), and
 * `loadOwnVariables(values)` / `saveOwnVariables()` replace the default
 * own-variable order (an entry of `saveOwnVariables()` with a `key` is
 * stored under that name, e.g. `vars/idf_weights`, instead of its index).
 *
 * When the walk is given an assets map (the `assets/` folder of a `.keras`
 * archive), objects with `saveAssets` / `loadAssets` (Keras's
 * `save_assets` / `load_assets`, e.g. the lookup layers' `vocabulary.txt`)
 * write and read their files at `assets/<inner path>/`, right after their
 * own variables, as Keras's `_save_state` / `_load_state` do.
 */
import { tf } from "../backend/tfjs.js";
import { formatShape } from "../backend/keras-tensor.js";
import { Variable } from "../backend/variable.js";
import { Layer } from "../layers/layer.js";
import { Sequential } from "../models/sequential.js";
import { Functional } from "../models/functional.js";
import { Trainer } from "../trainers/trainer.js";
import { Optimizer } from "../optimizers/optimizer.js";
import { camelToSnake, toSnakeCase } from "../utils/naming.js";
import { isPlainObject } from "../utils/tree.js";
import { assetsDirIn, hasAssets } from "../layers/preprocessing/preprocessing-utils.js";
import type { ArrayToStore, H5Store, H5Writer, StoredArray } from "./h5-store.js";

/** A layer that names its sublayers the way Keras's Python attributes do. */
export interface HasSaveableChildren {
  /** Keras attribute name → sublayer, or list/dict of sublayers. */
  saveableChildren(): Record<string, unknown>;
}

/** A layer with its own mapping between its state and the stored `vars`. */
export interface HasOwnVariablesIO {
  /** Assigns the arrays stored at `<path>/vars` (in key order). Throw for a mismatch. */
  loadOwnVariables(values: StoredArray[], path: string): void;
  /** The arrays to store at `<path>/vars/0..n-1`. */
  saveOwnVariables?(): ArrayToStore[];
}

/** Options of `loadWeightsFromStore`. */
export interface LoadWeightsOptions {
  /** Skip (with a warning) layers whose variable count or shapes do not match, instead of throwing. Default false. */
  skipMismatch?: boolean;
  /** Called with each skipped mismatch when `skipMismatch` is set. Default: console.warn. */
  warn?: (message: string) => void;
  /**
   * The archive's `assets/` members (path below `assets/` → bytes, as
   * `readKerasArchive(...).assets`). When given, each object with
   * `loadAssets` reads its files from `assets/<inner path>/` after its
   * variables. Leave it out when loading weights only (`.weights.h5`).
   */
  assets?: Map<string, Uint8Array>;
}

function join(path: string, name: string): string {
  return path ? `${path}/${name}` : name;
}

/** Keras's `_name_key`: private (underscore) names sort last. */
function nameKey(name: string): string {
  return name.startsWith("_") ? `~${name}` : name;
}

function compareNames(a: string, b: string): number {
  const ka = nameKey(a);
  const kb = nameKey(b);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

/** Fields of the built-in models that hold their graph, not child saveables (Keras skips `_functional`, `operations`). */
const MODEL_INTERNAL_FIELDS: ReadonlySet<string> = new Set([
  "stack",
  "functional",
  "operations",
  "nodesByDepth",
  "inputs",
  "outputs",
  "inputStructure",
  "outputStructure",
  "compileConfig",
]);

/** Fields every layer has that never hold saveables. */
const LAYER_FIELDS: ReadonlySet<string> = new Set(["inboundNodes", "outboundNodes", "inputSpec", "buildShapes", "batchInputShape"]);

function containsLayer(x: unknown, depth = 0): boolean {
  if (x instanceof Layer) return true;
  if (depth > 4) return false;
  if (Array.isArray(x)) return x.some((v) => containsLayer(v, depth + 1));
  if (isPlainObject(x)) return Object.values(x).some((v) => containsLayer(v, depth + 1));
  return false;
}

function hasSaveableChildren(x: unknown): x is HasSaveableChildren {
  return typeof (x as Partial<HasSaveableChildren>).saveableChildren === "function";
}

function hasOwnVariablesIO(x: unknown): x is HasOwnVariablesIO {
  return typeof (x as Partial<HasOwnVariablesIO>).loadOwnVariables === "function";
}

/**
 * The children Keras visits after a layer's own variables, as
 * `[attribute name, layer or container]`, in Keras's order.
 */
export function saveableChildren(layer: Layer): [string, unknown][] {
  const out: [string, unknown][] = [];
  const isGraphModel = layer instanceof Sequential || layer instanceof Functional;
  if (isGraphModel) out.push(["layers", layer.layers]);
  let attrs: [string, unknown][];
  if (hasSaveableChildren(layer)) {
    attrs = Object.entries(layer.saveableChildren());
  } else {
    attrs = [];
    const record = layer as unknown as Record<string, unknown>;
    for (const key of Object.keys(layer)) {
      if (LAYER_FIELDS.has(key) || (isGraphModel && MODEL_INTERNAL_FIELDS.has(key))) continue;
      const value = record[key];
      if (!containsLayer(value)) continue;
      attrs.push([camelToSnake(key), value]);
    }
  }
  if (layer instanceof Trainer && layer.optimizer) attrs.push(["optimizer", layer.optimizer]);
  attrs.sort((a, b) => compareNames(a[0], b[0]));
  return [...out, ...attrs];
}

/** What the state traversal visits: layers and models, and optimizers (Keras's `KerasSaveable`s with variables). */
export type Saveable = Layer | Optimizer;

function isSaveable(x: unknown): x is Saveable {
  return x instanceof Layer || x instanceof Optimizer;
}

/** The children of any saveable: a layer's (`saveableChildren`), or a wrapping optimizer's `inner_optimizer`. */
function childrenOf(obj: Saveable): [string, unknown][] {
  if (obj instanceof Layer) return saveableChildren(obj);
  const inner = (obj as { innerOptimizer?: unknown }).innerOptimizer;
  return inner instanceof Optimizer ? [["inner_optimizer", inner]] : [];
}

function saveableName(obj: Saveable): string {
  return obj.name;
}

/** Every layer reachable from the children of `layer` (direct children, through containers). */
function childLayers(layer: Layer): Layer[] {
  const out: Layer[] = [];
  const visit = (x: unknown, depth: number): void => {
    if (x instanceof Layer) {
      if (x !== layer && !out.includes(x)) out.push(x);
    } else if (depth < 6 && Array.isArray(x)) x.forEach((v) => visit(v, depth + 1));
    else if (depth < 6 && isPlainObject(x)) Object.values(x).forEach((v) => visit(v, depth + 1));
  };
  for (const [, child] of saveableChildren(layer)) if (!(child instanceof Optimizer)) visit(child, 0);
  return out;
}

/**
 * A layer's own variables, in Keras's order (`_trainable_variables +
 * _non_trainable_variables`): its `weights` minus those of its sublayers.
 */
export function ownVariables(layer: Layer): Variable[] {
  const inChildren = new Set<Variable>();
  for (const child of childLayers(layer)) for (const v of child.weights) inChildren.add(v);
  return layer.weights.filter((v) => !inChildren.has(v));
}

function describeStored(values: StoredArray[]): string {
  return `[${values.map((v) => formatShape(v.shape)).join(", ")}]`;
}

function assignStored(variable: Variable, value: StoredArray, layer: Layer, where: string): void {
  if (!tf.util.arraysEqual(variable.shape, value.shape)) {
    throw new Error(
      `Layer '${layer.name}' (${layer.className}) weight shape mismatch for ${variable.path} at ${where} of the weights file: ` +
        `the layer expects ${formatShape(variable.shape)}, the file has ${formatShape(value.shape)}.`,
    );
  }
  const t = tf.tensor(value.data, value.shape, value.dtype);
  try {
    variable.assign(t);
  } finally {
    t.dispose();
  }
}

/** The default `load_own_variables`: count check, then assigns `vars/i` to the i-th own variable. */
function loadOwn(layer: Layer, values: StoredArray[], path: string): void {
  if (hasOwnVariablesIO(layer)) {
    layer.loadOwnVariables(values, path);
    return;
  }
  const vars = ownVariables(layer);
  const group = `/${join(path, "vars")}`;
  if (values.length !== vars.length) {
    if (vars.length === 0 && !layer.built) {
      throw new Error(
        `Layer '${layer.name}' (${layer.className}) was never built and thus it doesn't have any variables. ` +
          `However the weights file lists ${values.length} variables for this layer at ${group}. ` +
          "In most cases, this error indicates that either: 1. The layer is owned by a parent layer that implements " +
          "a `build()` method, but calling the parent's `build()` method did NOT create the state of the child layer. " +
          "2. You need to implement `buildFromConfig()` for the layer so it is built when the model is loaded.",
      );
    }
    throw new Error(
      `Layer '${layer.name}' (${layer.className}) expected ${vars.length} variables, but received ${values.length} ` +
        `variables during loading from ${group}. Expected: [${vars.map((v) => `${v.name} ${formatShape(v.shape)}`).join(", ")}], ` +
        `stored: ${describeStored(values)}.`,
    );
  }
  vars.forEach((v, i) => assignStored(v, values[i], layer, `${group}/${values[i].key}`));
}

interface LoadState {
  store: H5Store;
  visited: Set<Saveable>;
  options: LoadWeightsOptions;
}

function loadState(layer: Saveable, path: string, state: LoadState): void {
  if (state.visited.has(layer)) return;
  try {
    if (layer instanceof Optimizer) {
      // Keras's optimizer.load_own_variables: a count mismatch (an optimizer not built yet) warns and skips.
      if (state.store.hasVars(path)) layer.loadOwnVariables(state.store.get(path));
    } else {
      loadOwn(layer, state.store.get(path), path);
    }
  } catch (e) {
    if (!state.options.skipMismatch) throw e;
    const kind = layer instanceof Optimizer ? "optimizer" : "layer";
    (state.options.warn ?? console.warn)(`Skipping loading weights for ${kind} '${layer.name}': ${(e as Error).message}`);
  }
  const assets = state.options.assets;
  if (assets && hasAssets(layer)) {
    try {
      layer.loadAssets(assetsDirIn(assets, path));
    } catch (e) {
      if (!state.options.skipMismatch) throw e;
      (state.options.warn ?? console.warn)(`Skipping loading assets for layer '${layer.name}': ${(e as Error).message}`);
    }
  }
  state.visited.add(layer);
  for (const [attr, child] of childrenOf(layer)) {
    const childPath = join(path, attr);
    if (isSaveable(child)) loadState(child, childPath, state);
    else if (Array.isArray(child) || isPlainObject(child)) loadContainer(child, childPath, state, new Set());
  }
}

function uniqueName(name: string, used: Map<string, number>): string {
  const n = used.get(name);
  if (n === undefined) {
    used.set(name, 0);
    return name;
  }
  used.set(name, n + 1);
  return `${name}_${n + 1}`;
}

function loadContainer(container: unknown[] | Record<string, unknown>, path: string, state: LoadState, seen: Set<unknown>): void {
  if (seen.has(container)) return;
  seen.add(container);
  const items = Array.isArray(container) ? container : Object.values(container);
  const used = new Map<string, number>();
  for (const item of items) {
    if (item instanceof Layer) {
      loadState(item, join(path, uniqueName(toSnakeCase(item.constructor.name), used)), state);
    } else if (Array.isArray(item) || isPlainObject(item)) {
      const nested = join(path, uniqueName("container", used));
      if (!state.store.hasPath(nested) && containsLayer(item)) {
        // Files written before Keras PR #22362 have no `container*` groups: keep fresh weights.
        const warn = state.options.warn ?? console.warn;
        warn(`Skipping nested container at '${nested}': no matching group found in the saved file.`);
        continue;
      }
      loadContainer(item, nested, state, seen);
    }
  }
}

/**
 * Assigns the variables of `model` (and of all its sublayers) from a
 * weights store, following Keras's traversal. Throws, naming the layer and
 * the path in the file, when a layer's variable count or a shape differs.
 */
export function loadWeightsFromStore(model: Layer, store: H5Store, options: LoadWeightsOptions = {}): void {
  loadState(model, "", { store, visited: new Set(), options });
}

// ------------------------------------------------------------------ saving

function toStoredArray(v: Variable): ArrayToStore {
  const value = v.value;
  const dtype = value.dtype === "int32" ? "int32" : value.dtype === "bool" ? "bool" : "float32";
  const data = value.dataSync();
  return {
    data: dtype === "float32" ? Float32Array.from(data as ArrayLike<number>) : dtype === "int32" ? Int32Array.from(data as ArrayLike<number>) : Uint8Array.from(data as ArrayLike<number>),
    shape: [...value.shape],
    dtype,
  };
}

interface SaveState {
  writer: H5Writer;
  visited: Set<Saveable>;
  assets: Map<string, Uint8Array> | null;
}

function ownArrays(obj: Saveable): ArrayToStore[] {
  if (obj instanceof Optimizer) return obj.variables.map(toStoredArray);
  return hasOwnVariablesIO(obj) && obj.saveOwnVariables ? obj.saveOwnVariables() : ownVariables(obj).map(toStoredArray);
}

function saveState(layer: Saveable, path: string, state: SaveState): void {
  if (state.visited.has(layer)) return;
  state.writer.make(path, saveableName(layer));
  ownArrays(layer).forEach((v, i) => state.writer.set(path, v.key ?? String(i), v));
  if (state.assets && hasAssets(layer)) layer.saveAssets(assetsDirIn(state.assets, path));
  state.visited.add(layer);
  for (const [attr, child] of childrenOf(layer)) {
    const childPath = join(path, attr);
    if (isSaveable(child)) saveState(child, childPath, state);
    else if (Array.isArray(child) || isPlainObject(child)) saveContainer(child, childPath, state, new Set());
  }
}

function saveContainer(container: unknown[] | Record<string, unknown>, path: string, state: SaveState, seen: Set<unknown>): void {
  if (seen.has(container)) return;
  seen.add(container);
  const items = Array.isArray(container) ? container : Object.values(container);
  const used = new Map<string, number>();
  for (const item of items) {
    if (item instanceof Layer) saveState(item, join(path, uniqueName(toSnakeCase(item.constructor.name), used)), state);
    else if (Array.isArray(item) || isPlainObject(item)) saveContainer(item, join(path, uniqueName("container", used)), state, seen);
  }
}

/**
 * Writes the variables of `model` and its sublayers into `writer`, in
 * Keras's layout. With `assets` (a map to fill: path below `assets/` →
 * bytes), objects with `saveAssets` also write their asset files there, at
 * their inner path (e.g. `layers/string_lookup/vocabulary.txt`).
 */
export function saveWeightsToStore(model: Layer, writer: H5Writer, assets: Map<string, Uint8Array> | null = null): void {
  saveState(model, "", { writer, visited: new Set(), assets });
}

/**
 * The HDF5 paths of every variable of `model`, in traversal order, e.g.
 * `layers/dense/vars/0` (useful to compare with a file, or for messages).
 * The optimizer's variables (`optimizer/vars/<i>`) are listed only with `includeOptimizer`.
 */
export function weightPaths(model: Layer, options: { includeOptimizer?: boolean } = {}): { path: string; variable: Variable }[] {
  const out: { path: string; variable: Variable }[] = [];
  const visited = new Set<Saveable>();
  const visit = (layer: Saveable, path: string): void => {
    if (visited.has(layer)) return;
    visited.add(layer);
    const own = layer instanceof Optimizer ? layer.variables : ownVariables(layer);
    own.forEach((variable, i) => out.push({ path: join(join(path, "vars"), String(i)), variable }));
    for (const [attr, child] of childrenOf(layer)) {
      const childPath = join(path, attr);
      if (child instanceof Optimizer && !options.includeOptimizer) continue;
      if (isSaveable(child)) visit(child, childPath);
      else if (Array.isArray(child) || isPlainObject(child)) container(child, childPath, new Set());
    }
  };
  const container = (c: unknown[] | Record<string, unknown>, path: string, seen: Set<unknown>): void => {
    if (seen.has(c)) return;
    seen.add(c);
    const used = new Map<string, number>();
    for (const item of Array.isArray(c) ? c : Object.values(c)) {
      if (item instanceof Layer) visit(item, join(path, uniqueName(toSnakeCase(item.constructor.name), used)));
      else if (Array.isArray(item) || isPlainObject(item)) container(item, join(path, uniqueName("container", used)), seen);
    }
  };
  visit(model, "");
  return out;
}
