/**
 * RandomShear (Keras's `image_preprocessing/random_shear.py`).
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

const SHEAR_ERROR = "The `factor` argument should be a number (or a list of two numbers) in the range [0, 1.0]. ";

/** Options of RandomShear. */
export interface RandomShearArgs extends ProjectiveTransformLayerArgs {
  /** The horizontal shear range, in [0, 1]: a number `f` draws the shear in [-f, f]. Default 0. */
  xFactor?: FactorLike;
  /** The vertical shear range, as `xFactor`. Default 0. */
  yFactor?: FactorLike;
}

/** The per-image shears `[x, y]`. */
export interface ShearTransformation {
  shearFactor: [number, number][];
}

/**
 * Randomly shears images during training along x and/or y (an input point
 * `(x + sx * y, sy * x + y)` feeds output `(x, y)`). Identity with
 * `training: false`.
 *
 * ```ts
 * const shear = layers.RandomShear({ xFactor: 0.2, yFactor: 0.2 });
 * ```
 */
export class RandomShear extends ProjectiveTransformLayer {
  readonly xFactor: [number, number];
  readonly yFactor: [number, number];

  /** `new RandomShear({ xFactor: 0.2 })`. */
  constructor(args: RandomShearArgs = {}) {
    super(args);
    const check = (v: number): boolean => v <= 1 && v >= 0;
    this.xFactor = parseSymmetricFactor(args.xFactor ?? 0, "x_factor", check, SHEAR_ERROR);
    this.yFactor = parseSymmetricFactor(args.yFactor ?? 0, "y_factor", check, SHEAR_ERROR);
  }

  override getRandomTransformation(images: Tensor, options: RandomTransformationOptions = {}): ShearTransformation | null {
    if (options.training === false) return null;
    const n = images.shape[0] as number;
    const seed = this.seedFrom(options.seed);
    const invert = uniformArray(seed, n).map((v) => (v > 0.5 ? -1 : 1));
    const sy = uniformArray(seed, n, this.yFactor[0], this.yFactor[1]);
    const sx = uniformArray(seed, n, this.xFactor[0], this.xFactor[1]);
    return { shearFactor: sx.map((x, i) => [x * invert[i], sy[i] * invert[i]]) };
  }

  protected override transformImagesWith(images: Tensor, transformation: unknown, interpolation: Interpolation): Tensor {
    const t = transformation as ShearTransformation | null;
    if (!t) return images;
    const transforms = t.shearFactor.map(([sx, sy]) => [1, sx, 0, sy, 1, 0, 0, 0]);
    return this.warp(images, transforms, interpolation);
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      x_factor: [...this.xFactor],
      y_factor: [...this.yFactor],
      fill_mode: this.fillMode,
      interpolation: this.interpolation,
      seed: this.seed,
      fill_value: this.fillValue,
      data_format: this.dataFormat,
    };
  }
}
registerBuiltin("keras.layers", RandomShear);
