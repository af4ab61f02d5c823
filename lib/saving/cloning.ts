/**
 * `keras.models.cloneModel` (Keras's `models/cloning.py`): a new model with
 * the same architecture and fresh weights (weights are not copied).
 */
import { KerasTensor } from "../backend/keras-tensor.js";
import { Layer } from "../layers/layer.js";
import { InputLayer } from "../layers/core/input-layer.js";
import { Operation } from "../ops/operation.js";
import type { Node } from "../ops/node.js";
import { Sequential } from "../models/sequential.js";
import { Functional, type TensorStructure } from "../models/functional.js";
import { Model } from "../models/model.js";
import { isPlainObject } from "../utils/tree.js";
import { deserializeKerasObject, serializeKerasObject } from "./serialization-lib.js";

/** A function making the clone of one layer. */
export type CloneFunction = (layer: Layer) => Layer;

/** Options of `cloneModel`. */
export interface CloneModelOptions {
  /**
   * Makes the new layer for each layer of the model (Keras's
   * `clone_function`). Default: a new layer of the same class from the
   * layer's config (`cls.fromConfig(layer.getConfig())`), so with new weights.
   * Return the layer itself to share it.
   */
  cloneFunction?: CloneFunction;
  /**
   * Clone nested Sequential and Functional models layer by layer with
   * `cloneFunction` too, instead of passing them to `cloneFunction` whole. Default false.
   */
  recursive?: boolean;
  /**
   * Functional and Sequential models: the KerasTensors to build the clone
   * on, in the structure of `model.inputs` (default: new `keras.Input`s like the model's).
   */
  inputTensors?: TensorStructure | null;
}

/** The default clone: the same class rebuilt from its config (models through their full serialized form). */
export function cloneLayer(layer: Layer): Layer {
  if (layer instanceof Model) {
    return deserializeKerasObject(serializeKerasObject(layer), {}, { compile: false }) as Layer;
  }
  const cls = layer.constructor as unknown as { fromConfig(config: Record<string, unknown>): Layer };
  return cls.fromConfig(layer.getConfig());
}

function isGraphModel(x: unknown): x is Sequential | Functional {
  return x instanceof Sequential || (x instanceof Functional && x.constructor === Functional);
}

function wrapCloneFunction(options: CloneModelOptions): CloneFunction {
  const fn = options.cloneFunction ?? cloneLayer;
  if (!options.recursive) return fn;
  return (layer) => (isGraphModel(layer) ? cloneModel(layer, options) : fn(layer));
}

function checkClone(out: unknown, layer: Layer): Layer {
  if (!(out instanceof Layer)) {
    throw new TypeError(`cloneModel: \`cloneFunction\` must return a layer. For layer '${layer.name}' it returned ${String(out)}.`);
  }
  return out;
}

function newInputFor(t: KerasTensor): KerasTensor {
  const layer = t.kerasHistory?.operation;
  const name = layer instanceof InputLayer ? layer.name : undefined;
  const optional = layer instanceof InputLayer ? layer.optional : undefined;
  return new InputLayer({ batchShape: [...t.shape], dtype: t.dtype, name, optional }).output;
}

function cloneSequential(model: Sequential, options: CloneModelOptions): Sequential {
  const fn = wrapCloneFunction(options);
  const newLayers = model.layers.map((l) => checkClone(fn(l), l));
  const first = model.allLayers[0];
  let input: KerasTensor | null = null;
  if (options.inputTensors) {
    const given = Array.isArray(options.inputTensors) ? options.inputTensors[0] : options.inputTensors;
    if (!(given instanceof KerasTensor)) throw new TypeError("cloneModel: `inputTensors` of a Sequential model must be one KerasTensor.");
    input = given;
  } else if (first instanceof InputLayer) {
    input = new InputLayer({ batchShape: [...first.batchShape], dtype: first.output.dtype, name: first.name }).output;
  }
  const layers: (Layer | KerasTensor)[] = input ? [input, ...newLayers] : newLayers;
  const clone = new Sequential(layers as Layer[], { name: model.name, trainable: model.trainable });
  if (!input && model.built) {
    const build = model.getBuildConfig();
    if (build?.input_shape) clone.build(build.input_shape);
  }
  return clone;
}

