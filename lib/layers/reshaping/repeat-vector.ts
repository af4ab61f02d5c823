/**
 * RepeatVector (Keras's `layers/reshaping/repeat_vector.py`).
 */
import { tf, type Tensor } from "../../backend/tfjs.js";
import type { Shape } from "../../backend/keras-tensor.js";
import { registerBuiltin } from "../../saving/object-registration.js";
import { InputSpec } from "../input-spec.js";
import { Layer, type CallArgs, type LayerArgs } from "../layer.js";
import { singleShape, singleTensor } from "../layer-utils.js";

/** Options of RepeatVector. */
export interface RepeatVectorArgs extends LayerArgs {
  /** The number of repetitions (also the first positional argument). */
  n?: number;
}

/**
 * Repeats a `[batch, features]` input `n` times: `[batch, n, features]`.
 *
 * ```ts
 * layers.RepeatVector(3)(tf.zeros([2, 32])).shape;   // [2, 3, 32]
 * ```
 */
export class RepeatVector extends Layer {
  /** The number of repetitions. */
  readonly n: number;

  /** `new RepeatVector(3)` or `new RepeatVector({ n: 3 })`. */
  constructor(n: number | RepeatVectorArgs, args: RepeatVectorArgs = {}) {
    const opts: RepeatVectorArgs = typeof n === "object" && n !== null ? { ...n } : { ...args, n };
    const v = opts.n;
    if (typeof v !== "number" || !Number.isInteger(v)) throw new Error(`Expected an integer value for \`n\`, got ${typeof v}.`);
    if (v <= 0) throw new Error(`Argument \`n\` should be a positive integer. Received: n=${v}`);
    super(opts);
    this.n = v;
    this.inputSpec = new InputSpec({ ndim: 2 });
  }

  override call(inputs: unknown, _kwargs?: CallArgs): Tensor {
    const x = singleTensor(inputs, this.name);
    return tf.tile(tf.expandDims(x, 1), [1, this.n, 1]);
  }

  override computeOutputShape(inputShape: unknown): Shape {
    const shape = singleShape(inputShape, this.name);
    return [shape[0] ?? null, this.n, shape[1] ?? null];
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), n: this.n };
  }
}
registerBuiltin("keras.layers", RepeatVector);
