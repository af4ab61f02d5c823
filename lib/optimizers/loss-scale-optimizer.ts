/** LossScaleOptimizer: dynamic loss scaling around another optimizer. */
import { tf, type Tensor } from "../backend/tfjs.js";
import type { Variable } from "../backend/variable.js";
import type { CustomObjects } from "../saving/module-objects.js";
import { registerBuiltin, getRegisteredName, isCustomRegistered } from "../saving/object-registration.js";
import { isSerializedObject, type SerializedObject } from "../saving/serialized.js";
import { Optimizer, type LearningRateLike } from "./optimizer.js";

/** Options of LossScaleOptimizer. */
export interface LossScaleOptimizerOptions {
  /** The wrapped optimizer (or its serialized dict, when built from a config). */
  innerOptimizer?: Optimizer | SerializedObject;
  /** The starting loss scale. Default 2 ** 15. */
  initialScale?: number;
  /** Double the scale after this many steps with finite gradients. Default 2000. */
  dynamicGrowthSteps?: number;
  /** Default: `loss_scale_optimizer` made unique. */
  name?: string | null;
  /** Only `true` is supported (Keras 3 removed static loss scaling). */
  dynamic?: boolean;
  /** Base optimizer options are accepted only at their defaults (older configs carry them). */
  [key: string]: unknown;
}

let innerDeserializer: ((config: SerializedObject, customObjects?: CustomObjects) => Optimizer) | null = null;

/** @internal Set by optimizers/index.ts so configs can name any optimizer without an import cycle. */
export function setInnerOptimizerDeserializer(fn: (config: SerializedObject, customObjects?: CustomObjects) => Optimizer): void {
  innerDeserializer = fn;
}

const BASE_DEFAULTS: Record<string, unknown> = {
  weightDecay: null,
  clipnorm: null,
  globalClipnorm: null,
  clipvalue: null,
  useEma: false,
  emaMomentum: 0.99,
  emaOverwriteFrequency: null,
  lossScaleFactor: null,
  gradientAccumulationSteps: null,
};

/**
 * Keras's `LossScaleOptimizer`: `scaleLoss(loss)` multiplies the loss by a
 * dynamic scale; `apply` divides the gradients by it and applies them with
 * the inner optimizer when they are all finite (then doubles the scale every
 * `dynamicGrowthSteps` steps), otherwise skips the step and halves the scale.
 * The finiteness test runs on the device: the step is computed and then kept
 * or discarded with a `where`, with no read-back.
 */
export class LossScaleOptimizer extends Optimizer {
  /** The optimizer that applies the unscaled gradients. */
  readonly innerOptimizer: Optimizer;
  /** Keras's `initial_scale` (see the constructor options for its default). */
  initialScale: number;
  /** Keras's `dynamic_growth_steps` (see the constructor options for its default). */
  dynamicGrowthSteps: number;
  /** Steps since the scale last changed (int32), once built. */
  stepCounter: Variable | null = null;
  /** The current loss scale (float32), once built. */
  dynamicScale: Variable | null = null;

  constructor(innerOptimizer: Optimizer | LossScaleOptimizerOptions, options: LossScaleOptimizerOptions = {}) {
    const o: LossScaleOptimizerOptions =
      innerOptimizer instanceof Optimizer ? { ...options, innerOptimizer } : { ...innerOptimizer };
    if (o.dynamic === false) {
      throw new Error(
        "LossScaleOptimizer no longer supports `dynamic=False`. Instead, simply set `loss_scale_factor` directly " +
          "on the `inner_optimizer`.",
      );
    }
    const known = new Set(["innerOptimizer", "initialScale", "dynamicGrowthSteps", "name", "dynamic", "learningRate"]);
    for (const [k, v] of Object.entries(o)) {
      if (known.has(k)) continue;
      if (k in BASE_DEFAULTS) {
        if (v !== undefined && v !== BASE_DEFAULTS[k]) {
          throw new Error(`LossScaleOptimizer does not support \`${k}\`. Instead, set \`${k}\` on the \`inner_optimizer\`.`);
        }
        continue;
      }
      throw new Error(`LossScaleOptimizer does not support arguments: \`${k}\`.`);
    }
    let inner = o.innerOptimizer;
    if (inner !== undefined && !(inner instanceof Optimizer) && isSerializedObject(inner)) {
      if (innerDeserializer === null) throw new Error("LossScaleOptimizer: import lib/optimizers/index.js to deserialize optimizers.");
      inner = innerDeserializer(inner);
    }
    if (!(inner instanceof Optimizer)) {
      throw new Error(`LossScaleOptimizer needs an \`inner_optimizer\` Optimizer. Received: ${String(inner)}`);
    }
    super({ learningRate: 0.0, name: o.name ?? null });
    this.innerOptimizer = inner;
    this.initialScale = o.initialScale ?? 2 ** 15;
    this.dynamicGrowthSteps = o.dynamicGrowthSteps ?? 2000;
    // The inner optimizer must not scale a second time.
    this.innerOptimizer.lossScaleFactor = null;
  }

