/**
 * More of keras.ops.image: gaussianBlur, sobelEdges, mapCoordinates,
 * extractPatches3d, perspectiveTransform, ssim (re-exported by image.ts).
 */
import { tf, type Tensor } from "../backend/tfjs.js";
import { standardizeDataFormat } from "../backend/config.js";
import { Variable } from "../backend/variable.js";
import { convertToTensor, type OpInput, type OpResult, type TensorLike } from "./convert.js";
import { dispatch } from "./operation.js";
import type { DataFormat, IntOrTuple, Padding } from "./nn.js";

function fl(x: TensorLike): Tensor {
  const t = convertToTensor(x);
  return t.dtype === "float32" ? t : tf.cast(t, "float32");
}

/** Runs `f` on a channels_last 4D batch of `images` (3D or 4D), restoring rank and format; `extraDims` trailing output axes stay last. */
function onBatch(images: Tensor, dataFormat: DataFormat | null | undefined, f: (x: tf.Tensor4D) => Tensor, extraDims = 0): Tensor {
  if (images.rank !== 3 && images.rank !== 4) {
    throw new Error(`Invalid images rank: expected rank 3 (single image) or rank 4 (batch of images). Received input with shape: images.shape=[${images.shape}]`);
  }
  const channelsFirst = standardizeDataFormat(dataFormat) === "channels_first";
  const single = images.rank === 3;
  let x = single ? tf.expandDims(images, 0) : images;
  if (channelsFirst) x = tf.transpose(x, [0, 2, 3, 1]);
  let y = f(x as tf.Tensor4D);
  if (channelsFirst) {
    const tail = Array.from({ length: extraDims }, (_, i) => 4 + i);
    y = tf.transpose(y, [0, 3, 1, 2, ...tail]);
  }
  return single ? tf.squeeze(y, [0]) : y;
}

function gaussian1d(size: number, sigma: number): number[] {
  const k = Array.from({ length: size }, (_, i) => Math.exp(-0.5 * ((i - (size - 1) / 2) / sigma) ** 2));
  const s = k.reduce((a, b) => a + b, 0);
  return k.map((v) => v / s);
}

/** A depthwise filter `[kh, kw, channels, 1]` from a 2D kernel (row-major). */
function depthwiseKernel(kernel: number[][], channels: number): tf.Tensor4D {
  const kh = kernel.length;
  const kw = kernel[0]!.length;
  const k = tf.tensor(kernel.flat(), [kh, kw, 1, 1]);
  return tf.tile(k, [1, 1, channels, 1]) as tf.Tensor4D;
}

/**
 * Blurs images with a Gaussian kernel (zero padding, same size), as Keras:
 * the kernel is `outer(g(kernelSize[1], sigma[1]), g(kernelSize[0], sigma[0]))`
 * with `g` a normalized 1-D Gaussian.
 */
export function gaussianBlur<A extends OpInput>(
  images: A,
  kernelSize: readonly [number, number] | readonly number[] = [3, 3],
  sigma: readonly [number, number] | readonly number[] = [1, 1],
  dataFormat: DataFormat | null = null,
): OpResult<A> {
  return dispatch("gaussian_blur", [images], (v: TensorLike) =>
    tf.tidy(() => {
      const t = convertToTensor(v);
      const out = onBatch(fl(t), dataFormat, (x) => {
        const ky = gaussian1d(kernelSize[1]!, sigma[1]!);
        const kx = gaussian1d(kernelSize[0]!, sigma[0]!);
        const kernel = ky.map((a) => kx.map((b) => a * b));
        return tf.depthwiseConv2d(x, depthwiseKernel(kernel, x.shape[3]), 1, "same");
      });
      return t.dtype === "float32" ? out : tf.cast(out, t.dtype);
    }),
  ) as OpResult<A>;
}

/**
 * Sobel edge maps: `(batch, height, width, channels, 2)` holding `[dy, dx]`
 * (channels_first: `(batch, channels, height, width, 2)`), computed with
 * zero padding as Keras's JAX backend.
 */
export function sobelEdges<A extends OpInput>(images: A, dataFormat: DataFormat | null = null): OpResult<A> {
  return dispatch("sobel_edges", [images], (v: TensorLike) =>
    tf.tidy(() =>
      onBatch(
        fl(v),
        dataFormat,
        (x) => {
          const c = x.shape[3];
          const dy = tf.depthwiseConv2d(x, depthwiseKernel([[-1, -2, -1], [0, 0, 0], [1, 2, 1]], c), 1, "same");
          const dx = tf.depthwiseConv2d(x, depthwiseKernel([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]], c), 1, "same");
          return tf.stack([dy, dx], -1);
        },
        1,
      ),
    ),
  ) as OpResult<A>;
}

