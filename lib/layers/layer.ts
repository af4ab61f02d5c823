/**
 * Layer: the base of every Keras layer and model (Keras's `layers/layer.py`).
 *
 * A layer is built lazily from the shape of its first input (`build`), runs
 * `call` on concrete tensors, and records a graph node when called on
 * KerasTensors (Functional API). Instances are callable: `layer(x)`.
 */
import { tf, type Tensor } from "../backend/tfjs.js";
import { KerasTensor, formatShape, type Shape } from "../backend/keras-tensor.js";
import { Variable } from "../backend/variable.js";
import { withNameScope } from "../backend/name-scope.js";
import { attachKerasMask, getKerasMask } from "../backend/masking.js";
import type { DType, DTypeLike } from "../backend/dtypes.js";
import { Operation, anySymbolic, traceOutputSpec } from "../ops/operation.js";
import { Node } from "../ops/node.js";
import { convertToTensor, type TensorLike } from "../ops/convert.js";
import { CALL } from "../utils/callable-object.js";
import { flatten, isPlainObject } from "../utils/tree.js";
import { camelToSnake, snakeToCamel } from "../utils/naming.js";
import { DTypePolicy, getDTypePolicy } from "../dtype-policies/dtype-policy.js";
import * as initializers from "../initializers/index.js";
import * as regularizers from "../regularizers/index.js";
import * as constraints from "../constraints/index.js";
import type { InitializerLike } from "../initializers/initializer.js";
import type { Regularizer, RegularizerLike } from "../regularizers/regularizer.js";
import type { ConstraintLike } from "../constraints/constraint.js";
import { InputSpec, assertInputCompatibility } from "./input-spec.js";
import { displayHooks, type MimeBundle } from "../utils/display-hooks.js";

/** Options every layer accepts. */
export interface LayerArgs {
  /** Unique name; default: the snake_case class name made unique (`dense`, `dense_1`, ...). */
  name?: string | null;
  /** Dtype policy: `"float32"` (default floatx), `"mixed_float16"`, or a DTypePolicy. */
  dtype?: DTypeLike | string | DTypePolicy | Record<string, unknown> | null;
  /** Whether the layer's weights are updated by training. Default true. */
  trainable?: boolean;
  /** A regularizer applied to the layer's output; its value is added to `losses`. */
  activityRegularizer?: RegularizerLike | null;
  /** Keras 2 style: the input shape without the batch dimension (Sequential adds an Input). */
  inputShape?: Shape | null;
  /** With `inputShape`: a fixed batch size. */
  batchSize?: number | null;
  /** Keras 2 style: the full input shape, batch first. */
  batchInputShape?: Shape | null;
}

/** Keyword arguments of a call. */
export interface CallArgs {
  /** Training mode (Dropout active, BatchNormalization uses batch statistics). */
  training?: boolean | null;
  /** A mask for the inputs (or one per input). */
  mask?: unknown;
  [key: string]: unknown;
}

/** What a layer can be called on: tensors, arrays, KerasTensors, and lists or dicts of them. */
export type LayerInput =
  | TensorLike
  | KerasTensor
  | readonly (TensorLike | KerasTensor)[]
  | { [name: string]: TensorLike | KerasTensor };

/** Calling on KerasTensors gives KerasTensors; on concrete data, tensors. */
export type LayerOutput<T> = [Extract<FlatLeaf<T>, KerasTensor>] extends [never] ? Tensor : KerasTensor;
type FlatLeaf<T> = T extends readonly (infer E)[] ? E : T extends { [k: string]: infer V } ? (V extends KerasTensor ? V : T) : T;

/** Options of `addWeight`. */
export interface AddWeightOptions {
  /** The weight's shape. Default `[]` (a scalar). */
  shape?: number[];
  /** Default `"glorot_uniform"` for floats, `"zeros"` otherwise. */
  initializer?: InitializerLike | null;
  /** Default: the layer's variable dtype. */
  dtype?: DTypeLike | null;
  /** Default true. */
  trainable?: boolean;
  /** Keras's flag for mixed precision; kept for compatibility. Default true. */
  autocast?: boolean;
  regularizer?: RegularizerLike | null;
  constraint?: ConstraintLike | null;
  aggregation?: "none" | "mean" | "sum" | "only_first_replica";
  /** The variable's short name, e.g. `kernel`. */
  name?: string | null;
}

