/**
 * ELU (Keras's `layers/activations/elu.py`).
 */
import type { Tensor } from "../../backend/tfjs.js";
import type { Shape } from "../../backend/keras-tensor.js";
import { elu } from "../../activations/activations.js";
import { registerBuiltin } from "../../saving/object-registration.js";
import { Layer, type CallArgs, type LayerArgs } from "../layer.js";
import { singleTensor } from "../layer-utils.js";

/** Options of ELU. */
export interface ELUArgs extends LayerArgs {
  /** Scale of the negative part: `alpha * (exp(x) - 1)` for `x < 0`. Default 1. */
  alpha?: number;
}

/**
 * Exponential linear unit: `x` for `x > 0`, `alpha * (exp(x) - 1)` otherwise.
 *
 * ```ts
 * layers.ELU({ alpha: 0.5 })(x);
 * ```
 */
export class ELU extends Layer {
  /** Scale of the negative part. */
  readonly alpha: number;

  /** `new ELU()` or `new ELU({ alpha: 0.5 })`. */
  constructor(args: ELUArgs = {}) {
    super(args);
    this.alpha = args.alpha ?? 1.0;
    this.supportsMasking = true;
    this.built = true;
  }

  override call(inputs: unknown, _kwargs?: CallArgs): Tensor {
    return elu(singleTensor(inputs, this.name), this.alpha);
  }

  override computeOutputShape(inputShape: unknown): Shape {
    return inputShape as Shape;
  }

  /**
   * Keras 3's ELU writes no `alpha` in its config (so Keras loses a
   * non-default alpha); tskeras adds it, which Keras reads back fine.
   */
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), alpha: this.alpha };
  }
}
registerBuiltin("keras.layers", ELU);
