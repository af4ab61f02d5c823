/**
 * Pipeline: applies a list of preprocessing layers in order (Keras's
 * `layers/preprocessing/pipeline.py`).
 */
import type { KerasTensor } from "../../backend/keras-tensor.js";
import { registerBuiltin } from "../../saving/object-registration.js";
import { deserializeKerasObject, serializeKerasObject } from "../../saving/serialization-lib.js";
import { getKerasMask } from "../../backend/masking.js";
import { Layer, type CallArgs, type LayerArgs, type LayerInput, type LayerOutput } from "../layer.js";
import { applyWithStrings } from "./index-lookup.js";
import type { StringData } from "./preprocessing-utils.js";

/** Options of Pipeline. */
export interface PipelineArgs extends LayerArgs {
  /** The layers, applied in order (also the first positional argument). */
  layers?: readonly Layer[];
}

/**
 * Applies `layers` in sequence, passing each one's output (and mask) to the
 * next. Unlike Sequential it is a plain layer, for preprocessing (no fit).
 *
 * ```ts
 * const prep = layers.Pipeline([layers.Rescaling(1 / 255), layers.Resizing(32, 32)]);
 * ```
 */
export class Pipeline extends Layer {
  private readonly pipelineLayers: Layer[];

  /** `new Pipeline([layerA, layerB])` or `new Pipeline({ layers: [...] })`. */
  constructor(layers?: readonly Layer[] | PipelineArgs, args: PipelineArgs = {}) {
    const opts: PipelineArgs = Array.isArray(layers) ? { ...args, layers: layers as readonly Layer[] } : { ...(layers as PipelineArgs | undefined) };
    if (!Array.isArray(opts.layers)) throw new Error("Pipeline: `layers` must be a list of layers.");
    super({ name: opts.name ?? null });
    this.pipelineLayers = [...opts.layers];
  }

  /** The layers, in order. */
  get layers(): Layer[] {
    return this.pipelineLayers;
  }

  /** Keras saves the layers under `layers/` (its `layers` property). */
  saveableChildren(): Record<string, unknown> {
    return { layers: this.pipelineLayers };
  }

  /** Pipelines take JS strings too (for text layers). */
  override apply<I extends LayerInput | StringData>(inputs: I, kwargs: CallArgs = {}): LayerOutput<I> {
    return applyWithStrings(inputs, (x) => super.apply(x, kwargs)) as LayerOutput<I>;
  }

  override call(inputs: unknown, kwargs: CallArgs = {}): unknown {
    let x = inputs;
    let mask = kwargs.mask;
    for (const layer of this.pipelineLayers) {
      const kw: CallArgs = {};
      if (mask !== undefined && mask !== null) kw.mask = mask;
      if (kwargs.training !== undefined && kwargs.training !== null) kw.training = kwargs.training;
      x = layer.apply(x as LayerInput, kw);
      mask = getKerasMask(x) ?? undefined;
    }
    return x;
  }

  override computeOutputSpec(args: unknown[], kwargs: Record<string, unknown>): unknown {
    let spec: unknown = args[0];
    for (const layer of this.pipelineLayers) {
      const shapes = Array.isArray(spec) ? (spec as KerasTensor[]).map((t) => [...t.shape]) : [...(spec as KerasTensor).shape];
      if (!layer.built) layer.maybeBuild(shapes);
      spec = layer.computeOutputSpec([spec], kwargs);
    }
    return spec;
  }

  /** Keras's config: `layers` (serialized) and `name`. */
  override getConfig(): Record<string, unknown> {
    return { layers: serializeKerasObject(this.pipelineLayers), name: this.name };
  }

  static override fromConfig<T extends Layer>(this: new (args: never) => T, config: Record<string, unknown>): T {
    const layers = config.layers;
    if (!Array.isArray(layers)) {
      throw new Error(`\`Pipeline\` config must contain a \`layers\` key mapping to a list of serialized layers. Received config with layers=${JSON.stringify(layers)}.`);
    }
    const objs = layers.map((l) => deserializeKerasObject(l) as Layer);
    return new this({ layers: objs, name: (config.name as string | undefined) ?? null } as never);
  }
}
/** Pipeline instances are callable on strings too. */
export interface Pipeline {
  <I extends LayerInput | StringData>(inputs: I, kwargs?: CallArgs): LayerOutput<I>;
}
registerBuiltin("keras.layers", Pipeline);
