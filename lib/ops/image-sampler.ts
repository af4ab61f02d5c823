/**
 * The pixel sampler behind `keras.ops.image.affineTransform` and the
 * geometric image preprocessing layers (RandomRotation, RandomZoom,
 * RandomTranslation, RandomShear, RandomPerspective, RandomElasticTransform):
 * output pixels read input points given per pixel, with TensorFlow's
 * `ImageProjectiveTransformV3` semantics — the input coordinate is first
 * mapped into the image by the fill mode, then read with nearest (round half
 * away from zero) or bilinear interpolation; corners outside the image read
 * `fillValue` (`"constant"` mode).
 *
 * The source indices and interpolation weights are computed in JS and the
 * pixels are read with one `gather`, so the result is differentiable with
 * respect to the images (not to the sampling coordinates, as in Keras) and
 * correct for batches on every tfjs backend (tfjs's own `Transform` kernel
 * is not: its cpu kernel stops after the first image).
 */
import { tf, type Tensor } from "../backend/tfjs.js";

/**
 * How points outside the input are filled:
 * - `"constant"`: `(k k k k | a b c d | k k k k)` with `k = fillValue`;
 * - `"nearest"`: `(a a a a | a b c d | d d d d)`;
 * - `"wrap"`: `(a b c d | a b c d | a b c d)`;
 * - `"reflect"`: `(d c b a | a b c d | d c b a)` (about the pixel edge);
 * - `"mirror"`: `(d c b | a b c d | c b a)` (about the edge pixel's center).
 */
export type SamplerFillMode = "constant" | "nearest" | "wrap" | "reflect" | "mirror";

/** Pixel interpolation of the sampler. */
export type SamplerInterpolation = "bilinear" | "nearest";

/** Options of `sampleNHWC` / `projectiveTransform`. */
export interface SampleOptions {
  interpolation: SamplerInterpolation;
  fillMode: SamplerFillMode;
  /** The value read outside the image in `"constant"` mode. */
  fillValue: number;
  /**
   * Where the fill mode applies: `"coordinate"` (default) maps the input
   * coordinate into the image before interpolating (TensorFlow's
   * `ImageProjectiveTransformV3`, Keras's `affine_transform`); `"index"`
   * maps each integer pixel index that the interpolation reads (Keras's
   * `map_coordinates`, as JAX and SciPy do; used by `elastic_transform`).
   */
  boundary?: "coordinate" | "index";
}

/** The fill modes `keras.ops.image.affineTransform` accepts. */
export const AFFINE_TRANSFORM_FILL_MODES: readonly SamplerFillMode[] = ["constant", "nearest", "wrap", "mirror", "reflect"];
/** The interpolations `keras.ops.image.affineTransform` accepts. */
export const AFFINE_TRANSFORM_INTERPOLATIONS: readonly SamplerInterpolation[] = ["nearest", "bilinear"];

/**
 * Maps an input coordinate into `[0, len - 1]` by the fill mode, as
 * TensorFlow's `MapCoordinate` does (`"mirror"`, which TensorFlow lacks, as
 * SciPy's `map_coordinates`: a triangular wave of period `2 (len - 1)`).
 * `"constant"` leaves the coordinate as it is (the reads fill outside).
 */
export function mapCoordinate(c: number, len: number, mode: SamplerFillMode): number {
  if (mode === "constant") return c;
  if (mode === "nearest") return Math.min(Math.max(c, 0), len - 1);
  if (len <= 1) return 0;
  let v = c;
  if (mode === "mirror") {
    const s = len - 1;
    const t = (((v % (2 * s)) + 2 * s) % (2 * s));
    v = t > s ? 2 * s - t : t;
  } else if (mode === "reflect") {
    // [abcd] -> [dcba|abcd|dcba]
    const sz2 = 2 * len;
    if (v < 0) {
      if (v < sz2) v = sz2 * Math.trunc(-v / sz2) + v;
      v = v < -len ? v + sz2 : -v - 1;
    } else if (v > len - 1) {
      v -= sz2 * Math.trunc(v / sz2);
      if (v >= len) v = sz2 - v - 1;
    }
  } else if (v < 0) {
    // wrap: [abcd] -> [abcd|abcd|abcd]
    v += len * (Math.trunc(-v / (len - 1)) + 1);
  } else if (v > len - 1) {
    v -= len * Math.trunc(v / (len - 1));
  }
  return Math.min(Math.max(v, 0), len - 1);
}

/** Python's `%` (the result has the sign of `m`). */
function pmod(a: number, m: number): number {
  return ((a % m) + m) % m;
}

function mirrorIndex(i: number, len: number): number {
  if (len <= 1) return 0;
  const s = len - 1;
  return Math.abs(pmod(i + s, 2 * s) - s);
}

/**
 * Maps an integer pixel index by the fill mode, as `map_coordinates` does
 * (JAX's index fixers): the result may lie outside `[0, len)` only in
 * `"constant"` mode, where such reads take the fill value.
 */
export function mapIndex(i: number, len: number, mode: SamplerFillMode): number {
  switch (mode) {
    case "constant":
      return i;
    case "nearest":
      return Math.min(Math.max(i, 0), len - 1);
    case "wrap":
      return pmod(i, len);
    case "mirror":
      return mirrorIndex(i, len);
    case "reflect":
      return Math.floor((mirrorIndex(2 * i + 1, 2 * len + 1) - 1) / 2);
  }
}

/** Rounds half away from zero (C's `round`, used by TensorFlow's nearest sampling). */
function roundHalfAway(v: number): number {
  return v < 0 ? -Math.round(-v) : Math.round(v);
}

