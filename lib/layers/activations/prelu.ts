/**
 * PReLU (Keras's `layers/activations/prelu.py`).
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
  serializeConstraint,
  serializeInitializer,
  serializeRegularizer,
  singleShape,
  singleTensor,
  toFloat,
} from "../layer-utils.js";

/** Options of PReLU. */
export interface PReLUArgs extends LayerArgs {
  /** Initializer of the slopes `alpha`. Default `"Zeros"`. */
  alphaInitializer?: InitializerLike;
  /** Regularizer of `alpha`. Default none. */
  alphaRegularizer?: RegularizerLike | null;
  /** Constraint of `alpha`. Default none. */
  alphaConstraint?: ConstraintLike | null;
  /**
   * Axes (1-based, the batch axis is 0) along which the slopes are shared,
   * e.g. `[1, 2]` for one slope per channel of `[batch, h, w, c]` images. Default none.
   */
  sharedAxes?: number | readonly number[] | null;
}

/**
 * Parametric rectified linear unit: `x` for `x >= 0`, `alpha * x` otherwise,
 * with a learned slope `alpha` per input unit (shape of the input without
 * the batch axis, size 1 on `sharedAxes`).
 *
 * ```ts
 * layers.PReLU({ sharedAxes: [1, 2] })(images);
 * ```
 */
export class PReLU extends Layer {
  /** Initializer of alpha. */
  readonly alphaInitializer: Initializer;
  /** Regularizer of alpha, or null. */
  readonly alphaRegularizer: Regularizer | null;
  /** Constraint of alpha, or null. */
  readonly alphaConstraint: Constraint | null;
  /** The shared axes (1-based), or null. */
  readonly sharedAxes: number[] | null;
  /** The learned slopes (created by `build`). */
  alpha: Variable | null = null;

  /** `new PReLU()` or `new PReLU({ alphaInitializer: "ones", sharedAxes: [1] })`. */
  constructor(args: PReLUArgs = {}) {
    super(args);
    this.supportsMasking = true;
    this.alphaInitializer = initializers.get(args.alphaInitializer ?? "Zeros");
    this.alphaRegularizer = regularizers.get(args.alphaRegularizer);
    this.alphaConstraint = constraints.get(args.alphaConstraint);
    const sa = args.sharedAxes ?? null;
    this.sharedAxes = sa === null ? null : typeof sa === "number" ? [sa] : [...sa];
  }

  override build(inputShape: unknown): void {
    const shape = singleShape(inputShape, this.name);
    const paramShape = shape.slice(1);
    if (this.sharedAxes) for (const i of this.sharedAxes) paramShape[i - 1] = 1;
    if (paramShape.some((d) => d === null)) {
      throw new Error(
        `Layer "${this.name}" (PReLU) needs known sizes on the non-shared axes. Received: input_shape=${JSON.stringify(shape)}; ` +
          "set `sharedAxes` for the unknown ones.",
      );
    }
    this.alpha = this.addWeight({
      shape: paramShape as number[],
      name: "alpha",
      initializer: this.alphaInitializer,
      regularizer: this.alphaRegularizer,
      constraint: this.alphaConstraint,
    });
    const axes: Record<number, number> = {};
    if (this.sharedAxes && this.sharedAxes.length) {
      for (let i = 1; i < shape.length; i++) {
        const d = shape[i];
        if (!this.sharedAxes.includes(i) && d !== null) axes[i] = d;
      }
    }
    this.inputSpec = new InputSpec({ ndim: shape.length, axes });
    this.built = true;
  }

  override call(inputs: unknown, _kwargs?: CallArgs): Tensor {
    const x = toFloat(singleTensor(inputs, this.name));
    const alpha = (this.alpha as Variable).value;
    return tf.sub(tf.relu(x), tf.mul(alpha, tf.relu(tf.neg(x))));
  }

  override computeOutputShape(inputShape: unknown): Shape {
    return inputShape as Shape;
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      alpha_initializer: serializeInitializer(this.alphaInitializer),
      alpha_regularizer: serializeRegularizer(this.alphaRegularizer),
      alpha_constraint: serializeConstraint(this.alphaConstraint),
      shared_axes: this.sharedAxes ? [...this.sharedAxes] : null,
    };
  }
}
registerBuiltin("keras.layers", PReLU);
