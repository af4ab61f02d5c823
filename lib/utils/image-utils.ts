/**
 * Images for notebooks: `keras.utils.arrayToImg` (Keras's `array_to_img`),
 * `keras.utils.imageGrid` (a grid of samples with their labels), and a small
 * PNG encoder (`node:zlib`, no dependencies).
 *
 * Both return objects that display in a notebook through the Jupyter display
 * protocol (`[Symbol.for("Jupyter.display")]()`), as `image/png` and, for the
 * grid, an HTML table of images with captions.
 */
import { deflateSync } from "node:zlib";
import { tf, type Tensor } from "../backend/tfjs.js";
import { imageDataFormat } from "../backend/config.js";
import { convertToTensor, type TensorLike } from "../ops/convert.js";
import { Variable } from "../backend/variable.js";
import type { MimeBundle } from "./display-hooks.js";

// ------------------------------------------------------------------ PNG

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(buf: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < buf.length; i++) c = CRC_TABLE[(c ^ buf[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function pngChunk(type: string, data: Uint8Array): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, "latin1");
  Buffer.from(data.buffer, data.byteOffset, data.byteLength).copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/**
 * Encodes 8-bit pixels as a PNG file. `channels` is 1 (grey), 2 (grey +
 * alpha), 3 (RGB) or 4 (RGBA); `pixels` holds `width * height * channels`
 * bytes, row by row.
 */
export function encodePng(width: number, height: number, channels: 1 | 2 | 3 | 4, pixels: Uint8Array): Uint8Array {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new Error(`encodePng: width and height must be positive integers. Received: ${width}x${height}`);
  }
  if (pixels.length !== width * height * channels) {
    throw new Error(`encodePng: expected ${width * height * channels} bytes for ${width}x${height}x${channels}, got ${pixels.length}.`);
  }
  const colorType = { 1: 0, 2: 4, 3: 2, 4: 6 }[channels];
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8;
  ihdr[9] = colorType;
  const stride = width * channels;
  const raw = Buffer.alloc(height * (stride + 1));
  for (let y = 0; y < height; y++) {
    raw[y * (stride + 1)] = 0; // filter: none
    raw.set(pixels.subarray(y * stride, (y + 1) * stride), y * (stride + 1) + 1);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk("IHDR", ihdr),
    pngChunk("IDAT", deflateSync(raw)),
    pngChunk("IEND", new Uint8Array(0)),
  ]);
}

/** Whether the tensor `convertToTensor(x)` returned was made for us (and is ours to dispose). */
function owned(t: Tensor, x: unknown): boolean {
  return t !== x && !(x instanceof Variable);
}

function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64");
}

// ------------------------------------------------------------------ images

/** An 8-bit image (what Keras's `array_to_img` returns as a PIL image); displays as PNG. */
export class KerasImage {
  private pngCache: Uint8Array | null = null;

  constructor(
    /** Width in pixels. */
    readonly width: number,
    /** Height in pixels. */
    readonly height: number,
    /** 1 (grey, PIL mode "L"), 3 ("RGB") or 4 ("RGBA"). */
    readonly channels: 1 | 3 | 4,
    /** `height * width * channels` bytes, row by row. */
    readonly pixels: Uint8Array,
  ) {}

  /** PIL's mode name: `"L"`, `"RGB"` or `"RGBA"`. */
  get mode(): "L" | "RGB" | "RGBA" {
    return this.channels === 1 ? "L" : this.channels === 3 ? "RGB" : "RGBA";
  }

  /** The PNG file of the image. */
  toPng(): Uint8Array {
    this.pngCache ??= encodePng(this.width, this.height, this.channels, this.pixels);
    return this.pngCache;
  }

  /** A `data:image/png;base64,...` URL of the image. */
  toDataUrl(): string {
    return `data:image/png;base64,${base64(this.toPng())}`;
  }

  /** A MIME bundle for notebooks: the PNG. */
  [Symbol.for("Jupyter.display")](): MimeBundle {
    return { "image/png": base64(this.toPng()), "text/plain": this.toString() };
  }

  toString(): string {
    return `<Image mode=${this.mode} size=${this.width}x${this.height}>`;
  }

  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.toString();
  }
}

/** Options of {@link arrayToImg} (Keras's `array_to_img` arguments). */
export interface ArrayToImgOptions {
  /** `"channels_last"` (HxWxC) or `"channels_first"` (CxHxW). Default: `keras.config.imageDataFormat()`. */
  dataFormat?: "channels_last" | "channels_first";
  /** Rescale the values to 0..255 (`(x - min) / max * 255`). Default true; when false the values must already be 0..255. */
  scale?: boolean;
}

