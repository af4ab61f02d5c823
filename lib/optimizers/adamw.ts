/** AdamW: Adam with decoupled weight decay. */
import { registerBuiltin } from "../saving/object-registration.js";
import { Adam, type AdamOptions } from "./adam.js";
import { optimizerArgs, type LearningRateLike } from "./optimizer.js";

/** Options of AdamW (Adam's, with `weightDecay` defaulting to 0.004). */
export type AdamWOptions = AdamOptions;

/**
 * Keras's `AdamW` (Loshchilov & Hutter, 2019): before each Adam update,
 * `w -= lr * weightDecay * w`. Default learning rate 0.001, weight decay 0.004.
 */
export class AdamW extends Adam {
  constructor(learningRate?: LearningRateLike | AdamWOptions, options?: AdamWOptions) {
    const o = optimizerArgs<AdamWOptions>(learningRate, options);
    super({ ...o, weightDecay: o.weightDecay === undefined ? 0.004 : o.weightDecay });
    if (this.weightDecay === null || this.weightDecay === undefined) {
      throw new Error("Argument `weight_decay` must be a float. Received: weight_decay=None");
    }
  }
}

registerBuiltin("keras.optimizers", AdamW);
