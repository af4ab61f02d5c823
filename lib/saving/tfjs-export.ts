/**
 * Export to the TensorFlow.js layers format (`model.json` + one binary
 * weight shard), which `@tensorflow/tfjs-layers`' `tf.loadLayersModel`
 * opens in a browser or in Node.
 *
 * `model.json` is `{format: "layers-model", generatedBy, convertedBy,
 * modelTopology, weightsManifest}`. The topology is written in the Keras 2
 * config style tfjs-layers reads (`batch_input_shape`, plain dtype strings,
 * `inbound_nodes` as `[[layer, node_index, tensor_index, kwargs], ...]`,
 * nested models with their own inbound node 0), and the weights are named
 * `<layer name>/<weight name>` as tfjs-layers names them (`dense/kernel`,
 * `lstm/recurrent_kernel`, `conv/depthwise_kernel`).
 *
 * Only what tfjs-layers can express is exported: the common core,
 * convolution, pooling, normalization, regularization, reshaping,
 * recurrent (SimpleRNN, LSTM, GRU with `reset_after: false`), embedding,
 * merging and activation layers, with their built-in activations,
 * initializers, regularizers and constraints. Anything else throws an
 * error naming the layer.
 */
import { KerasTensor } from "../backend/keras-tensor.js";
import { Layer } from "../layers/layer.js";
import { InputLayer } from "../layers/core/input-layer.js";
import type { Node } from "../ops/node.js";
import { Sequential } from "../models/sequential.js";
import { Functional } from "../models/functional.js";
import { Variable } from "../backend/variable.js";
import { isPlainObject } from "../utils/tree.js";
import { serializeKerasObject } from "./serialization-lib.js";
import { isSerializedObject } from "./serialized.js";
import { savingIo, writeFileAtomic } from "./saving-lib.js";

/** Thrown when a model uses something the TensorFlow.js layers format cannot express. */
export class TfjsExportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TfjsExportError";
  }
}

/** One entry of `weightsManifest[0].weights`. */
export interface TfjsWeightSpec {
  name: string;
  shape: number[];
  dtype: "float32" | "int32" | "bool";
}

/** The content of `model.json`. */
export interface TfjsModelJson {
  format: "layers-model";
  generatedBy: string;
  convertedBy: null;
  modelTopology: Record<string, unknown>;
  weightsManifest: { paths: string[]; weights: TfjsWeightSpec[] }[];
}

/** What `toTfjsArtifacts` returns: the model.json object and the bytes of the weight shard. */
export interface TfjsArtifacts {
  modelJson: TfjsModelJson;
  /** The weight values, concatenated little-endian in manifest order. */
  weightData: Uint8Array;
  /** The weight specs (also in `modelJson.weightsManifest[0].weights`). */
  weightSpecs: TfjsWeightSpec[];
}

/** The name of the one weight shard. */
export const TFJS_SHARD_NAME = "group1-shard1of1.bin";

// ------------------------------------------------------------------ config conversion

const BASE_KEYS = ["name", "trainable", "dtype"];
const INIT_REG_CON = (p: string): string[] => [`${p}_initializer`, `${p}_regularizer`, `${p}_constraint`];
const CONV_KEYS = ["filters", "kernel_size", "strides", "padding", "data_format", "dilation_rate", "activation", "use_bias",
  ...INIT_REG_CON("kernel"), ...INIT_REG_CON("bias"), "activity_regularizer"];
const RNN_COMMON = ["units", "activation", "use_bias", ...INIT_REG_CON("kernel"), ...INIT_REG_CON("recurrent"), ...INIT_REG_CON("bias"),
  "activity_regularizer", "dropout", "recurrent_dropout", "return_sequences", "return_state", "go_backwards", "stateful", "unroll"];
const POOL_KEYS = ["pool_size", "strides", "padding", "data_format"];

