/**
 * keras.losses: the loss functions and their `LossFunctionWrapper` classes
 * (Keras's `losses/losses.py`), with Keras 3's exact math.
 *
 * Each plain function takes `(yTrue, yPred, options?)` and returns the
 * per-sample losses (reduced over the last axis, or over `axis`), a new
 * tensor the caller owns. Each class wraps its function with a reduction:
 * `new MeanSquaredError()(yTrue, yPred, sampleWeight?)`.
 */
import { tf, type Tensor } from "../backend/tfjs.js";
import { epsilon } from "../backend/config.js";
import { formatShape } from "../backend/keras-tensor.js";
import { convertToTensor, type TensorLike } from "../ops/convert.js";
import * as nn from "../ops/nn.js";
import { normalizeAxis } from "../ops/axis.js";
import { registerBuiltin, getRegisteredName, getRegisteredObject, isCustomRegistered } from "../saving/object-registration.js";
import { isSerializedObject, type SerializedObject } from "../saving/serialized.js";
import { camelToSnake, snakeToCamel } from "../utils/naming.js";
import { ctcLoss } from "./ctc.js";
import {
  Loss,
  squeezeOrExpandToSameRank,
  type LossOptions,
  type MaskedLosses,
} from "./loss.js";

// ---------------------------------------------------------------- helpers

/** `yPred` as a float tensor (int → float32). */
function floatTensor(x: TensorLike): Tensor {
  const t = convertToTensor(x);
  return t.dtype === "float32" ? t : tf.cast(t, "float32");
}

/** `[yTrue cast to yPred's dtype, yPred as float]`. */
function trueAndPred(yTrue: TensorLike, yPred: TensorLike): [Tensor, Tensor] {
  const yp = floatTensor(yPred);
  return [convertToTensor(yTrue, yp.dtype), yp];
}

function eps(): number {
  return epsilon();
}

