/**
 * The Loss base (Keras's `keras.losses.Loss`, `losses/loss.py`) and Keras 3's
 * reduction helpers: `squeezeOrExpandToSameRank`, `reduceValues`,
 * `reduceWeightedValues`, `applyMask`.
 *
 * A loss instance is callable: `loss(yTrue, yPred, sampleWeight?)` (also
 * `loss.apply(...)`) converts both to the loss's dtype, runs `call` for the
 * per-sample losses, weights them and reduces them as Keras does. Everything
 * runs in tensor ops (no data is read back), so it works inside gradient
 * functions; intermediates are disposed and the result is owned by the caller.
 */
import { tf, type Tensor } from "../backend/tfjs.js";
import { floatx } from "../backend/config.js";
import { standardizeDtype, type DType, type DTypeLike } from "../backend/dtypes.js";
import { convertToTensor, type TensorLike } from "../ops/convert.js";
import { DTypePolicy, getDTypePolicy } from "../dtype-policies/dtype-policy.js";
import { configToOptions } from "../saving/module-objects.js";
import { registerBuiltin } from "../saving/object-registration.js";
import { CALL, CallableObject } from "../utils/callable-object.js";
import { autoName } from "../utils/naming.js";

/**
 * How a loss reduces its per-sample values: `"sum"` sums them,
 * `"sum_over_batch_size"` and `"mean"` sum and divide by their number,
 * `"mean_with_sample_weight"` sums and divides by the sum of the sample
 * weights, `"none"` (or `null`) keeps them.
 */
export type Reduction = "sum_over_batch_size" | "sum" | "mean" | "mean_with_sample_weight" | "none";

/** The reductions Keras accepts (`null` means `"none"`). */
export const REDUCTIONS: readonly (Reduction | null)[] = [
  "sum_over_batch_size",
  "sum",
  null,
  "none",
  "mean",
  "mean_with_sample_weight",
];

/** Options every loss accepts. */
export interface LossOptions {
  /** The loss's name (a key in training logs). Default: the class's Keras name. */
  name?: string | null;
  /** How per-sample losses are reduced. Default `"sum_over_batch_size"`. */
  reduction?: Reduction | null;
  /** The dtype of the computation: a float dtype or a DTypePolicy (its compute dtype). Default floatx. */
  dtype?: DTypeLike | DTypePolicy | string | null;
}

/** Checks a reduction name as Keras's `standardize_reduction` does. */
export function standardizeReduction(reduction: unknown): Reduction | null {
  if (reduction === undefined) return "sum_over_batch_size";
  if (!(REDUCTIONS as unknown[]).includes(reduction)) {
    throw new Error(
      "Invalid value for argument `reduction`. Expected one of " +
        `{${REDUCTIONS.map((r) => (r === null ? "None" : `'${r}'`)).join(", ")}}. ` +
        `Received: reduction=${JSON.stringify(reduction)}`,
    );
  }
  return reduction as Reduction | null;
}

// ---------------------------------------------------------------- masks

// Masks travel with tensors (Keras's `_keras_mask`): the registry is lib/backend/masking.ts.
export { getKerasMask, setKerasMask } from "../backend/masking.js";
import { getKerasMask } from "../backend/masking.js";

// ---------------------------------------------------------------- gradient-safe helpers

/** `a / b`, or 0 where `b` is 0 (Keras's `divide_no_nan`), with gradients that tfjs can compute. */
export function divideNoNan(a: Tensor, b: Tensor): Tensor {
  return tf.tidy(() => {
    const isZero = tf.equal(b, 0);
    const safe = tf.where(isZero, tf.onesLike(b), b);
    const q = tf.div(a, safe);
    return tf.where(isZero, tf.zeros(q.shape, q.dtype), q);
  });
}

// ---------------------------------------------------------------- reduction helpers

/**
 * Keras's `squeeze_or_expand_to_same_rank`: when the ranks differ by exactly
 * one and the longer one ends in a dimension of 1, squeeze that dimension,
 * or (when the other is rank 1 and `expandRank1`) expand the other.
 * Returns the inputs themselves when nothing changes.
 */
