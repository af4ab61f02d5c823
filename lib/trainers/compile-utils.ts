/**
 * What `compile` makes of its `loss` and `metrics` arguments (Keras's
 * `trainers/compile_utils.py`): one loss and a list of metrics per output,
 * matched by position or by output name.
 */
import { tf, type Tensor } from "../backend/tfjs.js";
import * as lossesModule from "../losses/index.js";
import * as metricsModule from "../metrics/index.js";
import type { Loss } from "../losses/loss.js";
import { Metric } from "../metrics/metric.js";
import { isPlainObject } from "../utils/tree.js";

/** A loss given to `compile`: a name, a Loss, or a function `(yTrue, yPred) => perSampleLoss`. */
export type LossIdentifier = string | Loss | ((yTrue: Tensor, yPred: Tensor) => Tensor);
/** A metric given to `compile`: a name, a Metric, or a function `(yTrue, yPred) => perSampleValue`. */
export type MetricIdentifier = string | Metric | ((yTrue: Tensor, yPred: Tensor) => Tensor);

/** `compile`'s `loss`: one for all outputs, one per output (array), or by output name. */
export type LossSpec = LossIdentifier | (LossIdentifier | null)[] | Record<string, LossIdentifier | null> | null;
/** `compile`'s `metrics`: a list (single output), a list of lists, or by output name. */
export type MetricsSpec = MetricIdentifier[] | (MetricIdentifier[] | null)[] | Record<string, MetricIdentifier | MetricIdentifier[] | null> | null;

/** Lists outputs for error messages. */
function describeOutputs(names: string[]): string {
  return `[${names.map((n) => `'${n}'`).join(", ")}]`;
}

function flatOutputs(x: unknown): Tensor[] {
  if (x instanceof tf.Tensor) return [x];
  if (Array.isArray(x)) return x as Tensor[];
  if (isPlainObject(x)) return Object.values(x) as Tensor[];
  return [];
}

/** Matches targets to outputs: a tensor, a list in output order, or a dict by output name. */
export function matchToOutputs(y: unknown, outputNames: string[], what: string): (Tensor | undefined)[] {
  if (y === undefined || y === null) return outputNames.map(() => undefined);
  if (y instanceof tf.Tensor) {
    if (outputNames.length !== 1) {
      throw new Error(
        `The model has ${outputNames.length} outputs ${describeOutputs(outputNames)} but \`${what}\` is a single tensor. ` +
          "Pass a list in output order or a dict keyed by output name.",
      );
    }
    return [y];
  }
  if (Array.isArray(y)) {
    if (y.length !== outputNames.length) {
      throw new Error(`\`${what}\` has ${y.length} entries but the model has ${outputNames.length} outputs ${describeOutputs(outputNames)}.`);
    }
    return y as Tensor[];
  }
  if (isPlainObject(y)) {
    const unknown = Object.keys(y).filter((k) => !outputNames.includes(k));
    if (unknown.length) {
      throw new Error(`\`${what}\` has keys ${describeOutputs(unknown)} that are not output names. The outputs are ${describeOutputs(outputNames)}.`);
    }
    return outputNames.map((n) => y[n] as Tensor | undefined);
  }
  throw new Error(`Unrecognized \`${what}\` for a model with outputs ${describeOutputs(outputNames)}.`);
}

function resolveLoss(id: LossIdentifier, yTrue?: Tensor, yPred?: Tensor): Loss {
  const loss = lossesModule.getLoss(id as never, yTrue ?? null, yPred ?? null);
  if (!loss) throw new Error(`Could not interpret loss identifier: ${String(id)}`);
  return loss;
}

/** The compiled loss: a weighted sum of one loss per output. */
export class CompileLoss {
  private readonly spec: LossSpec;
  private readonly weightsSpec: number[] | Record<string, number> | null;
  private perOutput: (Loss | null)[] | null = null;
  private weights: number[] = [];
  private names: string[] = [];
  /** Per-output loss trackers (`<output>_loss`), when the model has several outputs with losses. */
  trackers: metricsModule.Mean[] = [];

  constructor(loss: LossSpec, lossWeights: number[] | Record<string, number> | null = null) {
    this.spec = loss;
    this.weightsSpec = lossWeights;
  }

