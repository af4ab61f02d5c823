/**
 * The Optimizer base (Keras's `keras.optimizers.Optimizer`, the logic of
 * `base_optimizer.py`): the iteration counter, the learning rate (a value or a
 * schedule), slot variables built from the trainable variables, gradient
 * clipping, decoupled weight decay, EMA of the weights, gradient
 * accumulation, loss scaling and variable constraints.
 *
 * `apply` is the training hot path: it runs entirely on the device (no data is
 * read back to the CPU; Keras's `ops.cond` on tensors becomes a `where`
 * select) and frees every intermediate tensor.
 */
import { tf, type Tensor } from "../backend/tfjs.js";
import type { DType } from "../backend/dtypes.js";
import { Variable } from "../backend/variable.js";
import { withNameScope } from "../backend/name-scope.js";
import * as initializers from "../initializers/index.js";
import type { InitializerLike } from "../initializers/index.js";
import { configToOptions, serializeFunction, type CustomObjects } from "../saving/module-objects.js";
import { registerBuiltin } from "../saving/object-registration.js";
import { isSerializedObject, type SerializedObject } from "../saving/serialized.js";
import { autoName } from "../utils/naming.js";
import { LearningRateSchedule } from "./schedules/learning-rate-schedule.js";
import { deserialize as deserializeSchedule, serialize as serializeSchedule } from "./schedules/index.js";

/** A function of no arguments giving the learning rate (Keras accepts such callables). */
export type LearningRateFn = () => number | Tensor;

/** What `learningRate` accepts: a number, a LearningRateSchedule, or a function of no arguments. */
export type LearningRateLike = number | LearningRateSchedule | LearningRateFn;

/** The options every optimizer takes (Keras's base keyword arguments, camelCased). */
export interface OptimizerOptions {
  /** The learning rate: a number, a LearningRateSchedule, or a function. Default: the optimizer's (0.001 for most, 0.01 for SGD). */
  learningRate?: LearningRateLike;
  /** Decoupled weight decay `w -= lr * weightDecay * w` before each update. Default null (none; 0.004 for AdamW). */
  weightDecay?: number | null;
  /** Clip each gradient to this L2 norm. Default null. */
  clipnorm?: number | null;
  /** Clip each gradient element to `[-clipvalue, clipvalue]`. Default null. */
  clipvalue?: number | null;
  /** Clip all gradients together to this global L2 norm. Default null. */
  globalClipnorm?: number | null;
  /** Keep an exponential moving average of the trainable variables. Default false. */
  useEma?: boolean;
  /** The EMA momentum: `average = m * average + (1 - m) * value`. Default 0.99. */
  emaMomentum?: number;
  /** Overwrite the variables with their EMA every this many steps. Default null (only at `finalizeVariableValues`). */
  emaOverwriteFrequency?: number | null;
  /** The loss is multiplied by this before the gradients are taken, and the gradients divided by it. Default null. */
  lossScaleFactor?: number | null;
  /** Update only every this many steps (>= 2), with the mean of the accumulated gradients. Default null. */
  gradientAccumulationSteps?: number | null;
  /** The optimizer's name, the prefix of its variables' paths. Default: the snake_case class name, made unique (`adam`, `adam_1`). */
  name?: string | null;
  /** Keras 2's `decay`: no longer supported, ignored with a warning. */
  decay?: number | null;
}

/** Options of `addVariable`. */
export interface AddOptimizerVariableOptions {
  /** The shape. Default `[]`. */
  shape?: number[];
  /** Initializer (name, Initializer, or a number for a constant). Default `"zeros"`. */
  initializer?: InitializerLike | number;
  /** Default float32. */
  dtype?: DType;
  /** Keras's aggregation annotation. Default `"none"`. */
  aggregation?: "none" | "mean" | "sum" | "only_first_replica";
  /** Short name. Default: Keras's auto name (`variable`, `variable_1`, ...). */
  name?: string;
}

/** A `[gradient, variable]` pair for `applyGradients`. */
export type GradientVariablePair = readonly [Tensor | null | undefined, Variable];

/** A stored array as `loadOwnVariables` receives it (the shape of lib/saving's `StoredArray`). */
export interface OptimizerStoredArray {
  data: Float32Array | Int32Array | Uint8Array;
  shape: number[];
}

/** An array to store, as `saveOwnVariables` returns it (the shape of lib/saving's `ArrayToStore`). */
export interface OptimizerArrayToStore {
  data: Float32Array | Int32Array | Uint8Array;
  shape: number[];
  dtype: "float32" | "int32" | "bool";
}

/** Normalizes `(learningRate | options, options?)` constructor arguments into one options object. */
export function optimizerArgs<O extends OptimizerOptions>(first?: LearningRateLike | O | null, second?: O): O {
  if (first === undefined || first === null) return { ...(second ?? {}) } as O;
  if (typeof first === "number" || typeof first === "function" || first instanceof LearningRateSchedule) {
    return { ...(second ?? {}), learningRate: first } as O;
  }
  return { ...first };
}

