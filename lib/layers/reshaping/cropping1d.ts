/**
 * Cropping1D (Keras's `layers/reshaping/cropping1d.py`).
 */
import { tf, type Tensor } from "../../backend/tfjs.js";
import type { Shape } from "../../backend/keras-tensor.js";
import { registerBuiltin } from "../../saving/object-registration.js";
import { InputSpec } from "../input-spec.js";
import { Layer, type CallArgs, type LayerArgs } from "../layer.js";
import { singleShape, singleTensor } from "../layer-utils.js";
import { standardizeTuple } from "./spatial-utils.js";

/** Options of Cropping1D. */
export interface Cropping1DArgs extends LayerArgs {
  /** Steps removed at the start and end: an int (both ends) or `[start, end]` (also the first positional argument). Default `[1, 1]`. */
  cropping?: number | readonly [number, number] | readonly number[];
}

/**
 * Crops `(batch, steps, features)` inputs along the steps axis.
 *
 * ```ts
 * layers.Cropping1D([1, 2])(x);  // steps 10 → 7
 * ```
 */
export class Cropping1D extends Layer {
  /** `[start, end]` steps removed. */
  readonly cropping: [number, number];

  /** `new Cropping1D(1)`, `new Cropping1D([1, 2])` or `new Cropping1D({ cropping: [1, 2] })`. */
  constructor(cropping?: number | readonly number[] | Cropping1DArgs, args: Cropping1DArgs = {}) {
    const opts: Cropping1DArgs =
      typeof cropping === "object" && cropping !== null && !Array.isArray(cropping) ? { ...(cropping as Cropping1DArgs) } : { ...args, cropping: (cropping as number | number[] | undefined) ?? args.cropping };
    super(opts);
    this.cropping = standardizeTuple(opts.cropping ?? [1, 1], 2, "cropping", true) as [number, number];
    this.inputSpec = new InputSpec({ ndim: 3 });
  }

  private check(length: number | null, what: string, shape: Shape): void {
    if (length !== null && this.cropping[0] + this.cropping[1] >= length) {
      throw new Error(
        `\`cropping\` parameter of \`Cropping1D\` layer must be smaller than the input length. Received: ${what}=${JSON.stringify(shape)}, cropping=${JSON.stringify(this.cropping)}`,
      );
    }
  }

  override call(inputs: unknown, _kwargs?: CallArgs): Tensor {
    const x = singleTensor(inputs, this.name);
    this.check(x.shape[1] as number, "inputs.shape", x.shape);
    const [b, t, c] = x.shape;
    return tf.slice(x, [0, this.cropping[0], 0], [b, t - this.cropping[0] - this.cropping[1], c]);
  }

  override computeOutputShape(inputShape: unknown): Shape {
    const s = singleShape(inputShape, this.name);
    this.check(s[1], "input_shape", s);
    return [s[0], s[1] === null ? null : s[1] - this.cropping[0] - this.cropping[1], s[2]];
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), cropping: [...this.cropping] };
  }
}
registerBuiltin("keras.layers", Cropping1D);
