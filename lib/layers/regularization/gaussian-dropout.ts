/**
 * GaussianDropout (Keras's `layers/regularization/gaussian_dropout.py`).
 */
import { tf, type Tensor } from "../../backend/tfjs.js";
import type { Shape } from "../../backend/keras-tensor.js";
import { normal } from "../../random/random.js";
import { SeedGenerator } from "../../random/seed-generator.js";
import { registerBuiltin } from "../../saving/object-registration.js";
import { Layer, type CallArgs, type LayerArgs } from "../layer.js";
import { singleTensor, toFloat } from "../layer-utils.js";

/** Options of GaussianDropout. */
export interface GaussianDropoutArgs extends LayerArgs {
  /** Drop probability in [0, 1]; the noise's stddev is `sqrt(rate / (1 - rate))` (also the first positional argument). */
  rate?: number;
  /** Integer seed of the noise. Default none. */
  seed?: number | null;
}

/**
 * Multiplies its input by Gaussian noise of mean 1 and standard deviation
 * `sqrt(rate / (1 - rate))` while training; returns the input unchanged
 * otherwise.
 *
 * ```ts
 * layers.GaussianDropout(0.2)(x, { training: true });
 * ```
 */
export class GaussianDropout extends Layer {
  /** The drop probability. */
  readonly rate: number;
  /** The integer seed given, or null. */
  readonly seed: number | null;
  /** The source of the noise's seeds (null when `rate` is 0). */
  readonly seedGenerator: SeedGenerator | null;

  /** `new GaussianDropout(0.2)` or `new GaussianDropout({ rate: 0.2, seed: 1 })`. */
  constructor(rate: number | GaussianDropoutArgs, args: GaussianDropoutArgs = {}) {
    const opts: GaussianDropoutArgs = typeof rate === "object" && rate !== null ? { ...rate } : { ...args, rate };
    const r = opts.rate;
    if (typeof r !== "number" || !(r >= 0 && r <= 1)) {
      throw new Error(`Invalid value received for argument \`rate\`. Expected a float value between 0 and 1. Received: rate=${String(r)}`);
    }
    super(opts);
    this.rate = r;
    this.seed = opts.seed ?? null;
    this.seedGenerator = r > 0 ? new SeedGenerator(this.seed) : null;
    this.supportsMasking = true;
    this.built = true;
  }

  override call(inputs: unknown, kwargs: CallArgs = {}): Tensor {
    const x = singleTensor(inputs, this.name);
    if (kwargs.training === true && this.rate > 0) {
      const stddev = Math.sqrt(this.rate / (1 - this.rate));
      return tf.mul(toFloat(x), normal(x.shape, { mean: 1, stddev, seed: this.seedGenerator }));
    }
    return x;
  }

  override computeOutputShape(inputShape: unknown): Shape {
    return inputShape as Shape;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), rate: this.rate, seed: this.seed };
  }
}
registerBuiltin("keras.layers", GaussianDropout);
