/**
 * RandomRotation (Keras's `image_preprocessing/random_rotation.py`).
 */
import type { Tensor } from "../../../backend/tfjs.js";
import { registerBuiltin } from "../../../saving/object-registration.js";
import type { RandomTransformationOptions } from "./base-image-preprocessing-layer.js";
import { ProjectiveTransformLayer, type ProjectiveTransformLayerArgs } from "./projective-transform-layer.js";
import {
  parseFactor,
  uniformArray,
  type FactorLike,
  type Interpolation,
} from "./image-utils.js";

/** Options of RandomRotation. */
export interface RandomRotationArgs extends ProjectiveTransformLayerArgs {
  /**
   * The rotation range as a fraction of a full turn (also the first
   * positional argument): `0.2` rotates by a random angle in
   * [-20% * 360°, 20% * 360°]; `[-0.1, 0.3]` gives [-36°, 108°]. Positive
   * values rotate counter-clockwise. Required.
   */
  factor?: FactorLike;
}

/** The per-image parameters of one call. */
export interface RotationTransformation {
  /** Angles in degrees, one per image. */
  angle: number[];
  /** The 8-value projective transform of each image. */
  rotationMatrix: number[][];
  imageHeight: number;
  imageWidth: number;
  batchSize: number;
}

/**
 * Randomly rotates images during training (about their centers), filling
 * the uncovered corners by `fillMode`. Identity with `training: false`.
 *
 * ```ts
 * const rot = layers.RandomRotation(0.1, { fillMode: "constant" });
 * ```
 */
export class RandomRotation extends ProjectiveTransformLayer {
  /** The rotation range `[lower, upper]` in fractions of a turn. */
  readonly factor: [number, number];

  /** `new RandomRotation(0.2)` or `new RandomRotation({ factor: 0.2, fillMode: "constant" })`. */
  constructor(factor: FactorLike | RandomRotationArgs, args: RandomRotationArgs = {}) {
    const opts: RandomRotationArgs = isArgs(factor) ? { ...factor } : { ...args, factor };
    super(opts);
    if (opts.factor === undefined) throw new Error("RandomRotation requires a `factor` argument.");
    this.factor = parseFactor(opts.factor, [-1, 1]);
  }

  override getRandomTransformation(images: Tensor, options: RandomTransformationOptions = {}): RotationTransformation | null {
    if (options.training === false) return null;
    const batchSize = images.shape[0] as number;
    const [imageHeight, imageWidth] = this.imageSize(images);
    const angle = uniformArray(this.seedFrom(options.seed), batchSize, this.factor[0] * 360, this.factor[1] * 360);
    const rotationMatrix = angle.map((a) =>
      this.computeAffineMatrix({
        centerX: 0.5,
        centerY: 0.5,
        angle: a,
        translateX: 0,
        translateY: 0,
        scale: 1,
        shearX: 0,
        shearY: 0,
        height: imageHeight,
        width: imageWidth,
      }),
    );
    return { angle, rotationMatrix, imageHeight, imageWidth, batchSize };
  }

  protected override transformImagesWith(images: Tensor, transformation: unknown, interpolation: Interpolation): Tensor {
    const t = transformation as RotationTransformation | null;
    if (!t) return images;
    return this.warp(images, t.rotationMatrix, interpolation);
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      factor: [...this.factor],
      data_format: this.dataFormat,
      fill_mode: this.fillMode,
      fill_value: this.fillValue,
      interpolation: this.interpolation,
      seed: this.seed,
    };
  }
}
registerBuiltin("keras.layers", RandomRotation);

function isArgs(x: unknown): x is RandomRotationArgs {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}
