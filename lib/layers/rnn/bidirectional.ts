/**
 * Bidirectional: runs a recurrent layer forwards and backwards and merges the
 * two outputs (Keras's `layers/rnn/bidirectional.py`).
 */
import { tf, type Tensor } from "../../backend/tfjs.js";
import type { Shape } from "../../backend/keras-tensor.js";
import type { TensorLike } from "../../ops/convert.js";
import { registerBuiltin } from "../../saving/object-registration.js";
import { deserializeKerasObject, serializeKerasObject } from "../../saving/serialization-lib.js";
import { flatten, isPlainObject } from "../../utils/tree.js";
import { Layer, type LayerArgs } from "../layer.js";
import { isShapeLike } from "../layer-utils.js";
import type { RNNCallArgs } from "./rnn.js";

/** How the forward and backward outputs are combined; null returns both. */
export type MergeMode = "concat" | "sum" | "mul" | "ave" | null;

/** Options of Bidirectional. */
export interface BidirectionalArgs extends LayerArgs {
  /** The recurrent layer to wrap (an RNN, LSTM, GRU, ...; also the first positional argument), or its serialized config. */
  layer?: Layer | Record<string, unknown>;
  /** How to combine the outputs: `"concat"`, `"sum"`, `"mul"`, `"ave"`, or null for a list of both. Default `"concat"`. */
  mergeMode?: MergeMode;
  /** Initial weights: the forward layer's, then the backward layer's (set when the layer is built). */
  weights?: TensorLike[] | null;
  /** The backward layer (must have `goBackwards` opposite to `layer`). Default: a copy of `layer` with `goBackwards: true`. */
  backwardLayer?: Layer | Record<string, unknown> | null;
}

/** What Bidirectional needs from the wrapped layer. */
interface RecurrentLike extends Layer {
  goBackwards: boolean;
  returnSequences: boolean;
  returnState: boolean;
  stateful: boolean;
  zeroOutputForMask?: boolean;
  timeMajor?: boolean;
  resetStates?(): void;
  readonly states?: Tensor[] | null;
}

function removePrefix(name: string, prefix: string): string {
  return name.startsWith(prefix) ? name.slice(prefix.length) : name;
}

function asLayer(x: unknown, what: string): Layer {
  const v = isPlainObject(x) && "class_name" in x ? deserializeKerasObject(x) : x;
  if (!(v instanceof Layer)) throw new Error(`${what} must be a \`keras.layers.Layer\` instance. Received: ${String(v)}`);
  return v;
}

/** A fresh copy of `layer` from its config, with config changes. */
function copyLayer(layer: Layer, changes: Record<string, unknown>): RecurrentLike {
  const serialized = serializeKerasObject(layer) as { config: Record<string, unknown>; build_config?: unknown };
  serialized.config = { ...serialized.config, ...changes };
  return deserializeKerasObject(serialized) as RecurrentLike;
}

/**
 * Bidirectional wrapper for RNNs: the input is read forwards by one copy of
 * the layer and backwards by another, and their outputs are merged
 * (`mergeMode`). With `returnSequences`, the backward output is flipped back
 * to the input's time order before merging. With `returnState`, the call
 * returns `[output, ...forwardStates, ...backwardStates]` (for `mergeMode:
 * null`, `[forwardOutput, backwardOutput, ...states]`).
 *
 * ```ts
 * const bi = layers.Bidirectional(layers.LSTM(8, { returnSequences: true }));
 * bi(tf.ones([2, 5, 3])).shape;   // [2, 5, 16]
 * ```
 */
export class Bidirectional extends Layer {
  /** The layer reading forwards (named `forward_<name>`). */
  readonly forwardLayer: RecurrentLike;
  /** The layer reading backwards (named `backward_<name>` unless given). */
  readonly backwardLayer: RecurrentLike;
  /** How outputs are combined. */
  readonly mergeMode: MergeMode;
  /** Whether states carry over between calls. */
  readonly stateful: boolean;
  /** Whether the outputs are sequences. */
  readonly returnSequences: boolean;
  /** Whether the states are returned. */
  readonly returnState: boolean;
  private initialWeights: TensorLike[] | null;