function isLearningRateFn(x: unknown): x is LearningRateFn {
  return typeof x === "function";
}

const BASE_DEFAULT_LEARNING_RATE = 0.001;

/**
 * Keras's Optimizer base. Subclasses override `build(variables)` (call
 * `super.build` first, then create slots with `addOptimizerVariables`),
 * `updateStep(gradient, variable, learningRate)` and `getConfig()`.
 *
 * ```ts
 * const opt = new keras.optimizers.Adam({ learningRate: 1e-3 });
 * opt.apply(grads, model.trainableWeights);       // or opt.applyGradients([[g, v], ...])
 * ```
 */
export class Optimizer {
  /** The name, prefix of the variables' paths (`adam/iteration`). */
  readonly name: string;
  /** Decoupled weight decay rate, or null. */
  weightDecay: number | null;
  /** Per-gradient norm clip, or null. */
  clipnorm: number | null;
  /** Global norm clip, or null. */
  globalClipnorm: number | null;
  /** Per-element clip, or null. */
  clipvalue: number | null;
  /** Whether an EMA of the trainable variables is kept. */
  useEma: boolean;
  /** EMA momentum. Default 0.99. */
  emaMomentum: number;
  /** Overwrite the variables with their EMA every this many steps, or null. */
  emaOverwriteFrequency: number | null;
  /** Loss scale factor, or null. */
  lossScaleFactor: number | null;
  /** Steps of gradient accumulation, or null. */
  gradientAccumulationSteps: number | null;
  /** True once `build` created the slot variables. */
  built = false;

  /** Every variable of the optimizer, in Keras's order. */
  protected _variables: Variable[] = [];
  /** The trainable variables the optimizer was built with. */
  protected _trainableVariables: Variable[] = [];
  private readonly _indices = new Map<Variable, number>();
  private readonly _iterations: Variable;
  private _learningRate: Variable | LearningRateSchedule | LearningRateFn;
  private _movingAverages: (Variable | null)[] = [];
  private _accumulatedGradients: (Variable | null)[] = [];
  private _excludeIds = new Set<Variable>();
  private _excludePattern: RegExp | null = null;
  private readonly _constants = new Map<string, Tensor>();
  private readonly _stepValues = new Map<string, Tensor>();

  constructor(options: OptimizerOptions = {}) {
    const o = options;
    if (o.decay !== undefined && o.decay !== null) {
      console.warn("Argument `decay` is no longer supported and will be ignored.");
    }
    this.name = o.name ?? autoName(this.constructor.name);
    this.weightDecay = o.weightDecay ?? null;
    this.clipnorm = o.clipnorm ?? null;
    this.globalClipnorm = o.globalClipnorm ?? null;
    this.clipvalue = o.clipvalue ?? null;
    this.useEma = o.useEma ?? false;
    this.lossScaleFactor = o.lossScaleFactor ?? null;
    this.gradientAccumulationSteps = o.gradientAccumulationSteps ?? null;
    const emaMomentum = o.emaMomentum ?? 0.99;
    const emaOverwriteFrequency = o.emaOverwriteFrequency ?? null;
    if (this.gradientAccumulationSteps) {
      if (!(this.gradientAccumulationSteps >= 2) || !Number.isInteger(this.gradientAccumulationSteps)) {
        throw new Error(
          "`gradient_accumulation_steps` must be an integer >= 2. " +
            `Received: gradient_accumulation_steps=${this.gradientAccumulationSteps}`,
        );
      }
    }
    if (this.useEma) {
      if (emaMomentum > 1 || emaMomentum < 0) {
        throw new Error(`\`ema_momentum\` must be in the range [0, 1]. Received: ema_momentum=${emaMomentum}`);
      }
      if (emaOverwriteFrequency && (!Number.isInteger(emaOverwriteFrequency) || emaOverwriteFrequency < 1)) {
        throw new Error(
          "`ema_overwrite_frequency` must be an integer >= 1 or None. " +
            `Received: ema_overwrite_frequency=${emaOverwriteFrequency}`,
        );
      }
    }
    this.emaMomentum = emaMomentum;
    this.emaOverwriteFrequency = emaOverwriteFrequency;
    const clipArgs = [o.clipnorm, o.clipvalue, o.globalClipnorm].filter((a) => a !== undefined && a !== null).length;
    if (clipArgs > 1) {
      throw new Error(
        "Only one of `clipnorm`, `clipvalue` and `global_clipnorm` can be set. " +
          `Received: clipnorm=${fmt(o.clipnorm)}, clipvalue=${fmt(o.clipvalue)}, global_clipnorm=${fmt(o.globalClipnorm)}`,
      );
    }

    this._iterations = this.withScope(() => {
      const init = tf.scalar(0, "int32");
      try {
        return new Variable(init, { name: "iteration", dtype: "int32", trainable: false, aggregation: "only_first_replica" });
      } finally {
        init.dispose();
      }
    });
    this._variables.push(this._iterations);

    const lr = o.learningRate ?? BASE_DEFAULT_LEARNING_RATE;
    if (lr instanceof LearningRateSchedule || isLearningRateFn(lr)) {
      this._learningRate = lr;
    } else {
      if (typeof lr !== "number" || !Number.isFinite(lr)) {
        throw new Error(
          "Argument `learning_rate` should be float, or an instance of LearningRateSchedule, or a callable " +
            "(that takes in the current iteration value and returns the corresponding learning rate value). " +
            `Received instead: learning_rate=${String(lr)}`,
        );
      }
      this._learningRate = this.makeLearningRateVariable(lr);
      this._variables.push(this._learningRate);
    }
  }

