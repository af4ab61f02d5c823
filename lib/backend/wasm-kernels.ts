/**
 * Kernels the wasm backend (tfjs-backend-wasm 4.x) lacks that training
 * needs, registered for "wasm" and written with the kernels it has:
 *
 * - `Conv2DBackpropFilter` (the kernel gradient of Conv2D, Conv1D, the
 *   pointwise step of SeparableConv, Conv2DTranspose's input gradient...):
 *   the image patches of the input (strided slices of the padded input)
 *   times the output gradient, one matmul.
 * - `DepthwiseConv2dNativeBackpropFilter`: the same patches, one batched
 *   matmul per channel.
 * - `DepthwiseConv2dNativeBackpropInput`: the output gradient spread by the
 *   strides, padded, and convolved depthwise with the flipped kernel.
 * - `UnsortedSegmentSum` (the gradient of `gather`, e.g. of Embedding, and
 *   the segment ops): a `scatterND`, which sums duplicate indices.
 *
 * It also replaces wasm kernels that give wrong values (checked against the
 * cpu backend in test/backend/wasm-kernels.test.ts): `MaxPool3D` (FLT_MIN for
 * all-negative windows), `MaxPoolGrad` and `MaxPool3DGrad` (drop gradients),
 * `Conv3DBackpropInputV2` and `Conv3DBackpropFilterV2` (wrong, the latter
 * with strides > 1), with patch-based versions (max / argmax over the
 * patches, matmuls, and their col2im inverse); pooling windows that tile the
 * input (`MaxPooling2D(2)`) take a reshape-based path instead. And it
 * replaces `Conv2DBackpropInput`, correct but a scalar loop, by a conv2d.
 *
 * Each kernel runs tfjs ops inside `tf.tidy` (the engine records no gradient
 * tape inside a kernel) and hands the engine its result's data with the
 * backend's reference count raised, so no intermediate is leaked and the
 * output is owned by the engine like any kernel output.
 *
 * Importing this module registers the kernels (once; a kernel the backend
 * already has is left alone). `lib/backend/engine.ts` imports it when the
 * wasm backend starts.
 */
import { tf, type Tensor } from "./tfjs.js";

type Attrs = Record<string, unknown>;
type Impl = (inputs: Record<string, Tensor>, attrs: Attrs) => Tensor;
type PadArg = "valid" | "same" | number | tf.backend_util.ExplicitPadding;

interface RefCountedBackend {
  incRef(dataId: object): void;
}

interface TensorInfoLike {
  dataId: object;
  shape: number[];
  dtype: tf.DataType;
}

/** The names of the kernels this module registers on the wasm backend. */
export const WASM_EXTRA_KERNELS = [
  "Conv2DBackpropFilter",
  "DepthwiseConv2dNativeBackpropFilter",
  "DepthwiseConv2dNativeBackpropInput",
  "UnsortedSegmentSum",
] as const;

/** The wasm kernels this module replaces because tfjs-backend-wasm's give wrong values. */
export const WASM_REPLACED_KERNELS = ["Conv3DBackpropFilterV2", "Conv3DBackpropInputV2", "MaxPoolGrad", "MaxPool3D", "MaxPool3DGrad", "Conv2DBackpropInput"] as const;

/**
 * Registers `impl` (tfjs ops on Tensors) as the wasm kernel `kernelName`,
 * unless wasm has one; with `replace`, in place of wasm's own (when it is wrong).
 */
function registerViaOps(kernelName: string, impl: Impl, replace = false): void {
  if (tf.getKernel(kernelName, "wasm") !== undefined) {
    if (!replace) return;
    tf.unregisterKernel(kernelName, "wasm");
  }
  tf.registerKernel({
    kernelName,
    backendName: "wasm",
    kernelFunc: ({ inputs, attrs, backend }) => {
      const b = backend as unknown as RefCountedBackend;
      const wrapped: Tensor[] = [];
      const tensors: Record<string, Tensor> = {};
      for (const [name, info] of Object.entries(inputs)) {
        if (info instanceof tf.Tensor) tensors[name] = info;
        else {
          // A bare TensorInfo (a kernel called from another kernel): wrap it without taking its data.
          const i = info as unknown as TensorInfoLike;
          b.incRef(i.dataId);
          const t = tf.engine().makeTensorFromTensorInfo(i as unknown as tf.TensorInfo);
          wrapped.push(t);
          tensors[name] = t;
        }
      }
      try {
        const given = new Set(Object.values(tensors));
        const out = tf.tidy(() => {
          const r = impl(tensors, attrs as Attrs);
          return given.has(r) ? tf.clone(r) : r;
        });
        b.incRef(out.dataId);
        const result: TensorInfoLike = { dataId: out.dataId, shape: [...out.shape], dtype: out.dtype };
        out.dispose();
        return result as unknown as tf.TensorInfo;
      } finally {
        for (const t of wrapped) t.dispose();
      }
    },
  });
}

