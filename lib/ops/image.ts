/**
 * keras.ops.image: resizing, padding and cropping, color conversions, patch
 * extraction and affine transforms of 3D (one image) or 4D (a batch) tensors.
 */
import { tf, type Tensor } from "../backend/tfjs.js";
import { standardizeDataFormat } from "../backend/config.js";
import { convertToTensor, type OpInput, type OpResult, type TensorLike } from "./convert.js";
import { dispatch } from "./operation.js";
import { conv, type DataFormat, type IntOrTuple, type Padding } from "./nn.js";
import {
  AFFINE_TRANSFORM_FILL_MODES,
  AFFINE_TRANSFORM_INTERPOLATIONS,
  projectiveTransform,
  type SamplerFillMode,
  type SamplerInterpolation,
} from "./image-sampler.js";

function fl(x: TensorLike): Tensor {
  const t = convertToTensor(x);
  return t.dtype === "float32" ? t : tf.cast(t, "float32");
}

function checkRank(t: Tensor): void {
  if (t.rank !== 3 && t.rank !== 4) {
    throw new Error(
      "Invalid images rank: expected rank 3 (single image) or rank 4 (batch of images). " +
        `Received input with shape: images.shape=[${t.shape}]`,
    );
  }
}

/** Runs `f` on a channels_last 4D batch, restoring the rank and format of `images`. */
function asBatchNHWC(images: Tensor, dataFormat: DataFormat | null | undefined, f: (x: tf.Tensor4D) => Tensor): Tensor {
  checkRank(images);
  const fmt = standardizeDataFormat(dataFormat);
  const single = images.rank === 3;
  let x = single ? tf.expandDims(images, 0) : images;
  if (fmt === "channels_first") x = tf.transpose(x, [0, 2, 3, 1]);
  let y = f(x as tf.Tensor4D);
  if (fmt === "channels_first") y = tf.transpose(y, [0, 3, 1, 2]);
  return single ? tf.squeeze(y, [0]) : y;
}

/** Options of `resize`. */
export interface ResizeOptions {
  /** "bilinear" (default) or "nearest". */
  interpolation?: "bilinear" | "nearest";
  /** Antialiasing when downsampling; only false is supported. */
  antialias?: boolean;
  /** Crop the largest centered window with the target aspect ratio before resizing. */
  cropToAspectRatio?: boolean;
  /** Pad (with `fillValue`) to the target aspect ratio before resizing. */
  padToAspectRatio?: boolean;
  /** Only "constant" is supported. */
  fillMode?: "constant";
  /** The padding value for `padToAspectRatio`. Default 0. */
  fillValue?: number;
  /** Channels position; default from the Keras config. */
  dataFormat?: DataFormat | null;
}

/** Resizes images to `size = [height, width]` (half-pixel centers, as Keras). */
export function resize<A extends OpInput>(images: A, size: readonly [number, number] | readonly number[], options: ResizeOptions = {}): OpResult<A> {
  const interpolation = options.interpolation ?? "bilinear";
  if (interpolation !== "bilinear" && interpolation !== "nearest") {
    throw new Error(`resize: interpolation '${String(interpolation)}' is not supported by tskeras; use "bilinear" or "nearest".`);
  }
  if (options.antialias) throw new Error("resize: antialias=true is not supported by tskeras.");
  if (options.cropToAspectRatio && options.padToAspectRatio) {
    throw new Error("Only one of `crop_to_aspect_ratio` & `pad_to_aspect_ratio` can be `True`.");
  }
  if (size.length !== 2) throw new Error(`Expected \`size\` to be a tuple of 2 integers. Received: size=${JSON.stringify(size)}`);
  const [th, tw] = size as [number, number];
  return dispatch("resize", [images], (v: TensorLike) =>
    tf.tidy(() => {
      const t = convertToTensor(v);
      const dtype = t.dtype;
      const out = asBatchNHWC(fl(t), options.dataFormat, (x) => {
        let img: tf.Tensor4D = x;
        const [, h, w] = x.shape;
        if (options.cropToAspectRatio) {
          const ch = Math.max(Math.min(h, Math.trunc((w * th) / tw)), 1);
          const cw = Math.max(Math.min(w, Math.trunc((h * tw) / th)), 1);
          const hs = Math.trunc((h - ch) / 2);
          const ws = Math.trunc((w - cw) / 2);
          img = tf.slice(x, [0, hs, ws, 0], [x.shape[0], ch, cw, x.shape[3]]);
        } else if (options.padToAspectRatio) {
          const ph = Math.max(h, Math.trunc((w * th) / tw));
          const pw = Math.max(w, Math.trunc((h * tw) / th));
          const top = Math.trunc((ph - h) / 2);
          const left = Math.trunc((pw - w) / 2);
          img = tf.pad(x, [[0, 0], [top, ph - h - top], [left, pw - w - left], [0, 0]], options.fillValue ?? 0);
        }
        return interpolation === "bilinear"
          ? tf.image.resizeBilinear(img, [th, tw], false, true)
          : tf.image.resizeNearestNeighbor(img, [th, tw], false, true);
      });
      return dtype === "float32" ? out : tf.cast(dtype === "int32" ? tf.round(out) : out, dtype);
    }),
  ) as OpResult<A>;
}

