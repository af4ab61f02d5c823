/**
 * Trainer: compile, fit, evaluate and predict (Keras's `trainers/trainer.py`
 * and the backend trainers' loops). `Model` extends it.
 *
 * One training step is `trainStep(data)`: the forward pass and the loss under
 * `valueAndGrad`, one optimizer update, and metric updates that stay on the
 * device. Nothing is read back to the CPU per batch unless a callback reads
 * the logs (the progress bar does, at most every 50 ms).
 */
import { tf, type Tensor } from "../backend/tfjs.js";
import { valueAndGrad } from "../backend/gradients.js";
import { capEpochs, capStepsPerEpoch } from "../backend/config.js";
import { Layer, type CallArgs } from "../layers/layer.js";
import * as optimizersModule from "../optimizers/index.js";
import type { Optimizer } from "../optimizers/optimizer.js";
import { Mean } from "../metrics/index.js";
import type { Metric } from "../metrics/metric.js";
import { Callback, type CallbackParams, type Logs } from "../callbacks/callback.js";
import { CallbackList } from "../callbacks/callback-list.js";
import type { History } from "../callbacks/history.js";
import { CompileLoss, CompileMetrics, type LossSpec, type MetricsSpec } from "./compile-utils.js";
import * as lossesModule from "../losses/index.js";
import * as metricsModule from "../metrics/index.js";
import { EpochIterator, disposeBatch } from "./epoch-iterator.js";
import type { DataAdapter } from "./data-adapters/data-adapter.js";
import { ArrayDataAdapter } from "./data-adapters/array-data-adapter.js";
import { IterableDataAdapter, isBatchIterable, isDatasetLike } from "./data-adapters/iterable-data-adapter.js";
import { PyDatasetAdapter, isPyDatasetLike } from "./data-adapters/py-dataset.js";
import { type Batch, dataLeaves, toTensors, unpackXYSampleWeight } from "./data-adapters/data-structure.js";
import { isPlainObject } from "../utils/tree.js";

/** Options of `compile` (Keras's arguments, camelCased). */
export interface CompileOptions {
  /** A name (`"adam"`, `"sgd"`, ...) or an Optimizer. Default `"rmsprop"`. */
  optimizer?: string | Optimizer;
  /** One loss, a list per output, or a dict by output name. */
  loss?: LossSpec;
  /** Weights of the per-output losses in the total. */
  lossWeights?: number[] | Record<string, number> | null;
  /** Metrics: a list, or per output (list of lists, or dict by output name). `"accuracy"` is resolved from the loss and shapes. */
  metrics?: MetricsSpec;
  /** Metrics that receive the sample weights. */
  weightedMetrics?: MetricsSpec;
  /** Kept for Keras compatibility (tskeras always runs eagerly). Default false. */
  runEagerly?: boolean;
  /** Kept for Keras compatibility. Default 1. */
  stepsPerExecution?: number;
  /** Kept for Keras compatibility. Default "auto". */
  jitCompile?: boolean | "auto";
}

/** `verbose`: 0 silent, 1 progress bar, 2 one line per epoch, "auto" = 1. */
export type Verbose = 0 | 1 | 2 | "auto";

/** Options of `fit`. */
export interface FitOptions {
  /** Default 32 (ignored for datasets and iterables, which give batches). */
  batchSize?: number | null;
  /** Default 1. */
  epochs?: number;
  /** Default "auto". */
  verbose?: Verbose;
  callbacks?: Callback[] | CallbackList;
  /** The last fraction of the data (before shuffling) is held out for validation. */
  validationSplit?: number;
  /** `[xVal, yVal]`, `[xVal, yVal, sampleWeightVal]`, or a dataset / iterable. */
  validationData?: unknown;
  /** Shuffle the samples every epoch (arrays only). Default true. */
  shuffle?: boolean | "batch";
  /** Class index → weight. */
  classWeight?: Record<number, number> | null;
  /** Per-sample weights (arrays only). */
  sampleWeight?: unknown;
  /** The epoch to start at (to resume training). Default 0. */
  initialEpoch?: number;
  /** Batches per epoch; by default all the data. */
  stepsPerEpoch?: number | null;
  /** Validation batches per evaluation; by default all. */
  validationSteps?: number | null;
  /** Default: batchSize. */
  validationBatchSize?: number | null;
  /** Validate every N epochs (a number) or at the listed epochs (1-based). Default 1. */
  validationFreq?: number | number[];
  /** Stops training at the next batch boundary; weights and history so far are kept. */
  signal?: AbortSignal;
}

