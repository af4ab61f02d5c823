/**
 * The configs of Sequential and Functional models (Keras's
 * `Sequential.get_config/from_config` and `Functional.get_config`,
 * `functional_from_config`, `serialize_node`, `deserialize_node`).
 *
 * - Sequential: `{name, trainable, dtype, layers: [InputLayer, ...], build_input_shape}`.
 * - Functional: `{name, trainable, layers: [{...layer, name, inbound_nodes}], input_layers, output_layers}`
 *   where each inbound node is `{args, kwargs}` with `__keras_tensor__`
 *   entries whose `keras_history` is `[layer_name, node_index, tensor_index]`
 *   (node indices counted over this model's nodes only). The Keras 2 list
 *   format `[[name, node_index, tensor_index, kwargs], ...]` is read too.
 */
import { KerasTensor, type Shape } from "../backend/keras-tensor.js";
import type { Node } from "../ops/node.js";
import { Operation } from "../ops/operation.js";
import { Layer } from "../layers/layer.js";
import { InputLayer } from "../layers/core/input-layer.js";
import { isPlainObject } from "../utils/tree.js";
import { Sequential } from "../models/sequential.js";
import { Functional, type TensorStructure } from "../models/functional.js";
import {
  deserializeKerasObject,
  preSerializationHistory,
  serializeKerasObject,
  type CustomObjects,
  type DeserializeOptions,
} from "./serialization-lib.js";

// ------------------------------------------------------------------ Sequential

/**
 * The config of a Sequential model as Keras writes it: the base layer
 * config, every layer (the InputLayer included), and `build_input_shape`
 * once the model has an input.
 */
export function serializeSequentialConfig(model: Sequential): Record<string, unknown> {
  const config: Record<string, unknown> = { ...(serializeKerasObject(model.getConfig()) as Record<string, unknown>) };
  config.name = model.name;
  config.layers = model.allLayers.map((l) => serializeKerasObject(l));
  const first = model.allLayers[0];
  if (model.built && first instanceof InputLayer) config.build_input_shape = [...first.batchShape];
  return config;
}

function isShapeLike(x: unknown): x is Shape {
  return Array.isArray(x) && x.every((d) => d === null || typeof d === "number");
}

function deserializeLayer(data: unknown, customObjects: CustomObjects, options: DeserializeOptions, where: string): Operation {
  const obj = deserializeKerasObject(legacyLayerConfig(data), customObjects, options);
  if (!(obj instanceof Operation)) {
    throw new TypeError(`Unexpected object from deserialization in ${where}: expected a layer or an operation, got ${String(obj)}.`);
  }
  return obj;
}

/** Keras 2 configs put `name` next to `class_name` and may lack `module`; the name goes into the layer config. */
function legacyLayerConfig(data: unknown): unknown {
  if (!isPlainObject(data) || "module" in data) return data;
  const inner = isPlainObject(data.config) ? { ...data.config } : {};
  if (typeof data.name === "string" && inner.name === undefined) inner.name = data.name;
  return { ...data, module: null, config: inner };
}

/**
 * Keras's `Sequential.from_config`: deserializes the layers in order, adds
 * them, and builds the model with `build_input_shape` when it has no Input.
 */
export function sequentialFromConfig(
  cls: typeof Sequential,
  config: Record<string, unknown> | unknown[],
  customObjects: CustomObjects = {},
  options: DeserializeOptions = {},
): Sequential {
  const cfg: Record<string, unknown> = Array.isArray(config) ? { layers: config } : config;
  const layerConfigs = cfg.layers;
  if (!Array.isArray(layerConfigs)) {
    throw new TypeError(`A Sequential config needs a \`layers\` list. Received keys: ${Object.keys(cfg).join(", ")}.`);
  }
  const model = new cls(null, {
    name: typeof cfg.name === "string" ? cfg.name : null,
    dtype: (cfg.dtype as string | Record<string, unknown> | null | undefined) ?? undefined,
  });
  const made: Operation[] = [];
  try {
    layerConfigs.forEach((lc, i) => {
      const layer = deserializeLayer(lc, customObjects, options, `layer ${i} of Sequential '${model.name}'`);
      made.push(layer);
      if (!(layer instanceof Layer)) throw new TypeError(`Sequential '${model.name}': entry ${i} of \`layers\` is not a layer.`);
      model.add(layer, i === layerConfigs.length - 1);
    });
    const buildShape = cfg.build_input_shape;
    if (!model.built && isShapeLike(buildShape) && model.layers.length > 0) model.build(buildShape);
  } catch (e) {
    disposeAll(made);
    throw e;
  }
  if (cfg.trainable === false) model.trainable = false;
  return model;
}

// ------------------------------------------------------------------ Functional