/** Keras class → the config keys tfjs-layers reads (besides name/trainable/dtype). */
const LAYER_KEYS: Record<string, string[]> = {
  Dense: ["units", "activation", "use_bias", ...INIT_REG_CON("kernel"), ...INIT_REG_CON("bias"), "activity_regularizer"],
  Conv1D: CONV_KEYS,
  Conv2D: CONV_KEYS,
  Conv3D: CONV_KEYS,
  Conv2DTranspose: CONV_KEYS,
  Conv3DTranspose: CONV_KEYS,
  SeparableConv2D: ["filters", "kernel_size", "strides", "padding", "data_format", "dilation_rate", "depth_multiplier", "activation", "use_bias",
    ...INIT_REG_CON("depthwise"), ...INIT_REG_CON("pointwise"), ...INIT_REG_CON("bias"), "activity_regularizer"],
  DepthwiseConv2D: ["kernel_size", "strides", "padding", "data_format", "dilation_rate", "depth_multiplier", "activation", "use_bias",
    ...INIT_REG_CON("depthwise"), ...INIT_REG_CON("bias"), "activity_regularizer"],
  MaxPooling1D: POOL_KEYS,
  MaxPooling2D: POOL_KEYS,
  MaxPooling3D: POOL_KEYS,
  AveragePooling1D: POOL_KEYS,
  AveragePooling2D: POOL_KEYS,
  AveragePooling3D: POOL_KEYS,
  GlobalAveragePooling1D: ["data_format"],
  GlobalAveragePooling2D: ["data_format"],
  GlobalMaxPooling1D: ["data_format"],
  GlobalMaxPooling2D: ["data_format"],
  BatchNormalization: ["axis", "momentum", "epsilon", "center", "scale", ...INIT_REG_CON("beta"), ...INIT_REG_CON("gamma"),
    "moving_mean_initializer", "moving_variance_initializer"],
  LayerNormalization: ["axis", "epsilon", "center", "scale", ...INIT_REG_CON("beta"), ...INIT_REG_CON("gamma")],
  Dropout: ["rate", "noise_shape", "seed"],
  SpatialDropout1D: ["rate", "seed"],
  GaussianNoise: ["stddev", "seed"],
  GaussianDropout: ["rate"],
  AlphaDropout: ["rate", "noise_shape"],
  Flatten: ["data_format"],
  Activation: ["activation"],
  Reshape: ["target_shape"],
  Permute: ["dims"],
  RepeatVector: ["n"],
  Masking: ["mask_value"],
  Embedding: ["input_dim", "output_dim", ...INIT_REG_CON("embeddings"), "activity_regularizer", "mask_zero"],
  Add: [],
  Multiply: [],
  Average: [],
  Maximum: [],
  Minimum: [],
  Concatenate: ["axis"],
  Dot: ["axes", "normalize"],
  ReLU: ["max_value"],
  LeakyReLU: ["negative_slope"],
  ELU: ["alpha"],
  Softmax: ["axis"],
  PReLU: [...INIT_REG_CON("alpha"), "shared_axes"],
  ZeroPadding2D: ["padding", "data_format"],
  UpSampling2D: ["size", "data_format", "interpolation"],
  Cropping2D: ["cropping", "data_format"],
  SimpleRNN: RNN_COMMON,
  LSTM: [...RNN_COMMON, "recurrent_activation", "unit_forget_bias"],
  GRU: [...RNN_COMMON, "recurrent_activation", "reset_after"],
};

/** Keras 3 weight names that tfjs-layers names differently, per class. */
const WEIGHT_RENAMES: Record<string, Record<string, string>> = {
  DepthwiseConv2D: { kernel: "depthwise_kernel" },
};

/** Keras activation names → the names tfjs-layers registers (after its snake → camel conversion). */
const ACTIVATIONS: Record<string, string> = {
  linear: "linear",
  relu: "relu",
  relu6: "relu6",
  sigmoid: "sigmoid",
  softmax: "softmax",
  log_softmax: "log_softmax",
  tanh: "tanh",
  elu: "elu",
  selu: "selu",
  softplus: "softplus",
  softsign: "softsign",
  swish: "swish",
  silu: "swish",
  gelu: "gelu",
  mish: "mish",
};

