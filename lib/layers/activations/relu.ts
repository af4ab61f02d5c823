/**
 * ReLU (Keras's `layers/activations/relu.py`).
 */
import type { Tensor } from "../../backend/tfjs.js";
import type { Shape } from "../../backend/keras-tensor.js";
import { relu } from "../../activations/activations.js";
import { registerBuiltin } from "../../saving/object-registration.js";
import { Layer, type CallArgs, type LayerArgs } from "../layer.js";
import { singleTensor } from "../layer-utils.js";

/** Options of ReLU. */
export interface ReLUArgs extends LayerArgs {
  /** Largest value returned (nonnegative), or null for no cap. Default null. */
  maxValue?: number | null;
  /** Slope for values below the threshold (nonnegative). Default 0. */
  negativeSlope?: number;
  /** Values below this are zeroed (or damped by `negativeSlope`). Default 0. */
  threshold?: number;
}

/**
 * Rectified linear unit: `f(x) = maxValue` for `x >= maxValue`, `x` for
 * `threshold <= x < maxValue`, `negativeSlope * (x - threshold)` otherwise.
 *
 * ```ts
 * layers.ReLU({ maxValue: 6 })(x);
 * ```
 */
export class ReLU extends Layer {
  /** Largest value returned, or null for no cap. */
  readonly maxValue: number | null;
  /** Slope for values below the threshold. */
  readonly negativeSlope: number;
  /** Values below this are zeroed (or damped). */
  readonly threshold: number;

  /** `new ReLU()` or `new ReLU({ maxValue: 6, negativeSlope: 0.1 })`. */
  constructor(args: ReLUArgs = {}) {
    const maxValue = args.maxValue ?? null;
    const negativeSlope = args.negativeSlope === undefined ? 0 : args.negativeSlope;
    const threshold = args.threshold === undefined ? 0 : args.threshold;
    if (maxValue !== null && maxValue < 0) {
      throw new Error(`max_value of a ReLU layer cannot be a negative value. Received: max_value=${maxValue}`);
    }
    if (negativeSlope === null || negativeSlope < 0) {
      throw new Error(`negative_slope of a ReLU layer cannot be None or a negative value. Received: negative_slope=${String(negativeSlope)}`);
    }
    if (threshold === null || threshold < 0) {
      throw new Error(`threshold of a ReLU layer cannot be None or a negative value. Received: threshold=${String(threshold)}`);
    }
    super(args);
    this.maxValue = maxValue;
    this.negativeSlope = negativeSlope;
    this.threshold = threshold;
    this.supportsMasking = true;
    this.built = true;
  }

  override call(inputs: unknown, _kwargs?: CallArgs): Tensor {
    return relu(singleTensor(inputs, this.name), {
      negativeSlope: this.negativeSlope,
      maxValue: this.maxValue,
      threshold: this.threshold,
    });
  }

  override computeOutputShape(inputShape: unknown): Shape {
    return inputShape as Shape;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), max_value: this.maxValue, negative_slope: this.negativeSlope, threshold: this.threshold };
  }
}
registerBuiltin("keras.layers", ReLU);
