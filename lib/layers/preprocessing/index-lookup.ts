/**
 * IndexLookup: the shared base of StringLookup and IntegerLookup (Keras's
 * `layers/preprocessing/index_lookup.py`): maps vocabulary terms to integer
 * indices (or back, with `invert`), with mask and out-of-vocabulary (OOV)
 * indices, `adapt()` by term frequency, and one_hot / multi_hot / count /
 * tf_idf encodings. Not exported as a Keras layer.
 *
 * The vocabulary lives in JS (a Map), not in tensors; it is saved in the
 * `.keras` archive as the asset `vocabulary.txt` (`saveAssets`/`loadAssets`)
 * unless it was given to the constructor (then it is in the config).
 */
import { tf, type Tensor } from "../../backend/tfjs.js";
import type { KerasTensor, Shape } from "../../backend/keras-tensor.js";
import { Variable } from "../../backend/variable.js";
import type { ArrayToStore, StoredArray } from "../../saving/h5-store.js";
import { Layer, type CallArgs, type LayerArgs, type LayerInput, type LayerOutput } from "../layer.js";
import { singleShape } from "../layer-utils.js";
import { hashBucketFast, hashBucketStrong } from "./hash.js";
import {
  type AdaptOptions,
  type AssetsDir,
  type CategoricalOutputMode,
  type StringData,
  encodeCategorical,
  encodedShape,
  flatData,
  forEachBatch,
  isBatchStream,
  specOf,
  stringsToTensors,
  thenFinalize,
} from "./preprocessing-utils.js";

/** A vocabulary term: a string (StringLookup) or an integer (IntegerLookup). */
export type Token = string | number;

/** Output modes of the lookup layers (`"binary"` and `"tf-idf"` are accepted as Keras's old names). */
export type LookupOutputMode = "int" | "one_hot" | "multi_hot" | "count" | "tf_idf" | "binary" | "tf-idf";

/** Options shared by StringLookup and IntegerLookup. */
export interface IndexLookupArgs<T extends Token> extends LayerArgs {
  /** Maximum vocabulary size, counting the mask and OOV indices; null for no cap. Default null. */
  maxTokens?: number | null;
  /** Number of OOV indices; with more than 1, OOV terms are hashed into them. Default 1. */
  numOovIndices?: number;
  /** The term that stands for masked (padding) inputs: index 0 in `"int"` mode, dropped otherwise. Default null (no mask). */
  maskToken?: T | null;
  /** The term returned for OOV indices with `invert`. */
  oovToken?: T | null;
  /** The vocabulary (array or 1-D tensor of terms); then `adapt` is not needed. Default null. */
  vocabulary?: readonly T[] | Tensor | null;
  /** With `outputMode: "tf_idf"` and a `vocabulary`: the IDF weights, one per term. */
  idfWeights?: readonly number[] | Tensor | null;
  /** Map indices back to terms (only with `outputMode: "int"`). Default false. */
  invert?: boolean;
  /** `"int"` (default), `"one_hot"`, `"multi_hot"`, `"count"` or `"tf_idf"`. */
  outputMode?: LookupOutputMode;
  /** In multi_hot / count / tf_idf modes: pad the output to `maxTokens` columns. Default false. */
  padToMaxTokens?: boolean;
  /** Sparse outputs are not supported by tskeras; must be false. */
  sparse?: boolean;
  /** How integer OOV terms pick one of several OOV indices: `"floormod"` (default) or `"farmhash"`. */
  oovMethod?: "floormod" | "farmhash";
  /** With several OOV indices: SipHash64 with this key (one integer, or two) instead of FarmHash64. Default null. */
  salt?: number | readonly [number, number] | null;
  /** Set by `fromConfig`: the vocabulary size recorded when the layer was saved. */
  vocabularySize?: number | null;
  /** Set by TextVectorization: whether a vocabulary was given (then `adapt` is refused). */
  hasInputVocabulary?: boolean;
}

const MODES = ["int", "one_hot", "multi_hot", "count", "tf_idf"];

/** Compares two strings by Unicode code points (the order of their UTF-8 bytes, as NumPy sorts bytes). */
function compareCodePoints(a: string, b: string): number {
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  for (;;) {
    const x = ia.next();
    const y = ib.next();
    if (x.done) return y.done ? 0 : -1;
    if (y.done) return 1;
    const cx = x.value.codePointAt(0)!;
    const cy = y.value.codePointAt(0)!;
    if (cx !== cy) return cx < cy ? -1 : 1;
  }
}