const INITIALIZER_KEYS: Record<string, string[]> = {
  Zeros: [],
  Ones: [],
  Constant: ["value"],
  RandomUniform: ["minval", "maxval", "seed"],
  RandomNormal: ["mean", "stddev", "seed"],
  TruncatedNormal: ["mean", "stddev", "seed"],
  Identity: ["gain"],
  VarianceScaling: ["scale", "mode", "distribution", "seed"],
  GlorotUniform: ["seed"],
  GlorotNormal: ["seed"],
  HeUniform: ["seed"],
  HeNormal: ["seed"],
  LecunUniform: ["seed"],
  LecunNormal: ["seed"],
  Orthogonal: ["gain", "seed"],
};
const INITIALIZER_RENAMES: Record<string, string> = { LecunUniform: "LeCunUniform", LecunNormal: "LeCunNormal" };

const CONSTRAINT_KEYS: Record<string, string[]> = {
  MaxNorm: ["max_value", "axis"],
  UnitNorm: ["axis"],
  NonNeg: [],
  MinMaxNorm: ["min_value", "max_value", "rate", "axis"],
};

interface Ctx {
  layerName: string;
  className: string;
}

function fail(ctx: Ctx, what: string): never {
  throw new TfjsExportError(
    `Cannot export layer '${ctx.layerName}' (${ctx.className}) to the TensorFlow.js layers format: ${what}`,
  );
}

function convertActivation(value: unknown, ctx: Ctx): unknown {
  if (value === null || value === undefined) return "linear";
  if (typeof value === "string" && ACTIVATIONS[value]) return ACTIVATIONS[value];
  fail(ctx, `tfjs-layers has no activation ${JSON.stringify(typeof value === "string" ? value : (value as { config?: unknown }).config ?? value)}.`);
}

function pick(config: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of keys) if (k in config) out[k] = config[k];
  return out;
}

function convertInitializer(value: unknown, ctx: Ctx, key: string): unknown {
  if (value === null || value === undefined) return null;
  const cls = isSerializedObject(value) ? value.class_name : typeof value === "string" ? value : null;
  const cfg = isSerializedObject(value) && isPlainObject(value.config) ? value.config : {};
  if (cls && INITIALIZER_KEYS[cls]) {
    return { class_name: INITIALIZER_RENAMES[cls] ?? cls, config: pick(cfg, INITIALIZER_KEYS[cls]) };
  }
  // The exported weights replace the initial values: an initializer tfjs lacks is only used to build.
  void ctx;
  void key;
  return { class_name: "Zeros", config: {} };
}

function convertRegularizer(value: unknown, ctx: Ctx, key: string): unknown {
  if (value === null || value === undefined) return null;
  if (!isSerializedObject(value)) fail(ctx, `unsupported \`${key}\` ${JSON.stringify(value)}.`);
  const c = isPlainObject(value.config) ? value.config : {};
  const l1 = typeof c.l1 === "number" ? c.l1 : 0;
  const l2 = typeof c.l2 === "number" ? c.l2 : 0;
  if (value.class_name === "L1" || value.class_name === "L2" || value.class_name === "L1L2") {
    return { class_name: "L1L2", config: { l1, l2 } };
  }
  fail(ctx, `tfjs-layers has no regularizer ${value.class_name} (\`${key}\`).`);
}

function convertConstraint(value: unknown, ctx: Ctx, key: string): unknown {
  if (value === null || value === undefined) return null;
  if (isSerializedObject(value) && CONSTRAINT_KEYS[value.class_name]) {
    return { class_name: value.class_name, config: pick(isPlainObject(value.config) ? value.config : {}, CONSTRAINT_KEYS[value.class_name]) };
  }
  fail(ctx, `tfjs-layers has no constraint ${isSerializedObject(value) ? value.class_name : JSON.stringify(value)} (\`${key}\`).`);
}

function dtypeName(value: unknown, ctx: Ctx): string {
  const name = typeof value === "string" ? value : isSerializedObject(value) && isPlainObject(value.config) ? String(value.config.name) : "float32";
  if (name !== "float32" && name !== "int32") fail(ctx, `the dtype policy '${name}' (tfjs-layers computes in float32).`);
  return name;
}

