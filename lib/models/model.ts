/**
 * Model: a Layer with training and saving, and the base of Functional and
 * Sequential (Keras's `models/model.py`). Subclass it and define `call`, or
 * build a graph with `keras.Model({ inputs, outputs })`.
 */
import { KerasTensor, type Shape } from "../backend/keras-tensor.js";
import { traceOutputSpec } from "../ops/operation.js";
import type { Layer, LayerArgs } from "../layers/layer.js";
import { Trainer } from "../trainers/trainer.js";
import { printSummary, type SummaryOptions } from "../utils/summary-utils.js";
import type { TensorStructure } from "./functional.js";
import type { SaveModelOptions } from "../saving/saving-lib.js";
import type { LoadWeightsOptions } from "../saving/weights-loading.js";

/**
 * The saving functions Model's `save`, `saveWeights`, `loadWeights`,
 * `toJson` and `exportTfjs` delegate to. lib/saving registers them when it
 * is loaded (models never import it, which keeps the modules acyclic).
 */
export interface ModelSavingHooks {
  save(model: Model, filepath: string, options?: SaveModelOptions): Promise<void>;
  saveWeights(model: Model, filepath: string, options?: { overwrite?: boolean }): Promise<void>;
  loadWeights(model: Model, filepath: string | Uint8Array, options?: LoadWeightsOptions): Promise<void>;
  toJson(model: Model): string;
  exportTfjs(model: Model, dir: string): Promise<void>;
}

let savingHooks: ModelSavingHooks | null = null;

/** Called by lib/saving to provide Model's saving methods. */
export function setModelSavingHooks(hooks: ModelSavingHooks): void {
  savingHooks = hooks;
}

async function loadSavingHooks(): Promise<ModelSavingHooks> {
  if (!savingHooks) await import("../saving/index.js");
  if (!savingHooks) throw new Error("tskeras: the saving module (lib/saving) could not be loaded.");
  return savingHooks;
}

/** Options of a Model. */
export type ModelArgs = LayerArgs;

/** Options of `keras.Model({ inputs, outputs })`, which makes a Functional model. */
export interface GraphModelArgs extends ModelArgs {
  inputs: TensorStructure;
  outputs: TensorStructure;
}

type FunctionalFactory = (args: GraphModelArgs) => Model;
let functionalFactory: FunctionalFactory | null = null;

/** Called by functional.ts so `new Model({inputs, outputs})` can make a Functional without an import cycle. */
export function setFunctionalFactory(f: FunctionalFactory): void {
  functionalFactory = f;
}

function isGraphArgs(args: unknown): args is GraphModelArgs {
  return typeof args === "object" && args !== null && "inputs" in args && "outputs" in args;
}

/** A layer that groups layers, with `summary`, training and saving. */
export class Model extends Trainer {
  constructor(args: ModelArgs | GraphModelArgs = {}) {
    super(isGraphArgs(args) ? { name: args.name } : args);
    if (isGraphArgs(args) && new.target === Model) {
      if (!functionalFactory) throw new Error("tskeras: the Functional model class is not loaded.");
      // keras.Model(inputs, outputs) is a Functional model, as in Keras.
      return functionalFactory(args) as this;
    }
  }

  /** The model's layers (for subclassed models: the layers assigned as attributes). */
  get layers(): Layer[] {
    return this.trackedLayers();
  }

  /**
   * A layer by name, or by index in `layers`.
   * Throws naming the available layers when there is no match.
   */
  getLayer(nameOrIndex: string | number): Layer {
    const layers = this.layers;
    if (typeof nameOrIndex === "number") {
      const l = layers[nameOrIndex];
      if (!l) {
        throw new Error(
          `Was asked to retrieve layer at index ${nameOrIndex} but model only has ${layers.length} layers.`,
        );
      }
      return l;
    }
    const l = layers.find((x) => x.name === nameOrIndex);
    if (!l) {
      throw new Error(
        `No such layer: ${nameOrIndex}. Existing layers are: [${layers.map((x) => `'${x.name}'`).join(", ")}].`,
      );
    }
    return l;
  }

  /**
   * Builds a subclassed model for inputs of `inputShape` by running `call` on
   * zeros of that shape, which creates every sublayer's weights.
   */
  override build(inputShape: unknown): void {
    if (this.built) return;
    const toSpec = (s: unknown): unknown =>
      Array.isArray(s) && s.every((d) => d === null || typeof d === "number")
        ? new KerasTensor(s as Shape, { dtype: this.computeDtype })
        : Array.isArray(s)
          ? s.map(toSpec)
          : s;
    const spec = toSpec(inputShape);
    traceOutputSpec((concrete) => this.runCall(concrete[0], {}), [spec]);
    this.built = true;
    this.buildShapes = inputShape;
  }

  /**
   * Prints Keras's summary table: layers, output shapes, parameter counts.
   * In a notebook the kernel shows it as an HTML table too.
   */
  summary(options: SummaryOptions = {}): void {
    printSummary(this, options);
  }

  /**
   * Saves the model as a `.keras` file (Keras 3's format: architecture,
   * weights, compile state and optimizer state), readable by
   * `keras.saving.loadModel` and by Python Keras 3. The file is written to a
   * temporary name and renamed, so a failed save leaves an existing file intact.
   */
  async save(filepath: string, options: SaveModelOptions = {}): Promise<void> {
    return (await loadSavingHooks()).save(this, filepath, options);
  }

  /** Saves the weights (and optimizer state) to a `.weights.h5` file in Keras's layout. */
  async saveWeights(filepath: string, options: { overwrite?: boolean } = {}): Promise<void> {
    return (await loadSavingHooks()).saveWeights(this, filepath, options);
  }

  /**
   * Loads weights saved by `saveWeights` (or the weights of a `.keras`
   * file) into this built model. With `skipMismatch`, a layer whose weights
   * do not fit is skipped with a warning instead of throwing.
   */
  async loadWeights(filepath: string | Uint8Array, options: LoadWeightsOptions = {}): Promise<void> {
    return (await loadSavingHooks()).loadWeights(this, filepath, options);
  }

  /** The model's serialized config as JSON (Keras's `to_json`); rebuild it with `keras.models.modelFromJson`. */
  toJson(): string {
    if (!savingHooks) throw new Error("tskeras: toJson needs the saving module; import it (e.g. `import { saving } from \"tskeras\"`).");
    return savingHooks.toJson(this);
  }

  /**
   * Writes the model in the TensorFlow.js layers format into the folder
   * `dir` (`model.json` + `group1-shard1of1.bin`), for `tf.loadLayersModel`.
   */
  async exportTfjs(dir: string): Promise<void> {
    return (await loadSavingHooks()).exportTfjs(this, dir);
  }
}
