/**
 * Reading and writing image files: `keras.utils.loadImg`, `saveImg`,
 * `imgToArray` (Keras's `load_img`, `save_img`, `img_to_array`). PNG is
 * decoded here (`node:zlib`); JPEG goes through the pure-JavaScript
 * `jpeg-js` package. Images are {@link KerasImage}s (8-bit, PIL's "L",
 * "RGB" and "RGBA" modes).
 */
import { inflateSync } from "node:zlib";
import jpeg from "jpeg-js";
import { tf, type Tensor } from "../backend/tfjs.js";
import { imageDataFormat } from "../backend/config.js";
import { standardizeDtype, type DTypeLike } from "../backend/dtypes.js";
import { KerasImage, arrayToImg, encodePng } from "./image-utils.js";
import type { TensorLike } from "../ops/convert.js";

// ------------------------------------------------------------------ PNG decoding

/** A decoded image: 8-bit pixels, row by row. */
export interface DecodedImage {
  width: number;
  height: number;
  channels: 1 | 2 | 3 | 4;
  pixels: Uint8Array;
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/** Undoes the PNG row filters of one (sub)image in place; returns the unfiltered rows. */
function unfilter(data: Uint8Array, offset: number, width: number, height: number, bpp: number, bitsPerPixel: number): { rows: Uint8Array; next: number } {
  const stride = Math.ceil((width * bitsPerPixel) / 8);
  const rows = new Uint8Array(stride * height);
  let pos = offset;
  for (let y = 0; y < height; y++) {
    const filter = data[pos++]!;
    const row = rows.subarray(y * stride, (y + 1) * stride);
    const prev = y > 0 ? rows.subarray((y - 1) * stride, y * stride) : null;
    for (let x = 0; x < stride; x++) {
      const raw = data[pos + x]!;
      const a = x >= bpp ? row[x - bpp]! : 0;
      const b = prev ? prev[x]! : 0;
      const c = prev && x >= bpp ? prev[x - bpp]! : 0;
      let v: number;
      switch (filter) {
        case 0: v = raw; break;
        case 1: v = raw + a; break;
        case 2: v = raw + b; break;
        case 3: v = raw + ((a + b) >> 1); break;
        case 4: v = raw + paeth(a, b, c); break;
        default: throw new Error(`decodePng: invalid filter type ${filter} in row ${y}.`);
      }
      row[x] = v & 0xff;
    }
    pos += stride;
  }
  return { rows, next: pos };
}

/**
 * Decodes a PNG file to 8-bit pixels: every color type (grey, RGB, palette,
 * grey + alpha, RGBA), bit depths 1 to 16 (16-bit samples keep their high
 * byte), palette transparency (tRNS) and Adam7 interlacing.
 */
export function decodePng(bytes: Uint8Array): DecodedImage {
  const sig = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (bytes.length < 8 || sig.some((v, i) => bytes[i] !== v)) throw new Error("decodePng: not a PNG file (bad signature).");
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let pos = 8;
  let width = 0;
  let height = 0;
  let depth = 0;
  let colorType = 0;
  let interlace = 0;
  let palette: Uint8Array | null = null;
  let trns: Uint8Array | null = null;
  const idat: Uint8Array[] = [];
  while (pos + 8 <= bytes.length) {
    const len = view.getUint32(pos);
    const type = String.fromCharCode(...bytes.subarray(pos + 4, pos + 8));
    const data = bytes.subarray(pos + 8, pos + 8 + len);
    if (data.length !== len) throw new Error(`decodePng: truncated ${type} chunk.`);
    pos += 12 + len;
    if (type === "IHDR") {
      width = view.getUint32(pos - 12 - len + 8);
      height = view.getUint32(pos - 12 - len + 12);
      depth = data[8]!;
      colorType = data[9]!;
      interlace = data[12]!;
    } else if (type === "PLTE") palette = data;
    else if (type === "tRNS") trns = data;
    else if (type === "IDAT") idat.push(data);
    else if (type === "IEND") break;
  }
  if (!width || !height) throw new Error("decodePng: missing IHDR chunk.");
  const samples = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 }[colorType as 0 | 2 | 3 | 4 | 6];
  if (!samples) throw new Error(`decodePng: unsupported color type ${colorType}.`);
  const raw = new Uint8Array(inflateSync(Buffer.concat(idat)));
  const bitsPerPixel = samples * depth;
  const bpp = Math.max(1, bitsPerPixel >> 3);
  const outChannels: 1 | 2 | 3 | 4 = colorType === 3 ? (trns ? 4 : 3) : (samples as 1 | 2 | 3 | 4);
  const pixels = new Uint8Array(width * height * outChannels);
  const maxV = (1 << depth) - 1;
  /** Writes the pixels of unfiltered `rows` (w×h) at output positions (x0 + x*dx, y0 + y*dy). */
  const emit = (rows: Uint8Array, w: number, h: number, x0: number, y0: number, dx: number, dy: number): void => {
    const stride = Math.ceil((w * bitsPerPixel) / 8);
    const sample = (row: number, i: number): number => {
      // The i-th sample of a row, scaled to 8 bits.
      const base = row * stride;
      if (depth === 8) return rows[base + i]!;
      if (depth === 16) return rows[base + 2 * i]!;
      const bit = i * depth;
      const v = (rows[base + (bit >> 3)]! >> (8 - depth - (bit & 7))) & maxV;
      return colorType === 3 ? v : Math.round((v * 255) / maxV);
    };
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const o = ((y0 + y * dy) * width + (x0 + x * dx)) * outChannels;
        if (colorType === 3) {
          const idx = sample(y, x);
          pixels[o] = palette?.[idx * 3] ?? 0;
          pixels[o + 1] = palette?.[idx * 3 + 1] ?? 0;
          pixels[o + 2] = palette?.[idx * 3 + 2] ?? 0;
          if (outChannels === 4) pixels[o + 3] = trns && idx < trns.length ? trns[idx]! : 255;
        } else {
          for (let s = 0; s < samples; s++) pixels[o + s] = sample(y, x * samples + s);
        }
      }
    }
  };
  if (interlace === 0) {
    emit(unfilter(raw, 0, width, height, bpp, bitsPerPixel).rows, width, height, 0, 0, 1, 1);
  } else {
    const passes = [
      [0, 0, 8, 8],
      [4, 0, 8, 8],
      [0, 4, 4, 8],
      [2, 0, 4, 4],
      [0, 2, 2, 4],
      [1, 0, 2, 2],
      [0, 1, 1, 2],
    ] as const;
    let offset = 0;
    for (const [x0, y0, dx, dy] of passes) {
      const w = Math.ceil((width - x0) / dx);
      const h = Math.ceil((height - y0) / dy);
      if (w <= 0 || h <= 0) continue;
      const { rows, next } = unfilter(raw, offset, w, h, bpp, bitsPerPixel);
      offset = next;
      emit(rows, w, h, x0, y0, dx, dy);
    }
  }
  return { width, height, channels: outChannels, pixels };
}