/** The Keras 2 style config of one (non-model) layer, as tfjs-layers reads it. */
function convertLayerConfig(layer: Layer): { class_name: string; config: Record<string, unknown> } {
  const serialized = serializeKerasObject(layer) as { class_name: string; config: Record<string, unknown>; module?: string | null };
  const className = serialized.class_name;
  const ctx: Ctx = { layerName: layer.name, className };
  const keys = LAYER_KEYS[className];
  if (!keys || (serialized.module !== undefined && serialized.module !== null && !serialized.module.startsWith("keras"))) {
    fail(ctx, "tfjs-layers has no such layer class (custom layers cannot be exported).");
  }
  const src = serialized.config;
  const out: Record<string, unknown> = { name: layer.name, trainable: src.trainable ?? true, dtype: dtypeName(src.dtype, ctx) };
  for (const k of keys) {
    if (!(k in src)) continue;
    const v = src[k];
    if (k === "activation" || k === "recurrent_activation") out[k] = convertActivation(v, ctx);
    else if (k.endsWith("_initializer")) out[k] = convertInitializer(v, ctx, k);
    else if (k.endsWith("_regularizer")) out[k] = convertRegularizer(v, ctx, k);
    else if (k.endsWith("_constraint")) out[k] = convertConstraint(v, ctx, k);
    else out[k] = v;
  }
  // Values tfjs-layers cannot represent.
  const must = (cond: boolean, what: string): void => {
    if (!cond) fail(ctx, what);
  };
  if ("groups" in src) must(src.groups === 1 || src.groups === undefined, `grouped convolution (groups=${String(src.groups)}).`);
  if (className.endsWith("Transpose")) must(src.output_padding === null || src.output_padding === undefined, "`output_padding` is set.");
  if (className === "GRU") {
    must(src.reset_after === false, "GRU with reset_after=True (Keras 3's default; tfjs-layers only has reset_after=False).");
  }
  if (className === "LayerNormalization") must(!src.rms_scaling, "rms_scaling=True.");
  if (className.startsWith("Global")) must(!src.keepdims, "keepdims=True.");
  if (className === "ReLU") {
    must(!src.negative_slope && !src.threshold, "ReLU with negative_slope or threshold (tfjs-layers' ReLU has max_value only).");
  }
  if (className === "LeakyReLU") {
    out.alpha = src.negative_slope;
    delete out.negative_slope;
  }
  if (className === "Dense" || className === "Embedding" || className.startsWith("Conv")) {
    must(!src.lora_rank, "LoRA is enabled.");
    must(src.quantization_config === null || src.quantization_config === undefined, "the layer is quantized.");
  }
  if (className === "UpSampling2D") must(src.interpolation === "nearest" || src.interpolation === "bilinear", `interpolation '${String(src.interpolation)}'.`);
  return { class_name: className, config: out };
}

function isModelLayer(l: unknown): l is Sequential | Functional {
  return l instanceof Sequential || l instanceof Functional;
}

function shapeOf(t: KerasTensor): (number | null)[] {
  return [...t.shape];
}

/** A Sequential as tfjs-layers reads it: the layers, the first with `batch_input_shape`. */
function sequentialTopology(model: Sequential): Record<string, unknown> {
  const layers = model.layers.map((l) => layerTopology(l));
  const first = model.allLayers[0];
  const build = model.getBuildConfig()?.input_shape;
  const batchShape = first instanceof InputLayer ? [...first.batchShape] : Array.isArray(build) ? build : null;
  if (layers.length === 0) throw new TfjsExportError(`Cannot export the empty Sequential model '${model.name}'.`);
  if (batchShape === null) throw new TfjsExportError(`Cannot export Sequential model '${model.name}': it is not built (no input shape).`);
  const firstCfg = layers[0].config as Record<string, unknown>;
  firstCfg.batch_input_shape = batchShape;
  // tfjs-layers gives the first layer's dtype to both the input and the layer's weights: keep the layer's
  // (an Embedding fed int32 ids keeps float32 embeddings; it casts its inputs itself).
  return { class_name: "Sequential", config: { name: model.name, layers } };
}

