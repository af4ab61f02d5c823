/**
 * RandomZoom (Keras's `image_preprocessing/random_zoom.py`).
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

const ZOOM_ERROR =
  "The `height_factor` and `width_factor` arguments should be a number (or a list of two numbers) in the range (-1.0, 1.0]. ";

/** Options of RandomZoom. */
export interface RandomZoomArgs extends ProjectiveTransformLayerArgs {
  /**
   * The vertical zoom range as a fraction of the height, in (-1, 1] (also
   * the first positional argument): a number `f` gives [-f, f], a pair
   * `[lower, upper]`. Positive values zoom out, negative values zoom in
   * (`[-0.3, -0.2]` enlarges the content by 20% to 30%). Required.
   */
  heightFactor?: FactorLike;
  /**
   * The horizontal zoom range, as `heightFactor`. Default null: the
   * vertical zoom is used for both, preserving the aspect ratio.
   */
  widthFactor?: FactorLike | null;
}

/** The per-image zooms of one call (1 + the drawn factor). */
export interface ZoomTransformation {
  heightZoom: number[];
  widthZoom: number[];
}

/**
 * Randomly zooms each image in or out during training, independently per
 * axis unless `widthFactor` is null. Identity with `training: false`.
 *
 * ```ts
 * const zoom = layers.RandomZoom(0.2);                // zoom in or out by up to 20%
 * const zoomIn = layers.RandomZoom([-0.3, -0.1]);     // zoom in only
 * ```
 */
export class RandomZoom extends ProjectiveTransformLayer {
  /** The height factor as given. */
  readonly heightFactor: FactorLike;
  /** The width factor as given, or null. */
  readonly widthFactor: FactorLike | null;
  readonly heightLower: number;
  readonly heightUpper: number;
  readonly widthLower: number;
  readonly widthUpper: number;

  /** `new RandomZoom(0.2, { widthFactor: 0.1 })` or `new RandomZoom({ heightFactor: 0.2 })`. */
  constructor(heightFactor: FactorLike | RandomZoomArgs, args: RandomZoomArgs = {}) {
    const opts: RandomZoomArgs =
      typeof heightFactor === "object" && heightFactor !== null && !Array.isArray(heightFactor)
        ? { ...(heightFactor as RandomZoomArgs) }
        : { ...args, heightFactor: heightFactor as FactorLike };
    super(opts);
    if (opts.heightFactor === undefined) throw new Error("RandomZoom requires a `height_factor` argument.");
    const check = (v: number): boolean => v <= 1 && v > -1;
    this.heightFactor = copyFactor(opts.heightFactor);
    [this.heightLower, this.heightUpper] = parseSymmetricFactor(opts.heightFactor, "height_factor", check, ZOOM_ERROR);
    this.widthFactor = opts.widthFactor == null ? null : copyFactor(opts.widthFactor);
    [this.widthLower, this.widthUpper] =
      opts.widthFactor == null ? [0, 0] : parseSymmetricFactor(opts.widthFactor, "width_factor", check, ZOOM_ERROR);
  }

  override getRandomTransformation(images: Tensor, options: RandomTransformationOptions = {}): ZoomTransformation | null {
    if (options.training === false) return null;
    const n = images.shape[0] as number;
    const seed = this.seedFrom(options.seed);
    const heightZoom = uniformArray(seed, n, 1 + this.heightLower, 1 + this.heightUpper);
    const widthZoom = this.widthFactor !== null ? uniformArray(seed, n, 1 + this.widthLower, 1 + this.widthUpper) : heightZoom;
    return { heightZoom, widthZoom };
  }

  protected override transformImagesWith(images: Tensor, transformation: unknown, interpolation: Interpolation): Tensor {
    const t = transformation as ZoomTransformation | null;
    if (!t) return images;
    const [h, w] = this.imageSize(images);
    const transforms = t.widthZoom.map((zx, i) => {
      const zy = t.heightZoom[i];
      return [zx, 0, ((w - 1) / 2) * (1 - zx), 0, zy, ((h - 1) / 2) * (1 - zy), 0, 0];
    });
    return this.warp(images, transforms, interpolation);
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      height_factor: copyFactor(this.heightFactor),
      width_factor: this.widthFactor === null ? null : copyFactor(this.widthFactor),
      fill_mode: this.fillMode,
      interpolation: this.interpolation,
      seed: this.seed,
      fill_value: this.fillValue,
      data_format: this.dataFormat,
    };
  }
}
registerBuiltin("keras.layers", RandomZoom);

function copyFactor(f: FactorLike): FactorLike {
  return Array.isArray(f) ? [...(f as number[])] : f;
}
