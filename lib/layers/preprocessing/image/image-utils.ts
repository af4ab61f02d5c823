/**
 * Helpers shared by the image preprocessing layers: factor and value-range
 * parsing, layout changes, seeded draws of per-image parameters, affine
 * matrices, homographies and Gaussian blur for the geometric layers.
 *
 * The pixel sampler itself (projective transforms with Keras's fill modes)
 * lives in `lib/ops/image-sampler.ts`, shared with
 * `keras.ops.image.affineTransform`, and is re-exported here: it reads
 * pixels with `gather`, so it is differentiable with respect to the images
 * and correct for batches on every tfjs backend.
 */
import { tf, type Tensor } from "../../../backend/tfjs.js";
import { drawSeed, SplitMix32, type SeedGenerator } from "../../../random/seed-generator.js";

/** Where the channels are: `"channels_last"` (N, H, W, C) or `"channels_first"` (N, C, H, W). */
export type DataFormat = "channels_last" | "channels_first";

/** A factor: one number `f` (the range `[-f, f]`, clipped to the layer's bounds) or a `[lower, upper]` pair. */
export type FactorLike = number | readonly number[];

/** How points outside the input are filled by the geometric layers. */
export type FillMode = "reflect" | "wrap" | "constant" | "nearest";

/** Pixel interpolation of the geometric layers. */
export type Interpolation = "bilinear" | "nearest";

/** The fill modes Keras's geometric layers accept. */
export const SUPPORTED_FILL_MODES: readonly FillMode[] = ["reflect", "wrap", "constant", "nearest"];
/** The interpolations Keras's geometric layers accept. */
export const SUPPORTED_INTERPOLATIONS: readonly Interpolation[] = ["nearest", "bilinear"];

/** Throws Keras's error for an unknown fill mode. */
export function checkFillMode(fillMode: string): FillMode {
  if (!(SUPPORTED_FILL_MODES as readonly string[]).includes(fillMode)) {
    throw new Error(`Unknown \`fill_mode\` ${fillMode}. Expected of one ('reflect', 'wrap', 'constant', 'nearest').`);
  }
  return fillMode as FillMode;
}

/** Throws Keras's error for an unknown interpolation. */
export function checkInterpolation(interpolation: string): Interpolation {
  if (!(SUPPORTED_INTERPOLATIONS as readonly string[]).includes(interpolation)) {
    throw new Error(`Unknown \`interpolation\` ${interpolation}. Expected of one ('nearest', 'bilinear').`);
  }
  return interpolation as Interpolation;
}

function fmt(x: unknown): string {
  return Array.isArray(x) ? `(${x.join(", ")})` : String(x);
}

/**
 * Keras's base `_set_factor`: a number `f` in `bounds` gives
 * `[max(-|f|, bounds[0]), |f|]`; a pair gives its sorted values.
 */
export function parseFactor(factor: unknown, bounds: readonly [number, number], name = "factor"): [number, number] {
  const msg =
    `The \`${name}\` argument should be a number (or a list of two numbers) in the range ` +
    `[${bounds[0]}, ${bounds[1]}]. Received: ${name}=${fmt(factor)}`;
  if (Array.isArray(factor)) {
    if (factor.length !== 2 || !factor.every((v) => typeof v === "number")) throw new Error(msg);
    const [a, b] = factor as number[];
    if (a > bounds[1] || b < bounds[0]) throw new Error(msg);
    return a <= b ? [a, b] : [b, a];
  }
  if (typeof factor === "number" && Number.isFinite(factor)) {
    if (factor < bounds[0] || factor > bounds[1]) throw new Error(msg);
    const f = Math.abs(factor);
    return [Math.max(0 - f, bounds[0]), f];
  }
  throw new Error(msg);
}

/**
 * The symmetric factor parsing of RandomZoom / RandomTranslation /
 * RandomShear: each value must satisfy `check`; a number `f` gives `[-|f|, |f|]`.
 */
export function parseSymmetricFactor(
  factor: unknown,
  name: string,
  check: (v: number) => boolean,
  errorPrefix: string,
): [number, number] {
  const fail = (what: string): never => {
    throw new Error(`${errorPrefix}Received: ${what}`);
  };
  if (Array.isArray(factor)) {
    if (factor.length !== 2 || !factor.every((v) => typeof v === "number")) fail(`${name}=${fmt(factor)}`);
    const [a, b] = factor as number[];
    if (!check(a)) fail(`input_number=${a}`);
    if (!check(b)) fail(`input_number=${b}`);
    return a <= b ? [a, b] : [b, a];
  }
  if (typeof factor === "number" && Number.isFinite(factor)) {
    if (!check(factor)) fail(`input_number=${factor}`);
    const f = Math.abs(factor);
    return [0 - f, f];
  }
  return fail(`${name}=${fmt(factor)}`);
}

