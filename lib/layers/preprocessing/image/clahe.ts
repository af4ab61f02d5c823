/**
 * ContrastLimitedAdaptiveHistogramEqualization (Keras's
 * `image_preprocessing/clahe.py`).
 */
import { tf, type Tensor } from "../../../backend/tfjs.js";
import { registerBuiltin } from "../../../saving/object-registration.js";
import { BaseImagePreprocessingLayer, type BaseImagePreprocessingLayerArgs } from "./base-image-preprocessing-layer.js";
import { fromNHWC, mainArg, toNHWC } from "./image-utils.js";

/** Options of ContrastLimitedAdaptiveHistogramEqualization. */
export interface ContrastLimitedAdaptiveHistogramEqualizationArgs extends BaseImagePreprocessingLayerArgs {
  /** The range of the input values (first positional argument). Default `[0, 255]`. */
  valueRange?: readonly number[];
  /**
   * Limits the contrast amplification: each tile's histogram bins are
   * clipped at `clipLimit * tileArea / 256` and the excess is spread evenly
   * over the 256 bins. 0 (or less) disables clipping (plain adaptive
   * equalization). Default 4.
   */
  clipLimit?: number;
  /** The number of tiles `[rows, columns]` the image is divided into. Default `[8, 8]`. */
  tileGridSize?: readonly number[];
}

/**
 * Contrast Limited Adaptive Histogram Equalization (CLAHE): each channel of
 * each image is cut into a grid of tiles, every tile gets its own
 * contrast-limited histogram equalization table, and each pixel's output
 * interpolates bilinearly between the tables of the four nearest tile
 * centers, so tile borders do not show.
 *
 * Values are mapped from `valueRange` to `[0, 255]`, read as integer
 * levels 0..255, and mapped back; the output is a float. Images whose size
 * is not a multiple of the grid are padded by mirroring (NumPy's
 * `"symmetric"`) for the tiles, then cropped. As in Keras, the layer is
 * deterministic and applies with `training: false` too.
 *
 * ```ts
 * const clahe = layers.ContrastLimitedAdaptiveHistogramEqualization({ valueRange: [0, 1], tileGridSize: [4, 4] });
 * ```
 */
export class ContrastLimitedAdaptiveHistogramEqualization extends BaseImagePreprocessingLayer {
  readonly valueRange: [number, number];
  readonly clipLimit: number;
  readonly tileGridSize: [number, number];

  /** `new ContrastLimitedAdaptiveHistogramEqualization([0, 1])` or `new ContrastLimitedAdaptiveHistogramEqualization({ clipLimit: 2 })`. */
  constructor(
    valueRange: readonly number[] | ContrastLimitedAdaptiveHistogramEqualizationArgs = [0, 255],
    args: ContrastLimitedAdaptiveHistogramEqualizationArgs = {},
  ) {
    const opts = mainArg<ContrastLimitedAdaptiveHistogramEqualizationArgs>(valueRange, args, "valueRange");
    super(opts);
    const vr = opts.valueRange ?? [0, 255];
    if (!Array.isArray(vr) || vr.length !== 2 || !vr.every((v) => typeof v === "number")) {
      throw new Error(`The \`value_range\` argument should be a list of two numbers. Received: value_range=${JSON.stringify(vr)}`);
    }
    this.valueRange = [vr[0], vr[1]];
    this.clipLimit = opts.clipLimit ?? 4;
    if (typeof this.clipLimit !== "number" || !Number.isFinite(this.clipLimit)) {
      throw new Error(`\`clip_limit\` must be a number. Received: clip_limit=${String(opts.clipLimit)}`);
    }
    const grid = opts.tileGridSize ?? [8, 8];
    if (!Array.isArray(grid) || grid.length !== 2 || !grid.every((g) => Number.isInteger(g) && g >= 1)) {
      throw new Error(`\`tile_grid_size\` must be two positive integers (rows, columns). Received: tile_grid_size=${JSON.stringify(grid)}`);
    }
    this.tileGridSize = [grid[0], grid[1]];
  }

  override transformImages(images: Tensor, transformation: unknown, training = true): Tensor {
    void transformation;
    void training; // Keras applies CLAHE in inference too.
    const x = this.castImages(images);
    return tf.tidy(() => {
      const nhwc = toNHWC(this.transformValueRange(x, this.valueRange, [0, 255]), this.dataFormat);
      const [n, h, w, c] = nhwc.shape as [number, number, number, number];
      const out = clahe(nhwc.dataSync() as Float32Array, n, h, w, c, this.tileGridSize, this.clipLimit);
      const y = fromNHWC(tf.tensor4d(out, [n, h, w, c]), this.dataFormat);
      const back = this.transformValueRange(y, [0, 255], this.valueRange);
      return back.dtype === x.dtype ? back : tf.cast(back, x.dtype);
    });
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      value_range: [...this.valueRange],
      clip_limit: this.clipLimit,
      tile_grid_size: [...this.tileGridSize],
      data_format: this.dataFormat,
    };
  }
}
registerBuiltin("keras.layers", ContrastLimitedAdaptiveHistogramEqualization);

