/**
 * Reshape (Keras's `layers/reshaping/reshape.py`).
 */
import { tf, type Tensor } from "../../backend/tfjs.js";
import { KerasTensor, formatShape, type Shape } from "../../backend/keras-tensor.js";
import { registerBuiltin } from "../../saving/object-registration.js";
import { Layer, type CallArgs, type LayerArgs } from "../layer.js";
import { prod, singleShape, singleTensor } from "../layer-utils.js";

/** Options of Reshape. */
export interface ReshapeArgs extends LayerArgs {
  /** The target shape without the batch dimension; one entry may be -1 (inferred). Also the first positional argument. */
  targetShape?: readonly number[];
}

/**
 * Keras's `compute_reshape_output_shape`: resolves the -1 of `newShape`
 * against `inputShape` (both without the batch dimension), or leaves it
 * unknown when the input has unknown dimensions.
 */
export function computeReshapeOutputShape(inputShape: Shape, newShape: readonly number[], argName: string): Shape {
  const unknownCount = newShape.filter((d) => d === -1).length;
  if (inputShape.some((d) => d === null)) return newShape.map((d) => (d === -1 ? null : d));
  const inputSize = prod(inputShape as number[]);
  const fmt = (s: readonly (number | null)[]): string => formatShape(s);
  if (unknownCount === 0) {
    if (inputSize !== prod(newShape)) {
      throw new Error(
        `The total size of the tensor must be unchanged. Received: input_shape=${fmt(inputShape)}, ${argName}=${fmt(newShape)}`,
      );
    }
    return [...newShape];
  }
  let known = 1;
  let unknownIndex = -1;
  newShape.forEach((d, i) => {
    if (d === -1) unknownIndex = i;
    else known *= d;
  });
  if (known === 0 || inputSize % known !== 0) {
    throw new Error(
      "The total size of the tensor must be unchanged, however, the input size cannot by divided by the specified " +
        `dimensions in ${argName}. Received: input_shape=${fmt(inputShape)}, ${argName}=${fmt(newShape)}`,
    );
  }
  const out: Shape = [...newShape];
  out[unknownIndex] = inputSize / known;
  return out;
}

/**
 * Reshapes the input (without its batch dimension) to `targetShape`.
 *
 * ```ts
 * layers.Reshape([3, 4])(tf.zeros([2, 12])).shape;    // [2, 3, 4]
 * layers.Reshape([-1, 2])(tf.zeros([2, 12])).shape;   // [2, 6, 2]
 * ```
 */
export class Reshape extends Layer {
  /** The target shape without the batch dimension. */
  readonly targetShape: number[];

  /** `new Reshape([3, 4])` or `new Reshape({ targetShape: [3, 4] })`. */
  constructor(targetShape: readonly number[] | ReshapeArgs, args: ReshapeArgs = {}) {
    const opts: ReshapeArgs = Array.isArray(targetShape)
      ? { ...args, targetShape: targetShape as readonly number[] }
      : { ...(targetShape as ReshapeArgs) };
    const ts = opts.targetShape;
    if (!Array.isArray(ts) || !ts.every((d) => typeof d === "number" && Number.isInteger(d))) {
      throw new Error(`Reshape: \`targetShape\` must be an array of integers. Received: target_shape=${JSON.stringify(ts)}`);
    }
    let negOne = 0;
    for (const d of ts) {
      if (d < -1) {
        throw new Error(
          "Each dimension in `target_shape` must be a non-negative integer, or `-1` for a single unknown dimension. " +
            `Received: target_shape=${formatShape(ts)}.`,
        );
      }
      if (d === -1) negOne++;
    }
    if (negOne > 1) {
      throw new Error(`There must be at most one unknown dimension (-1) in \`target_shape\`. Received: target_shape=${formatShape(ts)}.`);
    }
    super(opts);
    this.targetShape = [...ts];
    this.built = true;
  }

  override call(inputs: unknown, _kwargs?: CallArgs): Tensor {
    const x = singleTensor(inputs, this.name);
    const resolved = computeReshapeOutputShape(x.shape.slice(1), this.targetShape, "target_shape");
    return tf.reshape(x, [x.shape[0], ...resolved.map((d) => (d === null ? -1 : d))]);
  }

  override computeOutputShape(inputShape: unknown): Shape {
    const shape = singleShape(inputShape, this.name);
    return [shape[0] ?? null, ...computeReshapeOutputShape(shape.slice(1), this.targetShape, "target_shape")];
  }

  /** Keeps the input's dtype. */
  override computeOutputSpec(args: unknown[], _kwargs: Record<string, unknown>): KerasTensor {
    const x = args[0] as KerasTensor;
    return new KerasTensor(this.computeOutputShape(x.shape), { dtype: x.dtype });
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), target_shape: [...this.targetShape] };
  }
}
registerBuiltin("keras.layers", Reshape);
