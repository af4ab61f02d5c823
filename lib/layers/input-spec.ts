/**
 * InputSpec: what a layer accepts (rank, dtype, fixed axes), checked on every
 * call with Keras's error messages.
 */
import { formatShape, type Shape } from "../backend/keras-tensor.js";

/** Options of InputSpec (Keras's keyword arguments, camelCased). */
export interface InputSpecArgs {
  dtype?: string | null;
  shape?: Shape | null;
  ndim?: number | null;
  maxNdim?: number | null;
  minNdim?: number | null;
  /** Fixed sizes by axis, e.g. `{ [-1]: 8 }`. */
  axes?: Record<number, number> | null;
  allowLastAxisSqueeze?: boolean;
  name?: string | null;
  optional?: boolean;
}

/** Constraints on a layer's input: rank, dtype and fixed dimensions. */
export class InputSpec {
  dtype: string | null;
  shape: Shape | null;
  ndim: number | null;
  maxNdim: number | null;
  minNdim: number | null;
  axes: Record<number, number>;
  allowLastAxisSqueeze: boolean;
  name: string | null;
  optional: boolean;

  constructor(args: InputSpecArgs = {}) {
    this.dtype = args.dtype ?? null;
    this.shape = args.shape ?? null;
    this.ndim = args.shape ? args.shape.length : (args.ndim ?? null);
    this.maxNdim = args.maxNdim ?? null;
    this.minNdim = args.minNdim ?? null;
    this.axes = args.axes ?? {};
    this.allowLastAxisSqueeze = args.allowLastAxisSqueeze ?? false;
    this.name = args.name ?? null;
    this.optional = args.optional ?? false;
    if (this.ndim !== null) {
      for (const a of Object.keys(this.axes).map(Number)) {
        if (a >= this.ndim || a < -this.ndim) {
          throw new Error(`Axis ${a} is greater than input shape ndim ${this.ndim}`);
        }
      }
    }
  }
}

/**
 * Checks input shapes against a layer's specs; throws Keras's message naming
 * the layer, the expectation and the received shape.
 */
export function assertInputCompatibility(
  specs: InputSpec | InputSpec[] | null | undefined,
  shapes: Shape[],
  layerName: string,
): void {
  if (!specs) return;
  const list = Array.isArray(specs) ? specs : [specs];
  if (list.length > 1 && list.length !== shapes.length) {
    throw new Error(
      `Layer "${layerName}" expects ${list.length} input(s), but it received ${shapes.length} input tensors.`,
    );
  }
  list.forEach((spec, i) => {
    const shape = shapes[i];
    if (spec === null || spec === undefined || shape === undefined) return;
    const ndim = shape.length;
    const where = `Input ${i} of layer "${layerName}" is incompatible with the layer:`;
    if (spec.ndim !== null && !spec.allowLastAxisSqueeze && ndim !== spec.ndim) {
      throw new Error(`${where} expected ndim=${spec.ndim}, found ndim=${ndim}. Full shape received: ${formatShape(shape)}`);
    }
    if (spec.maxNdim !== null && ndim > spec.maxNdim) {
      throw new Error(`${where} expected max_ndim=${spec.maxNdim}, found ndim=${ndim}. Full shape received: ${formatShape(shape)}`);
    }
    if (spec.minNdim !== null && ndim < spec.minNdim) {
      throw new Error(`${where} expected min_ndim=${spec.minNdim}, found ndim=${ndim}. Full shape received: ${formatShape(shape)}`);
    }
    for (const [k, value] of Object.entries(spec.axes)) {
      const axis = Number(k);
      const dim = shape[axis < 0 ? ndim + axis : axis];
      if (dim !== null && dim !== undefined && dim !== value) {
        throw new Error(
          `${where} expected axis ${axis} of input shape to have value ${value}, ` +
            `but received input with shape ${formatShape(shape)}`,
        );
      }
    }
    if (spec.shape !== null) {
      spec.shape.forEach((want, j) => {
        const got = shape[j];
        if (want !== null && got !== null && want !== got) {
          throw new Error(
            `${where} expected shape=${formatShape(spec.shape as Shape)}, found shape=${formatShape(shape)}`,
          );
        }
      });
    }
  });
}
