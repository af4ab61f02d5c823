/**
 * GroupedQueryAttention (Keras's `layers/attention/grouped_query_attention.py`,
 * exported as `keras.layers.GroupQueryAttention`): several query heads share
 * each key/value head.
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
import { serializeConstraint, serializeInitializer, serializeRegularizer } from "../layer-utils.js";
import { causalMask } from "./attention.js";
import {
  attentionBuildShapes,
  canonicalAttentionKwargs,
  floatArg,
  shapeOfArg,
  type MultiHeadAttentionCallArgs,
} from "./multi-head-attention.js";

/** Options of GroupedQueryAttention. */
export interface GroupedQueryAttentionArgs extends LayerArgs {
  /** Size of each attention head (also the first positional argument). */
  headDim?: number;
  /** Number of query heads (also the second positional argument). */
  numQueryHeads?: number;
  /** Number of key/value heads; must divide `numQueryHeads` (also the third positional argument). */
  numKeyValueHeads?: number;
  /** Dropout rate of the attention weights (while training). Default 0. */
  dropout?: number;
  /** Whether the projections have biases. Default true. */
  useBias?: boolean;
  /** If set, each query position attends only to keys within `slidingWindow - 1` positions. Default none. */
  slidingWindow?: number | null;
  /** Accepted for compatibility; tskeras never uses a flash kernel. Default null. */
  flashAttention?: boolean | null;
  /** Initializer of the kernels. Default `"glorot_uniform"`. */
  kernelInitializer?: InitializerLike;
  /** Initializer of the biases. Default `"zeros"`. */
  biasInitializer?: InitializerLike;
  /** Regularizer of the kernels. Default none. */
  kernelRegularizer?: RegularizerLike | null;
  /** Regularizer of the biases. Default none. */
  biasRegularizer?: RegularizerLike | null;
  /** Constraint of the kernels. Default none. */
  kernelConstraint?: ConstraintLike | null;
  /** Constraint of the biases. Default none. */
  biasConstraint?: ConstraintLike | null;
  /** Gated attention (a sigmoid projection of the query multiplies the heads). Default false. */
  useGate?: boolean;
  /** Integer seed of the dropout. Default none. */
  seed?: number | null;
}

function boolArg(x: unknown): Tensor | null {
  if (x === null || x === undefined) return null;
  const t = x instanceof tf.Tensor ? x : convertToTensor(x as TensorLike);
  return t.dtype === "bool" ? t : tf.cast(t, "bool");
}

/**
 * Grouped-query attention (Ainslie et al., 2023): `numQueryHeads` query
 * heads and `numKeyValueHeads` key/value heads, each key/value head shared by
 * `numQueryHeads / numKeyValueHeads` query heads. Inputs are
 * `(batch, seq, features)`; the output has the query's shape.
 *
 * ```ts
 * const gqa = layers.GroupQueryAttention(16, 4, 2);
 * const y = gqa.apply(x, { value: x, useCausalMask: true });
 * ```
 */
export class GroupedQueryAttention extends Layer {
  /** Size of each head. */
  readonly headDim: number;
  /** Number of query heads. */
  readonly numQueryHeads: number;
  /** Number of key/value heads. */
  readonly numKeyValueHeads: number;
  /** Query heads per key/value head. */
  readonly numRepeats: number;
  /** Dropout rate of the attention weights. */
  readonly dropout: number;
  /** Whether the projections have biases. */
  readonly useBias: boolean;
  /** Whether the output is gated. */
  readonly useGate: boolean;
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
  /** The query's last dimension (set by `build`). */
  featureDim: number | null = null;
  // Sublayers, in Keras's creation order (it fixes the order of `weights`).
  /** The query projection (`query`). */
  queryDense: EinsumDense | null = null;
  /** The key projection (`key`). */
  keyDense: EinsumDense | null = null;
  /** The gate projection (`gate`), with `useGate`. */
  gateDense: EinsumDense | null = null;
  /** The value projection (`value`). */
  valueDense: EinsumDense | null = null;
  /** The masked softmax. */
  softmax: Softmax | null = null;
  /** The dropout of the attention weights. */
  dropoutLayer: Dropout | null = null;
  /** The output projection (`attention_output`). */
  outputDense: EinsumDense | null = null;
  private readonly inverseSqrtHeadDim: number;
  private readonly flashAttention: boolean;

