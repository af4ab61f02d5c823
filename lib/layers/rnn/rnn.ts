/**
 * RNN: the generic recurrent layer over any cell (Keras's `layers/rnn/rnn.py`),
 * plus the small helpers the built-in cells share (dropout masks, the fast
 * path interface, fast activations).
 *
 * The time loop is plain JavaScript over the timesteps (tf.unstack / tf.stack),
 * so gradients flow through time with ordinary tfjs ops. Cells that implement
 * `prepareSequence` (every built-in cell) project the inputs of all timesteps
 * with one matmul (or one convolution) before the loop.
 */
import { tf, type Tensor } from "../../backend/tfjs.js";
import type { Shape } from "../../backend/keras-tensor.js";
import * as activations from "../../activations/index.js";
import type { ActivationFn } from "../../activations/index.js";
import { convertToTensor, type TensorLike } from "../../ops/convert.js";
import { dropout } from "../../random/random.js";
import type { SeedGenerator } from "../../random/seed-generator.js";
import { registerBuiltin } from "../../saving/object-registration.js";
import { deserializeKerasObject, serializeKerasObject } from "../../saving/serialization-lib.js";
import { flatten, isPlainObject } from "../../utils/tree.js";
import { withNameScope } from "../../backend/name-scope.js";
import { Layer, type CallArgs, type LayerArgs } from "../layer.js";
import { isShapeLike } from "../layer-utils.js";
import { StackedRNNCells } from "./stacked-rnn-cells.js";

// ------------------------------------------------------------------ cell protocol

/**
 * The size of a cell's state: one integer (one state), a list of integers
 * (one per state, e.g. `[units, units]` for LSTM), or for StackedRNNCells the
 * list of its cells' state sizes.
 */
export type StateSize = number | readonly (number | readonly number[])[];

/**
 * What RNN needs from a cell: a layer whose `call(input, { states, training })`
 * returns `[output, newStates]`, with a `stateSize`, and optionally an
 * `outputSize` and a `getInitialState(batchSize)`.
 */
export interface RNNCellLike extends Layer {
  /** One integer per state (or one integer for a single state). */
  readonly stateSize: StateSize;
  /** Size of the output (default: the first state size). */
  readonly outputSize?: number;
  /** The zero (or other) initial states for a batch. */
  getInitialState?(batchSize: number): Tensor[];
}

/** Keyword arguments of a cell's call. */
export interface RNNCellCallArgs extends CallArgs {
  /** The states at the previous step (a tensor or a list; nested lists for StackedRNNCells). */
  states?: unknown;
}

/** The per-sequence form of a cell's step, made by `prepareSequence`. */
export interface SequenceStepper {
  /** The (already projected) inputs of each timestep, in time order. */
  inputs: Tensor[];
  /** One step: the output and the new states for the step input and the previous states. */
  step(input: Tensor, states: Tensor[]): [Tensor, Tensor[]];
}

/**
 * The fast path of the built-in cells: once per sequence, project the inputs
 * of all timesteps at once (and draw the dropout masks), then step.
 */
export interface FusedRNNCell {
  /**
   * Prepares a whole sequence, time along `timeAxis` (0 or 1), for stepping.
   * The returned inputs are those of each timestep in time order.
   */
  prepareSequence(sequences: Tensor, timeAxis: 0 | 1, training: boolean): SequenceStepper;
}

/** True when `cell` implements the fused fast path. */
export function isFusedCell(cell: unknown): cell is FusedRNNCell {
  return typeof (cell as Partial<FusedRNNCell>).prepareSequence === "function";
}

/** The flat list of state sizes of a StateSize (nested lists flattened). */
export function flatStateSizes(stateSize: StateSize): number[] {
  if (typeof stateSize === "number") return [stateSize];
  const out: number[] = [];
  for (const s of stateSize) {
    if (typeof s === "number") out.push(s);
    else out.push(...s);
  }
  return out;
}

/** The shape of a cell's step input (the first shape when the cell is built from `[x, ...states]`). */
export function stepInputShape(inputShape: unknown, layerName: string): Shape {
  if (isShapeLike(inputShape)) return [...inputShape];
  if (Array.isArray(inputShape) && inputShape.length > 0 && isShapeLike(inputShape[0])) return [...inputShape[0]];
  throw new Error(`Cell "${layerName}" expects a step input shape. Received: input_shape=${JSON.stringify(inputShape)}`);
}