interface CallContext {
  training: boolean | null | undefined;
  entryLayer: Layer;
}

let callContext: CallContext | null = null;

/** True while a layer's `call` runs (the outermost call owns the context). */
export function inLayerCall(): boolean {
  return callContext !== null;
}

const NOT_IMPLEMENTED = Symbol("not implemented");

function isShape(x: unknown): x is Shape {
  return Array.isArray(x) && x.every((d) => d === null || typeof d === "number");
}

/**
 * True for JS data that is one tensor: a number, a boolean, a typed array, or
 * a nested array whose leaves are all numbers and booleans, or all strings (a
 * string tensor) (an array holding a tensor or a typed array is a list of
 * inputs instead).
 */
export function isTensorData(x: unknown): boolean {
  if (typeof x === "number" || typeof x === "boolean" || ArrayBuffer.isView(x)) return true;
  return Array.isArray(x) && (isNestedOf(x, (e) => typeof e === "number" || typeof e === "boolean") || isNestedOf(x, (e) => typeof e === "string"));
}

/** Nested arrays (at least one level) whose leaves all pass `leaf`. */
function isNestedOf(x: unknown[], leaf: (e: unknown) => boolean): boolean {
  if (x.length === 0) return true;
  const first = x[0];
  if (Array.isArray(first)) {
    for (const e of x) if (!Array.isArray(e) || !isNestedOf(e, leaf)) return false;
    return true;
  }
  for (const e of x) if (!leaf(e)) return false;
  return true;
}

/** Maps every leaf of a call's inputs; JS numeric data counts as one leaf. */
function mapInputs(x: unknown, fn: (leaf: unknown) => unknown): unknown {
  if (isTensorData(x) || x instanceof tf.Tensor || x instanceof KerasTensor || x instanceof Variable) return fn(x);
  if (Array.isArray(x)) return x.map((v) => mapInputs(v, fn));
  if (isPlainObject(x)) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(x)) out[k] = mapInputs(x[k], fn);
    return out;
  }
  return fn(x);
}

function shapeOfLeaf(x: unknown): Shape {
  if (x instanceof tf.Tensor || x instanceof KerasTensor || x instanceof Variable) return [...x.shape];
  return [];
}

/** The base class of all layers. Subclass it and define `build`, `call`, `computeOutputShape`, `getConfig`. */
export class Layer extends Operation {
  /** Set to true once `build` has run. */
  built = false;
  /** Checked against the inputs on every call. */
  inputSpec: InputSpec | InputSpec[] | null = null;
  /** Whether the layer passes masks through. */
  supportsMasking = false;
  /** A regularizer applied to the outputs. */
  activityRegularizer: Regularizer | null = null;
  /** The dtype policy. */
  dtypePolicy: DTypePolicy;
  /** The dtype JS data given to `call` is converted to. */
  protected inputDtype: DType | null = null;
  /** The shape(s) `build` received, for `getBuildConfig`. */
  protected buildShapes: unknown = undefined;
  /** The batch input shape given by `inputShape`/`batchInputShape` options (Keras 2 style). */
  readonly batchInputShape: Shape | null;
  private _trainable: boolean;
  private readonly _trainableVariables: Variable[] = [];
  private readonly _nonTrainableVariables: Variable[] = [];
  private _losses: Tensor[] = [];

  constructor(args: LayerArgs = {}) {
    super(args.name ?? null);
    this._trainable = args.trainable ?? true;
    this.dtypePolicy = getDTypePolicy(args.dtype);
    this.activityRegularizer = regularizers.get(args.activityRegularizer ?? null);
    if (args.batchInputShape) this.batchInputShape = [...args.batchInputShape];
    else if (args.inputShape) this.batchInputShape = [args.batchSize ?? null, ...args.inputShape];
    else this.batchInputShape = null;
  }

  // ---------------------------------------------------------------- state

  /** Whether the weights are updated by training. Setting it applies to the sublayers too. */
  get trainable(): boolean {
    return this._trainable;
  }

  set trainable(value: boolean) {
    this._trainable = Boolean(value);
    for (const v of this._trainableVariables) v.trainable = this._trainable;
    for (const l of this.trackedLayers()) l.trainable = this._trainable;
  }