  override build(variables: readonly Variable[]): void {
    this.stepCounter = this.addVariable({ shape: [], dtype: "int32", initializer: "zeros", name: "step_counter" });
    this.dynamicScale = this.addVariable({ shape: [], dtype: "float32", initializer: this.initialScale, name: "dynamic_scale" });
    this.innerOptimizer.build(variables);
    super.build(variables);
  }

  /** The own variables (iteration, learning_rate, step_counter, dynamic_scale), then the inner optimizer's. */
  override get variables(): Variable[] {
    return [...this._variables, ...this.innerOptimizer.variables];
  }

  override apply(grads: readonly (Tensor | null | undefined)[], trainableVariables?: readonly Variable[]): void {
    if (!this.built) {
      if (!trainableVariables) {
        throw new Error("When passing `grads` without `variables`, the optimizer must already be built on a list of variables.");
      }
      this.withScope(() => this.build([...trainableVariables]));
      this.built = true;
    }
    const counter = this.stepCounter as Variable;
    const scale = this.dynamicScale as Variable;
    const tvs = trainableVariables ? [...trainableVariables] : this._trainableVariables;
    tf.tidy(() => {
      const present = grads.filter((g): g is Tensor => g !== null && g !== undefined);
      const finite = tf.all(tf.stack(present.map((g) => tf.all(tf.isFinite(g)))));
      const touched = [...tvs, ...this.innerOptimizer.variables];
      const snapshots = touched.map((v) => tf.clone(v.value));
      const unscaled = grads.map((g) => (g === null || g === undefined ? g : tf.div(g, scale.value)));
      this.innerOptimizer.apply(unscaled, trainableVariables);
      touched.forEach((v, i) => tf.tidy(() => v.assign(tf.where(finite, v.value, snapshots[i]))));
      const atGrowth = tf.equal(counter.value, this.constant(this.dynamicGrowthSteps - 1, "int32"));
      const zero = this.constant(0, "int32");
      const newCounter = tf.where(finite, tf.where(atGrowth, zero, tf.add(counter.value, this.constant(1, "int32"))), zero);
      const newScale = tf.where(
        finite,
        tf.where(atGrowth, tf.mul(scale.value, this.constant(2)), scale.value),
        tf.mul(scale.value, this.constant(0.5)),
      );
      counter.assign(newCounter);
      scale.assign(newScale);
    });
  }

  /** The inner optimizer's learning rate. */
  override get learningRate(): Variable | Tensor {
    return this.innerOptimizer.learningRate;
  }

  override set learningRate(value: LearningRateLike) {
    this.innerOptimizer.learningRate = value;
  }

  override learningRateValue(): number {
    return this.innerOptimizer.learningRateValue();
  }

  /** The inner optimizer's iteration counter. */
  override get iterations(): Variable {
    return this.innerOptimizer.iterations;
  }

  /** Multiplies the loss by the current dynamic scale (the initial scale before the first step). */
  override scaleLoss(loss: Tensor): Tensor {
    if (this.built && this.dynamicScale) return tf.mul(loss, this.dynamicScale.value);
    return tf.mul(loss, this.initialScale);
  }

  override finalizeVariableValues(variables: readonly Variable[]): void {
    this.innerOptimizer.finalizeVariableValues(variables);
  }

  override getConfig(): Record<string, unknown> {
    const inner = this.innerOptimizer;
    const cls = inner.constructor;
    const custom = isCustomRegistered(cls);
    return {
      name: this.name,
      inner_optimizer: {
        module: custom ? null : "keras.optimizers",
        class_name: cls.name,
        config: inner.getConfig(),
        registered_name: custom ? getRegisteredName(cls) : null,
      },
      initial_scale: this.initialScale,
      dynamic_growth_steps: this.dynamicGrowthSteps,
    };
  }

  override dispose(): void {
    super.dispose();
    this.innerOptimizer.dispose();
  }
}

registerBuiltin("keras.optimizers", LossScaleOptimizer);