  /** Resolves the spec against the model's outputs (called on the first batch). */
  build(outputNames: string[], y?: unknown, yPred?: unknown): void {
    if (this.perOutput) return;
    const ys = y === undefined ? outputNames.map(() => undefined) : matchToOutputs(y, outputNames, "y");
    const preds = flatOutputs(yPred);
    this.names = outputNames;
    const spec = this.spec;
    let list: (LossIdentifier | null)[];
    if (spec === null || spec === undefined) list = outputNames.map(() => null);
    else if (Array.isArray(spec)) {
      if (spec.length !== outputNames.length) {
        throw new Error(`\`loss\` has ${spec.length} entries but the model has ${outputNames.length} outputs ${describeOutputs(outputNames)}.`);
      }
      list = spec;
    } else if (isPlainObject(spec)) {
      const unknown = Object.keys(spec).filter((k) => !outputNames.includes(k));
      if (unknown.length) {
        throw new Error(`\`loss\` has keys ${describeOutputs(unknown)} that are not output names. The outputs are ${describeOutputs(outputNames)}.`);
      }
      list = outputNames.map((n) => (spec as Record<string, LossIdentifier | null>)[n] ?? null);
    } else list = outputNames.map(() => spec as LossIdentifier);
    this.perOutput = list.map((l, i) => (l === null ? null : resolveLoss(l, ys[i], preds[i])));
    const w = this.weightsSpec;
    if (w === null) this.weights = outputNames.map(() => 1);
    else if (Array.isArray(w)) {
      if (w.length !== outputNames.length) throw new Error(`\`lossWeights\` has ${w.length} entries but the model has ${outputNames.length} outputs.`);
      this.weights = [...w];
    } else this.weights = outputNames.map((n) => w[n] ?? 1);
    const active = this.perOutput.filter((l) => l !== null).length;
    if (active > 1) {
      this.trackers = outputNames
        .filter((_, i) => this.perOutput?.[i])
        .map((n) => new metricsModule.Mean({ name: `${n}_loss` }));
    }
  }

  /** Whether any output has a loss. */
  get hasLoss(): boolean {
    return (this.perOutput ?? []).some((l) => l !== null);
  }

  /** The losses per output (null where none), once built. */
  get losses(): (Loss | null)[] {
    return this.perOutput ?? [];
  }

  /** The total weighted loss; updates the per-output trackers. */
  call(y: unknown, yPred: unknown, sampleWeight: unknown): Tensor | null {
    if (!this.perOutput) throw new Error("CompileLoss used before build().");
    const preds = flatOutputs(yPred);
    const ys = matchToOutputs(y, this.names, "y");
    const sws = sampleWeight instanceof tf.Tensor ? this.names.map(() => sampleWeight) : matchToOutputs(sampleWeight, this.names, "sampleWeight");
    let total: Tensor | null = null;
    let t = 0;
    this.perOutput.forEach((loss, i) => {
      if (!loss) return;
      const yt = ys[i];
      if (yt === undefined) {
        throw new Error(`No target (y) given for output '${this.names[i]}', which has the loss ${loss.name}.`);
      }
      const value = loss.apply(yt, preds[i], sws[i] ?? null);
      const tracker = this.trackers[t++];
      if (tracker) tracker.updateState(value, tf.scalar(preds[i].shape[0] ?? 1));
      const weighted = this.weights[i] === 1 ? value : tf.mul(value, this.weights[i]);
      total = total === null ? weighted : tf.add(total, weighted);
    });
    return total;
  }

  /** Keras's compile_config form of the loss. */
  getConfig(): unknown {
    const ser = (l: LossIdentifier | null): unknown => (l === null ? null : typeof l === "string" ? l : lossesModule.serialize(l as never));
    const spec = this.spec;
    if (spec === null || spec === undefined) return null;
    if (Array.isArray(spec)) return spec.map(ser);
    if (isPlainObject(spec)) return Object.fromEntries(Object.entries(spec).map(([k, v]) => [k, ser(v as LossIdentifier | null)]));
    return ser(spec as LossIdentifier);
  }
}

/**
 * Resolves "accuracy" / "acc" like Keras: binary when the output has one unit,
 * sparse categorical when labels have one dimension fewer (or a last
 * dimension of 1), else categorical.
 */
export function resolveAccuracy(name: string, yTrue: Tensor, yPred: Tensor): Metric {
  const predLast = yPred.shape[yPred.rank - 1];
  const isBinary = predLast === 1;
  const isSparse =
    (yTrue.rank === yPred.rank - 1 || (yTrue.rank === yPred.rank && yTrue.shape[yTrue.rank - 1] === 1)) && predLast > 1;
  if (isBinary) return new metricsModule.BinaryAccuracy({ name });
  if (isSparse) return new metricsModule.SparseCategoricalAccuracy({ name });
  return new metricsModule.CategoricalAccuracy({ name });
}

function resolveMetric(id: MetricIdentifier, yTrue: Tensor, yPred: Tensor): Metric {
  const m = resolveMetricObject(id, yTrue, yPred);
  // Keras names a metric given by string after that string ("mae", not "mean_absolute_error").
  if (typeof id === "string") m.name = id;
  return m;
}

function resolveMetricObject(id: MetricIdentifier, yTrue: Tensor, yPred: Tensor): Metric {
  if (typeof id === "string") {
    const lower = id.toLowerCase();
    if (lower === "accuracy" || lower === "acc") return resolveAccuracy(id, yTrue, yPred);
    // "crossentropy" and "ce" follow the same rule as Keras.
    if (lower === "crossentropy" || lower === "ce") {
      const acc = resolveAccuracy(id, yTrue, yPred);
      if (acc instanceof metricsModule.BinaryAccuracy) return new metricsModule.BinaryCrossentropy({ name: id });
      if (acc instanceof metricsModule.SparseCategoricalAccuracy) return new metricsModule.SparseCategoricalCrossentropy({ name: id });
      return new metricsModule.CategoricalCrossentropy({ name: id });
    }
  }
  return metricsModule.get(id as never);
}