function layerTopology(layer: Layer): { class_name: string; config: Record<string, unknown> } {
  if (layer instanceof Sequential) return sequentialTopology(layer) as { class_name: string; config: Record<string, unknown> };
  if (layer instanceof Functional) {
    if (layer.constructor !== Functional) {
      throw new TfjsExportError(`Cannot export model '${layer.name}' (${layer.constructor.name}): only Sequential and Functional graphs can be exported.`);
    }
    return functionalTopology(layer) as { class_name: string; config: Record<string, unknown> };
  }
  return convertLayerConfig(layer);
}

/** A Functional graph as tfjs-layers reads it (Keras 2 node lists; nested models count their own node 0). */
function functionalTopology(model: Functional): Record<string, unknown> {
  const own = new Set<Node>();
  for (const nodes of model.graphNodesByDepth.values()) for (const n of nodes) own.add(n);
  const nodeIndex = (op: { inboundNodes: Node[] }, node: Node): number => {
    let k = isModelLayer(op) ? 1 : 0;
    for (const n of op.inboundNodes) {
      if (n === node) return k;
      if (own.has(n)) k++;
    }
    throw new TfjsExportError(`Functional '${model.name}': a node of '${String((op as { name?: string }).name)}' is not in the graph.`);
  };
  const ref = (t: KerasTensor): [string, number, number] => {
    const h = t.kerasHistory;
    if (!h) throw new TfjsExportError(`Functional '${model.name}': tensor ${t.name} has no history.`);
    const node = h.operation.inboundNodes[h.nodeIndex];
    return [h.operation.name, nodeIndex(h.operation, node), h.tensorIndex];
  };
  const layers: Record<string, unknown>[] = [];
  for (const op of model.graphOperations) {
    if (!(op instanceof Layer)) {
      throw new TfjsExportError(
        `Cannot export operation '${op.name}' of model '${model.name}' to the TensorFlow.js layers format: ` +
          "tfjs-layers has no such layer (keras.ops calls in a Functional graph cannot be exported).",
      );
    }
    if (op instanceof InputLayer) {
      layers.push({
        class_name: "InputLayer",
        name: op.name,
        config: { batch_input_shape: [...op.batchShape], dtype: dtypeName(op.output.dtype, { layerName: op.name, className: "InputLayer" }), sparse: false, name: op.name },
        inbound_nodes: [],
      });
      continue;
    }
    const topo = layerTopology(op);
    const inbound: unknown[] = [];
    for (const node of op.inboundNodes) {
      if (!own.has(node) || node.isInput) continue;
      const kwargs: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(node.callKwargs)) {
        if (v === null || v === undefined || k === "mask") continue;
        if (v instanceof KerasTensor || (typeof v === "object" && v !== null)) {
          throw new TfjsExportError(`Cannot export the call of layer '${op.name}' with the tensor argument \`${k}\`.`);
        }
        kwargs[k] = v;
      }
      const inputs: KerasTensor[] = [];
      const collect = (x: unknown): void => {
        if (x instanceof KerasTensor) inputs.push(x);
        else if (Array.isArray(x)) x.forEach(collect);
        else if (isPlainObject(x)) Object.keys(x).sort().forEach((key) => collect(x[key]));
      };
      collect(node.callArgs);
      inbound.push(inputs.map((t) => [...ref(t), kwargs]));
    }
    layers.push({ ...topo, name: op.name, inbound_nodes: inbound });
  }
  const flatRefs = (ts: KerasTensor[]): [string, number, number][] => ts.map(ref);
  return {
    class_name: "Functional",
    config: { name: model.name, layers, input_layers: flatRefs(model.inputs), output_layers: flatRefs(model.outputs) },
  };
}

// ------------------------------------------------------------------ weights