  private makeLearningRateVariable(value: number): Variable {
    return this.withScope(() => {
      const init = tf.scalar(value, "float32");
      try {
        return new Variable(init, { name: "learning_rate", dtype: "float32", trainable: false, aggregation: "only_first_replica" });
      } finally {
        init.dispose();
      }
    });
  }

  /** Runs `fn` inside this optimizer's name scope (not nested twice). */
  protected withScope<T>(fn: () => T): T {
    return withNameScope(this.name, fn, this);
  }

  // ---------------------------------------------------------------- state

  /**
   * The step counter (Keras's `iteration` variable, int32): how many times
   * `apply` ran. With gradient accumulation Keras's `optimizer.iterations`
   * counts updates instead; that is `iterationsValue()`.
   */
  get iterations(): Variable {
    return this._iterations;
  }

  /**
   * The number of completed updates as a new scalar int32 tensor the caller
   * owns: `iterations`, or `floor(iterations / gradientAccumulationSteps)`
   * with accumulation (Keras's `optimizer.iterations`).
   */
  iterationsValue(): Tensor {
    return tf.tidy(() => tf.clone(this.stepIterations()));
  }

  /**
   * `iterationsValue()` for use inside `apply` (shared by every variable of the
   * step, not to be disposed): the counter itself, or its floor division by
   * `gradientAccumulationSteps`.
   */
  protected stepIterations(): Tensor {
    const steps = this.gradientAccumulationSteps;
    if (!steps) return this._iterations.value;
    const compute = (): Tensor => tf.floorDiv(this._iterations.value, this.constant(steps, "int32"));
    return this._inApply ? this.stepValue("iterations", compute) : compute();
  }

  private _inApply = false;

  /**
   * The current learning rate: the `learning_rate` Variable, or (for a
   * schedule or function) a new float32 scalar tensor the caller must dispose.
   * Setting it to a number assigns the Variable; setting a schedule replaces
   * it (and drops the Variable from `variables`).
   */
  get learningRate(): Variable | Tensor {
    return this.currentLearningRate();
  }

  set learningRate(value: LearningRateLike) {
    const prev = this._learningRate instanceof Variable ? this._learningRate : null;
    if (value instanceof LearningRateSchedule || isLearningRateFn(value)) {
      this._learningRate = value;
    } else {
      if (this._learningRate instanceof LearningRateSchedule) {
        throw new TypeError(
          "This optimizer was created with a `LearningRateSchedule` object as its `learning_rate` constructor " +
            "argument, hence its learning rate is not settable. If you need the learning rate to be settable, you " +
            "should instantiate the optimizer with a float `learning_rate` argument.",
        );
      }
      if (!(this._learningRate instanceof Variable)) {
        throw new TypeError(
          "This optimizer was created with a function as its `learning_rate`; it cannot be set to a number. " +
            "Instantiate the optimizer with a float `learning_rate` to make it settable.",
        );
      }
      const v = tf.scalar(value, "float32");
      this._learningRate.assign(v);
      v.dispose();
    }
    if (prev !== null && !(this._learningRate instanceof Variable)) {
      this._variables = this._variables.filter((v) => v !== prev);
      prev.dispose();
    }
  }

  /** The learning rate as a JS number (reads it back: for callbacks and logs, not the hot path). */
  learningRateValue(): number {
    const lr = this.currentLearningRate();
    if (lr instanceof Variable) return lr.value.dataSync()[0];
    const v = lr.dataSync()[0];
    lr.dispose();
    return v;
  }

  /** The object behind the learning rate: the Variable, the schedule, or the function. */
  get learningRateSource(): Variable | LearningRateSchedule | LearningRateFn {
    return this._learningRate;
  }

  private currentLearningRate(): Variable | Tensor {
    const lr = this._learningRate;
    if (lr instanceof Variable) return lr;
    if (lr instanceof LearningRateSchedule) return lr.call(this._iterations.value);
    const out = lr();
    if (typeof out === "number") return tf.scalar(out, "float32");
    return out.dtype === "float32" ? tf.clone(out) : tf.cast(out, "float32");
  }

