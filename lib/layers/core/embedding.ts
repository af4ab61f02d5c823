/**
 * Embedding: turns integer indices into dense vectors (Keras's `layers/core/embedding.py`).
 */
import { tf, type Tensor } from "../../backend/tfjs.js";
import type { Shape } from "../../backend/keras-tensor.js";
import type { Variable } from "../../backend/variable.js";
import type { DType } from "../../backend/dtypes.js";
import * as initializers from "../../initializers/index.js";
import * as regularizers from "../../regularizers/index.js";
import * as constraints from "../../constraints/index.js";
import type { Initializer, InitializerLike } from "../../initializers/initializer.js";
import type { Regularizer, RegularizerLike } from "../../regularizers/regularizer.js";
import type { Constraint, ConstraintLike } from "../../constraints/constraint.js";
import type { TensorLike } from "../../ops/convert.js";
import { registerBuiltin } from "../../saving/object-registration.js";
import { Layer, type CallArgs, type LayerArgs } from "../layer.js";
import {
  serializeConstraint,
  serializeInitializer,
  serializeRegularizer,
  singleShape,
  singleTensor,
} from "../layer-utils.js";

/** Options of Embedding. */
export interface EmbeddingArgs extends LayerArgs {
  /** Size of the vocabulary: the largest index plus 1 (also the first positional argument). */
  inputDim?: number;
  /** Dimension of the dense embedding (also the second positional argument). */
  outputDim?: number;
  /** Initializer of the embeddings matrix. Default `"uniform"`: RandomUniform(-0.05, 0.05). */
  embeddingsInitializer?: InitializerLike;
  /** Regularizer of the embeddings matrix. Default none. */
  embeddingsRegularizer?: RegularizerLike | null;
  /** Constraint of the embeddings matrix. Default none. */
  embeddingsConstraint?: ConstraintLike | null;
  /**
   * Whether index 0 is a padding value to be masked out (then `inputDim`
   * should be the vocabulary size + 1). Default false.
   */
  maskZero?: boolean;
  /** Initial embeddings matrix `[inputDim, outputDim]` (builds the layer at once). */
  weights?: TensorLike | TensorLike[] | null;
  /** Deprecated in Keras 3 and ignored. */
  inputLength?: number | null;
  /** Keras's quantization config; only `null` is supported. */
  quantizationConfig?: null;
  /** LoRA is not supported by tskeras; must be null. */
  loraRank?: number | null;
  /** LoRA is not supported by tskeras; ignored. */
  loraAlpha?: number | null;
}

function positiveInt(v: unknown, name: string): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v <= 0) {
    throw new Error(`\`${name}\` must be a positive integer. Received: ${name}=${String(v)} (of type ${typeof v}).`);
  }
  return v;
}

/**
 * Turns nonnegative integers (indices) into dense vectors of fixed size:
 * `[[4], [20]] → [[0.25, 0.1], [0.6, -0.2]]`. Inputs of any shape give
 * outputs of shape `[...inputShape, outputDim]`.
 *
 * ```ts
 * const emb = layers.Embedding(1000, 64);
 * emb([[1, 2, 3]]).shape;   // [1, 3, 64]
 * ```
 */
export class Embedding extends Layer {
  /** Size of the vocabulary. */
  readonly inputDim: number;
  /** Size of each embedding vector. */
  readonly outputDim: number;
  /** Initializer of the embeddings. */
  readonly embeddingsInitializer: Initializer;
  /** Regularizer of the embeddings, or null. */
  readonly embeddingsRegularizer: Regularizer | null;
  /** Constraint of the embeddings, or null. */
  readonly embeddingsConstraint: Constraint | null;
  /** Whether index 0 is masked out. */
  readonly maskZero: boolean;
  /** The embeddings matrix `[inputDim, outputDim]` (created by `build`). */
  embeddings: Variable | null = null;
  /** Indices given as JS arrays become int32 tensors. */
  protected override inputDtype: DType | null = "int32";

  /** `new Embedding(1000, 64)` or `new Embedding({ inputDim: 1000, outputDim: 64 })`. */
  constructor(inputDim: number | EmbeddingArgs, outputDim?: number, args: EmbeddingArgs = {}) {
    const opts: EmbeddingArgs =
      typeof inputDim === "object" && inputDim !== null ? { ...inputDim } : { ...args, inputDim, outputDim };
    const inDim = positiveInt(opts.inputDim, "input_dim");
    const outDim = positiveInt(opts.outputDim, "output_dim");
    if (opts.loraRank) throw new Error("Embedding: LoRA (`loraRank`) is not supported by tskeras.");
    if (opts.quantizationConfig != null) throw new Error("Embedding: quantization is not supported by tskeras.");
    super(opts);
    this.inputDim = inDim;
    this.outputDim = outDim;
    this.embeddingsInitializer = initializers.get(opts.embeddingsInitializer ?? "uniform");
    this.embeddingsRegularizer = regularizers.get(opts.embeddingsRegularizer);
    this.embeddingsConstraint = constraints.get(opts.embeddingsConstraint);
    this.maskZero = opts.maskZero ?? false;
    this.supportsMasking = this.maskZero;
    if (opts.weights != null) {
      this.maybeBuild(null);
      const w = opts.weights;
      this.setWeights(Array.isArray(w) && w.length === 1 ? (w as TensorLike[]) : [w as TensorLike]);
    }
  }

  override build(_inputShape?: unknown): void {
    if (this.embeddings) return;
    this.embeddings = this.addWeight({
      name: "embeddings",
      shape: [this.inputDim, this.outputDim],
      initializer: this.embeddingsInitializer,
      regularizer: this.embeddingsRegularizer,
      constraint: this.embeddingsConstraint,
      trainable: true,
    });
    this.built = true;
  }

  override call(inputs: unknown, _kwargs?: CallArgs): Tensor {
    let x = singleTensor(inputs, this.name);
    if (x.dtype !== "int32") x = tf.cast(x, "int32");
    const table = (this.embeddings as Variable).value;
    const out = tf.gather(table, x, 0);
    return out.dtype === this.computeDtype ? out : tf.cast(out, this.computeDtype);
  }

  /** With `maskZero`, the mask `inputs != 0`; otherwise null. */
  override computeMask(inputs: unknown, _mask?: unknown): Tensor | null {
    if (!this.maskZero) return null;
    return tf.notEqual(singleTensor(inputs, this.name), 0);
  }

  override computeOutputShape(inputShape: unknown): Shape {
    return [...singleShape(inputShape, this.name), this.outputDim];
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      input_dim: this.inputDim,
      output_dim: this.outputDim,
      embeddings_initializer: serializeInitializer(this.embeddingsInitializer),
      embeddings_regularizer: serializeRegularizer(this.embeddingsRegularizer),
      activity_regularizer: serializeRegularizer(this.activityRegularizer),
      embeddings_constraint: serializeConstraint(this.embeddingsConstraint),
      mask_zero: this.maskZero,
      quantization_config: null,
    };
  }
}
registerBuiltin("keras.layers", Embedding);