export function squeezeOrExpandToSameRank(x1: Tensor, x2: Tensor, expandRank1 = true): [Tensor, Tensor] {
  const r1 = x1.rank;
  const r2 = x2.rank;
  if (r1 === r2) return [x1, x2];
  let a = x1;
  let b = x2;
  if (r1 === r2 + 1 && x1.shape[r1 - 1] === 1) {
    if (r2 === 1 && expandRank1) b = tf.expandDims(x2, -1);
    else a = tf.squeeze(x1, [r1 - 1]);
  }
  if (r2 === r1 + 1 && x2.shape[r2 - 1] === 1) {
    if (r1 === 1 && expandRank1) a = tf.expandDims(x1, -1);
    else b = tf.squeeze(x2, [r2 - 1]);
  }
  return [a, b];
}

function numElements(shape: readonly number[]): number {
  return shape.reduce((p, d) => p * d, 1);
}

/**
 * Keras's `reduce_values`: reduces already-weighted values. Scalars and
 * empty `(0,)` values are returned unchanged, as is everything for `"none"`.
 */
export function reduceValues(
  values: Tensor,
  sampleWeight: Tensor | null = null,
  reduction: Reduction | null = "sum_over_batch_size",
): Tensor {
  if (reduction === null || reduction === "none" || values.rank === 0 || (values.rank === 1 && values.shape[0] === 0)) {
    return values;
  }
  return tf.tidy(() => {
    const loss = tf.sum(values);
    if (reduction === "sum") return loss;
    if (reduction === "mean_with_sample_weight" && sampleWeight !== null) {
      return divideNoNan(loss, tf.cast(tf.sum(sampleWeight), loss.dtype));
    }
    const n = numElements(values.shape);
    return n === 0 ? tf.zerosLike(loss) : tf.div(loss, n);
  });
}

/**
 * Keras's `apply_mask`: merges a mask into the sample weights. For
 * `"mean"`/`"sum_over_batch_size"`, valid entries weigh `total / valid` so
 * that the mean is taken over valid entries only.
 */
export function applyMask(
  sampleWeight: Tensor | null,
  mask: Tensor | null,
  dtype: DType,
  reduction: Reduction | null,
): Tensor | null {
  if (mask === null) return sampleWeight;
  return tf.tidy(() => {
    let floatMask: Tensor;
    if (reduction === "mean" || reduction === "sum_over_batch_size") {
      const total = tf.scalar(numElements(mask.shape), dtype);
      const valid = tf.sum(tf.cast(mask, dtype));
      const maskWeight = divideNoNan(total, valid);
      floatMask = tf.where(tf.cast(mask, "bool"), maskWeight, tf.zerosLike(maskWeight));
    } else {
      floatMask = tf.cast(mask, dtype);
    }
    if (sampleWeight === null) return floatMask;
    const [m, sw] = squeezeOrExpandToSameRank(floatMask, tf.cast(sampleWeight, dtype));
    return tf.mul(sw, m);
  });
}

/** Options of `reduceWeightedValues`. */
export interface ReduceWeightedOptions {
  sampleWeight?: TensorLike | null;
  mask?: Tensor | null;
  reduction?: Reduction | null;
  dtype?: DTypeLike | null;
}

function shapeStr(shape: readonly number[]): string {
  return `(${shape.join(", ")}${shape.length === 1 ? "," : ""})`;
}

/**
 * Keras's `reduce_weighted_values`: merges the mask into the sample
 * weights, brings the weights to the rank of `values`
 * (`squeezeOrExpandToSameRank`), multiplies, and reduces.
 */
export function reduceWeightedValues(values: TensorLike, options: ReduceWeightedOptions = {}): Tensor {
  const reduction = standardizeReduction(options.reduction);
  return tf.tidy(() => {
    let v = convertToTensor(values, options.dtype ?? null);
    let sw: Tensor | null = options.sampleWeight == null ? null : convertToTensor(options.sampleWeight, options.dtype ?? null);
    const mask = options.mask == null ? null : convertToTensor(options.mask, options.dtype ?? null);
    sw = applyMask(sw, mask, v.dtype, reduction);
    if (sw !== null) {
      sw = tf.cast(sw, v.dtype);
      [v, sw] = squeezeOrExpandToSameRank(v, sw);
      try {
        v = tf.mul(v, sw);
      } catch (e) {
        throw new Error(
          `sample_weight of shape ${shapeStr(sw.shape)} cannot be broadcast to the per-sample losses of shape ` +
            `${shapeStr(v.shape)}. Pass one weight per sample (shape ${shapeStr(v.shape.slice(0, 1))}) ` +
            `or weights of the losses' shape. (${(e as Error).message})`,
        );
      }
    }
    return reduceValues(v, sw, reduction);
  });
}

// ---------------------------------------------------------------- Loss