  /** The learning rate tensor of the current `apply` (computed once per step). */
  private stepLearningRate(): Tensor {
    const lr = this._learningRate;
    if (lr instanceof Variable) return lr.value;
    return this.stepValue("learning_rate", () => {
      const t = this.currentLearningRate();
      return t instanceof Variable ? t.value : t;
    });
  }

  /** Every variable of the optimizer: iteration, learning_rate (unless a schedule), then the slots as built. */
  get variables(): Variable[] {
    return [...this._variables];
  }

  /** Adds a variable created outside `addVariable` (Keras tracks such attributes automatically). */
  protected trackVariable(variable: Variable): Variable {
    this._variables.push(variable);
    return variable;
  }

  /** The EMA of each trainable variable (null where none), when `useEma`. */
  get modelVariablesMovingAverage(): readonly (Variable | null)[] {
    return this._movingAverages;
  }

  /** The index of `variable` among the variables the optimizer was built with. */
  protected getVariableIndex(variable: Variable): number {
    const i = this._indices.get(variable);
    if (i === undefined) throw unknownVariable(variable);
    return i;
  }

  // ---------------------------------------------------------------- build

  /**
   * Creates the optimizer's variables for `variables` (the model's trainable
   * variables). The base creates the EMA averages (`useEma`) and the gradient
   * accumulators (`gradientAccumulationSteps`); subclasses call `super.build`
   * first, then add their slots.
   */
  build(variables: readonly Variable[]): void {
    if (this.useEma) this._movingAverages = this.addOptimizerVariables(variables, "average");
    if (this.gradientAccumulationSteps) this._accumulatedGradients = [];
    variables.forEach((v, i) => {
      this._indices.set(v, i);
      if (this.gradientAccumulationSteps) {
        this._accumulatedGradients.push(this.addVariableFromReference(v, "gradient_accumulator"));
      }
    });
    this._trainableVariables = [...variables];
    this.built = true;
  }

  /** Creates a non-trainable optimizer variable under the optimizer's name scope. */
  addVariable(options: AddOptimizerVariableOptions = {}): Variable {
    const shape = options.shape ?? [];
    const dtype = options.dtype ?? "float32";
    const init = options.initializer ?? "zeros";
    const variable = this.withScope(() => {
      const value =
        typeof init === "number" ? tf.fill(shape, init, dtype) : initializers.get(init).call([...shape], dtype);
      try {
        return new Variable(value, {
          name: options.name ?? autoName("Variable"),
          trainable: false,
          dtype,
          aggregation: options.aggregation ?? "none",
        });
      } finally {
        value.dispose();
      }
    });
    return this.trackVariable(variable);
  }

  /**
   * Creates a slot shaped like `reference`, named
   * `<reference path with / → _>_<name>` (e.g. `dense_kernel_momentum`).
   */
  addVariableFromReference(
    reference: Variable,
    name = "var",
    initializer: InitializerLike | number = "zeros",
  ): Variable {
    return this.addVariable({
      shape: reference.shape,
      initializer,
      dtype: reference.dtype,
      name: `${reference.path.replace(/\//g, "_")}_${name}`,
    });
  }

  /**
   * One slot per variable for one name, or interleaved per variable for
   * several names (Keras's order: `kernel_momentum, kernel_velocity,
   * bias_momentum, bias_velocity`). Returns one list per name.
   */
  addOptimizerVariables(variables: readonly Variable[], name: string, initializer?: InitializerLike | number): Variable[];
  addOptimizerVariables(
    variables: readonly Variable[],
    names: readonly string[],
    initializer?: InitializerLike | number | readonly (InitializerLike | number)[],
  ): Variable[][];
  addOptimizerVariables(
    variables: readonly Variable[],
    names: string | readonly string[],
    initializer: InitializerLike | number | readonly (InitializerLike | number)[] = "zeros",
  ): Variable[] | Variable[][] {
    const nameList = typeof names === "string" ? [names] : [...names];
    const inits: (InitializerLike | number)[] = Array.isArray(initializer)
      ? [...(initializer as readonly (InitializerLike | number)[])]
      : nameList.map(() => initializer as InitializerLike | number);
    if (inits.length !== nameList.length) {
      throw new Error(
        `The number of provided names must match the number of provided initializers. ` +
          `Received name='${nameList.join(",")}', ${inits.length} initializers`,
      );
    }
    const out: Variable[][] = nameList.map(() => []);
    for (const v of variables) {
      nameList.forEach((n, i) => out[i].push(this.addVariableFromReference(v, n, inits[i])));
    }
    return typeof names === "string" ? out[0] : out;
  }

  // ---------------------------------------------------------------- assign helpers

  /** `variable.assign(value)` (Keras's hook for backend-specific assignment). */
  assign(variable: Variable, value: Tensor): void {
    variable.assign(value);
  }