/** Decodes a PNG or JPEG file (by its signature). */
export function decodeImage(bytes: Uint8Array): DecodedImage {
  if (bytes[0] === 0x89 && bytes[1] === 0x50) return decodePng(bytes);
  if (bytes[0] === 0xff && bytes[1] === 0xd8) {
    const img = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: false });
    return { width: img.width, height: img.height, channels: 3, pixels: img.data };
  }
  throw new Error("Unsupported image format: tskeras reads PNG and JPEG files.");
}

// ------------------------------------------------------------------ color modes and resizing

function toMode(img: DecodedImage, mode: "grayscale" | "rgb" | "rgba"): KerasImage {
  const { width, height, channels, pixels } = img;
  const n = width * height;
  const want = mode === "grayscale" ? 1 : mode === "rgb" ? 3 : 4;
  const out = new Uint8Array(n * want);
  for (let i = 0; i < n; i++) {
    let r: number, g: number, b: number, a: number;
    if (channels <= 2) {
      r = g = b = pixels[i * channels]!;
      a = channels === 2 ? pixels[i * 2 + 1]! : 255;
    } else {
      r = pixels[i * channels]!;
      g = pixels[i * channels + 1]!;
      b = pixels[i * channels + 2]!;
      a = channels === 4 ? pixels[i * 4 + 3]! : 255;
    }
    if (want === 1) {
      // PIL's "L" conversion: ITU-R 601-2 luma, rounded.
      out[i] = channels <= 2 ? r : Math.trunc((r * 19595 + g * 38470 + b * 7471 + 0x8000) / 65536);
    } else {
      out[i * want] = r;
      out[i * want + 1] = g;
      out[i * want + 2] = b;
      if (want === 4) out[i * 4 + 3] = a;
    }
  }
  return new KerasImage(width, height, want as 1 | 3 | 4, out);
}