function checkAxisIsInt(axis: unknown, fn: string): void {
  if (typeof axis !== "number" || !Number.isInteger(axis)) {
    throw new Error(`In loss ${fn}, \`axis\` must be of type \`int\`. Received: axis=${String(axis)} of type ${typeof axis}`);
  }
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** A clear error for labels whose shape does not fit a dense (one-hot/soft) crossentropy. */
function checkDenseLabels(fn: string, yTrue: Tensor, yPred: Tensor, axis: number): void {
  if (sameShape(yTrue.shape, yPred.shape)) return;
  const ax = yPred.rank > 0 ? normalizeAxis(axis, yPred.rank) : 0;
  const sparseShape = yPred.shape.filter((_, i) => i !== ax);
  const looksSparse =
    sameShape(yTrue.shape, sparseShape) || sameShape(yTrue.shape, [...sparseShape, 1]);
  const hint =
    fn === "binary_crossentropy" || fn === "binary_focal_crossentropy"
      ? "Pass one 0/1 label (or probability) per prediction."
      : looksSparse
        ? "These look like integer class indices: use sparse_categorical_crossentropy (SparseCategoricalCrossentropy) for them, or one-hot encode them (keras.utils.toCategorical)."
        : `Pass one-hot (or soft) labels with ${yPred.shape[ax]} classes, or integer class indices of shape ${formatShape(sparseShape)} with sparse_categorical_crossentropy.`;
  throw new Error(
    `In loss ${fn}, y_true and y_pred must have the same shape. ` +
      `Received: y_true.shape=${formatShape(yTrue.shape)}, y_pred.shape=${formatShape(yPred.shape)}; ` +
      `expected y_true.shape=${formatShape(yPred.shape)}. ${hint}`,
  );
}

/** `yTrue * (1 - smoothing) + smoothing / numClasses` (Keras's label smoothing). */
function smoothLabels(yTrue: Tensor, smoothing: number, numClasses: number): Tensor {
  return tf.add(tf.mul(yTrue, 1 - smoothing), smoothing / numClasses);
}

/** `tf.tidy` for a function giving losses and an optional mask. */
function tidyMasked(fn: () => MaskedLosses): MaskedLosses {
  const out = tf.tidy(() => {
    const r = fn();
    return r.mask === null ? [r.losses] : [r.losses, r.mask];
  });
  return { losses: out[0] as Tensor, mask: out[1] ?? null };
}

// ---------------------------------------------------------------- regression

/** Mean squared error over the last axis: `mean(square(yTrue - yPred), -1)`. */
export function meanSquaredError(yTrue: TensorLike, yPred: TensorLike): Tensor {
  return tf.tidy(() => {
    const [t, p] = squeezeOrExpandToSameRank(...trueAndPred(yTrue, yPred));
    return tf.mean(tf.square(tf.sub(t, p)), -1);
  });
}

/** Mean absolute error over the last axis: `mean(abs(yTrue - yPred), -1)`. */
export function meanAbsoluteError(yTrue: TensorLike, yPred: TensorLike): Tensor {
  return tf.tidy(() => {
    const [t, p] = squeezeOrExpandToSameRank(...trueAndPred(yTrue, yPred));
    return tf.mean(tf.abs(tf.sub(t, p)), -1);
  });
}

/** Mean absolute percentage error: `100 * mean(abs((yTrue - yPred) / max(abs(yTrue), epsilon)), -1)`. */
export function meanAbsolutePercentageError(yTrue: TensorLike, yPred: TensorLike): Tensor {
  return tf.tidy(() => {
    const [t, p] = squeezeOrExpandToSameRank(...trueAndPred(yTrue, yPred));
    const diff = tf.abs(tf.div(tf.sub(t, p), tf.maximum(tf.abs(t), eps())));
    return tf.mul(100, tf.mean(diff, -1));
  });
}

/** Mean squared logarithmic error: `mean(square(log(max(yPred, eps) + 1) - log(max(yTrue, eps) + 1)), -1)`. */
export function meanSquaredLogarithmicError(yTrue: TensorLike, yPred: TensorLike): Tensor {
  return tf.tidy(() => {
    const [t, p] = squeezeOrExpandToSameRank(...trueAndPred(yTrue, yPred));
    const first = tf.log(tf.add(tf.maximum(p, eps()), 1));
    const second = tf.log(tf.add(tf.maximum(t, eps()), 1));
    return tf.mean(tf.square(tf.sub(first, second)), -1);
  });
}

/** Options of `cosineSimilarity`. */
export interface CosineSimilarityFnOptions {
  /** The features axis. Default -1. */
  axis?: number;
}

/**
 * The NEGATIVE cosine similarity along `axis`: `-sum(l2_normalize(yTrue) *
 * l2_normalize(yPred), axis)`, in [-1, 1] (-1 = same direction).
 */
export function cosineSimilarity(yTrue: TensorLike, yPred: TensorLike, options: CosineSimilarityFnOptions = {}): Tensor {
  const axis = options.axis ?? -1;
  return tf.tidy(() => {
    const [t, p] = squeezeOrExpandToSameRank(...trueAndPred(yTrue, yPred));
    const pn = nn.normalize(p, axis);
    const tn = nn.normalize(t, axis);
    return tf.neg(tf.sum(tf.mul(tn, pn), axis));
  });
}

/** Options of `huber`. */
export interface HuberFnOptions {
  /** Where the loss turns from quadratic to linear. Default 1. */
  delta?: number;
}

/** Huber loss: `0.5 x²` for `|x| <= delta`, else `delta |x| - 0.5 delta²`, averaged over the last axis. */
export function huber(yTrue: TensorLike, yPred: TensorLike, options: HuberFnOptions = {}): Tensor {
  const delta = options.delta ?? 1.0;
  return tf.tidy(() => {
    const [t, p] = squeezeOrExpandToSameRank(...trueAndPred(yTrue, yPred));
    const error = tf.sub(p, t);
    const absError = tf.abs(error);
    const quadratic = tf.mul(0.5, tf.square(error));
    const linear = tf.sub(tf.mul(delta, absError), 0.5 * delta * delta);
    const small = tf.lessEqual(absError, delta);
    return tf.mean(tf.where(small, quadratic, linear), -1);
  });
}

/** Log-cosh of the error, averaged over the last axis: `x + softplus(-2x) - log(2)` with `x = yPred - yTrue`. */
export function logCosh(yTrue: TensorLike, yPred: TensorLike): Tensor {
  return tf.tidy(() => {
    const [t, p] = squeezeOrExpandToSameRank(...trueAndPred(yTrue, yPred));
    const x = tf.sub(p, t);
    return tf.mean(tf.sub(tf.add(x, nn.softplus(tf.mul(x, -2))), Math.log(2)), -1);
  });
}

// ---------------------------------------------------------------- hinge

/** Labels in {0, 1} become {-1, 1}; other labels are left as they are (decided on the device). */
function convertBinaryLabelsToHinge(yTrue: Tensor): Tensor {
  const isBinary = tf.all(tf.logicalOr(tf.equal(yTrue, 0), tf.equal(yTrue, 1)));
  return tf.where(isBinary, tf.sub(tf.mul(yTrue, 2), 1), yTrue);
}

/** Hinge loss: `mean(maximum(1 - yTrue * yPred, 0), -1)`; 0/1 labels are converted to -1/1. */
export function hinge(yTrue: TensorLike, yPred: TensorLike): Tensor {
  return tf.tidy(() => {
    const [t0, p] = trueAndPred(yTrue, yPred);
    const t = convertBinaryLabelsToHinge(t0);
    return tf.mean(tf.maximum(tf.sub(1, tf.mul(t, p)), 0), -1);
  });
}

/** Squared hinge loss: `mean(square(maximum(1 - yTrue * yPred, 0)), -1)`; 0/1 labels are converted to -1/1. */
export function squaredHinge(yTrue: TensorLike, yPred: TensorLike): Tensor {
  return tf.tidy(() => {
    const [t0, p] = trueAndPred(yTrue, yPred);
    const t = convertBinaryLabelsToHinge(t0);
    return tf.mean(tf.square(tf.maximum(tf.sub(1, tf.mul(t, p)), 0)), -1);
  });
}

/** Categorical hinge: `maximum(neg - pos + 1, 0)` with `pos = sum(yTrue * yPred, -1)`, `neg = max((1 - yTrue) * yPred, -1)`. */
export function categoricalHinge(yTrue: TensorLike, yPred: TensorLike): Tensor {
  return tf.tidy(() => {
    const [t, p] = trueAndPred(yTrue, yPred);
    const pos = tf.sum(tf.mul(t, p), -1);
    const neg = tf.max(tf.mul(tf.sub(1, t), p), -1);
    return tf.maximum(tf.add(tf.sub(neg, pos), 1), 0);
  });
}

// ---------------------------------------------------------------- probabilistic

/** Kullback-Leibler divergence: `sum(yTrue * log(yTrue / yPred), -1)`, both clipped to `[epsilon, 1]`. */
export function klDivergence(yTrue: TensorLike, yPred: TensorLike): Tensor {
  return tf.tidy(() => {
    const [t0, p0] = trueAndPred(yTrue, yPred);
    const t = tf.clipByValue(t0, eps(), 1);
    const p = tf.clipByValue(p0, eps(), 1);
    return tf.sum(tf.mul(t, tf.log(tf.div(t, p))), -1);
  });
}

/** Poisson loss: `mean(yPred - yTrue * log(yPred + epsilon), -1)`. */
export function poisson(yTrue: TensorLike, yPred: TensorLike): Tensor {
  return tf.tidy(() => {
    const [t, p] = trueAndPred(yTrue, yPred);
    return tf.mean(tf.sub(p, tf.mul(t, tf.log(tf.add(p, eps())))), -1);
  });
}

/** Options of `binaryCrossentropy`. */
export interface BinaryCrossentropyFnOptions {
  /** Whether `yPred` holds logits (else probabilities). Default false. */
  fromLogits?: boolean;
  /** Squeezes labels towards 0.5: `yTrue * (1 - s) + 0.5 s`. Default 0. */
  labelSmoothing?: number;
  /** The axis the mean is taken over. Default -1. */
  axis?: number;
}

/**
 * Binary crossentropy averaged over `axis`. Probabilities are clipped to
 * `[epsilon, 1 - epsilon]`; with `fromLogits` the sigmoid is applied first.
 */
export function binaryCrossentropy(yTrue: TensorLike, yPred: TensorLike, options: BinaryCrossentropyFnOptions = {}): Tensor {
  const { fromLogits = false, labelSmoothing = 0, axis = -1 } = options;
  return tf.tidy(() => {
    let [t, p] = trueAndPred(yTrue, yPred);
    checkDenseLabels("binary_crossentropy", t, p, axis);
    if (labelSmoothing) t = tf.add(tf.mul(t, 1 - labelSmoothing), 0.5 * labelSmoothing);
    p = nn.binaryCrossentropy(t, p, fromLogits);
    return tf.mean(p, axis);
  });
}

/** Options of `binaryFocalCrossentropy`. */
export interface BinaryFocalCrossentropyFnOptions extends BinaryCrossentropyFnOptions {
  /** Weight positives by `alpha` and negatives by `1 - alpha`. Default false. */
  applyClassBalancing?: boolean;
  /** The class-balancing weight. Default 0.25. */
  alpha?: number;
  /** The focusing exponent of `(1 - p_t)^gamma`. Default 2. */
  gamma?: number;
}

/** Binary focal crossentropy (Lin et al., 2017): `(1 - p_t)^gamma * bce`, optionally class-balanced, averaged over `axis`. */
export function binaryFocalCrossentropy(
  yTrue: TensorLike,
  yPred: TensorLike,
  options: BinaryFocalCrossentropyFnOptions = {},
): Tensor {
  const { applyClassBalancing = false, alpha = 0.25, gamma = 2.0, fromLogits = false, labelSmoothing = 0, axis = -1 } = options;
  return tf.tidy(() => {
    let [t, p] = trueAndPred(yTrue, yPred);
    checkDenseLabels("binary_focal_crossentropy", t, p, axis);
    if (labelSmoothing) t = tf.add(tf.mul(t, 1 - labelSmoothing), 0.5 * labelSmoothing);
    if (fromLogits) p = tf.sigmoid(p);
    const bce = nn.binaryCrossentropy(t, p, false);
    const pT = tf.add(tf.mul(t, p), tf.mul(tf.sub(1, t), tf.sub(1, p)));
    let focal = tf.mul(tf.pow(tf.sub(1, pT), gamma), bce);
    if (applyClassBalancing) {
      const weight = tf.add(tf.mul(t, alpha), tf.mul(tf.sub(1, t), 1 - alpha));
      focal = tf.mul(weight, focal);
    }
    return tf.mean(focal, axis);
  });
}

/** Options of `categoricalCrossentropy`. */
export interface CategoricalCrossentropyFnOptions {
  /** Whether `yPred` holds logits (else probabilities). Default false. */
  fromLogits?: boolean;
  /** Mixes labels with the uniform distribution: `yTrue * (1 - s) + s / numClasses`. Default 0. */
  labelSmoothing?: number;
  /** The class axis. Default -1. */
  axis?: number;
}

/**
 * Categorical crossentropy of one-hot (or soft) labels along `axis`.
 * Probabilities are renormalized to sum to 1 and clipped to
 * `[epsilon, 1 - epsilon]`; with `fromLogits` a log-softmax is used.
 */
export function categoricalCrossentropy(
  yTrue: TensorLike,
  yPred: TensorLike,
  options: CategoricalCrossentropyFnOptions = {},
): Tensor {
  const { fromLogits = false, labelSmoothing = 0, axis = -1 } = options;
  checkAxisIsInt(axis, "categorical_crossentropy");
  return tf.tidy(() => {
    let [t, p] = trueAndPred(yTrue, yPred);
    checkDenseLabels("categorical_crossentropy", t, p, axis);
    const ax = normalizeAxis(axis, p.rank);
    if (labelSmoothing) t = smoothLabels(t, labelSmoothing, p.shape[ax]);
    p = nn.categoricalCrossentropy(t, p, fromLogits, ax);
    return p;
  });
}

/** Options of `categoricalFocalCrossentropy`. */
export interface CategoricalFocalCrossentropyFnOptions extends CategoricalCrossentropyFnOptions {
  /** The weighting factor. Default 0.25. */
  alpha?: number;
  /** The focusing exponent of `(1 - p)^gamma`. Default 2. */
  gamma?: number;
}

/** Categorical focal crossentropy: `sum(alpha * (1 - p)^gamma * (-yTrue * log p), axis)` with clipped, renormalized `p`. */
export function categoricalFocalCrossentropy(
  yTrue: TensorLike,
  yPred: TensorLike,
  options: CategoricalFocalCrossentropyFnOptions = {},
): Tensor {
  const { alpha = 0.25, gamma = 2.0, fromLogits = false, labelSmoothing = 0, axis = -1 } = options;
  checkAxisIsInt(axis, "categorical_focal_crossentropy");
  return tf.tidy(() => {
    let [t, p] = trueAndPred(yTrue, yPred);
    checkDenseLabels("categorical_focal_crossentropy", t, p, axis);
    const ax = normalizeAxis(axis, p.rank);
    if (labelSmoothing) t = smoothLabels(t, labelSmoothing, p.shape[ax]);
    if (fromLogits) p = nn.softmax(p, ax);
    let output = tf.div(p, tf.sum(p, ax, true));
    output = tf.clipByValue(output, eps(), 1 - eps());
    const cce = tf.mul(tf.neg(t), tf.log(output));
    const weighting = tf.mul(tf.pow(tf.sub(1, output), gamma), alpha);
    return tf.sum(tf.mul(weighting, cce), ax);
  });
}

/** Options of `sparseCategoricalCrossentropy`. */
export interface SparseCategoricalCrossentropyFnOptions {
  /** Whether `yPred` holds logits (else probabilities). Default false. */
  fromLogits?: boolean;
  /** A label value that contributes no loss (e.g. padding), or null. Default null. */
  ignoreClass?: number | null;
  /** The class axis of `yPred`. Default -1. */
  axis?: number;
}

/**
 * Sparse categorical crossentropy and, with `ignoreClass`, the mask of the
 * entries that count (the losses of ignored entries are 0).
 */
export function sparseCategoricalCrossentropyWithMask(
  yTrue: TensorLike,
  yPred: TensorLike,
  options: SparseCategoricalCrossentropyFnOptions = {},
): MaskedLosses {
  const { fromLogits = false, ignoreClass = null, axis = -1 } = options;
  return tidyMasked(() => {
    const p0 = floatTensor(yPred);
    let t = convertToTensor(yTrue);
    if (p0.rank < 1) {
      throw new Error(
        `In loss sparse_categorical_crossentropy, y_pred must be at least rank 1 (batch_size, num_classes). Received: y_pred.shape=${formatShape(p0.shape)}`,
      );
    }
    const ax = normalizeAxis(axis, p0.rank);
    if (t.rank === p0.rank && t.shape[normalizeAxis(axis, t.rank)] === 1) t = tf.squeeze(t, [normalizeAxis(axis, t.rank)]);
    const expected = p0.shape.filter((_, i) => i !== ax);
    if (!sameShape(t.shape, expected)) {
      const looksDense = sameShape(t.shape, p0.shape) || (t.rank === p0.rank && t.shape.every((d, i) => i === ax || d === p0.shape[i]));
      const hint = looksDense
        ? "These look like one-hot (or soft) labels: use categorical_crossentropy (CategoricalCrossentropy) for them, or pass the integer class indices (argmax)."
        : "Pass one integer class index per sample.";
      throw new Error(
        `In loss sparse_categorical_crossentropy, y_true must hold integer class indices of shape ${formatShape(expected)} ` +
          `(or ${formatShape([...expected, 1])}), matching y_pred.shape=${formatShape(p0.shape)} without its class axis. ` +
          `Received: y_true.shape=${formatShape(t.shape)}, y_pred.shape=${formatShape(p0.shape)}. ${hint}`,
      );
    }
    if (ignoreClass === null) {
      return { losses: nn.sparseCategoricalCrossentropy(t, p0, fromLogits, ax), mask: null };
    }
    const valid = tf.notEqual(tf.cast(t, "float32"), ignoreClass);
    t = tf.where(valid, t, tf.zerosLike(t));
    // Ignored rows of y_pred are replaced (Keras uses 0, giving NaN before masking);
    // 1 keeps the forward value identical after masking and the gradient finite.
    const validP = tf.expandDims(valid, ax);
    const p = tf.where(validP, p0, tf.onesLike(p0));
    const res = nn.sparseCategoricalCrossentropy(t, p, fromLogits, ax);
    return { losses: tf.where(valid, res, tf.zerosLike(res)), mask: valid };
  });
}

/**
 * Sparse categorical crossentropy: integer class indices `yTrue` (shape of
 * `yPred` without the class axis, or with a trailing 1) against
 * probabilities (or logits) `yPred`. Entries labelled `ignoreClass` give 0.
 */
export function sparseCategoricalCrossentropy(
  yTrue: TensorLike,
  yPred: TensorLike,
  options: SparseCategoricalCrossentropyFnOptions = {},
): Tensor {
  const { losses, mask } = sparseCategoricalCrossentropyWithMask(yTrue, yPred, options);
  mask?.dispose();
  return losses;
}

/**
 * CTC loss: `yTrue` integer labels `(batch, maxLabelLength)` padded with 0
 * (0 is the blank), `yPred` logits `(batch, maxTime, numClasses)`. Returns
 * the negative log-likelihood per sequence.
 */
export function ctc(yTrue: TensorLike, yPred: TensorLike): Tensor {
  return tf.tidy(() => {
    const t = convertToTensor(yTrue);
    const p = floatTensor(yPred);
    if (t.rank !== 2) {
      throw new Error(
        "Targets `y_true` are expected to be a tensor of shape `(batch_size, max_length)` in integer format. " +
          `Received: y_true.shape=${formatShape(t.shape)}`,
      );
    }
    if (p.rank !== 3) {
      throw new Error(
        "Logits `y_pred` are expected to be a tensor of shape `(batch_size, max_length, num_classes)`. " +
          `Received: y_pred.shape=${formatShape(p.shape)}`,
      );
    }
    const maskIndex = 0;
    const [batch, maxTime] = p.shape;
    const inputLength = tf.fill([batch], maxTime, "int32");
    const labelLength = tf.cast(tf.sum(tf.cast(tf.notEqual(t, maskIndex), "int32"), -1), "int32");
    return ctcLoss(t, p, labelLength, inputLength, maskIndex);
  });
}

// ---------------------------------------------------------------- segmentation

/** Options of `dice`. */
export interface DiceFnOptions {
  /** Axes to sum over; null (default) sums over all, giving one value for the batch. */
  axis?: number | number[] | null;
}

/** Dice loss: `1 - 2 sum(yTrue * yPred) / (sum(yTrue) + sum(yPred) + epsilon)` over `axis`. */
export function dice(yTrue: TensorLike, yPred: TensorLike, options: DiceFnOptions = {}): Tensor {
  const axis = options.axis ?? undefined;
  return tf.tidy(() => {
    const [t, p] = trueAndPred(yTrue, yPred);
    const intersection = tf.sum(tf.mul(t, p), axis);
    const d = tf.div(tf.mul(2, intersection), tf.add(tf.add(tf.sum(t, axis), tf.sum(p, axis)), eps()));
    return tf.sub(1, d);
  });
}

/** Options of `tversky`. */
export interface TverskyFnOptions {
  /** Weight of false positives. Default 0.5. */
  alpha?: number;
  /** Weight of false negatives. Default 0.5. */
  beta?: number;
  /** Axes to sum over; null (default) sums over all. */
  axis?: number | number[] | null;
}

/** Tversky loss: `1 - TP / (TP + alpha FP + beta FN + epsilon)` over `axis`. */
export function tversky(yTrue: TensorLike, yPred: TensorLike, options: TverskyFnOptions = {}): Tensor {
  const { alpha = 0.5, beta = 0.5 } = options;
  const axis = options.axis ?? undefined;
  return tf.tidy(() => {
    const [t, p] = trueAndPred(yTrue, yPred);
    const intersection = tf.sum(tf.mul(p, t), axis);
    const fp = tf.sum(tf.mul(tf.sub(1, t), p), axis);
    const fn = tf.sum(tf.mul(t, tf.sub(1, p)), axis);
    const denom = tf.add(tf.add(tf.add(intersection, tf.mul(fp, alpha)), tf.mul(fn, beta)), eps());
    return tf.sub(1, tf.div(intersection, denom));
  });
}

// ---------------------------------------------------------------- similarity

/** Options of `circle`. */
export interface CircleFnOptions {
  /** Labels of the reference embeddings. Default: `yTrue`. */
  refLabels?: TensorLike | null;
  /** Reference embeddings. Default: `yPred`. */
  refEmbeddings?: TensorLike | null;
  /** Drop self-similarities from the positives. Default true. */
  removeDiagonal?: boolean;
  /** The scale. Default 80. */
  gamma?: number;
  /** The relaxation margin. Default 0.4. */
  margin?: number;
}

// Stands in for -inf in the masked log-sum-exps: the same values (exp underflows
// to 0 exactly) without the NaN gradients an infinity brings.
const NEG_LARGE = -1e30;

function safeLogSumExp(x: Tensor, axis: number): Tensor {
  const m = tf.max(x, axis, true);
  const s = tf.sum(tf.exp(tf.sub(x, m)), axis, true);
  return tf.squeeze(tf.add(m, tf.log(s)), [axis]);
}

/**
 * Circle loss (Sun et al., 2020) between integer labels `yTrue` (batch,)
 * and L2-normalized embeddings `yPred` (batch, dim), against reference
 * labels and embeddings (default: the batch itself).
 */
export function circle(yTrue: TensorLike, yPred: TensorLike, options: CircleFnOptions = {}): Tensor {
  return circleWithMask(yTrue, yPred, options, false).losses;
}

function circleWithMask(yTrue: TensorLike, yPred: TensorLike, options: CircleFnOptions, withMask: boolean): MaskedLosses {
  const { removeDiagonal = true, gamma = 80, margin = 0.4 } = options;
  return tidyMasked(() => {
    const p = floatTensor(yPred);
    let labels = tf.cast(convertToTensor(yTrue), "int32");
    const refEmb = options.refEmbeddings == null ? p : floatTensor(options.refEmbeddings);
    let refLabels = options.refLabels == null ? labels : tf.cast(convertToTensor(options.refLabels), "int32");
    const optimPos = margin;
    const optimNeg = 1 + margin;
    const deltaPos = margin;
    const deltaNeg = 1 - margin;
    const dist = tf.maximum(tf.sub(1, tf.matMul(p, refEmb, false, true)), 0);
    if (labels.rank === 1) labels = tf.reshape(labels, [-1, 1]);
    if (refLabels.rank === 1) refLabels = tf.reshape(refLabels, [-1, 1]);
    let positive = tf.equal(labels, tf.transpose(refLabels));
    const negative = tf.logicalNot(positive);
    if (removeDiagonal) {
      const eye = tf.cast(tf.eye(labels.size, refLabels.size), "bool");
      positive = tf.logicalAnd(positive, tf.logicalNot(eye));
    }
    const posMask = tf.cast(positive, "float32");
    const negMask = tf.cast(negative, "float32");
    const posWeights = tf.maximum(tf.mul(tf.add(dist, optimPos), posMask), 0);
    const negWeights = tf.maximum(tf.mul(tf.sub(optimNeg, dist), negMask), 0);
    const posDists = tf.sub(deltaPos, dist);
    const negDists = tf.sub(deltaNeg, dist);
    const posW = tf.mul(tf.mul(-gamma, posWeights), posDists);
    const negW = tf.mul(tf.mul(gamma, negWeights), negDists);
    const fill = tf.fill(posW.shape, NEG_LARGE);
    const pLoss = safeLogSumExp(tf.where(positive, posW, fill), 1);
    const nLoss = safeLogSumExp(tf.where(negative, negW, fill), 1);
    const losses = nn.softplus(tf.add(pLoss, nLoss));
    return { losses, mask: withMask ? tf.greater(losses, 0) : null };
  });
}

// ---------------------------------------------------------------- generalized CE

/** Options of `categoricalGeneralizedCrossEntropy`. */
export interface CategoricalGeneralizedCrossEntropyFnOptions {
  /** The noise parameter in (0, 1): near 0 behaves like crossentropy, near 1 like MAE. */
  q: number;
}

/**
 * Generalized crossentropy (Zhang & Sabuncu, 2018) of integer labels
 * `yTrue` against probabilities `yPred`: `(1 - p^q) / q` with `p` the
 * probability of the true class.
 */
export function categoricalGeneralizedCrossEntropy(
  yTrue: TensorLike,
  yPred: TensorLike,
  options: CategoricalGeneralizedCrossEntropyFnOptions,
): Tensor {
  const q = options?.q;
  if (typeof q !== "number") {
    throw new Error(`categorical_generalized_cross_entropy needs the noise parameter \`q\`. Received: q=${String(q)}`);
  }
  return tf.tidy(() => {
    const p = floatTensor(yPred);
    let t = tf.cast(convertToTensor(yTrue), "int32");
    if (t.rank === p.rank && t.shape[t.rank - 1] === 1) t = tf.squeeze(t, [t.rank - 1]);
    const oneHot = tf.cast(tf.oneHot(t, p.shape[p.rank - 1]), p.dtype);
    const prob = tf.sum(tf.mul(p, oneHot), -1);
    return tf.div(tf.sub(1, tf.pow(prob, q)), q);
  });
}

// ---------------------------------------------------------------- function names

/**
 * A plain loss function: `(yTrue, yPred, options?) => per-sample losses`.
 * Wrapped in a Loss, it receives tensors (the built-ins also take arrays).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type LossFunction = (yTrue: Tensor, yPred: Tensor, options?: any) => Tensor;

/** Keras's snake_case name of each built-in loss function. */
export const LOSS_FUNCTIONS: Readonly<Record<string, LossFunction>> = {
  mean_squared_error: meanSquaredError,
  mean_absolute_error: meanAbsoluteError,
  mean_absolute_percentage_error: meanAbsolutePercentageError,
  mean_squared_logarithmic_error: meanSquaredLogarithmicError,
  cosine_similarity: cosineSimilarity,
  huber,
  log_cosh: logCosh,
  hinge,
  squared_hinge: squaredHinge,
  categorical_hinge: categoricalHinge,
  kl_divergence: klDivergence,
  poisson,
  binary_crossentropy: binaryCrossentropy,
  binary_focal_crossentropy: binaryFocalCrossentropy,
  categorical_crossentropy: categoricalCrossentropy,
  categorical_focal_crossentropy: categoricalFocalCrossentropy,
  sparse_categorical_crossentropy: sparseCategoricalCrossentropy,
  ctc,
  dice,
  tversky,
  circle,
  categorical_generalized_cross_entropy: categoricalGeneralizedCrossEntropy,
};

const NAME_OF = new Map<unknown, string>(Object.entries(LOSS_FUNCTIONS).map(([k, v]) => [v, k]));

/**
 * The Keras name of a loss function: `"mean_squared_error"` for
 * `meanSquaredError`; a registered custom function's registered name; else
 * the function's own name.
 */
export function lossFunctionName(fn: (...args: never[]) => unknown): string {
  const builtin = NAME_OF.get(fn);
  if (builtin !== undefined) return builtin;
  if (isCustomRegistered(fn)) return getRegisteredName(fn);
  return fn.name;
}

/**
 * Keras's serialized form of a loss function:
 * `{module: "builtins", class_name: "function", config: "mean_squared_error", registered_name: "function"}`
 * (registered custom functions: their registered name).
 */
export function serializeLossFunction(fn: (...args: never[]) => unknown): SerializedObject {
  const builtin = NAME_OF.get(fn);
  if (builtin !== undefined) return { module: "builtins", class_name: "function", config: builtin, registered_name: "function" };
  if (isCustomRegistered(fn)) {
    const name = getRegisteredName(fn);
    return { module: null, class_name: "function", config: name, registered_name: name };
  }
  if (!fn.name) throw new Error("Cannot serialize an anonymous loss function: give it a name and register it with registerKerasSerializable.");
  return { module: null, class_name: "function", config: fn.name, registered_name: null };
}

/** The loss function a name or a serialized function refers to. */
export function deserializeLossFunction(config: unknown, customObjects?: Record<string, unknown>): LossFunction {
  let name: string | null = null;
  let registered: string | null = null;
  if (typeof config === "string") name = config;
  else if (typeof config === "function") return config as LossFunction;
  else if (isSerializedObject(config) && config.class_name === "function") {
    name = typeof config.config === "string" ? config.config : null;
    registered = config.registered_name ?? null;
  }
  if (name !== null) {
    for (const key of [registered, name]) {
      if (key && customObjects && typeof customObjects[key] === "function") return customObjects[key] as LossFunction;
    }
    if (LOSS_FUNCTIONS[name]) return LOSS_FUNCTIONS[name];
    const camel = Object.values(LOSS_FUNCTIONS).find((f) => f.name === name);
    if (camel) return camel;
    for (const key of [registered, name]) {
      if (!key || key === "function") continue;
      const reg = getRegisteredObject(key, customObjects);
      if (typeof reg === "function") return reg as unknown as LossFunction;
    }
  }
  throw new Error(
    `Could not interpret loss function: ${JSON.stringify(config)}. Expected one of: ${Object.keys(LOSS_FUNCTIONS).join(", ")}, ` +
      "or a function registered with registerKerasSerializable.",
  );
}

// ---------------------------------------------------------------- LossFunctionWrapper

/** Options of `LossFunctionWrapper`: the loss options plus the function's own (camelCase) options. */
export interface LossFunctionWrapperOptions extends LossOptions {
  [fnOption: string]: unknown;
}

/**
 * A Loss that calls a plain function (Keras's `LossFunctionWrapper`): the
 * function gives per-sample losses, the wrapper reduces them. `yTrue` and
 * `yPred` are first brought to the same rank (`squeezeOrExpandToSameRank`).
 *
 * ```ts
 * const loss = new LossFunctionWrapper(keras.losses.huber, { delta: 0.5 });
 * ```
 */
export class LossFunctionWrapper extends Loss {
  /** The wrapped function. */
  readonly fn: LossFunction;
  /** The options passed to `fn` (camelCase). */
  protected readonly fnOptions: Record<string, unknown>;

  constructor(fn: LossFunction, options: LossFunctionWrapperOptions = {}) {
    const { name, reduction, dtype, ...rest } = options;
    super({ name, reduction, dtype });
    if (typeof fn !== "function") throw new TypeError(`LossFunctionWrapper needs a function. Received: ${String(fn)}`);
    this.fn = fn;
    this.fnOptions = rest;
  }

  override call(yTrue: TensorLike, yPred: TensorLike): Tensor {
    return tf.tidy(() => {
      const [t, p] = this.prepare(yTrue, yPred);
      return this.fn(t, p, this.fnOptions);
    });
  }

  /** `yTrue` and `yPred` as tensors, brought to the same rank. */
  protected prepare(yTrue: TensorLike, yPred: TensorLike): [Tensor, Tensor] {
    const p = convertToTensor(yPred);
    const t = convertToTensor(yTrue);
    return squeezeOrExpandToSameRank(t, p);
  }

  /** The options passed to the function, as snake_case config keys. */
  protected fnConfig(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(this.fnOptions)) out[camelToSnake(k)] = v === undefined ? null : v;
    return out;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), fn: serializeLossFunction(this.fn), ...this.fnConfig() };
  }

  /** Builds the wrapper from its config (`fn` is deserialized); subclasses build from their own keys. */
  static override fromConfig<T extends Loss>(this: new (options: never) => T, config: Record<string, unknown>): T {
    const opts: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(config)) if (k !== "fn") opts[snakeToCamel(k)] = v;
    // Built-in subclasses rebuild their function themselves (older configs may still carry `fn`).
    const proto = (this as unknown as { prototype: unknown }).prototype;
    const builtinSubclass = LOSS_CLASSES.some((c) => c.prototype === proto);
    if ("fn" in config && !builtinSubclass) {
      const fn = deserializeLossFunction(config.fn);
      return new (this as unknown as new (fn: LossFunction, o: Record<string, unknown>) => T)(fn, opts);
    }
    return new (this as unknown as new (o: Record<string, unknown>) => T)(opts);
  }
}
registerBuiltin("keras.losses", LossFunctionWrapper);