  /** The dtype of the layer's variables, e.g. `"float32"`. */
  get dtype(): DType {
    return this.dtypePolicy.variableDtype;
  }

  /** The dtype of the layer's computations. */
  get computeDtype(): DType {
    return this.dtypePolicy.computeDtype;
  }

  /** The dtype of the layer's variables. */
  get variableDtype(): DType {
    return this.dtypePolicy.variableDtype;
  }

  /**
   * The layers held by this one (attributes that are layers, or arrays and
   * plain objects of layers), in the order they were assigned.
   */
  protected trackedLayers(): Layer[] {
    const out: Layer[] = [];
    const seen = new Set<Layer>();
    const visit = (v: unknown, depth: number): void => {
      if (v instanceof Layer) {
        if (v !== this && !seen.has(v)) {
          seen.add(v);
          out.push(v);
        }
      } else if (depth < 3 && Array.isArray(v)) {
        for (const e of v) visit(e, depth + 1);
      } else if (depth < 3 && isPlainObject(v)) {
        for (const e of Object.values(v)) visit(e, depth + 1);
      }
    };
    for (const key of Object.keys(this)) {
      if (key === "inboundNodes" || key === "outboundNodes") continue;
      visit((this as unknown as Record<string, unknown>)[key], 0);
    }
    return out;
  }

  /** Sublayers, as Keras's `layer._layers` (direct children only). */
  protected get sublayers(): Layer[] {
    return this.trackedLayers();
  }

  private ownVariables(): Variable[] {
    const out = [...this._trainableVariables, ...this._nonTrainableVariables];
    for (const key of Object.keys(this)) {
      const v = (this as unknown as Record<string, unknown>)[key];
      if (v instanceof Variable && !out.includes(v)) out.push(v);
    }
    return out;
  }

  /** All weights: own trainable, own non-trainable, then the sublayers' (Keras's order). */
  get weights(): Variable[] {
    const out: Variable[] = [];
    const seen = new Set<Variable>();
    const add = (v: Variable): void => {
      if (!seen.has(v)) {
        seen.add(v);
        out.push(v);
      }
    };
    this.ownVariables().forEach(add);
    for (const l of this.sublayers) l.weights.forEach(add);
    return out;
  }

  /** The weights training updates (none when the layer is frozen). */
  get trainableWeights(): Variable[] {
    if (!this.trainable) return [];
    return this.weights.filter((v) => v.trainable);
  }

  /** The weights training does not update. */
  get nonTrainableWeights(): Variable[] {
    if (!this.trainable) return this.weights;
    return this.weights.filter((v) => !v.trainable);
  }

  /** Same as `weights` (Keras also counts metric and seed state here). */
  get variables(): Variable[] {
    return this.weights;
  }

  get trainableVariables(): Variable[] {
    return this.trainableWeights;
  }

  get nonTrainableVariables(): Variable[] {
    return this.nonTrainableWeights;
  }

  /**
   * Creates a weight owned by this layer (call it from `build`). Its path is
   * `<layer name>/<name>`, nested under enclosing layers.
   */
  addWeight(options: AddWeightOptions = {}): Variable {
    const shape = options.shape ?? [];
    const dtype = (options.dtype ?? this.variableDtype) as DType;
    const floatish = dtype === "float32";
    const init = initializers.get(options.initializer ?? (floatish ? "glorot_uniform" : "zeros"));
    const regularizer = regularizers.get(options.regularizer ?? null);
    const constraint = constraints.get(options.constraint ?? null);
    const trainable = options.trainable ?? true;
    const variable = withNameScope(
      this.name,
      () => {
        const value = init.call([...shape], dtype);
        try {
          return new Variable(value, {
            name: options.name ?? "variable",
            trainable,
            dtype,
            constraint: constraint ? (x: Tensor) => constraint.call(x) : null,
            aggregation: options.aggregation ?? "none",
          });
        } finally {
          value.dispose();
        }
      },
      this,
    );
    if (regularizer) variable.regularizer = (x: Tensor) => regularizer.call(x);
    if (trainable) this._trainableVariables.push(variable);
    else this._nonTrainableVariables.push(variable);
    return variable;
  }

  // ---------------------------------------------------------------- build

  /** Creates the layer's weights for inputs of `inputShape`. The default creates none. */
  build(inputShape: unknown): void {
    void inputShape;
    this.built = true;
  }

