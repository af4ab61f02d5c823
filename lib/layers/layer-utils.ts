/**
 * Small helpers shared by the built-in layers: narrowing call inputs and
 * build shapes, axis handling, and `null`-aware serialization of the
 * initializers / regularizers / constraints that configs hold.
 */
import { tf, type Tensor } from "../backend/tfjs.js";
import { formatShape, type Shape } from "../backend/keras-tensor.js";
import * as initializers from "../initializers/index.js";
import * as regularizers from "../regularizers/index.js";
import * as constraints from "../constraints/index.js";
import type { Initializer } from "../initializers/initializer.js";
import type { Regularizer } from "../regularizers/regularizer.js";
import type { Constraint } from "../constraints/constraint.js";
import type { SerializedObject } from "../saving/serialized.js";

/** The serialized dict of an initializer, as Keras writes it in configs. */
export function serializeInitializer(init: Initializer): SerializedObject {
  return initializers.serialize(init);
}

/** The serialized dict of a regularizer, or `null` when there is none. */
export function serializeRegularizer(reg: Regularizer | null): SerializedObject | null {
  return reg ? regularizers.serialize(reg) : null;
}

/** The serialized dict of a constraint, or `null` when there is none. */
export function serializeConstraint(c: Constraint | null): SerializedObject | null {
  return c ? constraints.serialize(c) : null;
}

/** The one tensor a single-input layer was called with. */
export function singleTensor(inputs: unknown, layerName: string): Tensor {
  if (inputs instanceof tf.Tensor) return inputs;
  if (Array.isArray(inputs) && inputs.length === 1 && inputs[0] instanceof tf.Tensor) return inputs[0];
  throw new Error(`Layer "${layerName}" expects a single tensor input. Received: ${describeInput(inputs)}`);
}

/** The tensors a multi-input layer (merge layers) was called with. */
export function tensorList(inputs: unknown, layerName: string): Tensor[] {
  if (Array.isArray(inputs) && inputs.every((x) => x instanceof tf.Tensor)) return inputs as Tensor[];
  throw new Error(`Layer "${layerName}" should be called on a list of inputs. Received: ${describeInput(inputs)}`);
}

function describeInput(x: unknown): string {
  if (x instanceof tf.Tensor) return `a tensor of shape ${formatShape(x.shape)}`;
  if (Array.isArray(x)) return `a list of ${x.length} element(s)`;
  if (x === null || x === undefined) return String(x);
  return typeof x === "object" ? (x.constructor?.name ?? "object") : typeof x;
}

/** True for a shape: an array of numbers and nulls. */
export function isShapeLike(x: unknown): x is Shape {
  return Array.isArray(x) && x.every((d) => d === null || typeof d === "number");
}

/** The single shape a single-input layer is built with (unwraps a list of one shape). */
export function singleShape(inputShape: unknown, layerName: string): Shape {
  if (isShapeLike(inputShape)) return [...inputShape];
  if (Array.isArray(inputShape) && inputShape.length === 1 && isShapeLike(inputShape[0])) return [...inputShape[0]];
  throw new Error(`Layer "${layerName}" expects a single input shape. Received: input_shape=${JSON.stringify(inputShape)}`);
}

/** The list of shapes a multi-input layer is built with. */
export function shapeList(inputShape: unknown, layerName: string): Shape[] {
  if (Array.isArray(inputShape) && inputShape.length > 0 && inputShape.every(isShapeLike)) {
    return inputShape.map((s) => [...(s as Shape)]);
  }
  throw new Error(
    `Layer "${layerName}" should be called on a list of inputs. Received: input_shape=${JSON.stringify(inputShape)} (not a list of shapes)`,
  );
}

/** A possibly negative axis as an index in `[0, rank)`; throws naming the layer when out of range. */
export function canonicalAxis(axis: number, rank: number, layerName: string): number {
  if (!Number.isInteger(axis) || axis < -rank || axis >= rank) {
    throw new Error(`Layer "${layerName}": axis ${axis} is out of bounds for an input of rank ${rank}.`);
  }
  return axis < 0 ? axis + rank : axis;
}

/** The product of known sizes. */
export function prod(xs: readonly number[]): number {
  let p = 1;
  for (const x of xs) p *= x;
  return p;
}

/** Casts a tensor to float32 unless it is already floating point. */
export function toFloat(x: Tensor): Tensor {
  return x.dtype === "float32" ? x : tf.cast(x, "float32");
}