/** Options of `evaluate`. */
export interface EvaluateOptions {
  batchSize?: number | null;
  verbose?: Verbose;
  sampleWeight?: unknown;
  steps?: number | null;
  callbacks?: Callback[] | CallbackList;
  /** Return `{loss, accuracy, ...}` instead of a list. Default false. */
  returnDict?: boolean;
  signal?: AbortSignal;
}

/** Options of `predict`. */
export interface PredictOptions {
  batchSize?: number | null;
  verbose?: Verbose;
  steps?: number | null;
  callbacks?: Callback[] | CallbackList;
  signal?: AbortSignal;
}

/** Arguments of `computeLoss`. */
export interface ComputeLossArgs {
  x?: unknown;
  y?: unknown;
  yPred: unknown;
  sampleWeight?: unknown;
  training?: boolean;
}

const FIT_OPTION_KEYS = new Set([
  "batchSize", "epochs", "verbose", "callbacks", "validationSplit", "validationData", "shuffle", "classWeight",
  "sampleWeight", "initialEpoch", "stepsPerEpoch", "validationSteps", "validationBatchSize", "validationFreq", "signal",
  "steps", "returnDict",
]);

function looksLikeOptions(x: unknown): boolean {
  return isPlainObject(x) && Object.keys(x).length > 0 && Object.keys(x).every((k) => FIT_OPTION_KEYS.has(k));
}

/** The AbortSignal a notebook kernel sets for the running cell (interrupt stops fit). */
function cellSignal(): AbortSignal | undefined {
  const s = (globalThis as Record<symbol, unknown>)[Symbol.for("tskeras.cellSignal")];
  return s instanceof AbortSignal ? s : undefined;
}

function combineSignals(...signals: (AbortSignal | undefined)[]): AbortSignal | undefined {
  const list = signals.filter((s): s is AbortSignal => s !== undefined);
  if (list.length === 0) return undefined;
  if (list.length === 1) return list[0];
  return AbortSignal.any(list);
}

/** Lets the event loop run (sockets, timers, interrupts) at most every `ms`. */
class Yielder {
  private last = performance.now();
  constructor(private readonly ms = 25) {}
  async maybeYield(): Promise<void> {
    const now = performance.now();
    if (now - this.last >= this.ms) {
      await new Promise<void>((r) => setImmediate(r));
      this.last = performance.now();
    }
  }
}

function sortedLogs(logs: Logs): Logs {
  const out: Logs = {};
  for (const k of Object.keys(logs).sort()) out[k] = logs[k];
  return out;
}

function normalizeVerbose(v: Verbose | undefined): 0 | 1 | 2 {
  if (v === undefined || v === "auto") return 1;
  if (v !== 0 && v !== 1 && v !== 2) throw new Error(`\`verbose\` must be 0, 1, 2 or "auto". Received: verbose=${String(v)}`);
  return v;
}

/** The training half of Model. */
export class Trainer extends Layer {
  /** The optimizer set by `compile`. */
  optimizer: Optimizer | null = null;
  /** Set by callbacks (EarlyStopping, TerminateOnNaN) to stop `fit` after the current batch. */
  stopTraining = false;
  /** The History of the last `fit`. */
  history: History | null = null;
  /** Whether `compile` was called. */
  compiled = false;
  protected compileLoss: CompileLoss | null = null;
  protected compileMetrics: CompileMetrics | null = null;
  #lossTracker: Mean | null = null;
  private compileOptions: CompileOptions | null = null;
  /** Set by BackupAndRestore in `onTrainBegin` to resume at a later epoch (Keras's `_initial_epoch`). */
  _initialEpoch: number | null = null;
  /** The compile_config read from a .keras file (applied by `compileFromConfig`). */
  compileConfig: Record<string, unknown> | null = null;

