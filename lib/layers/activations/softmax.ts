/**
 * Softmax (Keras's `layers/activations/softmax.py`).
 */
import { tf, type Tensor } from "../../backend/tfjs.js";
import type { Shape } from "../../backend/keras-tensor.js";
import { registerBuiltin } from "../../saving/object-registration.js";
import { Layer, type CallArgs, type LayerArgs } from "../layer.js";
import { canonicalAxis, singleTensor, toFloat } from "../layer-utils.js";

/** Options of Softmax. */
export interface SoftmaxArgs extends LayerArgs {
  /** The axis (or axes) to normalize over. Default -1. */
  axis?: number | readonly number[];
}

/** Keras's `_large_negative_number` for float32. */
const LARGE_NEGATIVE = -1e9;

/**
 * Softmax activation: `exp(x) / sum(exp(x))` over `axis`. Called with a
 * `mask` (1/true = keep, 0/false = mask out, broadcastable to the inputs),
 * masked positions get probability 0.
 *
 * ```ts
 * layers.Softmax()(scores, { mask });
 * ```
 */
export class Softmax extends Layer {
  /** The normalized axis or axes. */
  readonly axis: number | number[];

  /** `new Softmax()`, `new Softmax({ axis: 1 })`. */
  constructor(args: SoftmaxArgs = {}) {
    super(args);
    const axis = args.axis ?? -1;
    this.axis = typeof axis === "number" ? axis : [...axis];
    this.supportsMasking = true;
    this.built = true;
  }

  override call(inputs: unknown, kwargs: CallArgs = {}): Tensor {
    let x = toFloat(singleTensor(inputs, this.name));
    let mask: Tensor | null = null;
    if (kwargs.mask instanceof tf.Tensor) {
      mask = kwargs.mask;
      if (mask.rank > x.rank) {
        throw new Error(
          `The \`mask\` must be broadcastable to \`inputs\` and must not have more dimensions. Received: inputs.shape=[${x.shape}], mask.shape=[${mask.shape}]`,
        );
      }
      for (let k = 1; k <= mask.rank; k++) {
        const m = mask.shape[mask.rank - k];
        const i = x.shape[x.rank - k];
        if (m !== 1 && m !== i) {
          throw new Error(
            "The `mask` must be broadcastable to `inputs`. Each mask dimension must be 1 or match the corresponding input dimension. " +
              `Received: inputs.shape=[${x.shape}], mask.shape=[${mask.shape}]`,
          );
        }
      }
      if (mask.dtype !== "bool") mask = tf.greater(mask, 0.5);
      mask = tf.broadcastTo(mask, x.shape);
      x = tf.where(mask, x, tf.fill(x.shape, LARGE_NEGATIVE));
    }
    const axes = (Array.isArray(this.axis) ? this.axis : [this.axis]).map((a) => canonicalAxis(a, x.rank, this.name));
    let out: Tensor;
    if (axes.length === 1 && axes[0] === x.rank - 1) out = tf.softmax(x, -1);
    else out = tf.exp(tf.sub(x, tf.logSumExp(x, axes, true)));
    if (mask) out = tf.where(mask, out, tf.zerosLike(out));
    return out;
  }

  override computeOutputShape(inputShape: unknown): Shape {
    return inputShape as Shape;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), axis: Array.isArray(this.axis) ? [...this.axis] : this.axis };
  }
}
registerBuiltin("keras.layers", Softmax);
