/**
 * Functional: a model defined by a graph of layers called on KerasTensors
 * (Keras's `models/functional.py` on `ops/function.py`).
 */
import { tf } from "../backend/tfjs.js";
import { KerasTensor, formatShape, type Shape } from "../backend/keras-tensor.js";
import { Variable } from "../backend/variable.js";
import type { Node } from "../ops/node.js";
import type { Operation } from "../ops/operation.js";
import { convertToTensor, describe, type TensorLike } from "../ops/convert.js";
import { flatten, isPlainObject, packSequenceAs } from "../utils/tree.js";
import { Layer, isTensorData, type CallArgs } from "../layers/layer.js";
import { InputLayer } from "../layers/core/input-layer.js";
import { registerBuiltin } from "../saving/object-registration.js";
import { Model, setFunctionalFactory, type ModelArgs } from "./model.js";

/** Inputs or outputs of a Functional model: one KerasTensor, a list, or a dict by name. */
export type TensorStructure = KerasTensor | KerasTensor[] | { [name: string]: KerasTensor };

/** Options of the Functional constructor. */
export interface FunctionalArgs extends ModelArgs {
  inputs: TensorStructure;
  outputs: TensorStructure;
}

interface GraphMap {
  nodesByDepth: Map<number, Node[]>;
  operations: Operation[];
}

/** Orders the graph between `inputs` and `outputs` by depth, like Keras's `map_graph`. */
export function mapGraph(inputs: KerasTensor[], outputs: KerasTensor[]): GraphMap {
  const finished = new Set<Node>();
  const inProgress = new Set<Node>();
  const nodesInDecreasingDepth: Node[] = [];
  const operationIndices = new Map<Operation, number>();
  const visit = (tensor: KerasTensor): void => {
    const h = tensor.kerasHistory;
    if (!h) return;
    const node = h.operation.inboundNodes[h.nodeIndex];
    if (finished.has(node)) return;
    if (inProgress.has(node)) throw new Error(`Tensor ${tensor.name} from operation '${h.operation.name}' is part of a cycle.`);
    if (!operationIndices.has(h.operation)) operationIndices.set(h.operation, operationIndices.size);
    inProgress.add(node);
    if (!node.isInput && !inputs.includes(tensor)) for (const t of node.inputTensors) visit(t);
    finished.add(node);
    inProgress.delete(node);
    nodesInDecreasingDepth.push(node);
  };
  for (const o of outputs) visit(o);

  const nodeDepths = new Map<Node, number>();
  const opDepths = new Map<Operation, number>();
  for (const node of [...nodesInDecreasingDepth].reverse()) {
    let depth = nodeDepths.get(node) ?? 0;
    depth = Math.max(depth, opDepths.get(node.operation) ?? 0);
    opDepths.set(node.operation, depth);
    nodeDepths.set(node, depth);
    for (const parent of node.parentNodes) {
      nodeDepths.set(parent, Math.max(depth + 1, nodeDepths.get(parent) ?? 0));
    }
  }
  for (const input of inputs) {
    const op = input.kerasHistory?.operation;
    if (op && !opDepths.has(op)) {
      opDepths.set(op, 0);
      operationIndices.set(op, -1);
      nodeDepths.set(op.inboundNodes[0], 0);
    }
  }
  const nodesByDepth = new Map<number, Node[]>();
  for (const [node, depth] of nodeDepths) {
    const list = nodesByDepth.get(depth) ?? [];
    list.push(node);
    nodesByDepth.set(depth, list);
  }
  const opsByDepth = new Map<number, Operation[]>();
  for (const [op, depth] of opDepths) {
    const list = opsByDepth.get(depth) ?? [];
    list.push(op);
    opsByDepth.set(depth, list);
  }
  const operations: Operation[] = [];
  for (const depth of [...opsByDepth.keys()].sort((a, b) => b - a)) {
    const ops = opsByDepth.get(depth) as Operation[];
    ops.sort((a, b) => (operationIndices.get(a) ?? 0) - (operationIndices.get(b) ?? 0));
    operations.push(...ops);
  }

  // Every tensor a node needs must come from the inputs.
  const computable = new Set<KerasTensor>(inputs);
  const reached: string[] = [];
  for (const depth of [...nodesByDepth.keys()].sort((a, b) => b - a)) {
    for (const node of nodesByDepth.get(depth) as Node[]) {
      for (const t of node.inputTensors) {
        if (!computable.has(t)) {
          const source = t.kerasHistory?.operation;
          throw new Error(
            `Graph disconnected: cannot find parent for tensor ${t.name} (shape ${formatShape(t.shape)}) ` +
              `at operation '${node.operation.name}'. It comes from '${source?.name ?? "unknown"}', which is not ` +
              `reachable from the model's inputs [${inputs.map((i) => i.name).join(", ")}]. ` +
              `Pass every keras.Input the outputs depend on in \`inputs\`. ` +
              `Operations reached without issue: [${reached.join(", ")}]`,
          );
        }
      }
      reached.push(node.operation.name);
      // An InputLayer that is not among the model's inputs makes nothing computable.
      if (!node.isInput) for (const t of node.outputTensors) computable.add(t);
    }
  }
  const names = operations.map((op) => op.name);
  for (const name of names) {
    const count = names.filter((n) => n === name).length;
    if (count !== 1) {
      throw new Error(`The name "${name}" is used ${count} times in the model. All operation names should be unique.`);
    }
  }
  return { nodesByDepth, operations };
}