function pair(v: unknown, what: string): [number, number] {
  if (typeof v === "number") return [v, v];
  if (Array.isArray(v) && v.length === 2) return [Number(v[0]), Number(v[1])];
  if (v == null) return [1, 1];
  throw new Error(`${what} must be a number or a pair of numbers. Received: ${JSON.stringify(v)}`);
}

/** Geometry of a 2D or 3D window op on a channels-last input. */
interface Window {
  batch: number;
  channels: number;
  /** Input spatial sizes. */
  input: number[];
  /** Output spatial sizes. */
  out: number[];
  kernel: number[];
  strides: number[];
  dilations: number[];
  /** Padding before each spatial axis (top, left / front, top, left). */
  before: number[];
}

function window2d(info: tf.backend_util.Conv2DInfo): Window {
  return {
    batch: info.batchSize,
    channels: info.inChannels,
    input: [info.inHeight, info.inWidth],
    out: [info.outHeight, info.outWidth],
    kernel: [info.filterHeight, info.filterWidth],
    strides: [info.strideHeight, info.strideWidth],
    dilations: [info.dilationHeight, info.dilationWidth],
    before: [info.padInfo.top, info.padInfo.left],
  };
}

function window3d(info: tf.backend_util.Conv3DInfo): Window {
  return {
    batch: info.batchSize,
    channels: info.inChannels,
    input: [info.inDepth, info.inHeight, info.inWidth],
    out: [info.outDepth, info.outHeight, info.outWidth],
    kernel: [info.filterDepth, info.filterHeight, info.filterWidth],
    strides: [info.strideDepth, info.strideHeight, info.strideWidth],
    dilations: [info.dilationDepth, info.dilationHeight, info.dilationWidth],
    before: [info.padInfo.front, info.padInfo.top, info.padInfo.left],
  };
}

/** Every tap of the window, row-major (the order of a `[k0, k1, ...]` kernel). */
function taps(kernel: number[]): number[][] {
  let out: number[][] = [[]];
  for (const k of kernel) out = out.flatMap((t) => Array.from({ length: k }, (_, i) => [...t, i]));
  return out;
}

/** The extent of the padded input the windows read, per spatial axis. */
function paddedSizes(w: Window): number[] {
  return w.out.map((o, i) => Math.max((o - 1) * w.strides[i] + (w.kernel[i] - 1) * w.dilations[i] + 1, w.input[i] + w.before[i]));
}

/**
 * The patches of a channels-last input: `[batch, ...out, taps, channels]`
 * (strided slices of the padded input, one per tap; padding with `padValue`).
 */
function patches(x: Tensor, w: Window, padValue = 0): Tensor {
  const n = w.out.length;
  const slices = tapSlices(x, w, padValue);
  return slices.length === 1 ? tf.expandDims(slices[0], n + 1) : tf.stack(slices, n + 1);
}

/** The input each tap of the window reads, `[batch, ...out, channels]` per tap, row-major taps. */
function tapSlices(x: Tensor, w: Window, padValue = 0): Tensor[] {
  const full = paddedSizes(w);
  const pads: [number, number][] = [[0, 0], ...w.input.map((len, i) => [w.before[i], full[i] - len - w.before[i]] as [number, number]), [0, 0]];
  const xp = pads.some(([a, b]) => a !== 0 || b !== 0) ? tf.pad(x, pads, padValue) : x;
  return taps(w.kernel).map((t) => {
    const begin = [0, ...t.map((ti, i) => ti * w.dilations[i]), 0];
    // Unit strides: a plain slice (copied run by run in the heap, see viewSlice), far cheaper than wasm's StridedSlice.
    if (w.strides.every((st) => st === 1)) return tf.slice(xp, begin, [w.batch, ...w.out, w.channels]);
    const end = [w.batch, ...t.map((ti, i) => ti * w.dilations[i] + (w.out[i] - 1) * w.strides[i] + 1), w.channels];
    return tf.stridedSlice(xp, begin, end, [1, ...w.strides, 1]);
  });
}

/**
 * The inverse of `patches` for gradients (col2im): adds each tap's values
 * `[batch, ...out, taps, channels]` back at the input positions it was read from.
 */
function unpatches(cols: Tensor, w: Window): Tensor {
  const n = w.out.length;
  const full = paddedSizes(w);
  const perTap = tf.unstack(cols, n + 1);
  let sum: Tensor | null = null;
  taps(w.kernel).forEach((t, k) => {
    let v = perTap[k];
    for (let i = 0; i < n; i++) v = spread(v, i + 1, w.strides[i]);
    const pads: [number, number][] = [
      [0, 0],
      ...t.map((ti, i) => {
        const at = ti * w.dilations[i];
        return [at, full[i] - at - ((w.out[i] - 1) * w.strides[i] + 1)] as [number, number];
      }),
      [0, 0],
    ];
    v = tf.pad(v, pads);
    sum = sum === null ? v : tf.add(sum, v);
  });
  return tf.slice(sum as unknown as Tensor, [0, ...w.before, 0], [w.batch, ...w.input, w.channels]);
}