  /** `new Bidirectional(layers.LSTM(8), { mergeMode: "sum" })` or `new Bidirectional({ layer })`. */
  constructor(layer: Layer | BidirectionalArgs, args: BidirectionalArgs = {}) {
    const opts: BidirectionalArgs = layer instanceof Layer ? { ...args, layer } : { ...layer };
    const { layer: inner, mergeMode, weights, backwardLayer, ...layerArgs } = opts;
    const base = asLayer(inner, "`layer` of Bidirectional");
    const mode = mergeMode === undefined ? "concat" : mergeMode;
    if (!["sum", "mul", "ave", "concat", null].includes(mode)) {
      throw new Error(`Invalid merge mode. Received: ${String(mode)}. Merge mode should be one of {"sum", "mul", "ave", "concat", None}`);
    }
    const back = backwardLayer == null ? null : asLayer(backwardLayer, "`backward_layer`");
    super(layerArgs);
    this.forwardLayer = copyLayer(base, { name: `forward_${removePrefix(base.name, "forward_")}` });
    this.backwardLayer =
      back === null ? copyLayer(base, { go_backwards: true, name: `backward_${removePrefix(base.name, "backward_")}` }) : (back as RecurrentLike);
    const f = this.forwardLayer;
    const b = this.backwardLayer;
    if (f.goBackwards === b.goBackwards) {
      throw new Error(
        "Forward layer and backward layer should have different `go_backwards` value. Received: " +
          `forward_layer.go_backwards ${f.goBackwards}, backward_layer.go_backwards=${b.goBackwards}`,
      );
    }
    for (const a of ["stateful", "returnSequences", "returnState"] as const) {
      if (f[a] !== b[a]) {
        throw new Error(
          `Forward layer and backward layer are expected to have the same value for attribute "${a}", got "${f[a]}" for forward layer and "${b[a]}" for backward layer`,
        );
      }
    }
    for (const l of [f, b]) if (l.zeroOutputForMask !== undefined) l.zeroOutputForMask = l.returnSequences;
    this.mergeMode = mode;
    this.initialWeights = weights && weights.length > 0 ? [...weights] : null;
    this.stateful = base instanceof Layer && (base as RecurrentLike).stateful === true;
    this.returnSequences = f.returnSequences;
    this.returnState = f.returnState;
    this.inputSpec = base.inputSpec;
    this.supportsMasking = true;
  }

  /** The carried states of both layers when stateful, else null. */
  get states(): Tensor[] | null {
    const fs = this.forwardLayer.states;
    const bs = this.backwardLayer.states;
    return fs && bs ? [...fs, ...bs] : null;
  }

  /** Resets the states of both layers (stateful only). */
  resetStates(): void {
    if (!this.stateful) throw new Error("Layer must be stateful.");
    this.forwardLayer.resetStates?.();
    this.backwardLayer.resetStates?.();
  }

  /** Keras's name for `resetStates`. */
  resetState(): void {
    this.resetStates();
  }

  override build(inputShape: unknown): void {
    if (!this.forwardLayer.built) this.forwardLayer.maybeBuild(inputShape);
    if (!this.backwardLayer.built) this.backwardLayer.maybeBuild(inputShape);
    if (this.initialWeights) {
      const w = this.initialWeights;
      this.initialWeights = null;
      const half = w.length / 2;
      this.forwardLayer.setWeights(w.slice(0, half));
      this.backwardLayer.setWeights(w.slice(half));
    }
    this.built = true;
  }