/** Reads `x` as one image: `[values, height, width, channels]`, channels last. */
function imageValues(x: TensorLike, dataFormat: "channels_last" | "channels_first"): { values: Float32Array; h: number; w: number; c: number } {
  const t = convertToTensor(x);
  try {
    let shape = t.shape;
    if (shape.length !== 2 && shape.length !== 3) {
      throw new Error(
        `Expected an image array of rank 2 (HxW) or 3 (HxWxC), got an array of shape [${shape.join(", ")}]. ` +
          "For a batch of images use keras.utils.imageGrid(images).",
      );
    }
    let data: Tensor = t;
    if (shape.length === 3 && dataFormat === "channels_first") {
      data = tf.transpose(t, [1, 2, 0]);
      shape = data.shape;
    }
    const [h, w] = shape;
    const c = shape.length === 3 ? shape[2] : 1;
    if (c !== 1 && c !== 3 && c !== 4) {
      throw new Error(`Unsupported channel number: ${c}. An image has 1, 3 or 4 channels (shape [${t.shape.join(", ")}]).`);
    }
    const values = Float32Array.from(data.dataSync() as ArrayLike<number>);
    if (data !== t) data.dispose();
    return { values, h, w, c };
  } finally {
    if (owned(t, x)) t.dispose();
  }
}

function toBytes(values: Float32Array, scale: boolean): Uint8Array {
  const out = new Uint8Array(values.length);
  let lo = 0;
  let hi = 1;
  if (scale) {
    lo = Infinity;
    hi = -Infinity;
    for (const v of values) {
      if (Number.isFinite(v)) {
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
    }
    if (!Number.isFinite(lo)) lo = hi = 0;
  }
  const range = hi - lo;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    const s = scale ? (range !== 0 ? ((v - lo) / range) * 255 : v - lo) : v;
    out[i] = Number.isFinite(s) ? Math.max(0, Math.min(255, Math.trunc(s))) : 0;
  }
  return out;
}

/**
 * Converts an image array to an 8-bit image (Keras's `array_to_img`). The
 * array is HxW, HxWx1, HxWx3 or HxWx4 (channels last by default); with
 * `scale` (default) values are rescaled to 0..255. In a notebook the image
 * displays as PNG.
 *
 * ```ts
 * keras.utils.arrayToImg(xTrain.slice([0], [1]).squeeze([0]))
 * ```
 */
export function arrayToImg(x: TensorLike, options: ArrayToImgOptions = {}): KerasImage {
  const { values, h, w, c } = imageValues(x, options.dataFormat ?? imageDataFormat());
  return new KerasImage(w, h, c as 1 | 3 | 4, toBytes(values, options.scale ?? true));
}

/** Options of {@link imageGrid}. */
export interface ImageGridOptions {
  /** Images per row. Default: up to 8, so that the grid is about square. */
  cols?: number;
  /** At most this many images are shown. Default 64. */
  maxImages?: number;
  /** Names of the classes: integer labels (or one-hot rows) are shown as these names. */
  classNames?: readonly string[];
  /** Displayed size of each image in CSS pixels (the longer side). Default: 2× up to at least 64 px. */
  size?: number;
  /** Data format of the images. Default: `keras.config.imageDataFormat()`. */
  dataFormat?: "channels_last" | "channels_first";
  /** Rescale each image to 0..255 (as {@link arrayToImg}). Default true. */
  scale?: boolean;
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** A grid of images with labels; displays as an HTML grid (and a PNG montage). */
export class ImageGrid {
  constructor(
    /** The images. */
    readonly images: readonly KerasImage[],
    /** One caption per image ("" for none). */
    readonly labels: readonly string[],
    /** Images per row. */
    readonly cols: number,
    /** Displayed size of the longer side of each image, in CSS pixels. */
    readonly size: number,
    /** How many images were given in all (more than `images.length` when capped). */
    readonly total: number,
  ) {}

  /** The grid as one PNG image, without labels (images on a white background, 2 px apart). */
  toImage(): KerasImage {
    const cellW = Math.max(...this.images.map((i) => i.width));
    const cellH = Math.max(...this.images.map((i) => i.height));
    const gap = 2;
    const rows = Math.ceil(this.images.length / this.cols);
    const W = this.cols * cellW + (this.cols - 1) * gap;
    const H = rows * cellH + (rows - 1) * gap;
    const px = new Uint8Array(W * H * 4).fill(255);
    this.images.forEach((img, k) => {
      const ox = (k % this.cols) * (cellW + gap);
      const oy = Math.floor(k / this.cols) * (cellH + gap);
      for (let y = 0; y < img.height; y++) {
        for (let x = 0; x < img.width; x++) {
          const s = (y * img.width + x) * img.channels;
          const d = ((oy + y) * W + ox + x) * 4;
          if (img.channels === 1) px.fill(img.pixels[s], d, d + 3);
          else px.set(img.pixels.subarray(s, s + 3), d);
          px[d + 3] = img.channels === 4 ? img.pixels[s + 3] : 255;
        }
      }
    });
    return new KerasImage(W, H, 4, px);
  }