/** Splits a cell's step arguments: `cell(x, { states })` or `cell([x, ...states])`. */
export function cellStepArgs(inputs: unknown, kwargs: RNNCellCallArgs | undefined, layerName: string): { x: Tensor; states: Tensor[] } {
  let x: unknown = inputs;
  let states: unknown = kwargs?.states;
  if (states === undefined && Array.isArray(inputs)) {
    x = inputs[0];
    states = inputs.slice(1);
  } else if (Array.isArray(inputs) && inputs.length === 1) {
    x = inputs[0];
  }
  if (!(x instanceof tf.Tensor)) {
    throw new Error(`Cell "${layerName}" expects a tensor input for one timestep. Received: ${String(x)}`);
  }
  const flat = flatten<unknown>(states ?? []).map((s) => (s instanceof tf.Tensor ? s : convertToTensor(s as TensorLike, "float32")));
  return { x, states: flat };
}

/**
 * A dropout mask of `shape` for `rate`: entries are 0 or `1 / (1 - rate)`,
 * drawn from `seed` (Keras's `DropoutRNNCell._create_dropout_mask`).
 */
export function makeDropoutMask(shape: number[], rate: number, seed: SeedGenerator): Tensor {
  return tf.tidy(() => dropout(tf.ones(shape), rate, { seed }));
}

/** The mask held in `cached` when it is still alive and of `shape`, else a new one. */
export function reuseDropoutMask(cached: Tensor | null, shape: number[], rate: number, seed: SeedGenerator): Tensor {
  if (cached && !cached.isDisposed && tf.util.arraysEqual(cached.shape, shape)) return cached;
  return makeDropoutMask(shape, rate, seed);
}

const FAST: [ActivationFn, ActivationFn][] = [
  [activations.get("tanh"), (x) => tf.tanh(x)],
  [activations.get("sigmoid"), (x) => tf.sigmoid(x)],
  [activations.get("relu"), (x) => tf.relu(x)],
];

/** The built-in tanh / sigmoid / relu as direct tfjs ops (same values, fewer layers of dispatch); others as they are. */
export function fastActivation(fn: ActivationFn): ActivationFn {
  if (fn === activations.get("linear")) return (x) => x;
  for (const [k, v] of FAST) if (fn === k) return v;
  return fn;
}

/** Casts to float32 when needed. */
export function asFloat(x: Tensor): Tensor {
  return x.dtype === "float32" ? x : tf.cast(x, "float32");
}

/** Projects the last axis of `x` (any rank) with `kernel` and adds `bias`: one matmul for all timesteps. */
export function projectLastAxis(x: Tensor, kernel: Tensor, bias: Tensor | null): Tensor {
  const lead = x.shape.slice(0, -1);
  const y2 = tf.matMul(tf.reshape(x, [-1, x.shape[x.rank - 1]]), kernel);
  const y = tf.reshape(bias ? tf.add(y2, bias) : y2, [...lead, kernel.shape[1] as number]);
  return y;
}

/**
 * The timesteps of a sequence (time on axis `timeAxis`), each `[batch, ...]`.
 * Batch-major sequences are made time-major first, so every step is one
 * contiguous block (the cpu backend copies a strided slice value by value).
 */
export function unstackSteps(seq: Tensor, timeAxis: 0 | 1): Tensor[] {
  if (timeAxis === 0) return tf.unstack(seq, 0);
  const perm = Array.from({ length: seq.rank }, (_, i) => i);
  perm[0] = 1;
  perm[1] = 0;
  return tf.unstack(tf.transpose(seq, perm), 0);
}

function isCellLike(x: unknown): x is RNNCellLike {
  return x instanceof Layer && "stateSize" in x;
}

// ------------------------------------------------------------------ RNN layer

