/**
 * keras.ops.nn: activations, convolutions, pooling, normalization,
 * crossentropies and attention, with the numerics of Keras 3's backends
 * (keras/src/backend/numpy/nn.py and keras/src/ops/nn.py).
 */
import { tf, type Tensor } from "../backend/tfjs.js";
import { epsilon as configEpsilon, standardizeDataFormat } from "../backend/config.js";
import { standardizeDtype, type DTypeLike } from "../backend/dtypes.js";
import { convertToTensor, type OpInput, type OpResult, type TensorLike } from "./convert.js";
import { dispatch } from "./operation.js";
import { normalizeAxes, normalizeAxis } from "./axis.js";
import { ctcLoss as ctcLossImpl } from "../losses/ctc.js";

/** Padding of convolutions and pooling. */
export type Padding = "valid" | "same";
/** An integer or one integer per spatial dimension. */
export type IntOrTuple = number | readonly number[];
/** Where the channels axis sits. */
export type DataFormat = "channels_last" | "channels_first";

// ---------------------------------------------------------------- helpers

/** Converts to a float tensor (int and bool become float32). */
function fl(x: TensorLike): Tensor {
  const t = convertToTensor(x);
  return t.dtype === "float32" || t.dtype === "complex64" ? t : tf.cast(t, "float32");
}

/** Runs an elementwise float activation through dispatch. */
function unary<A extends OpInput>(name: string, x: A, f: (t: Tensor) => Tensor): OpResult<A> {
  return dispatch(name, [x], (v: TensorLike) => tf.tidy(() => f(fl(v)))) as OpResult<A>;
}

function tuple(v: IntOrTuple, n: number, what: string): number[] {
  if (typeof v === "number") return new Array<number>(n).fill(v);
  if (v.length !== n) throw new Error(`\`${what}\` must have ${n} values for a ${n}D operation. Received: ${what}=${JSON.stringify(v)}`);
  return [...v];
}

function checkPadding(padding: string): Padding {
  const p = padding.toLowerCase();
  if (p !== "valid" && p !== "same") throw new Error(`Invalid padding '${padding}', must be 'same' or 'valid'.`);
  return p;
}

/** Moves the channels axis to the end (channels_first → channels_last). */
function toChannelsLast(x: Tensor, fmt: DataFormat): Tensor {
  if (fmt === "channels_last") return x;
  const r = x.rank;
  return tf.transpose(x, [0, ...Array.from({ length: r - 2 }, (_, i) => i + 2), 1]);
}

function fromChannelsLast(x: Tensor, fmt: DataFormat): Tensor {
  if (fmt === "channels_last") return x;
  const r = x.rank;
  return tf.transpose(x, [0, r - 1, ...Array.from({ length: r - 2 }, (_, i) => i + 1)]);
}

/** Inserts `d - 1` zeros between kernel taps along each spatial axis (the first `n` axes). */
function dilateKernel(kernel: Tensor, dilation: number[]): Tensor {
  let k = kernel;
  dilation.forEach((d, axis) => {
    if (d === 1) return;
    const shape = k.shape;
    const len = shape[axis];
    // (.., len, ..) → (.., len, 1, ..) → pad to (.., len, d, ..) → (.., len*d, ..) → drop the tail.
    const expanded = tf.expandDims(k, axis + 1);
    const pads: [number, number][] = expanded.shape.map(() => [0, 0] as [number, number]);
    pads[axis + 1] = [0, d - 1];
    const padded = tf.pad(expanded, pads);
    const merged = tf.reshape(padded, [...shape.slice(0, axis), len * d, ...shape.slice(axis + 1)]);
    const begin = shape.map(() => 0);
    const size = [...shape];
    size[axis] = (len - 1) * d + 1;
    k = tf.slice(merged, begin, size);
  });
  return k;
}

/** Plain convolution on channels_last input with kernel (k..., in, out), no groups. */
function convCL(x: Tensor, kernel: Tensor, strides: number[], padding: Padding, dilation: number[]): Tensor {
  const n = x.rank - 2;
  const k = dilation.some((d) => d > 1) ? dilateKernel(kernel, dilation) : kernel;
  if (n === 1) {
    const y = tf.conv2d(
      tf.expandDims(x, 1) as tf.Tensor4D,
      tf.expandDims(k, 0) as tf.Tensor4D,
      [1, strides[0]],
      padding,
    );
    return tf.squeeze(y, [1]);
  }
  if (n === 2) return tf.conv2d(x as tf.Tensor4D, k as tf.Tensor4D, [strides[0], strides[1]], padding);
  if (n === 3) {
    return tf.conv3d(x as tf.Tensor5D, k as tf.Tensor5D, [strides[0], strides[1], strides[2]], padding);
  }
  throw new Error(`conv supports 1D, 2D and 3D inputs (rank 3 to 5). Received an input of rank ${x.rank}.`);
}

/** Grouped convolution on channels_last input (Keras's feature_group_count). */
function groupedConvCL(x: Tensor, kernel: Tensor, strides: number[], padding: Padding, dilation: number[]): Tensor {
  const channels = x.shape[x.rank - 1];
  const kin = kernel.shape[kernel.rank - 2];
  if (channels % kin !== 0) {
    throw new Error(
      "The number of input channels must be evenly divisible by kernel's in_channels. " +
        `Received input channels ${channels} and kernel in_channels ${kin}.`,
    );
  }
  const groups = channels / kin;
  if (groups === 1) return convCL(x, kernel, strides, padding, dilation);
  const kout = kernel.shape[kernel.rank - 1];
  if (kout % groups !== 0) {
    throw new Error(`The kernel's output channels (${kout}) must be divisible by the number of groups (${groups}).`);
  }
  const xs = tf.split(x, groups, x.rank - 1);
  const ks = tf.split(kernel, groups, kernel.rank - 1);
  return tf.concat(xs.map((xi, i) => convCL(xi, ks[i], strides, padding, dilation)), x.rank - 1);
}

function checkEmpty(result: Tensor, input: Tensor): Tensor {
  if (result.size === 0 && input.size !== 0) {
    throw new Error(
      "The convolution operation resulted in an empty output. This can happen if the input is too small " +
        "for the given kernel size, strides, dilation rate, and padding mode. Please check the input shape " +
        "and convolution parameters.",
    );
  }
  return result;
}

// ---------------------------------------------------------------- activations

/** Rectified linear unit: `max(x, 0)`. */
export function relu<A extends OpInput>(x: A): OpResult<A> {
  return dispatch("relu", [x], (v: TensorLike) => {
    const t = convertToTensor(v);
    return t.dtype === "bool" ? tf.tidy(() => tf.relu(tf.cast(t, "int32"))) : tf.relu(t);
  }) as OpResult<A>;
}

/** ReLU capped at 6: `min(max(x, 0), 6)`. */
export function relu6<A extends OpInput>(x: A): OpResult<A> {
  return dispatch("relu6", [x], (v: TensorLike) => {
    const t = convertToTensor(v);
    return t.dtype === "bool" ? tf.tidy(() => tf.relu6(tf.cast(t, "int32"))) : tf.relu6(t);
  }) as OpResult<A>;
}

/** Logistic sigmoid: `1 / (1 + exp(-x))`. */
export function sigmoid<A extends OpInput>(x: A): OpResult<A> {
  return unary("sigmoid", x, (t) => tf.sigmoid(t));
}

/** Sparse sigmoid: 0 for x ≤ -1, 1 for x ≥ 1, `(x + 1) / 2` between. */
export function sparseSigmoid<A extends OpInput>(x: A): OpResult<A> {
  return unary("sparse_sigmoid", x, (t) => tf.clipByValue(tf.mul(tf.add(t, 1), 0.5), 0, 1));
}

/** Tanh shrink: `x - tanh(x)`. */
export function tanhShrink<A extends OpInput>(x: A): OpResult<A> {
  return unary("tanh_shrink", x, (t) => tf.sub(t, tf.tanh(t)));
}

/** Softplus: `log(exp(x) + 1)`, computed stably as `max(x, 0) + log1p(exp(-|x|))`. */
export function softplus<A extends OpInput>(x: A): OpResult<A> {
  return unary("softplus", x, softplusT);
}