const toNHWC = (t: Tensor): Tensor => tf.transpose(t, [0, 2, 3, 1]);

/** dW of `conv2d(x, W)`: patches(x)ᵀ · dy. */
function conv2dBackpropFilter(inputs: Record<string, Tensor>, attrs: Attrs): Tensor {
  const nchw = attrs.dataFormat === "NCHW";
  const x = nchw ? toNHWC(inputs.x) : inputs.x;
  const dy = nchw ? toNHWC(inputs.dy) : inputs.dy;
  const filterShape = attrs.filterShape as [number, number, number, number];
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filterShape,
    pair(attrs.strides, "strides"),
    1,
    attrs.pad as PadArg,
    attrs.dimRoundingMode as "floor" | "round" | "ceil" | undefined,
    false,
    "channelsLast",
  );
  const n = info.batchSize * info.outHeight * info.outWidth;
  const g = tf.reshape(dy, [n, info.outChannels]);
  // One product per tap of the kernel, tapᵀ · dy ([inChannels, outChannels] each): no stacked
  // patches tensor (kh·kw times the input) to build.
  const perTap = tapSlices(x, window2d(info)).map((t) => tf.matMul(tf.reshape(t, [n, info.inChannels]), g, true, false));
  return tf.reshape(perTap.length === 1 ? perTap[0] : tf.stack(perTap), filterShape);
}

/** dW of `depthwiseConv2d(x, W)`: per channel, patches(x)ᵀ · dy. */
function depthwiseBackpropFilter(inputs: Record<string, Tensor>, attrs: Attrs): Tensor {
  const { x, dy } = inputs;
  const filterShape = attrs.filterShape as [number, number, number, number];
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filterShape,
    pair(attrs.strides, "strides"),
    pair(attrs.dilations, "dilations"),
    attrs.pad as PadArg,
    attrs.dimRoundingMode as "floor" | "round" | "ceil" | undefined,
    true,
  );
  const [kh, kw, c, m] = filterShape;
  const n = info.batchSize * info.outHeight * info.outWidth;
  const cols = tf.transpose(tf.reshape(patches(x, window2d(info)), [n, kh * kw, c]), [2, 1, 0]); // [c, k, n]
  const g = tf.transpose(tf.reshape(dy, [n, c, m]), [1, 0, 2]); // [c, n, m]
  const dW = tf.matMul(cols, g); // [c, k, m]
  return tf.reshape(tf.transpose(dW, [1, 0, 2]), filterShape);
}

/** Inserts `s - 1` zeros between the entries of `axis`. */
function spread(t: Tensor, axis: number, s: number): Tensor {
  if (s === 1) return t;
  const shape = t.shape;
  const len = shape[axis];
  const e = tf.expandDims(t, axis + 1);
  const pads: [number, number][] = e.shape.map(() => [0, 0] as [number, number]);
  pads[axis + 1] = [0, s - 1];
  const merged = tf.reshape(tf.pad(e, pads), [...shape.slice(0, axis), len * s, ...shape.slice(axis + 1)]);
  const size = [...shape];
  size[axis] = (len - 1) * s + 1;
  return tf.slice(merged, shape.map(() => 0), size);
}

/** Pads (with `value`; or crops, for negative amounts) `axis` by `before` and `after`. */
function padOrCrop(t: Tensor, axis: number, before: number, after: number, value = 0): Tensor {
  let r = t;
  if (before < 0 || after < 0) {
    const begin = r.shape.map(() => 0);
    const size = [...r.shape];
    begin[axis] = Math.max(-before, 0);
    size[axis] = r.shape[axis] - Math.max(-before, 0) - Math.max(-after, 0);
    r = tf.slice(r, begin, size);
  }
  if (before > 0 || after > 0) {
    const pads: [number, number][] = r.shape.map(() => [0, 0] as [number, number]);
    pads[axis] = [Math.max(before, 0), Math.max(after, 0)];
    r = tf.pad(r, pads, value);
  }
  return r;
}