// ---------------------------------------------------------------- classes

/** Options of a loss with no options of its own. */
export type BasicLossOptions = LossOptions;

/** Keras's `Loss.get_config` (name and reduction), skipping the wrapper's `fn`. */
function baseConfig(loss: Loss): Record<string, unknown> {
  return { name: loss.name, reduction: loss.reduction };
}

/** Mean of squares of errors: `mean(square(yTrue - yPred))`. */
export class MeanSquaredError extends LossFunctionWrapper {
  constructor(options: BasicLossOptions = {}) {
    super(meanSquaredError, { reduction: options.reduction, name: options.name ?? "mean_squared_error", dtype: options.dtype });
  }
  override getConfig(): Record<string, unknown> {
    return baseConfig(this);
  }
}

/** Mean of absolute errors: `mean(abs(yTrue - yPred))`. */
export class MeanAbsoluteError extends LossFunctionWrapper {
  constructor(options: BasicLossOptions = {}) {
    super(meanAbsoluteError, { reduction: options.reduction, name: options.name ?? "mean_absolute_error", dtype: options.dtype });
  }
  override getConfig(): Record<string, unknown> {
    return baseConfig(this);
  }
}

/** Mean absolute percentage error: `100 * mean(abs((yTrue - yPred) / yTrue))`. */
export class MeanAbsolutePercentageError extends LossFunctionWrapper {
  constructor(options: BasicLossOptions = {}) {
    super(meanAbsolutePercentageError, {
      reduction: options.reduction,
      name: options.name ?? "mean_absolute_percentage_error",
      dtype: options.dtype,
    });
  }
  override getConfig(): Record<string, unknown> {
    return baseConfig(this);
  }
}