function compareTokens(a: Token, b: Token): number {
  if (typeof a === "number" && typeof b === "number") return a < b ? -1 : a > b ? 1 : 0;
  return compareCodePoints(String(a), String(b));
}

function toList(x: readonly number[] | readonly Token[] | Tensor, what: string): Token[] {
  if (x instanceof tf.Tensor) {
    if (x.rank !== 1) throw new Error(`\`${what}\` must be 1-D. Received a tensor of shape [${x.shape}].`);
    return flatData(x).values;
  }
  if (!Array.isArray(x)) throw new TypeError(`\`${what}\` must be an array or a 1-D tensor. Received: ${typeof x}`);
  return [...(x as Token[])];
}

/** The base of the lookup layers (not a public Keras layer). */
export abstract class IndexLookup<T extends Token> extends Layer {
  /** Maximum vocabulary size (with mask and OOV indices), or null. */
  readonly maxTokens: number | null;
  /** Number of OOV indices. */
  readonly numOovIndices: number;
  /** The mask term, or null. */
  readonly maskToken: T | null;
  /** The term returned for OOV indices by an inverted layer. */
  readonly oovToken: T | null;
  /** Whether the layer maps indices to terms. */
  readonly invert: boolean;
  /** The output encoding. */
  readonly outputMode: CategoricalOutputMode;
  /** Whether encodings are padded to `maxTokens` columns. */
  readonly padToMaxTokens: boolean;
  /** Always false in tskeras. */
  readonly sparse: boolean;
  /** How integer OOV terms are bucketed. */
  readonly oovMethod: "floormod" | "farmhash";
  /** SipHash key for OOV buckets, or null for FarmHash64. */
  readonly salt: [number, number] | null;
  /** `"string"` or `"int64"`, as Keras names the vocabulary dtype. */
  readonly vocabularyDtype: "string" | "int64";
  /** The vocabulary given to the constructor (kept for `getConfig`), or null. */
  protected inputVocabulary: Token[] | null;
  /** The IDF weights given to the constructor (kept for `getConfig`), or null. */
  protected inputIdfWeights: number[] | null;
  /** Whether the vocabulary was given rather than adapted. */
  protected hasInputVocabulary: boolean;
  private tokens: T[] = [];
  private tokenIndex = new Map<Token, number>();
  private idf: Float32Array | null = null;
  private frozenVocabSize: number | null;
  private tokenCounts = new Map<Token, number>();
  private docCounts = new Map<Token, number>();
  private numDocuments = 0;

