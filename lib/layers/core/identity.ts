/**
 * Identity: returns its input unchanged (Keras's `layers/core/identity.py`).
 */
import { KerasTensor, type Shape } from "../../backend/keras-tensor.js";
import { registerBuiltin } from "../../saving/object-registration.js";
import { mapStructure } from "../../utils/tree.js";
import { Layer, type CallArgs, type LayerArgs } from "../layer.js";

/**
 * A placeholder layer that returns its inputs (any structure) unchanged.
 *
 * ```ts
 * layers.Identity()(x);   // x
 * ```
 */
export class Identity extends Layer {
  /** `new Identity()` or `new Identity({ name })`. */
  constructor(args: LayerArgs = {}) {
    super(args);
    this.supportsMasking = true;
    this.built = true;
  }

  override call(inputs: unknown, _kwargs?: CallArgs): unknown {
    return inputs;
  }

  override computeOutputShape(inputShape: unknown): Shape {
    return inputShape as Shape;
  }

  /** The outputs keep the inputs' shapes and dtypes. */
  override computeOutputSpec(args: unknown[], _kwargs: Record<string, unknown>): unknown {
    return mapStructure(args[0], (x) => (x instanceof KerasTensor ? new KerasTensor([...x.shape], { dtype: x.dtype }) : x));
  }
}
registerBuiltin("keras.layers", Identity);