function cloneFunctional(model: Functional, options: CloneModelOptions): Functional {
  const fn = wrapCloneFunction(options);
  const values = new Map<KerasTensor, KerasTensor>();
  let given: KerasTensor[] | null = null;
  if (options.inputTensors) {
    const flat: KerasTensor[] = [];
    const collect = (s: unknown): void => {
      if (s instanceof KerasTensor) flat.push(s);
      else if (Array.isArray(s)) s.forEach(collect);
      else if (isPlainObject(s)) Object.keys(s).sort().forEach((k) => collect(s[k]));
    };
    collect(options.inputTensors);
    if (flat.length !== model.inputs.length) {
      throw new Error(`cloneModel: \`inputTensors\` has ${flat.length} tensors; model '${model.name}' has ${model.inputs.length} inputs.`);
    }
    given = flat;
  }
  model.inputs.forEach((t, i) => values.set(t, given ? given[i] : newInputFor(t)));
  const clones = new Map<Operation, Operation>();
  const cloneOf = (op: Operation): Operation => {
    let c = clones.get(op);
    if (!c) {
      c = op instanceof Layer ? checkClone(fn(op), op) : op;
      clones.set(op, c);
    }
    return c;
  };
  const sub = (x: unknown): unknown => {
    if (x instanceof KerasTensor) {
      const v = values.get(x);
      if (!v) throw new Error(`cloneModel: no value for tensor ${x.name} of model '${model.name}'.`);
      return v;
    }
    if (Array.isArray(x)) return x.map(sub);
    if (isPlainObject(x)) {
      const o: Record<string, unknown> = {};
      for (const k of Object.keys(x)) o[k] = sub(x[k]);
      return o;
    }
    return x;
  };
  const byDepth = model.graphNodesByDepth;
  const depths = [...byDepth.keys()].sort((a, b) => b - a);
  for (const depth of depths) {
    for (const node of byDepth.get(depth) as Node[]) {
      if (node.isInput) continue;
      if (node.outputTensors.every((t) => values.has(t))) continue;
      const op = cloneOf(node.operation);
      const args = node.callArgs.map(sub);
      const kwargs = sub(node.callKwargs) as Record<string, unknown>;
      let out: unknown;
      if (op instanceof Layer) out = args.length > 1 ? op.callFromNode(args, kwargs) : op.apply(args[0] as Parameters<Layer["apply"]>[0], kwargs);
      else out = op.symbolicCall(args, kwargs);
      const flatOut: KerasTensor[] = [];
      const collect = (s: unknown): void => {
        if (s instanceof KerasTensor) flatOut.push(s);
        else if (Array.isArray(s)) s.forEach(collect);
        else if (isPlainObject(s)) Object.keys(s).sort().forEach((k) => collect(s[k]));
      };
      collect(out);
      node.outputTensors.forEach((t, i) => values.set(t, flatOut[i]));
    }
  }
  const mapStructure = (s: TensorStructure): TensorStructure => sub(s) as TensorStructure;
  const inputs = given ? (options.inputTensors as TensorStructure) : mapStructure(model.inputSpecStructure);
  const outputs = mapStructure(model.outputSpecStructure);
  return new Functional({ inputs, outputs, name: model.name, trainable: model.trainable });
}

/**
 * Clones a model: a new model with the same architecture and new weights
 * (Keras's `keras.models.clone_model`). Sequential and Functional models are
 * rebuilt layer by layer with `cloneFunction` (default: each layer
 * re-created from its config); other models are re-created from their
 * config. The clone is not compiled.
 *
 * ```ts
 * const copy = keras.models.cloneModel(model);
 * copy.setWeights(model.getWeights()); // to copy the weights as well
 * ```
 */
export function cloneModel<M extends Layer>(model: M, options: CloneModelOptions = {}): M {
  if (model instanceof Sequential) return cloneSequential(model, options) as unknown as M;
  if (model instanceof Functional && model.constructor === Functional) return cloneFunctional(model, options) as unknown as M;
  if (!(model instanceof Layer)) throw new TypeError(`cloneModel expects a model; received ${String(model)}.`);
  const fn = options.cloneFunction ?? cloneLayer;
  return checkClone(fn(model), model) as M;
}