  constructor(args: IndexLookupArgs<T>, vocabularyDtype: "string" | "int64", defaultOovToken: T) {
    const maxTokens = args.maxTokens ?? null;
    const numOov = args.numOovIndices ?? 1;
    let outputMode = (args.outputMode ?? "int") as string;
    if (outputMode === "binary") outputMode = "multi_hot";
    if (outputMode === "tf-idf") outputMode = "tf_idf";
    if (maxTokens !== null && maxTokens <= 1) {
      throw new Error(`If set, \`max_tokens\` must be greater than 1. Received: max_tokens=${maxTokens}`);
    }
    if (args.padToMaxTokens && maxTokens === null) {
      throw new Error(`If pad_to_max_tokens is True, must set \`max_tokens\`. Received: max_tokens=${maxTokens}`);
    }
    if (!Number.isInteger(numOov) || numOov < 0) {
      throw new Error(`\`num_oov_indices\` must be greater than or equal to 0. Received: num_oov_indices=${numOov}`);
    }
    const oovMethod = args.oovMethod ?? "floormod";
    if (oovMethod !== "floormod" && oovMethod !== "farmhash") {
      throw new Error(`The \`oov_method\` argument must be one of "floormod", "farmhash". Received: oov_method=${String(oovMethod)}`);
    }
    if (!MODES.includes(outputMode)) {
      throw new Error(`The \`output_mode\` argument must be one of ${MODES.map((m) => `"${m}"`).join(", ")}. Received: output_mode=${outputMode}`);
    }
    if (args.invert && outputMode !== "int") {
      throw new Error(`\`output_mode\` must be \`'int'\` when \`invert\` is true. Received: output_mode=${outputMode}`);
    }
    if (args.sparse) throw new Error("`sparse=True` is not supported by tskeras (no sparse tensors): use dense outputs.");
    if (args.idfWeights != null && outputMode !== "tf_idf") {
      throw new Error(`\`idf_weights\` should only be set if \`output_mode\` is \`'tf_idf'\`. Received: output_mode=${outputMode}`);
    }
    let salt: [number, number] | null = null;
    if (args.salt != null) {
      if (vocabularyDtype === "int64" && oovMethod !== "farmhash") {
        throw new Error(`\`salt\` can only be used when \`oov_method='farmhash'\`. Received: oov_method=${oovMethod}`);
      }
      if (Array.isArray(args.salt) && args.salt.length === 2) salt = [args.salt[0], args.salt[1]];
      else if (typeof args.salt === "number" && Number.isInteger(args.salt)) salt = [args.salt, args.salt];
      else throw new Error(`The \`salt\` argument can only be a tuple of 2 integers, or a single integer. Received: salt=${JSON.stringify(args.salt)}.`);
    }
    if (typeof args.vocabulary === "string") {
      throw new Error(
        "Vocabulary files are not supported by tskeras: read the file and pass its lines as `vocabulary` " +
          `(e.g. \`readFileSync(path, "utf8").split("\\n")\`). Received: vocabulary="${String(args.vocabulary)}"`,
      );
    }
    const { dtype: _dtype, ...rest } = args;
    super({ ...rest, dtype: null });
    this.maxTokens = maxTokens;
    this.numOovIndices = numOov;
    this.maskToken = args.maskToken ?? null;
    this.oovToken = args.oovToken === undefined ? defaultOovToken : args.oovToken;
    this.invert = args.invert ?? false;
    this.outputMode = outputMode as CategoricalOutputMode;
    this.padToMaxTokens = args.padToMaxTokens ?? false;
    this.sparse = false;
    this.oovMethod = oovMethod;
    this.salt = salt;
    this.vocabularyDtype = vocabularyDtype;
    this.frozenVocabSize = args.vocabularySize ?? null;
    this.inputVocabulary = args.vocabulary != null ? toList(args.vocabulary, "vocabulary") : null;
    this.inputIdfWeights = args.idfWeights != null ? (toList(args.idfWeights, "idf_weights") as number[]) : null;
    this.hasInputVocabulary = args.hasInputVocabulary ?? args.vocabulary != null;
    this.inputDtype = this.invert || vocabularyDtype === "int64" ? "int32" : "string";
    if (this.outputMode === "tf_idf" && this.hasInputVocabulary && args.vocabulary != null && args.idfWeights == null) {
      throw new Error("When specifying the `vocabulary` argument, in TF-IDF output mode, the `idf_weights` argument must also be provided.");
    }
    if (this.inputVocabulary !== null) this.setVocabulary(this.inputVocabulary as T[], this.inputIdfWeights);
  }

  // ---------------------------------------------------------------- indices

  /** Index of the first OOV slot: 1 when a mask token takes index 0 (int mode), else 0. */
  protected oovStartIndex(): number {
    return this.maskToken !== null && this.outputMode === "int" ? 1 : 0;
  }

  /** Index of the first vocabulary term. */
  protected tokenStartIndex(): number {
    return this.oovStartIndex() + this.numOovIndices;
  }

  /** The vocabulary size, with the mask and OOV indices. */
  vocabularySize(): number {
    return this.tokens.length + this.tokenStartIndex();
  }

  /**
   * The vocabulary: with `includeSpecialTokens` (default true) the mask and
   * OOV terms come first, so a term's position is its index.
   */
  getVocabulary(includeSpecialTokens = true): T[] {
    const start = this.tokenStartIndex();
    const vocab: T[] = [];
    for (let i = 0; i < start; i++) vocab.push(this.oovToken as T);
    if (this.maskToken !== null && this.outputMode === "int" && start > 0) vocab[0] = this.maskToken;
    vocab.push(...this.tokens);
    return includeSpecialTokens ? vocab : vocab.slice(start);
  }

  /** The IDF weights in use (tf_idf mode), one per output column, or null. */
  getIdfWeights(): number[] | null {
    return this.idf ? Array.from(this.idf) : null;
  }

  /** Converts a term read from data or a file to the vocabulary's type. */
  protected abstract toToken(v: unknown): T;