/** Per-sample losses and the mask Keras would attach to them. */
export interface MaskedLosses {
  /** The unreduced losses. */
  losses: Tensor;
  /** Entries to count (true/1) in the reduction, or null for all. */
  mask: Tensor | null;
}

function resolveDtype(dtype: unknown): DType {
  if (dtype == null) return standardizeDtype(floatx());
  // A name ("float32", "mixed_float16"), a DTypePolicy, or its serialized dict.
  return getDTypePolicy(dtype).computeDtype;
}

/**
 * The base of all losses. Subclasses implement `call(yTrue, yPred)`, which
 * returns the per-sample losses; calling the instance,
 * `loss(yTrue, yPred, sampleWeight?)`, weights and reduces them.
 *
 * ```ts
 * class MyMSE extends keras.losses.Loss {
 *   call(yTrue: Tensor, yPred: Tensor) { return tf.mean(tf.squaredDifference(yTrue, yPred), -1); }
 * }
 * ```
 */
export class Loss extends CallableObject {
  /** The loss's name. */
  name: string;
  /** How the per-sample losses are reduced (`null` = none). */
  readonly reduction: Reduction | null;
  /** The dtype `yTrue` and `yPred` are converted to. */
  readonly dtype: DType;

  constructor(options: LossOptions = {}) {
    super();
    this.name = options.name ?? autoName(this.constructor.name);
    this.reduction = standardizeReduction(options.reduction);
    this.dtype = resolveDtype(options.dtype);
  }

  /**
   * The per-sample (unreduced) losses of `yPred` against `yTrue`: a new
   * tensor the caller owns. Subclasses implement it.
   */
  call(yTrue: TensorLike, yPred: TensorLike): Tensor {
    void yTrue;
    void yPred;
    throw new Error(`Loss ${this.constructor.name} does not implement \`call(yTrue, yPred)\`.`);
  }

  /**
   * The per-sample losses with the mask that counts in the reduction
   * (Keras's mask attached to `call`'s output). The default runs `call` and
   * reads a mask attached with `setKerasMask`.
   */
  protected callWithMask(yTrue: Tensor, yPred: Tensor): MaskedLosses {
    const losses = this.call(yTrue, yPred);
    return { losses, mask: getKerasMask(losses) };
  }

  /**
   * The reduced loss: converts `yTrue` and `yPred` to the loss's dtype, runs
   * `call`, applies `sampleWeight` (and any mask on `yPred` or on the
   * losses), then the reduction. Returns a new tensor (a scalar unless the
   * reduction is `"none"`).
   */
  apply(yTrue: TensorLike, yPred: TensorLike, sampleWeight?: TensorLike | null): Tensor {
    const inMask = getKerasMask(yPred);
    return tf.tidy(() => {
      const yp = convertToTensor(yPred, this.dtype);
      const yt = convertToTensor(yTrue, this.dtype);
      const { losses, mask: outMask } = this.callWithMask(yt, yp);
      let mask: Tensor | null;
      if (inMask !== null && outMask !== null) {
        const [a, b] = squeezeOrExpandToSameRank(tf.cast(inMask, "bool"), tf.cast(outMask, "bool"));
        mask = tf.logicalAnd(a, b);
      } else {
        mask = inMask ?? outMask;
      }
      return reduceWeightedValues(losses, {
        sampleWeight: sampleWeight ?? null,
        mask,
        reduction: this.reduction,
        dtype: this.dtype,
      });
    });
  }

  /** `loss(yTrue, yPred, sampleWeight)` runs `apply`. */
  [CALL](...args: unknown[]): unknown {
    return this.apply(args[0] as TensorLike, args[1] as TensorLike, args[2] as TensorLike | null | undefined);
  }

  /** The constructor arguments as Keras writes them: `{name, reduction}` plus each class's keys. */
  getConfig(): Record<string, unknown> {
    return { name: this.name, reduction: this.reduction };
  }

  /** Builds a loss from `getConfig()`'s output (snake_case keys become camelCase options). */
  static fromConfig<T extends Loss>(this: new (options: never) => T, config: Record<string, unknown>): T {
    return new (this as unknown as new (options: Record<string, unknown>) => T)(configToOptions(config));
  }
}

/** Calling a loss instance: `loss(yTrue, yPred, sampleWeight?)` gives the reduced loss. */
export interface Loss {
  (yTrue: TensorLike, yPred: TensorLike, sampleWeight?: TensorLike | null): Tensor;
}

registerBuiltin("keras.losses", Loss);
