/**
 * TextVectorization: turns strings into token index sequences or
 * multi_hot / count / tf_idf vectors (Keras's
 * `layers/preprocessing/text_vectorization.py`).
 */
import { tf, type Tensor } from "../../backend/tfjs.js";
import type { KerasTensor, Shape } from "../../backend/keras-tensor.js";
import { Variable } from "../../backend/variable.js";
import type { ArrayToStore, StoredArray } from "../../saving/h5-store.js";
import { registerBuiltin } from "../../saving/object-registration.js";
import { deserializeKerasObject, serializeKerasObject } from "../../saving/serialization-lib.js";
import { Layer, type CallArgs, type LayerArgs, type LayerInput, type LayerOutput } from "../layer.js";
import { singleShape } from "../layer-utils.js";
import { applyWithStrings } from "./index-lookup.js";
import {
  type AdaptOptions,
  type AssetsDir,
  type StringData,
  encodedShape,
  flatData,
  forEachBatch,
  isBatchStream,
  specOf,
  thenFinalize,
} from "./preprocessing-utils.js";
import { StringLookup } from "./string-lookup.js";

/** A standardization: a name, or a function of one string. */
export type StandardizeLike = "lower_and_strip_punctuation" | "lower" | "strip_punctuation" | ((text: string) => string) | null;
/** A split: a name, or a function from one (standardized) string to its tokens. */
export type SplitLike = "whitespace" | "character" | ((text: string) => string[]) | null;

/** Options of TextVectorization. */
export interface TextVectorizationArgs extends LayerArgs {
  /** Maximum vocabulary size, with the padding and OOV tokens; only for `adapt` or `padToMaxTokens`. Default null. */
  maxTokens?: number | null;
  /**
   * `"lower_and_strip_punctuation"` (default), `"lower"`, `"strip_punctuation"`,
   * null, or a function `(text) => text` applied to each string. Lowercasing
   * maps ASCII letters only, as `tf.strings.lower`.
   */
  standardize?: StandardizeLike;
  /** `"whitespace"` (default), `"character"` (Unicode code points), null, or a function `(text) => tokens`. */
  split?: SplitLike;
  /** N-grams: an integer n (1..n-grams) or a list of sizes; null (default) for none. */
  ngrams?: number | readonly number[] | null;
  /** `"int"` (default), `"multi_hot"`, `"count"` or `"tf_idf"`. */
  outputMode?: "int" | "one_hot" | "multi_hot" | "count" | "tf_idf" | "binary" | "tf-idf";
  /** In int mode: pad or truncate each sequence to this length. Default null (the longest in the batch). */
  outputSequenceLength?: number | null;
  /** In multi_hot / count / tf_idf modes: pad the output to `maxTokens` columns. Default false. */
  padToMaxTokens?: boolean;
  /** The vocabulary (array or 1-D tensor of strings); then `adapt` is not needed. */
  vocabulary?: readonly string[] | Tensor | null;
  /** In tf_idf mode with a `vocabulary`: the IDF weights. */
  idfWeights?: readonly number[] | Tensor | null;
  /** Sparse outputs are not supported by tskeras; must be false. */
  sparse?: boolean;
  /** Ragged outputs are not supported by tskeras; must be false. */
  ragged?: boolean;
  /** Only `"utf-8"` (default). */
  encoding?: string;
  /** Set by `fromConfig`. */
  vocabularySize?: number | null;
  /** Set by `fromConfig`. */
  hasInputVocabulary?: boolean;
}