function softplusT(t: Tensor): Tensor {
  return tf.add(tf.relu(t), tf.log1p(tf.exp(tf.neg(tf.abs(t)))));
}

/** Softsign: `x / (|x| + 1)`. */
export function softsign<A extends OpInput>(x: A): OpResult<A> {
  return unary("softsign", x, (t) => tf.div(t, tf.add(tf.abs(t), 1)));
}

/** Soft shrink: `x - threshold` above threshold, `x + threshold` below -threshold, else 0. */
export function softShrink<A extends OpInput>(x: A, threshold = 0.5): OpResult<A> {
  return unary("soft_shrink", x, (t) =>
    tf.where(tf.greater(t, threshold), tf.sub(t, threshold), tf.where(tf.less(t, -threshold), tf.add(t, threshold), tf.zerosLike(t))),
  );
}

/** Sparse plus: 0 for x ≤ -1, `(x + 1)² / 4` for -1 < x < 1, x for x ≥ 1. */
export function sparsePlus<A extends OpInput>(x: A): OpResult<A> {
  return unary("sparse_plus", x, (t) =>
    tf.where(tf.lessEqual(t, -1), tf.zerosLike(t), tf.where(tf.less(t, 1), tf.mul(tf.square(tf.add(t, 1)), 0.25), t)),
  );
}

/** Sigmoid linear unit (swish): `x * sigmoid(x)`. */
export function silu<A extends OpInput>(x: A): OpResult<A> {
  return unary("silu", x, (t) => tf.mul(t, tf.sigmoid(t)));
}

/** Alias of `silu`. */
export const swish = silu;

/** Squareplus: `(x + sqrt(x² + b)) / 2`. */
export function squareplus<A extends OpInput>(x: A, b = 4): OpResult<A> {
  return unary("squareplus", x, (t) => tf.div(tf.add(t, tf.sqrt(tf.add(tf.square(t), b))), 2));
}

/** Log of the sigmoid: `-softplus(-x)`. */
export function logSigmoid<A extends OpInput>(x: A): OpResult<A> {
  return unary("log_sigmoid", x, (t) => tf.neg(softplusT(tf.neg(t))));
}

/** Leaky ReLU: `max(x, negativeSlope * x)`. */
export function leakyRelu<A extends OpInput>(x: A, negativeSlope = 0.2): OpResult<A> {
  return unary("leaky_relu", x, (t) => tf.maximum(t, tf.mul(t, negativeSlope)));
}

/** Hard sigmoid: `clip(x / 6 + 0.5, 0, 1)`. */
export function hardSigmoid<A extends OpInput>(x: A): OpResult<A> {
  return unary("hard_sigmoid", x, hardSigmoidT);
}

function hardSigmoidT(t: Tensor): Tensor {
  return tf.clipByValue(tf.add(tf.div(t, 6), 0.5), 0, 1);
}

/** Hard SiLU (hard swish): `x * hard_sigmoid(x)`. */
export function hardSilu<A extends OpInput>(x: A): OpResult<A> {
  return unary("hard_silu", x, (t) => tf.mul(t, hardSigmoidT(t)));
}

/** Alias of `hardSilu`. */
export const hardSwish = hardSilu;

function eluT(t: Tensor, alpha: number): Tensor {
  return tf.where(tf.greaterEqual(t, 0), t, tf.mul(tf.expm1(t), alpha));
}

/** Exponential linear unit: x for x ≥ 0, `alpha * (exp(x) - 1)` otherwise. */
export function elu<A extends OpInput>(x: A, alpha = 1.0): OpResult<A> {
  return unary("elu", x, (t) => eluT(t, alpha));
}

const SELU_ALPHA = 1.6732632423543772848170429916717;
const SELU_SCALE = 1.0507009873554804934193349852946;

/** Scaled exponential linear unit: `scale * elu(x, alpha)` with the SELU constants. */
export function selu<A extends OpInput>(x: A): OpResult<A> {
  return unary("selu", x, (t) => tf.mul(eluT(t, SELU_ALPHA), SELU_SCALE));
}

/**
 * Gaussian error linear unit. `approximate` (default true, as keras.ops.gelu)
 * uses the tanh approximation; false uses the exact erf form.
 */
export function gelu<A extends OpInput>(x: A, approximate = true): OpResult<A> {
  return unary("gelu", x, (t) => {
    if (approximate) {
      const inner = tf.mul(tf.add(t, tf.mul(tf.pow(t, 3), 0.044715)), Math.sqrt(2 / Math.PI));
      return tf.mul(t, tf.mul(tf.add(tf.tanh(inner), 1), 0.5));
    }
    return tf.div(tf.mul(t, tf.add(tf.erf(tf.div(t, Math.SQRT2)), 1)), 2);
  });
}

/** Continuously differentiable ELU: `max(x, 0) + alpha * expm1(min(x, 0) / alpha)`. */
export function celu<A extends OpInput>(x: A, alpha = 1.0): OpResult<A> {
  return unary("celu", x, (t) =>
    tf.add(tf.relu(t), tf.mul(tf.expm1(tf.div(tf.minimum(t, 0), alpha)), alpha)),
  );
}

/** Gated linear unit: splits `x` in two halves along `axis`, returns `a * sigmoid(b)`. */
export function glu<A extends OpInput>(x: A, axis = -1): OpResult<A> {
  return unary("glu", x, (t) => {
    const ax = normalizeAxis(axis, t.rank);
    if (t.shape[ax] % 2 !== 0) {
      throw new Error(`axis size must be divisible by 2. Received: x.shape=[${t.shape}] with axis=${axis}`);
    }
    const [a, b] = tf.split(t, 2, ax);
    return tf.mul(a, tf.sigmoid(b));
  });
}

/** Hard tanh: `clip(x, -1, 1)`. */
export function hardTanh<A extends OpInput>(x: A): OpResult<A> {
  return unary("hard_tanh", x, (t) => tf.clipByValue(t, -1, 1));
}

/** Hard shrink: x where `|x| > threshold`, else 0. */
export function hardShrink<A extends OpInput>(x: A, threshold = 0.5): OpResult<A> {
  return unary("hard_shrink", x, (t) => tf.where(tf.greater(tf.abs(t), threshold), t, tf.zerosLike(t)));
}

/** Threshold: x where `x > threshold`, else `defaultValue`. */
export function threshold<A extends OpInput>(x: A, threshold: number, defaultValue: number): OpResult<A> {
  return unary("threshold", x, (t) => tf.where(tf.greater(t, threshold), t, tf.fill(t.shape, defaultValue, t.dtype)));
}

/** Mish: `x * tanh(softplus(x))`. */
export function mish<A extends OpInput>(x: A): OpResult<A> {
  return unary("mish", x, (t) => tf.mul(t, tf.tanh(softplusT(t))));
}

/** Moves `axes` (sorted) to the end, returning the permutation (or null when already there). */
function permToEnd(rank: number, axes: number[]): number[] | null {
  const keep = Array.from({ length: rank }, (_, i) => i).filter((i) => !axes.includes(i));
  const perm = [...keep, ...axes];
  return perm.every((p, i) => p === i) ? null : perm;
}

function invertPerm(perm: number[]): number[] {
  const inv = new Array<number>(perm.length);
  perm.forEach((p, i) => (inv[p] = i));
  return inv;
}

function softmaxT(t: Tensor, axis: number | readonly number[]): Tensor {
  const axes = normalizeAxes(axis, t.rank);
  const m = tf.max(t, axes, true);
  const e = tf.exp(tf.sub(t, m));
  return tf.div(e, tf.sum(e, axes, true));
}

function logSoftmaxT(t: Tensor, axis: number | readonly number[]): Tensor {
  const axes = normalizeAxes(axis, t.rank);
  const m = tf.max(t, axes, true);
  const shifted = tf.sub(t, m);
  return tf.sub(shifted, tf.log(tf.sum(tf.exp(shifted), axes, true)));
}

/** Softmax along `axis` (an integer or a list of axes): `exp(x) / sum(exp(x))`. */
export function softmax<A extends OpInput>(x: A, axis: number | readonly number[] = -1): OpResult<A> {
  return unary("softmax", x, (t) => softmaxT(t, axis));
}

