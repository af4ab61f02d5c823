/**
 * GaussianNoise (Keras's `layers/regularization/gaussian_noise.py`).
 */
import { tf, type Tensor } from "../../backend/tfjs.js";
import type { Shape } from "../../backend/keras-tensor.js";
import { normal } from "../../random/random.js";
import { SeedGenerator } from "../../random/seed-generator.js";
import { registerBuiltin } from "../../saving/object-registration.js";
import { Layer, type CallArgs, type LayerArgs } from "../layer.js";
import { singleTensor, toFloat } from "../layer-utils.js";

/** Options of GaussianNoise. */
export interface GaussianNoiseArgs extends LayerArgs {
  /** Standard deviation of the noise, in [0, 1] (also the first positional argument). */
  stddev?: number;
  /** Integer seed of the noise. Default none. */
  seed?: number | null;
}

/**
 * Adds zero-centered Gaussian noise of standard deviation `stddev` to its
 * input while training (a regularizer, and a form of data augmentation);
 * returns the input unchanged otherwise.
 *
 * ```ts
 * layers.GaussianNoise(0.1)(x, { training: true });
 * ```
 */
export class GaussianNoise extends Layer {
  /** Standard deviation of the noise. */
  readonly stddev: number;
  /** The integer seed given, or null. */
  readonly seed: number | null;
  /** The source of the noise's seeds (null when `stddev` is 0). */
  readonly seedGenerator: SeedGenerator | null;

  /** `new GaussianNoise(0.1)` or `new GaussianNoise({ stddev: 0.1, seed: 1 })`. */
  constructor(stddev: number | GaussianNoiseArgs, args: GaussianNoiseArgs = {}) {
    const opts: GaussianNoiseArgs = typeof stddev === "object" && stddev !== null ? { ...stddev } : { ...args, stddev };
    const s = opts.stddev;
    if (typeof s !== "number" || !(s >= 0 && s <= 1)) {
      throw new Error(`Invalid value received for argument \`stddev\`. Expected a float value between 0 and 1. Received: stddev=${String(s)}`);
    }
    super(opts);
    this.stddev = s;
    this.seed = opts.seed ?? null;
    this.seedGenerator = s > 0 ? new SeedGenerator(this.seed) : null;
    this.supportsMasking = true;
    this.built = true;
  }

  override call(inputs: unknown, kwargs: CallArgs = {}): Tensor {
    const x = singleTensor(inputs, this.name);
    if (kwargs.training === true && this.stddev > 0) {
      return tf.add(toFloat(x), normal(x.shape, { mean: 0, stddev: this.stddev, seed: this.seedGenerator }));
    }
    return x;
  }

  override computeOutputShape(inputShape: unknown): Shape {
    return inputShape as Shape;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), stddev: this.stddev, seed: this.seed };
  }
}
registerBuiltin("keras.layers", GaussianNoise);