  /** Configures the model for training. */
  compile(options: CompileOptions = {}): void {
    const opt = options.optimizer ?? "rmsprop";
    this.optimizer = optimizersModule.get(opt as never);
    this.compileLoss = options.loss === undefined || options.loss === null ? null : new CompileLoss(options.loss, options.lossWeights ?? null);
    this.compileMetrics =
      options.metrics || options.weightedMetrics ? new CompileMetrics(options.metrics ?? null, options.weightedMetrics ?? null) : null;
    this.#lossTracker?.dispose();
    this.#lossTracker = new Mean({ name: "loss" });
    this.compileOptions = options;
    this.compiled = true;
    this.stopTraining = false;
  }

  /**
   * Compiles from a `compile_config` (Keras's `compile_from_config`, used
   * when a model is loaded): the serialized optimizer, losses and metrics
   * are rebuilt and passed to `compile`, then, when the model is built, the
   * optimizer is built on the trainable weights so saved optimizer
   * variables can be loaded into it.
   */
  compileFromConfig(config: Record<string, unknown>): void {
    const isSerialized = (x: unknown): x is Record<string, unknown> & { class_name: string } =>
      isPlainObject(x) && typeof x.class_name === "string" && "config" in x;
    const mapSpec = (spec: unknown, one: (x: unknown) => unknown): unknown => {
      if (spec === null || spec === undefined) return null;
      if (isSerialized(spec) || typeof spec === "string") return one(spec);
      if (Array.isArray(spec)) return spec.map((e) => (Array.isArray(e) ? e.map(one) : e === null ? null : mapSpec(e, one)));
      if (isPlainObject(spec)) return Object.fromEntries(Object.entries(spec).map(([k, v]) => [k, mapSpec(v, one)]));
      return spec;
    };
    const loss = mapSpec(config.loss, (x) => (isSerialized(x) ? lossesModule.deserialize(x as never) : x));
    const metricOf = (x: unknown): unknown => (isSerialized(x) ? metricsModule.deserialize(x as never) : x);
    const optimizer = config.optimizer === null || config.optimizer === undefined ? undefined : optimizersModule.get(config.optimizer as never);
    this.compile({
      optimizer,
      loss: loss as LossSpec,
      lossWeights: (config.loss_weights as CompileOptions["lossWeights"]) ?? null,
      metrics: mapSpec(config.metrics, metricOf) as MetricsSpec,
      weightedMetrics: mapSpec(config.weighted_metrics, metricOf) as MetricsSpec,
      runEagerly: (config.run_eagerly as boolean | undefined) ?? false,
      stepsPerExecution: (config.steps_per_execution as number | undefined) ?? 1,
      jitCompile: (config.jit_compile as boolean | "auto" | undefined) ?? "auto",
    });
    if (this.optimizer && this.built && !this.optimizer.built) this.optimizer.build(this.trainableWeights);
  }

  /** Keras's compile_config: what `compile` was given, serialized. */
  getCompileConfig(): Record<string, unknown> | null {
    if (!this.compiled || !this.compileOptions) return null;
    const o = this.compileOptions;
    const m = this.compileMetrics?.getConfig() ?? { metrics: null, weighted_metrics: null };
    return {
      optimizer: this.optimizer ? optimizersModule.serialize(this.optimizer as never) : null,
      loss: this.compileLoss?.getConfig() ?? null,
      loss_weights: o.lossWeights ?? null,
      metrics: m.metrics,
      weighted_metrics: m.weighted_metrics,
      run_eagerly: o.runEagerly ?? false,
      steps_per_execution: o.stepsPerExecution ?? 1,
      jit_compile: o.jitCompile ?? true,
    };
  }

  /** The names of the outputs, used to match losses and metrics (Functional: output layer names). */
  protected trainerOutputNames(yPred: unknown): string[] {
    const names = (this as unknown as { outputNames?: string[] }).outputNames;
    const n = yPred instanceof tf.Tensor ? 1 : Array.isArray(yPred) ? yPred.length : isPlainObject(yPred) ? Object.keys(yPred).length : 1;
    if (isPlainObject(yPred)) return Object.keys(yPred);
    if (names && names.length === n) return names;
    return n === 1 ? ["output"] : Array.from({ length: n }, (_, i) => `output_${i + 1}`);
  }

