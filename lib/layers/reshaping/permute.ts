/**
 * Permute (Keras's `layers/reshaping/permute.py`).
 */
import { tf, type Tensor } from "../../backend/tfjs.js";
import { KerasTensor, type Shape } from "../../backend/keras-tensor.js";
import { registerBuiltin } from "../../saving/object-registration.js";
import { InputSpec } from "../input-spec.js";
import { Layer, type CallArgs, type LayerArgs } from "../layer.js";
import { singleShape, singleTensor } from "../layer-utils.js";

/** Options of Permute. */
export interface PermuteArgs extends LayerArgs {
  /** The permutation of the non-batch axes, 1-based: `[2, 1]` swaps the first two. Also the first positional argument. */
  dims?: readonly number[];
}

/**
 * Permutes the dimensions of the input (not the batch dimension) according
 * to `dims`, which counts from 1.
 *
 * ```ts
 * layers.Permute([2, 1])(tf.zeros([8, 10, 64])).shape;   // [8, 64, 10]
 * ```
 */
export class Permute extends Layer {
  /** The 1-based permutation of the non-batch axes. */
  readonly dims: number[];

  /** `new Permute([2, 1])` or `new Permute({ dims: [2, 1] })`. */
  constructor(dims: readonly number[] | PermuteArgs, args: PermuteArgs = {}) {
    const opts: PermuteArgs = Array.isArray(dims) ? { ...args, dims: dims as readonly number[] } : { ...(dims as PermuteArgs) };
    const d = opts.dims;
    if (!Array.isArray(d)) throw new Error(`Permute: \`dims\` must be an array of integers. Received: dims=${JSON.stringify(d)}`);
    const sorted = [...d].sort((a, b) => a - b);
    if (!sorted.every((v, i) => v === i + 1)) {
      throw new Error(
        "Invalid permutation argument `dims` for Permute Layer. The set of indices in `dims` must be consecutive and start from 1. " +
          `Received dims=${JSON.stringify(d)}`,
      );
    }
    super(opts);
    this.dims = [...d];
    this.inputSpec = new InputSpec({ ndim: this.dims.length + 1 });
  }

  override call(inputs: unknown, _kwargs?: CallArgs): Tensor {
    return tf.transpose(singleTensor(inputs, this.name), [0, ...this.dims]);
  }

  override computeOutputShape(inputShape: unknown): Shape {
    const shape = singleShape(inputShape, this.name);
    return [shape[0] ?? null, ...this.dims.map((d) => shape[d] ?? null)];
  }

  /** Keeps the input's dtype. */
  override computeOutputSpec(args: unknown[], _kwargs: Record<string, unknown>): KerasTensor {
    const x = args[0] as KerasTensor;
    return new KerasTensor(this.computeOutputShape(x.shape), { dtype: x.dtype });
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), dims: [...this.dims] };
  }
}
registerBuiltin("keras.layers", Permute);