function resolveSides(
  what: "padding" | "cropping",
  before: number | null | undefined,
  after: number | null | undefined,
  target: number | null | undefined,
  current: number,
  dim: "height" | "width",
): [number, number] {
  const names = dim === "height" ? [`top_${what}`, `bottom_${what}`, "target_height"] : [`left_${what}`, `right_${what}`, "target_width"];
  const given = [before, after, target].filter((v) => v != null).length;
  if (given !== 2) throw new Error(`Must specify exactly two of ${names.join(", ")}. Received: ${names[0]}=${before}, ${names[1]}=${after}, ${names[2]}=${target}`);
  const sign = what === "padding" ? 1 : -1;
  const b = before ?? sign * ((target as number) - current) - (after as number);
  const a = after ?? sign * ((target as number) - current) - b;
  if (b < 0 || a < 0) throw new Error(`The ${dim} ${what} must be >= 0. Received: ${names[0]}=${b}, ${names[1]}=${a}`);
  return [b, a];
}

/** Options of `padImages` and `cropImages`: two of before/after/target per dimension. */
export interface PadImagesOptions {
  topPadding?: number | null;
  leftPadding?: number | null;
  bottomPadding?: number | null;
  rightPadding?: number | null;
  targetHeight?: number | null;
  targetWidth?: number | null;
  dataFormat?: DataFormat | null;
}

/** Pads images with zeros to a target height and width (give two of top / bottom / target per dimension). */
export function padImages<A extends OpInput>(images: A, options: PadImagesOptions): OpResult<A> {
  return dispatch("pad_images", [images], (v: TensorLike) =>
    tf.tidy(() =>
      asBatchNHWC(convertToTensor(v), options.dataFormat, (x) => {
        const [, h, w] = x.shape;
        const [top, bottom] = resolveSides("padding", options.topPadding, options.bottomPadding, options.targetHeight, h, "height");
        const [left, right] = resolveSides("padding", options.leftPadding, options.rightPadding, options.targetWidth, w, "width");
        return tf.pad(x, [[0, 0], [top, bottom], [left, right], [0, 0]]);
      }),
    ),
  ) as OpResult<A>;
}

/** Options of `cropImages`. */
export interface CropImagesOptions {
  topCropping?: number | null;
  leftCropping?: number | null;
  bottomCropping?: number | null;
  rightCropping?: number | null;
  targetHeight?: number | null;
  targetWidth?: number | null;
  dataFormat?: DataFormat | null;
}

/** Crops images to a target height and width (give two of top / bottom / target per dimension). */
export function cropImages<A extends OpInput>(images: A, options: CropImagesOptions): OpResult<A> {
  return dispatch("crop_images", [images], (v: TensorLike) =>
    tf.tidy(() =>
      asBatchNHWC(convertToTensor(v), options.dataFormat, (x) => {
        const [n, h, w, c] = x.shape;
        const [top, bottom] = resolveSides("cropping", options.topCropping, options.bottomCropping, options.targetHeight, h, "height");
        const [left, right] = resolveSides("cropping", options.leftCropping, options.rightCropping, options.targetWidth, w, "width");
        return tf.slice(x, [0, top, left, 0], [n, h - top - bottom, w - left - right, c]);
      }),
    ),
  ) as OpResult<A>;
}

/** Converts RGB images to grayscale (weights 0.2989, 0.5870, 0.1140); 1-channel images are copied. */
export function rgbToGrayscale<A extends OpInput>(images: A, dataFormat: DataFormat | null = null): OpResult<A> {
  return dispatch("rgb_to_grayscale", [images], (v: TensorLike) =>
    tf.tidy(() => {
      const t = convertToTensor(v);
      return asBatchNHWC(t, dataFormat, (x) => {
        const c = x.shape[3];
        if (c !== 1 && c !== 3) {
          throw new Error(`Invalid channel size: expected 3 (RGB) or 1 (Grayscale). Received input with shape: images.shape=[${t.shape}]`);
        }
        if (c === 1) return tf.clone(x);
        const g = tf.sum(tf.mul(fl(x), tf.tensor1d([0.2989, 0.587, 0.114])), -1, true);
        return t.dtype === "float32" ? g : tf.cast(g, t.dtype);
      });
    }),
  ) as OpResult<A>;
}

