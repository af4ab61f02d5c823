/**
 * AlphaDropout (Keras's `layers/regularization/alpha_dropout.py`).
 */
import { tf, type Tensor } from "../../backend/tfjs.js";
import type { Shape } from "../../backend/keras-tensor.js";
import { uniform } from "../../random/random.js";
import { SeedGenerator } from "../../random/seed-generator.js";
import { registerBuiltin } from "../../saving/object-registration.js";
import { Layer, type CallArgs, type LayerArgs } from "../layer.js";
import { singleTensor, toFloat } from "../layer-utils.js";

/** Options of AlphaDropout. */
export interface AlphaDropoutArgs extends LayerArgs {
  /** Drop probability in [0, 1] (also the first positional argument). */
  rate?: number;
  /** Shape of the keep/drop mask, broadcast over the input; `null` entries take the input's size. Default: the input's shape. */
  noiseShape?: readonly (number | null)[] | null;
  /** Integer seed of the mask. Default none. */
  seed?: number | null;
}

const ALPHA = 1.6732632423543772;
const SCALE = 1.0507009873554805;

/**
 * Dropout for self-normalizing networks (SELU activations): dropped units are
 * set to SELU's negative saturation value, then an affine transform keeps the
 * mean and variance of the inputs. Active only while training.
 *
 * ```ts
 * layers.AlphaDropout(0.1)(x, { training: true });
 * ```
 */
export class AlphaDropout extends Layer {
  /** The drop probability. */
  readonly rate: number;
  /** The mask's shape (null entries follow the input), or null. */
  readonly noiseShape: (number | null)[] | null;
  /** The integer seed given, or null. */
  readonly seed: number | null;
  /** The source of the masks' seeds (null when `rate` is 0). */
  readonly seedGenerator: SeedGenerator | null;

  /** `new AlphaDropout(0.1)` or `new AlphaDropout({ rate: 0.1, seed: 1 })`. */
  constructor(rate: number | AlphaDropoutArgs, args: AlphaDropoutArgs = {}) {
    const opts: AlphaDropoutArgs = typeof rate === "object" && rate !== null ? { ...rate } : { ...args, rate };
    const r = opts.rate;
    if (typeof r !== "number" || !(r >= 0 && r <= 1)) {
      throw new Error(`Invalid value received for argument \`rate\`. Expected a float value between 0 and 1. Received: rate=${String(r)}`);
    }
    super(opts);
    this.rate = r;
    this.seed = opts.seed ?? null;
    this.noiseShape = opts.noiseShape ? [...opts.noiseShape] : null;
    this.seedGenerator = r > 0 ? new SeedGenerator(this.seed) : null;
    this.supportsMasking = true;
    this.built = true;
  }

  override call(inputs: unknown, kwargs: CallArgs = {}): Tensor {
    const x = singleTensor(inputs, this.name);
    if (kwargs.training !== true || this.rate <= 0) return x;
    const xf = toFloat(x);
    const noiseShape = this.noiseShape ? this.noiseShape.map((d, i) => d ?? x.shape[i]) : x.shape;
    const alphaP = -ALPHA * SCALE;
    const kept = tf.cast(tf.greaterEqual(uniform(noiseShape, { seed: this.seedGenerator }), this.rate), "float32");
    const a = ((1 - this.rate) * (1 + this.rate * alphaP * alphaP)) ** -0.5;
    const b = -a * alphaP * this.rate;
    const masked = tf.add(tf.mul(xf, kept), tf.mul(tf.sub(1, kept), alphaP));
    return tf.add(tf.mul(masked, a), b);
  }

  override computeOutputShape(inputShape: unknown): Shape {
    return inputShape as Shape;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), rate: this.rate, seed: this.seed, noise_shape: this.noiseShape ? [...this.noiseShape] : null };
  }
}
registerBuiltin("keras.layers", AlphaDropout);
