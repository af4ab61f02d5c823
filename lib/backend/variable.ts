/**
 * Variable: Keras's KerasVariable on a tfjs `tf.Variable`. It has Keras's
 * `name` and `path` (e.g. `dense/kernel`), `trainable`, `assign`, and reads
 * back with `numpy()`. Ops accept a Variable wherever they accept a tensor.
 */
import { tf, type Tensor } from "./tfjs.js";
import type { DType } from "./dtypes.js";
import { currentNameScope } from "./name-scope.js";

/** Options of the Variable constructor. */
export interface VariableOptions {
  /** Keras's short name, e.g. `kernel`. Default `"variable"`. */
  name?: string;
  /** Whether gradients update it. Default true. */
  trainable?: boolean;
  /** Storage dtype. Default: the initial value's dtype. */
  dtype?: DType;
  /** Applied after each optimizer update (`v.assign(constraint(v))`). */
  constraint?: ((x: Tensor) => Tensor) | null;
  /** Keras's aggregation mode (kept for configs). Default `"none"`. */
  aggregation?: "none" | "mean" | "sum" | "only_first_replica";
  /** Keras's synchronization mode (kept for configs). Default `"auto"`. */
  synchronization?: "none" | "on_write" | "on_read" | "auto";
}

/** A tensor whose value changes: a layer's weight or an optimizer's state. */
export class Variable {
  /** Short name, e.g. `kernel`. */
  readonly name: string;
  /** Full path, e.g. `dense/kernel` (name scopes at creation joined with `/`). */
  readonly path: string;
  /** Whether gradients update it. */
  trainable: boolean;
  constraint: ((x: Tensor) => Tensor) | null;
  readonly aggregation: string;
  readonly synchronization: string;
  /** Set when the owning layer has a regularizer for this weight. */
  regularizer: ((x: Tensor) => Tensor) | null = null;
  private tfVar: tf.Variable;

  constructor(initialValue: Tensor, options: VariableOptions = {}) {
    this.name = options.name ?? "variable";
    const scope = currentNameScope();
    this.path = scope ? `${scope}/${this.name}` : this.name;
    this.trainable = options.trainable ?? true;
    this.constraint = options.constraint ?? null;
    this.aggregation = options.aggregation ?? "none";
    this.synchronization = options.synchronization ?? "auto";
    const dtype = options.dtype ?? (initialValue.dtype as DType);
    this.tfVar = tf.variable(initialValue, this.trainable, undefined, dtype);
  }

  /** The current value as a tfjs tensor (the underlying `tf.Variable`). */
  get value(): tf.Variable {
    return this.tfVar;
  }

  get shape(): number[] {
    return this.tfVar.shape;
  }

  get dtype(): DType {
    return this.tfVar.dtype as DType;
  }

  get ndim(): number {
    return this.tfVar.rank;
  }

  /** Number of scalars it holds. */
  get size(): number {
    return this.tfVar.size;
  }

  /** Replaces the value; the shape must not change. */
  assign(value: Tensor | number | number[] | ArrayLike<number>): void {
    const v = value instanceof tf.Tensor ? value : tf.tensor(value as number[], this.shape, this.dtype);
    if (!tf.util.arraysEqual(v.shape, this.shape)) {
      if (v !== value) v.dispose();
      throw new Error(
        `The shape of the target variable and the shape of the target value in \`variable.assign(value)\` ` +
          `must match. variable.shape=[${this.shape}], Received: value.shape=[${v.shape}]. Target variable: ${this.path}`,
      );
    }
    if (v.dtype !== this.dtype) {
      const c = tf.cast(v, this.dtype);
      this.tfVar.assign(c);
      c.dispose();
    } else {
      this.tfVar.assign(v);
    }
    if (v !== value) v.dispose();
  }

  /** `v.assign(v + delta)`. */
  assignAdd(delta: Tensor | number): void {
    const r = tf.tidy(() => tf.add(this.tfVar, delta));
    this.tfVar.assign(r);
    r.dispose();
  }

  /** `v.assign(v - delta)`. */
  assignSub(delta: Tensor | number): void {
    const r = tf.tidy(() => tf.sub(this.tfVar, delta));
    this.tfVar.assign(r);
    r.dispose();
  }

  /** The value as nested JS arrays. */
  async numpy(): Promise<unknown> {
    return this.tfVar.array();
  }

  /** The value as nested JS arrays, read synchronously. */
  numpySync(): unknown {
    return this.tfVar.arraySync();
  }

  /** Frees the memory behind the variable; it cannot be used afterwards. */
  dispose(): void {
    this.tfVar.dispose();
  }

  get isDisposed(): boolean {
    return this.tfVar.isDisposed;
  }

  toString(): string {
    return `<Variable path=${this.path}, shape=(${this.shape.join(", ")}${this.shape.length === 1 ? "," : ""}), dtype=${this.dtype}>`;
  }

  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.toString();
  }
}

/** True when `x` is a tskeras Variable. */
export function isVariable(x: unknown): x is Variable {
  return x instanceof Variable;
}