/** Converts RGB images (floats in [0, 1]) to HSV, hue in [0, 1). */
export function rgbToHsv<A extends OpInput>(images: A, dataFormat: DataFormat | null = null): OpResult<A> {
  return dispatch("rgb_to_hsv", [images], (v: TensorLike) =>
    tf.tidy(() => {
      const t = convertToTensor(v);
      if (t.dtype !== "float32") throw new Error(`Invalid images dtype: expected float dtype. Received: images.dtype=${t.dtype}`);
      return asBatchNHWC(t, dataFormat, (x) => {
        const cleaned = tf.where(tf.less(tf.abs(x), 1.1920928955078125e-7), tf.zerosLike(x), x);
        const [r, g, b] = tf.split(cleaned, 3, 3);
        const value = tf.maximum(tf.maximum(r, g), b);
        const minimum = tf.minimum(tf.minimum(r, g), b);
        const range = tf.sub(value, minimum);
        const safeValue = tf.where(tf.greater(value, 0), value, tf.onesLike(value));
        const safeRange = tf.where(tf.greater(range, 0), range, tf.onesLike(range));
        const saturation = tf.where(tf.greater(value, 0), tf.div(range, safeValue), tf.zerosLike(value));
        const norm = tf.div(1, tf.mul(safeRange, 6));
        let hue = tf.where(
          tf.equal(value, g),
          tf.add(tf.mul(norm, tf.sub(b, r)), 2 / 6),
          tf.add(tf.mul(norm, tf.sub(r, g)), 4 / 6),
        );
        hue = tf.where(tf.equal(value, r), tf.mul(norm, tf.sub(g, b)), hue);
        hue = tf.add(tf.where(tf.greater(range, 0), hue, tf.zerosLike(hue)), tf.cast(tf.less(hue, 0), "float32"));
        return tf.concat([hue, saturation, value], 3);
      });
    }),
  ) as OpResult<A>;
}

/** Converts HSV images (hue in [0, 1)) to RGB. */
export function hsvToRgb<A extends OpInput>(images: A, dataFormat: DataFormat | null = null): OpResult<A> {
  return dispatch("hsv_to_rgb", [images], (v: TensorLike) =>
    tf.tidy(() => {
      const t = convertToTensor(v);
      if (t.dtype !== "float32") throw new Error(`Invalid images dtype: expected float dtype. Received: images.dtype=${t.dtype}`);
      return asBatchNHWC(t, dataFormat, (x) => {
        const [h, s, val] = tf.split(x, 3, 3);
        const dh = tf.mul(tf.mod(h, 1), 6);
        const dr = tf.clipByValue(tf.sub(tf.abs(tf.sub(dh, 3)), 1), 0, 1);
        const dg = tf.clipByValue(tf.sub(2, tf.abs(tf.sub(dh, 2))), 0, 1);
        const db = tf.clipByValue(tf.sub(2, tf.abs(tf.sub(dh, 4))), 0, 1);
        const oneMinusS = tf.sub(1, s);
        const chan = (d: Tensor): Tensor => tf.mul(val, tf.add(oneMinusS, tf.mul(s, d)));
        return tf.concat([chan(dr), chan(dg), chan(db)], 3);
      });
    }),
  ) as OpResult<A>;
}

/**
 * Extracts 2D patches of `size = [ph, pw]` (or an int): output
 * `(..., rows, cols, ph * pw * channels)`, patch pixels in row-major order
 * with channels innermost. `strides` defaults to `size`.
 */
export function extractPatches<A extends OpInput>(
  images: A,
  size: IntOrTuple,
  strides: IntOrTuple | null = null,
  dilationRate: IntOrTuple = 1,
  padding: Padding = "valid",
  dataFormat: DataFormat | null = null,
): OpResult<A> {
  const [ph, pw] = typeof size === "number" ? [size, size] : [size[0], size[1]];
  if (typeof size !== "number" && size.length !== 2) {
    throw new Error(`extractPatches supports 2D patches (size of 2 integers); 3D patch extraction is not implemented. Received size=${JSON.stringify(size)}`);
  }
  return dispatch("extract_patches", [images], (v: TensorLike) =>
    tf.tidy(() =>
      asBatchNHWC(fl(v), dataFormat, (x) => {
        const c = x.shape[3];
        const depth = ph * pw * c;
        const kernel = tf.reshape(tf.eye(depth), [ph, pw, c, depth]);
        return conv(x, kernel, strides ?? [ph, pw], padding, "channels_last", dilationRate) as Tensor;
      }),
    ),
  ) as OpResult<A>;
}

