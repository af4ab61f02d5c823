/**
 * Rescaling: `inputs * scale + offset` (Keras's `layers/preprocessing/rescaling.py`).
 */
import { tf, type Tensor } from "../../backend/tfjs.js";
import type { Shape } from "../../backend/keras-tensor.js";
import { imageDataFormat } from "../../backend/config.js";
import { registerBuiltin } from "../../saving/object-registration.js";
import { Layer, type CallArgs, type LayerArgs } from "../layer.js";
import { singleShape, singleTensor } from "../layer-utils.js";

/** A scale or offset: a number, or per-channel values. */
export type ScaleLike = number | readonly number[];

/** Options of Rescaling. */
export interface RescalingArgs extends LayerArgs {
  /** The scale (also the first positional argument), e.g. `1 / 255`. */
  scale?: ScaleLike;
  /** The offset added after scaling. Default 0. */
  offset?: ScaleLike;
}

/**
 * Rescales inputs: `x * scale + offset`, in the layer's compute dtype
 * (float32). `scale = 1 / 255` maps `[0, 255]` to `[0, 1]`; `scale = 1 / 127.5,
 * offset = -1` maps it to `[-1, 1]`.
 *
 * ```ts
 * layers.Rescaling(1 / 255)(images);
 * ```
 */
export class Rescaling extends Layer {
  /** The scale. */
  readonly scale: ScaleLike;
  /** The offset. */
  readonly offset: ScaleLike;

  /** `new Rescaling(1 / 255, { offset })` or `new Rescaling({ scale, offset })`. */
  constructor(scale?: ScaleLike | RescalingArgs, args: RescalingArgs = {}) {
    const opts: RescalingArgs =
      typeof scale === "object" && scale !== null && !Array.isArray(scale) ? { ...(scale as RescalingArgs) } : { ...args, scale: scale as ScaleLike };
    if (opts.scale == null) throw new Error("Rescaling: the `scale` argument is required.");
    super(opts);
    this.scale = Array.isArray(opts.scale) ? [...opts.scale] : (opts.scale as number);
    this.offset = opts.offset == null ? 0 : Array.isArray(opts.offset) ? [...opts.offset] : (opts.offset as number);
    this.supportsMasking = true;
  }

  override call(inputs: unknown, _kwargs?: CallArgs): Tensor {
    const x0 = singleTensor(inputs, this.name);
    const dtype = this.computeDtype;
    const x = x0.dtype === dtype ? x0 : tf.cast(x0, dtype);
    let scale: Tensor = tf.tensor(this.scale as number | number[], undefined, dtype);
    let offset: Tensor = tf.tensor(this.offset as number | number[], undefined, dtype);
    if (scale.rank > 0 && imageDataFormat() === "channels_first") scale = tf.reshape(scale, [...scale.shape, ...Array(3 - scale.rank).fill(1)]);
    if (offset.rank > 0 && imageDataFormat() === "channels_first") offset = tf.reshape(offset, [...offset.shape, ...Array(3 - offset.rank).fill(1)]);
    return tf.add(tf.mul(x, scale), offset);
  }

  override computeOutputShape(inputShape: unknown): Shape {
    return singleShape(inputShape, this.name);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), scale: this.scale, offset: this.offset };
  }
}
registerBuiltin("keras.layers", Rescaling);