  override call(inputs: unknown, kwargs: RNNCallArgs = {}): Tensor | Tensor[] {
    let seq: unknown = inputs;
    let initial: unknown[] | null = null;
    if (Array.isArray(inputs) && inputs.length > 1) {
      seq = inputs[0];
      initial = inputs.slice(1);
    }
    const given = kwargs.initialState ?? kwargs.initial_state;
    if (given != null) initial = Array.isArray(given) ? given : [given];
    const sub: RNNCallArgs = { training: kwargs.training };
    if (kwargs.mask != null) sub.mask = kwargs.mask;
    let fw = sub;
    let bw = sub;
    if (initial) {
      const half = Math.floor(initial.length / 2);
      fw = { ...sub, initialState: initial.slice(0, half) as TensorLike[] };
      bw = { ...sub, initialState: initial.slice(half) as TensorLike[] };
    }
    let y = this.forwardLayer.apply(seq as Tensor, fw) as unknown as Tensor | Tensor[];
    let yRev = this.backwardLayer.apply(seq as Tensor, bw) as unknown as Tensor | Tensor[];
    let states: Tensor[] = [];
    if (this.returnState) {
      const ya = y as Tensor[];
      const yb = yRev as Tensor[];
      states = [...ya.slice(1), ...yb.slice(1)];
      y = ya[0];
      yRev = yb[0];
    }
    let yf = y as Tensor;
    let yb = yRev as Tensor;
    if (yf.dtype !== "float32") yf = tf.cast(yf, "float32");
    if (yb.dtype !== "float32") yb = tf.cast(yb, "float32");
    if (this.returnSequences) yb = tf.reverse(yb, this.forwardLayer.timeMajor ? 0 : 1);
    let output: Tensor | Tensor[];
    switch (this.mergeMode) {
      case "concat":
        output = tf.concat([yf, yb], -1);
        break;
      case "sum":
        output = tf.add(yf, yb);
        break;
      case "ave":
        output = tf.div(tf.add(yf, yb), 2);
        break;
      case "mul":
        output = tf.mul(yf, yb);
        break;
      default:
        output = [yf, yb];
    }
    if (this.returnState) return Array.isArray(output) ? [...output, ...states] : [output, ...states];
    return output;
  }

  override computeOutputShape(inputShape: unknown): Shape | Shape[] {
    const shape = isShapeLike(inputShape) ? inputShape : ((inputShape as Shape[])[0] as Shape);
    const fwd = this.forwardLayer.computeOutputShape(shape) as Shape | Shape[];
    let out: Shape;
    let stateShapes: Shape[] = [];
    if (this.returnState) {
      const list = fwd as Shape[];
      out = [...(list[0] as Shape)];
      stateShapes = list.slice(1);
    } else {
      out = [...(fwd as Shape)];
    }
    const outs: Shape[] = [];
    if (this.mergeMode === "concat") {
      const last = out[out.length - 1];
      out[out.length - 1] = last === null || last === undefined ? null : last * 2;
      outs.push(out);
    } else if (this.mergeMode === null) {
      outs.push(out, [...out]);
    } else {
      outs.push(out);
    }
    if (this.returnState) return [...outs, ...stateShapes, ...stateShapes.map((s) => [...s])];
    return outs.length === 1 ? (outs[0] as Shape) : outs;
  }

  override computeMask(_inputs: unknown, mask: unknown): Tensor | (Tensor | null)[] | null {
    const m0 = flatten<unknown>(mask ?? null)[0];
    const m = m0 instanceof tf.Tensor ? m0 : null;
    let out: (Tensor | null)[];
    if (this.returnSequences) out = this.mergeMode === null ? [m, m] : [m];
    else out = this.mergeMode === null ? [null, null] : [null];
    if (this.returnState) {
      const nStates = (this.forwardLayer as unknown as { stateSize?: number[] }).stateSize?.length ?? 0;
      return [...out, ...new Array<null>(2 * nStates).fill(null)];
    }
    return out.length === 1 ? (out[0] as Tensor | null) : out;
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      merge_mode: this.mergeMode,
      layer: serializeKerasObject(this.forwardLayer),
      backward_layer: serializeKerasObject(this.backwardLayer),
    };
  }
}
registerBuiltin("keras.layers", Bidirectional);