/** Options of `affineTransform`. */
export interface AffineTransformOptions {
  /** `"bilinear"` (default) or `"nearest"`. */
  interpolation?: SamplerInterpolation;
  /**
   * How points outside the input are filled: `"constant"` (default, with
   * `fillValue`), `"nearest"`, `"wrap"`, `"reflect"` (`d c b a | a b c d | d c b a`)
   * or `"mirror"` (`d c b | a b c d | c b a`).
   */
  fillMode?: SamplerFillMode;
  /** The value for points outside the input with `"constant"`. Default 0. */
  fillValue?: number;
  /** Channels position; default from the Keras config. */
  dataFormat?: DataFormat | null;
}

/**
 * Applies the projective transform(s) `transform` to an image (rank 3) or a
 * batch (rank 4), as Keras's `ops.image.affine_transform`. `transform` is a
 * vector of 8 `[a0, a1, a2, b0, b1, b2, c0, c1]` or an `(N, 8)` matrix (one
 * per image); it maps the output point `(x, y)` to the input point
 * `((a0 x + a1 y + a2) / k, (b0 x + b1 y + b2) / k)`, `k = c0 x + c1 y + 1`
 * (the inverse of the transform that moves the image).
 *
 * Samples like TensorFlow's `ImageProjectiveTransformV3` (Keras's
 * TensorFlow backend), on every tfjs backend and for any batch size.
 * Gradients flow to `images` (not to `transform`, as in Keras). The result
 * has the dtype of `images`.
 *
 * ```ts
 * // Shift a batch 2 pixels right and 1 down (output (x, y) reads input (x - 2, y - 1)).
 * const y = keras.ops.image.affineTransform(images, [1, 0, -2, 0, 1, -1, 0, 0]);
 * ```
 */
export function affineTransform<A extends OpInput, T extends OpInput>(
  images: A,
  transform: T,
  options: AffineTransformOptions = {},
): OpResult<A | T> {
  const interpolation = options.interpolation ?? "bilinear";
  const fillMode = options.fillMode ?? "constant";
  if (!AFFINE_TRANSFORM_INTERPOLATIONS.includes(interpolation)) {
    throw new Error(
      `Invalid value for argument \`interpolation\`. Expected of one ${pySet(AFFINE_TRANSFORM_INTERPOLATIONS)}. ` +
        `Received: interpolation=${String(interpolation)}`,
    );
  }
  if (!AFFINE_TRANSFORM_FILL_MODES.includes(fillMode)) {
    throw new Error(
      `Invalid value for argument \`fill_mode\`. Expected of one ${pySet(AFFINE_TRANSFORM_FILL_MODES)}. Received: fill_mode=${String(fillMode)}`,
    );
  }
  const fillValue = options.fillValue ?? 0;
  const dataFormat = standardizeDataFormat(options.dataFormat);
  return dispatch("affine_transform", [images, transform], (iv: TensorLike, tv: TensorLike) =>
    // Tensors made here (conversions included) are freed by tidy, also when a check throws.
    tf.tidy(() => {
      const t = convertToTensor(iv);
      checkRank(t);
      const tr = convertToTensor(tv);
      if (tr.rank !== 1 && tr.rank !== 2) {
        throw new Error(
          "Invalid transform rank: expected rank 1 (single transform) or rank 2 (batch of transforms). " +
            `Received input with shape: transform.shape=[${tr.shape}]`,
        );
      }
      const rows = tr.rank === 1 ? 1 : tr.shape[0];
      const batch = t.rank === 3 ? 1 : t.shape[0];
      if (tr.shape[tr.rank - 1] !== 8 || (rows !== 1 && rows !== batch)) {
        throw new Error(
          `Invalid transform shape: expected [8] or [${batch}, 8] (one transform, or one per image). Received: transform.shape=[${tr.shape}]`,
        );
      }
      const values = Float32Array.from(tr.dataSync() as ArrayLike<number>);
      const x = t.rank === 3 ? tf.expandDims(t, 0) : t;
      let out = projectiveTransform(x, values, { interpolation, fillMode, fillValue, dataFormat });
      if (t.rank === 3) out = tf.squeeze(out, [0]);
      return t.dtype === "float32" ? out : tf.cast(out, t.dtype);
    }),
  ) as OpResult<A | T>;
}

function pySet(values: readonly string[]): string {
  return `{${values.map((v) => `'${v}'`).join(", ")}}`;
}
export * from "./image-extra.js";
