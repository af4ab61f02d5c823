/**
 * CategoryEncoding: one-hot, multi-hot or count encoding of integer
 * features (Keras's `layers/preprocessing/category_encoding.py`).
 */
import { tf, type Tensor } from "../../backend/tfjs.js";
import type { DType } from "../../backend/dtypes.js";
import type { KerasTensor, Shape } from "../../backend/keras-tensor.js";
import { convertToTensor, type TensorLike } from "../../ops/convert.js";
import { registerBuiltin } from "../../saving/object-registration.js";
import { Layer, type CallArgs, type LayerArgs } from "../layer.js";
import { singleShape, singleTensor } from "../layer-utils.js";
import { encodeCategorical, encodedShape, specOf } from "./preprocessing-utils.js";

/** Options of CategoryEncoding. */
export interface CategoryEncodingArgs extends LayerArgs {
  /** The number of tokens: inputs are integers in `[0, numTokens)` (also the first positional argument). */
  numTokens?: number;
  /** `"multi_hot"` (default), `"one_hot"` or `"count"` (`"binary"` is the old name of multi_hot). */
  outputMode?: "one_hot" | "multi_hot" | "count" | "binary";
  /** Sparse outputs are not supported by tskeras; must be false. */
  sparse?: boolean;
}

/** Call options of CategoryEncoding. */
export interface CategoryEncodingCallArgs extends CallArgs {
  /** In `"count"` mode: a weight per input value (same shape as the inputs), summed instead of counting 1. */
  countWeights?: TensorLike | null;
}

/**
 * Encodes integer features as float32 vectors of `numTokens`: `"one_hot"`
 * per element, `"multi_hot"` (1 for each index present in a sample, the
 * last axis) or `"count"` (how many times, optionally weighted by
 * `countWeights`). Values outside `[0, numTokens)` are dropped.
 *
 * ```ts
 * layers.CategoryEncoding(4, { outputMode: "one_hot" })([3, 2, 0, 1]);
 * ```
 */
export class CategoryEncoding extends Layer {
  /** The number of tokens (the output's last dimension). */
  readonly numTokens: number;
  /** The encoding. */
  readonly outputMode: "one_hot" | "multi_hot" | "count";
  /** Always false in tskeras. */
  readonly sparse: boolean;
  protected override inputDtype: DType | null = "int32";

  /** `new CategoryEncoding(4, { outputMode })` or `new CategoryEncoding({ numTokens: 4 })`. */
  constructor(numTokens?: number | CategoryEncodingArgs, args: CategoryEncodingArgs = {}) {
    const opts: CategoryEncodingArgs = typeof numTokens === "object" && numTokens !== null ? { ...numTokens } : { ...args, numTokens };
    let mode = opts.outputMode ?? "multi_hot";
    if (mode === "binary") mode = "multi_hot";
    if (!["count", "one_hot", "multi_hot"].includes(mode)) throw new Error(`Unknown arg for output_mode: ${String(mode)}`);
    if (opts.numTokens == null) {
      throw new Error(
        "num_tokens must be set to use this layer. If the number of tokens is not known beforehand, use the IntegerLookup layer instead.",
      );
    }
    if (opts.numTokens < 1) throw new Error(`\`num_tokens\` must be >= 1. Received: num_tokens=${opts.numTokens}.`);
    if (opts.sparse) throw new Error("CategoryEncoding: `sparse=True` is not supported by tskeras (no sparse tensors).");
    super(opts);
    this.numTokens = opts.numTokens;
    this.outputMode = mode as "one_hot" | "multi_hot" | "count";
    this.sparse = false;
  }

  override call(inputs: unknown, kwargs: CategoryEncodingCallArgs = {}): Tensor {
    const x = singleTensor(inputs, this.name);
    const cw = (kwargs.countWeights ?? (kwargs as Record<string, unknown>).count_weights ?? null) as TensorLike | null;
    if (cw != null && this.outputMode !== "count") {
      throw new Error("`count_weights` is not used when `output_mode` is not `'count'`.");
    }
    const w = cw == null ? null : convertToTensor(cw, "float32");
    const out = encodeCategorical(x, this.outputMode, this.numTokens, "float32", w);
    if (w && w !== cw) w.dispose();
    return this.computeDtype === "float32" ? out : tf.cast(out, this.computeDtype);
  }

  override computeOutputShape(inputShape: unknown): Shape {
    const s = singleShape(inputShape, this.name);
    if (s.length === 0) return [this.numTokens];
    if (this.outputMode === "one_hot" && s.length === 1) return [...s, this.numTokens];
    return encodedShape(s, this.outputMode, this.numTokens);
  }

  override computeOutputSpec(args: unknown[], _kwargs: Record<string, unknown>): KerasTensor {
    return specOf(this.computeOutputShape([...(args[0] as KerasTensor).shape]), "float32");
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), num_tokens: this.numTokens, output_mode: this.outputMode, sparse: this.sparse };
  }
}
registerBuiltin("keras.layers", CategoryEncoding);
