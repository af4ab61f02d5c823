/** PiecewiseConstantDecay: a constant learning rate per range of steps. */
import { tf, type Tensor } from "../../backend/tfjs.js";
import { convertToTensor, type TensorLike } from "../../ops/convert.js";
import { registerBuiltin } from "../../saving/object-registration.js";
import { LearningRateSchedule, isOptionsObject } from "./learning-rate-schedule.js";

/** Options of PiecewiseConstantDecay (Keras's arguments, camelCased). */
export interface PiecewiseConstantDecayOptions {
  /** Increasing step boundaries. */
  boundaries?: number[];
  /** One more value than boundaries: the rate up to `boundaries[0]`, between boundaries, and after the last. */
  values?: number[];
  /** Default `"PiecewiseConstant"`. */
  name?: string;
}

/**
 * Keras's `PiecewiseConstantDecay`: `values[0]` while `step <= boundaries[0]`,
 * `values[i]` while `boundaries[i-1] < step <= boundaries[i]`, and the last
 * value after the last boundary. Boundaries are compared in the step's dtype
 * (int32 for the optimizer's iteration counter), as Keras casts them.
 */
export class PiecewiseConstantDecay extends LearningRateSchedule {
  /** Keras's `boundaries` (see the constructor options for its default). */
  boundaries: number[];
  /** Keras's `values` (see the constructor options for its default). */
  values: number[];
  /** Keras's `name` (see the constructor options for its default). */
  name: string;

  constructor(boundaries: number[] | PiecewiseConstantDecayOptions, values?: number[], options: { name?: string } = {}) {
    super();
    const o: PiecewiseConstantDecayOptions = isOptionsObject(boundaries)
      ? boundaries
      : { ...options, boundaries, values };
    const b = o.boundaries ?? [];
    const v = o.values ?? [];
    if (b.length !== v.length - 1) {
      throw new Error(
        "The length of boundaries should be 1 less than the length of values. " +
          `Received: boundaries=[${b.join(", ")}] of length ${b.length}, and values=[${v.join(", ")}] of length ${v.length}.`,
      );
    }
    this.boundaries = [...b];
    this.values = [...v];
    this.name = o.name ?? "PiecewiseConstant";
  }

  override call(step: TensorLike): Tensor {
    return tf.tidy(() => {
      const s = convertToTensor(step);
      const bounds = this.boundaries.map((x) => tf.cast(tf.scalar(x, "float32"), s.dtype));
      const vals = this.values.map((x) => tf.scalar(x, "float32"));
      let result: Tensor = tf.scalar(0, "float32");
      result = tf.add(result, tf.mul(tf.cast(tf.lessEqual(s, bounds[0]), "float32"), vals[0]));
      result = tf.add(result, tf.mul(tf.cast(tf.greater(s, bounds[bounds.length - 1]), "float32"), vals[vals.length - 1]));
      for (let i = 0; i + 1 < bounds.length; i++) {
        const inRange = tf.logicalAnd(tf.greater(s, bounds[i]), tf.lessEqual(s, bounds[i + 1]));
        result = tf.add(result, tf.mul(tf.cast(inRange, "float32"), vals[i + 1]));
      }
      return result;
    });
  }

  override getConfig(): Record<string, unknown> {
    return { boundaries: [...this.boundaries], values: [...this.values], name: this.name };
  }
}

registerBuiltin("keras.optimizers.schedules", PiecewiseConstantDecay);