/** Log-softmax along `axis`: `x - max - log(sum(exp(x - max)))`. */
export function logSoftmax<A extends OpInput>(x: A, axis: number | readonly number[] = -1): OpResult<A> {
  return unary("log_softmax", x, (t) => logSoftmaxT(t, axis));
}

/** Sparsemax (Martins & Astudillo, 2016) along `axis`: a sparse projection onto the simplex. */
export function sparsemax<A extends OpInput>(x: A, axis = -1): OpResult<A> {
  return unary("sparsemax", x, (t) => {
    const ax = normalizeAxis(axis, t.rank);
    const perm = permToEnd(t.rank, [ax]);
    const z = perm ? tf.transpose(t, perm) : t;
    const n = z.shape[z.rank - 1];
    const sorted = tf.topk(z, n, true).values;
    const cum = tf.cumsum(sorted, z.rank - 1);
    const r = tf.range(1, n + 1, 1, "float32");
    const support = tf.greater(tf.sub(sorted, tf.div(tf.sub(cum, 1), r)), 0);
    const k = tf.sum(tf.cast(support, "float32"), -1, true);
    const tau = tf.div(tf.sub(tf.sum(tf.where(support, cum, tf.zerosLike(cum)), -1, true), 1), k);
    const out = tf.maximum(tf.sub(z, tau), 0);
    return perm ? tf.transpose(out, invertPerm(perm)) : out;
  });
}

// ---------------------------------------------------------------- pooling

function poolCL(
  x: Tensor,
  pool: number[],
  strides: number[],
  padding: Padding,
  kind: "max" | "avg",
): Tensor {
  const n = x.rank - 2;
  if (n === 1) {
    const x4 = tf.expandDims(x, 1) as tf.Tensor4D;
    const y =
      kind === "max"
        ? tf.maxPool(x4, [1, pool[0]], [1, strides[0]], padding)
        : tf.avgPool(x4, [1, pool[0]], [1, strides[0]], padding);
    return tf.squeeze(y, [1]);
  }
  if (n === 2) {
    const x4 = x as tf.Tensor4D;
    return kind === "max"
      ? tf.maxPool(x4, [pool[0], pool[1]], [strides[0], strides[1]], padding)
      : tf.avgPool(x4, [pool[0], pool[1]], [strides[0], strides[1]], padding);
  }
  if (n === 3) {
    const x5 = x as tf.Tensor5D;
    const p: [number, number, number] = [pool[0], pool[1], pool[2]];
    const s: [number, number, number] = [strides[0], strides[1], strides[2]];
    return kind === "max" ? tf.maxPool3d(x5, p, s, padding) : tf.avgPool3d(x5, p, s, padding);
  }
  throw new Error(`Pooling supports 1D, 2D and 3D inputs (rank 3 to 5). Received an input of rank ${x.rank}.`);
}

/**
 * Average pooling with "same" padding, padded positions left out of the count.
 * tfjs's forward pass does this but its gradient divides by the full window,
 * so this pads explicitly and divides by constant window counts.
 */
function avgPoolSame(x: Tensor, pool: number[], strides: number[]): Tensor {
  const n = x.rank - 2;
  const pads: [number, number][] = [[0, 0]];
  for (let i = 0; i < n; i++) {
    const len = x.shape[i + 1];
    const out = Math.ceil(len / strides[i]);
    const total = Math.max((out - 1) * strides[i] + pool[i] - len, 0);
    pads.push([Math.floor(total / 2), total - Math.floor(total / 2)]);
  }
  pads.push([0, 0]);
  const windowSize = pool.reduce((a, b) => a * b, 1);
  const ones = tf.pad(tf.ones([1, ...x.shape.slice(1, 1 + n), 1]), pads);
  const counts = tf.mul(poolCL(ones, pool, strides, "valid", "avg"), windowSize);
  const means = poolCL(tf.pad(x, pads), pool, strides, "valid", "avg");
  return tf.div(tf.mul(means, windowSize), counts);
}

function pool<A extends OpInput>(
  name: string,
  kind: "max" | "avg",
  inputs: A,
  poolSize: IntOrTuple,
  strides: IntOrTuple | null | undefined,
  padding: Padding,
  dataFormat: DataFormat | null | undefined,
): OpResult<A> {
  return dispatch(name, [inputs], (v: TensorLike) =>
    tf.tidy(() => {
      const fmt = standardizeDataFormat(dataFormat);
      const x = fl(v);
      const n = x.rank - 2;
      const p = tuple(poolSize, n, "pool_size");
      const s = strides == null ? p : tuple(strides, n, "strides");
      const pad = checkPadding(padding);
      const xl = toChannelsLast(x, fmt);
      const y = kind === "avg" && pad === "same" ? avgPoolSame(xl, p, s) : poolCL(xl, p, s, pad, kind);
      return fromChannelsLast(y, fmt);
    }),
  ) as OpResult<A>;
}

/** Max pooling over the spatial axes (1D, 2D or 3D); `strides` defaults to `poolSize`. */
export function maxPool<A extends OpInput>(
  inputs: A,
  poolSize: IntOrTuple,
  strides: IntOrTuple | null = null,
  padding: Padding = "valid",
  dataFormat: DataFormat | null = null,
): OpResult<A> {
  return pool("max_pool", "max", inputs, poolSize, strides, padding, dataFormat);
}

/**
 * Average pooling over the spatial axes (1D, 2D or 3D). With `"same"`
 * padding, padded positions are left out of each window's count (as Keras).
 */
export function averagePool<A extends OpInput>(
  inputs: A,
  poolSize: IntOrTuple,
  strides: IntOrTuple | null = null,
  padding: Padding = "valid",
  dataFormat: DataFormat | null = null,
): OpResult<A> {
  return pool("average_pool", "avg", inputs, poolSize, strides, padding, dataFormat);
}

/** Adaptive pooling along one axis: output i covers [floor(i*L/out), ceil((i+1)*L/out)). */
function adaptiveAxis(x: Tensor, axis: number, out: number, kind: "max" | "avg"): Tensor {
  const len = x.shape[axis];
  const parts: Tensor[] = [];
  for (let i = 0; i < out; i++) {
    const start = Math.floor((i * len) / out);
    const end = Math.ceil(((i + 1) * len) / out);
    const begin = x.shape.map(() => 0);
    begin[axis] = start;
    const size = [...x.shape];
    size[axis] = end - start;
    const win = tf.slice(x, begin, size);
    parts.push(kind === "max" ? tf.max(win, axis, true) : tf.mean(win, axis, true));
  }
  return tf.concat(parts, axis);
}

function adaptivePool<A extends OpInput>(
  name: string,
  kind: "max" | "avg",
  inputs: A,
  outputSize: IntOrTuple,
  dataFormat: DataFormat | null | undefined,
): OpResult<A> {
  return dispatch(name, [inputs], (v: TensorLike) =>
    tf.tidy(() => {
      const fmt = standardizeDataFormat(dataFormat);
      let x = toChannelsLast(fl(v), fmt);
      const n = x.rank - 2;
      if (n < 1 || n > 3) throw new Error(`${name} supports only 1D/2D/3D inputs. Received rank ${x.rank}.`);
      const sizes = tuple(outputSize, n, "output_size");
      for (let i = 0; i < n; i++) x = adaptiveAxis(x, i + 1, sizes[i], kind);
      return fromChannelsLast(x, fmt);
    }),
  ) as OpResult<A>;
}

/** Adaptive average pooling to a fixed `outputSize` (1D, 2D or 3D). */
export function adaptiveAveragePool<A extends OpInput>(
  inputs: A,
  outputSize: IntOrTuple,
  dataFormat: DataFormat | null = null,
): OpResult<A> {
  return adaptivePool("adaptive_average_pool", "avg", inputs, outputSize, dataFormat);
}

/** Adaptive max pooling to a fixed `outputSize` (1D, 2D or 3D). */
export function adaptiveMaxPool<A extends OpInput>(
  inputs: A,
  outputSize: IntOrTuple,
  dataFormat: DataFormat | null = null,
): OpResult<A> {
  return adaptivePool("adaptive_max_pool", "max", inputs, outputSize, dataFormat);
}

// ---------------------------------------------------------------- convolution

/**
 * N-D convolution (1D, 2D, 3D). `kernel` has shape `(k..., in_channels / groups, out_channels)`;
 * input channels that are a multiple of the kernel's make a grouped convolution.
 * `"same"` padding splits odd totals with the extra row after (TF/JAX SAME).
 */