/** The compiled metrics: a list of metrics per output, plus weighted metrics. */
export class CompileMetrics {
  private readonly spec: MetricsSpec;
  private readonly weightedSpec: MetricsSpec;
  private perOutput: Metric[][] = [];
  private weightedPerOutput: Metric[][] = [];
  private built = false;

  constructor(metrics: MetricsSpec, weightedMetrics: MetricsSpec = null) {
    this.spec = metrics;
    this.weightedSpec = weightedMetrics;
  }

  private expand(spec: MetricsSpec, outputNames: string[], what: string): (MetricIdentifier[] | null)[] {
    if (spec === null || spec === undefined) return outputNames.map(() => null);
    if (Array.isArray(spec)) {
      const nested = spec.length > 0 && spec.every((e) => Array.isArray(e) || e === null);
      if (nested) {
        if (spec.length !== outputNames.length) {
          throw new Error(`\`${what}\` has ${spec.length} lists but the model has ${outputNames.length} outputs ${describeOutputs(outputNames)}.`);
        }
        return spec as (MetricIdentifier[] | null)[];
      }
      if (outputNames.length > 1) {
        throw new Error(
          `For a model with multiple outputs, when providing the \`${what}\` argument as a list, it should have as many entries as the model has outputs (a list per output), or be a dict keyed by output name ${describeOutputs(outputNames)}.`,
        );
      }
      return [spec as MetricIdentifier[]];
    }
    if (isPlainObject(spec)) {
      const unknown = Object.keys(spec).filter((k) => !outputNames.includes(k));
      if (unknown.length) {
        throw new Error(`\`${what}\` has keys ${describeOutputs(unknown)} that are not output names. The outputs are ${describeOutputs(outputNames)}.`);
      }
      return outputNames.map((n) => {
        const v = (spec as Record<string, MetricIdentifier | MetricIdentifier[] | null>)[n];
        if (v === undefined || v === null) return null;
        return Array.isArray(v) ? v : [v];
      });
    }
    throw new Error(`Unrecognized \`${what}\`: expected a list or a dict keyed by output name.`);
  }

  /** Resolves the metrics against the first batch's targets and predictions. */
  build(outputNames: string[], y: unknown, yPred: unknown): void {
    if (this.built) return;
    const preds = flatOutputs(yPred);
    const ys = matchToOutputs(y, outputNames, "y");
    const multi = outputNames.length > 1;
    const make = (spec: MetricsSpec, what: string): Metric[][] =>
      this.expand(spec, outputNames, what).map((ids, i) =>
        (ids ?? []).map((id) => {
          const yt = ys[i];
          if (yt === undefined) throw new Error(`No target (y) given for output '${outputNames[i]}', which has metrics.`);
          const m = resolveMetric(id, yt, preds[i]);
          if (multi) m.name = `${outputNames[i]}_${m.name}`;
          return m;
        }),
      );
    this.perOutput = make(this.spec, "metrics");
    this.weightedPerOutput = make(this.weightedSpec, "weightedMetrics");
    // Keras names a weighted metric that clashes with a plain one `weighted_<name>`.
    const plain = new Set(this.perOutput.flat().map((m) => m.name));
    for (const m of this.weightedPerOutput.flat()) if (plain.has(m.name)) m.name = `weighted_${m.name}`;
    this.built = true;
  }

  /** Every metric, in order: per output, plain then weighted. */
  get metrics(): Metric[] {
    return [...this.perOutput.flat(), ...this.weightedPerOutput.flat()];
  }

  /** Updates every metric with a batch. */
  updateState(outputNames: string[], y: unknown, yPred: unknown, sampleWeight: unknown): void {
    const preds = flatOutputs(yPred);
    const ys = matchToOutputs(y, outputNames, "y");
    const sws = sampleWeight instanceof tf.Tensor ? outputNames.map(() => sampleWeight) : matchToOutputs(sampleWeight, outputNames, "sampleWeight");
    this.perOutput.forEach((ms, i) => {
      for (const m of ms) m.updateState(ys[i] as Tensor, preds[i], null);
    });
    this.weightedPerOutput.forEach((ms, i) => {
      for (const m of ms) m.updateState(ys[i] as Tensor, preds[i], sws[i] ?? null);
    });
  }

  /** Keras's compile_config form of the metrics. */
  getConfig(): { metrics: unknown; weighted_metrics: unknown } {
    const ser = (spec: MetricsSpec): unknown => {
      if (spec === null || spec === undefined) return null;
      const one = (m: unknown): unknown => (typeof m === "string" ? m : m instanceof Metric ? metricsModule.serialize(m as never) : String((m as { name?: string }).name ?? m));
      if (Array.isArray(spec)) return spec.map((e) => (Array.isArray(e) ? e.map(one) : e === null ? null : one(e)));
      return Object.fromEntries(Object.entries(spec).map(([k, v]) => [k, Array.isArray(v) ? v.map(one) : v === null ? null : one(v)]));
    };
    return { metrics: ser(this.spec), weighted_metrics: ser(this.weightedSpec) };
  }
}
