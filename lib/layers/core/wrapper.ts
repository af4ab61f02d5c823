/**
 * Wrapper: the abstract base of layers that wrap another layer
 * (Keras's `layers/core/wrapper.py`): TimeDistributed, Bidirectional,
 * SpectralNormalization.
 */
import { registerBuiltin } from "../../saving/object-registration.js";
import { deserializeKerasObject, serializeKerasObject } from "../../saving/serialization-lib.js";
import { Layer, configToArgs, type LayerArgs } from "../layer.js";

/** Options of Wrapper. */
export interface WrapperArgs extends LayerArgs {
  /** The wrapped layer (also the first positional argument). */
  layer?: Layer;
}

/**
 * The base class of wrappers: it holds `layer`, builds it with its own
 * input shape, and serializes it as the `layer` key of its config. Subclass
 * it and define `call`; it is not meant to be used as a layer by itself.
 *
 * ```ts
 * class Twice extends layers.Wrapper {
 *   call(x) { return ops.multiply(this.layer.apply(x), 2); }
 * }
 * ```
 */
export class Wrapper extends Layer {
  /** The wrapped layer. */
  readonly layer: Layer;

  /** `new Wrapper(layer, options)` or `new Wrapper({ layer, ...options })`. */
  constructor(layer: Layer | WrapperArgs, args: WrapperArgs = {}) {
    const opts: WrapperArgs = layer instanceof Layer ? { ...args, layer } : { ...(layer ?? {}) };
    if (!(opts.layer instanceof Layer)) {
      throw new Error(
        `Layer ${String(opts.layer)} supplied to Wrapper isn't a supported layer type. ` +
          "Please ensure wrapped layer is a valid Keras layer.",
      );
    }
    super(opts);
    this.layer = opts.layer;
  }

  /** Builds the wrapped layer (inside this layer's name scope) unless it is built. */
  override build(inputShape: unknown): void {
    if (!this.layer.built) this.layer.maybeBuild(inputShape);
    this.built = true;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), layer: serializeKerasObject(this.layer) };
  }

  /** Deserializes the `layer` entry, then calls the constructor with the other keys. */
  static override fromConfig<T extends Layer>(this: new (args: never) => T, config: Record<string, unknown>): T {
    const { layer, ...rest } = config;
    const inner = layer instanceof Layer ? layer : deserializeKerasObject(layer);
    if (!(inner instanceof Layer)) throw new Error(`Wrapper.fromConfig: \`layer\` must deserialize to a layer. Received: ${JSON.stringify(layer)}`);
    return new this({ ...configToArgs(rest), layer: inner } as never);
  }
}
registerBuiltin("keras.layers", Wrapper);