export function conv<A extends OpInput, K extends OpInput>(
  inputs: A,
  kernel: K,
  strides: IntOrTuple = 1,
  padding: Padding = "valid",
  dataFormat: DataFormat | null = null,
  dilationRate: IntOrTuple = 1,
): OpResult<A | K> {
  return dispatch("conv", [inputs, kernel], (xv: TensorLike, kv: TensorLike) =>
    tf.tidy(() => {
      const fmt = standardizeDataFormat(dataFormat);
      const x = toChannelsLast(fl(xv), fmt);
      const k = fl(kv);
      const n = x.rank - 2;
      if (k.rank !== n + 2) {
        throw new Error(`The kernel must have rank ${n + 2} for an input of rank ${x.rank}. Received kernel shape [${k.shape}].`);
      }
      const y = groupedConvCL(x, k, tuple(strides, n, "strides"), checkPadding(padding), tuple(dilationRate, n, "dilation_rate"));
      return fromChannelsLast(checkEmpty(y, x), fmt);
    }),
  ) as OpResult<A | K>;
}

function depthwiseCL(x: Tensor, kernel: Tensor, strides: number[], padding: Padding, dilation: number[]): Tensor {
  const n = x.rank - 2;
  const channels = x.shape[x.rank - 1];
  if (kernel.shape[kernel.rank - 2] !== channels) {
    throw new Error(
      `The number of input channels (${channels}) must equal the kernel's in_channels ` +
        `(${kernel.shape[kernel.rank - 2]}) for a depthwise convolution. Received kernel shape [${kernel.shape}].`,
    );
  }
  const k = dilation.some((d) => d > 1) ? dilateKernel(kernel, dilation) : kernel;
  if (n === 1) {
    const y = tf.depthwiseConv2d(tf.expandDims(x, 1) as tf.Tensor4D, tf.expandDims(k, 0) as tf.Tensor4D, [1, strides[0]], padding);
    return tf.squeeze(y, [1]);
  }
  if (n === 2) return tf.depthwiseConv2d(x as tf.Tensor4D, k as tf.Tensor4D, [strides[0], strides[1]], padding);
  // 3D: a grouped convolution with one group per channel.
  const mult = k.shape[k.rank - 1];
  const reshaped = tf.reshape(k, [...k.shape.slice(0, n), 1, channels * mult]);
  return groupedConvCL(x, reshaped, strides, padding, dilation.map(() => 1));
}

/** Depthwise convolution; `kernel` has shape `(k..., in_channels, channel_multiplier)`. */
export function depthwiseConv<A extends OpInput, K extends OpInput>(
  inputs: A,
  kernel: K,
  strides: IntOrTuple = 1,
  padding: Padding = "valid",
  dataFormat: DataFormat | null = null,
  dilationRate: IntOrTuple = 1,
): OpResult<A | K> {
  return dispatch("depthwise_conv", [inputs, kernel], (xv: TensorLike, kv: TensorLike) =>
    tf.tidy(() => {
      const fmt = standardizeDataFormat(dataFormat);
      const x = toChannelsLast(fl(xv), fmt);
      const n = x.rank - 2;
      const y = depthwiseCL(x, fl(kv), tuple(strides, n, "strides"), checkPadding(padding), tuple(dilationRate, n, "dilation_rate"));
      return fromChannelsLast(y, fmt);
    }),
  ) as OpResult<A | K>;
}

/** Separable convolution: a depthwise convolution followed by a 1x1 pointwise convolution. */
export function separableConv<A extends OpInput, D extends OpInput, P extends OpInput>(
  inputs: A,
  depthwiseKernel: D,
  pointwiseKernel: P,
  strides: IntOrTuple = 1,
  padding: Padding = "valid",
  dataFormat: DataFormat | null = null,
  dilationRate: IntOrTuple = 1,
): OpResult<A | D | P> {
  return dispatch(
    "separable_conv",
    [inputs, depthwiseKernel, pointwiseKernel],
    (xv: TensorLike, dv: TensorLike, pv: TensorLike) =>
      tf.tidy(() => {
        const fmt = standardizeDataFormat(dataFormat);
        const x = toChannelsLast(fl(xv), fmt);
        const n = x.rank - 2;
        const d = depthwiseCL(x, fl(dv), tuple(strides, n, "strides"), checkPadding(padding), tuple(dilationRate, n, "dilation_rate"));
        const y = convCL(d, fl(pv), new Array<number>(n).fill(1), "valid", new Array<number>(n).fill(1));
        return fromChannelsLast(y, fmt);
      }),
  ) as OpResult<A | D | P>;
}

/** Keras's (left, right) padding of the dilated input of a transposed convolution (as JAX). */
function convTransposePads(kernelSize: number, stride: number, dilation: number, padding: Padding, outputPadding: number | null): [number, number] {
  const k = (kernelSize - 1) * dilation + 1;
  if (padding === "valid") {
    const op = outputPadding ?? Math.max(k, stride) - k;
    return [k - 1, k - 1 + op];
  }
  const padLen = outputPadding == null ? stride + k - 2 : k + (k % 2) - 2 + outputPadding;
  const left = Math.min(Math.floor(padLen / 2) + (padLen % 2), k - 1);
  return [left, padLen - left];
}

/**
 * Transposed convolution (1D, 2D, 3D). `kernel` has shape `(k..., out_channels, in_channels)`.
 * Output sizes follow Keras: `"valid"` gives `(in - 1) * s + max(k, s)`, `"same"` gives `in * s`,
 * unless `outputPadding` is given.
 */
export function convTranspose<A extends OpInput, K extends OpInput>(
  inputs: A,
  kernel: K,
  strides: IntOrTuple = 1,
  padding: Padding = "valid",
  outputPadding: IntOrTuple | null = null,
  dataFormat: DataFormat | null = null,
  dilationRate: IntOrTuple = 1,
): OpResult<A | K> {
  return dispatch("conv_transpose", [inputs, kernel], (xv: TensorLike, kv: TensorLike) =>
    tf.tidy(() => {
      const fmt = standardizeDataFormat(dataFormat);
      const pad = checkPadding(padding);
      let x = toChannelsLast(fl(xv), fmt);
      const n = x.rank - 2;
      if (n < 1 || n > 3) throw new Error(`conv_transpose supports 1D, 2D and 3D inputs. Received rank ${x.rank}.`);
      const s = tuple(strides, n, "strides");
      const d = tuple(dilationRate, n, "dilation_rate");
      const op = outputPadding == null ? null : tuple(outputPadding, n, "output_padding");
      let k = fl(kv);
      const inC = x.shape[x.rank - 1];
      if (k.shape[k.rank - 1] !== inC) {
        throw new Error(
          `The number of input channels (${inC}) must equal the kernel's last dimension (in_channels) ` +
            `for conv_transpose. Received kernel shape [${k.shape}].`,
        );
      }
      const pads = k.shape.slice(0, n).map((ks, i) => convTransposePads(ks, s[i], d[i], pad, op ? op[i] : null));
      if (d.some((v) => v > 1)) k = dilateKernel(k, d);
      const outC = k.shape[k.rank - 2];
      let sp = x.shape.slice(1, 1 + n);
      let ks = k.shape.slice(0, n);
      let ss = s;
      let padsUsed = pads;
      if (n === 1) {
        x = tf.expandDims(x, 1);
        k = tf.expandDims(k, 0);
        sp = [1, ...sp];
        ks = [1, ...ks];
        ss = [1, ...s];
        padsUsed = [[0, 0], ...pads];
      }
      const full = sp.map((len, i) => (len - 1) * ss[i] + ks[i]);
      const batch = x.shape[0];
      let y: Tensor =
        sp.length === 2
          ? tf.conv2dTranspose(x as tf.Tensor4D, k as tf.Tensor4D, [batch, full[0], full[1], outC], [ss[0], ss[1]], "valid")
          : tf.conv3dTranspose(x as tf.Tensor5D, k as tf.Tensor5D, [batch, full[0], full[1], full[2], outC], [ss[0], ss[1], ss[2]], "valid");
      // `full` is the transposed convolution with (k-1, k-1) padding; crop or zero-pad to Keras's.
      const extra: [number, number][] = [[0, 0], ...padsUsed.map(([, r], i) => [0, Math.max(0, r - (ks[i] - 1))] as [number, number]), [0, 0]];
      if (extra.some(([, r]) => r > 0)) y = tf.pad(y, extra);
      const begin = [0, ...padsUsed.map(([l], i) => ks[i] - 1 - l), 0];
      const size = [batch, ...sp.map((len, i) => (len - 1) * ss[i] + 1 + padsUsed[i][0] + padsUsed[i][1] - ks[i] + 1), outC];
      y = tf.slice(y, begin, size);
      if (n === 1) y = tf.squeeze(y, [1]);
      return fromChannelsLast(y, fmt);
    }),
  ) as OpResult<A | K>;
}

