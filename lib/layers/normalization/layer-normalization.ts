/**
 * LayerNormalization (Keras's `layers/normalization/layer_normalization.py`).
 */
import { tf, type Tensor } from "../../backend/tfjs.js";
import type { Shape } from "../../backend/keras-tensor.js";
import type { Variable } from "../../backend/variable.js";
import * as initializers from "../../initializers/index.js";
import * as regularizers from "../../regularizers/index.js";
import * as constraints from "../../constraints/index.js";
import type { Initializer, InitializerLike } from "../../initializers/initializer.js";
import type { Regularizer, RegularizerLike } from "../../regularizers/regularizer.js";
import type { Constraint, ConstraintLike } from "../../constraints/constraint.js";
import { registerBuiltin } from "../../saving/object-registration.js";
import { Layer, type CallArgs, type LayerArgs } from "../layer.js";
import {
  canonicalAxis,
  serializeConstraint,
  serializeInitializer,
  serializeRegularizer,
  singleShape,
  singleTensor,
  toFloat,
} from "../layer-utils.js";

/** Options of LayerNormalization. */
export interface LayerNormalizationArgs extends LayerArgs {
  /** The axis or axes to normalize over (usually the features axis). Default -1. */
  axis?: number | readonly number[];
  /** Small float added to the variance to avoid dividing by zero. Default 1e-3. */
  epsilon?: number;
  /** Whether to add the learned offset `beta`. Default true. */
  center?: boolean;
  /** Whether to multiply by the learned scale `gamma`. Default true. */
  scale?: boolean;
  /**
   * Deprecated in Keras: scale by the inverse standard deviation only (no
   * centering, no beta; `gamma` is still used). Default false.
   */
  rmsScaling?: boolean;
  /** Initializer of beta. Default `"zeros"`. */
  betaInitializer?: InitializerLike;
  /** Initializer of gamma. Default `"ones"`. */
  gammaInitializer?: InitializerLike;
  /** Regularizer of beta. Default none. */
  betaRegularizer?: RegularizerLike | null;
  /** Regularizer of gamma. Default none. */
  gammaRegularizer?: RegularizerLike | null;
  /** Constraint of beta. Default none. */
  betaConstraint?: ConstraintLike | null;
  /** Constraint of gamma. Default none. */
  gammaConstraint?: ConstraintLike | null;
}

/**
 * Normalizes each example independently over `axis`:
 * `gamma * (x - mean) / sqrt(var + epsilon) + beta`, with the mean and
 * variance of that example (not of the batch). `gamma` and `beta` have the
 * shape of the normalized axes.
 *
 * ```ts
 * layers.LayerNormalization({ axis: -1 })(x);
 * ```
 */
export class LayerNormalization extends Layer {
  /** The normalized axes: as given until built, then a sorted list of nonnegative axes. */
  axis: number | number[];
  /** Added to the variance before the square root. */
  readonly epsilon: number;
  /** Whether `beta` is added. */
  readonly center: boolean;
  /** Whether `gamma` multiplies. */
  readonly scale: boolean;
  /** Whether only the inverse standard deviation scales (no centering). */
  readonly rmsScaling: boolean;
  /** Initializer of beta. */
  readonly betaInitializer: Initializer;
  /** Initializer of gamma. */
  readonly gammaInitializer: Initializer;
  /** Regularizer of beta, or null. */
  readonly betaRegularizer: Regularizer | null;
  /** Regularizer of gamma, or null. */
  readonly gammaRegularizer: Regularizer | null;
  /** Constraint of beta, or null. */
  readonly betaConstraint: Constraint | null;
  /** Constraint of gamma, or null. */
  readonly gammaConstraint: Constraint | null;
  /** The learned scale (null when `scale` and `rmsScaling` are false). */
  gamma: Variable | null = null;
  /** The learned offset (null when `center` is false or `rmsScaling` is true). */
  beta: Variable | null = null;