/** Mean squared logarithmic error: `mean(square(log(yTrue + 1) - log(yPred + 1)))`. */
export class MeanSquaredLogarithmicError extends LossFunctionWrapper {
  constructor(options: BasicLossOptions = {}) {
    super(meanSquaredLogarithmicError, {
      reduction: options.reduction,
      name: options.name ?? "mean_squared_logarithmic_error",
      dtype: options.dtype,
    });
  }
  override getConfig(): Record<string, unknown> {
    return baseConfig(this);
  }
}

/** Options of `CosineSimilarity`. */
export interface CosineSimilarityOptions extends LossOptions {
  /** The features axis. Default -1. */
  axis?: number;
}

/** The negative cosine similarity: -1 for the same direction, 0 for orthogonal vectors. */
export class CosineSimilarity extends LossFunctionWrapper {
  constructor(options: CosineSimilarityOptions = {}) {
    super(cosineSimilarity, {
      reduction: options.reduction,
      name: options.name ?? "cosine_similarity",
      dtype: options.dtype,
      axis: options.axis ?? -1,
    });
  }
  override getConfig(): Record<string, unknown> {
    return { ...baseConfig(this), ...this.fnConfig() };
  }
}

/** Options of `Huber`. */
export interface HuberOptions extends LossOptions {
  /** Where the loss turns from quadratic to linear. Default 1. */
  delta?: number;
}

