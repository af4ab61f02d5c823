/**
 * Equalization (Keras's `image_preprocessing/equalization.py`).
 */
import { tf, type Tensor } from "../../../backend/tfjs.js";
import { registerBuiltin } from "../../../saving/object-registration.js";
import { BaseImagePreprocessingLayer, type BaseImagePreprocessingLayerArgs } from "./base-image-preprocessing-layer.js";
import { fromNHWC, mainArg, parseValueRange, toNHWC } from "./image-utils.js";

/** Options of Equalization. */
export interface EqualizationArgs extends BaseImagePreprocessingLayerArgs {
  /** The range of the input values (first positional argument). Default `[0, 255]`. */
  valueRange?: readonly number[];
  /** The number of histogram bins. Default 256. */
  bins?: number;
}

/**
 * Histogram equalization of each channel of each image: values are
 * remapped through the channel's cumulative histogram so they spread over
 * `valueRange`. Channels with a single distinct bin are kept. Applied unless
 * the call says `training: false` (as Keras's code).
 *
 * Each image is equalized with its own histogram (Keras 3 pools the
 * histogram over the batch; both agree for one image).
 *
 * ```ts
 * const eq = layers.Equalization({ valueRange: [0, 1], bins: 128 });
 * ```
 */
export class Equalization extends BaseImagePreprocessingLayer {
  readonly valueRange: [number, number];
  readonly bins: number;

  /** `new Equalization([0, 1])` or `new Equalization({ valueRange: [0, 1], bins: 128 })`. */
  constructor(valueRange: readonly number[] | EqualizationArgs = [0, 255], args: EqualizationArgs = {}) {
    const opts = mainArg<EqualizationArgs>(valueRange, args, "valueRange");
    super(opts);
    this.bins = opts.bins ?? 256;
    if (!Number.isInteger(this.bins) || this.bins < 1) throw new Error(`\`bins\` must be a positive integer. Received: bins=${String(opts.bins)}`);
    this.valueRange = parseValueRange(opts.valueRange ?? [0, 255]);
  }

  override transformImages(images: Tensor, transformation: unknown, training = true): Tensor {
    void transformation;
    const x = this.castImages(images);
    if (!training) return x;
    return tf.tidy(() => {
      const nhwc = toNHWC(this.transformValueRange(x, this.valueRange, [0, 255]), this.dataFormat);
      const [n, h, w, c] = nhwc.shape as [number, number, number, number];
      const data = nhwc.dataSync() as Float32Array;
      const out = new Float32Array(data.length);
      const bins = this.bins;
      const hist = new Float64Array(bins);
      const lut = new Float64Array(bins);
      const px = h * w;
      const binOf = (v: number): number => Math.min(Math.max(Math.trunc((v * (bins - 1)) / 255), 0), bins - 1);
      for (let b = 0; b < n; b++) {
        for (let ch = 0; ch < c; ch++) {
          hist.fill(0);
          const base = b * px * c + ch;
          for (let i = 0; i < px; i++) hist[binOf(data[base + i * c])] += 1;
          let nonzero = 0;
          for (let k = 0; k < bins; k++) if (hist[k] > 0) nonzero++;
          if (nonzero <= 1) {
            for (let i = 0; i < px; i++) out[base + i * c] = data[base + i * c];
            continue;
          }
          let cum = 0;
          let cdfMin = -1;
          const cdf = new Float64Array(bins);
          for (let k = 0; k < bins; k++) {
            cum += hist[k];
            cdf[k] = cum;
            if (cdfMin < 0 && cum > 0) cdfMin = cum;
          }
          const denom = cdf[bins - 1] - cdfMin || 1;
          for (let k = 0; k < bins; k++) lut[k] = Math.min(Math.max(Math.round(((cdf[k] - cdfMin) * 255) / denom), 0), 255);
          for (let i = 0; i < px; i++) {
            const v = data[base + i * c];
            const idx = Math.trunc(Math.min(Math.max((v / 255) * (bins - 1), 0), bins - 1));
            out[base + i * c] = lut[idx];
          }
        }
      }
      const eq = fromNHWC(tf.tensor4d(out, [n, h, w, c]), this.dataFormat);
      return this.transformValueRange(eq, [0, 255], this.valueRange);
    });
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), bins: this.bins, value_range: [...this.valueRange] };
  }
}
registerBuiltin("keras.layers", Equalization);