  /** `variable.assignAdd(value)`. */
  assignAdd(variable: Variable, value: Tensor): void {
    variable.assignAdd(value);
  }

  /** `variable.assignSub(value)`. */
  assignSub(variable: Variable, value: Tensor): void {
    variable.assignSub(value);
  }

  /**
   * A cached scalar constant (kept across steps, freed by `dispose`), so
   * hyperparameters are not re-uploaded every step.
   */
  protected constant(value: number, dtype: DType = "float32"): Tensor {
    const key = `${dtype}:${value}`;
    let t = this._constants.get(key);
    if (t === undefined || t.isDisposed) {
      t = tf.keep(tf.scalar(value, dtype));
      this._constants.set(key, t);
    }
    return t;
  }

  /**
   * A value computed once per `apply` and shared by every variable's update
   * (e.g. Adam's bias corrections); freed when the step ends.
   */
  protected stepValue(key: string, compute: () => Tensor): Tensor {
    let t = this._stepValues.get(key);
    if (t === undefined) {
      t = tf.keep(tf.tidy(() => tf.clone(compute())));
      this._stepValues.set(key, t);
    }
    return t;
  }

  /** `iterationsValue() + 1` as a float32 scalar (Keras's `local_step`), shared within a step. */
  protected localStep(): Tensor {
    return this.stepValue("local_step", () =>
      tf.cast(tf.add(this.stepIterations(), this.constant(1, "int32")), "float32"),
    );
  }

  // ---------------------------------------------------------------- apply

  /** Updates one variable from its gradient. Subclasses implement it (it runs inside `tf.tidy`). */
  updateStep(gradient: Tensor, variable: Variable, learningRate: Tensor): void {
    void gradient;
    void variable;
    void learningRate;
    throw new Error(`${this.constructor.name} must implement updateStep(gradient, variable, learningRate).`);
  }

  /**
   * Applies `[gradient, variable]` pairs (Keras's `apply_gradients`); returns
   * the iteration counter.
   */
  applyGradients(pairs: readonly GradientVariablePair[]): Variable {
    this.apply(
      pairs.map((p) => p[0]),
      pairs.map((p) => p[1]),
    );
    return this._iterations;
  }

  /**
   * Updates `trainableVariables` from `grads` (one per variable, null for
   * none). The first call builds the optimizer on the variables; later calls
   * may leave `trainableVariables` out to mean the same list. Runs on the
   * device, with no read-back and no leaked tensors.
   */
  apply(grads: readonly (Tensor | null | undefined)[], trainableVariables?: readonly Variable[]): void {
    if (grads.length === 0) return;
    let vars: Variable[];
    if (trainableVariables === undefined || trainableVariables === null) {
      if (!this.built) {
        throw new Error(
          "When passing `grads` without `variables`, the optimizer must already be built on a list of variables. " +
            "Call `optimizer.build(trainable_variables)` first.",
        );
      }
      if (grads.length !== this._indices.size) {
        throw new Error(
          "When passing `grads` as a list of gradient tensors, the gradients must match `optimizer.variables` " +
            `one-to-one. Received a list of ${grads.length} gradients, but the optimizer is tracking ` +
            `${this._trainableVariables.length} trainable variables.`,
        );
      }
      vars = this._trainableVariables;
    } else {
      vars = [...trainableVariables];
      if (grads.length !== vars.length) {
        throw new Error(`Received ${grads.length} gradients for ${vars.length} variables; they must match one-to-one.`);
      }
      if (!this.built) {
        this.withScope(() => this.build(vars));
        this.built = true;
      }
      for (const v of vars) if (!this._indices.has(v)) throw unknownVariable(v);
    }

    this.withScope(() => {
      const [fg, fv] = filterEmptyGradients(grads, vars);
      if (fg.length === 0) return;
      this._inApply = true;
      try {
        tf.tidy(() => {
          let g = fg.map((x, i) => (x.dtype === fv[i].dtype ? x : tf.cast(x, fv[i].dtype)));
          if (this.lossScaleFactor !== null && this.lossScaleFactor !== undefined) {
            const scale = this.constant(this.lossScaleFactor);
            g = g.map((x) => tf.div(x, scale));
          }
          this.backendApplyGradients(g, fv);
          for (const v of fv) {
            const c = v.constraint;
            if (c) tf.tidy(() => v.assign(c(v.value)));
          }
        });
      } finally {
        this._inApply = false;
        this.clearStepValues();
      }
    });
    this._iterations.assignAdd(this.constant(1, "int32"));
  }

  private clearStepValues(): void {
    for (const t of this._stepValues.values()) t.dispose();
    this._stepValues.clear();
  }

