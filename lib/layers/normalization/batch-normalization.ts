/**
 * BatchNormalization (Keras's `layers/normalization/batch_normalization.py`).
 */
import { tf, type Tensor } from "../../backend/tfjs.js";
import { epsilon as configEpsilon } from "../../backend/config.js";
import type { Shape } from "../../backend/keras-tensor.js";
import type { Variable } from "../../backend/variable.js";
import * as initializers from "../../initializers/index.js";
import * as regularizers from "../../regularizers/index.js";
import * as constraints from "../../constraints/index.js";
import type { Initializer, InitializerLike } from "../../initializers/initializer.js";
import type { Regularizer, RegularizerLike } from "../../regularizers/regularizer.js";
import type { Constraint, ConstraintLike } from "../../constraints/constraint.js";
import { stopGradient } from "../../ops/core.js";
import { registerBuiltin } from "../../saving/object-registration.js";
import { InputSpec } from "../input-spec.js";
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

/** Batch renormalization clipping bounds. */
export interface RenormClipping {
  /** Upper bound of the correction `r`. */
  rmax?: number | null;
  /** Lower bound of the correction `r`. */
  rmin?: number | null;
  /** Bound of the absolute value of the correction `d`. */
  dmax?: number | null;
}

/** Options of BatchNormalization. */
export interface BatchNormalizationArgs extends LayerArgs {
  /** The features axis (normalized per feature). Default -1. */
  axis?: number;
  /** Momentum of the moving averages. Default 0.99. */
  momentum?: number;
  /** Small float added to the variance to avoid dividing by zero. Default 1e-3. */
  epsilon?: number;
  /** Whether to add the learned offset `beta`. Default true. */
  center?: boolean;
  /** Whether to multiply by the learned scale `gamma`. Default true. */
  scale?: boolean;
  /** Initializer of beta. Default `"zeros"`. */
  betaInitializer?: InitializerLike;
  /** Initializer of gamma. Default `"ones"`. */
  gammaInitializer?: InitializerLike;
  /** Initializer of the moving mean. Default `"zeros"`. */
  movingMeanInitializer?: InitializerLike;
  /** Initializer of the moving variance. Default `"ones"`. */
  movingVarianceInitializer?: InitializerLike;
  /** Regularizer of beta. Default none. */
  betaRegularizer?: RegularizerLike | null;
  /** Regularizer of gamma. Default none. */
  gammaRegularizer?: RegularizerLike | null;
  /** Constraint of beta. Default none. */
  betaConstraint?: ConstraintLike | null;
  /** Constraint of gamma. Default none. */
  gammaConstraint?: ConstraintLike | null;
  /** Whether to use batch renormalization. Default false. */
  renorm?: boolean;
  /** Clipping of the renorm corrections (`rmax`, `rmin`, `dmax`). Default none. */
  renormClipping?: RenormClipping | null;
  /** Momentum of the renorm moving averages. Default 0.99. */
  renormMomentum?: number;
  /** Cross-replica statistics; not supported by tskeras (must be false). */
  synchronized?: boolean;
}

/**
 * Normalizes its inputs per feature: `gamma * (x - mean) / sqrt(var + epsilon) + beta`.
 *
 * With `training: true` (as in `fit`) it uses the mean and variance of the
 * current batch and updates the moving statistics
 * (`moving = moving * momentum + batch * (1 - momentum)`); otherwise it uses
 * the moving statistics. A frozen layer (`trainable = false`) always runs
 * in inference mode.
 *
 * ```ts
 * layers.BatchNormalization()(x, { training: true });
 * ```
 */