/** Python/NumPy rounding of halves to even. */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** Maps an index to the input range for `mode`, or -1 when outside (constant). */
function remap(i: number, size: number, mode: string): number {
  if (i >= 0 && i < size) return i;
  switch (mode) {
    case "nearest":
      return Math.min(size - 1, Math.max(0, i));
    case "wrap":
      return ((i % size) + size) % size;
    case "mirror": {
      if (size === 1) return 0;
      const p = 2 * (size - 1);
      const m = ((i % p) + p) % p;
      return m < size ? m : p - m;
    }
    case "reflect": {
      const p = 2 * size;
      const m = ((i % p) + p) % p;
      return m < size ? m : p - 1 - m;
    }
    default:
      return -1;
  }
}

/**
 * Samples `inputs` (any rank) at `coordinates` (`[inputs.rank, ...outShape]`)
 * by nearest-neighbour (`order` 0, halves to even) or linear (`order` 1)
 * interpolation, as `scipy.ndimage.map_coordinates` with Keras's boundary
 * fix. `fillMode`: "constant" (neighbours outside give `fillValue`),
 * "nearest", "wrap", "mirror" or "reflect". Reads the data back (no gradient).
 */
export function mapCoordinates<A extends OpInput, C extends OpInput>(
  inputs: A,
  coordinates: C,
  order: 0 | 1,
  fillMode: "constant" | "nearest" | "wrap" | "mirror" | "reflect" = "constant",
  fillValue = 0,
): OpResult<A | C> {
  if (order !== 0 && order !== 1) throw new Error(`mapCoordinates: order must be 0 or 1. Received: order=${String(order)}`);
  if (!["constant", "nearest", "wrap", "mirror", "reflect"].includes(fillMode)) {
    throw new Error(`Invalid value for argument \`fill_mode\`. Expected one of {'constant', 'nearest', 'wrap', 'mirror', 'reflect'}. Received: fill_mode=${fillMode}`);
  }
  return dispatch("map_coordinates", [inputs, coordinates], (iv: TensorLike, cv: TensorLike) => {
    const it = convertToTensor(iv);
    const ct = convertToTensor(cv, "float32");
    const rank = it.rank;
    if (ct.rank < 1 || ct.shape[0] !== rank) {
      throw new Error(`First dim of \`coordinates\` must be the same as the rank of \`inputs\`. Received inputs with shape: [${it.shape}] and coordinate leading dim of ${ct.shape[0]}`);
    }
    const data = it.dataSync() as ArrayLike<number>;
    const coords = ct.dataSync() as ArrayLike<number>;
    const outShape = ct.shape.slice(1);
    const dtype = it.dtype === "int32" || it.dtype === "bool" ? "int32" : "float32";
    if (it !== iv && !(iv instanceof Variable)) it.dispose();
    if (ct !== cv && !(cv instanceof Variable)) ct.dispose();
    const n = outShape.reduce((a, b) => a * b, 1);
    const shape = it.shape;
    const strides = shape.map((_, d) => shape.slice(d + 1).reduce((a, b) => a * b, 1));
    const out = new Float32Array(n);
    for (let p = 0; p < n; p++) {
      let acc = 0;
      if (order === 0) {
        let off = 0;
        let inside = true;
        for (let d = 0; d < rank; d++) {
          const j = remap(roundHalfEven(coords[d * n + p]!), shape[d]!, fillMode);
          if (j < 0) inside = false;
          off += j * strides[d]!;
        }
        out[p] = inside ? data[off]! : fillValue;
        continue;
      }
      const lo: number[] = [];
      const w: number[] = [];
      for (let d = 0; d < rank; d++) {
        const c = coords[d * n + p]!;
        const f = Math.floor(c);
        lo.push(f);
        w.push(c - f);
      }
      for (let corner = 0; corner < 1 << rank; corner++) {
        let weight = 1;
        let off = 0;
        let inside = true;
        for (let d = 0; d < rank; d++) {
          const up = (corner >> d) & 1;
          weight *= up ? w[d]! : 1 - w[d]!;
          const j = remap(lo[d]! + up, shape[d]!, fillMode);
          if (j < 0) inside = false;
          off += j * strides[d]!;
        }
        if (weight !== 0) acc += weight * (inside ? data[off]! : fillValue);
      }
      out[p] = acc;
    }
    if (dtype === "float32") return tf.tensor(out, outShape, "float32");
    // Integer inputs: round halves away from zero, as JAX does.
    return tf.tensor(Int32Array.from(out, (v) => Math.sign(v) * Math.round(Math.abs(v))), outShape, "int32");
  }) as OpResult<A | C>;
}

