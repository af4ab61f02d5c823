/**
 * Concatenate (Keras's `layers/merging/concatenate.py`).
 */
import { tf, type Tensor } from "../../backend/tfjs.js";
import { formatShape, type KerasTensor, type Shape } from "../../backend/keras-tensor.js";
import type { TensorLike } from "../../ops/convert.js";
import { registerBuiltin } from "../../saving/object-registration.js";
import type { CallArgs, LayerOutput } from "../layer.js";
import { shapeList, tensorList } from "../layer-utils.js";
import { Merge, unifyDtypes, type MergeArgs } from "./base-merge.js";

/** Options of Concatenate. */
export interface ConcatenateArgs extends MergeArgs {
  /** The concatenation axis. Default -1 (also the first positional argument). */
  axis?: number;
}

/**
 * Concatenates a list of inputs along `axis`. All other dimensions must
 * match.
 *
 * ```ts
 * layers.Concatenate()([tf.zeros([2, 3]), tf.zeros([2, 5])]).shape;   // [2, 8]
 * ```
 */
export class Concatenate extends Merge {
  /** The concatenation axis. */
  readonly axis: number;

  /** `new Concatenate()`, `new Concatenate(1)` or `new Concatenate({ axis: 1 })`. */
  constructor(axis?: number | ConcatenateArgs, args: ConcatenateArgs = {}) {
    const opts: ConcatenateArgs = typeof axis === "object" && axis !== null ? { ...axis } : { ...args, axis: axis ?? args.axis };
    super(opts);
    this.axis = opts.axis ?? -1;
    this.supportsMasking = true;
  }

  private mismatch(shapes: Shape[]): Error {
    return new Error(
      `A \`Concatenate\` layer ("${this.name}") requires inputs with matching shapes except for the concatenation axis ` +
        `(axis=${this.axis}). Received: input_shape=[${shapes.map(formatShape).join(", ")}]`,
    );
  }

  override build(inputShape: unknown): void {
    const shapes = shapeList(inputShape, this.name);
    const reduced = shapes.map((s) => {
      const r = [...s];
      const ax = this.axis < 0 ? r.length + this.axis : this.axis;
      if (ax >= 0 && ax < r.length) r.splice(ax, 1);
      return r;
    });
    const keys = new Set(reduced.map((r) => JSON.stringify(r)));
    if (keys.size !== 1) {
      const ranks = new Set(reduced.map((r) => r.length));
      if (ranks.size !== 1) throw this.mismatch(shapes);
      const rank = reduced[0].length;
      for (let a = 0; a < rank; a++) {
        const dims = new Set(reduced.map((r) => r[a]).filter((d) => d !== null));
        if (dims.size > 1) throw this.mismatch(shapes);
      }
    }
    this.built = true;
  }

  override call(inputs: unknown, _kwargs?: CallArgs): Tensor {
    const xs = unifyDtypes(tensorList(inputs, this.name));
    const rank = xs[0].rank;
    const ax = this.axis < 0 ? rank + this.axis : this.axis;
    return tf.concat(xs, ax);
  }

  protected override mergeFunction(inputs: Tensor[]): Tensor {
    return tf.concat(inputs, this.axis < 0 ? inputs[0].rank + this.axis : this.axis);
  }

  override computeOutputShape(inputShape: unknown): Shape {
    const shapes = shapeList(inputShape, this.name);
    const out: Shape = [...shapes[0]];
    const ax = this.axis < 0 ? out.length + this.axis : this.axis;
    if (ax < 0 || ax >= out.length) {
      throw new Error(`Layer "${this.name}" (Concatenate): axis ${this.axis} is out of bounds for inputs of rank ${out.length}.`);
    }
    for (const s of shapes.slice(1)) {
      const a = out[ax];
      const b = s[ax] ?? null;
      if (a === null || b === null) {
        out[ax] = null;
        break;
      }
      out[ax] = a + b;
    }
    return out;
  }

  /** The concatenated masks (all-true for inputs without one), reduced over the last axis; null when no input has a mask. */
  override computeMask(inputs: unknown, mask?: unknown): unknown {
    if (mask == null) return null;
    if (!Array.isArray(mask)) throw new Error(`\`mask\` should be a list. Received mask=${String(mask)}`);
    const xs = tensorList(inputs, this.name);
    if (mask.length !== xs.length) {
      throw new Error(
        `The lists \`inputs\` and \`mask\` should have the same length. Received: inputs of length ${xs.length}, and mask of length ${mask.length}`,
      );
    }
    if (mask.every((m) => m == null)) return null;
    return tf.tidy(() => {
      const masks = xs.map((x, i) => {
        const m = mask[i] as Tensor | null | undefined;
        if (m == null) return tf.onesLike(x).cast("bool");
        if (m.rank < x.rank) return tf.logicalOr(tf.expandDims(m, -1), tf.zerosLike(x).cast("bool"));
        return m;
      });
      const rank = masks[0].rank;
      const cat = tf.concat(masks, this.axis < 0 ? rank + this.axis : this.axis);
      return tf.any(cat, -1);
    });
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), axis: this.axis };
  }
}
registerBuiltin("keras.layers", Concatenate);

/** Functional interface to the `Concatenate` layer: `layers.concatenate([x1, x2], -1)`. */
export function concatenate<T extends readonly (TensorLike | KerasTensor)[]>(
  inputs: T,
  axis = -1,
  args: MergeArgs = {},
): LayerOutput<T> {
  return new Concatenate({ ...args, axis }).apply(inputs);
}
