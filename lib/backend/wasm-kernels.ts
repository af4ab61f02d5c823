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

/** Registers `impl` (tfjs ops on Tensors) as the wasm kernel `kernelName`, unless wasm has one. */
function registerViaOps(kernelName: string, impl: Impl): void {
  if (tf.getKernel(kernelName, "wasm") !== undefined) return;
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

/**
 * The patches of an NHWC input for a convolution: `[batch, outH, outW, kH * kW, channels]`,
 * tap `(i, j)` at position `i * kW + j` (the order of a `[kH, kW, ...]` kernel).
 */
function imagePatches(x: Tensor, info: tf.backend_util.Conv2DInfo): Tensor {
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, strideHeight, strideWidth } = info;
  const { dilationHeight, dilationWidth, filterHeight, filterWidth, padInfo } = info;
  const needH = (outHeight - 1) * strideHeight + (filterHeight - 1) * dilationHeight + 1;
  const needW = (outWidth - 1) * strideWidth + (filterWidth - 1) * dilationWidth + 1;
  const top = Math.max(padInfo.top, 0);
  const left = Math.max(padInfo.left, 0);
  const bottom = Math.max(needH - inHeight - top, 0);
  const right = Math.max(needW - inWidth - left, 0);
  const xp =
    top || bottom || left || right
      ? tf.pad(x, [
          [0, 0],
          [top, bottom],
          [left, right],
          [0, 0],
        ])
      : x;
  const taps: Tensor[] = [];
  for (let i = 0; i < filterHeight; i++) {
    for (let j = 0; j < filterWidth; j++) {
      const h0 = i * dilationHeight;
      const w0 = j * dilationWidth;
      taps.push(
        tf.stridedSlice(
          xp,
          [0, h0, w0, 0],
          [batchSize, h0 + (outHeight - 1) * strideHeight + 1, w0 + (outWidth - 1) * strideWidth + 1, inChannels],
          [1, strideHeight, strideWidth, 1],
        ),
      );
    }
  }
  return taps.length === 1 ? tf.expandDims(taps[0], 3) : tf.stack(taps, 3);
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
  const patches = imagePatches(x, info);
  const n = info.batchSize * info.outHeight * info.outWidth;
  const cols = tf.reshape(patches, [n, info.filterHeight * info.filterWidth * info.inChannels]);
  const dW = tf.matMul(cols, tf.reshape(dy, [n, info.outChannels]), true, false);
  return tf.reshape(dW, filterShape);
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
  const patches = tf.transpose(tf.reshape(imagePatches(x, info), [n, kh * kw, c]), [2, 1, 0]); // [c, k, n]
  const g = tf.transpose(tf.reshape(dy, [n, c, m]), [1, 0, 2]); // [c, n, m]
  const dW = tf.matMul(patches, g); // [c, k, m]
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

/** Pads (or crops, for negative amounts) `axis` by `before` and `after`. */
function padOrCrop(t: Tensor, axis: number, before: number, after: number): Tensor {
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
    r = tf.pad(r, pads);
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
  g = padOrCrop(g, 1, leftH, info.inHeight + (kh - 1) * dh - leftH - g.shape[1]);
  g = padOrCrop(g, 2, leftW, info.inWidth + (kw - 1) * dw - leftW - g.shape[2]);
  const flipped = tf.reshape(tf.reverse(filter, [0, 1]), [kh, kw, c * m, 1]) as tf.Tensor4D;
  const y = tf.depthwiseConv2d(g as tf.Tensor4D, flipped, 1, "valid", "NHWC", [dh, dw]);
  if (m === 1) return y;
  return tf.sum(tf.reshape(y, [inputShape[0], info.inHeight, info.inWidth, c, m]), 4);
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

registerViaOps("Conv2DBackpropFilter", conv2dBackpropFilter);
registerViaOps("DepthwiseConv2dNativeBackpropFilter", depthwiseBackpropFilter);
registerViaOps("DepthwiseConv2dNativeBackpropInput", depthwiseBackpropInput);
registerViaOps("UnsortedSegmentSum", unsortedSegmentSum);