  /**
   * Clipping, weight decay, the update of every variable, gradient
   * accumulation and EMA (Keras's `_backend_apply_gradients`).
   */
  protected backendApplyGradients(grads: Tensor[], variables: Variable[]): void {
    const lr = this.stepLearningRate();
    const steps = this.gradientAccumulationSteps;
    if (steps) {
      const it = this._iterations.value;
      const isUpdate = tf.equal(tf.mod(tf.add(it, this.constant(1, "int32")), this.constant(steps, "int32")), 0);
      const accs = variables.map((v) => this._accumulatedGradients[this.getVariableIndex(v)]);
      const sums = grads.map((g, i) => {
        const acc = accs[i];
        return acc ? tf.add(g, acc.value) : g;
      });
      // Keras's ops.cond(is_update_step, update, accumulate) without a read-back:
      // run the update, then keep its results only where is_update_step.
      const excluded = new Set<Variable>([this._iterations, ...nonNull(this._accumulatedGradients), ...nonNull(this._movingAverages)]);
      if (this._learningRate instanceof Variable) excluded.add(this._learningRate);
      const touched = [...variables, ...this._variables.filter((v) => !excluded.has(v))];
      const snapshots = touched.map((v) => tf.clone(v.value));
      let g = sums.map((s) => tf.div(s, this.constant(steps)));
      g = this.clipGradients(g);
      this.applyWeightDecay(variables, lr);
      this.backendUpdateStep(g, variables, lr);
      touched.forEach((v, i) => tf.tidy(() => v.assign(tf.where(isUpdate, v.value, snapshots[i]))));
      accs.forEach((acc, i) => {
        if (acc) tf.tidy(() => acc.assign(tf.where(isUpdate, tf.zerosLike(acc.value), sums[i])));
      });
    } else {
      const g = this.clipGradients(grads);
      this.applyWeightDecay(variables, lr);
      this.backendUpdateStep(g, variables, lr);
    }

    if (this.useEma) {
      this.updateModelVariablesMovingAverage(this._trainableVariables);
      if (this.emaOverwriteFrequency) {
        const freq = this.emaOverwriteFrequency;
        const overwrite = tf.equal(
          tf.mod(tf.add(this.stepIterations(), this.constant(1, "int32")), this.constant(freq, "int32")),
          0,
        );
        this._trainableVariables.forEach((v, i) => {
          const avg = this._movingAverages[i];
          if (avg) tf.tidy(() => v.assign(tf.where(overwrite, avg.value, v.value)));
        });
      }
    }
  }

  /** Calls `updateStep` for each pair, each in its own `tf.tidy` (Keras's `_backend_update_step`). */
  protected backendUpdateStep(grads: Tensor[], variables: Variable[], learningRate: Tensor): void {
    grads.forEach((g, i) => tf.tidy(() => this.updateStep(g, variables[i], learningRate)));
  }

  /** Gradient clipping in Keras's order: `clipnorm`, else `globalClipnorm`, else `clipvalue`. */
  protected clipGradients(grads: Tensor[]): Tensor[] {
    if (this.clipnorm && this.clipnorm > 0) {
      const c = this.clipnorm;
      return grads.map((g) => clipByNorm(g, c));
    }
    if (this.globalClipnorm && this.globalClipnorm > 0) return clipByGlobalNorm(grads, this.globalClipnorm);
    if (this.clipvalue && this.clipvalue > 0) {
      const v = this.clipvalue;
      return grads.map((g) => tf.clipByValue(g, -v, v));
    }
    return grads;
  }

  /**
   * Excludes variables from weight decay: those in `varList`, and those whose
   * name matches any of `varNames` (e.g. `["bias"]`). Call before `build`.
   */
  excludeFromWeightDecay(options: { varList?: readonly Variable[]; varNames?: readonly string[] } = {}): void {
    if (this.built) {
      throw new Error("`exclude_from_weight_decay()` can only be configured before the optimizer is built.");
    }
    this._excludeIds = new Set(options.varList ?? []);
    const names = options.varNames ?? [];
    this._excludePattern = names.length > 0 ? new RegExp([...new Set(names)].join("|")) : null;
  }

  /** Whether weight decay applies to `variable`. */
  protected useWeightDecay(variable: Variable): boolean {
    if (this._excludeIds.has(variable)) return false;
    if (this._excludePattern !== null && this._excludePattern.test(variable.name)) return false;
    return true;
  }

  /** Decoupled weight decay: `w -= w * weightDecay * lr`. */
  protected applyWeightDecay(variables: Variable[], learningRate: Tensor): void {
    if (this.weightDecay === null || this.weightDecay === undefined) return;
    const wd = this.constant(this.weightDecay);
    for (const v of variables) {
      if (!this.useWeightDecay(v)) continue;
      tf.tidy(() => v.assign(tf.sub(v.value, tf.mul(tf.mul(v.value, wd), learningRate))));
    }
  }

  // ---------------------------------------------------------------- EMA

