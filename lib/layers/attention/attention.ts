/**
 * Attention: dot-product (Luong-style) attention
 * (Keras's `layers/attention/attention.py`).
 */
import { tf, type Tensor } from "../../backend/tfjs.js";
import { KerasTensor, type Shape } from "../../backend/keras-tensor.js";
import type { Variable } from "../../backend/variable.js";
import { convertToTensor, type TensorLike } from "../../ops/convert.js";
import { dropout } from "../../random/random.js";
import { SeedGenerator } from "../../random/seed-generator.js";
import { registerBuiltin } from "../../saving/object-registration.js";
import { Layer, type CallArgs, type LayerArgs } from "../layer.js";

/** Options of Attention. */
export interface AttentionArgs extends LayerArgs {
  /** Whether a learned scalar `scale` multiplies the scores. Default false. */
  useScale?: boolean;
  /** How scores are computed: `"dot"` (query·key) or `"concat"` (sum of tanh(query + key)). Default `"dot"`. */
  scoreMode?: "dot" | "concat";
  /** Fraction of the attention weights dropped while training. Default 0. */
  dropout?: number;
  /** Integer seed of the dropout. Default none. */
  seed?: number | null;
}

/** Call options of the attention layers (camelCase; Keras's snake_case names are accepted too). */
export interface AttentionCallArgs extends CallArgs {
  /** Return `[output, scores]` instead of the output. Default false. */
  returnAttentionScores?: boolean;
  /** Mask the future: position i of the query attends to positions j <= i. Default false. */
  useCausalMask?: boolean;
}

/** A boolean call option given in camelCase or in Keras's snake_case. */
export function callFlag(kwargs: CallArgs, camel: string, snake: string): boolean {
  const v = kwargs[camel] ?? kwargs[snake];
  return v === true;
}

/** `[1, tq, tv]` boolean lower-triangular mask (Keras's causal mask: row >= column). */
export function causalMask(tq: number, tv: number): Tensor {
  return tf.tidy(() => {
    const rows = tf.reshape(tf.range(0, tq, 1, "int32"), [1, tq, 1]);
    const cols = tf.reshape(tf.range(0, tv, 1, "int32"), [1, 1, tv]);
    return tf.greaterEqual(rows, cols);
  });
}

function asBool(m: unknown): Tensor | null {
  if (m === null || m === undefined) return null;
  const t = m instanceof tf.Tensor ? m : convertToTensor(m as TensorLike);
  return t.dtype === "bool" ? t : tf.cast(t, "bool");
}

/**
 * Dot-product attention: `scores = query · keyᵀ` (`"dot"`) or
 * `sum(tanh(query + key))` (`"concat"`), softmax over the value steps, and
 * the weighted sum of `value`. Called on `[query, value]` or
 * `[query, value, key]` (key defaults to value) of shapes
 * `(batch, Tq, dim)`, `(batch, Tv, dim)`, `(batch, Tv, dim)`; returns
 * `(batch, Tq, dim)`.
 *
 * The masks of the inputs (or `mask: [queryMask, valueMask]`) are used: value
 * steps where the value mask is false get no weight, and output steps where
 * the query mask is false are zero.
 *
 * ```ts
 * const att = layers.Attention();
 * const out = att.apply([query, value]);
 * const [o, scores] = att.apply([query, value], { returnAttentionScores: true });
 * ```
 */
export class Attention extends Layer {
  /** Whether a learned scale multiplies the scores. */
  readonly useScale: boolean;
  /** `"dot"` or `"concat"`. */
  readonly scoreMode: "dot" | "concat";
  /** The dropout rate of the attention weights. */
  readonly dropout: number;
  /** The integer seed given, or null. */
  readonly seed: number | null;
  /** The source of the dropout masks (null without dropout). */
  readonly seedGenerator: SeedGenerator | null;
  /** The learned scale (null unless `useScale`). */
  scale: Variable | null = null;
  /** The learned weight of the concat scores (null unless `scoreMode` is `"concat"`). */
  concatScoreWeight: Variable | null = null;

  /** `new Attention()` or `new Attention({ useScale: true, scoreMode: "concat" })`. */
  constructor(args: AttentionArgs = {}) {
    super(args);
    this.useScale = args.useScale ?? false;
    this.scoreMode = args.scoreMode ?? "dot";
    this.dropout = args.dropout ?? 0;
    this.seed = args.seed ?? null;
    this.seedGenerator = this.dropout > 0 ? new SeedGenerator(this.seed) : null;
    if (this.scoreMode !== "dot" && this.scoreMode !== "concat") {
      throw new Error(`Invalid value for argument score_mode. Expected one of {'dot', 'concat'}. Received: score_mode=${String(this.scoreMode)}`);
    }
  }