/** dx of `depthwiseConv2d(x, W)`: dy spread by the strides, padded, depthwise-convolved with the flipped kernel. */
function depthwiseBackpropInput(inputs: Record<string, Tensor>, attrs: Attrs): Tensor {
  const { dy, filter } = inputs;
  const inputShape = attrs.inputShape as [number, number, number, number];
  const info = tf.backend_util.computeConv2DInfo(
    inputShape,
    filter.shape as [number, number, number, number],
    pair(attrs.strides, "strides"),
    pair(attrs.dilations, "dilations"),
    attrs.pad as PadArg,
    attrs.dimRoundingMode as "floor" | "round" | "ceil" | undefined,
    true,
  );
  const [kh, kw, c, m] = filter.shape;
  const { dilationHeight: dh, dilationWidth: dw, padInfo } = info;
  let g = spread(spread(dy, 1, info.strideHeight), 2, info.strideWidth);
  const leftH = (kh - 1) * dh - padInfo.top;
  const leftW = (kw - 1) * dw - padInfo.left;
  g = padOrCrop(g, 1, leftH, info.inHeight + (kh - 1) * dh - leftH - (g.shape as number[])[1]);
  g = padOrCrop(g, 2, leftW, info.inWidth + (kw - 1) * dw - leftW - (g.shape as number[])[2]);
  const flipped = tf.reshape(tf.reverse(filter, [0, 1]), [kh, kw, c * m, 1]) as tf.Tensor4D;
  const y = tf.depthwiseConv2d(g as tf.Tensor4D, flipped, 1, "valid", "NHWC", [dh, dw]);
  if (m === 1) return y;
  return tf.sum(tf.reshape(y, [inputShape[0], info.inHeight, info.inWidth, c, m]), 4);
}

/**
 * dx of `conv2d(x, W)`: dy spread by the strides, padded, and convolved with
 * the kernel flipped and its channel axes swapped: one XNNPACK conv2d,
 * several times faster than tfjs-backend-wasm's own Conv2DBackpropInput
 * (a scalar loop), which every conv layer but the first runs in training.
 */
function conv2dBackpropInput(inputs: Record<string, Tensor>, attrs: Attrs): Tensor {
  const { dy, filter } = inputs;
  const nchw = attrs.dataFormat === "NCHW";
  const s = attrs.inputShape as [number, number, number, number];
  const inputShape: [number, number, number, number] = nchw ? [s[0], s[2], s[3], s[1]] : s;
  const info = tf.backend_util.computeConv2DInfo(
    inputShape,
    filter.shape as [number, number, number, number],
    pair(attrs.strides, "strides"),
    1,
    attrs.pad as PadArg,
    attrs.dimRoundingMode as "floor" | "round" | "ceil" | undefined,
    false,
    "channelsLast",
  );
  const [kh, kw] = filter.shape;
  let g = spread(spread(nchw ? toNHWC(dy) : dy, 1, info.strideHeight), 2, info.strideWidth);
  const leftH = kh - 1 - info.padInfo.top;
  const leftW = kw - 1 - info.padInfo.left;
  g = padOrCrop(g, 1, leftH, info.inHeight + kh - 1 - leftH - (g.shape as number[])[1]);
  g = padOrCrop(g, 2, leftW, info.inWidth + kw - 1 - leftW - (g.shape as number[])[2]);
  const flipped = tf.transpose(tf.reverse(filter, [0, 1]), [0, 1, 3, 2]) as tf.Tensor4D;
  const dx = tf.conv2d(g as tf.Tensor4D, flipped, 1, "valid");
  return nchw ? tf.transpose(dx, [0, 3, 1, 2]) : dx;
}

/** Sums the rows of `x` by segment id; ids outside `[0, numSegments)` are dropped (as TensorFlow). */
function unsortedSegmentSum(inputs: Record<string, Tensor>, attrs: Attrs): Tensor {
  const { x, segmentIds } = inputs;
  const numSegments = Number(attrs.numSegments);
  const idRank = segmentIds.rank;
  const n = segmentIds.size;
  const rest = x.shape.slice(idRank);
  const ids = tf.reshape(tf.cast(segmentIds, "int32"), [n]);
  const valid = tf.logicalAnd(tf.greaterEqual(ids, 0), tf.less(ids, numSegments));
  const safeIds = tf.where(valid, ids, tf.zerosLike(ids));
  const rows = tf.reshape(x, [n, ...rest]);
  const mask = tf.reshape(tf.cast(valid, x.dtype), [n, ...rest.map(() => 1)]);
  const updates = tf.mul(rows, mask);
  return tf.scatterND(tf.reshape(safeIds, [n, 1]), updates, [numSegments, ...rest]);
}

type Shape5 = [number, number, number, number, number];

/** dW of `conv3d(x, W)`: patches(x)ᵀ · dy (replaces wasm's, which is wrong for strides > 1). */
function conv3dBackpropFilter(inputs: Record<string, Tensor>, attrs: Attrs): Tensor {
  const { x, dy } = inputs;
  const filterShape = attrs.filterShape as Shape5;
  const info = tf.backend_util.computeConv3DInfo(x.shape as Shape5, filterShape, attrs.strides as [number, number, number], 1, attrs.pad as "same" | "valid");
  const w = window3d(info);
  const n = w.batch * w.out[0] * w.out[1] * w.out[2];
  const cols = tf.reshape(patches(x, w), [n, filterShape[0] * filterShape[1] * filterShape[2] * filterShape[3]]);
  return tf.reshape(tf.matMul(cols, tf.reshape(dy, [n, filterShape[4]]), true, false), filterShape);
}

