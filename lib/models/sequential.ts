/**
 * Sequential: a plain stack of layers, one input and one output (Keras's
 * `models/sequential.py`). Once the input shape is known it wraps a
 * Functional graph of its layers.
 */
import { KerasTensor, type Shape } from "../backend/keras-tensor.js";
import { describe } from "../ops/convert.js";
import { Layer, type CallArgs, type LayerArgs } from "../layers/layer.js";
import { InputLayer } from "../layers/core/input-layer.js";
import { registerBuiltin } from "../saving/object-registration.js";
import { Functional } from "./functional.js";
import { Model } from "./model.js";

/** Options of Sequential. */
export interface SequentialArgs extends LayerArgs {
  /** The layers, in order (also accepted as the first argument). */
  layers?: (Layer | KerasTensor)[];
}

/** A linear stack of layers: `keras.Sequential([layers.Input(...), layers.Dense(10)])`. */
export class Sequential extends Model {
  private stack: Layer[] = [];
  private functional: Functional | null = null;

  constructor(layers?: (Layer | KerasTensor)[] | SequentialArgs | null, args: SequentialArgs = {}) {
    const opts: SequentialArgs = Array.isArray(layers) || layers == null ? { ...args, layers: layers ?? args.layers } : layers;
    super({ name: opts.name, trainable: opts.trainable, dtype: opts.dtype });
    for (const l of opts.layers ?? []) this.add(l, false);
    if (this.stack.length > 0) this.maybeRebuild();
  }

  /** Appends a layer (or the InputLayer of a `keras.Input` tensor) and rebuilds the graph. */
  add(layer: Layer | KerasTensor, rebuild = true): void {
    let l: unknown = layer;
    if (layer instanceof KerasTensor) {
      const op = layer.kerasHistory?.operation;
      if (op instanceof InputLayer && op.output === layer) l = op;
    }
    if (!(l instanceof Layer)) {
      throw new TypeError(
        `Only instances of \`keras.Layer\` can be added to a Sequential model. Received: ${describe(layer)}`,
      );
    }
    if (l instanceof InputLayer && this.stack.length > 0 && this.stack[0] instanceof InputLayer) {
      throw new Error(
        `Sequential model '${this.name}' has already been configured to use input shape ` +
          `${JSON.stringify((this.stack[0] as InputLayer).batchShape)}. You cannot add a different Input layer to it.`,
      );
    }
    if (this.stack.some((x) => x.name === (l as Layer).name)) {
      throw new Error(
        `All layers added to a Sequential model should have unique names. Name '${l.name}' is already the name ` +
          "of a layer in this model. Update the `name` argument to pass a unique name.",
      );
    }
    // Keras 2 style `inputShape` on the first layer starts the model with an Input.
    if (this.stack.length === 0 && !(l instanceof InputLayer) && l.batchInputShape) {
      this.stack.push(new InputLayer({ batchShape: l.batchInputShape }));
    }
    this.stack.push(l);
    if (rebuild) this.maybeRebuild();
    else {
      this.built = false;
      this.functional = null;
    }
  }

  /** Removes the last layer and rebuilds the graph. */
  pop(rebuild = true): Layer {
    if (this.layers.length === 0) throw new Error("There are no layers in the model.");
    const layer = this.stack.pop() as Layer;
    this.built = false;
    this.functional = null;
    if (rebuild) this.maybeRebuild();
    return layer;
  }

  private maybeRebuild(): void {
    this.built = false;
    this.functional = null;
    const first = this.stack[0];
    if (first instanceof InputLayer && this.stack.length > 1) this.maybeBuild(first.batchShape);
  }

  /** The layers, without the InputLayer (as Keras). */
  override get layers(): Layer[] {
    return this.stack[0] instanceof InputLayer ? this.stack.slice(1) : [...this.stack];
  }

  /** Every layer including the InputLayer, as written in configs. */
  get allLayers(): Layer[] {
    return [...this.stack];
  }

  protected override trackedLayers(): Layer[] {
    return this.layers;
  }

  /** Builds the graph of the layers for inputs of `inputShape` (batch dimension first). */
  override build(inputShape?: unknown): void {
    if (this.stack.length === 0) {
      throw new Error(
        `Sequential model ${this.name} cannot be built because it has no layers. Call \`model.add(layer)\`.`,
      );
    }
    if (!Array.isArray(inputShape) || !inputShape.every((d) => d === null || typeof d === "number")) {
      if (this.stack[0] instanceof InputLayer) inputShape = this.stack[0].batchShape;
      else throw new Error(`Sequential.build expects a shape such as [null, 784]. Received: ${JSON.stringify(inputShape)}`);
    }
    const shape = inputShape as Shape;
    const first = this.stack[0];
    if (first instanceof InputLayer) {
      const same = first.batchShape.length === shape.length && first.batchShape.every((d, i) => d === shape[i] || i === 0);
      if (!same) {
        throw new Error(
          `Sequential model '${this.name}' has already been configured to use input shape ` +
            `${JSON.stringify(first.batchShape)}. You cannot build it with input_shape ${JSON.stringify(shape)}`,
        );
      }
    } else {
      this.stack.unshift(new InputLayer({ batchShape: shape, dtype: first.computeDtype }));
    }
    const input = (this.stack[0] as InputLayer).output;
    let x: unknown = input;
    for (const layer of this.stack.slice(1)) x = layer.apply(x as KerasTensor);
    this.functional = new Functional({ inputs: input, outputs: x as KerasTensor, name: `${this.name}_graph` });
    this.built = true;
    this.buildShapes = shape;
  }

  /** The Functional graph of the built model. */
  get graph(): Functional {
    if (!this.functional) {
      throw new Error(
        `Sequential model '${this.name}' has not been built yet: give it a keras.Input first, call it on data, or call model.build(inputShape).`,
      );
    }
    return this.functional;
  }

  /** The input KerasTensors (once built). */
  get inputs(): KerasTensor[] {
    return this.graph.inputs;
  }

  /** The output KerasTensors (once built). */
  get outputs(): KerasTensor[] {
    return this.graph.outputs;
  }

  override call(inputs: unknown, kwargs: CallArgs = {}): unknown {
    if (this.functional) return this.functional.call(inputs, kwargs);
    let x = inputs;
    for (const layer of this.layers) x = layer.apply(x as never, { training: kwargs.training });
    return x;
  }

  override computeOutputSpec(args: unknown[], kwargs: Record<string, unknown>): unknown {
    if (this.functional) return this.functional.computeOutputSpec(args, kwargs);
    return super.computeOutputSpec(args, kwargs);
  }

  override getConfig(): Record<string, unknown> {
    // The `layers` list and `build_input_shape` are written by lib/saving.
    return { ...super.getConfig() };
  }
}
registerBuiltin("keras", Sequential);