/** Options of RNN (and of every recurrent layer built on it). */
export interface RNNArgs extends LayerArgs {
  /** The cell, a list of cells (stacked with StackedRNNCells), or a serialized cell (also the first positional argument). */
  cell?: RNNCellLike | RNNCellLike[] | Record<string, unknown>;
  /** Whether to return the whole output sequence instead of the last output. Default false. */
  returnSequences?: boolean;
  /** Whether to return the last states after the output. Default false. */
  returnState?: boolean;
  /** Process the sequence backwards (and return the reversed sequence). Default false. */
  goBackwards?: boolean;
  /** Carry the last states of a batch over as the initial states of the next one. Default false. */
  stateful?: boolean;
  /** Accepted for compatibility; tskeras always runs a JavaScript loop over the timesteps. Default false. */
  unroll?: boolean;
  /** With a mask and `returnSequences`: zeros (instead of the previous output) at masked steps. Default false. */
  zeroOutputForMask?: boolean;
  /** Inputs (and outputs) are `[timesteps, batch, ...]` instead of `[batch, timesteps, ...]` (Keras 2's `time_major`). Default false. */
  timeMajor?: boolean;
}

/** Keyword arguments of a recurrent layer's call. */
export interface RNNCallArgs extends CallArgs {
  /** The initial states (a tensor or a list, one per state). Default: the cell's zero states (or the carried states when stateful). */
  initialState?: TensorLike | TensorLike[] | null;
  /** Keras's spelling of `initialState`. */
  initial_state?: TensorLike | TensorLike[] | null;
}

interface LoopResult {
  last: Tensor;
  outputs: Tensor[];
  states: Tensor[];
}

/**
 * Base class for recurrent layers: runs a cell over the timesteps of
 * `[batch, timesteps, ...]` inputs.
 *
 * Masks (from `Embedding({ maskZero: true })`, `Masking`, or the `mask`
 * argument, shape `[batch, timesteps]`): at a masked step the states keep
 * their previous values and the output is the previous output (or zeros with
 * `zeroOutputForMask`).
 *
 * With `returnState`, the call returns `[output, ...states]`, states flat
 * (for stacked cells: the states of each cell in order).
 *
 * ```ts
 * const rnn = layers.RNN(layers.LSTMCell(8), { returnSequences: true });
 * rnn(tf.ones([2, 5, 3])).shape;   // [2, 5, 8]
 * ```
 */
export class RNN extends Layer {
  /** The cell run at each timestep (a StackedRNNCells for a list of cells). */
  readonly cell: RNNCellLike;
  /** Whether the full sequence is returned. */
  readonly returnSequences: boolean;
  /** Whether the last states are returned. */
  readonly returnState: boolean;
  /** Whether the sequence is processed backwards. */
  readonly goBackwards: boolean;
  /** Whether the last states carry over to the next call. */
  readonly stateful: boolean;
  /** Accepted for compatibility (the loop is always a JavaScript loop). */
  readonly unroll: boolean;
  /** Zeros instead of the previous output at masked steps. */
  zeroOutputForMask: boolean;
  /** Inputs are `[timesteps, batch, ...]`. */
  readonly timeMajor: boolean;
  private _states: Tensor[] | null = null;
  private retiredStates: Tensor[] = [];

  /** `new RNN(cell, { returnSequences: true })`, `new RNN([cell1, cell2])` or `new RNN({ cell })`. */
  constructor(cell: RNNCellLike | RNNCellLike[] | RNNArgs, args: RNNArgs = {}) {
    const opts: RNNArgs = isRNNArgs(cell) ? { ...cell } : { ...args, cell };
    const resolved = resolveCell(opts.cell);
    const { cell: _c, returnSequences, returnState, goBackwards, stateful, unroll, zeroOutputForMask, timeMajor, ...layerArgs } = opts;
    void _c;
    super(layerArgs);
    this.cell = resolved;
    this.returnSequences = returnSequences ?? false;
    this.returnState = returnState ?? false;
    this.goBackwards = goBackwards ?? false;
    this.stateful = stateful ?? false;
    this.unroll = unroll ?? false;
    this.zeroOutputForMask = zeroOutputForMask ?? false;
    this.timeMajor = timeMajor ?? false;
    this.supportsMasking = true;
  }

  /** The flat list of state sizes. */
  get stateSize(): number[] {
    return flatStateSizes(this.cell.stateSize);
  }

  /** The carried states of a stateful layer (null before the first call or when not stateful). */
  get states(): Tensor[] | null {
    return this._states;
  }

