/**
 * StackedRNNCells: a stack of RNN cells that behaves as one cell (Keras's
 * `layers/rnn/stacked_rnn_cells.py`).
 */
import { tf, type Tensor } from "../../backend/tfjs.js";
import type { Shape } from "../../backend/keras-tensor.js";
import { registerBuiltin } from "../../saving/object-registration.js";
import { deserializeKerasObject, serializeKerasObject } from "../../saving/serialization-lib.js";
import { flatten, isPlainObject } from "../../utils/tree.js";
import { Layer, type CallArgs, type LayerArgs } from "../layer.js";
import { isShapeLike } from "../layer-utils.js";

/** A cell as StackedRNNCells sees it (see RNNCellLike in rnn.ts). */
interface CellLike extends Layer {
  readonly stateSize: number | readonly (number | readonly number[])[];
  readonly outputSize?: number;
  getInitialState?(batchSize: number): Tensor[];
}

/** Options of StackedRNNCells. */
export interface StackedRNNCellsArgs extends LayerArgs {
  /** The cells, first to last (also the first positional argument); serialized cells are deserialized. */
  cells?: (Layer | Record<string, unknown>)[];
}

function sizesOf(stateSize: CellLike["stateSize"]): number[] {
  if (typeof stateSize === "number") return [stateSize];
  const out: number[] = [];
  for (const s of stateSize) {
    if (typeof s === "number") out.push(s);
    else out.push(...s);
  }
  return out;
}

/**
 * Wraps a list of cells so that RNN runs them as one: at each timestep the
 * output of cell `i` is the input of cell `i + 1`. `RNN([cell1, cell2])`
 * builds one for you.
 *
 * States are a flat list: the states of the first cell, then those of the
 * second, and so on (`call` also accepts Keras's nested list, one entry per cell).
 *
 * ```ts
 * const cells = layers.StackedRNNCells([layers.LSTMCell(8), layers.LSTMCell(4)]);
 * layers.RNN(cells)(tf.ones([2, 5, 3])).shape;   // [2, 4]
 * ```
 */
export class StackedRNNCells extends Layer {
  /** The cells, first to last. */
  readonly cells: CellLike[];

  /** `new StackedRNNCells([cell1, cell2])` or `new StackedRNNCells({ cells })`. */
  constructor(cells: (Layer | Record<string, unknown>)[] | StackedRNNCellsArgs, args: StackedRNNCellsArgs = {}) {
    const opts: StackedRNNCellsArgs = Array.isArray(cells) ? { ...args, cells } : { ...cells };
    const list = (opts.cells ?? []).map((c) => (isPlainObject(c) && "class_name" in c ? deserializeKerasObject(c) : c));
    const { cells: _c, ...layerArgs } = opts;
    void _c;
    super(layerArgs);
    for (const c of list) {
      if (!(c instanceof Layer)) throw new Error(`All cells must have a \`call\` method. Received cell without a \`call\` method: ${String(c)}`);
      if (!("stateSize" in c)) throw new Error(`All cells must have a \`stateSize\` attribute. Received cell without a \`stateSize\`: ${c.name}`);
    }
    if (list.length === 0) throw new Error("StackedRNNCells needs at least one cell. Received: cells=[]");
    this.cells = list as CellLike[];
  }

  /** The state sizes of the cells, one entry per cell. */
  get stateSize(): (number | readonly number[])[] {
    return this.cells.map((c) => (typeof c.stateSize === "number" ? c.stateSize : sizesOf(c.stateSize)));
  }

  /** The output size of the last cell. */
  get outputSize(): number {
    const last = this.cells[this.cells.length - 1];
    return last.outputSize ?? sizesOf(last.stateSize)[0];
  }

  /** How many state tensors each cell has. */
  stateCounts(): number[] {
    return this.cells.map((c) => sizesOf(c.stateSize).length);
  }

  /** The initial states of every cell, flat. */
  getInitialState(batchSize: number): Tensor[] {
    const out: Tensor[] = [];
    for (const c of this.cells) {
      if (typeof c.getInitialState === "function") out.push(...c.getInitialState(batchSize));
      else for (const d of sizesOf(c.stateSize)) out.push(tf.zeros([batchSize, d]));
    }
    return out;
  }

  override build(inputShape: unknown): void {
    let shape = stepShape(inputShape, this.name);
    for (const c of this.cells) {
      if (!c.built) c.maybeBuild(shape);
      const outDim = c.outputSize ?? sizesOf(c.stateSize)[0];
      shape = [shape[0], outDim];
    }
    this.built = true;
  }

  /** One step of every cell: `[output of the last cell, flat new states]`. */
  override call(inputs: unknown, kwargs: CallArgs & { states?: unknown } = {}): [Tensor, Tensor[]] {
    let x: unknown = inputs;
    let states: unknown = kwargs.states;
    if (states === undefined && Array.isArray(inputs)) {
      x = inputs[0];
      states = inputs.slice(1);
    }
    let flat: Tensor[];
    if (Array.isArray(states) && states.length === this.cells.length && states.some((s) => Array.isArray(s))) {
      flat = flatten<Tensor>(states);
    } else {
      flat = flatten<Tensor>(states ?? []);
    }
    const counts = this.stateCounts();
    const newStates: Tensor[] = [];
    let offset = 0;
    let current = x as Tensor;
    this.cells.forEach((c, i) => {
      const own = flat.slice(offset, offset + counts[i]);
      offset += counts[i];
      const r = c.call(current, { states: own, training: kwargs.training });
      if (!Array.isArray(r) || !(r[0] instanceof tf.Tensor)) throw new Error(`Cell "${c.name}" must return [output, newStates].`);
      current = r[0];
      newStates.push(...flatten<Tensor>(r[1]));
    });
    return [current, newStates];
  }

  override computeOutputShape(inputShape: unknown): unknown {
    const s = stepShape(inputShape, this.name);
    const batch = s[0];
    const states: Shape[] = [];
    for (const c of this.cells) for (const d of sizesOf(c.stateSize)) states.push([batch, d]);
    return [[batch, this.outputSize], states];
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), cells: this.cells.map((c) => serializeKerasObject(c)) };
  }
}
registerBuiltin("keras.layers", StackedRNNCells);

function stepShape(inputShape: unknown, layerName: string): Shape {
  if (isShapeLike(inputShape)) return [...inputShape];
  if (Array.isArray(inputShape) && inputShape.length > 0 && isShapeLike(inputShape[0])) return [...inputShape[0]];
  throw new Error(`Layer "${layerName}" expects a step input shape. Received: input_shape=${JSON.stringify(inputShape)}`);
}