/** Resizes an 8-bit image (nearest: PIL's pixel-center rule; bilinear: half-pixel centers, no antialiasing). */
function resizeImage(img: KerasImage, height: number, width: number, interpolation: "nearest" | "bilinear"): KerasImage {
  if (img.height === height && img.width === width) return img;
  const c = img.channels;
  const out = new Uint8Array(width * height * c);
  if (interpolation === "nearest") {
    for (let y = 0; y < height; y++) {
      const sy = Math.min(img.height - 1, Math.floor(((y + 0.5) * img.height) / height));
      for (let x = 0; x < width; x++) {
        const sx = Math.min(img.width - 1, Math.floor(((x + 0.5) * img.width) / width));
        for (let k = 0; k < c; k++) out[(y * width + x) * c + k] = img.pixels[(sy * img.width + sx) * c + k]!;
      }
    }
  } else {
    for (let y = 0; y < height; y++) {
      const fy = Math.max(0, Math.min(img.height - 1, ((y + 0.5) * img.height) / height - 0.5));
      const y0 = Math.floor(fy);
      const y1 = Math.min(img.height - 1, y0 + 1);
      const wy = fy - y0;
      for (let x = 0; x < width; x++) {
        const fx = Math.max(0, Math.min(img.width - 1, ((x + 0.5) * img.width) / width - 0.5));
        const x0 = Math.floor(fx);
        const x1 = Math.min(img.width - 1, x0 + 1);
        const wx = fx - x0;
        for (let k = 0; k < c; k++) {
          const p = (yy: number, xx: number): number => img.pixels[(yy * img.width + xx) * c + k]!;
          const v = (1 - wy) * ((1 - wx) * p(y0, x0) + wx * p(y0, x1)) + wy * ((1 - wx) * p(y1, x0) + wx * p(y1, x1));
          out[(y * width + x) * c + k] = Math.round(v);
        }
      }
    }
  }
  return new KerasImage(width, height, c, out);
}

/** Crops the centered window of `img` with the aspect ratio `height / width`. */
function cropToAspect(img: KerasImage, height: number, width: number): KerasImage {
  const cropW = Math.min(img.width, Math.floor((img.height * width) / height));
  const cropH = Math.min(img.height, Math.floor((img.width * height) / width));
  if (cropW === img.width && cropH === img.height) return img;
  const x0 = Math.floor((img.width - cropW) / 2);
  const y0 = Math.floor((img.height - cropH) / 2);
  const c = img.channels;
  const out = new Uint8Array(cropW * cropH * c);
  for (let y = 0; y < cropH; y++) out.set(img.pixels.subarray(((y0 + y) * img.width + x0) * c, ((y0 + y) * img.width + x0 + cropW) * c), y * cropW * c);
  return new KerasImage(cropW, cropH, c, out);
}

// ------------------------------------------------------------------ public API

/** Options of {@link loadImg} (Keras's `load_img` arguments). */
export interface LoadImgOptions {
  /** `"rgb"` (default), `"grayscale"` or `"rgba"`. */
  colorMode?: "grayscale" | "rgb" | "rgba";
  /** `[height, width]` to resize to; default the image's own size. */
  targetSize?: readonly [number, number] | null;
  /** `"nearest"` (default) or `"bilinear"`. */
  interpolation?: "nearest" | "bilinear";
  /** Crop the centered window with the target aspect ratio before resizing. Default false. */
  keepAspectRatio?: boolean;
}

/** Decodes image bytes into a {@link KerasImage} with `loadImg`'s options. */
export function imageFromBytes(bytes: Uint8Array, options: LoadImgOptions = {}): KerasImage {
  const mode = options.colorMode ?? "rgb";
  if (mode !== "rgb" && mode !== "grayscale" && mode !== "rgba") {
    throw new Error(`colorMode must be "grayscale", "rgb", or "rgba". Received: colorMode=${String(mode)}`);
  }
  let img = toMode(decodeImage(bytes), mode);
  if (options.targetSize) {
    const [h, w] = options.targetSize;
    const interpolation = options.interpolation ?? "nearest";
    if (interpolation !== "nearest" && interpolation !== "bilinear") {
      throw new Error(`Invalid interpolation method ${String(interpolation)}: tskeras supports "nearest" and "bilinear".`);
    }
    if (options.keepAspectRatio) img = cropToAspect(img, h, w);
    img = resizeImage(img, h, w, interpolation);
  }
  return img;
}

