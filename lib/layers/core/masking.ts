/**
 * Masking: masks timesteps whose features all equal a value (Keras's `layers/core/masking.py`).
 */
import { tf, type Tensor } from "../../backend/tfjs.js";
import type { Shape } from "../../backend/keras-tensor.js";
import { registerBuiltin } from "../../saving/object-registration.js";
import { isSerializedObject } from "../../saving/serialized.js";
import { Layer, type CallArgs, type LayerArgs } from "../layer.js";
import { singleTensor } from "../layer-utils.js";

/** Options of Masking. */
export interface MaskingArgs extends LayerArgs {
  /** The value whose timesteps are masked (also the first positional argument). Default 0. */
  maskValue?: number;
}

/**
 * Masks a sequence by using a mask value to skip timesteps: a timestep whose
 * features all equal `maskValue` is masked (its output features are set to 0)
 * in all downstream layers that support masking (RNNs, ...). The mask is
 * `any(inputs != maskValue, axis=-1)`.
 *
 * ```ts
 * const model = keras.Sequential([layers.Input({ shape: [10, 8] }), layers.Masking(0), layers.LSTM(32)]);
 * ```
 */
export class Masking extends Layer {
  /** The value of masked timesteps. */
  readonly maskValue: number;

  /** `new Masking(0)` or `new Masking({ maskValue: -1 })`. */
  constructor(maskValue: number | MaskingArgs = 0, args: MaskingArgs = {}) {
    const opts: MaskingArgs = typeof maskValue === "object" && maskValue !== null ? { ...maskValue } : { ...args, maskValue };
    super(opts);
    let mv: unknown = opts.maskValue ?? 0;
    if (isSerializedObject(mv)) {
      const c = mv.config as { value?: unknown } | null;
      mv = Array.isArray(c?.value) ? (c.value as number[])[0] : c?.value;
    }
    if (typeof mv !== "number") throw new Error(`Masking: \`mask_value\` must be a number. Received: mask_value=${JSON.stringify(mv)}`);
    this.maskValue = mv;
    this.supportsMasking = true;
    this.built = true;
  }

  /** `any(x != maskValue, axis=-1)` (comparisons have a zero gradient, lib/backend/zero-gradients.ts). */
  private keepMask(x: Tensor): Tensor {
    return tf.tidy(() => tf.any(tf.notEqual(x, tf.scalar(this.maskValue, x.dtype)), -1));
  }

  override call(inputs: unknown, _kwargs?: CallArgs): Tensor {
    const x = singleTensor(inputs, this.name);
    return tf.where(tf.expandDims(this.keepMask(x), -1), x, tf.zerosLike(x));
  }

  /** `any(inputs != maskValue, axis=-1)`. */
  override computeMask(inputs: unknown, _mask?: unknown): Tensor {
    return this.keepMask(singleTensor(inputs, this.name));
  }

  override computeOutputShape(inputShape: unknown): Shape {
    return inputShape as Shape;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), mask_value: this.maskValue };
  }
}
registerBuiltin("keras.layers", Masking);