/** dx of `conv3d(x, W)`: dy · Wᵀ put back at the patch positions (replaces wasm's, which is wrong). */
function conv3dBackpropInput(inputs: Record<string, Tensor>, attrs: Attrs): Tensor {
  const { dy, filter } = inputs;
  const fs = filter.shape as Shape5;
  const info = tf.backend_util.computeConv3DInfo(attrs.inputShape as Shape5, fs, attrs.strides as [number, number, number], 1, attrs.pad as "same" | "valid");
  const w = window3d(info);
  const k = fs[0] * fs[1] * fs[2];
  const n = w.batch * w.out[0] * w.out[1] * w.out[2];
  const cols = tf.matMul(tf.reshape(dy, [n, fs[4]]), tf.reshape(filter, [k * fs[3], fs[4]]), false, true);
  return unpatches(tf.reshape(cols, [w.batch, ...w.out, k, fs[3]]), w);
}

/** dx of a max pooling: dy routed to the first maximum of each window (replaces wasm's, which drops some). */
function maxPoolGradWindow(dy: Tensor, input: Tensor, w: Window): Tensor {
  const n = w.out.length;
  const cols = patches(input, w, -Infinity); // [b, ...out, k, c]
  const k = w.kernel.reduce((a, b) => a * b, 1);
  // (wasm's OneHot ignores a float dtype: cast its int32 result.)
  const first = tf.cast(tf.oneHot(tf.argMax(cols, n + 1), k), "float32"); // [b, ...out, c, k]
  const perm = [...Array.from({ length: n + 1 }, (_, i) => i), n + 2, n + 1];
  return unpatches(tf.mul(tf.transpose(first, perm), tf.expandDims(dy, n + 1)), w);
}

/**
 * dx of a 2D max pooling whose windows tile the input without overlap
 * (strides = pool size, the common `MaxPooling2D(2)`): the covered region
 * reshaped to `[batch·outH, poolH, outW, poolW, c]` and transposed so each
 * window is a row, then the first maximum of each row (as TensorFlow) gets
 * dy. About 100 times faster than the patch-based general path on wasm
 * (whose strided slices copy the whole input once per window tap).
 */
function maxPoolGradDisjoint2d(dy: Tensor, input: Tensor, w: Window): Tensor {
  const [b, c] = [w.batch, w.channels];
  const [oh, ow] = w.out;
  const [kh, kw] = w.kernel;
  const covered = [oh * kh, ow * kw];
  // The input region the windows read (padded with -Infinity where a window hangs over the edge).
  let x = input;
  for (let i = 0; i < 2; i++) x = padOrCrop(x, i + 1, w.before[i], covered[i] - w.input[i] - w.before[i], -Infinity);
  const rows = tf.reshape(tf.transpose(tf.reshape(x, [b * oh, kh, ow, kw, c]), [0, 2, 4, 1, 3]), [b, oh, ow, c, kh * kw]);
  // (wasm's OneHot ignores a float dtype: cast its int32 result.)
  const first = tf.cast(tf.oneHot(tf.argMax(rows, 4), kh * kw), "float32"); // [b, oh, ow, c, k]
  const g = tf.mul(first, tf.expandDims(dy, 4));
  let dx = tf.reshape(tf.transpose(tf.reshape(g, [b * oh, ow, c, kh, kw]), [0, 3, 1, 4, 2]), [b, covered[0], covered[1], c]);
  for (let i = 0; i < 2; i++) dx = padOrCrop(dx, i + 1, -w.before[i], w.input[i] - covered[i] + w.before[i]);
  return dx;
}

function maxPoolGrad(inputs: Record<string, Tensor>, attrs: Attrs): Tensor {
  const { dy, input } = inputs;
  const info = tf.backend_util.computePool2DInfo(
    input.shape as [number, number, number, number],
    attrs.filterSize as [number, number],
    attrs.strides as [number, number],
    1,
    attrs.pad as PadArg,
    attrs.dimRoundingMode as "floor" | "round" | "ceil" | undefined,
  );
  const w = window2d(info);
  if (w.kernel.every((k, i) => k === w.strides[i] && w.dilations[i] === 1)) return maxPoolGradDisjoint2d(dy, input, w);
  return maxPoolGradWindow(dy, input, w);
}