  /** The metrics tracked in training: the loss tracker, per-output losses, then the compiled metrics. */
  get metrics(): Metric[] {
    const out: Metric[] = [];
    if (this.#lossTracker) out.push(this.#lossTracker);
    if (this.compileLoss) out.push(...this.compileLoss.trackers);
    if (this.compileMetrics) out.push(...this.compileMetrics.metrics);
    return out;
  }

  /** The names of `metrics`, in order (`["loss", "accuracy"]`). */
  get metricsNames(): string[] {
    return this.metrics.map((m) => m.name);
  }

  /** Resets every metric's state. */
  resetMetrics(): void {
    for (const m of this.metrics) m.resetState();
  }

  private assertCompiled(method: string): void {
    if (!this.compiled || !this.optimizer) {
      throw new Error(`You must call \`compile()\` before using the model (\`${method}\` was called on "${this.name}").`);
    }
  }

  // ------------------------------------------------------------------ steps

  /**
   * The total loss of a batch: the compiled loss plus the layers' losses
   * (regularization penalties, `addLoss`). Override to define your own.
   */
  computeLoss(args: ComputeLossArgs): Tensor {
    const { y, yPred, sampleWeight } = args;
    const names = this.trainerOutputNames(yPred);
    let total: Tensor | null = null;
    if (this.compileLoss) {
      this.compileLoss.build(names, y, yPred);
      total = this.compileLoss.call(y, yPred, sampleWeight);
    }
    const extra = this.losses;
    if (extra.length) {
      const reg = extra.length === 1 ? extra[0] : tf.addN(extra);
      total = total === null ? reg : tf.add(total, reg);
    }
    if (total === null) {
      throw new Error(
        `No loss to compute for model "${this.name}". Provide a \`loss\` argument in \`compile()\`, or override \`computeLoss\`/\`trainStep\`.`,
      );
    }
    return total;
  }

  /** Updates the compiled metrics with a batch (override to customise). */
  computeMetrics(x: unknown, y: unknown, yPred: unknown, sampleWeight: unknown): void {
    void x;
    if (!this.compileMetrics) return;
    const names = this.trainerOutputNames(yPred);
    this.compileMetrics.build(names, y, yPred);
    this.compileMetrics.updateState(names, y, yPred, sampleWeight);
  }

  private batchSizeOf(x: unknown): number {
    const first = dataLeaves(x).find((t): t is Tensor => t instanceof tf.Tensor);
    return first?.shape[0] ?? 1;
  }

  /**
   * One training step on a batch `[x, y, sampleWeight]`. Override it for a
   * custom training loop; use `keras.backend.valueAndGrad` for gradients and
   * `this.optimizer.apply(grads, this.trainableWeights)`. Return nothing (the
   * logs come from `this.metrics`) or a dict of values to log.
   */
  trainStep(data: Batch): Record<string, Tensor | number> | void {
    const [x, y, sampleWeight] = unpackXYSampleWeight(data);
    const vars = this.trainableWeights;
    const { value: loss, grads, aux: yPred } = valueAndGrad(() => {
      const pred = this.apply(x as never, { training: true });
      return [this.computeLoss({ x, y, yPred: pred, sampleWeight, training: true }), pred];
    }, vars);
    this.#lossTracker?.updateState(loss, tf.scalar(this.batchSizeOf(x)));
    if (vars.length > 0) (this.optimizer as Optimizer).apply(grads, vars);
    this.computeMetrics(x, y, yPred, sampleWeight);
  }

  /**
   * Builds an unbuilt model (and so its weights) with a forward pass on a
   * batch, before the first training step needs its trainable weights
   * (Keras's `_symbolic_build`).
   */
  protected buildFromBatch(data: Batch): void {
    if (this.built) return;
    const [x] = unpackXYSampleWeight(data);
    tf.tidy(() => {
      this.apply(x as never, { training: false });
    });
  }

  /** One evaluation step on a batch. */
  testStep(data: Batch): Record<string, Tensor | number> | void {
    const [x, y, sampleWeight] = unpackXYSampleWeight(data);
    const yPred = this.apply(x as never, { training: false });
    if (this.compileLoss || this.losses.length) {
      const loss = this.computeLoss({ x, y, yPred, sampleWeight, training: false });
      this.#lossTracker?.updateState(loss, tf.scalar(this.batchSizeOf(x)));
    }
    this.computeMetrics(x, y, yPred, sampleWeight);
  }

  /** One prediction step on a batch: the model's outputs. */
  predictStep(data: Batch): unknown {
    const [x] = unpackXYSampleWeight(data);
    return this.apply(x as never, { training: false });
  }

  // ------------------------------------------------------------------ logs

  /** The current value of every metric, read from the device (sorted by name, as Keras). */
  getMetricsResult(): Logs {
    const logs: Logs = {};
    for (const m of this.metrics) logs[m.name] = m.resultValue();
    return sortedLogs(logs);
  }

  /** Logs whose values are read from the device only when a callback reads them. */
  private lazyLogs(custom: Record<string, Tensor | number> | void): Logs {
    const logs: Logs = {};
    if (custom) {
      for (const k of Object.keys(custom).sort()) {
        const v = custom[k];
        if (typeof v === "number") logs[k] = v;
        else {
          const t = tf.keep(v);
          let cached: number | undefined;
          Object.defineProperty(logs, k, {
            enumerable: true,
            get: () => {
              if (cached === undefined) cached = t.isDisposed ? NaN : t.dataSync()[0];
              return cached;
            },
          });
          this.pendingLogTensors.push(t);
        }
      }
      return logs;
    }
    for (const m of [...this.metrics].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      let cached: number | undefined;
      Object.defineProperty(logs, m.name, {
        enumerable: true,
        get: () => {
          if (cached === undefined) cached = m.resultValue();
          return cached;
        },
      });
    }
    return logs;
  }

  private pendingLogTensors: Tensor[] = [];

  private releaseLogTensors(): void {
    tf.dispose(this.pendingLogTensors);
    this.pendingLogTensors = [];
  }

  // ------------------------------------------------------------------ data

  private makeAdapter(
    x: unknown,
    y: unknown,
    sampleWeight: unknown,
    options: { batchSize?: number | null; shuffle?: boolean | "batch"; classWeight?: Record<number, number> | null },
  ): DataAdapter {
    if (isPyDatasetLike(x)) return new PyDatasetAdapter(x, { shuffle: options.shuffle === true });
    if (isDatasetLike(x) || isBatchIterable(x)) {
      if (y !== undefined && y !== null) {
        throw new Error("When `x` is a dataset, generator or iterable, `y` must not be given: the batches hold the targets.");
      }
      return new IterableDataAdapter(x as never);
    }
    return new ArrayDataAdapter(x, y, sampleWeight, options);
  }

  // ------------------------------------------------------------------ fit

  /**
   * Trains the model for `epochs` epochs and returns its History.
   * `x` and `y` are tensors, nested arrays, typed arrays, or lists / dicts of
   * them for several inputs or outputs; or `x` is a dataset, an (async)
   * iterable of `[x, y]` batches, or a PyDataset (then `y` is left out:
   * `fit(dataset, { epochs })`).
   */
  async fit(x: unknown, y?: unknown, options?: FitOptions): Promise<History> {
    if (options === undefined && looksLikeOptions(y) && (isDatasetLike(x) || isBatchIterable(x) || isPyDatasetLike(x))) {
      options = y as FitOptions;
      y = undefined;
    }
    const o = options ?? {};
    this.assertCompiled("fit");
    const epochs = capEpochs(o.epochs ?? 1);
    const initialEpoch = o.initialEpoch ?? 0;
    const verboseOpt = o.verbose ?? "auto";
    const verbose = normalizeVerbose(verboseOpt);
    const signal = combineSignals(o.signal, cellSignal());
    const created: Tensor[] = [];
    let trainX = x;
    let trainY = y;
    let trainSw = o.sampleWeight;
    let validation = o.validationData;
    if (o.validationSplit && o.validationSplit > 0) {
      if (validation !== undefined) {
        // Keras ignores validationSplit when validationData is given.
      } else {
        if (isDatasetLike(x) || isBatchIterable(x) || isPyDatasetLike(x)) {
          throw new Error("`validationSplit` is only supported for tensors and arrays, not for datasets, generators or iterables.");
        }
        const split = ArrayDataAdapter.split(x, y, o.sampleWeight, o.validationSplit);
        created.push(...split.created);
        [trainX, trainY, trainSw] = split.train;
        validation = split.val;
      }
    }
    const adapter = this.makeAdapter(trainX, trainY, trainSw, { batchSize: o.batchSize, shuffle: o.shuffle ?? true, classWeight: o.classWeight });
    let valAdapterArgs: { x: unknown; y: unknown; sw: unknown } | null = null;
    if (validation !== undefined && validation !== null) {
      if (isDatasetLike(validation) || isBatchIterable(validation) || isPyDatasetLike(validation)) {
        valAdapterArgs = { x: validation, y: undefined, sw: undefined };
      } else {
        const [vx, vy, vsw] = unpackXYSampleWeight(validation);
        valAdapterArgs = { x: vx, y: vy, sw: vsw };
      }
    }
    const iterator = new EpochIterator(adapter, { steps: capStepsPerEpoch(o.stepsPerEpoch ?? null) });
    const callbacks =
      o.callbacks instanceof CallbackList
        ? o.callbacks
        : new CallbackList(o.callbacks ?? [], { addHistory: true, addProgbar: verbose !== 0, model: this });
    const params: CallbackParams = { verbose: verboseOpt === "auto" ? "auto" : verbose, epochs, steps: iterator.numBatches };
    callbacks.setModel(this);
    callbacks.setParams(params);
    const yielder = new Yielder();
    this.stopTraining = false;
    let epochLogs: Logs = {};
    try {
      this._initialEpoch = null;
      await callbacks.onTrainBegin();
      const startEpoch = this._initialEpoch ?? initialEpoch;
      this._initialEpoch = null;
      for (let epoch = startEpoch; epoch < epochs; epoch++) {
        this.resetMetrics();
        await callbacks.onEpochBegin(epoch);
        for await (const [step, batch] of iterator.enumerateEpoch()) {
          if (signal?.aborted) {
            disposeBatch(batch);
            this.stopTraining = true;
            break;
          }
          await callbacks.onTrainBatchBegin(step);
          let custom: Record<string, Tensor | number> | void;
          try {
            this.buildFromBatch(batch);
            custom = tf.tidy(() => {
              const r = this.trainStep(batch);
              return (r ?? {}) as tf.TensorContainer;
            }) as Record<string, Tensor | number>;
          } finally {
            disposeBatch(batch);
          }
          const logs = this.lazyLogs(custom && Object.keys(custom).length ? custom : undefined);
          await callbacks.onTrainBatchEnd(step, logs);
          this.releaseLogTensors();
          if (this.stopTraining || signal?.aborted) {
            this.stopTraining = true;
            break;
          }
          await yielder.maybeYield();
        }
        if (iterator.ranOutOfData && this.metrics.every((m) => m === this.#lossTracker)) {
          // Nothing was trained this epoch.
        }
        epochLogs = this.getMetricsResult();
        if (valAdapterArgs && this.shouldEval(epoch, o.validationFreq ?? 1) && !signal?.aborted) {
          const valLogs = (await this.evaluate(valAdapterArgs.x, valAdapterArgs.y, {
            sampleWeight: valAdapterArgs.sw,
            batchSize: o.validationBatchSize ?? o.batchSize,
            steps: o.validationSteps,
            callbacks,
            returnDict: true,
            verbose: 0,
          })) as Logs;
          for (const [k, v] of Object.entries(valLogs)) epochLogs[`val_${k}`] = v;
          epochLogs = sortedLogs(epochLogs);
        }
        await callbacks.onEpochEnd(epoch, epochLogs);
        if (adapter.onEpochEnd) await adapter.onEpochEnd();
        if (this.stopTraining || signal?.aborted || iterator.ranOutOfData) break;
      }
      await callbacks.onTrainEnd(epochLogs);
    } finally {
      this.releaseLogTensors();
      adapter.dispose();
      tf.dispose(created);
    }
    const history = callbacks.historyCallback ?? this.history;
    if (!history) throw new Error("fit: no History callback was attached.");
    this.history = history;
    return history;
  }

  private shouldEval(epoch: number, freq: number | number[]): boolean {
    if (typeof freq === "number") {
      if (!Number.isInteger(freq) || freq < 1) throw new Error(`\`validationFreq\` must be a positive integer or a list of epochs. Received: ${freq}`);
      return (epoch + 1) % freq === 0;
    }
    return freq.includes(epoch + 1);
  }

  // ------------------------------------------------------------------ evaluate

  /**
   * The loss and metrics on data: a list ordered like `metricsNames`, or a
   * dict with `returnDict: true`.
   */
  async evaluate(x: unknown, y?: unknown, options?: EvaluateOptions): Promise<number[] | Logs> {
    if (options === undefined && looksLikeOptions(y) && (isDatasetLike(x) || isBatchIterable(x) || isPyDatasetLike(x))) {
      options = y as EvaluateOptions;
      y = undefined;
    }
    const o = options ?? {};
    this.assertCompiled("evaluate");
    const verboseOpt = o.verbose ?? "auto";
    const verbose = normalizeVerbose(verboseOpt);
    const signal = combineSignals(o.signal, cellSignal());
    const adapter = this.makeAdapter(x, y, o.sampleWeight, { batchSize: o.batchSize, shuffle: false });
    const iterator = new EpochIterator(adapter, { steps: o.steps ?? null });
    const inFit = o.callbacks instanceof CallbackList;
    const callbacks =
      o.callbacks instanceof CallbackList
        ? o.callbacks
        : new CallbackList(o.callbacks ?? [], { addProgbar: verbose !== 0, model: this });
    if (!inFit) callbacks.setParams({ verbose: verboseOpt === "auto" ? "auto" : verbose, epochs: 1, steps: iterator.numBatches });
    callbacks.setModel(this);
    const yielder = new Yielder();
    this.resetMetrics();
    let logs: Logs = {};
    try {
      await callbacks.onTestBegin();
      for await (const [step, batch] of iterator.enumerateEpoch()) {
        if (signal?.aborted) {
          disposeBatch(batch);
          break;
        }
        await callbacks.onTestBatchBegin(step);
        let custom: Record<string, Tensor | number> | void;
        try {
          custom = tf.tidy(() => (this.testStep(batch) ?? {}) as tf.TensorContainer) as Record<string, Tensor | number>;
        } finally {
          disposeBatch(batch);
        }
        await callbacks.onTestBatchEnd(step, this.lazyLogs(custom && Object.keys(custom).length ? custom : undefined));
        this.releaseLogTensors();
        await yielder.maybeYield();
      }
      logs = this.getMetricsResult();
      await callbacks.onTestEnd(logs);
    } finally {
      this.releaseLogTensors();
      adapter.dispose();
    }
    if (o.returnDict) return logs;
    return this.metrics.map((m) => logs[m.name]);
  }

  // ------------------------------------------------------------------ predict

  /**
   * The model's outputs for `x`, computed in batches: a tensor (or a list /
   * dict of tensors for several outputs) that the caller owns.
   */
  async predict(x: unknown, options: PredictOptions = {}): Promise<Tensor | Tensor[] | Record<string, Tensor>> {
    const verboseOpt = options.verbose ?? "auto";
    const verbose = normalizeVerbose(verboseOpt);
    const signal = combineSignals(options.signal, cellSignal());
    const adapter = this.makeAdapter(x, undefined, undefined, { batchSize: options.batchSize, shuffle: false });
    const iterator = new EpochIterator(adapter, { steps: options.steps ?? null });
    const callbacks =
      options.callbacks instanceof CallbackList
        ? options.callbacks
        : new CallbackList(options.callbacks ?? [], { addProgbar: verbose !== 0, model: this });
    callbacks.setParams({ verbose: verboseOpt === "auto" ? "auto" : verbose, epochs: 1, steps: iterator.numBatches });
    callbacks.setModel(this);
    const yielder = new Yielder();
    const outputs: unknown[] = [];
    try {
      await callbacks.onPredictBegin();
      for await (const [step, batch] of iterator.enumerateEpoch()) {
        if (signal?.aborted) {
          disposeBatch(batch);
          break;
        }
        await callbacks.onPredictBatchBegin(step);
        try {
          outputs.push(tf.tidy(() => this.predictStep(batch) as tf.TensorContainer));
        } finally {
          disposeBatch(batch);
        }
        await callbacks.onPredictBatchEnd(step, {});
        await yielder.maybeYield();
      }
      await callbacks.onPredictEnd();
    } finally {
      adapter.dispose();
    }
    if (outputs.length === 0) {
      throw new Error("Unexpected result of `predict`: no batch was processed. Make sure your data isn't empty.");
    }
    const first = outputs[0];
    try {
      if (first instanceof tf.Tensor) return tf.concat(outputs as Tensor[], 0);
      if (Array.isArray(first)) return first.map((_, i) => tf.concat(outputs.map((o) => (o as Tensor[])[i]), 0));
      if (isPlainObject(first)) {
        const out: Record<string, Tensor> = {};
        for (const k of Object.keys(first)) out[k] = tf.concat(outputs.map((o) => (o as Record<string, Tensor>)[k]), 0);
        return out;
      }
      throw new Error("predictStep must return a tensor, a list or a dict of tensors.");
    } finally {
      tf.dispose(outputs as tf.TensorContainer);
    }
  }

  // ------------------------------------------------------------------ on batch

  /** One training step on one batch; returns the logs (a list, or a dict with `returnDict`). */
  trainOnBatch(
    x: unknown,
    y?: unknown,
    options: { sampleWeight?: unknown; classWeight?: Record<number, number> | null; returnDict?: boolean } = {},
  ): number[] | Logs {
    this.assertCompiled("trainOnBatch");
    this.resetMetrics();
    const adapter = new ArrayDataAdapter(x, y, options.sampleWeight, { batchSize: Number.MAX_SAFE_INTEGER, classWeight: options.classWeight });
    try {
      const batch = adapter.epoch().next().value as Batch;
      try {
        this.buildFromBatch(batch);
        tf.tidy(() => {
          this.trainStep(batch);
        });
      } finally {
        disposeBatch(batch);
      }
    } finally {
      adapter.dispose();
    }
    const logs = this.getMetricsResult();
    return options.returnDict ? logs : this.metrics.map((m) => logs[m.name]);
  }

  /** One evaluation step on one batch. */
  testOnBatch(x: unknown, y?: unknown, options: { sampleWeight?: unknown; returnDict?: boolean } = {}): number[] | Logs {
    this.assertCompiled("testOnBatch");
    this.resetMetrics();
    const adapter = new ArrayDataAdapter(x, y, options.sampleWeight, { batchSize: Number.MAX_SAFE_INTEGER });
    try {
      const batch = adapter.epoch().next().value as Batch;
      try {
        tf.tidy(() => {
          this.testStep(batch);
        });
      } finally {
        disposeBatch(batch);
      }
    } finally {
      adapter.dispose();
    }
    const logs = this.getMetricsResult();
    return options.returnDict ? logs : this.metrics.map((m) => logs[m.name]);
  }

  /** The model's outputs for one batch (the caller owns them). */
  predictOnBatch(x: unknown): Tensor | Tensor[] | Record<string, Tensor> {
    return tf.tidy(() => {
      const { data } = toTensors(x, "x");
      return this.predictStep([data]) as tf.TensorContainer;
    }) as Tensor;
  }

  /** Frees the weights, the optimizer state and the metric state. */
  override dispose(): void {
    super.dispose();
    for (const m of this.metrics) m.dispose();
    this.optimizer?.dispose();
  }
}

export type { CallArgs };
