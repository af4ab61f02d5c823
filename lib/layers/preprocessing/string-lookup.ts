/**
 * StringLookup: maps strings to integer indices from a vocabulary (Keras's
 * `layers/preprocessing/string_lookup.py`).
 */
import { registerBuiltin } from "../../saving/object-registration.js";
import type { CallArgs, LayerInput, LayerOutput } from "../layer.js";
import { IndexLookup, type IndexLookupArgs } from "./index-lookup.js";
import type { StringData } from "./preprocessing-utils.js";

/** Options of StringLookup. */
export interface StringLookupArgs extends IndexLookupArgs<string> {
  /** The text encoding of the inputs; only `"utf-8"` (default). */
  encoding?: string;
}

/**
 * Maps strings to integer indices (or, with `invert`, indices to strings).
 * Index 0 is the OOV term `"[UNK]"` by default (after the mask term when
 * `maskToken` is set); with `outputMode` `"one_hot"`, `"multi_hot"`,
 * `"count"` or `"tf_idf"` each sample is encoded as a float32 vector of
 * vocabulary size. The vocabulary is given or learned by `adapt()`.
 *
 * ```ts
 * const layer = layers.StringLookup({ vocabulary: ["a", "b", "c", "d"] });
 * layer([["a", "c", "d"], ["d", "z", "b"]]);   // [[1, 3, 4], [4, 0, 2]] (int32)
 * ```
 */
export class StringLookup extends IndexLookup<string> {
  /** The text encoding (`"utf-8"`). */
  readonly encoding: string;

  constructor(args: StringLookupArgs = {}) {
    const encoding = args.encoding ?? "utf-8";
    if (encoding.toLowerCase().replace("_", "-") !== "utf-8" && encoding.toLowerCase() !== "utf8") {
      throw new Error(`StringLookup: only the "utf-8" encoding is supported by tskeras. Received: encoding=${encoding}`);
    }
    super(args, "string", "[UNK]");
    this.encoding = encoding;
  }

  protected override toToken(v: unknown): string {
    return typeof v === "string" ? v : String(v);
  }

  /** Computes the vocabulary from strings (arrays, string tensors, or an iterable of batches). */
  override adapt(data: unknown, options: { steps?: number | null } = {}): void | Promise<void> {
    return super.adapt(data, options);
  }

  override getConfig(): Record<string, unknown> {
    const config: Record<string, unknown> = { ...super.getConfig(), encoding: this.encoding };
    delete config.vocabulary_dtype;
    return config;
  }
}
/** StringLookup instances are callable on strings: `layer(["a", "b"])`. */
export interface StringLookup {
  <I extends LayerInput | StringData>(inputs: I, kwargs?: CallArgs): LayerOutput<I>;
}
registerBuiltin("keras.layers", StringLookup);