function pool3dInfo(shape: number[], attrs: Attrs): tf.backend_util.Conv3DInfo {
  return tf.backend_util.computePool3DInfo(
    shape as Shape5,
    attrs.filterSize as [number, number, number],
    attrs.strides as [number, number, number],
    1,
    attrs.pad as "same" | "valid",
    attrs.dimRoundingMode as "floor" | "round" | "ceil" | undefined,
  );
}

/** 3D max pooling: the max over the patches (replaces wasm's, which gives FLT_MIN for all-negative windows). */
function maxPool3d(inputs: Record<string, Tensor>, attrs: Attrs): Tensor {
  const { x } = inputs;
  if (attrs.dataFormat !== undefined && attrs.dataFormat !== "NDHWC") {
    throw new Error(`MaxPool3D on wasm supports only the NDHWC data format. Received: ${String(attrs.dataFormat)}`);
  }
  return tf.max(patches(x, window3d(pool3dInfo(x.shape, attrs)), -Infinity), 4);
}

function maxPool3dGrad(inputs: Record<string, Tensor>, attrs: Attrs): Tensor {
  const { dy, input } = inputs;
  return maxPoolGradWindow(dy, input, window3d(pool3dInfo(input.shape, attrs)));
}

// The package registers its own kernels when imported: load it first, so that ours
// fill its gaps and replace its wrong ones whatever the import order.
await import("@tensorflow/tfjs-backend-wasm");

registerViaOps("Conv2DBackpropFilter", conv2dBackpropFilter);
registerViaOps("DepthwiseConv2dNativeBackpropFilter", depthwiseBackpropFilter);
registerViaOps("DepthwiseConv2dNativeBackpropInput", depthwiseBackpropInput);
registerViaOps("UnsortedSegmentSum", unsortedSegmentSum);
// tfjs-backend-wasm 4.22 has these but computes wrong values (checked against the cpu backend):
registerViaOps("Conv3DBackpropFilterV2", conv3dBackpropFilter, true);
registerViaOps("Conv3DBackpropInputV2", conv3dBackpropInput, true);
registerViaOps("MaxPoolGrad", maxPoolGrad, true);
// Correct but slow (a scalar loop); replaced by a conv2d on XNNPACK.
registerViaOps("Conv2DBackpropInput", conv2dBackpropInput, true);
registerViaOps("MaxPool3D", maxPool3d, true);
registerViaOps("MaxPool3DGrad", maxPool3dGrad, true);

// ---------------------------------------------------------------------------
// Faster kernels. tfjs-backend-wasm 4.22 runs a matmul through XNNPACK only
// when neither operand is transposed and the batch is 1; every other matmul
// (the gradients of every Dense and recurrent layer: dy·Wᵀ and xᵀ·dy) falls
// to a naive scalar loop, about ten times slower. Its Slice kernel (which its
// Unpack and SplitV call too) copies the whole input out of the wasm heap to
// take a slice of it (a batch of a 10,000-sample dataset copies all 10,000
// samples; unstacking 50 timesteps copies the sequence 50 times), and its GatherV2 copies
// element by element (the rows of a shuffled batch are contiguous runs).

interface WasmBackendLike {
  dataIdMap: { get(dataId: object): { id: number; shape: number[]; dtype: tf.DataType; refCount?: number } };
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array | Int32Array | Uint8Array;
  disposeData(dataId: object, force?: boolean): boolean;
}

type KernelArgs = { inputs: Record<string, tf.TensorInfo | undefined>; backend: unknown; attrs: Attrs };
type KernelFn = (args: KernelArgs) => tf.TensorInfo;

/** Replaces the wasm kernel `kernelName` by `make(original)`, keeping its setup function. */
function wrapWasmKernel(kernelName: string, make: (original: KernelFn) => KernelFn): void {
  const config = tf.getKernel(kernelName, "wasm");
  if (config === undefined) return;
  const original = config.kernelFunc as unknown as KernelFn;
  tf.unregisterKernel(kernelName, "wasm");
  tf.registerKernel({ ...config, kernelFunc: make(original) as unknown as tf.KernelFunc });
}

/** The product of the leading (batch) dimensions of a matmul operand. */
function batchOf(shape: number[]): number {
  let n = 1;
  for (let i = 0; i < shape.length - 2; i++) n *= shape[i];
  return n;
}

/** `x` with its last two axes swapped, as a new tensor on the backend (the caller disposes it). */
function swapLastTwo(transpose: KernelFn, x: tf.TensorInfo, backend: unknown): tf.TensorInfo {
  const r = x.shape.length;
  const perm = Array.from({ length: r }, (_, i) => (i === r - 2 ? r - 1 : i === r - 1 ? r - 2 : i));
  return transpose({ inputs: { x }, backend, attrs: { perm } });
}

