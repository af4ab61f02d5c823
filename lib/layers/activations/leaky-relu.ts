/**
 * LeakyReLU (Keras's `layers/activations/leaky_relu.py`).
 */
import type { Tensor } from "../../backend/tfjs.js";
import type { Shape } from "../../backend/keras-tensor.js";
import { leakyRelu } from "../../activations/activations.js";
import { registerBuiltin } from "../../saving/object-registration.js";
import { Layer, type CallArgs, type LayerArgs } from "../layer.js";
import { singleTensor } from "../layer-utils.js";

/** Options of LeakyReLU. */
export interface LeakyReLUArgs extends LayerArgs {
  /** Slope for negative inputs (nonnegative). Default 0.3 (the layer's default; the function's is 0.2). */
  negativeSlope?: number;
  /** Deprecated Keras 2 name of `negativeSlope`. */
  alpha?: number;
}

/**
 * Leaky version of a rectified linear unit: `x` for `x >= 0`,
 * `negativeSlope * x` otherwise.
 *
 * ```ts
 * layers.LeakyReLU({ negativeSlope: 0.1 })(x);
 * ```
 */
export class LeakyReLU extends Layer {
  /** Slope for values below the threshold. */
  readonly negativeSlope: number;

  /** `new LeakyReLU()` or `new LeakyReLU({ negativeSlope: 0.1 })`. */
  constructor(args: LeakyReLUArgs = {}) {
    const slope = args.alpha ?? (args.negativeSlope === undefined ? 0.3 : args.negativeSlope);
    if (slope === null || typeof slope !== "number" || slope < 0) {
      throw new Error(
        `The negative_slope value of a Leaky ReLU layer cannot be None or negative value. Expected a float. Received: negative_slope=${String(slope)}`,
      );
    }
    super(args);
    this.negativeSlope = slope;
    this.supportsMasking = true;
    this.built = true;
  }

  override call(inputs: unknown, _kwargs?: CallArgs): Tensor {
    return leakyRelu(singleTensor(inputs, this.name), this.negativeSlope);
  }

  override computeOutputShape(inputShape: unknown): Shape {
    return inputShape as Shape;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), negative_slope: this.negativeSlope };
  }
}
registerBuiltin("keras.layers", LeakyReLU);
