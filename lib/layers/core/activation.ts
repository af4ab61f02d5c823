/**
 * Activation: applies an activation function (Keras's `layers/activations/activation.py`).
 */
import type { Tensor } from "../../backend/tfjs.js";
import type { Shape } from "../../backend/keras-tensor.js";
import * as activations from "../../activations/index.js";
import type { ActivationFn, ActivationLike } from "../../activations/index.js";
import { registerBuiltin } from "../../saving/object-registration.js";
import { Layer, type CallArgs, type LayerArgs } from "../layer.js";
import { singleTensor } from "../layer-utils.js";

/** Options of Activation. */
export interface ActivationArgs extends LayerArgs {
  /** The activation: a name (`"relu"`), a function, or null for `"linear"` (also the first positional argument). */
  activation?: ActivationLike;
}

/**
 * Applies an activation function to its input.
 *
 * ```ts
 * layers.Activation("relu")(tf.tensor([-3, 0, 2]));   // [0, 0, 2]
 * ```
 */
export class Activation extends Layer {
  /** The activation function. */
  readonly activation: ActivationFn;

  /** `new Activation("relu")` or `new Activation({ activation: "relu" })`. */
  constructor(activation: ActivationLike | ActivationArgs, args: ActivationArgs = {}) {
    const opts: ActivationArgs =
      typeof activation === "object" && activation !== null && !("class_name" in activation)
        ? { ...(activation as ActivationArgs) }
        : { ...args, activation: activation as ActivationLike };
    super(opts);
    this.activation = activations.get(opts.activation);
    this.supportsMasking = true;
    this.built = true;
  }

  override call(inputs: unknown, _kwargs?: CallArgs): Tensor {
    return this.activation(singleTensor(inputs, this.name));
  }

  override computeOutputShape(inputShape: unknown): Shape {
    return inputShape as Shape;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), activation: activations.serialize(this.activation) };
  }
}
registerBuiltin("keras.layers", Activation);
