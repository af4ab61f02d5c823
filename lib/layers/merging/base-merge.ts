/**
 * Merge: the base of the merging layers (Keras's `layers/merging/base_merge.py`).
 */
import { tf, type Tensor } from "../../backend/tfjs.js";
import { formatShape, type Shape } from "../../backend/keras-tensor.js";
import { Layer, type CallArgs, type LayerArgs } from "../layer.js";
import { shapeList, tensorList } from "../layer-utils.js";

/** Options of the merge layers (Add, Subtract, Multiply, Average, Maximum, Minimum). */
export type MergeArgs = LayerArgs;

/**
 * The base of layers that merge a list of tensors element-wise. Inputs of
 * different ranks are broadcast: size-1 axes are inserted after the batch
 * axis of the lower-rank inputs, and size-1 dimensions broadcast against
 * any size. Batch sizes must agree.
 */
export abstract class Merge extends Layer {
  /** Whether inputs of different ranks must be expanded before merging. */
  protected reshapeRequired = false;

  constructor(args: MergeArgs = {}) {
    super(args);
    this.supportsMasking = true;
  }

  /** Merges tensors already brought to the same rank. */
  protected abstract mergeFunction(inputs: Tensor[]): Tensor;

  /**
   * The broadcast of two shapes (without the batch axis), as Keras's
   * `_compute_elemwise_op_output_shape`: aligned from the right, size 1
   * broadcasts, unknown stays unknown, other mismatches are an error.
   */
  protected computeElemwiseOpOutputShape(shape1: Shape | null, shape2: Shape | null): Shape | null {
    if (shape1 === null || shape2 === null) return null;
    if (shape1.length < shape2.length) return this.computeElemwiseOpOutputShape(shape2, shape1);
    if (shape2.length === 0) return [...shape1];
    const out: Shape = shape1.slice(0, shape1.length - shape2.length);
    const tail = shape1.slice(shape1.length - shape2.length);
    tail.forEach((i, k) => {
      const j = shape2[k];
      if (i === null || j === null) out.push(null);
      else if (i === 1) out.push(j);
      else if (j === 1) out.push(i);
      else {
        if (i !== j) {
          throw new Error(
            `Layer "${this.name}" (${this.className}): Inputs have incompatible shapes. ` +
              `Received shapes ${formatShape(shape1)} and ${formatShape(shape2)}`,
          );
        }
        out.push(i);
      }
    });
    return out;
  }

  /** Checks the batch sizes of `shapes` agree (throws naming the layer and the shapes). */
  protected checkBatchSizes(shapes: Shape[]): void {
    const sizes = new Set(shapes.filter((s) => s.length > 0).map((s) => s[0]).filter((d) => d !== null));
    if (sizes.size > 1) {
      throw new Error(
        `Layer "${this.name}" (${this.className}): Cannot merge tensors with different batch sizes. ` +
          `Received tensors with shapes ${shapes.map(formatShape).join(", ")}`,
      );
    }
  }

  override build(inputShape: unknown): void {
    const shapes = shapeList(inputShape, this.name);
    this.checkBatchSizes(shapes);
    let out: Shape | null = shapes[0].slice(1);
    for (let i = 1; i < shapes.length; i++) out = this.computeElemwiseOpOutputShape(out, shapes[i].slice(1));
    this.reshapeRequired = new Set(shapes.map((s) => s.length)).size !== 1;
    this.built = true;
  }

  override call(inputs: unknown, _kwargs?: CallArgs): Tensor {
    const xs = tensorList(inputs, this.name);
    const ranks = xs.map((x) => x.rank);
    if (new Set(ranks).size !== 1) {
      const maxRank = Math.max(...ranks);
      const expanded = xs.map((x) => {
        let y = x;
        for (let r = x.rank; r < maxRank; r++) y = tf.expandDims(y, 1);
        return y;
      });
      return this.mergeFunction(expanded);
    }
    return this.mergeFunction(xs);
  }

  override computeOutputShape(inputShape: unknown): Shape {
    const shapes = shapeList(inputShape, this.name);
    let out: Shape | null = shapes[0].slice(1);
    for (let i = 1; i < shapes.length; i++) out = this.computeElemwiseOpOutputShape(out, shapes[i].slice(1));
    const batch = new Set(shapes.map((s) => s[0] ?? null).filter((d) => d !== null));
    return [batch.size === 1 ? [...batch][0] : null, ...(out ?? [])];
  }

  /** The logical OR of the input masks, or null when any is missing. */
  override computeMask(inputs: unknown, mask?: unknown): unknown {
    if (mask == null) return null;
    if (!Array.isArray(mask)) throw new Error(`\`mask\` should be a list. Received: mask=${String(mask)}`);
    if (!Array.isArray(inputs)) throw new Error("`inputs` should be a list.");
    if (mask.length !== inputs.length) {
      throw new Error(
        `The lists \`inputs\` and \`mask\` should have the same length. Received: inputs of length ${inputs.length}, and mask of length ${mask.length}`,
      );
    }
    if (mask.some((m) => m == null)) return null;
    return tf.tidy(() => {
      let out = mask[0] as Tensor;
      for (const m of mask.slice(1) as Tensor[]) out = tf.logicalOr(out, m);
      return out === mask[0] ? tf.clone(out) : out;
    });
  }
}

/** Casts tensors of mixed dtypes to float32 (as Keras's dtype promotion does for float and int inputs). */
export function unifyDtypes(xs: Tensor[]): Tensor[] {
  const dtypes = new Set(xs.map((x) => x.dtype));
  if (dtypes.size <= 1) return xs;
  return xs.map((x) => (x.dtype === "float32" ? x : tf.cast(x, "float32")));
}