  /** `new LayerNormalization()` or `new LayerNormalization({ axis: [1, 2], epsilon: 1e-6 })`. */
  constructor(args: LayerNormalizationArgs = {}) {
    super(args);
    const axis = args.axis ?? -1;
    if (Array.isArray(axis)) {
      if (!axis.every((a) => Number.isInteger(a))) {
        throw new Error(`Expected an int or a list/tuple of ints for the argument 'axis', but received: ${JSON.stringify(axis)}`);
      }
      this.axis = [...axis];
    } else if (typeof axis === "number" && Number.isInteger(axis)) {
      this.axis = axis;
    } else {
      throw new Error(`Expected an int or a list/tuple of ints for the argument 'axis', but received: ${JSON.stringify(axis)}`);
    }
    this.epsilon = args.epsilon ?? 1e-3;
    this.center = args.center ?? true;
    this.scale = args.scale ?? true;
    this.rmsScaling = args.rmsScaling ?? false;
    this.betaInitializer = initializers.get(args.betaInitializer ?? "zeros");
    this.gammaInitializer = initializers.get(args.gammaInitializer ?? "ones");
    this.betaRegularizer = regularizers.get(args.betaRegularizer);
    this.gammaRegularizer = regularizers.get(args.gammaRegularizer);
    this.betaConstraint = constraints.get(args.betaConstraint);
    this.gammaConstraint = constraints.get(args.gammaConstraint);
    this.supportsMasking = true;
  }

  private canonicalAxes(rank: number): number[] {
    const list = Array.isArray(this.axis) ? this.axis : [this.axis];
    return list.map((a) => canonicalAxis(a, rank, this.name));
  }

  override build(inputShape: unknown): void {
    const shape = singleShape(inputShape, this.name);
    const axes = this.canonicalAxes(shape.length);
    if (new Set(axes).size !== axes.length) throw new Error(`Duplicate axes are not allowed. Received: axis=${JSON.stringify(this.axis)}`);
    this.axis = [...axes].sort((a, b) => a - b);
    const wshape = this.axis.map((a) => shape[a]);
    if (wshape.some((d) => d === null)) {
      throw new Error(
        `Layer "${this.name}" (LayerNormalization) needs known sizes on the normalized axes ${JSON.stringify(this.axis)}. ` +
          `Received: input_shape=${JSON.stringify(shape)}`,
      );
    }
    if (this.scale || this.rmsScaling) {
      this.gamma = this.addWeight({
        name: "gamma",
        shape: wshape as number[],
        initializer: this.gammaInitializer,
        regularizer: this.gammaRegularizer,
        constraint: this.gammaConstraint,
        trainable: true,
        autocast: false,
      });
    }
    if (this.center && !this.rmsScaling) {
      this.beta = this.addWeight({
        name: "beta",
        shape: wshape as number[],
        initializer: this.betaInitializer,
        regularizer: this.betaRegularizer,
        constraint: this.betaConstraint,
        trainable: true,
        autocast: false,
      });
    }
    this.built = true;
  }

  override call(inputs: unknown, _kwargs?: CallArgs): Tensor {
    const x = toFloat(singleTensor(inputs, this.name));
    const axes = this.canonicalAxes(x.rank);
    const bshape = x.shape.map((d, i) => (axes.includes(i) ? d : 1));
    const lastOnly = axes.length === 1 && axes[0] === x.rank - 1;
    const bc = (v: Variable | null): Tensor | null => (v === null ? null : lastOnly ? v.value : tf.reshape(v.value, bshape));
    const gamma = bc(this.gamma);
    const beta = bc(this.beta);
    const mean = tf.mean(x, axes, true);
    if (this.rmsScaling) {
      const variance = tf.mean(tf.square(tf.sub(x, mean)), axes, true);
      const out = tf.mul(x, tf.rsqrt(tf.add(variance, this.epsilon)));
      return gamma ? tf.mul(out, gamma) : out;
    }
    const variance = tf.sub(tf.mean(tf.square(x), axes, true), tf.square(mean));
    let inv = tf.rsqrt(tf.add(variance, this.epsilon));
    if (gamma) inv = tf.mul(inv, gamma);
    let res = tf.mul(tf.neg(mean), inv);
    if (beta) res = tf.add(res, beta);
    return tf.add(tf.mul(x, inv), res);
  }

  override computeOutputShape(inputShape: unknown): Shape {
    const shape = singleShape(inputShape, this.name);
    this.canonicalAxes(shape.length);
    return shape;
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      axis: Array.isArray(this.axis) ? [...this.axis] : this.axis,
      epsilon: this.epsilon,
      center: this.center,
      scale: this.scale,
      rms_scaling: this.rmsScaling,
      beta_initializer: serializeInitializer(this.betaInitializer),
      gamma_initializer: serializeInitializer(this.gammaInitializer),
      beta_regularizer: serializeRegularizer(this.betaRegularizer),
      gamma_regularizer: serializeRegularizer(this.gammaRegularizer),
      beta_constraint: serializeConstraint(this.betaConstraint),
      gamma_constraint: serializeConstraint(this.gammaConstraint),
    };
  }
}
registerBuiltin("keras.layers", LayerNormalization);