const PUNCTUATION = /[!"#$%&()*+,\-./:;<=>?@[\\\]^_`{|}~']/g;
const WHITESPACE = /[ \t\n\v\f\r]+/;

/**
 * Maps text to integer sequences (`"int"`) or to one vector per text
 * (`"multi_hot"`, `"count"`, `"tf_idf"`): standardize, split into tokens,
 * optionally form n-grams, then look the tokens up in a vocabulary (index 0
 * is padding, 1 the OOV token `"[UNK]"`). The vocabulary is given or learned
 * by `adapt(texts)` (most frequent first). Inputs are JS strings, arrays of
 * strings (`[batch]` or `[batch, 1]`) or string tensors; outputs are int32
 * (int mode) or float32 tensors.
 *
 * ```ts
 * const tv = layers.TextVectorization({ maxTokens: 5000, outputSequenceLength: 4 });
 * tv.adapt(["foo bar", "bar baz", "baz bada boom"]);
 * tv([["foo qux bar"], ["qux baz"]]);   // [[4, 1, 3, 0], [1, 2, 0, 0]]
 * ```
 */
export class TextVectorization extends Layer {
  readonly maxTokens: number | null;
  readonly standardize: StandardizeLike;
  readonly split: SplitLike;
  /** `ngrams` as given. */
  readonly ngramsArg: number | number[] | null;
  readonly outputMode: "int" | "one_hot" | "multi_hot" | "count" | "tf_idf";
  readonly outputSequenceLength: number | null;
  readonly encoding: string;
  private readonly ngramSizes: number[] | null;
  /** The StringLookup that holds the vocabulary (mask token `""`). */
  readonly lookupLayer: StringLookup;

  constructor(args: TextVectorizationArgs = {}) {
    const standardize = args.standardize === undefined ? "lower_and_strip_punctuation" : args.standardize;
    const split = args.split === undefined ? "whitespace" : args.split;
    if (standardize !== null && typeof standardize !== "function" && !["lower_and_strip_punctuation", "lower", "strip_punctuation"].includes(standardize)) {
      throw new Error(
        `The \`standardize\` argument of TextVectorization must be one of "lower_and_strip_punctuation", "lower", "strip_punctuation", null or a function. Received: standardize=${String(standardize)}`,
      );
    }
    if (split !== null && typeof split !== "function" && !["whitespace", "character"].includes(split)) {
      throw new Error(`The \`split\` argument of TextVectorization must be one of "whitespace", "character", null or a function. Received: split=${String(split)}`);
    }
    let outputMode = (args.outputMode ?? "int") as string;
    if (outputMode === "binary") outputMode = "multi_hot";
    if (outputMode === "tf-idf") outputMode = "tf_idf";
    if (!["int", "one_hot", "multi_hot", "count", "tf_idf"].includes(outputMode)) {
      throw new Error(`The \`output_mode\` argument must be one of "int", "one_hot", "multi_hot", "count", "tf_idf". Received: output_mode=${outputMode}`);
    }
    const ngrams = args.ngrams ?? null;
    if (!(ngrams === null || Number.isInteger(ngrams) || (Array.isArray(ngrams) && ngrams.every((n) => Number.isInteger(n))))) {
      throw new Error(`\`ngrams\` must be None, an integer, or a tuple of integers. Received: ngrams=${JSON.stringify(ngrams)}`);
    }
    const osl = args.outputSequenceLength ?? null;
    if (outputMode === "int" && osl !== null && !Number.isInteger(osl)) {
      throw new Error(`\`output_sequence_length\` must be either None or an integer when \`output_mode\` is 'int'. Received: output_sequence_length=${osl}`);
    }
    if (outputMode !== "int" && osl !== null) {
      throw new Error(`\`output_sequence_length\` must not be set if \`output_mode\` is not 'int'. Received output_sequence_length=${osl}.`);
    }
    if (args.ragged) throw new Error("TextVectorization: `ragged=True` is not supported by tskeras (no ragged tensors).");
    if (args.sparse) throw new Error("TextVectorization: `sparse=True` is not supported by tskeras (no sparse tensors).");
    const { dtype: _d, vocabulary, idfWeights, vocabularySize, hasInputVocabulary, ...base } = args;
    super({ ...base, dtype: null });
    this.maxTokens = args.maxTokens ?? null;
    this.standardize = standardize;
    this.split = split;
    this.ngramsArg = ngrams === null ? null : typeof ngrams === "number" ? ngrams : [...ngrams];
    this.ngramSizes = ngrams === null ? null : typeof ngrams === "number" ? Array.from({ length: ngrams }, (_, i) => i + 1) : [...ngrams];
    this.outputMode = outputMode as TextVectorization["outputMode"];
    this.outputSequenceLength = osl;
    this.encoding = args.encoding ?? "utf-8";
    this.inputDtype = "string";
    this.lookupLayer = new StringLookup({
      maxTokens: this.maxTokens,
      vocabulary: vocabulary ?? null,
      idfWeights: idfWeights ?? null,
      padToMaxTokens: args.padToMaxTokens ?? false,
      maskToken: "",
      outputMode: this.outputMode,
      hasInputVocabulary: hasInputVocabulary ?? vocabulary != null,
      encoding: this.encoding,
      vocabularySize: vocabularySize ?? null,
    });
  }

  /** Whether outputs are padded to `maxTokens`. */
  get padToMaxTokens(): boolean {
    return this.lookupLayer.padToMaxTokens;
  }

  // ---------------------------------------------------------------- text processing

  /** Standardizes one string. */
  standardizeText(s: string): string {
    const st = this.standardize;
    if (typeof st === "function") return String(st(s));
    let out = s;
    if (st === "lower" || st === "lower_and_strip_punctuation") out = out.replace(/[A-Z]+/g, (c) => c.toLowerCase());
    if (st === "strip_punctuation" || st === "lower_and_strip_punctuation") out = out.replace(PUNCTUATION, "");
    return out;
  }

  /** Splits one standardized string into tokens (then n-grams). */
  tokenize(s: string): string[] {
    const sp = this.split;
    let tokens: string[];
    if (typeof sp === "function") tokens = sp(s).map(String);
    else if (sp === "whitespace") tokens = s.split(WHITESPACE).filter((t) => t.length > 0);
    else if (sp === "character") tokens = Array.from(s);
    else tokens = [s];
    return this.ngramSizes ? this.ngrams(tokens) : tokens;
  }

  private ngrams(tokens: string[]): string[] {
    const out: string[] = [];
    for (const n of this.ngramSizes as number[]) {
      for (let i = 0; i + n <= tokens.length; i++) out.push(tokens.slice(i, i + n).join(" "));
    }
    return out;
  }

  /** Preprocesses a tensor or JS data of strings into token rows (one per text) and the batch shape. */
  private preprocess(data: unknown): { rows: string[][]; batchShape: number[]; rank: number } {
    const d = flatData(data);
    const strings = d.values.map((v) => this.standardizeText(String(v)));
    let shape = d.shape;
    if (this.split !== null) {
      if (shape.length > 1) {
        if (shape[shape.length - 1] !== 1) {
          throw new Error(
            `When using \`TextVectorization\` to tokenize strings, the input rank must be 1 or the last shape dimension must be 1. Received: inputs.shape=[${shape}] with rank=${shape.length}`,
          );
        }
        shape = shape.slice(0, -1);
      }
      return { rows: strings.map((s) => this.tokenize(s)), batchShape: shape, rank: d.shape.length };
    }
    // No split: the last axis holds the tokens of each row (a rank-0 or rank-1 input is one token per text).
    if (shape.length <= 1) return { rows: strings.map((s) => (this.ngramSizes ? this.ngrams([s]) : [s])), batchShape: shape, rank: d.shape.length };
    const last = shape[shape.length - 1];
    const rows: string[][] = [];
    for (let i = 0; i < strings.length; i += last) {
      const r = strings.slice(i, i + last);
      rows.push(this.ngramSizes ? this.ngrams(r) : r);
    }
    return { rows, batchShape: shape.slice(0, -1), rank: d.shape.length };
  }

  // ---------------------------------------------------------------- adapt

  /**
   * Learns the vocabulary (and IDF weights in tf_idf mode) from texts: an
   * array or string tensor, or an iterable of batches (async iterables and
   * datasets return a Promise). Tokens are ordered by frequency, ties by
   * descending token (as Keras).
   */
  adapt(data: unknown, options: AdaptOptions = {}): void | Promise<void> {
    this.lookupLayer.resetState();
    if (!isBatchStream(data)) {
      this.updateState(data);
      this.lookupLayer.finalizeState();
      return;
    }
    return thenFinalize(
      forEachBatch(data, (b) => this.updateState(b), options.steps ?? null),
      () => this.lookupLayer.finalizeState(),
    );
  }

  /** Adds the tokens of one batch of texts to the counts. */
  updateState(data: unknown): void {
    this.lookupLayer.updateStateRows(this.preprocess(data).rows);
  }

  /** Builds the vocabulary from the counts. */
  finalizeState(): void {
    this.lookupLayer.finalizeState();
  }

  /** Clears the counts. */
  resetState(): void {
    this.lookupLayer.resetState();
  }

  /** The vocabulary (with `""` and `"[UNK]"` first unless `includeSpecialTokens` is false). */
  getVocabulary(includeSpecialTokens = true): string[] {
    return this.lookupLayer.getVocabulary(includeSpecialTokens);
  }

  /** The vocabulary size, with the padding and OOV tokens. */
  vocabularySize(): number {
    return this.lookupLayer.vocabularySize();
  }

  /** Sets the vocabulary (and IDF weights in tf_idf mode). */
  setVocabulary(vocabulary: readonly string[] | Tensor, idfWeights: readonly number[] | Tensor | null = null): void {
    this.lookupLayer.setVocabulary(vocabulary, idfWeights);
  }

  // ---------------------------------------------------------------- call

  /** TextVectorization takes JS strings: `tv(["some text", "more"])`. */
  override apply<I extends LayerInput | StringData>(inputs: I, kwargs: CallArgs = {}): LayerOutput<I> {
    return applyWithStrings(inputs, (x) => super.apply(x, kwargs)) as LayerOutput<I>;
  }

  override build(_inputShape?: unknown): void {
    this.built = true;
  }

  override call(inputs: unknown, _kwargs?: CallArgs): Tensor {
    const x = inputs instanceof Variable ? inputs.value : Array.isArray(inputs) && inputs.length === 1 ? inputs[0] : inputs;
    if (!(x instanceof tf.Tensor)) throw new Error(`Layer '${this.name}' expects strings or a string tensor as input.`);
    const { rows, batchShape } = this.preprocess(x);
    let len = Math.max(0, ...rows.map((r) => r.length));
    if (this.outputMode === "int" && this.outputSequenceLength !== null) len = this.outputSequenceLength;
    const padded: string[] = [];
    for (const r of rows) for (let i = 0; i < len; i++) padded.push(i < r.length ? r[i] : "");
    const tokens = tf.tensor(padded, [rows.length, len], "string");
    try {
      const out = this.lookupLayer.lookupTensor(tokens);
      // Restore the batch dimensions (a scalar text gives a rank-1 output).
      const oneTokenPerText = this.split === null && batchShape.length === (x as Tensor).rank && this.outputMode === "int" && this.outputSequenceLength === null;
      const finalShape = oneTokenPerText ? [...batchShape] : [...batchShape, ...out.shape.slice(1)];
      return tf.util.arraysEqual(finalShape, out.shape) ? out : reshapeOwned(out, finalShape);
    } finally {
      tokens.dispose();
    }
  }

  override computeOutputShape(inputShape: unknown): Shape {
    const s = singleShape(inputShape, this.name);
    const batch = this.split !== null && s.length > 1 && s[s.length - 1] === 1 ? s.slice(0, -1) : this.split === null && s.length > 1 ? s.slice(0, -1) : s;
    if (this.outputMode === "int") return [...batch, this.outputSequenceLength];
    const depth = this.lookupLayer.padToMaxTokens ? this.maxTokens : (this.lookupLayer.getConfig().vocabulary_size as number | null);
    return encodedShape([...batch, null], this.outputMode === "one_hot" ? "multi_hot" : this.outputMode, depth);
  }

  override computeOutputSpec(args: unknown[], _kwargs: Record<string, unknown>): KerasTensor {
    return specOf(this.computeOutputShape([...(args[0] as KerasTensor).shape]), this.outputMode === "int" ? "int32" : "float32");
  }

  // ---------------------------------------------------------------- saving

  /** Keras stores the lookup layer under `_lookup_layer`. */
  saveableChildren(): Record<string, unknown> {
    return { _lookup_layer: this.lookupLayer };
  }

  saveOwnVariables(): (ArrayToStore & { key?: string })[] {
    return this.lookupLayer.saveOwnVariables();
  }

  loadOwnVariables(values: StoredArray[], path?: string): void {
    this.lookupLayer.loadOwnVariables(values, path);
  }

  /** Writes the vocabulary as `vocabulary.txt` (see StringLookup). */
  saveAssets(dir: AssetsDir): void {
    this.lookupLayer.saveAssets(dir);
  }

  /** Reads `vocabulary.txt`. */
  loadAssets(dir: AssetsDir): void {
    this.lookupLayer.loadAssets(dir);
  }

  override getConfig(): Record<string, unknown> {
    const lk = this.lookupLayer.getConfig();
    const ser = (f: unknown): unknown => (typeof f === "function" ? serializeKerasObject(f) : f);
    return {
      ...super.getConfig(),
      max_tokens: this.maxTokens,
      standardize: ser(this.standardize),
      split: ser(this.split),
      ngrams: this.ngramsArg,
      output_mode: this.outputMode,
      output_sequence_length: this.outputSequenceLength,
      pad_to_max_tokens: this.lookupLayer.padToMaxTokens,
      sparse: false,
      ragged: false,
      vocabulary: lk.vocabulary,
      idf_weights: lk.idf_weights,
      encoding: this.encoding,
      vocabulary_size: this.vocabularySize(),
    };
  }

  static override fromConfig<T extends Layer>(this: new (args: never) => T, config: Record<string, unknown>): T {
    const c = { ...config };
    for (const k of ["standardize", "split"]) {
      if (c[k] !== null && c[k] !== undefined && typeof c[k] !== "string" && typeof c[k] !== "function") c[k] = deserializeKerasObject(c[k]);
    }
    return (Layer.fromConfig as (this: unknown, c: Record<string, unknown>) => T).call(this, c);
  }
}
/** TextVectorization instances are callable on strings. */
export interface TextVectorization {
  <I extends LayerInput | StringData>(inputs: I, kwargs?: CallArgs): LayerOutput<I>;
}

function reshapeOwned(t: Tensor, shape: number[]): Tensor {
  const r = tf.reshape(t, shape);
  t.dispose();
  return r;
}
registerBuiltin("keras.layers", TextVectorization);
