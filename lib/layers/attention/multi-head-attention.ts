/**
 * MultiHeadAttention (Keras's `layers/attention/multi_head_attention.py`):
 * query, key and value projected by EinsumDense layers, scaled dot-product
 * attention per head, and an output projection.
 */
import { tf, type Tensor } from "../../backend/tfjs.js";
import { KerasTensor, type Shape } from "../../backend/keras-tensor.js";
import { withNameScope } from "../../backend/name-scope.js";
import { getKerasMask } from "../../backend/masking.js";
import * as initializers from "../../initializers/index.js";
import * as regularizers from "../../regularizers/index.js";
import * as constraints from "../../constraints/index.js";
import type { Initializer, InitializerLike } from "../../initializers/initializer.js";
import type { Regularizer, RegularizerLike } from "../../regularizers/regularizer.js";
import type { Constraint, ConstraintLike } from "../../constraints/constraint.js";
import { convertToTensor, type TensorLike } from "../../ops/convert.js";
import { einsum } from "../../ops/numpy/linalg.js";
import { registerBuiltin } from "../../saving/object-registration.js";
import { EinsumDense } from "../core/einsum-dense.js";
import { Softmax } from "../activations/softmax.js";
import { Dropout } from "../regularization/dropout.js";
import { Layer, type CallArgs, type LayerArgs, type LayerInput, type LayerOutput } from "../layer.js";
import { isShapeLike, serializeConstraint, serializeInitializer, serializeRegularizer } from "../layer-utils.js";
import { causalMask } from "./attention.js";

/** Options of MultiHeadAttention. */
export interface MultiHeadAttentionArgs extends LayerArgs {
  /** Number of attention heads (also the first positional argument). */
  numHeads?: number;
  /** Size of each head for query and key (also the second positional argument). */
  keyDim?: number;
  /** Size of each head for value. Default: `keyDim`. */
  valueDim?: number | null;
  /** Dropout rate of the attention weights (while training). Default 0. */
  dropout?: number;
  /** Whether the projections have biases. Default true. */
  useBias?: boolean;
  /**
   * The output's last dimension(s) besides the batch and sequence dims.
   * Default: the query's last dimension.
   */
  outputShape?: number | readonly number[] | null;
  /** The axes attention runs over. Default: every axis but batch, heads and features. */
  attentionAxes?: number | readonly number[] | null;
  /** If set, each query position attends only to keys within `slidingWindow - 1` positions. Default none. */
  slidingWindow?: number | null;
  /** Accepted for compatibility; tskeras never uses a flash kernel. Default null. */
  flashAttention?: boolean | null;
  /** Initializer of the projection kernels. Default `"glorot_uniform"`. */
  kernelInitializer?: InitializerLike;
  /** Initializer of the projection biases. Default `"zeros"`. */
  biasInitializer?: InitializerLike;
  /** Regularizer of the kernels. Default none. */
  kernelRegularizer?: RegularizerLike | null;
  /** Regularizer of the biases. Default none. */
  biasRegularizer?: RegularizerLike | null;
  /** Constraint of the kernels. Default none. */
  kernelConstraint?: ConstraintLike | null;
  /** Constraint of the biases. Default none. */
  biasConstraint?: ConstraintLike | null;
  /** Gated attention: a sigmoid projection of the query multiplies the heads' output. Default false. */
  useGate?: boolean;
  /** Integer seed of the dropout. Default none. */
  seed?: number | null;
}

/** Call options of MultiHeadAttention and GroupedQueryAttention (Keras's snake_case names are accepted too). */
export interface MultiHeadAttentionCallArgs extends CallArgs {
  /** The value tensor `(B, S, dim)` (required). */
  value?: TensorLike | KerasTensor;
  /** The key tensor `(B, S, dim)`. Default: `value`. */
  key?: TensorLike | KerasTensor | null;
  /** Boolean mask `(B, T, S)`: 1 where a query position may attend a key position. */
  attentionMask?: TensorLike | KerasTensor | null;
  /** Mask of the query steps `(B, T)`. Default: the query's Keras mask. */
  queryMask?: TensorLike | null;
  /** Mask of the value steps `(B, S)`. Default: the value's Keras mask. */
  valueMask?: TensorLike | null;
  /** Mask of the key steps `(B, S)`. Default: the key's Keras mask. */
  keyMask?: TensorLike | null;
  /** Return `[output, scores]`. Default false. */
  returnAttentionScores?: boolean;
  /** Apply a causal (lower-triangular) mask. Default false. */
  useCausalMask?: boolean;
}

