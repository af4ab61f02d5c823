/**
 * RandomTranslation (Keras's `image_preprocessing/random_translation.py`).
 */
import type { Tensor } from "../../../backend/tfjs.js";
import { registerBuiltin } from "../../../saving/object-registration.js";
import type { RandomTransformationOptions } from "./base-image-preprocessing-layer.js";
import { ProjectiveTransformLayer, type ProjectiveTransformLayerArgs } from "./projective-transform-layer.js";
import {
  parseSymmetricFactor,
  uniformArray,
  type FactorLike,
  type Interpolation,
} from "./image-utils.js";

const TRANSLATION_ERROR = "The `factor` argument should be a number (or a list of two numbers) in the range [-1.0, 1.0]. ";

/** Options of RandomTranslation. */
export interface RandomTranslationArgs extends ProjectiveTransformLayerArgs {
  /**
   * The vertical shift range as a fraction of the height, in [-1, 1] (first
   * positional argument): `0.2` shifts by up to 20% up or down;
   * `[-0.2, 0.3]` by 20% up to 30% down. Positive values move the content down.
   */
  heightFactor?: FactorLike;
  /** The horizontal shift range as a fraction of the width (second positional argument); positive values move right. */
  widthFactor?: FactorLike;
}

/** The per-image shifts of one call, in pixels: `[dx, dy]`. */
export interface TranslationTransformation {
  translations: [number, number][];
}

/**
 * Randomly shifts images during training. Identity with `training: false`.
 *
 * ```ts
 * const shift = layers.RandomTranslation(0.1, 0.1, { fillMode: "constant" });
 * ```
 */
export class RandomTranslation extends ProjectiveTransformLayer {
  readonly heightFactor: FactorLike;
  readonly widthFactor: FactorLike;
  readonly heightLower: number;
  readonly heightUpper: number;
  readonly widthLower: number;
  readonly widthUpper: number;

  /** `new RandomTranslation(0.1, 0.2)` or `new RandomTranslation({ heightFactor: 0.1, widthFactor: 0.2 })`. */
  constructor(heightFactor: FactorLike | RandomTranslationArgs, widthFactor?: FactorLike | RandomTranslationArgs, args: RandomTranslationArgs = {}) {
    let opts: RandomTranslationArgs;
    if (typeof heightFactor === "object" && heightFactor !== null && !Array.isArray(heightFactor)) {
      opts = { ...(heightFactor as RandomTranslationArgs) };
    } else if (typeof widthFactor === "object" && widthFactor !== null && !Array.isArray(widthFactor)) {
      opts = { ...(widthFactor as RandomTranslationArgs), heightFactor: heightFactor as FactorLike };
    } else {
      opts = { ...args, heightFactor: heightFactor as FactorLike, widthFactor: widthFactor as FactorLike | undefined };
    }
    super(opts);
    if (opts.heightFactor === undefined || opts.widthFactor === undefined) {
      throw new Error("RandomTranslation requires `height_factor` and `width_factor` arguments.");
    }
    const check = (v: number): boolean => v <= 1 && v >= -1;
    this.heightFactor = copyFactor(opts.heightFactor);
    this.widthFactor = copyFactor(opts.widthFactor);
    [this.heightLower, this.heightUpper] = parseSymmetricFactor(opts.heightFactor, "height_factor", check, TRANSLATION_ERROR);
    [this.widthLower, this.widthUpper] = parseSymmetricFactor(opts.widthFactor, "width_factor", check, TRANSLATION_ERROR);
  }

  override getRandomTransformation(images: Tensor, options: RandomTransformationOptions = {}): TranslationTransformation | null {
    if (options.training === false) return null;
    const n = images.shape[0] as number;
    const [h, w] = this.imageSize(images);
    const seed = this.seedFrom(options.seed);
    const dy = uniformArray(seed, n, this.heightLower, this.heightUpper).map((v) => v * h);
    const dx = uniformArray(seed, n, this.widthLower, this.widthUpper).map((v) => v * w);
    return { translations: dx.map((x, i) => [x, dy[i]]) };
  }

  protected override transformImagesWith(images: Tensor, transformation: unknown, interpolation: Interpolation): Tensor {
    const t = transformation as TranslationTransformation | null;
    if (!t) return images;
    const transforms = t.translations.map(([dx, dy]) => [1, 0, -dx, 0, 1, -dy, 0, 0]);
    return this.warp(images, transforms, interpolation);
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      height_factor: copyFactor(this.heightFactor),
      width_factor: copyFactor(this.widthFactor),
      fill_mode: this.fillMode,
      interpolation: this.interpolation,
      seed: this.seed,
      fill_value: this.fillValue,
      data_format: this.dataFormat,
    };
  }
}
registerBuiltin("keras.layers", RandomTranslation);

function copyFactor(f: FactorLike): FactorLike {
  return Array.isArray(f) ? [...(f as number[])] : f;
}