  /**
   * Sets the vocabulary (and, in tf_idf mode, the IDF weights) directly,
   * replacing any: an array or 1-D tensor of terms, which may start with the
   * mask and OOV terms in that order.
   */
  setVocabulary(vocabulary: readonly T[] | Tensor, idfWeights: readonly number[] | Tensor | null = null): void {
    if (this.outputMode === "tf_idf") {
      if (idfWeights == null) throw new Error("`idf_weights` must be set if output_mode is 'tf_idf'.");
    } else if (idfWeights != null) {
      throw new Error(`\`idf_weights\` should only be set if output_mode is \`'tf_idf'\`. Received: output_mode=${this.outputMode}`);
    }
    const vocab = toList(vocabulary as readonly Token[] | Tensor, "vocabulary").map((v) => this.toToken(v));
    if (vocab.length === 0) throw new Error("Cannot set an empty vocabulary. Received: vocabulary=[]");
    const oovStart = this.oovStartIndex();
    const tokenStart = this.tokenStartIndex();
    const special: (T | null)[] = [...Array(oovStart).fill(this.maskToken), ...Array(this.numOovIndices).fill(this.oovToken)];
    const foundSpecial = vocab.length >= tokenStart && special.every((s, i) => s === vocab[i]);
    const tokens = foundSpecial ? vocab.slice(tokenStart) : vocab;
    const seen = new Set<Token>();
    const repeated = new Set<Token>();
    for (const t of tokens) (seen.has(t) ? repeated : seen).add(t);
    if (repeated.size > 0) {
      throw new Error(
        `The passed vocabulary has at least one repeated term. Please uniquify your dataset. The repeated terms are: ${JSON.stringify([...repeated])}`,
      );
    }
    if (this.maskToken !== null && seen.has(this.maskToken)) {
      throw new Error(
        "Found reserved mask token at unexpected location in `vocabulary`. Note that passed `vocabulary` does not need to " +
          "include the OOV and mask tokens. Either remove all mask and OOV tokens, or include them only at the start of the " +
          `vocabulary in precisely this order: ${JSON.stringify(special)}. Received: mask_token=${JSON.stringify(this.maskToken)}`,
      );
    }
    if (this.oovToken !== null && this.invert && seen.has(this.oovToken)) {
      throw new Error(
        "Found reserved OOV token at unexpected location in `vocabulary`. Note that passed `vocabulary` does not need to " +
          "include the OOV and mask tokens. Either remove all mask and OOV tokens, or include them only at the start of the " +
          `vocabulary in precisely this order: ${JSON.stringify(special)}. Received: oov_token=${JSON.stringify(this.oovToken)}`,
      );
    }
    const newSize = tokenStart + tokens.length;
    if (this.maxTokens !== null && newSize > this.maxTokens) {
      throw new Error(
        `Attempted to set a vocabulary larger than the maximum vocab size. Received vocabulary size is ${newSize}; \`max_tokens\` is ${this.maxTokens}.`,
      );
    }
    this.setTokens(tokens);
    if (this.outputMode === "tf_idf" && idfWeights != null) {
      const w = toList(idfWeights, "idf_weights") as number[];
      if (w.length !== vocab.length) {
        throw new Error(`\`idf_weights\` must be the same length as vocabulary. len(idf_weights) is ${w.length}; len(vocabulary) is ${vocab.length}`);
      }
      const front = foundSpecial ? 0 : tokenStart;
      const frontValue = foundSpecial ? 0 : w.reduce((a, b) => a + b, 0) / w.length;
      const back = this.padToMaxTokens && this.maxTokens !== null ? this.maxTokens - front - w.length : 0;
      this.idf = Float32Array.from([...Array(front).fill(frontValue), ...w, ...Array(Math.max(back, 0)).fill(0)]);
    }
  }

  private setTokens(tokens: T[]): void {
    this.tokens = tokens;
    this.tokenIndex = new Map();
    const start = this.tokenStartIndex();
    tokens.forEach((t, i) => this.tokenIndex.set(t, start + i));
    this.recordVocabularySize();
  }

  private recordVocabularySize(): void {
    const size = this.vocabularySize();
    if (this.outputMode !== "int" && !this.padToMaxTokens && this.built && this.frozenVocabSize !== null && size !== this.frozenVocabSize) {
      throw new Error(
        `When using \`output_mode=${this.outputMode}\` and \`pad_to_max_tokens=False\`, the vocabulary size cannot be changed after the layer is called. ` +
          `Old vocab size is ${this.frozenVocabSize}, new vocab size is ${size}`,
      );
    }
    this.frozenVocabSize = size;
  }