export class BatchNormalization extends Layer {
  /** The features axis as given. */
  readonly axis: number;
  /** Momentum of the moving averages. */
  readonly momentum: number;
  /** Added to the variance before the square root. */
  readonly epsilon: number;
  /** Whether `beta` is added. */
  readonly center: boolean;
  /** Whether `gamma` multiplies. */
  readonly scale: boolean;
  /** Initializer of beta. */
  readonly betaInitializer: Initializer;
  /** Initializer of gamma. */
  readonly gammaInitializer: Initializer;
  /** Initializer of the moving mean. */
  readonly movingMeanInitializer: Initializer;
  /** Initializer of the moving variance. */
  readonly movingVarianceInitializer: Initializer;
  /** Regularizer of beta, or null. */
  readonly betaRegularizer: Regularizer | null;
  /** Regularizer of gamma, or null. */
  readonly gammaRegularizer: Regularizer | null;
  /** Constraint of beta, or null. */
  readonly betaConstraint: Constraint | null;
  /** Constraint of gamma, or null. */
  readonly gammaConstraint: Constraint | null;
  /** Whether batch renormalization is used. */
  readonly renorm: boolean;
  /** Clipping of the renorm corrections, or null. */
  readonly renormClipping: RenormClipping | null;
  /** Momentum of the renorm moving averages. */
  readonly renormMomentum: number;
  /** Always false (cross-replica statistics are not supported). */
  readonly synchronized: boolean;
  /** The learned scale (null when `scale` is false). */
  gamma: Variable | null = null;
  /** The learned offset (null when `center` is false). */
  beta: Variable | null = null;
  /** The moving mean (non-trainable). */
  movingMean: Variable | null = null;
  /** The moving variance (non-trainable). */
  movingVariance: Variable | null = null;
  /** Renorm state (only with `renorm`). */
  movingStddev: Variable | null = null;
  renormMean: Variable | null = null;
  renormStddev: Variable | null = null;
  private reductionAxes: number[] = [];
  private featureAxis = -1;

  /** `new BatchNormalization()` or `new BatchNormalization({ axis: 1, momentum: 0.9 })`. */
  constructor(args: BatchNormalizationArgs = {}) {
    if (args.synchronized) throw new Error("Argument synchronized=True is only supported with the TensorFlow backend.");
    super(args);
    const axis = args.axis ?? -1;
    if (!Number.isInteger(axis)) throw new Error(`BatchNormalization: \`axis\` must be an integer. Received: axis=${String(axis)}`);
    this.axis = axis;
    this.synchronized = false;
    this.momentum = args.momentum ?? 0.99;
    this.epsilon = args.epsilon ?? 1e-3;
    this.center = args.center ?? true;
    this.scale = args.scale ?? true;
    this.betaInitializer = initializers.get(args.betaInitializer ?? "zeros");
    this.gammaInitializer = initializers.get(args.gammaInitializer ?? "ones");
    this.movingMeanInitializer = initializers.get(args.movingMeanInitializer ?? "zeros");
    this.movingVarianceInitializer = initializers.get(args.movingVarianceInitializer ?? "ones");
    this.betaRegularizer = regularizers.get(args.betaRegularizer);
    this.gammaRegularizer = regularizers.get(args.gammaRegularizer);
    this.betaConstraint = constraints.get(args.betaConstraint);
    this.gammaConstraint = constraints.get(args.gammaConstraint);
    this.supportsMasking = true;
    this.renorm = args.renorm ?? false;
    let clipping = args.renormClipping ?? null;
    if (this.renorm) {
      clipping = clipping ?? {};
      const bad = Object.keys(clipping).filter((k) => !["rmax", "rmin", "dmax"].includes(k));
      if (bad.length) {
        throw new Error(
          `Received invalid keys for \`renorm_clipping\` argument: ${JSON.stringify(clipping)}. Supported values: ['rmax', 'rmin', 'dmax'].`,
        );
      }
      const { rmax, rmin, dmax } = clipping;
      if (rmax != null && rmin != null && rmax < rmin) {
        throw new Error(`rmax should be greater than rmin in the \`renorm_clipping\` argument. Received: rmax=${rmax}, rmin=${rmin}.`);
      }
      if (dmax != null && dmax < 0) {
        throw new Error(`dmax should be non-negative in the \`renorm_clipping\` argument. Received: dmax=${dmax}.`);
      }
    }
    this.renormClipping = clipping;
    this.renormMomentum = args.renormMomentum ?? 0.99;
  }