/** The nodes of the model's own graph. */
function ownNodes(model: Functional): Set<Node> {
  const own = new Set<Node>();
  for (const nodes of model.graphNodesByDepth.values()) for (const n of nodes) own.add(n);
  return own;
}

/**
 * The config of a Functional model: every operation of the graph with its
 * inbound nodes (only the calls that belong to this model, re-indexed),
 * and the `input_layers` / `output_layers` structures.
 */
export function serializeFunctionalConfig(model: Functional): Record<string, unknown> {
  const own = ownNodes(model);
  const operations = model.graphOperations;
  const reindex = new Map<Node, number>();
  for (const op of operations) {
    // Keras counts a pre-existing node for nested Functional models in input/output_layers.
    let kept = op instanceof Functional ? 1 : 0;
    for (const node of op.inboundNodes) if (own.has(node)) reindex.set(node, kept++);
  }
  const tensorHistory = (t: KerasTensor): [string, number, number] => {
    const h = t.kerasHistory;
    if (!h) throw new Error(`Functional '${model.name}': tensor ${t.name} has no history.`);
    let irrelevant = 0;
    for (let i = 0; i < h.nodeIndex; i++) if (!own.has(h.operation.inboundNodes[i])) irrelevant++;
    return [h.operation.name, h.nodeIndex - irrelevant, h.tensorIndex];
  };
  const serializeArg = (x: unknown): unknown => {
    if (x instanceof KerasTensor) {
      return { class_name: "__keras_tensor__", config: { shape: [...x.shape], dtype: x.dtype, keras_history: tensorHistory(x) } };
    }
    if (Array.isArray(x)) return x.map(serializeArg);
    if (isPlainObject(x)) {
      const o: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(x)) o[k] = serializeArg(v);
      return o;
    }
    return serializeKerasObject(x);
  };
  const layers = operations.map((op) => {
    const inbound: unknown[] = [];
    for (const node of op.inboundNodes) {
      if (!own.has(node) || node.isInput) continue;
      inbound.push({ args: serializeArg(node.callArgs), kwargs: serializeArg(recordedKwargs(op, node)) });
    }
    const entry = serializeKerasObject(op) as Record<string, unknown>;
    entry.name = op.name;
    entry.inbound_nodes = inbound;
    return entry;
  });
  const tensorConfig = (t: KerasTensor): [string, number, number] => {
    const h = t.kerasHistory;
    const node = h?.operation.inboundNodes[h.nodeIndex];
    if (!h || !node || !reindex.has(node)) throw new Error(`Functional '${model.name}': could not find the node of tensor ${t.name}.`);
    return [h.operation.name, reindex.get(node) as number, h.tensorIndex];
  };
  const mapTensors = (s: TensorStructure): unknown => {
    if (s instanceof KerasTensor) return tensorConfig(s);
    if (Array.isArray(s)) return s.map((t) => mapTensors(t));
    const o: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(s)) o[k] = mapTensors(v);
    return o;
  };
  return {
    name: model.name,
    trainable: model.trainable,
    layers,
    input_layers: mapTensors(model.inputSpecStructure),
    output_layers: mapTensors(model.outputSpecStructure),
  };
}

/**
 * The Keras classes whose `call` has a `mask` argument: Keras's
 * `Layer.__call__` fills it from the input's mask when the call has one
 * tensor argument, so their recorded calls carry `"mask": null` (or the mask tensor).
 */
const CALL_TAKES_MASK: ReadonlySet<string> = new Set([
  "Sequential", "Functional", "BatchNormalization", "Softmax", "Lambda", "GlobalAveragePooling1D", "Pipeline",
  "RNN", "SimpleRNN", "LSTM", "GRU", "ConvLSTM1D", "ConvLSTM2D", "ConvLSTM3D", "Bidirectional", "TimeDistributed",
  "Attention", "AdditiveAttention",
]);

function hasKerasTensor(x: unknown, depth = 0): boolean {
  if (x instanceof KerasTensor) return true;
  if (depth > 8) return false;
  if (Array.isArray(x)) return x.some((v) => hasKerasTensor(v, depth + 1));
  if (isPlainObject(x)) return Object.values(x).some((v) => hasKerasTensor(v, depth + 1));
  return false;
}

function masksOf(x: unknown): unknown {
  // A mask made by compute_mask has no node of its own: it travels with the tensor when the graph is rebuilt.
  if (x instanceof KerasTensor) return x.kerasMask?.kerasHistory ? x.kerasMask : null;
  if (Array.isArray(x)) return x.map(masksOf);
  if (isPlainObject(x)) {
    const o: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(x)) o[k] = masksOf(v);
    return o;
  }
  return null;
}