// ---------------------------------------------------------------- encodings

function oneHotT(t: Tensor, numClasses: number, axis: number, dtype: DTypeLike | null | undefined): Tensor {
  const idx = t.dtype === "int32" ? t : tf.cast(t, "int32");
  let y: Tensor = tf.oneHot(idx, numClasses);
  const want = standardizeDtype(dtype ?? "float32");
  if (y.dtype !== want) y = tf.cast(y, want);
  if (axis !== -1) {
    const r = y.rank;
    const ax = normalizeAxis(axis, r);
    const perm = Array.from({ length: r - 1 }, (_, i) => i);
    perm.splice(ax, 0, r - 1);
    y = tf.transpose(y, perm);
  }
  return y;
}

/** One-hot encodes integer labels into `numClasses` classes; negative labels give all zeros. */
export function oneHot<A extends OpInput>(
  x: A,
  numClasses: number,
  axis = -1,
  dtype: DTypeLike | null = null,
): OpResult<A> {
  return dispatch("one_hot", [x], (v: TensorLike) =>
    tf.tidy(() => oneHotT(convertToTensor(v), numClasses, axis, dtype)),
  ) as OpResult<A>;
}

/** Multi-hot encodes integer labels: the max of their one-hot encodings over the label axis. */
export function multiHot<A extends OpInput>(
  inputs: A,
  numClasses: number,
  axis = -1,
  dtype: DTypeLike | null = null,
): OpResult<A> {
  return dispatch("multi_hot", [inputs], (v: TensorLike) =>
    tf.tidy(() => {
      const t = convertToTensor(v);
      const reduction = t.rank > 1 ? 1 : 0;
      const oh = oneHotT(t, numClasses, axis, "float32");
      const out = tf.max(oh, reduction);
      const want = standardizeDtype(dtype ?? "float32");
      return out.dtype === want ? out : tf.cast(out, want);
    }),
  ) as OpResult<A>;
}

// ---------------------------------------------------------------- crossentropies

function clipProb(t: Tensor): Tensor {
  const eps = configEpsilon();
  return tf.clipByValue(t, eps, 1 - eps);
}

function sameShape(target: Tensor, output: Tensor): void {
  if (target.shape.length !== output.shape.length || target.shape.some((d, i) => d !== output.shape[i])) {
    throw new Error(
      "Arguments `target` and `output` must have the same shape. " +
        `Received: target.shape=[${target.shape}], output.shape=[${output.shape}]`,
    );
  }
}

/**
 * Binary crossentropy, elementwise (no reduction). Probabilities are clipped to
 * `[epsilon, 1 - epsilon]`; with `fromLogits` the sigmoid is applied first.
 */
export function binaryCrossentropy<T extends OpInput, O extends OpInput>(
  target: T,
  output: O,
  fromLogits = false,
): OpResult<T | O> {
  return dispatch("binary_crossentropy", [target, output], (tv: TensorLike, ov: TensorLike) =>
    tf.tidy(() => {
      const t = fl(tv);
      let o = fl(ov);
      sameShape(t, o);
      if (fromLogits) o = tf.sigmoid(o);
      o = clipProb(o);
      const bce = tf.add(tf.mul(t, tf.log(o)), tf.mul(tf.sub(1, t), tf.log(tf.sub(1, o))));
      return tf.neg(bce);
    }),
  ) as OpResult<T | O>;
}

/**
 * Categorical crossentropy between one-hot (or soft) `target` and `output`
 * along `axis`. Without `fromLogits`, `output` is renormalized to sum to 1
 * and clipped to `[epsilon, 1 - epsilon]`.
 */
export function categoricalCrossentropy<T extends OpInput, O extends OpInput>(
  target: T,
  output: O,
  fromLogits = false,
  axis = -1,
): OpResult<T | O> {
  return dispatch("categorical_crossentropy", [target, output], (tv: TensorLike, ov: TensorLike) =>
    tf.tidy(() => {
      const t = fl(tv);
      const o = fl(ov);
      sameShape(t, o);
      if (t.rank < 1) {
        throw new Error(`Arguments \`target\` and \`output\` must be at least rank 1. Received: target.shape=[${t.shape}]`);
      }
      const logProb = fromLogits ? logSoftmaxT(o, axis) : tf.log(clipProb(tf.div(o, tf.sum(o, axis, true))));
      return tf.neg(tf.sum(tf.mul(t, logProb), axis));
    }),
  ) as OpResult<T | O>;
}

/**
 * Sparse categorical crossentropy: integer `target` labels against `output`
 * probabilities (or logits with `fromLogits`) along `axis`. A trailing
 * size-1 label axis is squeezed.
 */
export function sparseCategoricalCrossentropy<T extends OpInput, O extends OpInput>(
  target: T,
  output: O,
  fromLogits = false,
  axis = -1,
): OpResult<T | O> {
  return dispatch("sparse_categorical_crossentropy", [target, output], (tv: TensorLike, ov: TensorLike) =>
    tf.tidy(() => {
      let t = convertToTensor(tv, "int32");
      const o = fl(ov);
      if (t.rank === o.rank && t.shape[t.rank - 1] === 1) t = tf.squeeze(t, [t.rank - 1]);
      if (o.rank < 1) throw new Error(`Argument \`output\` must be at least rank 1. Received: output.shape=[${o.shape}]`);
      const expected = o.shape.slice(0, -1);
      if (t.rank !== expected.length || t.shape.some((d, i) => d !== expected[i])) {
        throw new Error(
          "Arguments `target` and `output` must have the same shape up until the last dimension: " +
            `target.shape=[${t.shape}], output.shape=[${o.shape}]`,
        );
      }
      const logProb = fromLogits ? logSoftmaxT(o, axis) : tf.log(clipProb(tf.div(o, tf.sum(o, axis, true))));
      const oh = oneHotT(t, o.shape[normalizeAxis(axis, o.rank)], axis, "float32");
      return tf.neg(tf.sum(tf.mul(oh, logProb), axis));
    }),
  ) as OpResult<T | O>;
}

// ---------------------------------------------------------------- normalization

function momentsT(x: Tensor, axes: number[], keepdims: boolean): [Tensor, Tensor] {
  const mean = tf.mean(x, axes, true);
  const variance = tf.sub(tf.mean(tf.square(x), axes, true), tf.square(mean));
  if (keepdims) return [mean, variance];
  return [tf.squeeze(mean, axes), tf.squeeze(variance, axes)];
}

/** Mean and variance of `x` over `axes` (variance as `E[x²] - E[x]²`, as Keras's NumPy/JAX backends). */
export function moments<A extends OpInput>(
  x: A,
  axes: number | readonly number[],
  keepdims = false,
  synchronized = false,
): [OpResult<A>, OpResult<A>] {
  if (synchronized) throw new Error("Argument synchronized=True is not supported by tskeras.");
  return dispatch("moments", [x], (v: TensorLike) =>
    tf.tidy(() => {
      const t = fl(v);
      return momentsT(t, normalizeAxes(axes, t.rank), keepdims);
    }),
  ) as [OpResult<A>, OpResult<A>];
}