  // ---------------------------------------------------------------- adapt

  /**
   * Builds the vocabulary from data: terms sorted by frequency, ties broken
   * by the terms in descending order (as Keras), cut to `maxTokens`. In
   * tf_idf mode it also learns the IDF weights `log(1 + docs / (1 + docCount))`
   * (each row of the data is a document). `data`: an array or tensor, or an
   * iterable of batches (async iterables and datasets make it return a Promise).
   */
  adapt(data: unknown, options: AdaptOptions = {}): void | Promise<void> {
    this.resetState();
    if (!isBatchStream(data)) {
      const d = flatData(data);
      if (d.shape.length === 1) d.shape = [d.shape[0], 1];
      this.updateStateFlat(d.values, d.shape);
      this.finalizeState();
      return;
    }
    return thenFinalize(
      forEachBatch(data, (b) => this.updateState(b), options.steps ?? null),
      () => this.finalizeState(),
    );
  }

  /** Accumulates the term counts of one batch (Keras's `update_state`). */
  updateState(data: unknown): void {
    const d = flatData(data);
    this.updateStateFlat(d.values, d.shape);
  }

  private updateStateFlat(values: Token[], shape: number[]): void {
    // A rank-0 or rank-1 batch is one document; otherwise each row (first axis) is one.
    const rows = shape.length <= 1 ? 1 : shape[0];
    const per = rows === 0 ? 0 : values.length / rows;
    const docs: Token[][] = [];
    for (let r = 0; r < rows; r++) docs.push(values.slice(r * per, (r + 1) * per));
    this.updateStateRows(docs);
  }

  /** Accumulates term counts from documents given as lists of terms (each list is one document for tf_idf). */
  updateStateRows(docs: readonly (readonly Token[])[]): void {
    if (this.hasInputVocabulary) {
      throw new Error(`Cannot adapt layer '${this.name}' after setting a static vocabulary via \`vocabulary\` argument or \`set_vocabulary()\` method.`);
    }
    for (const doc of docs) {
      const tokens = doc.map((v) => this.toToken(v));
      for (const t of tokens) this.tokenCounts.set(t, (this.tokenCounts.get(t) ?? 0) + 1);
      if (this.outputMode === "tf_idf") {
        for (const t of new Set(tokens)) this.docCounts.set(t, (this.docCounts.get(t) ?? 0) + 1);
      }
    }
    if (this.outputMode === "tf_idf") this.numDocuments += docs.length;
  }

  /** Turns the accumulated counts into the vocabulary (Keras's `finalize_state`). */
  finalizeState(): void {
    if (this.hasInputVocabulary || this.tokenCounts.size === 0) {
      this.recordVocabularySize();
      return;
    }
    if (this.maskToken !== null) this.tokenCounts.delete(this.maskToken);
    if (this.oovToken !== null) this.tokenCounts.delete(this.oovToken);
    let entries = [...this.tokenCounts.entries()];
    entries.sort((a, b) => (a[1] !== b[1] ? b[1] - a[1] : -compareTokens(a[0], b[0])));
    if (this.maxTokens) entries = entries.slice(0, Math.max(this.maxTokens - this.tokenStartIndex(), 0));
    const tokens = entries.map((e) => e[0] as T);
    this.setTokens(tokens);
    if (this.outputMode === "tf_idf") {
      const w = tokens.map((t) => Math.log(1 + this.numDocuments / (1 + (this.docCounts.get(t) ?? 0))));
      const mean = w.length ? w.reduce((a, b) => a + b, 0) / w.length : NaN;
      const front = Array(this.tokenStartIndex()).fill(mean);
      const full = [...front, ...w];
      const back = this.padToMaxTokens && this.maxTokens !== null ? Math.max(this.maxTokens - full.length, 0) : 0;
      this.idf = Float32Array.from([...full, ...Array(back).fill(0)]);
    }
    this.resetState();
  }

  /** Clears the counts accumulated by `updateState`. */
  resetState(): void {
    if (this.hasInputVocabulary) return;
    this.tokenCounts = new Map();
    this.docCounts = new Map();
    this.numDocuments = 0;
  }