  override build(inputShape: unknown): void {
    const seqShape = sequenceShape(inputShape, this.name);
    const batch = this.timeMajor ? seqShape[1] : seqShape[0];
    const stepShape: Shape = [batch, ...seqShape.slice(2)];
    // The cell's weights live under the layer's name (`lstm/lstm_cell/kernel`), as in Keras.
    if (!this.cell.built) withNameScope(this.name, () => this.cell.maybeBuild(stepShape), this);
    if (this.stateful && batch === null) {
      throw new Error(
        `When using \`stateful=True\` in a RNN, the batch size must be static. Found dynamic batch size: sequence.shape=${JSON.stringify(seqShape)}`,
      );
    }
    this.built = true;
  }

  /** The initial states for a batch: the cell's `getInitialState`, else zeros. */
  getInitialState(batchSize: number): Tensor[] {
    if (typeof this.cell.getInitialState === "function") return this.cell.getInitialState(batchSize);
    return this.stateSize.map((d) => tf.zeros([batchSize, d]));
  }

  /**
   * Resets the carried states of a stateful layer to zeros, or to `states`
   * (one value per state) when given.
   */
  resetStates(states?: TensorLike | TensorLike[] | null): void {
    if (!this.stateful) throw new Error(`Layer "${this.name}" must be stateful to reset its states (stateful=true).`);
    this.disposeRetired();
    const old = this._states;
    if (states != null) {
      const list = (Array.isArray(states) && !isNumberArrayLike(states) ? states : [states]) as TensorLike[];
      this._states = list.map((s) => tf.keep(asFloat(convertToTensor(s, "float32"))));
      if (old) this.retiredStates.push(...old);
      this.disposeRetired();
      return;
    }
    if (old) {
      this._states = old.map((s) => tf.keep(tf.zerosLike(s)));
      old.forEach((s) => s.dispose());
    }
  }

  /** Keras's name for `resetStates`. */
  resetState(states?: TensorLike | TensorLike[] | null): void {
    this.resetStates(states);
  }

  private disposeRetired(): void {
    for (const t of this.retiredStates) if (!t.isDisposed) t.dispose();
    this.retiredStates = [];
  }

  override call(inputs: unknown, kwargs: RNNCallArgs = {}): Tensor | Tensor[] {
    let seq: Tensor;
    let initial: Tensor[] | null = null;
    if (Array.isArray(inputs) && inputs.length > 1) {
      seq = inputs[0] as Tensor;
      initial = flatten<Tensor>(inputs.slice(1));
    } else {
      seq = (Array.isArray(inputs) ? inputs[0] : inputs) as Tensor;
    }
    if (!(seq instanceof tf.Tensor)) throw new Error(`Layer "${this.name}" expects a sequence tensor input.`);
    const given = kwargs.initialState ?? kwargs.initial_state;
    if (given != null) {
      initial = (Array.isArray(given) && !isNumberArrayLike(given) ? given : [given]).map((s) =>
        s instanceof tf.Tensor ? s : convertToTensor(s as TensorLike, "float32"),
      );
    }
    const batch = seq.shape[this.timeMajor ? 1 : 0] as number;
    const training = kwargs.training === true;
    let states: Tensor[];
    if (initial) {
      const want = this.stateSize.length;
      if (initial.length !== want) {
        throw new Error(
          `Layer "${this.name}" expects ${want} initial state(s) (state sizes ${JSON.stringify(this.stateSize)}), but it received ${initial.length}.`,
        );
      }
      states = initial.map(asFloat);
    } else if (this.stateful) {
      this.disposeRetired();
      if (this._states === null) this._states = this.getInitialState(batch).map((s) => tf.keep(s));
      const expected = this._states[0].shape[0];
      if (expected !== batch) {
        throw new Error(
          `If an RNN is stateful, the batch size of the input sequences must be the same as the batch size of the initial state.\n` +
            `- Expected batch size: ${expected}\n- Received batch size: ${batch}`,
        );
      }
      states = this._states;
    } else {
      states = this.getInitialState(batch);
    }
    const maskT = flatten<unknown>(kwargs.mask ?? null).find((m): m is Tensor => m instanceof tf.Tensor) ?? null;
    const result = this.runSequence(seq, states, maskT, training);
    if (this.stateful) {
      if (this._states) this.retiredStates.push(...this._states);
      this._states = result.states.map((s) => tf.keep(tf.clone(s)));
    }
    const output = this.returnSequences ? tf.stack(result.outputs, this.timeMajor ? 0 : 1) : result.last;
    return this.returnState ? [output, ...result.states] : output;
  }