/**
 * Loads an image file (PNG or JPEG) as a {@link KerasImage} (Keras's
 * `load_img`), e.g. `await keras.utils.loadImg("cat.png", { targetSize: [224, 224] })`.
 * `path` is a file path or the file's bytes.
 */
export async function loadImg(path: string | Uint8Array, options: LoadImgOptions = {}): Promise<KerasImage> {
  let bytes: Uint8Array;
  if (typeof path === "string") {
    const fs = await import("node:fs/promises");
    bytes = new Uint8Array(await fs.readFile(path));
  } else bytes = path;
  return imageFromBytes(bytes, options);
}

/** Options of {@link imgToArray}. */
export interface ImgToArrayOptions {
  /** `"channels_last"` (HxWxC) or `"channels_first"`. Default: `keras.config.imageDataFormat()`. */
  dataFormat?: "channels_last" | "channels_first";
  /** The tensor's dtype. Default `"float32"`. */
  dtype?: DTypeLike;
}

/**
 * An image as a 3-D tensor of its 0..255 values (Keras's `img_to_array`):
 * HxWxC (a greyscale image gets one channel), or CxHxW for `channels_first`.
 */
export function imgToArray(img: KerasImage, options: ImgToArrayOptions = {}): Tensor {
  const dataFormat = options.dataFormat ?? imageDataFormat();
  const dtype = standardizeDtype(options.dtype ?? "float32");
  return tf.tidy(() => {
    const t = tf.tensor3d(Float32Array.from(img.pixels), [img.height, img.width, img.channels], "float32");
    const f = dataFormat === "channels_first" ? tf.transpose(t, [2, 0, 1]) : t;
    return dtype === "float32" ? f : tf.cast(f, dtype as "int32");
  });
}

/** Options of {@link saveImg}. */
export interface SaveImgOptions {
  /** `"channels_last"` or `"channels_first"`. Default: `keras.config.imageDataFormat()`. */
  dataFormat?: "channels_last" | "channels_first";
  /** `"png"` or `"jpeg"`; default from the path's extension (PNG when unknown). */
  fileFormat?: "png" | "jpeg" | "jpg";
  /** Rescale the values to 0..255 (as `arrayToImg`). Default true. */
  scale?: boolean;
  /** JPEG quality, 1..100. Default 90. */
  quality?: number;
}

/** Encodes an image as PNG or JPEG bytes. */
export function encodeImage(img: KerasImage, format: "png" | "jpeg" = "png", quality = 90): Uint8Array {
  if (format === "png") return encodePng(img.width, img.height, img.channels, img.pixels);
  const rgba = new Uint8Array(img.width * img.height * 4);
  for (let i = 0; i < img.width * img.height; i++) {
    for (let k = 0; k < 3; k++) rgba[i * 4 + k] = img.pixels[i * img.channels + (img.channels === 1 ? 0 : k)]!;
    rgba[i * 4 + 3] = 255;
  }
  return new Uint8Array(jpeg.encode({ width: img.width, height: img.height, data: rgba }, quality).data);
}

/**
 * Saves an image array (HxWxC tensor or nested array) or a
 * {@link KerasImage} to a file (Keras's `save_img`): PNG, or JPEG for
 * `.jpg` / `.jpeg` paths (RGBA images are saved without alpha in JPEG).
 */
export async function saveImg(path: string, x: TensorLike | KerasImage, options: SaveImgOptions = {}): Promise<void> {
  const img = x instanceof KerasImage ? x : arrayToImg(x, { dataFormat: options.dataFormat, scale: options.scale ?? true });
  const ext = /\.(jpe?g)$/i.test(path) ? "jpeg" : "png";
  const format = options.fileFormat === "jpg" ? "jpeg" : (options.fileFormat ?? ext);
  const fs = await import("node:fs/promises");
  await fs.writeFile(path, encodeImage(img, format, options.quality ?? 90));
}