  /** Checks the `[query, value(, key)]` structure and its mask. */
  protected validateInputs(inputs: unknown, mask?: unknown): void {
    const name = this.className;
    if (!Array.isArray(inputs)) {
      throw new Error(`${name} layer must be called on a list of inputs, namely [query, value] or [query, value, key]. Received: a single input.`);
    }
    if (inputs.length < 2 || inputs.length > 3) {
      throw new Error(
        `${name} layer accepts inputs list of length 2 or 3, namely [query, value] or [query, value, key]. Received length: ${inputs.length}.`,
      );
    }
    if (mask !== null && mask !== undefined) {
      if (!Array.isArray(mask)) throw new Error(`${name} layer mask must be a list, namely [query_mask, value_mask]. Received: a single mask.`);
      if (mask.length < 2 || mask.length > 3) {
        throw new Error(`${name} layer accepts mask list of length 2 or 3. Received: mask of length ${mask.length}.`);
      }
    }
  }

  override build(inputShape: unknown): void {
    this.validateInputs(inputShape);
    if (this.useScale) this.scale = this.addWeight({ name: "scale", shape: [], initializer: "ones", trainable: true });
    if (this.scoreMode === "concat") {
      this.concatScoreWeight = this.addWeight({ name: "concat_score_weight", shape: [], initializer: "ones", trainable: true });
    }
    this.built = true;
  }

  /** The raw scores `(batch, Tq, Tv)` of `query` `(batch, Tq, dim)` against `key` `(batch, Tv, dim)`. */
  protected calculateScores(query: Tensor, key: Tensor): Tensor {
    if (this.scoreMode === "dot") {
      let scores = tf.matMul(query, key, false, true);
      if (this.scale) scores = tf.mul(scores, this.scale.value);
      return scores;
    }
    const q = tf.expandDims(query, -2);
    const k = tf.expandDims(key, -3);
    let sum = tf.add(q, k);
    if (this.scale) sum = tf.mul(this.scale.value, sum);
    return tf.mul((this.concatScoreWeight as Variable).value, tf.sum(tf.tanh(sum), -1));
  }

  /** Masked softmax of the scores, dropout while training, and the weighted sum of `value`. */
  protected applyScores(scores: Tensor, value: Tensor, scoresMask: Tensor | null, training: boolean): [Tensor, Tensor] {
    let s = scores;
    if (scoresMask) {
      let padding = tf.logicalNot(scoresMask);
      if (padding.rank === 2) padding = tf.expandDims(padding, -2);
      s = tf.where(tf.broadcastTo(padding, s.shape), tf.sub(s, 1e9), s);
    }
    const weights = tf.softmax(s, -1);
    const dropped = training && this.dropout > 0 ? dropout(weights, this.dropout, { seed: this.seedGenerator }) : weights;
    return [tf.matMul(dropped, value), weights];
  }

  private scoreMask(scores: Tensor, vMask: Tensor | null, useCausal: boolean): Tensor | null {
    if (!useCausal) return vMask;
    const [tq, tv] = scores.shape.slice(-2) as [number, number];
    const causal = causalMask(tq, tv);
    return vMask ? tf.logicalAnd(tf.expandDims(vMask, -2), causal) : causal;
  }

  override call(inputs: unknown, kwargs: AttentionCallArgs = {}): Tensor | Tensor[] {
    const mask = kwargs.mask;
    this.validateInputs(inputs, mask);
    const list = (inputs as unknown[]).map((t) => (t instanceof tf.Tensor ? t : convertToTensor(t as TensorLike, "float32")));
    const q = list[0];
    const v = list[1];
    const k = list[2] ?? v;
    const masks = Array.isArray(mask) ? mask : [];
    const qMask = asBool(masks[0]);
    const vMask = asBool(masks[1]);
    const scores = this.calculateScores(q, k);
    const sMask = this.scoreMask(scores, vMask, callFlag(kwargs, "useCausalMask", "use_causal_mask"));
    let [out, weights] = this.applyScores(scores, v, sMask, kwargs.training === true);
    if (qMask) out = tf.where(tf.broadcastTo(tf.expandDims(qMask, -1), out.shape), out, tf.zerosLike(out));
    return callFlag(kwargs, "returnAttentionScores", "return_attention_scores") ? [out, weights] : out;
  }

  /** The output mask: the query's mask. */
  override computeMask(inputs: unknown, mask: unknown): unknown {
    this.validateInputs(inputs, mask);
    if (!Array.isArray(mask) || mask[0] === null || mask[0] === undefined) return null;
    return mask[0];
  }

  override computeOutputShape(inputShape: unknown): Shape {
    const shapes = inputShape as Shape[];
    return [...shapes[0].slice(0, -1), shapes[1][shapes[1].length - 1]];
  }

  override computeOutputSpec(args: unknown[], kwargs: Record<string, unknown>): unknown {
    const inputs = args[0];
    this.validateInputs(inputs);
    const list = inputs as { shape: Shape }[];
    const shapes = list.map((t) => [...t.shape]);
    const out = new KerasTensor(this.computeOutputShape(shapes), { dtype: this.computeDtype });
    if (!callFlag(kwargs, "returnAttentionScores", "return_attention_scores")) return out;
    const key = shapes[2] ?? shapes[1];
    return [out, new KerasTensor([...shapes[0].slice(0, -1), key[key.length - 2]], { dtype: this.computeDtype })];
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), use_scale: this.useScale, score_mode: this.scoreMode, dropout: this.dropout, seed: this.seed };
  }
}
registerBuiltin("keras.layers", Attention);