/** A node's kwargs as Keras records them: with the `mask` Keras's `__call__` adds for layers whose call takes one. */
function recordedKwargs(op: Operation, node: Node): Record<string, unknown> {
  const kwargs = node.callKwargs;
  if (!CALL_TAKES_MASK.has(op.className) || "mask" in kwargs) return kwargs;
  const tensorArgs = node.callArgs.filter((a) => hasKerasTensor(a));
  const tensorKwargs = Object.values(kwargs).filter((a) => hasKerasTensor(a));
  if (tensorArgs.length + tensorKwargs.length !== 1 || tensorArgs.length !== 1) return kwargs;
  return { ...kwargs, mask: masksOf(tensorArgs[0]) };
}

/** Thrown while a node's inputs are not created yet (Keras uses IndexError). */
class NodeNotReady extends Error {}

function inboundTensor(layer: Operation, layerName: string, nodeIndex: number, tensorIndex: number): KerasTensor {
  if (layer.inboundNodes.length <= nodeIndex) {
    throw new NodeNotReady(`Layer '${layerName}' has ${layer.inboundNodes.length} nodes; node ${nodeIndex} is needed.`);
  }
  const t = layer.inboundNodes[nodeIndex].outputTensors[tensorIndex];
  if (!t) throw new Error(`Invalid Functional model configuration: layer '${layerName}' node ${nodeIndex} has no output ${tensorIndex}.`);
  return t;
}

function unpackSingleton<T>(x: T[]): T | T[] {
  return x.length === 1 ? x[0] : x;
}

/** Keras's `deserialize_node`: the (args, kwargs) of one recorded call. */
function deserializeNode(
  nodeData: unknown,
  created: Map<string, Operation>,
  customObjects: CustomObjects,
  options: DeserializeOptions,
): { args: unknown[]; kwargs: Record<string, unknown> } {
  if (nodeData === null || nodeData === undefined || (Array.isArray(nodeData) && nodeData.length === 0)) return { args: [], kwargs: {} };
  if (Array.isArray(nodeData)) {
    // Keras 2: [[layer_name, node_index, tensor_index, kwargs?], ...]
    const inputs: KerasTensor[] = [];
    let kwargs: Record<string, unknown> = {};
    for (const entry of nodeData) {
      if (!Array.isArray(entry) || entry.length < 3 || entry.length > 4) {
        throw new Error(`Cannot deserialize the model (invalid node data: ${JSON.stringify(entry)}).`);
      }
      const [name, nodeIndex, tensorIndex] = entry as [string, number, number];
      if (entry.length === 4 && isPlainObject(entry[3])) kwargs = deserializeKerasObject(entry[3], customObjects, options) as Record<string, unknown>;
      const layer = created.get(name);
      if (!layer) throw new Error(`Invalid Functional model configuration. Missing node: ${name}`);
      inputs.push(inboundTensor(layer, name, nodeIndex, tensorIndex));
    }
    return { args: [unpackSingleton(inputs)], kwargs };
  }
  if (!isPlainObject(nodeData)) throw new Error(`Cannot deserialize the model (invalid node data: ${JSON.stringify(nodeData)}).`);
  const args = deserializeKerasObject(nodeData.args ?? [], customObjects, options);
  const kwargs = deserializeKerasObject(nodeData.kwargs ?? {}, customObjects, options);
  const revive = (x: unknown): unknown => {
    if (x instanceof KerasTensor) {
      const h = preSerializationHistory(x);
      if (!h) return x;
      const layer = created.get(h[0]);
      if (!layer) throw new Error(`Invalid Functional model configuration: unknown layer '${h[0]}' in keras_history.`);
      return inboundTensor(layer, h[0], h[1], h[2]);
    }
    if (Array.isArray(x)) return x.map(revive);
    if (isPlainObject(x)) {
      const o: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(x)) o[k] = revive(v);
      return o;
    }
    return x;
  };
  return {
    args: (revive(Array.isArray(args) ? args : [args]) as unknown[]),
    kwargs: (revive(isPlainObject(kwargs) ? kwargs : {}) as Record<string, unknown>),
  };
}

function callOperation(op: Operation, args: unknown[], kwargs: Record<string, unknown>): void {
  if (op instanceof Layer) {
    if (args.length > 1) {
      const before = op.inboundNodes.length;
      op.callFromNode(args, kwargs);
      // Keep the call as the file recorded it (e.g. `mha(query, value)` positionally), so the
      // graph re-serializes the same way; replaying a node goes through callFromNode again.
      const node = op.inboundNodes[before] as { callArgs: unknown[]; callKwargs: Record<string, unknown> } | undefined;
      if (node && op.inboundNodes.length === before + 1) {
        node.callArgs = args;
        node.callKwargs = kwargs;
      }
    } else {
      op.apply(args[0] as Parameters<Layer["apply"]>[0], kwargs);
    }
    return;
  }
  op.symbolicCall(args, kwargs);
}