  /** Builds the layer for `inputShape` unless it is built already. */
  maybeBuild(inputShape: unknown): void {
    if (this.built) return;
    withNameScope(this.name, () => tf.tidy(() => this.build(inputShape)), this);
    this.built = true;
    this.buildShapes = inputShape;
  }

  /** Keras's `build_config`: `{input_shape}` from the first build. */
  getBuildConfig(): Record<string, unknown> | null {
    if (this.buildShapes === undefined) return null;
    return { input_shape: this.buildShapes };
  }

  /** Builds from a `build_config` (used when loading a model). */
  buildFromConfig(config: Record<string, unknown> | null | undefined): void {
    const shape = config?.input_shape;
    if (shape !== undefined && shape !== null) this.maybeBuild(shape);
  }

  // ---------------------------------------------------------------- call

  /** The layer's computation on concrete tensors. Override it. */
  call(inputs: unknown, kwargs?: CallArgs): unknown {
    void inputs;
    void kwargs;
    throw new Error(
      `Layer ${this.className} does not have a \`call()\` method implemented. Define \`call(inputs, { training, mask })\` in your subclass.`,
    );
  }

  /** The output shape for an input shape. Override it to avoid shape tracing. */
  computeOutputShape(inputShape: unknown): unknown {
    void inputShape;
    return NOT_IMPLEMENTED;
  }

  /** The output mask for given inputs and input mask. */
  computeMask(inputs: unknown, mask: unknown): unknown {
    void inputs;
    if (!this.supportsMasking) return null;
    return mask ?? null;
  }

  override computeOutputSpec(args: unknown[], kwargs: Record<string, unknown>): unknown {
    const inputs = args[0];
    const shapes = mapInputs(inputs, shapeOfLeaf);
    const declared = this.computeOutputShape(shapes);
    if (declared !== NOT_IMPLEMENTED) {
      const dtype = this.computeDtype;
      const toSpec = (s: unknown): unknown => {
        if (isShape(s)) return new KerasTensor(s, { dtype });
        if (Array.isArray(s)) return s.map(toSpec);
        if (isPlainObject(s)) {
          const o: Record<string, unknown> = {};
          for (const k of Object.keys(s)) o[k] = toSpec(s[k]);
          return o;
        }
        return s;
      };
      return toSpec(declared);
    }
    return withNameScope(
      this.name,
      () => traceOutputSpec((concrete) => this.runCall(concrete[0], kwargs), [inputs]),
      this,
    );
  }

  override callFromNode(args: unknown[], kwargs: Record<string, unknown>): unknown {
    return this.apply(args[0] as LayerInput, kwargs as CallArgs);
  }

  override [CALL](inputs: unknown, kwargs?: unknown): unknown {
    return this.apply(inputs as LayerInput, kwargs as CallArgs | undefined);
  }

  /**
   * Calls the layer: `layer.apply(x)` is `layer(x)`. On KerasTensors it
   * records a node of the Functional graph; on data it builds the layer if
   * needed and runs `call`.
   */
  apply<T extends LayerInput>(inputs: T, kwargs: CallArgs = {}): LayerOutput<T> {
    if (anySymbolic(inputs) || anySymbolic(kwargs)) return this.symbolicApply(inputs, kwargs) as LayerOutput<T>;
    return this.eagerApply(inputs, kwargs) as LayerOutput<T>;
  }

  private inputShapesOf(inputs: unknown): { struct: unknown; flat: Shape[] } {
    const struct = mapInputs(inputs, (x) => (x instanceof tf.Tensor || x instanceof KerasTensor || x instanceof Variable ? [...x.shape] : shapeOfData(x)));
    const flat: Shape[] = [];
    mapInputs(inputs, (x) => {
      flat.push(x instanceof tf.Tensor || x instanceof KerasTensor || x instanceof Variable ? [...x.shape] : shapeOfData(x));
      return x;
    });
    return { struct, flat };
  }

  /** Checks the input spec (as Keras, before building), builds, and checks the spec `build` set. */
  private checkAndBuild(struct: unknown, flat: Shape[]): void {
    assertInputCompatibility(this.inputSpec, flat, this.name);
    if (this.built) return;
    this.maybeBuild(struct);
    assertInputCompatibility(this.inputSpec, flat, this.name);
  }

