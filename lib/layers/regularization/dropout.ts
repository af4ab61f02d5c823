/**
 * Dropout (Keras's `layers/regularization/dropout.py`).
 */
import type { Tensor } from "../../backend/tfjs.js";
import type { Shape } from "../../backend/keras-tensor.js";
import { dropout } from "../../random/random.js";
import { SeedGenerator } from "../../random/seed-generator.js";
import { registerBuiltin } from "../../saving/object-registration.js";
import { Layer, type CallArgs, type LayerArgs } from "../layer.js";
import { singleTensor } from "../layer-utils.js";

/** Options of Dropout. */
export interface DropoutArgs extends LayerArgs {
  /** Fraction of the input units to drop, in [0, 1] (also the first positional argument). */
  rate?: number;
  /**
   * Shape of the binary dropout mask, broadcast over the input; `null`
   * entries take the input's size (e.g. `[null, 1, null]` drops the same
   * features at every timestep). Default: the input's shape.
   */
  noiseShape?: readonly (number | null)[] | null;
  /** Integer seed of the layer's SeedGenerator. Default none (from the global seed). */
  seed?: number | null;
}

/**
 * Randomly sets input units to 0 with frequency `rate` during training and
 * scales the others by `1 / (1 - rate)`, so the expected sum is unchanged.
 * Active only when called with `training: true` (as `fit` does); otherwise
 * it returns its input.
 *
 * ```ts
 * const d = layers.Dropout(0.5, { seed: 1 });
 * d(x, { training: true });
 * ```
 */
export class Dropout extends Layer {
  /** Fraction of the units dropped. */
  readonly rate: number;
  /** The mask's shape (null entries follow the input), or null. */
  readonly noiseShape: (number | null)[] | null;
  /** The integer seed given, or null. */
  readonly seed: number | null;
  /** The source of the masks' seeds (null when `rate` is 0). */
  readonly seedGenerator: SeedGenerator | null;

  /** `new Dropout(0.5)` or `new Dropout({ rate: 0.5, seed: 1 })`. */
  constructor(rate: number | DropoutArgs, args: DropoutArgs = {}) {
    const opts: DropoutArgs = typeof rate === "object" && rate !== null ? { ...rate } : { ...args, rate };
    const r = opts.rate;
    if (typeof r !== "number" || !(r >= 0 && r <= 1)) {
      throw new Error(
        `Invalid value received for argument \`rate\`. Expected a float value between 0 and 1. Received: rate=${String(r)}`,
      );
    }
    const ns = validateNoiseShape(opts.noiseShape);
    super(opts);
    this.rate = r;
    this.seed = opts.seed ?? null;
    this.noiseShape = ns;
    this.seedGenerator = r > 0 ? new SeedGenerator(this.seed) : null;
    this.supportsMasking = true;
    this.built = true;
  }

  override call(inputs: unknown, kwargs: CallArgs = {}): Tensor {
    const x = singleTensor(inputs, this.name);
    if (kwargs.training === true && this.rate > 0) {
      return dropout(x, this.rate, { noiseShape: this.noiseShape, seed: this.seedGenerator });
    }
    return x;
  }

  override computeOutputShape(inputShape: unknown): Shape {
    return inputShape as Shape;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), rate: this.rate, seed: this.seed, noise_shape: this.noiseShape ? [...this.noiseShape] : null };
  }
}
registerBuiltin("keras.layers", Dropout);

function validateNoiseShape(ns: unknown): (number | null)[] | null {
  if (ns == null) return null;
  if (!Array.isArray(ns)) {
    throw new Error(
      `Invalid value received for argument \`noise_shape\`. Expected a tuple or list of integers. Received: noise_shape=${JSON.stringify(ns)}`,
    );
  }
  ns.forEach((d: unknown, i) => {
    if (d === null) return;
    if (typeof d !== "number" || !Number.isInteger(d)) {
      throw new Error(
        `Invalid value received for argument \`noise_shape\`. Expected all elements to be integers or None. Received element at index ${i}: ${String(d)} (type: ${typeof d})`,
      );
    }
    if (d <= 0) {
      throw new Error(
        `Invalid value received for argument \`noise_shape\`. Expected all dimensions to be positive integers or None. Received negative or zero value at index ${i}: ${d}`,
      );
    }
  });
  return [...(ns as (number | null)[])];
}