  // ---------------------------------------------------------------- call

  /** The lookup layers take JS strings too: `layer(["a", "b"])`. */
  override apply<I extends LayerInput | StringData>(inputs: I, kwargs: CallArgs = {}): LayerOutput<I> {
    return applyWithStrings(inputs, (x) => super.apply(x, kwargs)) as LayerOutput<I>;
  }

  override build(_inputShape?: unknown): void {
    this.built = true;
  }

  /** Keras's lookup layers record an empty build config. */
  override getBuildConfig(): Record<string, unknown> | null {
    return {};
  }

  override buildFromConfig(_config: Record<string, unknown> | null | undefined): void {
    this.maybeBuild(null);
  }

  private depth(): number {
    if (this.padToMaxTokens) return this.maxTokens as number;
    if (this.frozenVocabSize === null) {
      throw new Error(
        `When using \`output_mode=${this.outputMode}\` and \`pad_to_max_tokens=False\`, you must set the layer's vocabulary before calling it. ` +
          "Either pass a `vocabulary` argument to the layer, or call `adapt` with some sample data.",
      );
    }
    return this.frozenVocabSize;
  }

  /** Looks up flat values: the int32 indices (forward). */
  protected lookupIndices(values: Token[]): Int32Array {
    const out = new Int32Array(values.length);
    const oovStart = this.oovStartIndex();
    const maskValue = this.outputMode === "int" ? 0 : -1;
    const oov: Token[] = [];
    for (let i = 0; i < values.length; i++) {
      const v = this.toToken(values[i]);
      if (this.maskToken !== null && v === this.maskToken) {
        out[i] = maskValue;
        continue;
      }
      const idx = this.tokenIndex.get(v);
      if (idx !== undefined) {
        out[i] = idx;
      } else if (this.numOovIndices === 0) {
        oov.push(v);
      } else if (this.numOovIndices === 1) {
        out[i] = oovStart;
      } else {
        out[i] = oovStart + this.oovBucket(v);
      }
    }
    if (oov.length > 0) {
      throw new Error(
        `Layer '${this.name}': when \`num_oov_indices=0\` all inputs should be in vocabulary, found OOV values ${JSON.stringify(oov)}, ` +
          "consider setting `num_oov_indices=1`.",
      );
    }
    return out;
  }

  private oovBucket(v: Token): number {
    const n = this.numOovIndices;
    if (typeof v === "number" && this.oovMethod !== "farmhash") return ((v % n) + n) % n;
    const s = String(v);
    return this.salt ? hashBucketStrong(s, n, this.salt) : hashBucketFast(s, n);
  }

  /** Maps flat indices back to terms (invert). */
  protected lookupTokens(indices: number[]): T[] {
    const start = this.tokenStartIndex();
    return indices.map((i) => {
      if (this.maskToken !== null && i === 0) return this.maskToken;
      const k = i - start;
      return k >= 0 && k < this.tokens.length ? this.tokens[k] : (this.oovToken as T);
    });
  }

  /** Runs the lookup on a concrete tensor of terms (or of indices with `invert`); the caller owns the result. */
  lookupTensor(x: Tensor): Tensor {
    const { values, shape } = flatData(x);
    if (this.invert) {
      const terms = this.lookupTokens(values.map(Number));
      return this.vocabularyDtype === "string"
        ? tf.tensor(terms as string[], shape, "string")
        : tf.tensor(terms as number[], shape, "int32");
    }
    const indices = tf.tensor(this.lookupIndices(values), shape, "int32");
    if (this.outputMode === "int") return indices;
    const depth = this.depth();
    return tf.tidy(() => {
      const enc = encodeCategorical(indices, this.outputMode === "tf_idf" ? "count" : this.outputMode, depth, "float32");
      if (this.outputMode !== "tf_idf") return enc;
      if (!this.idf) throw new Error("When `output_mode` is `'tf_idf'`, `idf_weights` must be provided.");
      return tf.mul(enc, tf.tensor1d(this.idf.length === depth ? this.idf : Float32Array.from({ length: depth }, (_, i) => this.idf![i] ?? 0)));
    });
  }

  override call(inputs: unknown, _kwargs?: CallArgs): Tensor {
    const x = inputs instanceof Variable ? inputs.value : inputs;
    if (!(x instanceof tf.Tensor)) throw new Error(`Layer '${this.name}' expects one tensor (or an array of terms) as input.`);
    return this.lookupTensor(x);
  }