const CALL_KEYS: [string, string][] = [
  ["value", "value"],
  ["key", "key"],
  ["attentionMask", "attention_mask"],
  ["queryMask", "query_mask"],
  ["valueMask", "value_mask"],
  ["keyMask", "key_mask"],
  ["returnAttentionScores", "return_attention_scores"],
  ["useCausalMask", "use_causal_mask"],
];

/** The call options with Keras's snake_case keys (so a Functional config reads as Keras writes it). */
export function canonicalAttentionKwargs(kwargs: CallArgs): CallArgs {
  const out: CallArgs = {};
  const renamed = new Set(CALL_KEYS.map(([c]) => c));
  for (const [k, v] of Object.entries(kwargs)) if (!renamed.has(k)) out[k] = v;
  for (const [camel, snake] of CALL_KEYS) {
    const v = kwargs[camel] !== undefined ? kwargs[camel] : kwargs[snake];
    if (v !== undefined && v !== null && v !== false) out[snake] = v;
  }
  return out;
}

/** The shape of a call argument (tensor, KerasTensor or JS data). */
export function shapeOfArg(x: unknown): Shape {
  if (x instanceof tf.Tensor || x instanceof KerasTensor) return [...x.shape];
  const t = convertToTensor(x as TensorLike);
  const s = [...t.shape];
  if (t !== x) t.dispose();
  return s;
}

/** A call argument as a float tensor (JS data converted; the caller runs inside a tidy). */
export function floatArg(x: unknown): Tensor {
  const t = x instanceof tf.Tensor ? x : convertToTensor(x as TensorLike, "float32");
  return t.dtype === "float32" ? t : tf.cast(t, "float32");
}

function boolArg(x: unknown): Tensor | null {
  if (x === null || x === undefined) return null;
  const t = x instanceof tf.Tensor ? x : convertToTensor(x as TensorLike);
  return t.dtype === "bool" ? t : tf.cast(t, "bool");
}

/** Reads `{query_shape, value_shape, key_shape}` (or a single shape: self-attention) given to `build`. */
export function attentionBuildShapes(inputShape: unknown, valueShape?: unknown, keyShape?: unknown): { query: Shape; value: Shape; key: Shape | null } {
  if (isShapeLike(inputShape)) {
    const value = isShapeLike(valueShape) ? valueShape : inputShape;
    return { query: [...inputShape], value: [...value], key: isShapeLike(keyShape) ? [...keyShape] : null };
  }
  if (inputShape && typeof inputShape === "object" && !Array.isArray(inputShape)) {
    const d = inputShape as Record<string, unknown>;
    const q = d.query_shape ?? d.queryShape;
    const v = d.value_shape ?? d.valueShape;
    const k = d.key_shape ?? d.keyShape;
    if (isShapeLike(q) && isShapeLike(v)) return { query: [...q], value: [...v], key: isShapeLike(k) ? [...k] : null };
  }
  throw new Error(
    `Attention layers are built from the query, value and key shapes: build(queryShape, valueShape, keyShape?) or ` +
      `build({query_shape, value_shape}). Received: ${JSON.stringify(inputShape)}`,
  );
}