/** Huber loss: quadratic for small errors, linear beyond `delta`. */
export class Huber extends LossFunctionWrapper {
  constructor(options: HuberOptions = {}) {
    super(huber, { reduction: options.reduction, name: options.name ?? "huber_loss", dtype: options.dtype, delta: options.delta ?? 1.0 });
  }
  override getConfig(): Record<string, unknown> {
    return { ...baseConfig(this), ...this.fnConfig() };
  }
}

/** The logarithm of the hyperbolic cosine of the prediction error. */
export class LogCosh extends LossFunctionWrapper {
  constructor(options: BasicLossOptions = {}) {
    super(logCosh, { reduction: options.reduction, name: options.name ?? "log_cosh", dtype: options.dtype });
  }
  override getConfig(): Record<string, unknown> {
    return baseConfig(this);
  }
}

/** Hinge loss: `maximum(1 - yTrue * yPred, 0)` with labels in {-1, 1} (0/1 labels are converted). */
export class Hinge extends LossFunctionWrapper {
  constructor(options: BasicLossOptions = {}) {
    super(hinge, { reduction: options.reduction, name: options.name ?? "hinge", dtype: options.dtype });
  }
  override getConfig(): Record<string, unknown> {
    return baseConfig(this);
  }
}

/** Squared hinge loss: `square(maximum(1 - yTrue * yPred, 0))`. */
export class SquaredHinge extends LossFunctionWrapper {
  constructor(options: BasicLossOptions = {}) {
    super(squaredHinge, { reduction: options.reduction, name: options.name ?? "squared_hinge", dtype: options.dtype });
  }
  override getConfig(): Record<string, unknown> {
    return baseConfig(this);
  }
}