  override build(inputShape: unknown): void {
    const shape = singleShape(inputShape, this.name);
    const ax = canonicalAxis(this.axis, shape.length, this.name);
    const dim = shape[ax];
    if (dim === null || dim === undefined) {
      throw new Error(`Layer "${this.name}" (BatchNormalization) needs a known size on axis ${this.axis}. Received: input_shape=${JSON.stringify(shape)}`);
    }
    const wshape = [dim];
    if (this.scale) {
      this.gamma = this.addWeight({
        shape: wshape,
        name: "gamma",
        initializer: this.gammaInitializer,
        regularizer: this.gammaRegularizer,
        constraint: this.gammaConstraint,
        trainable: true,
        autocast: false,
      });
    }
    if (this.center) {
      this.beta = this.addWeight({
        shape: wshape,
        name: "beta",
        initializer: this.betaInitializer,
        regularizer: this.betaRegularizer,
        constraint: this.betaConstraint,
        trainable: true,
        autocast: false,
      });
    }
    this.movingMean = this.addWeight({ shape: wshape, name: "moving_mean", initializer: this.movingMeanInitializer, trainable: false, autocast: false });
    this.movingVariance = this.addWeight({
      shape: wshape,
      name: "moving_variance",
      initializer: this.movingVarianceInitializer,
      trainable: false,
      autocast: false,
    });
    if (this.renorm) {
      const varInit = this.movingVarianceInitializer;
      const stddevInit = (s: number[], dtype?: string): Tensor =>
        tf.tidy(() => tf.sqrt(varInit.clone().call(s, dtype as "float32")));
      this.movingStddev = this.addWeight({ shape: wshape, name: "moving_stddev", initializer: stddevInit, trainable: false, autocast: false });
      this.renormMean = this.addWeight({
        shape: wshape,
        name: "renorm_mean",
        initializer: this.movingMeanInitializer.clone(),
        trainable: false,
        autocast: false,
      });
      this.renormStddev = this.addWeight({ shape: wshape, name: "renorm_stddev", initializer: stddevInit, trainable: false, autocast: false });
    }
    this.inputSpec = new InputSpec({ ndim: shape.length, axes: { [this.axis]: dim } });
    this.featureAxis = ax;
    this.reductionAxes = shape.map((_, i) => i).filter((i) => i !== ax);
    this.built = true;
  }

  override call(inputs: unknown, kwargs: CallArgs = {}): Tensor {
    const x = toFloat(singleTensor(inputs, this.name));
    const mask = kwargs.mask instanceof tf.Tensor ? kwargs.mask : null;
    if (mask && mask.rank !== x.rank - 1) {
      throw new Error(
        `The mask provided should be one dimension less than the inputs. Received: mask.shape=[${mask.shape}], inputs.shape=[${x.shape}]`,
      );
    }
    const movingMean = (this.movingMean as Variable).value;
    const movingVariance = (this.movingVariance as Variable).value;
    let gamma: Tensor | null = this.gamma ? this.gamma.value : null;
    let beta: Tensor | null = this.beta ? this.beta.value : null;
    let mean: Tensor;
    let variance: Tensor;
    if (kwargs.training === true && this.trainable) {
      [mean, variance] = this.moments(x, mask);
      if (this.renorm) {
        const { r, d } = this.renormCorrection(mean, variance);
        const rs = stopGradient(r);
        const ds = stopGradient(d);
        const effGamma = gamma ? tf.mul(rs, gamma) : rs;
        let effBeta = gamma ? tf.mul(ds, gamma) : ds;
        if (beta) effBeta = tf.add(effBeta, beta);
        gamma = effGamma;
        beta = effBeta;
        this.updateRenormStatistics(mean, variance);
      } else {
        const m = this.momentum;
        (this.movingMean as Variable).assign(tf.add(tf.mul(movingMean, m), tf.mul(stopGradient(mean), 1 - m)));
        (this.movingVariance as Variable).assign(tf.add(tf.mul(movingVariance, m), tf.mul(stopGradient(variance), 1 - m)));
      }
    } else {
      mean = movingMean;
      variance = movingVariance;
    }
    return this.normalize(x, mean, variance, beta, gamma);
  }

  /** `(x - mean) * gamma / sqrt(var + eps) + beta`, statistics broadcast along the feature axis. */
  private normalize(x: Tensor, mean: Tensor, variance: Tensor, beta: Tensor | null, gamma: Tensor | null): Tensor {
    const bshape = x.shape.map((_, i) => (i === this.featureAxis ? x.shape[i] : 1));
    const re = (t: Tensor): Tensor => (this.featureAxis === x.rank - 1 ? t : tf.reshape(t, bshape));
    let inv = tf.rsqrt(tf.add(re(variance), this.epsilon));
    if (gamma) inv = tf.mul(inv, re(gamma));
    let res = tf.mul(tf.neg(re(mean)), inv);
    if (beta) res = tf.add(res, re(beta));
    return tf.add(tf.mul(x, inv), res);
  }

