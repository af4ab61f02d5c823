/**
 * Operation: anything that can sit in a Functional graph — a layer, or a
 * keras.ops function called on KerasTensors (Keras's `ops/operation.py`).
 */
import "../backend/engine.js";
import { tf } from "../backend/tfjs.js";
import { KerasTensor } from "../backend/keras-tensor.js";
import { autoName, snakeToCamel } from "../utils/naming.js";
import { anyLeaf, mapStructure } from "../utils/tree.js";
import { Node } from "./node.js";
import { CALL, CallableObject } from "../utils/callable-object.js";

/** The two sizes that stand in for unknown dimensions when tracing (as Keras's numpy backend does). */
const PROBE_SIZES = [83, 89] as const;

/** True when any leaf of the arguments is a KerasTensor. */
export function anySymbolic(args: unknown): boolean {
  return anyLeaf(args, (x) => x instanceof KerasTensor);
}

/**
 * Computes the output spec of `fn` on symbolic `args` by running it on
 * zero tensors: unknown dimensions become 83 in one run and 89 in another,
 * and output dimensions that differ between the runs are unknown (`null`).
 */
export function traceOutputSpec(fn: (args: unknown[]) => unknown, args: unknown[]): unknown {
  const hasUnknown = anyLeaf(args, (x) => x instanceof KerasTensor && x.shape.some((d) => d === null));
  const run = (probe: number): unknown =>
    tf.tidy(() => {
      const concrete = mapStructure(args, (x) =>
        x instanceof KerasTensor ? tf.zeros(x.shape.map((d) => (d === null ? probe : d)), x.dtype) : x,
      ) as unknown[];
      const out = fn(concrete);
      // Only shapes and dtypes leave the tidy.
      return mapStructure(out, (y) => (y instanceof tf.Tensor ? { shape: y.shape, dtype: y.dtype } : y)) as never;
    });
  const a = run(PROBE_SIZES[0]);
  const b = hasUnknown ? run(PROBE_SIZES[1]) : a;
  const merge = (x: unknown, y: unknown): unknown => {
    if (Array.isArray(x)) return x.map((v, i) => merge(v, (y as unknown[])[i]));
    if (isSpec(x)) {
      const o = y as TraceSpec;
      return new KerasTensor(
        x.shape.map((d, i) => (d === o.shape[i] ? d : null)),
        { dtype: x.dtype as KerasTensor["dtype"] },
      );
    }
    if (x !== null && typeof x === "object") {
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(x)) out[k] = merge((x as Record<string, unknown>)[k], (y as Record<string, unknown>)[k]);
      return out;
    }
    return x;
  };
  return merge(a, b);
}

interface TraceSpec {
  shape: number[];
  dtype: string;
}

function isSpec(x: unknown): x is TraceSpec {
  return typeof x === "object" && x !== null && Array.isArray((x as TraceSpec).shape) && typeof (x as TraceSpec).dtype === "string" && !(x instanceof KerasTensor);
}

/** The base of layers and of the ops that appear in Functional graphs. */
export abstract class Operation extends CallableObject {
  /** Unique name, e.g. `dense_1`. */
  name!: string;
  /** The calls of this operation on symbolic tensors. */
  inboundNodes: Node[] = [];
  /** The calls that consumed this operation's outputs. */
  outboundNodes: Node[] = [];

  constructor(name?: string | null) {
    super();
    this.name = name ?? autoName(this.constructor.name);
  }

  /** What calling the instance as a function does. */
  [CALL](...args: unknown[]): unknown {
    return this.call(...args);
  }

  /** The class name written in configs and summaries, e.g. `"Dense"`. */
  get className(): string {
    return this.constructor.name;
  }

  /** Runs the operation on concrete values. */
  abstract call(...args: unknown[]): unknown;

  /** Runs a call recorded in a graph node on concrete values. */
  callFromNode(args: unknown[], kwargs: Record<string, unknown>): unknown {
    return this.call(...args, ...(Object.keys(kwargs).length ? [kwargs] : []));
  }

  /** The symbolic outputs for symbolic arguments; by default traced on zeros. */
  computeOutputSpec(args: unknown[], kwargs: Record<string, unknown>): unknown {
    return traceOutputSpec((concrete) => this.callFromNode(concrete, kwargs), args);
  }

  /** Records a call on symbolic arguments as a graph node and returns its symbolic outputs. */
  symbolicCall(args: unknown[], kwargs: Record<string, unknown> = {}): unknown {
    const outputs = this.computeOutputSpec(args, kwargs);
    new Node(this, args, kwargs, outputs);
    return outputs;
  }

  /** The serializable configuration (snake_case keys, as Keras writes them). */
  getConfig(): Record<string, unknown> {
    return { name: this.name };
  }
}

/** A keras.ops function wrapped as an Operation, for calls on KerasTensors. */
export class FunctionOperation extends Operation {
  private readonly fn: (...args: unknown[]) => unknown;
  private readonly opClassName: string;

  constructor(opName: string, fn: (...args: unknown[]) => unknown) {
    super(null);
    const camel = snakeToCamel(opName);
    this.opClassName = camel.charAt(0).toUpperCase() + camel.slice(1);
    this.name = autoName(this.opClassName);
    this.fn = fn;
  }

  override get className(): string {
    return this.opClassName;
  }

  call(...args: unknown[]): unknown {
    return this.fn(...args);
  }

  override callFromNode(args: unknown[]): unknown {
    return this.fn(...args);
  }
}

/**
 * Runs an op eagerly, or records it in the Functional graph when any argument
 * is a KerasTensor. Every keras.ops function goes through this.
 */
export function dispatch<R>(opName: string, args: unknown[], eager: (...args: never[]) => R): R {
  if (anySymbolic(args)) {
    return new FunctionOperation(opName, eager as (...a: unknown[]) => unknown).symbolicCall(args) as R;
  }
  return (eager as (...a: unknown[]) => R)(...args);
}
