/**
 * RMSNormalization (Keras's `layers/normalization/rms_normalization.py`).
 */
import { tf, type Tensor } from "../../backend/tfjs.js";
import type { Shape } from "../../backend/keras-tensor.js";
import type { Variable } from "../../backend/variable.js";
import { registerBuiltin } from "../../saving/object-registration.js";
import { Layer, type CallArgs, type LayerArgs } from "../layer.js";
import { canonicalAxis, singleShape, singleTensor, toFloat } from "../layer-utils.js";

/** Options of RMSNormalization. */
export interface RMSNormalizationArgs extends LayerArgs {
  /** The axis or axes to normalize over. Default -1. */
  axis?: number | readonly number[];
  /** Small float added to the mean square. Default 1e-6. */
  epsilon?: number;
}

/**
 * Root-mean-square normalization (Zhang & Sennrich, 2019):
 * `x * rsqrt(mean(x², axis) + epsilon) * scale`, with a learned `scale` of
 * the normalized axes' shape (initialized to ones). No centering, no offset.
 *
 * ```ts
 * layers.RMSNormalization({ epsilon: 1e-6 })(x);
 * ```
 */
export class RMSNormalization extends Layer {
  /** The normalized axes: as given until built, then a sorted list. */
  axis: number | number[];
  /** Added to the mean square. */
  readonly epsilon: number;
  /** The learned scale (created by `build`). */
  scale: Variable | null = null;

  /** `new RMSNormalization()` or `new RMSNormalization({ axis: -1, epsilon: 1e-6 })`. */
  constructor(args: RMSNormalizationArgs = {}) {
    super(args);
    const axis = args.axis ?? -1;
    this.axis = typeof axis === "number" ? axis : [...axis];
    this.epsilon = args.epsilon ?? 1e-6;
  }

  override build(inputShape: unknown): void {
    const shape = singleShape(inputShape, this.name);
    const axes = Array.isArray(this.axis) ? [...this.axis].sort((a, b) => a - b) : [this.axis];
    const wshape = axes.map((a) => shape[canonicalAxis(a, shape.length, this.name)]);
    if (wshape.some((d) => d === null)) {
      throw new Error(`Layer "${this.name}" (RMSNormalization) needs known sizes on the normalized axes. Received: input_shape=${JSON.stringify(shape)}`);
    }
    this.axis = axes;
    this.scale = this.addWeight({ name: "scale", shape: wshape as number[], initializer: "ones" });
    this.built = true;
  }

  override call(inputs: unknown, _kwargs?: CallArgs): Tensor {
    const x = toFloat(singleTensor(inputs, this.name));
    const list = Array.isArray(this.axis) ? this.axis : [this.axis];
    const axes = list.map((a) => canonicalAxis(a, x.rank, this.name));
    const out = tf.mul(x, tf.rsqrt(tf.add(tf.mean(tf.square(x), axes, true), this.epsilon)));
    if (!this.scale) return out;
    const bshape = x.shape.map((d, i) => (axes.includes(i) ? d : 1));
    return tf.mul(out, tf.reshape(this.scale.value, bshape));
  }

  override computeOutputShape(inputShape: unknown): Shape {
    const shape = singleShape(inputShape, this.name);
    for (const a of Array.isArray(this.axis) ? this.axis : [this.axis]) {
      if (a >= shape.length || a < -shape.length) {
        throw new Error(`Axis ${a} is out of bounds for input shape ${JSON.stringify(shape)}. Received: axis=${JSON.stringify(this.axis)}`);
      }
    }
    return shape;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), axis: Array.isArray(this.axis) ? [...this.axis] : this.axis, epsilon: this.epsilon };
  }
}
registerBuiltin("keras.layers", RMSNormalization);
