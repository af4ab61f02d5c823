/**
 * What ops accept as tensors, and how it becomes a tfjs tensor.
 */
import "../backend/engine.js";
import { tf, type Tensor } from "../backend/tfjs.js";
import { Variable } from "../backend/variable.js";
import { KerasTensor } from "../backend/keras-tensor.js";
import { type DType, type DTypeLike, type PromotionInput, standardizeDtype } from "../backend/dtypes.js";

/** Nested arrays of numbers or booleans, any depth. */
export type NestedArray = number | boolean | NestedArray[] | readonly NestedArray[];
/** Nested arrays of strings, any depth (they become string tensors, as text inputs of TextVectorization or StringLookup). */
export type NestedStringArray = string | NestedStringArray[] | readonly NestedStringArray[];
/** Typed arrays accepted as tensor data. */
export type TypedArray = Float32Array | Int32Array | Uint8Array | Float64Array | Int8Array | Int16Array | Uint16Array | Uint32Array;
/** Anything that converts to a tensor: a tensor, a Variable, a number, nested arrays, a typed array. */
export type TensorLike = Tensor | Variable | number | boolean | NestedArray | TypedArray | NestedStringArray;
/** An op argument: a concrete tensor-like or a symbolic KerasTensor. */
export type OpInput = TensorLike | KerasTensor;

/**
 * The result type of an op given the union of its tensor arguments' types:
 * `KerasTensor` when an argument is symbolic (numbers and arrays beside it
 * are fine), `Tensor` when none is, and either when a concrete tensor and a
 * KerasTensor are both possible.
 */
export type OpResult<T> = [Extract<T, KerasTensor>] extends [never]
  ? Tensor
  : [Extract<T, Tensor | Variable>] extends [never]
    ? KerasTensor
    : Tensor | KerasTensor;

/** True for tfjs tensors (including tf.Variable). */
export function isTensor(x: unknown): x is Tensor {
  return x instanceof tf.Tensor;
}

function inferNestedShape(x: unknown): number[] {
  const shape: number[] = [];
  let cur: unknown = x;
  while (Array.isArray(cur)) {
    shape.push(cur.length);
    cur = cur[0];
  }
  return shape;
}

function allIntegers(flat: ArrayLike<number>): boolean {
  for (let i = 0; i < flat.length; i++) if (!Number.isInteger(flat[i])) return false;
  return true;
}

/**
 * Converts `x` to a tfjs tensor. Tensors are returned as they are (cast when
 * `dtype` differs); Variables give their value; JS numbers and arrays of
 * integers become int32 like Python ints in Keras, other numbers float32,
 * booleans bool. Typed arrays keep their kind (Float32Array → float32,
 * integer arrays → int32).
 *
 * A tensor created here is owned by the caller (or the enclosing `tf.tidy`).
 */