function leafLayers(model: Layer, out: Layer[] = [], seen = new Set<Layer>()): Layer[] {
  const children = model instanceof Sequential ? model.layers : model instanceof Functional ? model.layers : null;
  if (!children) {
    if (!seen.has(model)) {
      seen.add(model);
      out.push(model);
    }
    return out;
  }
  for (const l of children) leafLayers(l, out, seen);
  return out;
}

function shortWeightName(v: Variable): string {
  const parts = v.path.split("/");
  return parts[parts.length - 1];
}

function weightEntries(model: Layer): { spec: TfjsWeightSpec; variable: Variable }[] {
  const out: { spec: TfjsWeightSpec; variable: Variable }[] = [];
  const names = new Set<string>();
  for (const layer of leafLayers(model)) {
    if (layer instanceof InputLayer) continue;
    const renames = WEIGHT_RENAMES[layer.className] ?? {};
    for (const v of layer.weights) {
      const short = shortWeightName(v);
      const name = `${layer.name}/${renames[short] ?? short}`;
      if (names.has(name)) throw new TfjsExportError(`Cannot export model '${model.name}': two weights are named '${name}'.`);
      names.add(name);
      const dtype = v.dtype === "int32" ? "int32" : v.dtype === "bool" ? "bool" : "float32";
      out.push({ spec: { name, shape: [...v.shape], dtype }, variable: v });
    }
  }
  return out;
}

/** The bytes of the weights in tfjs's layout: each value little-endian (float32/int32, bool as one byte), concatenated. */
function weightBytes(entries: { spec: TfjsWeightSpec; variable: Variable }[]): Uint8Array {
  const chunks: Uint8Array[] = [];
  for (const { spec, variable } of entries) {
    const data = variable.value.dataSync() as Float32Array | Int32Array | Uint8Array;
    if (spec.dtype === "float32") chunks.push(new Uint8Array(Float32Array.from(data as ArrayLike<number>).buffer));
    else if (spec.dtype === "int32") chunks.push(new Uint8Array(Int32Array.from(data as ArrayLike<number>).buffer));
    else chunks.push(Uint8Array.from(data as ArrayLike<number>, (x) => (x ? 1 : 0)));
  }
  const total = chunks.reduce((a, c) => a + c.length, 0);
  const out = new Uint8Array(total);
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.length;
  }
  return out;
}

/**
 * The TensorFlow.js layers-format artifacts of `model`, in memory:
 * `model.json`'s object and the weight bytes. For a Sequential or
 * Functional model of layers tfjs-layers knows; throws a
 * `TfjsExportError` naming the first layer it cannot express.
 */
export function toTfjsArtifacts(model: Layer, options: { generatedBy?: string } = {}): TfjsArtifacts {
  if (!isModelLayer(model)) {
    throw new TfjsExportError(`Only Sequential and Functional models can be exported to the TensorFlow.js layers format; '${model.name}' is a ${model.className}.`);
  }
  const topology = layerTopology(model);
  const entries = weightEntries(model);
  const weightSpecs = entries.map((e) => e.spec);
  const modelJson: TfjsModelJson = {
    format: "layers-model",
    generatedBy: options.generatedBy ?? "tskeras",
    convertedBy: null,
    modelTopology: { ...topology, keras_version: "tfjs-layers 4.22.0", backend: "tensor_flow.js" },
    weightsManifest: [{ paths: [TFJS_SHARD_NAME], weights: weightSpecs }],
  };
  return { modelJson, weightData: weightBytes(entries), weightSpecs };
}

/**
 * Writes `model` in the TensorFlow.js layers format into the folder `dir`
 * (created if needed): `model.json` and `group1-shard1of1.bin`. Load it with
 * `tf.loadLayersModel("file://dir/model.json")` (tfjs-node) or over HTTP in a browser.
 */
export async function exportTfjs(model: Layer, dir: string): Promise<void> {
  const artifacts = toTfjsArtifacts(model);
  await savingIo.mkdir(dir);
  const json = new TextEncoder().encode(JSON.stringify(artifacts.modelJson));
  await writeFileAtomic(`${dir}/${TFJS_SHARD_NAME}`, artifacts.weightData);
  await writeFileAtomic(`${dir}/model.json`, json);
}