/** Checks a `value_range`: two numbers, returned sorted (as Keras's `_set_value_range`). */
export function parseValueRange(valueRange: unknown, sort = true): [number, number] {
  if (!Array.isArray(valueRange) || valueRange.length !== 2 || !valueRange.every((v) => typeof v === "number")) {
    throw new Error(`The \`value_range\` argument should be a list of two numbers. Received: value_range=${fmt(valueRange)}`);
  }
  const [a, b] = valueRange as number[];
  return sort && a > b ? [b, a] : [a, b];
}

/** Rescales values from `from` to `to` (Keras's `_transform_value_range`). */
export function transformValueRange(images: Tensor, from: readonly number[], to: readonly number[]): Tensor {
  if (from[0] === to[0] && from[1] === to[1]) return images;
  return tf.tidy(() => {
    const x = images.dtype === "float32" ? images : tf.cast(images, "float32");
    const unit = tf.div(tf.sub(x, from[0]), from[1] - from[0]);
    return tf.add(tf.mul(unit, to[1] - to[0]), to[0]);
  });
}

/** A batch (rank 4) in channels_last layout. */
export function toNHWC(images: Tensor, dataFormat: DataFormat): Tensor {
  return dataFormat === "channels_first" ? tf.transpose(images, [0, 2, 3, 1]) : images;
}

/** Back from channels_last to the layer's layout. */
export function fromNHWC(images: Tensor, dataFormat: DataFormat): Tensor {
  return dataFormat === "channels_first" ? tf.transpose(images, [0, 3, 1, 2]) : images;
}

/** Height and width of a batch (rank 4) or an image (rank 3) in the given layout. */
export function spatialSize(shape: readonly (number | null)[], dataFormat: DataFormat): [number, number] {
  const r = shape.length;
  const [h, w] = dataFormat === "channels_first" ? [shape[r - 2], shape[r - 1]] : [shape[r - 3], shape[r - 2]];
  return [h ?? -1, w ?? -1];
}

/** The channel axis of a rank-4 batch. */
export function channelAxis(dataFormat: DataFormat): number {
  return dataFormat === "channels_first" ? 1 : 3;
}

/** A per-image column `(n, 1, 1, 1)` of values, broadcast over a batch. */
export function perImage(values: ArrayLike<number>, n: number): Tensor {
  return tf.tensor4d(Float32Array.from(values as ArrayLike<number>), [n, 1, 1, 1]);
}

/** `n` uniform draws in `[minval, maxval)` from one seed of `seed` (one Keras `random.uniform` call). */
export function uniformArray(seed: SeedGenerator, n: number, minval = 0, maxval = 1): number[] {
  const rng = new SplitMix32(drawSeed(seed));
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) out[i] = minval + (maxval - minval) * rng.nextFloat();
  return out;
}

/** `n` uniform integers in `[minval, maxval)` from one seed of `seed`. */
export function randintArray(seed: SeedGenerator, n: number, minval: number, maxval: number): number[] {
  const rng = new SplitMix32(drawSeed(seed));
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) out[i] = minval + rng.nextBelow(Math.max(1, maxval - minval));
  return out;
}

// ---------------------------------------------------------------------------
// Sampling: one sampler for the layers and `keras.ops.image.affineTransform`.

export { sampleNHWC, projectiveTransform, mapCoordinate, type SampleOptions } from "../../../ops/image-sampler.js";

/**
 * Keras's `_compute_affine_matrix` for one image: rotation by `angle`
 * degrees about `(centerX, centerY)` (fractions of the size), translation,
 * scale and shear (degrees). Returns the 8 transform values.
 */
export function affineMatrix(p: {
  centerX: number;
  centerY: number;
  angle: number;
  translateX: number;
  translateY: number;
  scale: number;
  shearX: number;
  shearY: number;
  height: number;
  width: number;
}): number[] {
  const rad = Math.PI / 180;
  const angle = p.angle * rad;
  const cx = p.centerX * (p.width - 1);
  const cy = p.centerY * (p.height - 1);
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  const shx = Math.tan(p.shearX * rad);
  const shy = Math.tan(p.shearY * rad);
  const a0 = p.scale * (cos + shx * sin);
  const a1 = p.scale * (-sin + shx * cos);
  const a2 = p.translateX + cx - cx * a0 - cy * a1;
  const b0 = p.scale * (shy * cos + sin);
  const b1 = p.scale * (shy * -sin + cos);
  const b2 = p.translateY + cy - cx * b0 - cy * b1;
  return [a0, a1, a2, b0, b1, b2, 0, 0];
}