  private symbolicApply(inputs: unknown, kwargs: CallArgs): unknown {
    const { struct, flat } = this.inputShapesOf(inputs);
    this.checkAndBuild(struct, flat);
    const outputs = this.computeOutputSpec([inputs], kwargs);
    new Node(this, [inputs], kwargs, outputs);
    return outputs;
  }

  /** Runs `call` on concrete data with the call context set (no build, no checks). */
  protected runCall(inputs: unknown, kwargs: CallArgs): unknown {
    const outer = callContext;
    const training = kwargs.training ?? outer?.training ?? null;
    callContext = { training, entryLayer: outer?.entryLayer ?? this };
    try {
      return this.call(inputs, { ...kwargs, training });
    } finally {
      callContext = outer;
    }
  }

  private eagerApply(inputs: unknown, kwargs: CallArgs): unknown {
    const outermost = callContext === null;
    if (outermost) this.clearLosses();
    const result = tf.tidy(() => {
      const wantDtype = this.inputDtype ?? this.computeDtype;
      const concrete = mapInputs(inputs, (x) => {
        if (x instanceof Variable) return x.value;
        if (isTensorData(x)) return convertToTensor(x as TensorLike, wantDtype);
        return x;
      });
      const { struct, flat } = this.inputShapesOf(concrete);
      this.checkAndBuild(struct, flat);
      // Masks travel with tensors: a mask attached to the inputs is passed on as `mask`.
      let mask = kwargs.mask;
      if (mask === undefined) {
        const m = mapInputs(concrete, (t) => getKerasMask(t));
        if (flatten(m).some((e) => e !== null)) mask = m;
      }
      const callKwargs = mask === undefined ? kwargs : { ...kwargs, mask };
      // The call runs in the layer's name scope, so sublayers built inside get `outer/inner/...` paths.
      const outputs = withNameScope(this.name, () => this.runCall(concrete, callKwargs), this);
      if (this.activityRegularizer) {
        for (const o of flatten(outputs)) {
          if (o instanceof tf.Tensor) this._losses.push(tf.keep(this.activityRegularizer.call(o)));
        }
      }
      if (this.supportsMasking || this.computeMask !== Layer.prototype.computeMask) {
        const outMask = this.computeMask(concrete, mask ?? null);
        if (outMask !== null && outMask !== undefined) {
          const outs = flatten(outputs).filter((o): o is Tensor => o instanceof tf.Tensor);
          const ms = outMask instanceof tf.Tensor ? outs.map(() => outMask) : flatten(outMask);
          // Each output owns a copy of its mask, freed with it.
          const owned: Tensor[] = [];
          outs.forEach((o, i) => {
            const m = ms[i];
            if (m instanceof tf.Tensor) {
              attachKerasMask(o, m);
              owned.push(getKerasMask(o) as Tensor);
            }
          });
          return [outputs, owned] as unknown as tf.TensorContainer;
        }
      }
      return [outputs, null] as unknown as tf.TensorContainer;
    }) as unknown as [unknown, unknown];
    return result[0];
  }

  // ---------------------------------------------------------------- losses

  /** Adds a loss tensor (e.g. an activity penalty) to `losses`; call it from `call`. */
  addLoss(loss: Tensor): void {
    this._losses.push(tf.keep(loss));
  }

  /**
   * The losses of the last call (from `addLoss` and activity regularizers)
   * plus the weight regularization penalties, computed now. The caller owns
   * the returned tensors (or runs inside `tf.tidy`).
   */
  get losses(): Tensor[] {
    const out: Tensor[] = [...this.ownLosses()];
    for (const v of this.weights) if (v.regularizer) out.push(v.regularizer(v.value));
    return out;
  }

  private ownLosses(): Tensor[] {
    const out = [...this._losses];
    for (const l of this.sublayers) out.push(...l.ownLosses());
    return out;
  }

  /** Frees the losses of the previous call, in this layer and its sublayers. */
  protected clearLosses(): void {
    for (const t of this._losses) t.dispose();
    this._losses = [];
    for (const l of this.sublayers) l.clearLosses();
  }

  // ---------------------------------------------------------------- weights IO

  /** The number of scalars in the layer's weights. */
  countParams(): number {
    if (!this.built) {
      throw new Error(
        `You tried to call \`countParams\` on layer '${this.name}', but the layer isn't built. ` +
          "You can build it manually via: `layer.build(inputShape)`.",
      );
    }
    return this.weights.reduce((n, w) => n + w.size, 0);
  }

