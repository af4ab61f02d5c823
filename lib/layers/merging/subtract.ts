/**
 * Subtract (Keras's `layers/merging/subtract.py`).
 */
import { tf, type Tensor } from "../../backend/tfjs.js";
import { formatShape, type KerasTensor } from "../../backend/keras-tensor.js";
import type { TensorLike } from "../../ops/convert.js";
import { registerBuiltin } from "../../saving/object-registration.js";
import type { LayerOutput } from "../layer.js";
import { shapeList } from "../layer-utils.js";
import { Merge, unifyDtypes, type MergeArgs } from "./base-merge.js";

/**
 * Subtracts two inputs: `inputs[0] - inputs[1]`, element-wise. Exactly two
 * inputs of the same shape (up to broadcasting).
 *
 * ```ts
 * layers.Subtract()([x1, x2]);
 * ```
 */
export class Subtract extends Merge {
  /** `new Subtract()` or `new Subtract({ name })`. */
  constructor(args: MergeArgs = {}) {
    super(args);
  }

  override build(inputShape: unknown): void {
    const shapes = shapeList(inputShape, this.name);
    if (shapes.length !== 2) {
      throw new Error(
        `A \`Subtract\` layer ("${this.name}") should be called on exactly 2 inputs. ` +
          `Received: input_shape=[${shapes.map(formatShape).join(", ")}]`,
      );
    }
    super.build(inputShape);
  }

  protected override mergeFunction(inputs: Tensor[]): Tensor {
    if (inputs.length !== 2) {
      throw new Error(`A \`Subtract\` layer ("${this.name}") should be called on exactly 2 inputs. Received: ${inputs.length} inputs`);
    }
    const [a, b] = unifyDtypes(inputs);
    return tf.sub(a, b);
  }
}
registerBuiltin("keras.layers", Subtract);

/** Functional interface to the `Subtract` layer: `layers.subtract([x1, x2])`. */
export function subtract<T extends readonly (TensorLike | KerasTensor)[]>(inputs: T, args: MergeArgs = {}): LayerOutput<T> {
  return new Subtract(args).apply(inputs);
}