/**
 * Keras's `functional_from_config`: creates every layer, replays the
 * recorded calls in an order where their inputs exist (shared layers are
 * called once per node), then makes `cls({inputs, outputs, name})`.
 */
export function functionalFromConfig(
  cls: typeof Functional,
  config: Record<string, unknown>,
  customObjects: CustomObjects = {},
  options: DeserializeOptions = {},
): Functional {
  const layersData = config.layers;
  if (!Array.isArray(layersData)) throw new TypeError("A Functional config needs a `layers` list.");
  const modelName = typeof config.name === "string" ? config.name : "model";
  const created = new Map<string, Operation>();
  const pending = new Map<Operation, unknown[]>();
  const names: string[] = [];
  try {
    return buildFunctional(cls, config, layersData, modelName, created, pending, names, customObjects, options);
  } catch (e) {
    disposeAll([...created.values()]);
    throw e;
  }
}

/** Frees the variables of layers made before a failure. */
function disposeAll(ops: Operation[]): void {
  for (const op of ops) if (op instanceof Layer) op.dispose();
}

function buildFunctional(
  cls: typeof Functional,
  config: Record<string, unknown>,
  layersData: unknown[],
  modelName: string,
  created: Map<string, Operation>,
  pending: Map<Operation, unknown[]>,
  names: string[],
  customObjects: CustomObjects,
  options: DeserializeOptions,
): Functional {
  for (const data of layersData) {
    if (!isPlainObject(data)) throw new TypeError(`Functional '${modelName}': each entry of \`layers\` must be a dict.`);
    const layer = deserializeLayer(data, customObjects, options, `Functional '${modelName}'`);
    const name = typeof data.name === "string" ? data.name : layer.name;
    created.set(name, layer);
    names.push(name);
    const inbound = Array.isArray(data.inbound_nodes) ? data.inbound_nodes : [];
    if (inbound.length > 0) pending.set(layer, [...(pending.get(layer) ?? []), ...inbound]);
  }
  while (pending.size > 0) {
    let progressed = false;
    for (const name of names) {
      const layer = created.get(name) as Operation;
      const list = pending.get(layer);
      if (!list) continue;
      let i = 0;
      while (i < list.length) {
        let call: { args: unknown[]; kwargs: Record<string, unknown> };
        try {
          call = deserializeNode(list[i], created, customObjects, options);
        } catch (e) {
          if (e instanceof NodeNotReady) break;
          throw e;
        }
        callOperation(layer, call.args, call.kwargs);
        i++;
      }
      if (i >= list.length) {
        pending.delete(layer);
        progressed = true;
      } else if (i > 0) {
        pending.set(layer, list.slice(i));
        progressed = true;
      }
    }
    if (!progressed) {
      const left = [...pending.keys()].map((l) => l.name).join(", ");
      throw new Error(
        `Invalid Functional model configuration for '${modelName}'. The graph either has loops or disconnected nodes. ` +
          `The calls of these layers could not be resolved: ${left}.`,
      );
    }
  }
  const getTensor = (layerName: string, nodeIndex: number, tensorIndex: number): KerasTensor => {
    const layer = created.get(layerName);
    if (!layer) throw new Error(`Invalid Functional model configuration for '${modelName}': no layer named '${layerName}'.`);
    // Keras counts a pre-existing node for nested Functional models here.
    const idx = layer instanceof Functional ? nodeIndex - 1 : nodeIndex;
    const node = layer.inboundNodes[idx];
    const t = node?.outputTensors[tensorIndex];
    if (!t) throw new Error(`Invalid Functional model configuration for '${modelName}': layer '${layerName}' has no tensor [${nodeIndex}, ${tensorIndex}].`);
    return t;
  };
  const mapTensors = (s: unknown): TensorStructure => {
    if (Array.isArray(s) && s.length === 3 && typeof s[0] === "string") return getTensor(s[0], Number(s[1]), Number(s[2]));
    if (isPlainObject(s)) {
      const o: Record<string, KerasTensor> = {};
      for (const [k, v] of Object.entries(s)) o[k] = mapTensors(v) as KerasTensor;
      return o;
    }
    if (Array.isArray(s)) return s.map((v) => mapTensors(v) as KerasTensor);
    throw new Error(`Invalid Functional model configuration for '${modelName}': cannot read tensor reference ${JSON.stringify(s)}.`);
  };
  const inputs = mapTensors(config.input_layers);
  const outputs = mapTensors(config.output_layers);
  const model = new cls({ inputs, outputs, name: modelName, trainable: config.trainable === false ? false : undefined });
  if (config.trainable === false) model.trainable = false;
  return model;
}