  /** Copies of the weight values, in `weights` order. The caller owns them. */
  getWeights(): Tensor[] {
    return this.weights.map((w) => tf.clone(w.value));
  }

  /** Sets the weight values, in `weights` order; shapes must match. */
  setWeights(values: readonly TensorLike[]): void {
    const weights = this.weights;
    if (values.length !== weights.length) {
      throw new Error(
        `Layer ${this.name} weight list length mismatch: you called \`setWeights\` with a list of length ` +
          `${values.length}, but the layer has ${weights.length} weights.`,
      );
    }
    weights.forEach((w, i) => {
      const t = convertToTensor(values[i], w.dtype);
      try {
        if (!tf.util.arraysEqual(t.shape, w.shape)) {
          throw new Error(
            `Layer ${this.name} weight shape mismatch for ${w.path}: expected ${formatShape(w.shape)}, received ${formatShape(t.shape)}.`,
          );
        }
        w.assign(t);
      } finally {
        if (t !== values[i] && !(values[i] instanceof Variable)) t.dispose();
      }
    });
  }

  /** Frees every weight of the layer and its sublayers. The layer cannot be used afterwards. */
  dispose(): void {
    this.clearLosses();
    for (const w of this.weights) if (!w.isDisposed) w.dispose();
  }

  // ---------------------------------------------------------------- graph

  /** The input of the layer's only call on KerasTensors. */
  get input(): unknown {
    return this.singleNode("input").callArgs[0];
  }

  /** The output of the layer's only call on KerasTensors. */
  get output(): unknown {
    return this.singleNode("output").outputs;
  }

  private singleNode(what: string): Node {
    if (this.inboundNodes.length === 0) {
      throw new Error(`The layer ${this.name} has never been called and thus has no defined ${what}.`);
    }
    if (this.inboundNodes.length > 1) {
      throw new Error(
        `The layer ${this.name} has been called ${this.inboundNodes.length} times; its ${what} is ambiguous. ` +
          "Use `layer.inboundNodes[i]` instead.",
      );
    }
    return this.inboundNodes[0];
  }

  // ---------------------------------------------------------------- config

  /** The configuration: `{name, trainable, dtype}` plus each layer's own keys (snake_case). */
  override getConfig(): Record<string, unknown> {
    const config: Record<string, unknown> = {
      name: this.name,
      trainable: this.trainable,
      dtype: this.dtypePolicy.serialize(),
    };
    return config;
  }

  /**
   * Makes a layer from `getConfig()` output: snake_case keys become the
   * camelCase options of the constructor.
   */
  static fromConfig<T extends Layer>(this: new (args: never) => T, config: Record<string, unknown>): T {
    return new this(configToArgs(config) as never);
  }

  override toString(): string {
    return `<${this.className} name=${this.name}, built=${this.built ? "True" : "False"}>`;
  }

  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.toString();
  }

  /**
   * A MIME bundle for notebooks (the Jupyter display protocol of Deno's and
   * tskeras's kernels): a model's summary table when `display/` is loaded,
   * else this layer's text.
   */
  [Symbol.for("Jupyter.display")](): MimeBundle {
    return displayHooks.layer?.(this) ?? { "text/plain": this.toString() };
  }
}

/** Every layer is callable: `layer(x)` is `layer.apply(x)`. */
export interface Layer {
  <T extends LayerInput>(inputs: T, kwargs?: CallArgs): LayerOutput<T>;
}

function shapeOfData(x: unknown): Shape {
  if (typeof x === "number" || typeof x === "boolean") return [];
  if (ArrayBuffer.isView(x)) return [(x as unknown as ArrayLike<number>).length];
  const shape: number[] = [];
  let cur: unknown = x;
  while (Array.isArray(cur)) {
    shape.push(cur.length);
    cur = cur[0];
  }
  return shape;
}

/** snake_case config keys → camelCase constructor options (top level only). */
export function configToArgs(config: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(config)) out[snakeToCamel(k)] = v;
  return out;
}

/** camelCase options → snake_case config keys (top level only). */
export function argsToConfig(args: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(args)) out[camelToSnake(k)] = v;
  return out;
}

export { mapInputs };
