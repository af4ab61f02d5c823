/**
 * RandomSaturation (Keras's `image_preprocessing/random_saturation.py`).
 */
import { tf, type Tensor } from "../../../backend/tfjs.js";
import { epsilon } from "../../../backend/config.js";
import { hsvToRgb, rgbToHsv } from "../../../ops/image.js";
import { SeedGenerator } from "../../../random/seed-generator.js";
import { registerBuiltin } from "../../../saving/object-registration.js";
import { BaseImagePreprocessingLayer, type BaseImagePreprocessingLayerArgs, type RandomTransformationOptions } from "./base-image-preprocessing-layer.js";
import { channelAxis, mainArg, parseFactor, parseValueRange, perImage, uniformArray, type FactorLike } from "./image-utils.js";

/** Options of RandomSaturation. */
export interface RandomSaturationArgs extends BaseImagePreprocessingLayerArgs {
  /**
   * The saturation range, in [0, 1] (first positional argument): a drawn
   * `f` scales the saturation by `f / (1 - f)`, so 0.5 keeps it, 0 gives
   * grayscale and values near 1 fully saturate. A number `f` draws in
   * [0, f]; a pair in `[lower, upper]`. Required.
   */
  factor?: FactorLike;
  /** The range of the input values. Default `[0, 255]`. */
  valueRange?: readonly number[];
  /** Integer seed of the layer's SeedGenerator. Default none. */
  seed?: number | null;
}

/** The per-image saturation multipliers. */
export interface SaturationTransformation {
  factor: number[];
}

/**
 * Randomly changes the saturation of RGB images during training (through
 * HSV). Identity with `training: false`.
 *
 * ```ts
 * const sat = layers.RandomSaturation([0.3, 0.7], { valueRange: [0, 1] });
 * ```
 */
export class RandomSaturation extends BaseImagePreprocessingLayer {
  readonly factor: [number, number];
  readonly valueRange: [number, number];
  readonly seed: number | null;

  /** `new RandomSaturation(0.5)` or `new RandomSaturation({ factor: [0.2, 0.8] })`. */
  constructor(factor: FactorLike | RandomSaturationArgs, args: RandomSaturationArgs = {}) {
    const opts = mainArg<RandomSaturationArgs>(factor, args, "factor");
    super(opts);
    if (opts.factor === undefined) throw new Error("RandomSaturation requires a `factor` argument.");
    // Keras's documented range: a number f draws in [0, f] (its code parses [-f, f]).
    this.factor = parseFactor(opts.factor, [0, 1]);
    this.valueRange = parseValueRange(opts.valueRange ?? [0, 255]);
    this.seed = opts.seed ?? null;
    this.generator = new SeedGenerator(this.seed);
  }

  override getRandomTransformation(images: Tensor, options: RandomTransformationOptions = {}): SaturationTransformation {
    const n = images.shape[0] as number;
    const f = uniformArray(this.seedFrom(options.seed), n, this.factor[0], this.factor[1]);
    return { factor: f.map((v) => v / (1 - v + epsilon())) };
  }

  override transformImages(images: Tensor, transformation: unknown, training = true): Tensor {
    const x = this.castImages(images);
    if (!training) return x;
    const t = transformation as SaturationTransformation;
    return tf.tidy(() => {
      const ax = channelAxis(this.dataFormat);
      const [h, s, v] = tf.split(rgbToHsv(x, this.dataFormat) as Tensor, 3, ax);
      const sat = tf.clipByValue(tf.mul(s, perImage(t.factor, x.shape[0] as number)), this.valueRange[0], this.valueRange[1]);
      return hsvToRgb(tf.concat([h, sat, v], ax), this.dataFormat) as Tensor;
    });
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), factor: [...this.factor], value_range: [...this.valueRange], seed: this.seed };
  }
}
registerBuiltin("keras.layers", RandomSaturation);