  /**
   * `new GroupedQueryAttention(headDim, numQueryHeads, numKeyValueHeads, options)`
   * or `new GroupedQueryAttention({ headDim, numQueryHeads, numKeyValueHeads })`.
   */
  constructor(
    headDim: number | GroupedQueryAttentionArgs,
    numQueryHeads?: number,
    numKeyValueHeads?: number,
    args: GroupedQueryAttentionArgs = {},
  ) {
    const opts: GroupedQueryAttentionArgs =
      typeof headDim === "object" && headDim !== null ? { ...headDim } : { ...args, headDim, numQueryHeads, numKeyValueHeads };
    for (const k of ["headDim", "numQueryHeads", "numKeyValueHeads"] as const) {
      const v = opts[k];
      if (typeof v !== "number" || !Number.isInteger(v) || v <= 0) {
        throw new Error(`GroupedQueryAttention: \`${k}\` must be a positive integer. Received: ${k}=${String(v)}`);
      }
    }
    if ((opts.numQueryHeads as number) % (opts.numKeyValueHeads as number) !== 0) {
      throw new Error("`num_query_heads` must be divisible by `num_key_value_heads`.");
    }
    super(opts);
    this.supportsMasking = true;
    this.headDim = opts.headDim as number;
    this.numQueryHeads = opts.numQueryHeads as number;
    this.numKeyValueHeads = opts.numKeyValueHeads as number;
    this.numRepeats = this.numQueryHeads / this.numKeyValueHeads;
    this.dropout = opts.dropout ?? 0;
    this.useBias = opts.useBias ?? true;
    this.useGate = opts.useGate ?? false;
    const sw = opts.slidingWindow ?? null;
    if (sw !== null && !(Number.isInteger(sw) && sw > 0)) {
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
    this.inverseSqrtHeadDim = 1 / Math.sqrt(this.headDim);
  }

  private common(): Record<string, unknown> {
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

  /** `build(queryShape, valueShape, keyShape?)`, `build({query_shape, value_shape})`, or `build(shape)` (self-attention). */
  override build(inputShape: unknown, valueShape?: Shape, keyShape?: Shape): void {
    const s = attentionBuildShapes(inputShape, valueShape, keyShape);
    const key = s.key ?? s.value;
    this.buildShapes = s.key ? { query_shape: s.query, value_shape: s.value, key_shape: s.key } : { query_shape: s.query, value_shape: s.value };
    this.featureDim = s.query[s.query.length - 1];
    withNameScope(
      this.name,
      () => {
        const bias = (axes: string): string | null => (this.useBias ? axes : null);
        this.queryDense = new EinsumDense("bqm,muh->bquh", [null, this.numQueryHeads, this.headDim], { biasAxes: bias("uh"), name: "query", ...this.common() });
        this.queryDense.maybeBuild(s.query);
        this.keyDense = new EinsumDense("bkm,mvh->bkvh", [null, this.numKeyValueHeads, this.headDim], { biasAxes: bias("vh"), name: "key", ...this.common() });
        this.keyDense.maybeBuild(key);
        if (this.useGate) {
          this.gateDense = new EinsumDense("bqm,muh->bquh", [null, this.numQueryHeads, this.headDim], {
            biasAxes: bias("uh"),
            activation: "sigmoid",
            name: "gate",
            ...this.common(),
          });
          this.gateDense.maybeBuild(s.query);
        }
        this.valueDense = new EinsumDense("bkm,mvh->bkvh", [null, this.numKeyValueHeads, this.headDim], { biasAxes: bias("vh"), name: "value", ...this.common() });
        this.valueDense.maybeBuild(s.value);
        this.softmax = new Softmax({ axis: -1, dtype: this.dtypePolicy });
        this.dropoutLayer = new Dropout({ rate: this.dropout, dtype: this.dtypePolicy, seed: this.seed });
        this.outputDense = new EinsumDense("bquh,uhm->bqm", [null, this.featureDim], { biasAxes: bias("m"), name: "attention_output", ...this.common() });
        this.outputDense.maybeBuild([null, null, this.numQueryHeads, this.headDim]);
      },
      this,
    );
    this.built = true;
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

  /** Keras's attribute names of the sublayers (all private in GroupedQueryAttention). */
  saveableChildren(): Record<string, unknown> {
    const out: Record<string, unknown> = {
      _dropout_layer: this.dropoutLayer,
      _gate_dense: this.gateDense,
      _key_dense: this.keyDense,
      _output_dense: this.outputDense,
      _query_dense: this.queryDense,
      _softmax: this.softmax,
      _value_dense: this.valueDense,
    };
    for (const k of Object.keys(out)) if (out[k] === null) delete out[k];
    return out;
  }

  /** `gqa.apply(query, { value, key?, attentionMask?, returnAttentionScores?, useCausalMask? })`. */
  override apply<T extends LayerInput>(inputs: T, kwargs: MultiHeadAttentionCallArgs = {}): LayerOutput<T> {
    const kw = canonicalAttentionKwargs(kwargs);
    if (kw.value === undefined) {
      throw new Error(`Layer "${this.name}" (GroupedQueryAttention) needs a \`value\`: call it as layer.apply(query, { value }).`);
    }
    if (!this.built) {
      const shapes: Record<string, Shape> = { query_shape: shapeOfArg(inputs), value_shape: shapeOfArg(kw.value) };
      if (kw.key !== undefined) shapes.key_shape = shapeOfArg(kw.key);
      this.maybeBuild(shapes);
    }
    return super.apply(inputs, kw);
  }

  override callFromNode(args: unknown[], kwargs: Record<string, unknown>): unknown {
    const kw: Record<string, unknown> = { ...kwargs };
    if (args.length > 1) kw.value = args[1];
    if (args.length > 2) kw.key = args[2];
    return this.apply(args[0] as LayerInput, kw);
  }

  private repeatHeads(x: Tensor): Tensor {
    if (this.numRepeats === 1) return x;
    const [b, s, v, h] = x.shape as [number, number, number, number];
    // A broadcasting multiply (not tile/broadcastTo, whose gradient stops at rank 4).
    const ones = tf.ones([1, 1, 1, this.numRepeats, 1]);
    return tf.reshape(tf.mul(tf.expandDims(x, 3), ones), [b, s, v * this.numRepeats, h]);
  }

  override call(inputs: unknown, kwargs: CallArgs = {}): Tensor | Tensor[] {
    const queryIn = floatArg(inputs);
    const valueIn = floatArg(kwargs.value);
    const keyGiven = kwargs.key !== undefined && kwargs.key !== null;
    const keyIn = keyGiven ? floatArg(kwargs.key) : valueIn;
    const returnScores = kwargs.return_attention_scores === true;
    if (this.flashAttention && returnScores) {
      throw new Error(
        "Returning attention scores is not supported when flash attention is enabled. Please disable flash attention to access attention scores.",
      );
    }
    // Combined mask [B, T, S] from the Keras masks, the causal mask, the sliding window and attention_mask.
    let auto: Tensor | null = null;
    const and = (m: Tensor): void => {
      auto = auto === null ? m : tf.logicalAnd(auto, m);
    };
    const qMask = boolArg(kwargs.query_mask ?? kwargs.mask ?? getKerasMask(inputs));
    const vMask = boolArg(kwargs.value_mask ?? getKerasMask(kwargs.value));
    const kMask = keyGiven ? boolArg(kwargs.key_mask ?? getKerasMask(kwargs.key)) : boolArg(kwargs.key_mask);
    if (qMask) and(tf.expandDims(qMask, -1));
    if (vMask) and(tf.expandDims(vMask, -2));
    if (kMask) and(tf.expandDims(kMask, -2));
    const tq = queryIn.shape[1] as number;
    const tv = valueIn.shape[1] as number;
    if (kwargs.use_causal_mask === true) and(causalMask(tq, tv));
    if (this.slidingWindow !== null) {
      const rows = tf.reshape(tf.range(0, tq, 1, "int32"), [1, tq, 1]);
      const cols = tf.reshape(tf.range(0, tv, 1, "int32"), [1, 1, tv]);
      and(tf.less(tf.abs(tf.sub(rows, cols)), this.slidingWindow));
    }
    const given = boolArg(kwargs.attention_mask);
    let mask: Tensor | null = auto;
    if (given) mask = mask ? tf.logicalAnd(given, mask) : given;

    const gate = this.gateDense ? (this.gateDense.apply(queryIn) as Tensor) : null;
    const query = (this.queryDense as EinsumDense).apply(queryIn) as Tensor;
    const key = this.repeatHeads((this.keyDense as EinsumDense).apply(keyIn) as Tensor);
    const value = this.repeatHeads((this.valueDense as EinsumDense).apply(valueIn) as Tensor);
    const q = tf.mul(query, this.inverseSqrtHeadDim);
    const scores = einsum("bquh,bkuh->buqk", q, key) as Tensor;
    let m = mask as Tensor | null;
    if (m) while (m.rank < scores.rank) m = tf.expandDims(m, -3);
    const weights = (this.softmax as Softmax).call(scores, m ? { mask: m } : {});
    const dropped = this.dropout > 0 ? (this.dropoutLayer as Dropout).call(weights, { training: kwargs.training === true }) : weights;
    const heads = einsum("buqk,bkuh->bquh", dropped, value) as Tensor;
    const out = (this.outputDense as EinsumDense).apply(gate ? tf.mul(heads, gate) : heads) as Tensor;
    return returnScores ? [out, weights] : out;
  }

  /** The query's shape (after checking the value and key shapes). */
  override computeOutputShape(queryShape: unknown, valueShape?: Shape, keyShape?: Shape): Shape {
    const s = attentionBuildShapes(queryShape, valueShape, keyShape);
    const key = s.key ?? s.value;
    if (s.query[s.query.length - 1] !== s.value[s.value.length - 1]) {
      throw new Error(
        `The last dimension of \`query_shape\` and \`value_shape\` must be equal, but are ${String(s.query[s.query.length - 1])}, ` +
          `${String(s.value[s.value.length - 1])}. Received: query_shape=${JSON.stringify(s.query)}, value_shape=${JSON.stringify(s.value)}`,
      );
    }
    const vd = s.value.slice(1, -1);
    const kd = key.slice(1, -1);
    if (vd.length !== kd.length || vd.some((d, i) => d !== kd[i])) {
      throw new Error(
        `All dimensions of \`value\` and \`key\`, except the last one, must be equal. Received: value_shape=${JSON.stringify(s.value)} and key_shape=${JSON.stringify(key)}`,
      );
    }
    return s.query;
  }

  override computeOutputSpec(args: unknown[], kwargs: Record<string, unknown>): unknown {
    const kw = canonicalAttentionKwargs(kwargs as CallArgs);
    const query = shapeOfArg(args[0]);
    const value = shapeOfArg(args[1] ?? kw.value);
    const keyArg = args[2] ?? kw.key;
    const key = keyArg !== undefined && keyArg !== null ? shapeOfArg(keyArg) : undefined;
    const out = new KerasTensor(this.computeOutputShape(query, value, key), { dtype: this.computeDtype });
    if (kw.return_attention_scores !== true) return out;
    const kvLen = (key ?? value)[1];
    return [out, new KerasTensor([query[0], this.numQueryHeads, query[1], kvLen], { dtype: this.computeDtype })];
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      head_dim: this.headDim,
      num_query_heads: this.numQueryHeads,
      num_key_value_heads: this.numKeyValueHeads,
      use_bias: this.useBias,
      use_gate: this.useGate,
      sliding_window: this.slidingWindow,
      dropout: this.dropout,
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
registerBuiltin("keras.layers", GroupedQueryAttention);
registerBuiltin("keras.layers", GroupedQueryAttention, "GroupQueryAttention");