function sameDims(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

function letter(i: number): string {
  return String.fromCharCode(97 + i);
}

/** Keras's `_build_proj_equation`: `[equation, biasAxes, outputRank]` of a projection. */
export function buildProjEquation(freeDims: number, boundDims: number, outputDims: number): [string, string, number] {
  let input = "";
  let kernel = "";
  let output = "";
  let bias = "";
  let offset = 0;
  for (let i = 0; i < freeDims; i++) {
    input += letter(i + offset);
    output += letter(i + offset);
  }
  offset += freeDims;
  for (let i = 0; i < boundDims; i++) {
    input += letter(i + offset);
    kernel += letter(i + offset);
  }
  offset += boundDims;
  for (let i = 0; i < outputDims; i++) {
    kernel += letter(i + offset);
    output += letter(i + offset);
    bias += letter(i + offset);
  }
  return [`${input},${kernel}->${output}`, bias, output.length];
}

/** Keras's `_get_output_shape`: `null` for the leading dims, then the known last ones. */
export function projOutputShape(outputRank: number, knownLastDims: readonly number[]): (number | null)[] {
  return [...Array<null>(Math.max(0, outputRank - knownLastDims.length)).fill(null), ...knownLastDims];
}

/** Keras's `_build_attention_equation`: the query·key and combine equations and the scores' rank. */
export function buildAttentionEquation(rank: number, attnAxes: readonly number[]): [string, string, number] {
  let target = "";
  for (let i = 0; i < rank; i++) target += letter(i);
  const batchDims: number[] = [];
  for (let i = 0; i < rank; i++) if (!attnAxes.includes(i) && i !== rank - 1) batchDims.push(i);
  let offset = rank;
  let source = "";
  for (let i = 0; i < rank; i++) {
    if (batchDims.includes(i) || i === rank - 1) source += target[i];
    else source += letter(offset++);
  }
  const product = [...batchDims.map((i) => target[i]), ...attnAxes.map((i) => target[i]), ...attnAxes.map((i) => source[i])].join("");
  return [`${source},${target}->${product}`, `${product},${source}->${target}`, product.length];
}

/**
 * Multi-head attention as in "Attention is all you need": the query, key and
 * value are projected to `numHeads` heads (`keyDim`, `keyDim`, `valueDim`
 * wide), each head computes `softmax(q·kᵀ / sqrt(keyDim)) · v`, and the heads
 * are projected back to the query's last dimension (or `outputShape`).
 *
 * Call it on the query with the value (and optionally the key) as options:
 *
 * ```ts
 * const mha = layers.MultiHeadAttention(2, 16);
 * const y = mha.apply(x, { value: x });                        // self-attention
 * const [o, scores] = mha.apply(q, { value: v, returnAttentionScores: true });
 * mha.apply(x, { value: x, useCausalMask: true });             // decoder-style
 * ```
 *
 * Masks: `attentionMask` `(B, T, S)`, the causal mask, the sliding window and
 * the Keras masks of query, value and key are combined with AND.
 */
export class MultiHeadAttention extends Layer {
  /** Number of heads. */
  readonly numHeads: number;
  /** Size of each head of query and key. */
  readonly keyDim: number;
  /** Size of each head of value. */
  readonly valueDim: number;
  /** Dropout rate of the attention weights. */
  readonly dropout: number;
  /** Whether the projections have biases. */
  readonly useBias: boolean;
  /** Whether the output is gated by a sigmoid projection of the query. */
  readonly useGate: boolean;
  /** The output dims as given (`null`: the query's last dim). */
  readonly partialOutputShape: number[] | null;
  /** The attention axes: as given until built, then nonnegative axes of the projected tensors. */
  attentionAxes: number[] | null;
  /** The sliding window, or null. */
  readonly slidingWindow: number | null;
  /** Initializer of the kernels. */
  readonly kernelInitializer: Initializer;
  /** Initializer of the biases. */
  readonly biasInitializer: Initializer;
  /** Regularizer of the kernels, or null. */
  readonly kernelRegularizer: Regularizer | null;
  /** Regularizer of the biases, or null. */
  readonly biasRegularizer: Regularizer | null;
  /** Constraint of the kernels, or null. */
  readonly kernelConstraint: Constraint | null;
  /** Constraint of the biases, or null. */
  readonly biasConstraint: Constraint | null;
  /** The dropout seed, or null. */
  readonly seed: number | null;
  // Sublayers, in Keras's creation order (it fixes the order of `weights`).
  /** The query projection (`query`), created by `build`. */
  queryDense: EinsumDense | null = null;
  /** The key projection (`key`). */
  keyDense: EinsumDense | null = null;
  /** The gate projection (`gate`), with `useGate`. */
  gateDense: EinsumDense | null = null;
  /** The value projection (`value`). */
  valueDense: EinsumDense | null = null;
  /** The masked softmax over the attention axes. */
  softmax: Softmax | null = null;
  /** The dropout of the attention weights. */
  dropoutLayer: Dropout | null = null;
  /** The output projection (`attention_output`). */
  outputDense: EinsumDense | null = null;
  protected dotProductEquation = "";
  protected combineEquation = "";
  private readonly inverseSqrtKeyDim: number;
  private readonly flashAttention: boolean;

  /** `new MultiHeadAttention(numHeads, keyDim, options)` or `new MultiHeadAttention({ numHeads, keyDim, ... })`. */
  constructor(numHeads: number | MultiHeadAttentionArgs, keyDim?: number, args: MultiHeadAttentionArgs = {}) {
    const opts: MultiHeadAttentionArgs = typeof numHeads === "object" && numHeads !== null ? { ...numHeads } : { ...args, numHeads, keyDim };
    const posInt = (v: unknown): boolean => typeof v === "number" && Number.isInteger(v) && v > 0;
    if (!posInt(opts.numHeads)) {
      throw new Error(`Received an invalid value for argument \`num_heads\`, expected a positive integer. Received: num_heads=${String(opts.numHeads)}`);
    }
    if (!posInt(opts.keyDim)) {
      throw new Error(`Received an invalid value for argument \`key_dim\`, expected a positive integer. Received: key_dim=${String(opts.keyDim)}`);
    }
    if (opts.valueDim != null && !posInt(opts.valueDim)) {
      throw new Error(
        `Received an invalid value for argument \`value_dim\`, expected a positive integer or \`None\`. Received: value_dim=${String(opts.valueDim)}`,
      );
    }
    super(opts);
    this.supportsMasking = true;
    this.numHeads = opts.numHeads as number;
    this.keyDim = opts.keyDim as number;
    this.valueDim = opts.valueDim || this.keyDim;
    this.dropout = opts.dropout ?? 0;
    this.useBias = opts.useBias ?? true;
    this.useGate = opts.useGate ?? false;
    const os = opts.outputShape;
    this.partialOutputShape = os ? (typeof os === "number" ? [os] : [...os]) : null;
    const axes = opts.attentionAxes;
    if (typeof axes === "number") this.attentionAxes = [axes];
    else if (axes && !Array.isArray(axes)) {
      throw new Error(`\`attention_axes\` must be an int, list, or tuple.Received: attention_axes=${JSON.stringify(axes)}`);
    } else this.attentionAxes = axes && axes.length ? [...axes] : null;
    const sw = opts.slidingWindow ?? null;
    if (sw !== null && !posInt(sw)) {
      throw new Error(`\`sliding_window\` must be \`None\` or a positive integer. Received: sliding_window=${String(sw)}`);
    }
    this.slidingWindow = sw;
    this.flashAttention = opts.flashAttention === true;
    if (this.flashAttention && this.dropout > 0) {
      throw new Error("Dropout is not supported when flash attention is enabled. Please set dropout to 0.0 to use flash attention.");
    }
    this.kernelInitializer = initializers.get(opts.kernelInitializer ?? "glorot_uniform");
    this.biasInitializer = initializers.get(opts.biasInitializer ?? "zeros");
    this.kernelRegularizer = regularizers.get(opts.kernelRegularizer);
    this.biasRegularizer = regularizers.get(opts.biasRegularizer);
    this.kernelConstraint = constraints.get(opts.kernelConstraint);
    this.biasConstraint = constraints.get(opts.biasConstraint);
    this.seed = opts.seed ?? null;
    this.inverseSqrtKeyDim = 1 / Math.sqrt(this.keyDim);
  }

  /** The options every projection gets (fresh initializer clones, as Keras). */
  protected commonSublayerArgs(): Record<string, unknown> {
    return {
      kernelRegularizer: this.kernelRegularizer,
      biasRegularizer: this.biasRegularizer,
      activityRegularizer: this.activityRegularizer,
      kernelConstraint: this.kernelConstraint,
      biasConstraint: this.biasConstraint,
      dtype: this.dtypePolicy,
      kernelInitializer: initializers.get(serializeInitializer(this.kernelInitializer)),
      biasInitializer: initializers.get(serializeInitializer(this.biasInitializer)),
    };
  }

  /**
   * Creates the projections for the query, value and key shapes:
   * `build(queryShape, valueShape, keyShape?)`, or `build({query_shape, value_shape, key_shape?})`
   * (Keras's build config), or `build(shape)` for self-attention.
   */
  override build(inputShape: unknown, valueShape?: Shape, keyShape?: Shape): void {
    const s = attentionBuildShapes(inputShape, valueShape, keyShape);
    const key = s.key ?? s.value;
    if (!sameDims(s.value.slice(1, -1), key.slice(1, -1))) {
      throw new Error(
        `All dimensions of \`value\` and \`key\`, except the last one, must be equal. Received: value_shape=${JSON.stringify(s.value)} and key_shape=${JSON.stringify(key)}`,
      );
    }
    this.buildShapes = s.key ? { query_shape: s.query, value_shape: s.value, key_shape: s.key } : { query_shape: s.query, value_shape: s.value };
    withNameScope(this.name, () => this.buildSublayers(s.query, s.value, key), this);
    this.built = true;
  }

  private projection(rank: number, dims: number[], name: string, extra: Record<string, unknown> = {}): EinsumDense {
    const [eq, bias, outRank] = buildProjEquation(rank - 1, 1, 2);
    return new EinsumDense(eq, projOutputShape(outRank - 1, dims), {
      biasAxes: this.useBias ? bias : null,
      name,
      ...this.commonSublayerArgs(),
      ...extra,
    });
  }

  private buildSublayers(queryShape: Shape, valueShape: Shape, keyShape: Shape): void {
    this.queryDense = this.projection(queryShape.length, [this.numHeads, this.keyDim], "query");
    this.queryDense.maybeBuild(queryShape);
    this.keyDense = this.projection(keyShape.length, [this.numHeads, this.keyDim], "key");
    this.keyDense.maybeBuild(keyShape);
    if (this.useGate) {
      this.gateDense = this.projection(queryShape.length, [this.numHeads, this.valueDim], "gate", { activation: "sigmoid" });
      this.gateDense.maybeBuild(queryShape);
    }
    this.valueDense = this.projection(valueShape.length, [this.numHeads, this.valueDim], "value");
    this.valueDense.maybeBuild(valueShape);
    const outputRank = valueShape.length + 1;
    this.buildAttention(outputRank);
    const outDims = this.partialOutputShape ?? [queryShape[queryShape.length - 1] as number];
    const [eq, bias, outRank] = buildProjEquation(queryShape.length - 1, 2, outDims.length);
    this.outputDense = new EinsumDense(eq, projOutputShape(outRank - 1, outDims), {
      biasAxes: this.useBias ? bias : null,
      name: "attention_output",
      ...this.commonSublayerArgs(),
    });
    const outIn = this.queryDense.computeOutputShape(queryShape);
    outIn[outIn.length - 1] = this.valueDim;
    this.outputDense.maybeBuild(outIn);
  }

  private normalizedAxes(rank: number): number[] {
    if (this.attentionAxes === null) return Array.from({ length: Math.max(0, rank - 3) }, (_, i) => i + 1);
    return this.attentionAxes.map((a) => (a >= 0 ? a : rank - 1 + a));
  }

  private buildAttention(rank: number): void {
    this.attentionAxes = this.normalizedAxes(rank);
    const [dot, combine, scoresRank] = buildAttentionEquation(rank, this.attentionAxes);
    this.dotProductEquation = dot;
    this.combineEquation = combine;
    const n = this.attentionAxes.length;
    const normAxes = Array.from({ length: n }, (_, i) => scoresRank - n + i);
    this.softmax = new Softmax({ axis: normAxes, dtype: this.dtypePolicy });
    this.dropoutLayer = new Dropout({ rate: this.dropout, dtype: this.dtypePolicy, seed: this.seed });
  }

  /** Keras's `build_config`: `{shapes_dict: {query_shape, value_shape[, key_shape]}}`. */
  override getBuildConfig(): Record<string, unknown> | null {
    if (!this.built || !this.buildShapes) return null;
    return { shapes_dict: this.buildShapes };
  }

  override buildFromConfig(config: Record<string, unknown> | null | undefined): void {
    if (!config || this.built) return;
    const shapes = config.shapes_dict ?? config.input_shape;
    if (shapes !== undefined && shapes !== null) this.build(shapes);
  }

  /** Keras's attribute names of the sublayers, for `.keras` weight files. */
  saveableChildren(): Record<string, unknown> {
    const out: Record<string, unknown> = {
      key_dense: this.keyDense,
      output_dense: this.outputDense,
      query_dense: this.queryDense,
      value_dense: this.valueDense,
      _dropout_layer: this.dropoutLayer,
      _softmax: this.softmax,
    };
    if (this.gateDense) out._gate_dense = this.gateDense;
    for (const k of Object.keys(out)) if (out[k] === null) delete out[k];
    return out;
  }

  /**
   * Calls the layer: `mha.apply(query, { value, key?, attentionMask?, returnAttentionScores?, useCausalMask? })`.
   * Builds from the query, value and key shapes on the first call.
   */
  override apply<T extends LayerInput>(inputs: T, kwargs: MultiHeadAttentionCallArgs = {}): LayerOutput<T> {
    const kw = canonicalAttentionKwargs(kwargs);
    if (kw.value === undefined) {
      throw new Error(
        `Layer "${this.name}" (${this.className}) needs a \`value\`: call it as layer.apply(query, { value }) ` +
          "(value = query for self-attention).",
      );
    }
    if (!this.built) {
      const shapes: Record<string, Shape> = { query_shape: shapeOfArg(inputs), value_shape: shapeOfArg(kw.value) };
      if (kw.key !== undefined) shapes.key_shape = shapeOfArg(kw.key);
      this.maybeBuild(shapes);
    }
    return super.apply(inputs, kw);
  }

  /** A Functional node's call: Keras records `(query, value[, key])` as positional arguments. */
  override callFromNode(args: unknown[], kwargs: Record<string, unknown>): unknown {
    const kw: Record<string, unknown> = { ...kwargs };
    if (args.length > 1) kw.value = args[1];
    if (args.length > 2) kw.key = args[2];
    return this.apply(args[0] as LayerInput, kw);
  }

  /** Combines the Keras masks, `attentionMask`, the causal mask and the sliding window into one boolean `(B, T, S)` mask. */
  protected computeAttentionMask(
    query: Tensor,
    value: Tensor,
    masks: { query: Tensor | null; value: Tensor | null; key: Tensor | null; attention: Tensor | null },
    useCausalMask: boolean,
  ): Tensor | null {
    let auto: Tensor | null = null;
    const and = (m: Tensor): void => {
      auto = auto === null ? m : tf.logicalAnd(auto, m);
    };
    if (masks.query) and(tf.expandDims(masks.query, -1));
    if (masks.value) and(tf.expandDims(masks.value, -2));
    if (masks.key) and(tf.expandDims(masks.key, -2));
    const tq = query.shape[1] as number;
    const tv = value.shape[1] as number;
    if (useCausalMask) and(causalMask(tq, tv));
    if (this.slidingWindow !== null) {
      const rows = tf.reshape(tf.range(0, tq, 1, "int32"), [1, tq, 1]);
      const cols = tf.reshape(tf.range(0, tv, 1, "int32"), [1, 1, tv]);
      and(tf.less(tf.abs(tf.sub(rows, cols)), this.slidingWindow));
    }
    if (auto === null) return masks.attention;
    return masks.attention ? tf.logicalAnd(masks.attention, auto) : auto;
  }

  /** Softmax over the attention axes, with the mask expanded from the heads dimension. */
  protected maskedSoftmax(scores: Tensor, mask: Tensor | null): Tensor {
    let m = mask;
    if (m) {
      const axis = -(this.attentionAxes as number[]).length * 2 - 1;
      while (m.rank < scores.rank) m = tf.expandDims(m, m.rank + axis + 1);
    }
    return (this.softmax as Softmax).call(scores, m ? { mask: m } : {});
  }

  /**
   * Scaled dot-product attention on the projected `query` `(B, T, N, keyDim)`,
   * `key` and `value`; returns the heads' output and the attention weights.
   */
  protected computeAttention(query: Tensor, key: Tensor, value: Tensor, mask: Tensor | null, training: boolean): [Tensor, Tensor] {
    const q = tf.mul(query, this.inverseSqrtKeyDim);
    const scores = einsum(this.dotProductEquation, key, q) as Tensor;
    const weights = this.maskedSoftmax(scores, mask);
    const dropped = this.dropout > 0 ? (this.dropoutLayer as Dropout).call(weights, { training }) : weights;
    return [einsum(this.combineEquation, dropped, value) as Tensor, weights];
  }

  override call(inputs: unknown, kwargs: CallArgs = {}): Tensor | Tensor[] {
    const queryIn = floatArg(inputs);
    const valueIn = floatArg(kwargs.value);
    const keyGiven = kwargs.key !== undefined && kwargs.key !== null;
    const keyIn = keyGiven ? floatArg(kwargs.key) : valueIn;
    const masks = {
      query: boolArg(kwargs.query_mask ?? kwargs.mask ?? getKerasMask(inputs)),
      value: boolArg(kwargs.value_mask ?? getKerasMask(kwargs.value)),
      key: keyGiven ? boolArg(kwargs.key_mask ?? getKerasMask(kwargs.key)) : boolArg(kwargs.key_mask),
      attention: boolArg(kwargs.attention_mask),
    };
    const returnScores = kwargs.return_attention_scores === true;
    if (this.flashAttention && returnScores) {
      throw new Error(
        "Returning attention scores is not supported when flash attention is enabled. Please disable flash attention to access attention scores.",
      );
    }
    const mask = this.computeAttentionMask(queryIn, valueIn, masks, kwargs.use_causal_mask === true);
    const gate = this.gateDense ? (this.gateDense.apply(queryIn) as Tensor) : null;
    const query = (this.queryDense as EinsumDense).apply(queryIn) as Tensor;
    const key = (this.keyDense as EinsumDense).apply(keyIn) as Tensor;
    const value = (this.valueDense as EinsumDense).apply(valueIn) as Tensor;
    const [heads, scores] = this.computeAttention(query, key, value, mask, kwargs.training === true);
    const out = (this.outputDense as EinsumDense).apply(gate ? tf.mul(heads, gate) : heads) as Tensor;
    return returnScores ? [out, scores] : out;
  }

  /** The output shape for the query, value and key shapes: the query's, with `outputShape` as its last dims. */
  override computeOutputShape(queryShape: unknown, valueShape?: Shape, keyShape?: Shape): Shape {
    const s = attentionBuildShapes(queryShape, valueShape, keyShape);
    const key = s.key ?? s.value;
    if (!sameDims(s.value.slice(1, -1), key.slice(1, -1))) {
      throw new Error(
        `All dimensions of \`value\` and \`key\`, except the last one, must be equal. Received: value_shape=${JSON.stringify(s.value)} and key_shape=${JSON.stringify(key)}`,
      );
    }
    return this.partialOutputShape ? [...s.query.slice(0, -1), ...this.partialOutputShape] : s.query;
  }

  override computeOutputSpec(args: unknown[], kwargs: Record<string, unknown>): unknown {
    const kw = canonicalAttentionKwargs(kwargs as CallArgs);
    const query = shapeOfArg(args[0]);
    const value = shapeOfArg(args[1] ?? kw.value);
    const keyArg = args[2] ?? kw.key;
    const key = keyArg !== undefined && keyArg !== null ? shapeOfArg(keyArg) : undefined;
    const out = new KerasTensor(this.computeOutputShape(query, value, key), { dtype: this.computeDtype });
    if (kw.return_attention_scores !== true) return out;
    // Scores: (batch dims..., heads, query attention dims..., key attention dims...).
    const rank = query.length + 1;
    const axes = this.built ? (this.attentionAxes as number[]) : this.normalizedAxes(rank);
    const qProj: Shape = [...query.slice(0, -1), this.numHeads, this.keyDim];
    const kProj: Shape = [...(key ?? value).slice(0, -1), this.numHeads, this.keyDim];
    const batch: Shape = [];
    for (let i = 0; i < rank - 1; i++) if (!axes.includes(i)) batch.push(qProj[i]);
    const scores: Shape = [...batch, ...axes.map((a) => qProj[a]), ...axes.map((a) => kProj[a])];
    return [out, new KerasTensor(scores, { dtype: this.computeDtype })];
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      num_heads: this.numHeads,
      key_dim: this.keyDim,
      value_dim: this.valueDim,
      dropout: this.dropout,
      use_bias: this.useBias,
      use_gate: this.useGate,
      output_shape: this.partialOutputShape ? [...this.partialOutputShape] : null,
      attention_axes: this.attentionAxes ? [...this.attentionAxes] : null,
      sliding_window: this.slidingWindow,
      kernel_initializer: serializeInitializer(this.kernelInitializer),
      bias_initializer: serializeInitializer(this.biasInitializer),
      kernel_regularizer: serializeRegularizer(this.kernelRegularizer),
      bias_regularizer: serializeRegularizer(this.biasRegularizer),
      activity_regularizer: serializeRegularizer(this.activityRegularizer),
      kernel_constraint: serializeConstraint(this.kernelConstraint),
      bias_constraint: serializeConstraint(this.biasConstraint),
      seed: this.seed,
    };
  }
}
registerBuiltin("keras.layers", MultiHeadAttention);