export function convertToTensor(x: TensorLike, dtype?: DTypeLike | null): Tensor {
  const want = dtype == null ? undefined : standardizeDtype(dtype);
  if (x instanceof tf.Tensor) {
    return want !== undefined && x.dtype !== want ? tf.cast(x, want) : x;
  }
  if (x instanceof Variable) {
    const v = x.value;
    return want !== undefined && v.dtype !== want ? tf.cast(v, want) : v;
  }
  if (x instanceof KerasTensor) {
    throw new TypeError(
      `A symbolic KerasTensor (${x.name}) cannot be used as a concrete value. ` +
        "KerasTensors stand for inputs of a Functional model: use them to build a keras.Model, " +
        "then call the model on real data.",
    );
  }
  if (typeof x === "number") {
    return tf.scalar(x, want ?? (Number.isInteger(x) ? "int32" : "float32"));
  }
  if (typeof x === "boolean") {
    return tf.scalar(x, want ?? "bool");
  }
  if (typeof x === "string") {
    if (want !== undefined && want !== "string") throw new TypeError(`Cannot convert the string ${JSON.stringify(x)} to a ${want} tensor.`);
    return tf.scalar(x, "string");
  }
  if (ArrayBuffer.isView(x)) {
    const t = x as TypedArray;
    const inferred: DType = t instanceof Float32Array || t instanceof Float64Array ? "float32" : "int32";
    const data = t instanceof Float64Array ? Float32Array.from(t) : t;
    return tf.tensor(data as Float32Array | Int32Array | Uint8Array, [t.length], want ?? inferred);
  }
  if (Array.isArray(x)) {
    const shape = inferNestedShape(x);
    const flat = (x as unknown[]).flat(Infinity) as (number | boolean | string)[];
    const expected = shape.reduce((a, b) => a * b, 1);
    if (flat.length !== expected) {
      throw new Error(
        `Cannot convert a ragged nested array to a tensor: its first elements give the shape [${shape}] ` +
          `(${expected} values) but it holds ${flat.length} values.`,
      );
    }
    if (flat.some((v) => typeof v === "string")) {
      const bad = flat.find((v) => typeof v !== "string");
      if (bad !== undefined) throw new TypeError(`Cannot convert a nested array that mixes strings and ${typeof bad}s to a tensor.`);
      if (want !== undefined && want !== "string") throw new TypeError(`Cannot convert a nested array of strings to a ${want} tensor.`);
      return tf.tensor(flat as unknown as string[], shape, "string");
    }
    let inferred: DType;
    if (flat.length > 0 && typeof flat[0] === "boolean") inferred = "bool";
    else inferred = allIntegers(flat as number[]) && flat.length > 0 ? "int32" : "float32";
    return tf.tensor(flat as number[], shape, want ?? inferred);
  }
  throw new TypeError(`Cannot convert ${describe(x)} to a tensor.`);
}

/** Converts to a float tensor (floatx) unless it already is float. */
export function convertToFloatTensor(x: TensorLike): Tensor {
  const t = convertToTensor(x);
  if (t.dtype === "float32" || t.dtype === "complex64") return t;
  const c = tf.cast(t, "float32");
  if (t !== x && !(x instanceof Variable)) t.dispose();
  return c;
}

/** The promotion class of an op argument: JS numbers are weakly typed. */
export function dtypeForPromotion(x: TensorLike | KerasTensor): PromotionInput {
  if (typeof x === "number") return Number.isInteger(x) ? "weak_int" : "weak_float";
  if (typeof x === "boolean") return "bool";
  if (x instanceof tf.Tensor) return x.dtype as DType;
  if (x instanceof Variable) return x.dtype;
  if (x instanceof KerasTensor) return x.dtype;
  if (ArrayBuffer.isView(x)) return x instanceof Float32Array || x instanceof Float64Array ? "float32" : "int32";
  if (Array.isArray(x)) {
    const flat = (x as unknown[]).flat(Infinity);
    if (flat.length > 0 && typeof flat[0] === "boolean") return "bool";
    return allIntegers(flat as number[]) && flat.length > 0 ? "int32" : "float32";
  }
  return "float32";
}

/** The shape of anything tensor-like, without converting it. */
export function shapeOf(x: TensorLike | KerasTensor): (number | null)[] {
  if (x instanceof tf.Tensor || x instanceof Variable || x instanceof KerasTensor) return [...x.shape];
  if (typeof x === "number" || typeof x === "boolean") return [];
  if (ArrayBuffer.isView(x)) return [(x as TypedArray).length];
  return inferNestedShape(x);
}

/** A short description of a value for error messages. */
export function describe(x: unknown): string {
  if (x === null) return "null";
  if (x === undefined) return "undefined";
  if (x instanceof tf.Tensor) return `a tensor of shape [${x.shape}] and dtype ${x.dtype}`;
  if (x instanceof KerasTensor) return `a KerasTensor of shape ${JSON.stringify(x.shape)} and dtype ${x.dtype}`;
  if (Array.isArray(x)) return `an array of length ${x.length}`;
  if (typeof x === "object") return `an object of type ${(x as object).constructor?.name ?? "Object"}`;
  return `${typeof x} ${String(x)}`;
}