  private updateModelVariablesMovingAverage(variables: Variable[]): void {
    const momentum = tf.mul(
      tf.cast(tf.notEqual(this.stepIterations(), this.constant(0, "int32")), "float32"),
      this.constant(this.emaMomentum),
    );
    const oneMinus = tf.sub(this.constant(1), momentum);
    variables.forEach((v, i) => {
      const avg = this._movingAverages[i];
      if (!avg) return;
      tf.tidy(() => avg.assign(tf.add(tf.mul(momentum, avg.value), tf.mul(oneMinus, v.value))));
    });
  }

  /** Overwrites `variables` with their moving averages. */
  protected overwriteModelVariablesWithAverageValue(variables: readonly Variable[]): void {
    if (variables.length !== this._movingAverages.length) {
      throw new Error(
        `The length of model variables (${variables.length}) to override does not match the length of model ` +
          `variables stored in the optimizer (${this._movingAverages.length}). Please check if the optimizer was ` +
          "called on your model.",
      );
    }
    variables.forEach((v, i) => {
      const avg = this._movingAverages[i];
      if (avg) v.assign(avg.value);
    });
  }

  /**
   * Sets the final values of the model's trainable variables: with `useEma`,
   * replaces them by their moving averages (fit calls this after the last epoch).
   */
  finalizeVariableValues(variables: readonly Variable[]): void {
    if (this.useEma) this.overwriteModelVariablesWithAverageValue(variables);
  }

  /**
   * Swaps the values of `variables` and their moving averages (what the
   * SwapEMAWeights callback does around evaluation). Calling it twice restores
   * both. Throws when the optimizer has no EMA.
   */
  swapVariablesWithMovingAverage(variables: readonly Variable[]): void {
    if (!this.useEma) {
      throw new Error("SwapEMAWeights must be used when `use_ema=True` is set on the optimizer.");
    }
    if (variables.length !== this._movingAverages.length) {
      throw new Error(
        `Cannot swap ${variables.length} variables with the optimizer's ${this._movingAverages.length} averages.`,
      );
    }
    variables.forEach((v, i) => {
      const avg = this._movingAverages[i];
      if (!avg) return;
      const tmp = tf.clone(v.value);
      v.assign(avg.value);
      avg.assign(tmp);
      tmp.dispose();
    });
  }

  /** Multiplies the loss by `lossScaleFactor` (when set) before gradients are taken. */
  scaleLoss(loss: Tensor): Tensor {
    if (this.lossScaleFactor !== null && this.lossScaleFactor !== undefined) return tf.mul(loss, this.lossScaleFactor);
    return loss;
  }

  // ---------------------------------------------------------------- weights

  /** Sets the values of `variables`, in order (the optimizer must be built). */
  setWeights(weights: readonly (Tensor | number[] | Float32Array | Int32Array)[]): void {
    if (!this.built) {
      throw new Error(
        "You are calling `set_weights()` on an optimizer that has not yet been built. Please call " +
          "`optimizer.build(trainable_variables)` to create the optimizer weights before calling `set_weights()`.",
      );
    }
    const vars = this.variables;
    weights.forEach((w, i) => {
      const v = vars[i];
      if (v === undefined) return;
      if (w instanceof tf.Tensor && !tf.util.arraysEqual(w.shape, v.shape)) {
        throw new Error(
          `Optimizer variable ${v.path} has shape [${v.shape}] not compatible with provided weight shape [${w.shape}].`,
        );
      }
      v.assign(w as Tensor | number[]);
    });
  }

  /** The values of `variables`, read back (for saving). */
  getWeights(): Tensor[] {
    return this.variables.map((v) => tf.clone(v.value));
  }

  /** The arrays Keras stores at `optimizer/vars/0..n-1` in `model.weights.h5`. */
  saveOwnVariables(): OptimizerArrayToStore[] {
    return this.variables.map((v) => ({
      data: v.value.dataSync() as Float32Array | Int32Array | Uint8Array,
      shape: [...v.shape],
      dtype: v.dtype === "int32" ? "int32" : v.dtype === "bool" ? "bool" : "float32",
    }));
  }

  /**
   * Assigns the stored `optimizer/vars` arrays in order. As Keras, a count
   * mismatch (e.g. an optimizer not built yet) skips loading with a warning.
   */
  loadOwnVariables(values: readonly OptimizerStoredArray[]): void {
    const vars = this.variables;
    if (values.length !== vars.length) {
      let msg =
        `Skipping variable loading for optimizer '${this.name}', because it has ${vars.length} variables whereas ` +
        `the saved optimizer has ${values.length} variables. `;
      if (vars.length === 0 || !this.built) msg += "This is likely because the optimizer has not been called/built yet.";
      console.warn(msg);
      return;
    }
    vars.forEach((v, i) => {
      const s = values[i];
      if (!tf.util.arraysEqual(s.shape, v.shape)) {
        throw new Error(`Optimizer variable ${v.path} has shape [${v.shape}]; the stored value has shape [${s.shape}].`);
      }
      const t = tf.tensor(s.data, v.shape, v.dtype);
      v.assign(t);
      t.dispose();
    });
  }