function flatKerasTensors(x: TensorStructure, what: string): KerasTensor[] {
  const flat = flatten<unknown>(x);
  for (const t of flat) {
    if (!(t instanceof KerasTensor)) {
      throw new Error(
        `All ${what} of a Functional model must be KerasTensors (made by keras.Input and layers called on them). Received: ${describe(t)}`,
      );
    }
  }
  if (flat.length === 0) throw new Error(`A Functional model needs at least one tensor in \`${what}\`.`);
  return flat as KerasTensor[];
}

/** A model made of a graph of layers: `keras.Model({ inputs, outputs })`. */
export class Functional extends Model {
  /** The input KerasTensors, flat. */
  readonly inputs: KerasTensor[];
  /** The output KerasTensors, flat. */
  readonly outputs: KerasTensor[];
  private readonly inputStructure: TensorStructure;
  private readonly outputStructure: TensorStructure;
  private readonly operations: Operation[];
  private readonly nodesByDepth: Map<number, Node[]>;

  constructor(args: FunctionalArgs) {
    super({ name: args.name ?? null, trainable: args.trainable, dtype: args.dtype });
    this.inputStructure = args.inputs;
    this.outputStructure = args.outputs;
    this.inputs = flatKerasTensors(args.inputs, "inputs");
    this.outputs = flatKerasTensors(args.outputs, "outputs");
    for (const t of this.inputs) {
      const op = t.kerasHistory?.operation;
      if (!(op instanceof InputLayer)) {
        throw new Error(
          `Every input of a Functional model must come from keras.Input. ${t.name} was produced by ` +
            `${op ? `layer '${op.name}'` : "no layer"}.`,
        );
      }
    }
    const outputsOnInputs = this.outputs.some((o) => !this.dependsOnInputs(o));
    if (outputsOnInputs) {
      const bad = this.outputs.filter((o) => !this.dependsOnInputs(o));
      throw new Error(
        `The outputs of a Functional model must be computed from its inputs, but ` +
          `${bad.map((b) => `${b.name} (from '${b.kerasHistory?.operation.name ?? "nowhere"}')`).join(", ")} ` +
          `does not depend on any of the inputs [${this.inputs.map((i) => i.name).join(", ")}]. ` +
          "Build the outputs by calling layers on the keras.Input tensors you pass as `inputs`.",
      );
    }
    const graph = mapGraph(this.inputs, this.outputs);
    this.operations = graph.operations;
    this.nodesByDepth = graph.nodesByDepth;
    this.built = true;
    this.buildShapes = this.inputShapeStructure();
  }

  private dependsOnInputs(t: KerasTensor): boolean {
    const seen = new Set<Node>();
    const visit = (x: KerasTensor): boolean => {
      if (this.inputs.includes(x)) return true;
      const h = x.kerasHistory;
      if (!h) return false;
      const node = h.operation.inboundNodes[h.nodeIndex];
      if (seen.has(node)) return false;
      seen.add(node);
      return node.inputTensors.some(visit);
    };
    return visit(t);
  }

  private inputShapeStructure(): unknown {
    const shapes = this.inputs.map((t) => t.shape);
    if (this.inputStructure instanceof KerasTensor) return shapes[0];
    return shapes;
  }

  /** The layers of the graph in depth order, InputLayers included (as Keras). */
  override get layers(): Layer[] {
    return this.operations.filter((op): op is Layer => op instanceof Layer);
  }

  /** Every operation of the graph (layers and ops), in depth order. */
  get graphOperations(): Operation[] {
    return [...this.operations];
  }

  /** The graph nodes grouped by depth (0 = outputs). */
  get graphNodesByDepth(): Map<number, Node[]> {
    return this.nodesByDepth;
  }

  protected override trackedLayers(): Layer[] {
    return this.layers;
  }

  /** The input structure as given to the constructor. */
  get inputSpecStructure(): TensorStructure {
    return this.inputStructure;
  }

  /** The output structure as given to the constructor. */
  get outputSpecStructure(): TensorStructure {
    return this.outputStructure;
  }

  /** Names of the input layers, in input order. */
  get inputNames(): string[] {
    return this.inputs.map((t) => (t.kerasHistory?.operation as Layer).name);
  }

  /** Names of the layers producing the outputs, in output order. */
  get outputNames(): string[] {
    return this.outputs.map((t) => t.kerasHistory?.operation.name ?? t.name);
  }