  /** The HTML of the grid: a table of images with their captions. */
  toHtml(): string {
    const cells = this.images.map((img, i) => {
      const scale = this.size / Math.max(img.width, img.height);
      const w = Math.round(img.width * scale);
      const h = Math.round(img.height * scale);
      const label = this.labels[i] ?? "";
      return (
        `<figure style="margin:0;text-align:center">` +
        `<img src="${img.toDataUrl()}" width="${w}" height="${h}" style="image-rendering:pixelated;display:block;margin:auto" alt="${escapeHtml(label)}"/>` +
        (label ? `<figcaption style="font:12px sans-serif;margin-top:2px">${escapeHtml(label)}</figcaption>` : "") +
        `</figure>`
      );
    });
    const more = this.total > this.images.length ? `<div style="font:12px sans-serif;color:#666">${this.images.length} of ${this.total} images shown</div>` : "";
    return (
      `<div class="tskeras-image-grid" style="display:grid;grid-template-columns:repeat(${this.cols}, max-content);gap:8px 10px;align-items:end">` +
      cells.join("") +
      `</div>${more}`
    );
  }

  /** A MIME bundle for notebooks: the HTML grid, the PNG montage and a text line. */
  [Symbol.for("Jupyter.display")](): MimeBundle {
    return { "text/html": this.toHtml(), "image/png": base64(this.toImage().toPng()), "text/plain": this.toString() };
  }

  toString(): string {
    const labels = this.labels.some((l) => l !== "") ? `: ${this.labels.join(", ")}` : "";
    return `<ImageGrid ${this.images.length} image${this.images.length === 1 ? "" : "s"}${labels}>`;
  }

  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.toString();
  }
}

function labelTexts(labels: TensorLike | readonly (string | number)[] | undefined, n: number, classNames?: readonly string[]): string[] {
  if (labels === undefined || labels === null) return new Array<string>(n).fill("");
  let list: (string | number)[];
  if (Array.isArray(labels) && labels.every((l) => typeof l === "string" || typeof l === "number")) {
    list = labels as (string | number)[];
  } else {
    const t = convertToTensor(labels as TensorLike);
    try {
      if (t.rank === 2) {
        const a = tf.argMax(t, -1);
        list = Array.from(a.dataSync());
        a.dispose();
      } else list = Array.from(t.dataSync() as ArrayLike<number>);
    } finally {
      if (owned(t, labels)) t.dispose();
    }
  }
  return list.slice(0, n).map((l) => {
    if (typeof l === "number" && classNames && Number.isInteger(l) && classNames[l] !== undefined) return classNames[l];
    return String(l);
  });
}

/**
 * A grid of images with their labels, the first cell of every vision course:
 *
 * ```ts
 * keras.utils.imageGrid(xTrain.slice([0], [16]), yTrain.slice([0], [16]), { classNames })
 * ```
 *
 * `images` is a batch (NxHxW, NxHxWxC) or a list of images; `labels` are
 * strings, numbers (shown through `classNames` when given), or a tensor of
 * class indices or one-hot rows.
 */
export function imageGrid(
  images: TensorLike | readonly TensorLike[],
  labels?: TensorLike | readonly (string | number)[],
  options: ImageGridOptions = {},
): ImageGrid {
  const max = options.maxImages ?? 64;
  const dataFormat = options.dataFormat ?? imageDataFormat();
  const list: KerasImage[] = [];
  let total: number;
  if (Array.isArray(images) && images.length > 0 && (images[0] instanceof tf.Tensor || Array.isArray(images[0]) && Array.isArray((images[0] as unknown[])[0]))) {
    total = images.length;
    for (const im of (images as TensorLike[]).slice(0, max)) list.push(arrayToImg(im, { dataFormat, scale: options.scale }));
  } else {
    const batch = convertToTensor(images as TensorLike);
    try {
      if (batch.rank !== 3 && batch.rank !== 4) {
        throw new Error(`imageGrid expects a batch of images (NxHxW or NxHxWxC) or a list of images; got shape [${batch.shape.join(", ")}].`);
      }
      total = batch.shape[0];
      const n = Math.min(total, max);
      for (let i = 0; i < n; i++) {
        const one = tf.tidy(() => tf.squeeze(tf.slice(batch, [i], [1]), [0]));
        try {
          list.push(arrayToImg(one, { dataFormat, scale: options.scale }));
        } finally {
          one.dispose();
        }
      }
    } finally {
      if (owned(batch, images)) batch.dispose();
    }
  }
  if (list.length === 0) throw new Error("imageGrid: no images were given.");
  const cols = Math.max(1, Math.min(options.cols ?? Math.min(8, Math.ceil(Math.sqrt(list.length))), list.length));
  const longest = Math.max(...list.map((i) => Math.max(i.width, i.height)));
  const size = options.size ?? (longest >= 64 ? longest : Math.max(64, longest * 2));
  return new ImageGrid(list, labelTexts(labels, list.length, options.classNames), cols, size, total);
}