/** Categorical hinge: `maximum(neg - pos + 1, 0)`. */
export class CategoricalHinge extends LossFunctionWrapper {
  constructor(options: BasicLossOptions = {}) {
    super(categoricalHinge, { reduction: options.reduction, name: options.name ?? "categorical_hinge", dtype: options.dtype });
  }
  override getConfig(): Record<string, unknown> {
    return baseConfig(this);
  }
}

/** Kullback-Leibler divergence: `yTrue * log(yTrue / yPred)`. */
export class KLDivergence extends LossFunctionWrapper {
  constructor(options: BasicLossOptions = {}) {
    super(klDivergence, { reduction: options.reduction, name: options.name ?? "kl_divergence", dtype: options.dtype });
  }
  override getConfig(): Record<string, unknown> {
    return baseConfig(this);
  }
}

/** Poisson loss: `yPred - yTrue * log(yPred)`. */
export class Poisson extends LossFunctionWrapper {
  constructor(options: BasicLossOptions = {}) {
    super(poisson, { reduction: options.reduction, name: options.name ?? "poisson", dtype: options.dtype });
  }
  override getConfig(): Record<string, unknown> {
    return baseConfig(this);
  }
}

/** Options of `BinaryCrossentropy`. */
export interface BinaryCrossentropyOptions extends LossOptions, BinaryCrossentropyFnOptions {}

