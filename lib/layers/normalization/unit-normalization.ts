/**
 * UnitNormalization (Keras's `layers/normalization/unit_normalization.py`).
 */
import type { Tensor } from "../../backend/tfjs.js";
import type { Shape } from "../../backend/keras-tensor.js";
import { normalize } from "../../ops/nn.js";
import { registerBuiltin } from "../../saving/object-registration.js";
import { Layer, type CallArgs, type LayerArgs } from "../layer.js";
import { singleShape, singleTensor, toFloat } from "../layer-utils.js";

/** Options of UnitNormalization. */
export interface UnitNormalizationArgs extends LayerArgs {
  /** The axis or axes whose L2 norm becomes 1. Default -1. */
  axis?: number | readonly number[];
}

/**
 * Scales each input so that its L2 norm over `axis` is 1:
 * `x / max(sqrt(sum(x², axis)), 1e-12)`. No weights.
 *
 * ```ts
 * layers.UnitNormalization()(tf.tensor2d([[3, 4]]));  // [[0.6, 0.8]]
 * ```
 */
export class UnitNormalization extends Layer {
  /** The normalized axis or axes. */
  readonly axis: number | number[];

  /** `new UnitNormalization()` or `new UnitNormalization({ axis: [1, 2] })`. */
  constructor(args: UnitNormalizationArgs = {}) {
    super(args);
    const axis = args.axis ?? -1;
    if (Array.isArray(axis)) this.axis = [...(axis as number[])];
    else if (typeof axis === "number" && Number.isInteger(axis)) this.axis = axis;
    else throw new Error(`Invalid value for \`axis\` argument: expected an int or a list/tuple of ints. Received: axis=${JSON.stringify(axis)}`);
    this.supportsMasking = true;
    this.built = true;
  }

  override call(inputs: unknown, _kwargs?: CallArgs): Tensor {
    return normalize(toFloat(singleTensor(inputs, this.name)), this.axis, 2, 1e-12);
  }

  override computeOutputShape(inputShape: unknown): Shape {
    const shape = singleShape(inputShape, this.name);
    for (const a of Array.isArray(this.axis) ? this.axis : [this.axis]) {
      if (a >= shape.length || a < -shape.length) {
        throw new Error(`Axis ${JSON.stringify(this.axis)} is out of bounds for input shape ${JSON.stringify(shape)}.`);
      }
    }
    return shape;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), axis: Array.isArray(this.axis) ? [...this.axis] : this.axis };
  }
}
registerBuiltin("keras.layers", UnitNormalization);