  private runSequence(seq: Tensor, states: Tensor[], mask: Tensor | null, training: boolean): LoopResult {
    const timeAxis: 0 | 1 = this.timeMajor ? 0 : 1;
    const steps = seq.shape[timeAxis];
    if (!steps) throw new Error(`Layer "${this.name}" received a sequence with no timesteps (shape ${JSON.stringify(seq.shape)}).`);
    let maskSteps: Tensor[] | null = null;
    if (mask) {
      const m = mask.dtype === "bool" ? mask : tf.cast(mask, "bool");
      maskSteps = tf.unstack(m.rank > 2 ? tf.reshape(m, m.shape.slice(0, 2)) : m, timeAxis).map((mt) => tf.reshape(mt, [mt.shape[0], 1]));
      if (this.goBackwards) maskSteps.reverse();
    }
    const cell = this.cell;
    if (cell instanceof StackedRNNCells && cell.cells.every(isFusedCell)) {
      // Layer by layer: each cell runs over the whole sequence with its inputs projected at once.
      const counts = cell.stateCounts();
      const finalStates: Tensor[] = [];
      let current = seq;
      let axis: 0 | 1 = timeAxis;
      let result: LoopResult | null = null;
      let offset = 0;
      cell.cells.forEach((c, i) => {
        const last = i === cell.cells.length - 1;
        const stepper = (c as unknown as FusedRNNCell).prepareSequence(current, axis, training);
        const ins = i === 0 && this.goBackwards ? stepper.inputs.slice().reverse() : stepper.inputs;
        const own = states.slice(offset, offset + counts[i]);
        offset += counts[i];
        result = this.loop((x, s) => stepper.step(x, s), ins, own, maskSteps, !last || this.returnSequences);
        finalStates.push(...result.states);
        if (!last) {
          current = tf.stack(result.outputs, 0);
          axis = 0;
        }
      });
      const r = result as unknown as LoopResult;
      return { last: r.last, outputs: r.outputs, states: finalStates };
    }
    if (isFusedCell(cell)) {
      const stepper = cell.prepareSequence(seq, timeAxis, training);
      const ins = this.goBackwards ? stepper.inputs.slice().reverse() : stepper.inputs;
      return this.loop((x, s) => stepper.step(x, s), ins, states, maskSteps, this.returnSequences);
    }
    const ins = unstackSteps(seq, timeAxis);
    if (this.goBackwards) ins.reverse();
    try {
      return this.loop((x, s) => normalizeCellOutput(cell.call(x, { states: s, training }), this.name), ins, states, maskSteps, this.returnSequences);
    } finally {
      resetDropoutMasks(cell);
    }
  }

  private loop(
    step: (x: Tensor, s: Tensor[]) => [Tensor, Tensor[]],
    inputs: Tensor[],
    initial: Tensor[],
    maskSteps: Tensor[] | null,
    returnAll: boolean,
  ): LoopResult {
    let states = initial;
    const outputs: Tensor[] = [];
    let last: Tensor | null = null;
    let fill: Tensor | null = null;
    for (let t = 0; t < inputs.length; t++) {
      let [out, next] = step(inputs[t], states);
      if (maskSteps) {
        const m = maskSteps[t];
        if (fill === null) fill = tf.zerosLike(out);
        out = tf.where(out.rank === m.rank ? m : expandMask(m, out.rank), out, fill);
        if (!this.zeroOutputForMask) fill = out;
        for (let i = 0; i < next.length; i++) {
          const s = next[i];
          next[i] = tf.where(s.rank === m.rank ? m : expandMask(m, s.rank), s, states[i]);
        }
      }
      states = next;
      if (returnAll) outputs.push(out);
      last = out;
    }
    return { last: last as Tensor, outputs, states };
  }