/** Binary crossentropy between 0/1 labels and probabilities (or logits with `fromLogits`). */
export class BinaryCrossentropy extends LossFunctionWrapper {
  /** Whether predictions are logits. */
  readonly fromLogits: boolean;
  /** The label smoothing factor. */
  readonly labelSmoothing: number;
  /** The axis the mean is taken over. */
  readonly axis: number;

  constructor(options: BinaryCrossentropyOptions = {}) {
    const fromLogits = options.fromLogits ?? false;
    const labelSmoothing = options.labelSmoothing ?? 0.0;
    const axis = options.axis ?? -1;
    super(binaryCrossentropy, {
      reduction: options.reduction,
      name: options.name ?? "binary_crossentropy",
      dtype: options.dtype,
      fromLogits,
      labelSmoothing,
      axis,
    });
    this.fromLogits = fromLogits;
    this.labelSmoothing = labelSmoothing;
    this.axis = axis;
  }
  override getConfig(): Record<string, unknown> {
    return { ...baseConfig(this), from_logits: this.fromLogits, label_smoothing: this.labelSmoothing, axis: this.axis };
  }
}

/** Options of `BinaryFocalCrossentropy`. */
export interface BinaryFocalCrossentropyOptions extends LossOptions, BinaryFocalCrossentropyFnOptions {}

/** Binary focal crossentropy: down-weights easy examples by `(1 - p_t)^gamma`. */
export class BinaryFocalCrossentropy extends LossFunctionWrapper {
  readonly fromLogits: boolean;
  readonly labelSmoothing: number;
  readonly axis: number;
  readonly applyClassBalancing: boolean;
  readonly alpha: number;
  readonly gamma: number;

  constructor(options: BinaryFocalCrossentropyOptions = {}) {
    const applyClassBalancing = options.applyClassBalancing ?? false;
    const alpha = options.alpha ?? 0.25;
    const gamma = options.gamma ?? 2.0;
    const fromLogits = options.fromLogits ?? false;
    const labelSmoothing = options.labelSmoothing ?? 0.0;
    const axis = options.axis ?? -1;
    super(binaryFocalCrossentropy, {
      reduction: options.reduction,
      name: options.name ?? "binary_focal_crossentropy",
      dtype: options.dtype,
      applyClassBalancing,
      alpha,
      gamma,
      fromLogits,
      labelSmoothing,
      axis,
    });
    this.fromLogits = fromLogits;
    this.labelSmoothing = labelSmoothing;
    this.axis = axis;
    this.applyClassBalancing = applyClassBalancing;
    this.alpha = alpha;
    this.gamma = gamma;
  }
  override getConfig(): Record<string, unknown> {
    return {
      ...baseConfig(this),
      from_logits: this.fromLogits,
      label_smoothing: this.labelSmoothing,
      axis: this.axis,
      apply_class_balancing: this.applyClassBalancing,
      alpha: this.alpha,
      gamma: this.gamma,
    };
  }
}

/** Options of `CategoricalCrossentropy`. */
export interface CategoricalCrossentropyOptions extends LossOptions, CategoricalCrossentropyFnOptions {}

/** Categorical crossentropy between one-hot (or soft) labels and probabilities (or logits). */
export class CategoricalCrossentropy extends LossFunctionWrapper {
  readonly fromLogits: boolean;
  readonly labelSmoothing: number;
  readonly axis: number;

  constructor(options: CategoricalCrossentropyOptions = {}) {
    const fromLogits = options.fromLogits ?? false;
    const labelSmoothing = options.labelSmoothing ?? 0.0;
    const axis = options.axis ?? -1;
    super(categoricalCrossentropy, {
      reduction: options.reduction,
      name: options.name ?? "categorical_crossentropy",
      dtype: options.dtype,
      fromLogits,
      labelSmoothing,
      axis,
    });
    this.fromLogits = fromLogits;
    this.labelSmoothing = labelSmoothing;
    this.axis = axis;
  }
  override getConfig(): Record<string, unknown> {
    return { ...baseConfig(this), from_logits: this.fromLogits, label_smoothing: this.labelSmoothing, axis: this.axis };
  }
}

/** Options of `CategoricalFocalCrossentropy`. */
export interface CategoricalFocalCrossentropyOptions extends LossOptions, CategoricalFocalCrossentropyFnOptions {}

/** Categorical focal crossentropy: crossentropy weighted by `alpha (1 - p)^gamma`. */
export class CategoricalFocalCrossentropy extends LossFunctionWrapper {
  readonly fromLogits: boolean;
  readonly labelSmoothing: number;
  readonly axis: number;
  readonly alpha: number;
  readonly gamma: number;

  constructor(options: CategoricalFocalCrossentropyOptions = {}) {
    const alpha = options.alpha ?? 0.25;
    const gamma = options.gamma ?? 2.0;
    const fromLogits = options.fromLogits ?? false;
    const labelSmoothing = options.labelSmoothing ?? 0.0;
    const axis = options.axis ?? -1;
    super(categoricalFocalCrossentropy, {
      reduction: options.reduction,
      name: options.name ?? "categorical_focal_crossentropy",
      dtype: options.dtype,
      alpha,
      gamma,
      fromLogits,
      labelSmoothing,
      axis,
    });
    this.fromLogits = fromLogits;
    this.labelSmoothing = labelSmoothing;
    this.axis = axis;
    this.alpha = alpha;
    this.gamma = gamma;
  }
  override getConfig(): Record<string, unknown> {
    return {
      ...baseConfig(this),
      from_logits: this.fromLogits,
      label_smoothing: this.labelSmoothing,
      axis: this.axis,
      alpha: this.alpha,
      gamma: this.gamma,
    };
  }
}