/** Normalizes `x` by `mean` and `variance` along `axis`, then scales and offsets: `(x - mean) / sqrt(var + eps) * scale + offset`. */
export function batchNormalization<A extends OpInput>(
  x: A,
  mean: OpInput,
  variance: OpInput,
  axis: number,
  offset: OpInput | null = null,
  scale: OpInput | null = null,
  epsilon = 1e-3,
): OpResult<A> {
  return dispatch(
    "batch_normalization",
    [x, mean, variance, offset, scale],
    (xv: TensorLike, mv: TensorLike, vv: TensorLike, ov: TensorLike | null, sv: TensorLike | null) =>
      tf.tidy(() => {
        const t = fl(xv);
        const ax = normalizeAxis(axis, t.rank);
        const shape = t.shape.map(() => 1);
        const m = fl(mv);
        shape[ax] = m.shape[0];
        const re = (u: Tensor): Tensor => tf.reshape(u, shape);
        let inv = tf.div(1, tf.sqrt(tf.add(re(fl(vv)), epsilon)));
        if (sv != null) inv = tf.mul(inv, re(fl(sv)));
        let res = tf.mul(tf.neg(re(m)), inv);
        if (ov != null) res = tf.add(res, re(fl(ov)));
        return tf.add(tf.mul(t, inv), res);
      }),
  ) as OpResult<A>;
}

/** Options of `layerNormalization` beyond Keras's positional arguments. */
export interface LayerNormalizationOptions {
  /** Scale by the inverse standard deviation only (no centering, no beta). */
  rmsScaling?: boolean;
}

/** Layer normalization over `axis` (an integer or a list): `(x - mean) / sqrt(var + eps) * gamma + beta`. */
export function layerNormalization<A extends OpInput>(
  x: A,
  gamma: OpInput | null = null,
  beta: OpInput | null = null,
  axis: number | readonly number[] = -1,
  epsilon: number | null = null,
  options: LayerNormalizationOptions = {},
): OpResult<A> {
  return dispatch("layer_normalization", [x, gamma, beta], (xv: TensorLike, gv: TensorLike | null, bv: TensorLike | null) =>
    tf.tidy(() => {
      const eps = epsilon ?? configEpsilon();
      const t = fl(xv);
      const axes = normalizeAxes(axis, t.rank);
      const bshape = t.shape.map(() => 1);
      for (const a of axes) bshape[a] = t.shape[a];
      const lastOnly = axes.length === 1 && axes[0] === t.rank - 1;
      const bc = (u: TensorLike | null): Tensor | null => {
        if (u == null) return null;
        const g = fl(u);
        return g.rank !== t.rank && !lastOnly ? tf.reshape(g, bshape) : g;
      };
      const g = bc(gv);
      const b = bc(bv);
      if (options.rmsScaling) {
        const [, variance] = momentsVar(t, axes);
        const out = tf.mul(t, tf.rsqrt(tf.add(variance, eps)));
        return g ? tf.mul(out, g) : out;
      }
      const [mean, variance] = momentsT(t, axes, true);
      let inv = tf.rsqrt(tf.add(variance, eps));
      if (g) inv = tf.mul(inv, g);
      let res = tf.mul(tf.neg(mean), inv);
      if (b) res = tf.add(res, b);
      return tf.add(tf.mul(t, inv), res);
    }),
  ) as OpResult<A>;
}

/** NumPy's var (mean of squared deviations), keepdims. */
function momentsVar(t: Tensor, axes: number[]): [Tensor, Tensor] {
  const mean = tf.mean(t, axes, true);
  return [mean, tf.mean(tf.square(tf.sub(t, mean)), axes, true)];
}

/** RMS normalization: `x * rsqrt(mean(x²) + epsilon) * scale` over `axis`. */
export function rmsNormalization<A extends OpInput>(
  x: A,
  scale: OpInput | null = null,
  axis: number | readonly number[] = -1,
  epsilon: number | null = null,
): OpResult<A> {
  return dispatch("rms_normalization", [x, scale], (xv: TensorLike, sv: TensorLike | null) =>
    tf.tidy(() => {
      const eps = epsilon ?? configEpsilon();
      let t = fl(xv);
      if (t.rank === 0) t = tf.expandDims(t, 0);
      const axes = normalizeAxes(axis, t.rank);
      const out = tf.mul(t, tf.rsqrt(tf.add(tf.mean(tf.square(t), axes, true), eps)));
      return sv == null ? out : tf.mul(out, fl(sv));
    }),
  ) as OpResult<A>;
}

/** Normalizes `x` over `axis` by its `order`-norm: `x / max(norm(x), epsilon)`. */
export function normalize<A extends OpInput>(
  x: A,
  axis: number | readonly number[] = -1,
  order = 2,
  epsilon: number | null = null,
): OpResult<A> {
  if (!Number.isInteger(order) || order < 1) throw new Error(`Argument \`order\` must be an int >= 1. Received: order=${order}`);
  return dispatch("normalize", [x], (v: TensorLike) =>
    tf.tidy(() => {
      let t = fl(v);
      if (t.rank === 0) t = tf.expandDims(t, 0);
      const eps = epsilon ?? configEpsilon();
      const axes = normalizeAxes(axis, t.rank);
      if (order === 2) {
        const sq = tf.sum(tf.square(t), axes, true);
        return tf.mul(t, tf.rsqrt(tf.maximum(sq, eps * eps)));
      }
      const a = tf.abs(t);
      const norm = order === 1 ? tf.sum(a, axes, true) : tf.pow(tf.sum(tf.pow(a, order), axes, true), 1 / order);
      return tf.div(t, tf.maximum(norm, eps));
    }),
  ) as OpResult<A>;
}

// ---------------------------------------------------------------- misc

/** Peak signal-to-noise ratio: `20 log10(maxVal) - 10 log10(mse(x1, x2))`. */
export function psnr<A extends OpInput, B extends OpInput>(x1: A, x2: B, maxVal: number): OpResult<A | B> {
  return dispatch("psnr", [x1, x2], (av: TensorLike, bv: TensorLike) =>
    tf.tidy(() => {
      const a = fl(av);
      const b = fl(bv);
      sameShapeMsg(a, b, "PSNR calculation");
      const mse = tf.mean(tf.square(tf.sub(a, b)));
      return tf.sub(20 * Math.log10(maxVal), tf.mul(tf.div(tf.log(mse), Math.LN10), 10));
    }),
  ) as OpResult<A | B>;
}

function sameShapeMsg(a: Tensor, b: Tensor, what: string): void {
  if (a.rank !== b.rank || a.shape.some((d, i) => d !== b.shape[i])) {
    throw new Error(`Input shapes [${a.shape}] and [${b.shape}] must match for ${what}.`);
  }
}

/**
 * Scaled dot-product attention on `(batch, seq, heads, head_dim)` tensors:
 * `softmax(q·kᵀ * scale + bias, masked) · v`. `mask` is boolean, true where
 * attention is allowed; `isCausal` adds a lower-triangular mask. `scale`
 * defaults to `1 / sqrt(head_dim)`.
 */
export function dotProductAttention<Q extends OpInput, K extends OpInput, V extends OpInput>(
  query: Q,
  key: K,
  value: V,
  bias: OpInput | null = null,
  mask: OpInput | null = null,
  scale: number | null = null,
  isCausal = false,
  flashAttention: boolean | null = null,
): OpResult<Q | K | V> {
  if (flashAttention) throw new Error("Flash attention is not supported by tskeras.");
  return dispatch(
    "dot_product_attention",
    [query, key, value, bias, mask],
    (qv: TensorLike, kv: TensorLike, vv: TensorLike, bv: TensorLike | null, mv: TensorLike | null) =>
      tf.tidy(() => {
        const q = fl(qv);
        const k = fl(kv);
        const v = fl(vv);
        if (q.rank !== 4) {
          throw new Error(
            `\`dot_product_attention\` only supports 4D inputs. Received: query.shape=[${q.shape}], ` +
              `key.shape=[${k.shape}], value.shape=[${v.shape}].`,
          );
        }
        const h = k.shape[3] as number;
        const sc = scale ?? 1 / Math.sqrt(h);
        const qt = tf.transpose(q, [0, 2, 1, 3]); // B N T H
        const kt = tf.transpose(k, [0, 2, 1, 3]); // B N S H
        const vt = tf.transpose(v, [0, 2, 1, 3]);
        let logits: Tensor = tf.mul(tf.matMul(qt as tf.Tensor4D, kt as tf.Tensor4D, false, true), sc); // B N T S
        if (bv != null) logits = tf.add(logits, fl(bv));
        if (mv != null || isCausal) {
          let allowed: Tensor = tf.cast(tf.onesLike(logits), "bool");
          if (mv != null) allowed = tf.logicalAnd(allowed, tf.broadcastTo(convertToTensor(mv, "bool"), logits.shape));
          if (isCausal) {
            const T = logits.shape[2] as number;
            const S = logits.shape[3] as number;
            const rows = tf.reshape(tf.range(0, T, 1, "int32"), [T, 1]);
            const cols = tf.reshape(tf.range(0, S, 1, "int32"), [1, S]);
            allowed = tf.logicalAnd(allowed, tf.broadcastTo(tf.greaterEqual(rows, cols), logits.shape));
          }
          logits = tf.where(allowed, logits, tf.fill(logits.shape, 3.38953e38 * -0.7));
        }
        const probs = softmaxT(logits, -1);
        return tf.transpose(tf.matMul(probs as tf.Tensor4D, vt as tf.Tensor4D), [0, 2, 1, 3]);
      }),
  ) as OpResult<Q | K | V>;
}

