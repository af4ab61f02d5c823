/**
 * Solarization (Keras's `image_preprocessing/solarization.py`).
 */
import { tf, type Tensor } from "../../../backend/tfjs.js";
import { SeedGenerator } from "../../../random/seed-generator.js";
import { registerBuiltin } from "../../../saving/object-registration.js";
import { BaseImagePreprocessingLayer, type BaseImagePreprocessingLayerArgs, type RandomTransformationOptions } from "./base-image-preprocessing-layer.js";
import { parseValueRange, perImage, uniformArray, type FactorLike } from "./image-utils.js";

const SOLARIZATION_ERROR =
  "The `addition_factor` and `threshold_factor` arguments should be a number (or a list of two numbers) in the range [0, 1]. ";

/** Options of Solarization. */
export interface SolarizationArgs extends BaseImagePreprocessingLayerArgs {
  /**
   * The range of the value added to every pixel before solarizing, as a
   * fraction of 255, in [0, 1]: a number `f` draws it in [0, 255 f]. Default 0.
   */
  additionFactor?: FactorLike;
  /**
   * The range of the threshold above which pixels are inverted, as a
   * fraction of 255, in [0, 1]: a number `f` draws it in [0, 255 f]. Default 0.
   */
  thresholdFactor?: FactorLike;
  /** The range of the input values. Default `[0, 255]`. */
  valueRange?: readonly number[];
  /** Integer seed of the layer's SeedGenerator. Default none. */
  seed?: number | null;
}

/** The per-image additions and thresholds (in [0, 255] units). */
export interface SolarizationTransformation {
  additions: number[];
  thresholds: number[];
}

function parseSolarizationFactor(f: unknown, name: string): [number, number] {
  const check = (v: unknown): number => {
    if (typeof v !== "number" || v > 1 || v < 0) throw new Error(`${SOLARIZATION_ERROR}Received: ${name}=${JSON.stringify(f)}`);
    return v;
  };
  if (Array.isArray(f)) {
    if (f.length !== 2) throw new Error(`${SOLARIZATION_ERROR}Received: ${name}=${JSON.stringify(f)}`);
    const a = check(f[0]);
    const b = check(f[1]);
    return a <= b ? [a, b] : [b, a];
  }
  return [0, check(f)];
}

/**
 * Solarizes images: pixels (in [0, 255] units, after adding a random
 * `addition`) at or above a random `threshold` become `255 - x`. With the
 * default factors (0) every pixel is inverted. Identity with `training: false`.
 *
 * ```ts
 * const solarize = layers.Solarization({ thresholdFactor: [0.5, 0.5], valueRange: [0, 1] });
 * ```
 */
export class Solarization extends BaseImagePreprocessingLayer {
  readonly additionFactor: [number, number];
  readonly thresholdFactor: [number, number];
  readonly valueRange: [number, number];
  readonly seed: number | null;

  /** `new Solarization({ additionFactor: 0.2, thresholdFactor: 0.5 })`. */
  constructor(args: SolarizationArgs = {}) {
    super(args);
    this.seed = args.seed ?? null;
    this.generator = new SeedGenerator(this.seed);
    this.additionFactor = parseSolarizationFactor(args.additionFactor ?? 0, "addition_factor");
    this.thresholdFactor = parseSolarizationFactor(args.thresholdFactor ?? 0, "threshold_factor");
    this.valueRange = parseValueRange(args.valueRange ?? [0, 255]);
  }

  override getRandomTransformation(images: Tensor, options: RandomTransformationOptions = {}): SolarizationTransformation | null {
    if (options.training === false) return null;
    const n = images.shape[0] as number;
    const seed = this.seedFrom(options.seed);
    return {
      // Both bounds in [0, 255] units (Keras 3's code leaves the lower bound unscaled).
      additions: uniformArray(seed, n, this.additionFactor[0] * 255, this.additionFactor[1] * 255),
      thresholds: uniformArray(seed, n, this.thresholdFactor[0] * 255, this.thresholdFactor[1] * 255),
    };
  }

  override transformImages(images: Tensor, transformation: unknown, training = true): Tensor {
    const x = this.castImages(images);
    if (!training || !transformation) return x;
    const t = transformation as SolarizationTransformation;
    return tf.tidy(() => {
      const n = x.shape[0] as number;
      const v = this.transformValueRange(x, this.valueRange, [0, 255]);
      const added = tf.clipByValue(tf.add(v, perImage(t.additions, n)), 0, 255);
      const out = tf.where(tf.less(added, perImage(t.thresholds, n)), added, tf.sub(255, added));
      return this.transformValueRange(out, [0, 255], this.valueRange);
    });
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      value_range: [...this.valueRange],
      addition_factor: [...this.additionFactor],
      threshold_factor: [...this.thresholdFactor],
      seed: this.seed,
    };
  }
}
registerBuiltin("keras.layers", Solarization);