  override computeOutputShape(inputShape: unknown): Shape | Shape[] {
    const s = sequenceShape(inputShape, this.name);
    const batch = this.timeMajor ? s[1] : s[0];
    const steps = this.timeMajor ? s[0] : s[1];
    const outSize = this.cell.outputSize ?? this.stateSize[0];
    const out: Shape = this.returnSequences ? (this.timeMajor ? [steps, batch, outSize] : [batch, steps, outSize]) : [batch, outSize];
    if (!this.returnState) return out;
    return [out, ...this.stateSize.map((d): Shape => [batch, d])];
  }

  override computeMask(_inputs: unknown, mask: unknown): Tensor | (Tensor | null)[] | null {
    const m = flatten<unknown>(mask ?? null)[0];
    const outMask = this.returnSequences && m instanceof tf.Tensor ? m : null;
    if (this.returnState) return [outMask, ...this.stateSize.map(() => null)];
    return outMask;
  }

  /** Frees the weights and the carried states. */
  override dispose(): void {
    this.disposeRetired();
    if (this._states) this._states.forEach((s) => s.isDisposed || s.dispose());
    this._states = null;
    super.dispose();
  }

  /** The RNN flags plus `time_major` when set. */
  protected rnnConfig(): Record<string, unknown> {
    const config: Record<string, unknown> = {
      ...super.getConfig(),
      return_sequences: this.returnSequences,
      return_state: this.returnState,
      go_backwards: this.goBackwards,
      stateful: this.stateful,
      unroll: this.unroll,
      zero_output_for_mask: this.zeroOutputForMask,
    };
    if (this.timeMajor) config.time_major = true;
    return config;
  }

  override getConfig(): Record<string, unknown> {
    return { ...this.rnnConfig(), cell: serializeKerasObject(this.cell) };
  }
}
registerBuiltin("keras.layers", RNN);

// ------------------------------------------------------------------ helpers

function isNumberArrayLike(x: unknown): boolean {
  return Array.isArray(x) && (x.length === 0 || typeof x[0] === "number" || Array.isArray(x[0]));
}

function isRNNArgs(x: unknown): x is RNNArgs {
  return isPlainObject(x) && !("class_name" in x);
}

function resolveCell(cell: unknown): RNNCellLike {
  if (Array.isArray(cell)) return new StackedRNNCells(cell.map(resolveCell)) as unknown as RNNCellLike;
  if (isPlainObject(cell) && "class_name" in cell) return resolveCell(deserializeKerasObject(cell));
  if (!(cell instanceof Layer) || typeof (cell as Layer).call !== "function") {
    throw new Error(`Argument \`cell\` should have a \`call\` method. Received: cell=${String(cell)}`);
  }
  if (!isCellLike(cell)) {
    throw new Error(
      "The RNN cell should have a `stateSize` attribute (single integer or list of integers, one integer per RNN state). " +
        `Received: cell=${String(cell)}`,
    );
  }
  return cell;
}

function sequenceShape(inputShape: unknown, layerName: string): Shape {
  if (isShapeLike(inputShape)) return [...inputShape];
  if (Array.isArray(inputShape) && inputShape.length > 0 && isShapeLike(inputShape[0])) return [...inputShape[0]];
  throw new Error(`Layer "${layerName}" expects a sequence input. Received: input_shape=${JSON.stringify(inputShape)}`);
}

/** `[output, newStates]` from whatever a cell's call returned. */
export function normalizeCellOutput(result: unknown, layerName: string): [Tensor, Tensor[]] {
  if (Array.isArray(result) && result.length === 2 && result[0] instanceof tf.Tensor) {
    return [result[0], flatten<Tensor>(result[1])];
  }
  throw new Error(`The cell of layer "${layerName}" must return [output, newStates]. Received: ${String(result)}`);
}

function expandMask(m: Tensor, rank: number): Tensor {
  return tf.reshape(m, [m.shape[0], ...new Array<number>(rank - 1).fill(1)]);
}

function resetDropoutMasks(cell: unknown): void {
  const c = cell as { resetDropoutMask?: () => void; resetRecurrentDropoutMask?: () => void; cells?: unknown[] };
  c.resetDropoutMask?.();
  c.resetRecurrentDropoutMask?.();
  if (cell instanceof StackedRNNCells) cell.cells.forEach(resetDropoutMasks);
}