  /** Frees the optimizer's variables and cached constants; it cannot be used afterwards. */
  dispose(): void {
    for (const v of this._variables) if (!v.isDisposed) v.dispose();
    for (const t of this._constants.values()) if (!t.isDisposed) t.dispose();
    this._constants.clear();
  }

  // ---------------------------------------------------------------- config

  /** The config with Keras's snake_case keys (the base keys; subclasses add theirs). */
  getConfig(): Record<string, unknown> {
    const lr = this._learningRate;
    let learningRate: unknown;
    if (lr instanceof LearningRateSchedule) learningRate = serializeSchedule(lr);
    else if (lr instanceof Variable) learningRate = lr.value.dataSync()[0];
    else learningRate = serializeFunction(lr, "builtins");
    return {
      name: this.name,
      learning_rate: learningRate,
      weight_decay: this.weightDecay,
      clipnorm: this.clipnorm,
      global_clipnorm: this.globalClipnorm,
      clipvalue: this.clipvalue,
      use_ema: this.useEma,
      ema_momentum: this.emaMomentum,
      ema_overwrite_frequency: this.emaOverwriteFrequency,
      loss_scale_factor: this.lossScaleFactor,
      gradient_accumulation_steps: this.gradientAccumulationSteps,
    };
  }

  /**
   * Builds an optimizer from `getConfig()`'s output: snake_case keys become
   * camelCase options; a serialized schedule as `learning_rate` is deserialized.
   */
  static fromConfig<T extends Optimizer>(
    this: abstract new (...args: never[]) => T,
    config: Record<string, unknown>,
    customObjects?: CustomObjects,
  ): T {
    const c = { ...config };
    if (isSerializedObject(c.learning_rate)) {
      c.learning_rate = deserializeSchedule(c.learning_rate as SerializedObject, customObjects);
    }
    return new (this as unknown as new (options: Record<string, unknown>) => T)(configToOptions(c));
  }

  toString(): string {
    return `<${this.constructor.name} name=${this.name}, built=${this.built}>`;
  }
}

registerBuiltin("keras.optimizers", Optimizer);

function fmt(x: number | null | undefined): string {
  return x === undefined || x === null ? "None" : String(x);
}

function nonNull<T>(xs: readonly (T | null)[]): T[] {
  return xs.filter((x): x is T => x !== null);
}

function unknownVariable(v: Variable): Error {
  return new Error(
    `Unknown variable: ${v.toString()}. This optimizer can only be called for the variables it was originally ` +
      "built with. When working with a new set of variables, you should recreate a new optimizer instance.",
  );
}

function filterEmptyGradients(
  grads: readonly (Tensor | null | undefined)[],
  vars: readonly Variable[],
): [Tensor[], Variable[]] {
  const g: Tensor[] = [];
  const v: Variable[] = [];
  const missing: string[] = [];
  grads.forEach((x, i) => {
    if (x === null || x === undefined) missing.push(vars[i].path);
    else {
      g.push(x);
      v.push(vars[i]);
    }
  });
  if (g.length === 0) throw new Error("No gradients provided for any variable.");
  if (missing.length > 0) {
    console.warn(
      `Gradients do not exist for variables [${missing.join(", ")}] when minimizing the loss. ` +
        "If using `model.compile()`, did you forget to provide a `loss` argument?",
    );
  }
  return [g, v];
}

/** Keras's `_clip_by_norm`: scales `values` so its L2 norm is at most `clipnorm`. */
export function clipByNorm(values: Tensor, clipnorm: number): Tensor {
  return tf.tidy(() => {
    const l2sum = tf.sum(tf.square(values), undefined, true);
    const pred = tf.greater(l2sum, 0);
    const l2sumSafe = tf.where(pred, l2sum, tf.onesLike(l2sum));
    const l2norm = tf.where(pred, tf.sqrt(l2sumSafe), l2sum);
    const intermediate = tf.mul(values, clipnorm);
    return tf.div(intermediate, tf.maximum(l2norm, clipnorm));
  });
}

/** The L2 norm of all `values` together. */
export function globalNorm(values: readonly Tensor[]): Tensor {
  return tf.tidy(() => tf.sqrt(tf.sum(tf.stack(values.map((v) => tf.sum(tf.square(v)))))));
}

/** Keras's `clip_by_global_norm`: scales all `values` so their global norm is at most `clipNorm` (NaN if it is not finite). */
export function clipByGlobalNorm(values: readonly Tensor[], clipNorm: number): Tensor[] {
  return tf.tidy(() => {
    const useNorm = globalNorm(values);
    const scaleForFinite = tf.mul(clipNorm, tf.minimum(tf.div(1.0, useNorm), 1.0 / clipNorm));
    const scale = tf.add(scaleForFinite, tf.sub(useNorm, useNorm));
    return values.map((v) => tf.mul(v, scale));
  });
}
