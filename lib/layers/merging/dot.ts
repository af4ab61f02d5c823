/**
 * Dot (Keras's `layers/merging/dot.py`).
 */
import { tf, type Tensor } from "../../backend/tfjs.js";
import { formatShape, type KerasTensor, type Shape } from "../../backend/keras-tensor.js";
import type { TensorLike } from "../../ops/convert.js";
import { normalize } from "../../ops/nn.js";
import { registerBuiltin } from "../../saving/object-registration.js";
import type { CallArgs, LayerOutput } from "../layer.js";
import { shapeList, tensorList, toFloat } from "../layer-utils.js";
import { Merge, type MergeArgs } from "./base-merge.js";

/** Options of Dot. */
export interface DotArgs extends MergeArgs {
  /** The axis (or one axis per input) to take the dot product along (also the first positional argument). */
  axes?: number | readonly [number, number] | readonly number[];
  /** Whether to L2-normalize the inputs along `axes` first, giving cosine proximity. Default false. */
  normalize?: boolean;
}

/**
 * Keras's `batch_dot`: the dot product of `x` and `y` along `axes`, per
 * batch entry. Inputs have rank 2 or more and the same batch size.
 */
export function batchDot(x: Tensor, y: Tensor, axes: readonly [number, number]): Tensor {
  const xShape = x.shape;
  const yShape = y.shape;
  const origX = x.rank;
  const origY = y.rank;
  if (origX < 2 || origY < 2) {
    throw new Error(`Cannot do batch_dot on inputs with rank < 2. Received inputs with shapes ${formatShape(xShape)} and ${formatShape(yShape)}.`);
  }
  if (xShape[0] !== yShape[0]) {
    throw new Error(
      `Cannot do batch_dot on inputs with different batch sizes. Received inputs with shapes ${formatShape(xShape)} and ${formatShape(yShape)}.`,
    );
  }
  let [a0, a1] = axes;
  if (a0 < 0) a0 += origX;
  if (a1 < 0) a1 += origY;
  if (a0 === 0 || a1 === 0) {
    throw new Error(
      "Cannot perform batch_dot over axis 0. If your inputs are not batched, add a dummy batch dimension to your inputs using keras.ops.expand_dims(x, 0)",
    );
  }
  if (xShape[a0] !== yShape[a1]) {
    throw new Error(
      `Cannot do batch_dot on inputs with shapes ${formatShape(xShape)} and ${formatShape(yShape)} with axes=[${a0}, ${a1}]. ` +
        `x.shape[${a0}] != y.shape[${a1}] (${xShape[a0]} != ${yShape[a1]}).`,
    );
  }
  // Contracted axis of x last, of y first after the batch: then a batched matmul.
  const xPerm = [0, ...Array.from({ length: origX }, (_, i) => i).filter((i) => i !== 0 && i !== a0), a0];
  const yPerm = [0, a1, ...Array.from({ length: origY }, (_, i) => i).filter((i) => i !== 0 && i !== a1)];
  const xt = tf.transpose(x, xPerm);
  const yt = tf.transpose(y, yPerm);
  const xMid = xt.shape.slice(1, -1);
  const yTrail = yt.shape.slice(2);
  const b = xShape[0];
  const k = xShape[a0];
  const x3 = tf.reshape(xt, [b, xMid.reduce((p, d) => p * d, 1), k]);
  const y3 = tf.reshape(yt, [b, k, yTrail.reduce((p, d) => p * d, 1)]);
  const out = tf.matMul(x3, y3);
  const outShape = [b, ...xMid, ...yTrail];
  if (outShape.length === 1) outShape.push(1);
  return tf.reshape(out, outShape);
}

/**
 * Computes the dot product of two tensors along `axes`, per batch entry.
 * For inputs `[batch, n]` and `[batch, n]` with `axes: 1` the output is
 * `[batch, 1]`. With `normalize: true` it is the cosine similarity.
 *
 * ```ts
 * layers.Dot(1)([a, b]);
 * ```
 */
export class Dot extends Merge {
  /** The axis, or one per input. */
  readonly axes: number | [number, number];
  /** Whether inputs are L2-normalized first. */
  readonly normalize: boolean;

