/**
 * GroupNormalization (Keras's `layers/normalization/group_normalization.py`).
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

/** Options of GroupNormalization. */
export interface GroupNormalizationArgs extends LayerArgs {
  /** Number of groups the channels are split into; must divide the channels. `-1` is instance normalization. Default 32. */
  groups?: number;
  /** The channels axis. Default -1. */
  axis?: number;
  /** Small float added to the variance. Default 1e-3. */
  epsilon?: number;
  /** Whether to add the learned offset `beta`. Default true. */
  center?: boolean;
  /** Whether to multiply by the learned scale `gamma`. Default true. */
  scale?: boolean;
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
 * Group normalization (Wu & He, 2018): the channels are split into `groups`
 * groups, and each group of each example is normalized by its own mean and
 * variance (over the group's channels and all the other non-batch axes).
 * `groups: 1` is layer normalization over all axes, `groups: -1` instance
 * normalization. `gamma` and `beta` are per channel.
 *
 * ```ts
 * layers.GroupNormalization({ groups: 4 })(images);  // channels divisible by 4
 * ```
 */
export class GroupNormalization extends Layer {
  /** The number of groups (`-1` until built for instance normalization). */
  groups: number;
  /** The channels axis. */
  readonly axis: number;
  /** Added to the variance. */
  readonly epsilon: number;
  /** Whether beta is added. */
  readonly center: boolean;
  /** Whether gamma multiplies. */
  readonly scale: boolean;
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
  /** The learned scale `[channels]` (null when `scale` is false). */
  gamma: Variable | null = null;
  /** The learned offset `[channels]` (null when `center` is false). */
  beta: Variable | null = null;

  /** `new GroupNormalization({ groups: 8 })`. */
  constructor(args: GroupNormalizationArgs = {}) {
    const groups = args.groups ?? 32;
    if (!Number.isInteger(groups) || (groups <= 0 && groups !== -1)) {
      throw new Error(
        `Received an invalid value for argument \`groups\`, expected a positive integer (or \`-1\` for instance normalization). Received: groups=${String(groups)}`,
      );
    }
    super(args);
    this.supportsMasking = true;
    this.groups = groups;
    this.axis = args.axis ?? -1;
    this.epsilon = args.epsilon ?? 1e-3;
    this.center = args.center ?? true;
    this.scale = args.scale ?? true;
    this.betaInitializer = initializers.get(args.betaInitializer ?? "zeros");
    this.gammaInitializer = initializers.get(args.gammaInitializer ?? "ones");
    this.betaRegularizer = regularizers.get(args.betaRegularizer);
    this.gammaRegularizer = regularizers.get(args.gammaRegularizer);
    this.betaConstraint = constraints.get(args.betaConstraint);
    this.gammaConstraint = constraints.get(args.gammaConstraint);
  }

  override build(inputShape: unknown): void {
    const shape = singleShape(inputShape, this.name);
    const ax = canonicalAxis(this.axis, shape.length, this.name);
    const dim = shape[ax];
    if (dim === null) {
      throw new Error(`Axis ${this.axis} of input tensor should have a defined dimension but the layer received an input with shape ${JSON.stringify(shape)}.`);
    }
    if (this.groups === -1) this.groups = dim;
    if (dim < this.groups) throw new Error(`Number of groups (${this.groups}) cannot be more than the number of channels (${dim}).`);
    if (dim % this.groups !== 0) throw new Error(`Number of groups (${this.groups}) must be a multiple of the number of channels (${dim}).`);
    this.inputSpec = new InputSpec({ ndim: shape.length, axes: { [this.axis]: dim } });
    if (this.scale) {
      this.gamma = this.addWeight({
        name: "gamma",
        shape: [dim],
        initializer: this.gammaInitializer,
        regularizer: this.gammaRegularizer,
        constraint: this.gammaConstraint,
        autocast: false,
      });
    }
    if (this.center) {
      this.beta = this.addWeight({
        name: "beta",
        shape: [dim],
        initializer: this.betaInitializer,
        regularizer: this.betaRegularizer,
        constraint: this.betaConstraint,
        autocast: false,
      });
    }
    this.built = true;
  }

  override call(inputs: unknown, _kwargs?: CallArgs): Tensor {
    const x = toFloat(singleTensor(inputs, this.name));
    const rank = x.rank;
    const ax = canonicalAxis(this.axis, rank, this.name);
    const channels = x.shape[ax];
    // [batch, ..., groups, channels/groups, ...]
    const grouped = [...x.shape];
    grouped.splice(ax, 1, this.groups, channels / this.groups);
    const g = tf.reshape(x, grouped);
    const reduce: number[] = [];
    for (let i = 1; i < grouped.length; i++) if (i !== ax) reduce.push(i);
    const mean = tf.mean(g, reduce, true);
    const variance = tf.mean(tf.square(tf.sub(g, mean)), reduce, true);
    const bshape = grouped.map(() => 1);
    bshape[ax] = this.groups;
    bshape[ax + 1] = channels / this.groups;
    let inv = tf.rsqrt(tf.add(variance, this.epsilon));
    if (this.gamma) inv = tf.mul(inv, tf.reshape(this.gamma.value, bshape));
    let res = tf.mul(tf.neg(mean), inv);
    if (this.beta) res = tf.add(res, tf.reshape(this.beta.value, bshape));
    return tf.reshape(tf.add(tf.mul(g, inv), res), x.shape);
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
      groups: this.groups,
      axis: this.axis,
      epsilon: this.epsilon,
      center: this.center,
      scale: this.scale,
      beta_initializer: serializeInitializer(this.betaInitializer),
      gamma_initializer: serializeInitializer(this.gammaInitializer),
      beta_regularizer: serializeRegularizer(this.betaRegularizer),
      gamma_regularizer: serializeRegularizer(this.gammaRegularizer),
      beta_constraint: serializeConstraint(this.betaConstraint),
      gamma_constraint: serializeConstraint(this.gammaConstraint),
    };
  }
}
registerBuiltin("keras.layers", GroupNormalization);
