/**
 * The part RandomRotation, RandomTranslation, RandomZoom and RandomShear
 * share: their fill options, their seed, and warping a batch with one
 * projective transform per image (Keras's `affine_transform` with the
 * layer's `fill_mode`, `fill_value` and `data_format`).
 */
import type { Tensor } from "../../../backend/tfjs.js";
import { SeedGenerator } from "../../../random/seed-generator.js";
import { BaseImagePreprocessingLayer, type BaseImagePreprocessingLayerArgs } from "./base-image-preprocessing-layer.js";
import { checkFillMode, checkInterpolation, projectiveTransform, type FillMode, type Interpolation } from "./image-utils.js";

/** Options of the layers that warp images. */
export interface ProjectiveTransformLayerArgs extends BaseImagePreprocessingLayerArgs {
  /** How points outside the input are filled: `"reflect"` (default), `"wrap"`, `"constant"` or `"nearest"`. */
  fillMode?: FillMode;
  /** `"bilinear"` (default) or `"nearest"`. */
  interpolation?: Interpolation;
  /** Integer seed of the layer's SeedGenerator. Default none (from the global seed). */
  seed?: number | null;
  /** The value of points outside the input when `fillMode` is `"constant"`. Default 0. */
  fillValue?: number;
}

/** A layer that warps images with a projective transform per image. */
export abstract class ProjectiveTransformLayer extends BaseImagePreprocessingLayer {
  readonly fillMode: FillMode;
  readonly fillValue: number;
  /** The integer seed given, or null. */
  readonly seed: number | null;

  constructor(args: ProjectiveTransformLayerArgs) {
    super(args);
    this.fillMode = checkFillMode(args.fillMode ?? "reflect");
    this.interpolation = checkInterpolation(args.interpolation ?? "bilinear");
    this.fillValue = args.fillValue ?? 0;
    this.seed = args.seed ?? null;
    this.generator = new SeedGenerator(this.seed);
  }

  /** Warps `images` with `transforms` (8 values per image, output to input coordinates). */
  protected warp(images: Tensor, transforms: number[][], interpolation: Interpolation): Tensor {
    return projectiveTransform(images, transforms, {
      interpolation,
      fillMode: this.fillMode,
      fillValue: this.fillValue,
      dataFormat: this.dataFormat,
    });
  }
}