/** Rearranges depth into `blockSize × blockSize` spatial blocks (pixel shuffle). */
export function depthToSpace<A extends OpInput>(x: A, blockSize: number, dataFormat: DataFormat = "channels_last"): OpResult<A> {
  return dispatch("depth_to_space", [x], (v: TensorLike) =>
    tf.tidy(() => {
      const t = convertToTensor(v);
      const b = blockSize;
      if (dataFormat === "channels_last") {
        const [n, h, w, c] = t.shape;
        const nc = c / (b * b);
        const y = tf.transpose(tf.reshape(t, [n, h, w, b, b, nc]), [0, 1, 3, 2, 4, 5]);
        return tf.reshape(y, [n, h * b, w * b, nc]);
      }
      const [n, c, h, w] = t.shape;
      const nc = c / (b * b);
      const y = tf.transpose(tf.reshape(t, [n, nc, b, b, h, w]), [0, 1, 4, 2, 5, 3]);
      return tf.reshape(y, [n, nc, h * b, w * b]);
    }),
  ) as OpResult<A>;
}

/** Rearranges `blockSize × blockSize` spatial blocks into depth (pixel unshuffle). */
export function spaceToDepth<A extends OpInput>(x: A, blockSize: number, dataFormat: DataFormat = "channels_last"): OpResult<A> {
  return dispatch("space_to_depth", [x], (v: TensorLike) =>
    tf.tidy(() => {
      const t = convertToTensor(v);
      const b = blockSize;
      if (dataFormat === "channels_last") {
        const [n, h, w, c] = t.shape;
        const y = tf.transpose(tf.reshape(t, [n, h / b, b, w / b, b, c]), [0, 1, 3, 2, 4, 5]);
        return tf.reshape(y, [n, h / b, w / b, c * b * b]);
      }
      const [n, c, h, w] = t.shape;
      const y = tf.transpose(tf.reshape(t, [n, c, h / b, b, w / b, b]), [0, 1, 3, 5, 2, 4]);
      return tf.reshape(y, [n, c * b * b, h / b, w / b]);
    }),
  ) as OpResult<A>;
}

/** A complex tensor from magnitude and angle: `abs * (cos(angle) + i sin(angle))`. */
export function polar<A extends OpInput, B extends OpInput>(abs: A, angle: B): OpResult<A | B> {
  return dispatch("polar", [abs, angle], (av: TensorLike, bv: TensorLike) =>
    tf.tidy(() => {
      const a = fl(av);
      const b = fl(bv);
      return tf.complex(tf.mul(a, tf.cos(b)), tf.mul(a, tf.sin(b)));
    }),
  ) as OpResult<A | B>;
}

function pair(v: IntOrTuple): [number, number] {
  return typeof v === "number" ? [v, v] : [v[0], v[1]];
}

/**
 * Extracts sliding local blocks from an NCHW batch (PyTorch's `unfold`):
 * returns `(N, C * kh * kw, L)`.
 */
export function unfold<A extends OpInput>(
  x: A,
  kernelSize: IntOrTuple,
  dilation: IntOrTuple = 1,
  padding: IntOrTuple = 0,
  stride: IntOrTuple = 1,
): OpResult<A> {
  return dispatch("unfold", [x], (v: TensorLike) =>
    tf.tidy(() => {
      let t = convertToTensor(v);
      if (t.rank !== 4) throw new Error(`unfold expects a 4D (N, C, H, W) input. Received shape [${t.shape}].`);
      const [kh, kw] = pair(kernelSize);
      const [dh, dw] = pair(dilation);
      const [ph, pw] = pair(padding);
      const [sh, sw] = pair(stride);
      if (ph > 0 || pw > 0) t = tf.pad(t, [[0, 0], [0, 0], [ph, ph], [pw, pw]]);
      const [N, C, H, W] = t.shape;
      const oh = Math.floor((H - (kh - 1) * dh - 1) / sh) + 1;
      const ow = Math.floor((W - (kw - 1) * dw - 1) / sw) + 1;
      const blocks: Tensor[] = [];
      for (let i = 0; i < kh; i++) {
        for (let j = 0; j < kw; j++) {
          const b = tf.stridedSlice(t, [0, 0, i * dh, j * dw], [N, C, i * dh + (oh - 1) * sh + 1, j * dw + (ow - 1) * sw + 1], [1, 1, sh, sw]);
          blocks.push(tf.reshape(b, [N, C, 1, oh * ow]));
        }
      }
      return tf.reshape(tf.concat(blocks, 2), [N, C * kh * kw, oh * ow]);
    }),
  ) as OpResult<A>;
}

/** Combines sliding local blocks `(N, C * kh * kw, L)` into an NCHW tensor, summing overlaps (PyTorch's `fold`). */
export function fold<A extends OpInput>(
  x: A,
  outputSize: IntOrTuple,
  kernelSize: IntOrTuple,
  dilation: IntOrTuple = 1,
  padding: IntOrTuple = 0,
  stride: IntOrTuple = 1,
): OpResult<A> {
  return dispatch("fold", [x], (v: TensorLike) =>
    tf.tidy(() => {
      const t = convertToTensor(v);
      const [oH, oW] = pair(outputSize);
      const [kh, kw] = pair(kernelSize);
      const [dh, dw] = pair(dilation);
      const [ph, pw] = pair(padding);
      const [sh, sw] = pair(stride);
      const [N, CKK] = t.shape;
      const C = CKK / (kh * kw);
      const nH = Math.floor((oH + 2 * ph - dh * (kh - 1) - 1) / sh) + 1;
      const nW = Math.floor((oW + 2 * pw - dw * (kw - 1) - 1) / sw) + 1;
      const x6 = tf.reshape(t, [N, C, kh, kw, nH, nW]);
      const Hp = oH + 2 * ph;
      const Wp = oW + 2 * pw;
      let out: Tensor = tf.zeros([N, C, Hp, Wp], t.dtype);
      for (let i = 0; i < kh; i++) {
        for (let j = 0; j < kw; j++) {
          let blk = tf.reshape(tf.slice(x6, [0, 0, i, j, 0, 0], [N, C, 1, 1, nH, nW]), [N, C, nH, nW]);
          // Spread by the stride: (nH, nW) → ((nH-1)*sh+1, (nW-1)*sw+1).
          blk = tf.reshape(tf.pad(tf.reshape(blk, [N, C, nH, 1, nW, 1]), [[0, 0], [0, 0], [0, 0], [0, sh - 1], [0, 0], [0, sw - 1]]), [N, C, nH * sh, nW * sw]);
          const top = i * dh;
          const left = j * dw;
          const hUsed = Math.min(nH * sh, Hp - top);
          const wUsed = Math.min(nW * sw, Wp - left);
          blk = tf.slice(blk, [0, 0, 0, 0], [N, C, hUsed, wUsed]);
          blk = tf.pad(blk, [[0, 0], [0, 0], [top, Hp - top - hUsed], [left, Wp - left - wUsed]]);
          out = tf.add(out, blk);
        }
      }
      if (ph > 0 || pw > 0) out = tf.slice(out, [0, 0, ph, pw], [N, C, oH, oW]);
      return out;
    }),
  ) as OpResult<A>;
}

// ---------------------------------------------------------------------------
// CTC

