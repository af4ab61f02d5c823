/**
 * Node: one call of an operation on symbolic tensors, the edge list of the
 * Functional graph (Keras's `ops/node.py`).
 */
import { KerasTensor } from "../backend/keras-tensor.js";
import { flatten } from "../utils/tree.js";
import type { Operation } from "./operation.js";

/** One call of `operation` on KerasTensors. */
export class Node {
  readonly operation: Operation;
  /** Positional arguments of the call, KerasTensors included. */
  readonly callArgs: unknown[];
  /** Keyword arguments of the call (e.g. `{ training: true }`). */
  readonly callKwargs: Record<string, unknown>;
  /** The outputs, in the structure the operation returned. */
  readonly outputs: unknown;
  /** The KerasTensors among the arguments, flattened. */
  readonly inputTensors: KerasTensor[];
  /** The output KerasTensors, flattened. */
  readonly outputTensors: KerasTensor[];

  constructor(operation: Operation, callArgs: unknown[], callKwargs: Record<string, unknown>, outputs: unknown) {
    this.operation = operation;
    this.callArgs = callArgs;
    this.callKwargs = callKwargs;
    this.outputs = outputs;
    this.inputTensors = flatten([callArgs, callKwargs]).filter((x): x is KerasTensor => x instanceof KerasTensor);
    this.outputTensors = flatten(outputs).filter((x): x is KerasTensor => x instanceof KerasTensor);
    operation.inboundNodes.push(this);
    for (const t of this.inputTensors) t.kerasHistory?.operation.outboundNodes.push(this);
    const nodeIndex = operation.inboundNodes.length - 1;
    this.outputTensors.forEach((t, tensorIndex) => {
      t.kerasHistory = { operation, nodeIndex, tensorIndex };
    });
  }

  /** The nodes that produced this node's inputs. */
  get parentNodes(): Node[] {
    const out: Node[] = [];
    for (const t of this.inputTensors) {
      const h = t.kerasHistory;
      if (h) {
        const n = h.operation.inboundNodes[h.nodeIndex];
        if (!out.includes(n)) out.push(n);
      }
    }
    return out;
  }

  /** True for the node of an InputLayer: it has no inputs. */
  get isInput(): boolean {
    return this.inputTensors.length === 0;
  }
}