/** Options of `SparseCategoricalCrossentropy`. */
export interface SparseCategoricalCrossentropyOptions extends LossOptions, SparseCategoricalCrossentropyFnOptions {}

/**
 * Crossentropy between integer class indices and probabilities (or
 * logits). With `ignoreClass`, entries with that label count neither in
 * the sum nor in the batch size.
 */
export class SparseCategoricalCrossentropy extends LossFunctionWrapper {
  constructor(options: SparseCategoricalCrossentropyOptions = {}) {
    super(sparseCategoricalCrossentropy, {
      reduction: options.reduction,
      name: options.name ?? "sparse_categorical_crossentropy",
      dtype: options.dtype,
      fromLogits: options.fromLogits ?? false,
      ignoreClass: options.ignoreClass ?? null,
      axis: options.axis ?? -1,
    });
  }

  protected override callWithMask(yTrue: Tensor, yPred: Tensor): MaskedLosses {
    const [t, p] = this.prepare(yTrue, yPred);
    return sparseCategoricalCrossentropyWithMask(t, p, this.fnOptions as SparseCategoricalCrossentropyFnOptions);
  }

  override getConfig(): Record<string, unknown> {
    return { ...baseConfig(this), ...this.fnConfig() };
  }
}

/** CTC loss between padded integer label sequences (0 = blank/padding) and per-step logits. */
export class CTC extends LossFunctionWrapper {
  constructor(options: BasicLossOptions = {}) {
    super(ctc, { reduction: options.reduction, name: options.name ?? "ctc", dtype: options.dtype });
  }
  override getConfig(): Record<string, unknown> {
    return baseConfig(this);
  }
}

/** Options of `Dice`. */
export interface DiceOptions extends LossOptions, DiceFnOptions {}

/** Dice loss, for segmentation: `1 - 2|A∩B| / (|A| + |B|)`. */
export class Dice extends LossFunctionWrapper {
  readonly axis: number | number[] | null;

  constructor(options: DiceOptions = {}) {
    const axis = options.axis ?? null;
    super(dice, { reduction: options.reduction, name: options.name ?? "dice", dtype: options.dtype, axis });
    this.axis = axis;
  }
  override getConfig(): Record<string, unknown> {
    return { ...baseConfig(this), axis: this.axis };
  }
}

/** Options of `Tversky`. */
export interface TverskyOptions extends LossOptions, TverskyFnOptions {}

/** Tversky loss: Dice with separate weights for false positives (`alpha`) and false negatives (`beta`). */
export class Tversky extends LossFunctionWrapper {
  readonly alpha: number;
  readonly beta: number;
  readonly axis: number | number[] | null;

  constructor(options: TverskyOptions = {}) {
    const alpha = options.alpha ?? 0.5;
    const beta = options.beta ?? 0.5;
    const axis = options.axis ?? null;
    super(tversky, { reduction: options.reduction, name: options.name ?? "tversky", dtype: options.dtype, alpha, beta, axis });
    this.alpha = alpha;
    this.beta = beta;
    this.axis = axis;
  }
  override getConfig(): Record<string, unknown> {
    return { ...baseConfig(this), alpha: this.alpha, beta: this.beta, axis: this.axis };
  }
}

/** Options of `Circle`. */
export interface CircleOptions extends LossOptions {
  /** The scale. Default 80. */
  gamma?: number;
  /** The relaxation margin. Default 0.4. */
  margin?: number;
  /** Drop self-similarities from the positives. Default true. */
  removeDiagonal?: boolean;
}

/**
 * Circle loss for metric learning, between integer labels and L2-normalized
 * embeddings. Samples whose loss is 0 do not count in the mean.
 */
export class Circle extends LossFunctionWrapper {
  readonly gamma: number;
  readonly margin: number;
  readonly removeDiagonal: boolean;

  constructor(options: CircleOptions = {}) {
    const gamma = options.gamma ?? 80.0;
    const margin = options.margin ?? 0.4;
    const removeDiagonal = options.removeDiagonal ?? true;
    super(circle, { reduction: options.reduction, name: options.name ?? "circle", dtype: options.dtype, gamma, margin, removeDiagonal });
    this.gamma = gamma;
    this.margin = margin;
    this.removeDiagonal = removeDiagonal;
  }

  protected override callWithMask(yTrue: Tensor, yPred: Tensor): MaskedLosses {
    const [t, p] = this.prepare(yTrue, yPred);
    return circleWithMask(t, p, this.fnOptions as CircleFnOptions, true);
  }

  override getConfig(): Record<string, unknown> {
    return { ...baseConfig(this), gamma: this.gamma, margin: this.margin, remove_diagonal: this.removeDiagonal };
  }
}

/** Options of `CategoricalGeneralizedCrossEntropy`. */
export interface CategoricalGeneralizedCrossEntropyOptions extends LossOptions {
  /** The noise parameter in (0, 1). Default 0.5. */
  q?: number;
}

/** Generalized crossentropy, robust to noisy labels: `(1 - p^q) / q` for integer labels. */
export class CategoricalGeneralizedCrossEntropy extends LossFunctionWrapper {
  readonly q: number;

  constructor(options: CategoricalGeneralizedCrossEntropyOptions = {}) {
    const q = options.q ?? 0.5;
    if (!(q > 0 && q < 1)) throw new Error(`q must be in the interval (0, 1). Received: q=${q}`);
    super(categoricalGeneralizedCrossEntropy, {
      reduction: options.reduction,
      name: options.name ?? "categorical_generalized_cross_entropy",
      dtype: options.dtype,
      q,
    });
    this.q = q;
  }
  override getConfig(): Record<string, unknown> {
    return { ...baseConfig(this), q: this.q };
  }
}

/** The built-in loss classes, in Keras's order. */
export const LOSS_CLASSES = [
  KLDivergence,
  Poisson,
  BinaryCrossentropy,
  BinaryFocalCrossentropy,
  CategoricalCrossentropy,
  CategoricalFocalCrossentropy,
  SparseCategoricalCrossentropy,
  MeanSquaredError,
  MeanAbsoluteError,
  MeanAbsolutePercentageError,
  MeanSquaredLogarithmicError,
  CosineSimilarity,
  LogCosh,
  Huber,
  Hinge,
  SquaredHinge,
  CategoricalHinge,
  Dice,
  Tversky,
  Circle,
  CTC,
  CategoricalGeneralizedCrossEntropy,
] as const;

for (const cls of LOSS_CLASSES) registerBuiltin("keras.losses", cls);
