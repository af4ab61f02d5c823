/**
 * AdditiveAttention: Bahdanau-style attention
 * (Keras's `layers/attention/additive_attention.py`).
 */
import { tf, type Tensor } from "../../backend/tfjs.js";
import { registerBuiltin } from "../../saving/object-registration.js";
import { Attention, type AttentionArgs } from "./attention.js";

/** Options of AdditiveAttention. */
export interface AdditiveAttentionArgs extends Omit<AttentionArgs, "scoreMode" | "useScale"> {
  /** Whether a learned per-feature `scale` (shape `[dim]`) multiplies the tanh terms. Default true. */
  useScale?: boolean;
}

/**
 * Additive attention: `scores = sum(scale * tanh(query + key), -1)` over the
 * feature axis, then softmax over the value steps and the weighted sum of
 * `value`. Called on `[query, value]` or `[query, value, key]`, with the same
 * masks, `returnAttentionScores` and `useCausalMask` as `Attention`.
 *
 * ```ts
 * const out = layers.AdditiveAttention().apply([query, value]);
 * ```
 */
export class AdditiveAttention extends Attention {
  /** `new AdditiveAttention()` or `new AdditiveAttention({ useScale: false, dropout: 0.1 })`. */
  constructor(args: AdditiveAttentionArgs = {}) {
    super({ ...args, useScale: args.useScale ?? true, scoreMode: "dot" });
  }

  override build(inputShape: unknown): void {
    this.validateInputs(inputShape);
    const shapes = inputShape as (number | null)[][];
    const dim = shapes[0][shapes[0].length - 1];
    if (this.useScale) {
      if (dim === null) throw new Error(`Layer "${this.name}" (AdditiveAttention) needs a known last dimension of the query.`);
      this.scale = this.addWeight({ name: "scale", shape: [dim], initializer: "glorot_uniform", trainable: true });
    }
    this.built = true;
  }

  protected override calculateScores(query: Tensor, key: Tensor): Tensor {
    const t = tf.tanh(tf.add(tf.expandDims(query, -2), tf.expandDims(key, -3)));
    return tf.sum(this.scale ? tf.mul(this.scale.value, t) : t, -1);
  }

  override getConfig(): Record<string, unknown> {
    const config = super.getConfig();
    delete config.score_mode;
    return config;
  }
}
registerBuiltin("keras.layers", AdditiveAttention);