/** NumPy's `"symmetric"` padding index: `a b c | c b a | a b c ...` for `i >= len`. */
function symmetricIndex(i: number, len: number): number {
  const m = i % (2 * len);
  return m < len ? m : 2 * len - 1 - m;
}

/** An integer level 0..255 of a value in [0, 255] (truncation toward zero, then clipping, as Keras's int32 cast and clip). */
function level(v: number): number {
  const t = Math.trunc(v);
  return t < 0 ? 0 : t > 255 ? 255 : Number.isNaN(t) ? 0 : t;
}

/**
 * Keras's `_clahe` on channels_last values in [0, 255]: per-tile histograms
 * of 256 levels, clipped and redistributed, normalized CDFs as lookup
 * tables, and bilinear interpolation between the tables of the tile
 * centers (edge tiles replicated).
 */
export function clahe(
  data: Float32Array,
  n: number,
  h: number,
  w: number,
  c: number,
  grid: readonly [number, number],
  clipLimit: number,
): Float32Array {
  const [gh, gw] = grid;
  const th = Math.ceil(h / gh);
  const tw = Math.ceil(w / gw);
  const area = th * tw;
  const out = new Float32Array(data.length);
  // Tables of the (gh + 2) x (gw + 2) grid with replicated borders, per channel: [gy][gx][level].
  const luts = new Float32Array((gh + 2) * (gw + 2) * 256);
  const hist = new Float64Array(256);
  const limit = (clipLimit * area) / 256;
  // Interpolation positions along each axis of the padded image (only the first h / w are kept).
  const axis = (len: number, tile: number): { i0: Int32Array; i1: Int32Array; wt: Float32Array } => {
    const i0 = new Int32Array(len);
    const i1 = new Int32Array(len);
    const wt = new Float32Array(len);
    for (let p = 0; p < len; p++) {
      const g = (p - tile / 2) / tile + 1;
      const f = Math.floor(g);
      wt[p] = g - f;
      i0[p] = f;
      i1[p] = f + 1;
    }
    return { i0, i1, wt };
  };
  const ys = axis(h, th);
  const xs = axis(w, tw);
  const lutAt = (gy: number, gx: number): number => (gy * (gw + 2) + gx) * 256;
  for (let b = 0; b < n; b++) {
    const img = b * h * w * c;
    for (let ch = 0; ch < c; ch++) {
      for (let ty = 0; ty < gh; ty++) {
        for (let tx = 0; tx < gw; tx++) {
          hist.fill(0);
          for (let yy = ty * th; yy < (ty + 1) * th; yy++) {
            const sy = yy < h ? yy : symmetricIndex(yy, h);
            for (let xx = tx * tw; xx < (tx + 1) * tw; xx++) {
              const sx = xx < w ? xx : symmetricIndex(xx, w);
              hist[level(data[img + (sy * w + sx) * c + ch])] += 1;
            }
          }
          if (clipLimit > 0) {
            let excess = 0;
            for (let k = 0; k < 256; k++) {
              if (hist[k] > limit) {
                excess += hist[k] - limit;
                hist[k] = limit;
              }
            }
            const redist = excess / 256;
            for (let k = 0; k < 256; k++) hist[k] += redist;
          }
          let cum = 0;
          const base = lutAt(ty + 1, tx + 1);
          const cdfMin = hist[0];
          let denom = area - cdfMin;
          if (denom === 0) denom = 1;
          for (let k = 0; k < 256; k++) {
            cum += hist[k];
            const v = ((cum - cdfMin) * 255) / denom;
            luts[base + k] = v < 0 ? 0 : v > 255 ? 255 : v;
          }
        }
      }
      // Replicate the border tables (top/bottom rows, then left/right columns, corners included).
      for (let tx = 1; tx <= gw; tx++) {
        luts.copyWithin(lutAt(0, tx), lutAt(1, tx), lutAt(1, tx) + 256);
        luts.copyWithin(lutAt(gh + 1, tx), lutAt(gh, tx), lutAt(gh, tx) + 256);
      }
      for (let ty = 0; ty <= gh + 1; ty++) {
        luts.copyWithin(lutAt(ty, 0), lutAt(ty, 1), lutAt(ty, 1) + 256);
        luts.copyWithin(lutAt(ty, gw + 1), lutAt(ty, gw), lutAt(ty, gw) + 256);
      }
      for (let y = 0; y < h; y++) {
        const y0 = Math.min(Math.max(ys.i0[y], 0), gh + 1);
        const y1 = Math.min(Math.max(ys.i1[y], 0), gh + 1);
        const wy = ys.wt[y];
        for (let x = 0; x < w; x++) {
          const x0 = Math.min(Math.max(xs.i0[x], 0), gw + 1);
          const x1 = Math.min(Math.max(xs.i1[x], 0), gw + 1);
          const wx = xs.wt[x];
          const at = img + (y * w + x) * c + ch;
          const v = level(data[at]);
          const top = luts[lutAt(y0, x0) + v] * (1 - wx) + luts[lutAt(y0, x1) + v] * wx;
          const bottom = luts[lutAt(y1, x0) + v] * (1 - wx) + luts[lutAt(y1, x1) + v] * wx;
          out[at] = top * (1 - wy) + bottom * wy;
        }
      }
    }
  }
  return out;
}