/**
 * A matmul kernel that hands XNNPACK the transposed cases. XNNPACK packs its
 * right operand (the "weights") before each product, so the operand to pack
 * should be the small one: `op(a)·op(b)` is computed either as is, with the
 * transposed operands transposed in memory first, or as
 * `(op(b)ᵀ·op(a)ᵀ)ᵀ`, whichever moves fewer elements. E.g. the input
 * gradient of a Dense layer, dy·Wᵀ, packs dyᵀ (batch x units) instead of Wᵀ
 * (all the weights). Each transpose is a copy, linear in its size, far
 * cheaper than the naive loop.
 */
function xnnpackMatMul(transpose: KernelFn): (original: KernelFn) => KernelFn {
  return (original) => (args) => {
    const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
    const tA = args.attrs.transposeA === true;
    const tB = args.attrs.transposeB === true;
    if ((!tA && !tB) || a.dtype !== "float32" || b.dtype !== "float32" || batchOf(a.shape) !== 1 || batchOf(b.shape) !== 1) {
      return original(args);
    }
    const backend = args.backend as WasmBackendLike;
    const sizeA = tf.util.sizeFromShape(a.shape);
    const sizeB = tf.util.sizeFromShape(b.shape);
    const rows = a.shape[a.shape.length - (tA ? 1 : 2)];
    const cols = b.shape[b.shape.length - (tB ? 2 : 1)];
    const direct = (tA ? sizeA : 0) + (tB ? sizeB : 0) + sizeB;
    const swapped = (tB ? 0 : sizeB) + (tA ? 0 : sizeA) + sizeA + rows * cols;
    const temps: tf.TensorInfo[] = [];
    const t = (x: tf.TensorInfo): tf.TensorInfo => {
      const r = swapLastTwo(transpose, x, backend);
      temps.push(r);
      return r;
    };
    try {
      const plain = { ...args.attrs, transposeA: false, transposeB: false };
      if (direct <= swapped || args.inputs.bias !== undefined || args.inputs.preluActivationWeights !== undefined) {
        return original({ ...args, inputs: { ...args.inputs, a: tA ? t(a) : a, b: tB ? t(b) : b }, attrs: plain });
      }
      // (op(b)ᵀ · op(a)ᵀ)ᵀ: op(b)ᵀ is b itself when tB, op(a)ᵀ is a itself when tA.
      const outT = original({ ...args, inputs: { ...args.inputs, a: tB ? b : t(b), b: tA ? a : t(a) }, attrs: plain });
      temps.push(outT);
      return swapLastTwo(transpose, outT, backend);
    } finally {
      for (const x of temps) backend.disposeData(x.dataId);
    }
  };
}

/**
 * The slice `[begin, begin + size)` of `x` into a new output, copied inside
 * the heap run by run (a run: the innermost axes the slice takes whole, plus
 * the first one it cuts).
 */
function heapSlice(backend: WasmBackendLike, x: tf.TensorInfo, begin: number[], size: number[]): tf.TensorInfo {
  const out = backend.makeOutput(size, x.dtype);
  const total = tf.util.sizeFromShape(size);
  if (total === 0) return out;
  // Views taken after makeOutput, which may grow (and so move) the heap.
  const src = backend.typedArrayFromHeap(x);
  const dst = backend.typedArrayFromHeap(out);
  const shape = x.shape;
  const rank = shape.length;
  if (rank === 0) {
    dst[0] = src[0];
    return out;
  }
  const strides = [...tf.util.computeStrides(shape), 1];
  // j: the outermost axis of the contiguous run.
  let j = rank - 1;
  while (j > 0 && begin[j] === 0 && size[j] === shape[j]) j--;
  const run = size[j] * strides[j];
  const outer = total / run;
  const idx = new Array<number>(j).fill(0);
  let base = begin[j] * strides[j];
  for (let k = 0; k < j; k++) base += begin[k] * strides[k];
  for (let o = 0; o < outer; o++) {
    let from = base;
    for (let k = 0; k < j; k++) from += idx[k] * strides[k];
    dst.set(src.subarray(from, from + run), o * run);
    for (let k = j - 1; k >= 0; k--) {
      if (++idx[k] < size[k]) break;
      idx[k] = 0;
    }
  }
  return out;
}

/** Slice without the copy of the whole input that tfjs-backend-wasm's own kernel makes. */
function viewSlice(original: KernelFn): KernelFn {
  return (args) => {
    const x = args.inputs.x as tf.TensorInfo;
    if (x.dtype === "string" || x.dtype === "complex64") return original(args);
    const [begin, size] = tf.slice_util.parseSliceParams(x as unknown as tf.Tensor, args.attrs.begin as number[], args.attrs.size as number[]);
    return heapSlice(args.backend as WasmBackendLike, x, begin, size);
  };
}