  /** `new Dot(1)`, `new Dot([1, 2], { normalize: true })` or `new Dot({ axes: 1 })`. */
  constructor(axes: number | readonly number[] | DotArgs, args: DotArgs = {}) {
    const opts: DotArgs =
      typeof axes === "number" || Array.isArray(axes)
        ? { ...args, axes: axes as number | readonly number[] }
        : { ...(axes as DotArgs) };
    const a = opts.axes;
    if (typeof a !== "number") {
      if (!Array.isArray(a)) {
        throw new Error(`Invalid type for argument \`axes\`: it should be a list or an int. Received: axes=${JSON.stringify(a)}`);
      }
      if (a.length !== 2) {
        throw new Error(`Invalid format for argument \`axes\`: it should contain two elements. Received: axes=${JSON.stringify(a)}`);
      }
      if (!a.every((v) => Number.isInteger(v))) {
        throw new Error(`Invalid format for argument \`axes\`: list elements should be integers. Received: axes=${JSON.stringify(a)}`);
      }
    }
    super(opts);
    this.axes = typeof a === "number" ? a : [a[0], a[1]];
    this.normalize = opts.normalize ?? false;
    this.supportsMasking = true;
  }

  private axesFor(rank1: number, rank2: number): [number, number] {
    const mod = (a: number, n: number): number => ((a % n) + n) % n;
    if (typeof this.axes === "number") {
      return this.axes < 0 ? [mod(this.axes, rank1), mod(this.axes, rank2)] : [this.axes, this.axes];
    }
    return [this.axes[0] < 0 ? mod(this.axes[0], rank1) : this.axes[0], this.axes[1] < 0 ? mod(this.axes[1], rank2) : this.axes[1]];
  }

  override build(inputShape: unknown): void {
    const shapes = shapeList(inputShape, this.name);
    if (shapes.length !== 2) {
      throw new Error(
        `A \`Dot\` layer ("${this.name}") should be called on a list of 2 inputs. Received: input_shape=[${shapes.map(formatShape).join(", ")}]`,
      );
    }
    const [s1, s2] = shapes;
    const [a0, a1] = this.axesFor(s1.length, s2.length);
    const d1 = s1[a0] ?? null;
    const d2 = s2[a1] ?? null;
    if (d1 !== d2) {
      throw new Error(
        `Layer "${this.name}" (Dot): Incompatible input shapes: axis values ${String(d1)} (at axis ${a0}) != ${String(d2)} (at axis ${a1}). ` +
          `Full input shapes: ${formatShape(s1)}, ${formatShape(s2)}`,
      );
    }
    this.built = true;
  }

  override call(inputs: unknown, _kwargs?: CallArgs): Tensor {
    return this.mergeFunction(tensorList(inputs, this.name));
  }

  protected override mergeFunction(inputs: Tensor[]): Tensor {
    if (inputs.length !== 2) {
      throw new Error(`A \`Dot\` layer ("${this.name}") should be called on exactly 2 inputs. Received: ${inputs.length} inputs`);
    }
    let [x1, x2] = inputs.map(toFloat);
    const axes = this.axesFor(x1.rank, x2.rank);
    if (this.normalize) {
      x1 = normalize(x1, axes[0]);
      x2 = normalize(x2, axes[1]);
    }
    return batchDot(x1, x2, axes);
  }

  override computeOutputShape(inputShape: unknown): Shape {
    const shapes = shapeList(inputShape, this.name);
    if (shapes.length !== 2) {
      throw new Error(`A \`Dot\` layer ("${this.name}") should be called on a list of 2 inputs.`);
    }
    const s1 = [...shapes[0]];
    const s2 = [...shapes[1]];
    const [a0, a1] = this.axesFor(s1.length, s2.length);
    s1.splice(a0, 1);
    s2.splice(a1, 1);
    s2.splice(0, 1);
    const out = [...s1, ...s2];
    if (out.length === 1) out.push(1);
    return out;
  }

  /** Dot outputs no mask. */
  override computeMask(_inputs: unknown, _mask?: unknown): null {
    return null;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), axes: typeof this.axes === "number" ? this.axes : [...this.axes], normalize: this.normalize };
  }
}
registerBuiltin("keras.layers", Dot);

/** Functional interface to the `Dot` layer: `layers.dot([x1, x2], 1)`. */
export function dot<T extends readonly (TensorLike | KerasTensor)[]>(
  inputs: T,
  axes: number | readonly number[],
  args: Omit<DotArgs, "axes"> = {},
): LayerOutput<T> {
  return new Dot({ ...args, axes }).apply(inputs);
}
