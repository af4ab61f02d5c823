/**
 * Flatten (Keras's `layers/reshaping/flatten.py`).
 */
import { tf, type Tensor } from "../../backend/tfjs.js";
import { KerasTensor, type Shape } from "../../backend/keras-tensor.js";
import { imageDataFormat } from "../../backend/config.js";
import { registerBuiltin } from "../../saving/object-registration.js";
import { InputSpec } from "../input-spec.js";
import { Layer, type CallArgs, type LayerArgs } from "../layer.js";
import { prod, singleShape, singleTensor } from "../layer-utils.js";

/** Options of Flatten. */
export interface FlattenArgs extends LayerArgs {
  /**
   * `"channels_last"` or `"channels_first"`: with channels first, the input
   * is moved to channels last before flattening, so weights port between
   * the two orderings. Default: `keras.config.imageDataFormat()` (`"channels_last"`).
   */
  dataFormat?: "channels_last" | "channels_first" | null;
}

/**
 * Flattens the input to `[batch, features]`; it does not affect the batch
 * size. An input of shape `[batch]` becomes `[batch, 1]`.
 *
 * ```ts
 * layers.Flatten()(tf.zeros([2, 3, 4])).shape;   // [2, 12]
 * ```
 */
export class Flatten extends Layer {
  /** `"channels_last"` or `"channels_first"`. */
  readonly dataFormat: "channels_last" | "channels_first";

  /** `new Flatten()` or `new Flatten({ dataFormat: "channels_first" })`. */
  constructor(args: FlattenArgs = {}) {
    super(args);
    const df = args.dataFormat ?? imageDataFormat();
    if (df !== "channels_last" && df !== "channels_first") {
      throw new Error(
        `The \`data_format\` argument must be one of {'channels_first', 'channels_last'}. Received: data_format=${String(df)}`,
      );
    }
    this.dataFormat = df;
    this.inputSpec = new InputSpec({ minNdim: 1 });
  }

  override call(inputs: unknown, _kwargs?: CallArgs): Tensor {
    let x = singleTensor(inputs, this.name);
    const rank = x.rank;
    if (this.dataFormat === "channels_first" && rank > 1) {
      const perm = [0];
      for (let i = 2; i < rank; i++) perm.push(i);
      perm.push(1);
      x = tf.transpose(x, perm);
    }
    const rest = x.shape.slice(1);
    return tf.reshape(x, [x.shape[0], rest.length === 0 ? 1 : prod(rest)]);
  }

  override computeOutputShape(inputShape: unknown): Shape {
    const shape = singleShape(inputShape, this.name);
    const rest = shape.slice(1);
    let flat: number | null;
    if (rest.length === 0) flat = 1;
    else if (rest.some((d) => d === null)) flat = null;
    else flat = prod(rest as number[]);
    return [shape[0] ?? null, flat];
  }

  /** Keeps the input's dtype. */
  override computeOutputSpec(args: unknown[], _kwargs: Record<string, unknown>): KerasTensor {
    const x = args[0] as KerasTensor;
    return new KerasTensor(this.computeOutputShape(x.shape), { dtype: x.dtype });
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), data_format: this.dataFormat };
  }
}
registerBuiltin("keras.layers", Flatten);
