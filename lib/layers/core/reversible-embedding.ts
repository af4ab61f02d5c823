/**
 * ReversibleEmbedding (Keras's `layers/core/reversible_embedding.py`): an
 * Embedding that can also project vectors back to logits over the vocabulary.
 */
import { tf, type Tensor } from "../../backend/tfjs.js";
import { KerasTensor, type Shape } from "../../backend/keras-tensor.js";
import type { Variable } from "../../backend/variable.js";
import type { DType } from "../../backend/dtypes.js";
import { registerBuiltin } from "../../saving/object-registration.js";
import type { CallArgs, LayerInput, LayerOutput } from "../layer.js";
import { singleShape, singleTensor, toFloat } from "../layer-utils.js";
import { Embedding, type EmbeddingArgs } from "./embedding.js";

/** Options of ReversibleEmbedding. */
export interface ReversibleEmbeddingArgs extends EmbeddingArgs {
  /** Reuse the transposed embeddings for the reverse projection; otherwise learn `reverse_embeddings`. Default true. */
  tieWeights?: boolean;
  /** A dtype the reverse projection is computed in. Default none (the compute dtype). */
  reverseDtype?: string | null;
  /** If set, reverse logits are soft-capped: `tanh(logits / cap) * cap`. Default none. */
  logitSoftCap?: number | null;
}

/** Call options of ReversibleEmbedding. */
export interface ReversibleEmbeddingCallArgs extends CallArgs {
  /** Project `(..., outputDim)` vectors to `(..., inputDim)` logits instead of embedding ids. Default false. */
  reverse?: boolean;
}

/**
 * An Embedding whose `reverse` call maps hidden vectors back to vocabulary
 * logits, with the transposed embedding matrix (`tieWeights: true`) or a
 * separate `reverse_embeddings` matrix, as in language models with tied
 * input/output embeddings.
 *
 * ```ts
 * const emb = layers.ReversibleEmbedding(1000, 64);
 * const h = emb.apply(ids);                         // (batch, seq, 64)
 * const logits = emb.apply(h, { reverse: true });   // (batch, seq, 1000)
 * ```
 */
export class ReversibleEmbedding extends Embedding {
  /** Whether the reverse projection reuses the embeddings. */
  readonly tieWeights: boolean;
  /** The dtype of the reverse projection, or null. */
  readonly reverseDtype: string | null;
  /** The logits' soft cap, or null. */
  readonly logitSoftCap: number | null;
  /** The untied reverse projection `[outputDim, inputDim]` (null when tied). */
  reverseEmbeddings: Variable | null = null;
  private reverseCall = false;

  /** `new ReversibleEmbedding(inputDim, outputDim, options)` or `new ReversibleEmbedding({ inputDim, outputDim, ... })`. */
  constructor(inputDim: number | ReversibleEmbeddingArgs, outputDim?: number, args: ReversibleEmbeddingArgs = {}) {
    const opts: ReversibleEmbeddingArgs =
      typeof inputDim === "object" && inputDim !== null ? { ...inputDim } : { ...args, inputDim, outputDim };
    super(opts);
    this.tieWeights = opts.tieWeights ?? true;
    this.reverseDtype = opts.reverseDtype ?? null;
    this.logitSoftCap = opts.logitSoftCap ?? null;
  }

  override build(inputShape?: unknown): void {
    super.build(inputShape);
    if (!this.tieWeights && !this.reverseEmbeddings) {
      this.reverseEmbeddings = this.addWeight({
        name: "reverse_embeddings",
        shape: [this.outputDim, this.inputDim],
        initializer: this.embeddingsInitializer,
        trainable: true,
      });
    }
    this.built = true;
  }

  /** `emb.apply(ids)` embeds; `emb.apply(vectors, { reverse: true })` gives logits. */
  override apply<T extends LayerInput>(inputs: T, kwargs: ReversibleEmbeddingCallArgs = {}): LayerOutput<T> {
    const reverse = kwargs.reverse === true;
    const outerReverse = this.reverseCall;
    const outerDtype = this.inputDtype;
    this.reverseCall = reverse;
    if (reverse) this.inputDtype = "float32";
    try {
      return super.apply(inputs, kwargs);
    } finally {
      this.reverseCall = outerReverse;
      this.inputDtype = outerDtype;
    }
  }

  override call(inputs: unknown, kwargs: ReversibleEmbeddingCallArgs = {}): Tensor {
    if (kwargs.reverse !== true) return super.call(inputs, kwargs);
    let x = toFloat(singleTensor(inputs, this.name));
    let kernel: Tensor = this.tieWeights ? tf.transpose((this.embeddings as Variable).value) : (this.reverseEmbeddings as Variable).value;
    if (this.reverseDtype !== null) {
      x = tf.cast(x, this.reverseDtype as DType);
      kernel = tf.cast(kernel, this.reverseDtype as DType);
    }
    const shape = x.shape;
    const flat = tf.reshape(x, [-1, shape[shape.length - 1]]);
    let logits = tf.reshape(tf.matMul(flat, kernel), [...shape.slice(0, -1), this.inputDim]);
    if (this.logitSoftCap !== null) logits = tf.mul(tf.tanh(tf.div(logits, this.logitSoftCap)), this.logitSoftCap);
    return logits;
  }

  override computeMask(inputs: unknown, mask?: unknown): Tensor | null {
    if (this.reverseCall) return null;
    return super.computeMask(inputs, mask);
  }

  /** The output shape: `[...input, outputDim]`, or with `reverse` the input's with `inputDim` last. */
  override computeOutputShape(inputShape: unknown, reverse = false): Shape {
    const s = singleShape(inputShape, this.name);
    if (reverse) return [...s.slice(0, -1), this.inputDim];
    return [...s, this.outputDim];
  }

  override computeOutputSpec(args: unknown[], kwargs: Record<string, unknown>): unknown {
    const x = args[0] as { shape: Shape };
    return new KerasTensor(this.computeOutputShape([...x.shape], kwargs.reverse === true), { dtype: this.computeDtype });
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), tie_weights: this.tieWeights, reverse_dtype: this.reverseDtype, logit_soft_cap: this.logitSoftCap };
  }
}
registerBuiltin("keras.layers", ReversibleEmbedding);
