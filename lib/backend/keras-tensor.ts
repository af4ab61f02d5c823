/**
 * KerasTensor: the symbolic tensor of the Functional API. It has a shape (with
 * `null` for unknown dimensions) and a dtype but no values; `kerasHistory`
 * records the operation call that produced it.
 */
import { uniquify } from "../utils/naming.js";
import type { DType } from "./dtypes.js";

/** A shape with `null` for dimensions unknown until run time (like the batch size). */
export type Shape = (number | null)[];

/** Where a KerasTensor came from: the operation, which of its calls, which output. */
export interface KerasHistory {
  /** The operation (layer or op) whose call produced the tensor. */
  operation: import("../ops/operation.js").Operation;
  /** Index of that call among the operation's inbound nodes. */
  nodeIndex: number;
  /** Index of the tensor among the call's flat outputs. */
  tensorIndex: number;
}

/** Options of the KerasTensor constructor. */
export interface KerasTensorOptions {
  dtype?: DType;
  name?: string;
  sparse?: boolean;
  record?: boolean;
}

/** A symbolic tensor: shape and dtype, no values. */
export class KerasTensor {
  /** The shape, with `null` for unknown dimensions. */
  readonly shape: Shape;
  /** The dtype, e.g. `"float32"`. */
  readonly dtype: DType;
  /** A unique name, `keras_tensor`, `keras_tensor_1`, ... */
  readonly name: string;
  readonly sparse: boolean;
  /** The call that produced this tensor, when it came out of one. */
  kerasHistory?: KerasHistory;
  /** The symbolic mask, when the producing layer computes one. */
  kerasMask?: KerasTensor | null;

  constructor(shape: Shape, options: KerasTensorOptions = {}) {
    this.shape = shape.map((d) => (d === undefined ? null : d));
    this.dtype = options.dtype ?? "float32";
    this.name = options.name ?? uniquify("keras_tensor");
    this.sparse = options.sparse ?? false;
  }

  /** Number of dimensions. */
  get ndim(): number {
    return this.shape.length;
  }

  /** Same as `ndim`, named like tfjs tensors. */
  get rank(): number {
    return this.shape.length;
  }

  toString(): string {
    return `<KerasTensor shape=${formatShape(this.shape)}, dtype=${this.dtype}, sparse=${this.sparse}, name=${this.name}>`;
  }

  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.toString();
  }
}

/** True when `x` is a KerasTensor (a symbolic tensor of the Functional API). */
export function isKerasTensor(x: unknown): x is KerasTensor {
  return x instanceof KerasTensor;
}

/** Python's tuple repr of a shape: `(None, 32)`, `(3,)`, `()`. */
export function formatShape(shape: readonly (number | null)[]): string {
  const parts = shape.map((d) => (d === null ? "None" : String(d)));
  if (parts.length === 1) return `(${parts[0]},)`;
  return `(${parts.join(", ")})`;
}