/**
 * Extracts 3D patches of `size = [pd, ph, pw]` (or an int) from volumes
 * (`(batch,) depth, height, width, channels`): output `(batch,) d', h', w',
 * pd * ph * pw * channels`, patch voxels in row-major order with channels
 * innermost. `strides` defaults to `size`.
 */
export function extractPatches3d<A extends OpInput>(
  volumes: A,
  size: IntOrTuple,
  strides: IntOrTuple | null = null,
  dilationRate: IntOrTuple = 1,
  padding: Padding = "valid",
  dataFormat: DataFormat | null = null,
): OpResult<A> {
  const triple = (v: IntOrTuple): [number, number, number] => (typeof v === "number" ? [v, v, v] : [v[0]!, v[1]!, v[2]!]);
  const ks = triple(size);
  if (typeof size !== "number" && size.length !== 3) throw new Error(`Invalid patch size: expected an int or a tuple of 3 ints. Received: size=${JSON.stringify(size)}`);
  return dispatch("extract_patches_3d", [volumes], (v: TensorLike) =>
    tf.tidy(() => {
      let x = fl(v);
      if (x.rank !== 4 && x.rank !== 5) throw new Error(`Invalid volumes rank: expected rank 4 (single volume) or rank 5 (batch of volumes). Received volumes.shape=[${x.shape}]`);
      const single = x.rank === 4;
      if (single) x = tf.expandDims(x, 0);
      const channelsFirst = standardizeDataFormat(dataFormat) === "channels_first";
      if (channelsFirst) x = tf.transpose(x, [0, 2, 3, 4, 1]);
      const c = x.shape[4]!;
      const depth = ks[0] * ks[1] * ks[2] * c;
      const kernel = tf.reshape(tf.eye(depth), [ks[0], ks[1], ks[2], c, depth]) as tf.Tensor5D;
      let y: Tensor = tf.conv3d(x as tf.Tensor5D, kernel, triple(strides ?? size), padding, "NDHWC", triple(dilationRate));
      if (channelsFirst) y = tf.transpose(y, [0, 4, 1, 2, 3]);
      return single ? tf.squeeze(y, [0]) : y;
    }),
  ) as OpResult<A>;
}

/** Solves the 8×8 system for the projective transform mapping `to` points onto `from` points. */
function homography(from: number[][], to: number[][]): number[] {
  const a: number[][] = [];
  const b: number[] = [];
  for (let i = 0; i < 4; i++) {
    const [x, y] = to[i]!;
    const [u, w] = from[i]!;
    a.push([x!, y!, 1, 0, 0, 0, -u! * x!, -u! * y!]);
    b.push(u!);
    a.push([0, 0, 0, x!, y!, 1, -w! * x!, -w! * y!]);
    b.push(w!);
  }
  // Gaussian elimination with partial pivoting.
  for (let c = 0; c < 8; c++) {
    let p = c;
    for (let r = c + 1; r < 8; r++) if (Math.abs(a[r]![c]!) > Math.abs(a[p]![c]!)) p = r;
    [a[c], a[p]] = [a[p]!, a[c]!];
    [b[c], b[p]] = [b[p]!, b[c]!];
    for (let r = c + 1; r < 8; r++) {
      const f = a[r]![c]! / a[c]![c]!;
      for (let k = c; k < 8; k++) a[r]![k]! -= f * a[c]![k]!;
      b[r]! -= f * b[c]!;
    }
  }
  const xs = new Array<number>(8).fill(0);
  for (let r = 7; r >= 0; r--) {
    let s = b[r]!;
    for (let k = r + 1; k < 8; k++) s -= a[r]![k]! * xs[k]!;
    xs[r] = s / a[r]![r]!;
  }
  return xs;
}

/**
 * Warps images so that the four `startPoints` (`[4, 2]` or `[N, 4, 2]`,
 * `(x, y)` pixel coordinates) land on `endPoints`: each output pixel samples
 * the input through the projective transform fitted to the points.
 */
