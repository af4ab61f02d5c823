/**
 * IntegerLookup: maps integers to indices from a vocabulary (Keras's
 * `layers/preprocessing/integer_lookup.py`).
 */
import { registerBuiltin } from "../../saving/object-registration.js";
import { IndexLookup, type IndexLookupArgs } from "./index-lookup.js";

/** Options of IntegerLookup. */
export interface IntegerLookupArgs extends IndexLookupArgs<number> {
  /** The dtype of the vocabulary; only `"int64"` (default, held as int32 tensors). */
  vocabularyDtype?: string;
}

/**
 * Maps integer features to contiguous indices (or back, with `invert`). The
 * OOV term is `-1` by default and takes index 0 (after the mask term when
 * `maskToken` is set); with several OOV indices, OOV values go to
 * `value mod numOovIndices` (`oovMethod: "floormod"`, default) or to a
 * FarmHash64 bucket of their decimal string (`"farmhash"`, as Keras).
 *
 * ```ts
 * const layer = layers.IntegerLookup({ vocabulary: [12, 36, 1138, 42] });
 * layer([[12, 1138, 42], [42, 1000, 36]]);   // [[1, 3, 4], [4, 0, 2]]
 * ```
 */
export class IntegerLookup extends IndexLookup<number> {
  constructor(args: IntegerLookupArgs = {}) {
    const vocabularyDtype = args.vocabularyDtype ?? "int64";
    if (vocabularyDtype !== "int64") {
      throw new Error(`Only \`vocabulary_dtype='int64'\` is supported at this time. Received: vocabulary_dtype=${vocabularyDtype}`);
    }
    if (args.maxTokens != null && args.maxTokens <= 1) {
      throw new Error(`If \`max_tokens\` is set for \`IntegerLookup\`, it must be greater than 1. Received: max_tokens=${args.maxTokens}`);
    }
    super(args, "int64", -1);
  }

  protected override toToken(v: unknown): number {
    const n = typeof v === "number" ? v : Number(v);
    if (!Number.isFinite(n)) throw new Error(`IntegerLookup: expected integer terms. Received: ${JSON.stringify(v)}`);
    return Math.trunc(n);
  }

  /** Computes the vocabulary from integers (arrays, tensors, or an iterable of batches). */
  override adapt(data: unknown, options: { steps?: number | null } = {}): void | Promise<void> {
    return super.adapt(data, options);
  }
}
registerBuiltin("keras.layers", IntegerLookup);