  /** Batch mean and variance over the reduction axes (masked entries excluded). */
  private moments(x: Tensor, mask: Tensor | null): [Tensor, Tensor] {
    const axes = this.reductionAxes;
    if (!mask) {
      const mean = tf.mean(x, axes, true);
      const variance = tf.sub(tf.mean(tf.square(x), axes, true), tf.square(mean));
      return [tf.reshape(mean, [-1]), tf.reshape(variance, [-1])];
    }
    const mb = tf.broadcastTo(tf.expandDims(tf.cast(mask, "bool"), -1), x.shape);
    const w = tf.cast(mb, "float32");
    const eps = configEpsilon();
    const sumW = tf.sum(w, axes, true);
    const mean = tf.div(tf.sum(tf.mul(x, w), axes, true), tf.add(sumW, eps));
    const diff = tf.mul(tf.sub(x, mean), w);
    const variance = tf.div(tf.sum(tf.square(diff), axes, true), tf.add(sumW, eps));
    return [tf.reshape(mean, [-1]), tf.reshape(variance, [-1])];
  }

  private renormCorrection(mean: Tensor, variance: Tensor): { r: Tensor; d: Tensor } {
    const stddev = tf.sqrt(tf.add(variance, this.epsilon));
    const renormMean = (this.renormMean as Variable).value;
    const renormStddev = tf.maximum((this.renormStddev as Variable).value, Math.sqrt(this.epsilon));
    let r = tf.div(stddev, renormStddev);
    let d = tf.div(tf.sub(mean, renormMean), renormStddev);
    const c = this.renormClipping ?? {};
    if (c.rmin != null) r = tf.maximum(r, c.rmin);
    if (c.rmax != null) r = tf.minimum(r, c.rmax);
    if (c.dmax != null) d = tf.clipByValue(d, -c.dmax, c.dmax);
    return { r, d };
  }

  private updateRenormStatistics(mean: Tensor, variance: Tensor): void {
    const m0 = stopGradient(mean);
    const stddev = stopGradient(tf.sqrt(tf.add(variance, this.epsilon)));
    const rm = this.renormMomentum;
    const m = this.momentum;
    const renormMean = this.renormMean as Variable;
    const renormStddev = this.renormStddev as Variable;
    const movingStddev = this.movingStddev as Variable;
    renormMean.assign(tf.add(tf.mul(renormMean.value, rm), tf.mul(m0, 1 - rm)));
    renormStddev.assign(tf.add(tf.mul(renormStddev.value, rm), tf.mul(stddev, 1 - rm)));
    (this.movingMean as Variable).assign(tf.add(tf.mul((this.movingMean as Variable).value, m), tf.mul(m0, 1 - m)));
    const newStddev = tf.add(tf.mul(movingStddev.value, m), tf.mul(stddev, 1 - m));
    movingStddev.assign(newStddev);
    (this.movingVariance as Variable).assign(tf.relu(tf.sub(tf.mul(newStddev, newStddev), this.epsilon)));
  }

  override computeOutputShape(inputShape: unknown): Shape {
    const shape = singleShape(inputShape, this.name);
    if (this.axis >= shape.length || this.axis < -shape.length) {
      throw new Error(`Axis ${this.axis} is out of bounds for input shape ${JSON.stringify(shape)}. Received: axis=${this.axis}`);
    }
    return shape;
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      axis: this.axis,
      momentum: this.momentum,
      epsilon: this.epsilon,
      center: this.center,
      scale: this.scale,
      beta_initializer: serializeInitializer(this.betaInitializer),
      gamma_initializer: serializeInitializer(this.gammaInitializer),
      moving_mean_initializer: serializeInitializer(this.movingMeanInitializer),
      moving_variance_initializer: serializeInitializer(this.movingVarianceInitializer),
      beta_regularizer: serializeRegularizer(this.betaRegularizer),
      gamma_regularizer: serializeRegularizer(this.gammaRegularizer),
      beta_constraint: serializeConstraint(this.betaConstraint),
      gamma_constraint: serializeConstraint(this.gammaConstraint),
      synchronized: this.synchronized,
      renorm: this.renorm,
      renorm_clipping: this.renormClipping,
      renorm_momentum: this.renormMomentum,
    };
  }
}
registerBuiltin("keras.layers", BatchNormalization);
