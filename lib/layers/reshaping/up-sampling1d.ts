/**
 * UpSampling1D (Keras's `layers/reshaping/up_sampling1d.py`).
 */
import type { Tensor } from "../../backend/tfjs.js";
import type { Shape } from "../../backend/keras-tensor.js";
import { registerBuiltin } from "../../saving/object-registration.js";
import { InputSpec } from "../input-spec.js";
import { Layer, type CallArgs, type LayerArgs } from "../layer.js";
import { singleShape, singleTensor } from "../layer-utils.js";
import { repeatAxis } from "./spatial-utils.js";

/** Options of UpSampling1D. */
export interface UpSampling1DArgs extends LayerArgs {
  /** How many times each step is repeated (also the first positional argument). Default 2. */
  size?: number;
}

/**
 * Repeats each step of `(batch, steps, features)` inputs `size` times.
 *
 * ```ts
 * layers.UpSampling1D(2)(x);  // [a, b] → [a, a, b, b] along the steps
 * ```
 */
export class UpSampling1D extends Layer {
  /** The repeat factor. */
  readonly size: number;

  /** `new UpSampling1D(2)` or `new UpSampling1D({ size: 2 })`. */
  constructor(size?: number | UpSampling1DArgs, args: UpSampling1DArgs = {}) {
    const opts: UpSampling1DArgs = typeof size === "object" && size !== null ? { ...size } : { ...args, size: size ?? args.size };
    const s = opts.size ?? 2;
    if (typeof s !== "number" || !Number.isInteger(s)) throw new Error(`Expected an integer value for \`size\`, got ${typeof s}.`);
    if (s <= 0) throw new Error(`Argument \`size\` should be a positive integer. Received: size=${s}`);
    super(opts);
    this.size = s;
    this.inputSpec = new InputSpec({ ndim: 3 });
  }

  override call(inputs: unknown, _kwargs?: CallArgs): Tensor {
    return repeatAxis(singleTensor(inputs, this.name), 1, this.size);
  }

  override computeOutputShape(inputShape: unknown): Shape {
    const s = singleShape(inputShape, this.name);
    return [s[0], s[1] === null ? null : s[1] * this.size, s[2]];
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), size: this.size };
  }
}
registerBuiltin("keras.layers", UpSampling1D);