  override computeOutputShape(inputShape: unknown): Shape {
    const shape = singleShape(inputShape, this.name);
    if (this.outputMode === "int") return shape;
    const depth = this.padToMaxTokens ? this.maxTokens : this.frozenVocabSize;
    return encodedShape(shape, this.outputMode, depth);
  }

  override computeOutputSpec(args: unknown[], _kwargs: Record<string, unknown>): KerasTensor {
    const shape = this.computeOutputShape([...((args[0] as KerasTensor).shape ?? [])]);
    const dtype = this.outputMode !== "int" ? "float32" : this.invert && this.vocabularyDtype === "string" ? "string" : "int32";
    return specOf(shape, dtype);
  }

  // ---------------------------------------------------------------- saving

  /** In tf_idf mode, the IDF weights as the stored variable `idf_weights` (Keras's `save_own_variables`). */
  saveOwnVariables(): (ArrayToStore & { key?: string })[] {
    if (this.outputMode !== "tf_idf" || !this.idf) return [];
    return [{ key: "idf_weights", data: Float32Array.from(this.idf), shape: [this.idf.length], dtype: "float32" }];
  }

  /** Reads the stored `idf_weights` in tf_idf mode (Keras's `load_own_variables`). */
  loadOwnVariables(values: StoredArray[], _path?: string): void {
    if (this.outputMode !== "tf_idf") return;
    const v = values.find((a) => a.key === "idf_weights") ?? values[0];
    if (v) this.idf = Float32Array.from(v.data as ArrayLike<number>);
  }

  /** Writes `vocabulary.txt` (one term a line, special terms first) unless the vocabulary is in the config. */
  saveAssets(dir: AssetsDir): void {
    if (this.inputVocabulary !== null) return;
    dir.writeFile("vocabulary.txt", this.getVocabulary(true).map((w) => String(w)).join("\n"));
  }

  /** Reads `vocabulary.txt` written by `saveAssets` (or by Keras). */
  loadAssets(dir: AssetsDir): void {
    if (this.inputVocabulary !== null) return;
    const bytes = dir.readFile("vocabulary.txt");
    if (bytes === undefined) {
      const file = `assets/${dir.path ? `${dir.path}/` : ""}vocabulary.txt`;
      throw new Error(
        `Layer '${this.name}' (${this.className}) cannot load its vocabulary: '${file}' is missing from the .keras archive. ` +
          "The vocabulary was adapted (it is not in the layer's config), so it is saved as an asset; this file's `assets/` " +
          "folder is missing or incomplete. Re-save the model with `model.save(...)`, which writes it.",
      );
    }
    const lines = new TextDecoder().decode(bytes).split(/\r\n|\n|\r/);
    while (lines.length && lines[lines.length - 1] === "") lines.pop();
    if (lines.length === 0) return;
    const values = lines.map((l) => this.toToken(l));
    const prevInput = this.hasInputVocabulary;
    this.hasInputVocabulary = false;
    try {
      this.setVocabulary(values, this.outputMode === "tf_idf" ? (this.idf ? Array.from(this.idf) : null) : null);
    } finally {
      this.hasInputVocabulary = prevInput;
    }
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      invert: this.invert,
      max_tokens: this.maxTokens,
      num_oov_indices: this.numOovIndices,
      oov_token: this.oovToken,
      mask_token: this.maskToken,
      output_mode: this.outputMode,
      sparse: this.sparse,
      pad_to_max_tokens: this.padToMaxTokens,
      vocabulary_dtype: this.vocabularyDtype,
      idf_weights: this.inputIdfWeights,
      vocabulary: this.inputVocabulary,
      vocabulary_size: this.frozenVocabSize,
      oov_method: this.oovMethod,
      salt: this.salt,
    };
  }
}

/**
 * Calls `run` with JS strings in `inputs` turned into string tensors,
 * freeing those tensors afterwards (unless returned).
 */
export function applyWithStrings(inputs: unknown, run: (x: LayerInput) => unknown): unknown {
  const { inputs: converted, created } = stringsToTensors(inputs);
  let out: unknown;
  try {
    out = run(converted as LayerInput);
    return out;
  } finally {
    for (const t of created) if (t !== out && !t.isDisposed) t.dispose();
  }
}