/** Solves the 8x8 linear system of a homography mapping `end` points to `start` points (Keras's `compute_homography_matrix`). */
export function homography(start: readonly (readonly number[])[], end: readonly (readonly number[])[]): number[] {
  const a: number[][] = [];
  const rhs: number[] = [];
  for (let i = 0; i < 4; i++) {
    const [sx, sy] = start[i];
    const [ex, ey] = end[i];
    a.push([ex, ey, 1, 0, 0, 0, -sx * ex, -sx * ey]);
    a.push([0, 0, 0, ex, ey, 1, -sy * ex, -sy * ey]);
    rhs.push(sx, sy);
  }
  return solveLinear(a, rhs);
}

/** Gaussian elimination with partial pivoting. */
function solveLinear(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]]);
  for (let col = 0; col < n; col++) {
    let piv = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(m[r][col]) > Math.abs(m[piv][col])) piv = r;
    [m[col], m[piv]] = [m[piv], m[col]];
    const d = m[col][col];
    if (d === 0) continue;
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const f = m[r][col] / d;
      if (f === 0) continue;
      for (let c = col; c <= n; c++) m[r][c] -= f * m[col][c];
    }
  }
  return m.map((row, i) => (row[i] === 0 ? 0 : row[n] / row[i]));
}

/** A normalized 1D Gaussian of odd `size` (Keras's `_get_gaussian_kernel1d`). */
export function gaussian1d(size: number, sigma: number): number[] {
  const out: number[] = [];
  let s = 0;
  for (let i = 0; i < size; i++) {
    const x = i - (size - 1) / 2;
    const v = Math.exp(-0.5 * (x / sigma) ** 2);
    out.push(v);
    s += v;
  }
  return out.map((v) => v / s);
}

/**
 * Blurs a rank-4 batch with a Gaussian kernel of `kernelSize` and `sigma`
 * (`[x, y]`, as Keras's `ops.image.gaussian_blur`), zero padding "same".
 */
export function gaussianBlur(
  images: Tensor,
  kernelSize: readonly [number, number],
  sigma: readonly [number, number],
  dataFormat: DataFormat,
): Tensor {
  return tf.tidy(() => {
    const x = toNHWC(images, dataFormat) as tf.Tensor4D;
    const c = x.shape[3];
    const kx = gaussian1d(kernelSize[0], sigma[0]);
    const ky = gaussian1d(kernelSize[1], sigma[1]);
    const vals: number[] = [];
    for (const vy of ky) for (const vx of kx) vals.push(vy * vx);
    const k2 = tf.tensor4d(vals, [ky.length, kx.length, 1, 1]);
    const kernel = tf.tile(k2, [1, 1, c, 1]) as tf.Tensor4D;
    return fromNHWC(tf.depthwiseConv2d(x, kernel, 1, "same"), dataFormat);
  });
}

/** A 3x3 (or any) depthwise convolution of a rank-4 channels_last batch with one kernel for every channel, "same" zero padding. */
export function depthwiseSame(x: Tensor, kernel: readonly (readonly number[])[]): Tensor {
  return tf.tidy(() => {
    const c = x.shape[3] as number;
    const kh = kernel.length;
    const kw = kernel[0].length;
    const k = tf.tile(tf.tensor4d(kernel.flat(), [kh, kw, 1, 1]), [1, 1, c, 1]) as tf.Tensor4D;
    return tf.depthwiseConv2d(x as tf.Tensor4D, k, 1, "same");
  });
}

/**
 * The options of a constructor called as `new L(main, options)` or
 * `new L(options)` (and from `fromConfig`): a plain object as the first
 * argument is the options; anything else is the value of `key`.
 */
export function mainArg<A extends object>(first: unknown, args: A | undefined, key: string): A {
  if (typeof first === "object" && first !== null && !Array.isArray(first)) return { ...(first as A) };
  const out = { ...(args ?? ({} as A)) } as Record<string, unknown>;
  if (first !== undefined) out[key] = first;
  return out as A;
}

/**
 * A boolean mask of `shape` (a rank-4 batch) that is true inside each
 * image's box `[x0, x1) x [y0, y1)` (pixel coordinates), on every channel.
 */
export function boxMask(
  shape: readonly number[],
  dataFormat: DataFormat,
  x0: readonly number[],
  x1: readonly number[],
  y0: readonly number[],
  y1: readonly number[],
): Tensor {
  const [n] = shape;
  const [h, w] = spatialSize(shape, dataFormat);
  const m = new Uint8Array(n * h * w);
  for (let b = 0; b < n; b++) {
    for (let y = 0; y < h; y++) {
      if (!(y >= y0[b] && y < y1[b])) continue;
      for (let x = 0; x < w; x++) if (x >= x0[b] && x < x1[b]) m[(b * h + y) * w + x] = 1;
    }
  }
  return tf.tidy(() => {
    const mask = tf.tensor4d(m, dataFormat === "channels_last" ? [n, h, w, 1] : [n, 1, h, w], "bool");
    return tf.broadcastTo(mask, shape as number[]);
  });
}