/** Unpack (unstack): one heapSlice per output (tfjs-backend-wasm's calls its copying Slice directly). */
function viewUnpack(original: KernelFn): KernelFn {
  return (args) => {
    const x = args.inputs.value as tf.TensorInfo;
    if (x.dtype === "string" || x.dtype === "complex64") return original(args);
    const backend = args.backend as WasmBackendLike;
    const axis = tf.util.parseAxisParam(args.attrs.axis as number, x.shape)[0];
    const outShape = x.shape.filter((_, i) => i !== axis);
    const begin = new Array<number>(x.shape.length).fill(0);
    const size = [...x.shape];
    size[axis] = 1;
    const outs: tf.TensorInfo[] = [];
    for (let i = 0; i < x.shape[axis]; i++) {
      begin[axis] = i;
      const o = heapSlice(backend, x, begin, size);
      outs.push({ dataId: o.dataId, dtype: o.dtype, shape: outShape } as tf.TensorInfo);
    }
    return outs as unknown as tf.TensorInfo;
  };
}

/** SplitV: one heapSlice per part (tfjs-backend-wasm's calls its copying Slice directly). */
function viewSplit(original: KernelFn): KernelFn {
  return (args) => {
    const x = args.inputs.x as tf.TensorInfo;
    if (x.dtype === "string" || x.dtype === "complex64") return original(args);
    const backend = args.backend as WasmBackendLike;
    const axis = tf.util.parseAxisParam(args.attrs.axis as number, x.shape)[0];
    const sizes = tf.backend_util.prepareSplitSize(x as unknown as tf.Tensor, args.attrs.numOrSizeSplits as number | number[], axis);
    const begin = new Array<number>(x.shape.length).fill(0);
    return sizes.map((s) => {
      const size = [...x.shape];
      size[axis] = s;
      const o = heapSlice(backend, x, begin, size);
      begin[axis] += s;
      return o;
    }) as unknown as tf.TensorInfo;
  };
}

/**
 * GatherV2 along one axis (no batch dims): rows copied straight in the heap.
 * tfjs-backend-wasm's own kernel copies element by element with index
 * arithmetic per element; the rows of a shuffled batch are contiguous runs.
 */
function rowGather(original: KernelFn): KernelFn {
  return (args) => {
    const { x, indices } = args.inputs as { x: tf.TensorInfo; indices: tf.TensorInfo };
    const batchDims = (args.attrs.batchDims as number | undefined) ?? 0;
    if (batchDims !== 0 || x.dtype === "string" || x.dtype === "complex64" || indices.dtype !== "int32") return original(args);
    const axis = tf.util.parseAxisParam(args.attrs.axis as number, x.shape)[0];
    const backend = args.backend as WasmBackendLike;
    const dim = x.shape[axis];
    let outer = 1;
    for (let i = 0; i < axis; i++) outer *= x.shape[i];
    let inner = 1;
    for (let i = axis + 1; i < x.shape.length; i++) inner *= x.shape[i];
    const outShape = [...x.shape.slice(0, axis), ...indices.shape, ...x.shape.slice(axis + 1)];
    const out = backend.makeOutput(outShape, x.dtype);
    const n = tf.util.sizeFromShape(indices.shape);
    if (tf.util.sizeFromShape(outShape) === 0) return out;
    // Views taken after makeOutput, which may grow (and so move) the heap.
    const idx = backend.typedArrayFromHeap(indices);
    const src = backend.typedArrayFromHeap(x);
    const dst = backend.typedArrayFromHeap(out);
    for (let i = 0; i < n; i++) {
      const k = idx[i];
      if (!(k >= 0 && k < dim)) {
        backend.disposeData(out.dataId);
        throw new Error(`GatherV2: the index value ${k} is not in [0, ${dim - 1}]`);
      }
    }
    for (let o = 0; o < outer; o++) {
      const srcBase = o * dim * inner;
      const dstBase = o * n * inner;
      if (inner >= 16) {
        for (let i = 0; i < n; i++) {
          const from = srcBase + idx[i] * inner;
          dst.set(src.subarray(from, from + inner), dstBase + i * inner);
        }
      } else {
        for (let i = 0; i < n; i++) {
          const from = srcBase + idx[i] * inner;
          const to = dstBase + i * inner;
          for (let j = 0; j < inner; j++) dst[to + j] = src[from + j];
        }
      }
    }
    return out;
  };
}

{
  const transpose = tf.getKernel("Transpose", "wasm")?.kernelFunc as unknown as KernelFn | undefined;
  if (transpose !== undefined) {
    wrapWasmKernel("BatchMatMul", xnnpackMatMul(transpose));
    wrapWasmKernel("_FusedMatMul", xnnpackMatMul(transpose));
  }
  wrapWasmKernel("Slice", viewSlice);
  wrapWasmKernel("Unpack", viewUnpack);
  wrapWasmKernel("SplitV", viewSplit);
  wrapWasmKernel("GatherV2", rowGather);
}