/**
 * Samples a channels_last batch `x` (N, H, W, C) at per-output-pixel input
 * coordinates given by `coords(b, outY, outX)` → `[inX, inY]` (or null for a
 * point at infinity, which reads `fillValue`), with TensorFlow's fill modes
 * and interpolation (or `map_coordinates`'s, with `boundary: "index"`). Returns `(N, outHeight, outWidth, C)` float32.
 * Differentiable with respect to `x`.
 */
export function sampleNHWC(
  x: Tensor,
  outHeight: number,
  outWidth: number,
  coords: (b: number, y: number, x: number) => readonly [number, number] | null,
  options: SampleOptions,
): Tensor {
  const [n, h, w, c] = x.shape as [number, number, number, number];
  const p = n * outHeight * outWidth;
  const k = options.interpolation === "bilinear" ? 4 : 1;
  const idx = new Int32Array(p * k);
  const wts = new Float32Array(p * k);
  const fill = new Float32Array(p);
  const byIndex = options.boundary === "index";
  let anyFill = false;
  let i = 0;
  for (let b = 0; b < n; b++) {
    const base = b * h * w;
    for (let oy = 0; oy < outHeight; oy++) {
      for (let ox = 0; ox < outWidth; ox++, i++) {
        const at = coords(b, oy, ox);
        if (at === null || !Number.isFinite(at[0]) || !Number.isFinite(at[1])) {
          fill[i] = 1;
          anyFill = true;
          continue;
        }
        const cx = byIndex ? at[0] : mapCoordinate(at[0], w, options.fillMode);
        const cy = byIndex ? at[1] : mapCoordinate(at[1], h, options.fillMode);
        if (k === 1) {
          const rx = byIndex ? mapIndex(roundHalfAway(cx), w, options.fillMode) : roundHalfAway(cx);
          const ry = byIndex ? mapIndex(roundHalfAway(cy), h, options.fillMode) : roundHalfAway(cy);
          if (rx >= 0 && rx < w && ry >= 0 && ry < h) {
            idx[i] = base + ry * w + rx;
            wts[i] = 1;
          } else {
            fill[i] = 1;
            anyFill = true;
          }
          continue;
        }
        const x0 = Math.floor(cx);
        const y0 = Math.floor(cy);
        const fx = cx - x0;
        const fy = cy - y0;
        for (let j = 0; j < 4; j++) {
          const yy = byIndex ? mapIndex(y0 + (j >> 1), h, options.fillMode) : y0 + (j >> 1);
          const xx = byIndex ? mapIndex(x0 + (j & 1), w, options.fillMode) : x0 + (j & 1);
          const wt = (j >> 1 ? fy : 1 - fy) * (j & 1 ? fx : 1 - fx);
          if (yy >= 0 && yy < h && xx >= 0 && xx < w) {
            idx[i * 4 + j] = base + yy * w + xx;
            wts[i * 4 + j] = wt;
          } else if (wt !== 0) {
            fill[i] += wt;
            anyFill = true;
          }
        }
      }
    }
  }
  return tf.tidy(() => {
    const xf = x.dtype === "float32" ? x : tf.cast(x, "float32");
    const flat = tf.reshape(xf, [n * h * w, c]);
    const gathered = tf.gather(flat, tf.tensor1d(idx, "int32"));
    let out: Tensor =
      k === 1
        ? tf.mul(gathered, tf.tensor2d(wts, [p, 1]))
        : tf.sum(tf.mul(tf.reshape(gathered, [p, k, c]), tf.tensor3d(wts, [p, k, 1])), 1);
    if (anyFill && options.fillValue !== 0) out = tf.add(out, tf.mul(tf.tensor2d(fill, [p, 1]), options.fillValue));
    return tf.reshape(out, [n, outHeight, outWidth, c]);
  });
}

/**
 * Applies projective transforms `[a0, a1, a2, b0, b1, b2, c0, c1]` (one for
 * all images, or one per image) to a rank-4 batch: the output point
 * `(x, y)` reads the input point `((a0 x + a1 y + a2) / k, (b0 x + b1 y + b2) / k)`
 * with `k = c0 x + c1 y + 1` (`keras.ops.image.affine_transform`). Returns float32.
 */
export function projectiveTransform(
  images: Tensor,
  transforms: readonly (readonly number[])[] | Float32Array,
  options: SampleOptions & { dataFormat: "channels_last" | "channels_first" },
): Tensor {
  const n = images.shape[0];
  const rows =
    transforms instanceof Float32Array
      ? Array.from({ length: transforms.length / 8 }, (_, r) => Array.from(transforms.subarray(r * 8, r * 8 + 8)))
      : transforms;
  if (rows.length !== 1 && rows.length !== n) {
    throw new Error(`Expected one transform, or one per image (${n}). Received ${rows.length} transforms.`);
  }
  return tf.tidy(() => {
    const x = options.dataFormat === "channels_first" ? tf.transpose(images, [0, 2, 3, 1]) : images;
    const [, h, w] = x.shape as [number, number, number, number];
    const out = sampleNHWC(
      x,
      h,
      w,
      (b, oy, ox) => {
        const t = rows[rows.length === 1 ? 0 : b];
        const proj = t[6] * ox + t[7] * oy + 1;
        if (proj === 0) return null;
        return [(t[0] * ox + t[1] * oy + t[2]) / proj, (t[3] * ox + t[4] * oy + t[5]) / proj];
      },
      options,
    );
    return options.dataFormat === "channels_first" ? tf.transpose(out, [0, 3, 1, 2]) : out;
  });
}