export function perspectiveTransform<A extends OpInput, S extends OpInput, E extends OpInput>(
  images: A,
  startPoints: S,
  endPoints: E,
  interpolation: "bilinear" | "nearest" = "bilinear",
  fillValue = 0,
  dataFormat: DataFormat | null = null,
): OpResult<A | S | E> {
  return dispatch("perspective_transform", [images, startPoints, endPoints], (iv: TensorLike, sv: TensorLike, ev: TensorLike) =>
    tf.tidy(() => {
      const t = convertToTensor(iv);
      const sp = fl(sv);
      const ep = fl(ev);
      const norm = (p: Tensor, what: string): number[][][] => {
        if (p.shape[p.rank - 1] !== 2 || p.shape[p.rank - 2] !== 4 || (p.rank !== 2 && p.rank !== 3)) {
          throw new Error(`\`${what}\` must have shape (4, 2) or (N, 4, 2). Received shape [${p.shape}]`);
        }
        return (p.rank === 2 ? [p.arraySync()] : p.arraySync()) as number[][][];
      };
      const s = norm(sp, "start_points");
      const e = norm(ep, "end_points");
      const out = onBatch(fl(t), dataFormat, (x) => {
        const n = x.shape[0];
        const rows = Array.from({ length: n }, (_, i) => homography(s[s.length === 1 ? 0 : i]!, e[e.length === 1 ? 0 : i]!));
        return tf.image.transform(x, tf.tensor2d(rows), interpolation, "constant", fillValue);
      });
      return t.dtype === "float32" ? out : tf.cast(out, t.dtype);
    }),
  ) as OpResult<A | S | E>;
}

/** Options of {@link ssim}. */
export interface SsimOptions {
  /** The dynamic range of the values (1 for [0, 1] images, 255 for bytes). Default 1. */
  maxVal?: number;
  /** The Gaussian window size. Default 11. */
  filterSize?: number;
  /** The Gaussian window's standard deviation. Default 1.5. */
  filterSigma?: number;
  k1?: number;
  k2?: number;
  dataFormat?: DataFormat | null;
}

/**
 * The structural similarity index of two images or batches (Keras's
 * `ops.image.ssim`): Gaussian-weighted local statistics over valid windows,
 * averaged over space and channels; one value per image.
 */
export function ssim<A extends OpInput, B extends OpInput>(image1: A, image2: B, options: SsimOptions = {}): OpResult<A | B> {
  const maxVal = options.maxVal ?? 1;
  const size = options.filterSize ?? 11;
  const sigma = options.filterSigma ?? 1.5;
  const c1 = ((options.k1 ?? 0.01) * maxVal) ** 2;
  const c2 = ((options.k2 ?? 0.03) * maxVal) ** 2;
  return dispatch("ssim", [image1, image2], (av: TensorLike, bv: TensorLike) =>
    tf.tidy(() => {
      let a = fl(av);
      let b = fl(bv);
      for (const [t, name] of [
        [a, "image1"],
        [b, "image2"],
      ] as const) {
        if (t.rank !== 3 && t.rank !== 4) throw new Error(`Invalid ${name} rank: expected rank 3 (single image) or rank 4 (batch of images). Received input with shape: ${name}.shape=[${t.shape}]`);
      }
      const single = a.rank === 3;
      if (single) {
        a = tf.expandDims(a, 0);
        b = tf.expandDims(b, 0);
      }
      if (standardizeDataFormat(options.dataFormat) === "channels_first") {
        a = tf.transpose(a, [0, 2, 3, 1]);
        b = tf.transpose(b, [0, 2, 3, 1]);
      }
      const [n, h, w, c] = a.shape as [number, number, number, number];
      const g = gaussian1d(size, sigma);
      const kernel = tf.tensor4d(g.flatMap((p) => g.map((q) => p * q)), [size, size, 1, 1]);
      const perChannel = (t: Tensor): tf.Tensor4D => tf.reshape(tf.transpose(t, [0, 3, 1, 2]), [-1, h, w, 1]) as tf.Tensor4D;
      const x1 = perChannel(a);
      const x2 = perChannel(b);
      const blur = (t: tf.Tensor4D): Tensor => tf.conv2d(t, kernel, 1, "valid");
      const mu1 = blur(x1);
      const mu2 = blur(x2);
      const mu11 = tf.mul(mu1, mu1);
      const mu22 = tf.mul(mu2, mu2);
      const mu12 = tf.mul(mu1, mu2);
      const s11 = tf.sub(blur(tf.mul(x1, x1)), mu11);
      const s22 = tf.sub(blur(tf.mul(x2, x2)), mu22);
      const s12 = tf.sub(blur(tf.mul(x1, x2)), mu12);
      const num = tf.mul(tf.add(tf.mul(2, mu12), c1), tf.add(tf.mul(2, s12), c2));
      const den = tf.mul(tf.add(tf.add(mu11, mu22), c1), tf.add(tf.add(s11, s22), c2));
      const perImage = tf.mean(tf.reshape(tf.mean(tf.div(num, den), [1, 2, 3]), [n, c]), -1);
      return single ? tf.squeeze(perImage, [0]) : perImage;
    }),
  ) as OpResult<A | B>;
}