/**
 * The CTC loss of each sequence (Keras's `ops.ctc_loss`): `target`
 * `[batch, maxLabelLength]` integer labels, `output` `[batch, maxTime,
 * numClasses]` logits (log-softmax is applied), `targetLength` and
 * `outputLength` `[batch]`, `maskIndex` the blank class. Returns `[batch]`
 * negative log-likelihoods; differentiable in `output`.
 */
export function ctcLoss<T extends OpInput, O extends OpInput, TL extends OpInput, OL extends OpInput>(
  target: T,
  output: O,
  targetLength: TL,
  outputLength: OL,
  maskIndex = 0,
): OpResult<T | O | TL | OL> {
  return dispatch("ctc_loss", [target, output, targetLength, outputLength, maskIndex], (t: TensorLike, o: TensorLike, tl: TensorLike, ol: TensorLike, m: number) =>
    tf.tidy(() => {
      const ot = convertToTensor(o);
      if (ot.rank !== 3) throw new Error(`ctcLoss: \`output\` must be 3-D [batch, maxTime, numClasses]. Received shape [${ot.shape}]`);
      const tt = convertToTensor(t);
      if (tt.rank !== 2) throw new Error(`ctcLoss: \`target\` must be 2-D [batch, maxLabelLength]. Received shape [${tt.shape}]`);
      return ctcLossImpl(tt, ot, convertToTensor(tl), convertToTensor(ol), m);
    }),
  ) as OpResult<T | O | TL | OL>;
}

/** Options of {@link ctcDecode}. */
export interface CtcDecodeOptions {
  /** `"greedy"` (default) or `"beam_search"`. */
  strategy?: "greedy" | "beam_search";
  /** The beam width of beam search. Default 100. */
  beamWidth?: number;
  /** How many paths beam search returns. Default 1. */
  topPaths?: number;
  /** Greedy decoding: merge repeated labels. Default true. */
  mergeRepeated?: boolean;
  /** The blank class. Default 0. */
  maskIndex?: number;
}

function logAddExp(a: number, b: number): number {
  if (a === -Infinity) return b;
  if (b === -Infinity) return a;
  const m = Math.max(a, b);
  return m + Math.log1p(Math.exp(-Math.abs(a - b)));
}

/** CTC prefix beam search on one sequence of log-probabilities (`[time][class]`). */
function beamSearchOne(logp: Float64Array[], numClasses: number, blank: number, beamWidth: number, topPaths: number): { paths: number[][]; scores: number[] } {
  type Beam = { prefix: number[]; pb: number; pnb: number };
  const total = (b: Beam): number => logAddExp(b.pb, b.pnb);
  let beams: Beam[] = [];
  if (logp.length > 0) {
    beams.push({ prefix: [], pb: logp[0]![blank]!, pnb: -Infinity });
    for (let c = 0; c < numClasses; c++) if (c !== blank) beams.push({ prefix: [c], pb: -Infinity, pnb: logp[0]![c]! });
    beams = beams.sort((a, b) => total(b) - total(a)).slice(0, beamWidth);
  }
  for (let t = 1; t < logp.length; t++) {
    const lp = logp[t]!;
    const next = new Map<string, Beam>();
    const at = (prefix: number[]): Beam => {
      const key = prefix.join(",");
      let b = next.get(key);
      if (!b) next.set(key, (b = { prefix, pb: -Infinity, pnb: -Infinity }));
      return b;
    };
    for (const beam of beams) {
      const stay = at(beam.prefix);
      stay.pb = logAddExp(stay.pb, total(beam) + lp[blank]!);
      const last = beam.prefix.length ? beam.prefix[beam.prefix.length - 1] : -1;
      for (let c = 0; c < numClasses; c++) {
        if (c === blank) continue;
        const ext = at([...beam.prefix, c]);
        if (c === last) {
          // A repeat extends only after a blank; without one it collapses into the same prefix.
          ext.pnb = logAddExp(ext.pnb, beam.pb + lp[c]!);
          stay.pnb = logAddExp(stay.pnb, beam.pnb + lp[c]!);
        } else {
          ext.pnb = logAddExp(ext.pnb, total(beam) + lp[c]!);
        }
      }
    }
    beams = [...next.values()].sort((a, b) => total(b) - total(a)).slice(0, beamWidth);
  }
  const top = beams.slice(0, topPaths);
  return { paths: top.map((b) => b.prefix), scores: top.map(total) };
}

/**
 * Decodes the output of a CTC model (Keras's `ops.ctc_decode`).
 *
 * @param inputs logits `[batch, maxLength, numClasses]` (not softmaxed).
 * @param sequenceLengths `[batch]` lengths.
 * @returns `[decoded, scores]`: `decoded` int32 `[1, batch, maxLength]`
 *   (greedy) or `[topPaths, batch, maxLength]` (beam search), labels packed
 *   to the left and padded with -1; `scores` `[batch, 1]`, the negative sum
 *   of the chosen logits (greedy), or `[batch, topPaths]`, the log
 *   probability of each path (beam search, after log-softmax).
 */
export function ctcDecode<A extends OpInput, L extends OpInput>(
  inputs: A,
  sequenceLengths: L,
  options: CtcDecodeOptions = {},
): [OpResult<A | L>, OpResult<A | L>] {
  const strategy = options.strategy ?? "greedy";
  if (strategy !== "greedy" && strategy !== "beam_search") {
    throw new Error(`Invalid strategy ${String(strategy)}. Supported values are 'greedy' and 'beam_search'.`);
  }
  const beamWidth = options.beamWidth ?? 100;
  const topPaths = options.topPaths ?? 1;
  const mergeRepeated = options.mergeRepeated ?? true;
  const maskIndex = options.maskIndex ?? 0;
  return dispatch("ctc_decode", [inputs, sequenceLengths], (x: TensorLike, l: TensorLike) => {
    const xt = convertToTensor(x, "float32");
    const owned = xt !== x;
    if (xt.rank !== 3) {
      if (owned) xt.dispose();
      throw new Error(`ctcDecode: \`inputs\` must be 3-D [batch, maxLength, numClasses]. Received shape [${xt.shape}]`);
    }
    const [batch, maxLen, numClasses] = xt.shape as [number, number, number];
    const lt = convertToTensor(l);
    const lens = Array.from(lt.dataSync() as ArrayLike<number>);
    if (lt !== l) lt.dispose();
    let data: Float32Array;
    if (strategy === "beam_search") {
      const ls = tf.logSoftmax(xt);
      data = ls.dataSync() as Float32Array;
      ls.dispose();
    } else {
      data = xt.dataSync() as Float32Array;
    }
    if (owned) xt.dispose();
    const nPaths = strategy === "greedy" ? 1 : topPaths;
    const decoded = new Int32Array(nPaths * batch * maxLen).fill(-1);
    const scores = new Float32Array(batch * nPaths);
    for (let b = 0; b < batch; b++) {
      const len = Math.max(0, Math.min(maxLen, lens[b]!));
      const row = (t: number): Float32Array => data.subarray((b * maxLen + t) * numClasses, (b * maxLen + t + 1) * numClasses);
      if (strategy === "greedy") {
        let score = 0;
        let prev = -1;
        let k = 0;
        for (let t = 0; t < len; t++) {
          const r = row(t);
          let best = 0;
          for (let c = 1; c < numClasses; c++) if (r[c]! > r[best]!) best = c;
          score += r[best]!;
          const repeat = mergeRepeated && best === prev;
          prev = best;
          if (best !== maskIndex && !repeat) decoded[b * maxLen + k++] = best;
        }
        scores[b] = -score;
      } else {
        const logp = Array.from({ length: len }, (_, t) => Float64Array.from(row(t)));
        const { paths, scores: s } = beamSearchOne(logp, numClasses, maskIndex, beamWidth, topPaths);
        for (let p = 0; p < nPaths; p++) {
          const path = paths[p];
          scores[b * nPaths + p] = path ? s[p]! : -Infinity;
          if (path) path.forEach((c, i) => (decoded[(p * batch + b) * maxLen + i] = c));
        }
      }
    }
    return [tf.tensor(decoded, [nPaths, batch, maxLen], "int32"), tf.tensor(scores, [batch, nPaths], "float32")];
  }) as [OpResult<A | L>, OpResult<A | L>];
}