  /** Matches the given inputs to the model's inputs (by position, or by name for a dict). */
  private standardizeInputs(inputs: unknown): unknown[] {
    let flat: unknown[];
    if (isPlainObject(inputs) && !(this.inputStructure instanceof KerasTensor)) {
      const byName = inputs;
      if (isPlainObject(this.inputStructure)) {
        // flatten() orders dict inputs by sorted key, like this.inputs.
        flat = Object.keys(this.inputStructure).sort().map((k) => byName[k]);
      } else {
        flat = this.inputNames.map((n) => byName[n]);
      }
    } else if (this.inputs.length === 1) {
      flat = Array.isArray(inputs) && !isTensorData(inputs) && inputs.length === 1 ? [inputs[0]] : [inputs];
    } else {
      flat = Array.isArray(inputs) && !isTensorData(inputs) ? [...inputs] : [inputs];
    }
    if (flat.length !== this.inputs.length) {
      throw new Error(
        `Model "${this.name}" expects ${this.inputs.length} input(s) (${this.inputNames.join(", ")}), ` +
          `but it received ${flat.length}.`,
      );
    }
    flat.forEach((x, i) => {
      const spec = this.inputs[i];
      if (x === undefined || x === null) {
        const layer = spec.kerasHistory?.operation as InputLayer;
        if (layer.optional) return;
        throw new Error(`Model "${this.name}": input "${this.inputNames[i]}" is missing.`);
      }
      const shape = x instanceof tf.Tensor || x instanceof KerasTensor || x instanceof Variable ? x.shape : null;
      if (shape) this.checkInputShape(i, shape);
    });
    return flat;
  }

  private checkInputShape(i: number, shape: readonly (number | null)[]): void {
    const want = this.inputs[i].shape;
    // Like Keras's input specs, the batch dimension is free.
    const ok = want.length === shape.length && want.every((d, j) => j === 0 || d === null || shape[j] === null || d === shape[j]);
    if (!ok) {
      throw new Error(
        `Input ${i} of model "${this.name}" ("${this.inputNames[i]}") is incompatible with the model: ` +
          `expected shape=${formatShape(want)}, found shape=${formatShape(shape as Shape)}.`,
      );
    }
  }

  /** Runs the graph on concrete tensors. */
  override call(inputs: unknown, kwargs: CallArgs = {}): unknown {
    const flat = this.standardizeInputs(inputs).map((x, i) => {
      if (x === undefined || x === null) return null;
      const want = this.inputs[i].dtype;
      if (x instanceof tf.Tensor) return x.dtype === want ? x : tf.cast(x, want);
      const t = convertToTensor(x as TensorLike, want);
      this.checkInputShape(i, t.shape);
      return t;
    });
    return this.runThroughGraph(flat, (op, args, kw) => {
      const merged = op instanceof Layer && kw.training === undefined && kwargs.training != null ? { ...kw, training: kwargs.training } : kw;
      return op.callFromNode(args, merged);
    });
  }

  override computeOutputSpec(args: unknown[], kwargs: Record<string, unknown>): unknown {
    const flat = this.standardizeInputs(args[0]);
    return this.runThroughGraph(flat, (op, a, kw) => op.computeOutputSpec(a, { ...kwargs, ...kw }));
  }

  private runThroughGraph(
    flatInputs: unknown[],
    fn: (op: Operation, args: unknown[], kwargs: Record<string, unknown>) => unknown,
  ): unknown {
    const values = new Map<KerasTensor, unknown>();
    this.inputs.forEach((t, i) => values.set(t, flatInputs[i]));
    const depths = [...this.nodesByDepth.keys()].sort((a, b) => b - a);
    for (const depth of depths) {
      for (const node of this.nodesByDepth.get(depth) as Node[]) {
        if (node.isInput) continue;
        if (node.outputTensors.every((t) => values.has(t))) continue;
        const sub = (x: unknown): unknown => {
          if (x instanceof KerasTensor) {
            if (!values.has(x)) throw new Error(`Functional model "${this.name}": no value for tensor ${x.name}.`);
            return values.get(x);
          }
          if (Array.isArray(x)) return x.map(sub);
          if (isPlainObject(x)) {
            const o: Record<string, unknown> = {};
            for (const k of Object.keys(x)) o[k] = sub(x[k]);
            return o;
          }
          return x;
        };
        const args = node.callArgs.map(sub);
        const kwargs = sub(node.callKwargs) as Record<string, unknown>;
        const out = fn(node.operation, args, kwargs);
        const flatOut = flatten(out);
        node.outputTensors.forEach((t, i) => values.set(t, flatOut[i]));
      }
    }
    const outs = this.outputs.map((t) => values.get(t));
    return packSequenceAs(this.outputStructure, outs);
  }

  override getConfig(): Record<string, unknown> {
    // The graph's own config (layers, inbound nodes) is written by lib/saving.
    return { name: this.name, trainable: this.trainable };
  }
}
registerBuiltin("keras.src.models.functional", Functional);
setFunctionalFactory((args) => new Functional(args));
registerBuiltin("keras", Functional);

