/**
 * RandomPerspective (Keras's `image_preprocessing/random_perspective.py`).
 */
import type { Tensor } from "../../../backend/tfjs.js";
import { SeedGenerator } from "../../../random/seed-generator.js";
import { registerBuiltin } from "../../../saving/object-registration.js";
import { BaseImagePreprocessingLayer, type BaseImagePreprocessingLayerArgs, type RandomTransformationOptions } from "./base-image-preprocessing-layer.js";
import { checkInterpolation, homography, mainArg, parseFactor, projectiveTransform, uniformArray, type FactorLike, type Interpolation } from "./image-utils.js";

/** Options of RandomPerspective. */
export interface RandomPerspectiveArgs extends BaseImagePreprocessingLayerArgs {
  /** The probability range of applying the warp, in [0, 1] (first positional argument): a number `f` draws it in [0, f]. Default 1. */
  factor?: FactorLike;
  /** The distortion strength, in [0, 1]: each corner moves by up to `scale / 2` of its coordinates. Default 1. */
  scale?: number;
  /** `"bilinear"` (default) or `"nearest"`. */
  interpolation?: Interpolation;
  /** The value of points outside the input. Default 0. */
  fillValue?: number;
  /** Integer seed of the layer's SeedGenerator. Default none. */
  seed?: number | null;
}

/** Which images are warped and their corner points. */
export interface PerspectiveTransformation {
  applyPerspective: number[];
  /** Per image, the 4 corners `[x, y]`: top-left, top-right, bottom-left, bottom-right. */
  startPoints: number[][][];
  endPoints: number[][][];
}

/**
 * Randomly warps images by a perspective transform during training: the
 * four corners move by random fractions of their coordinates. Identity with
 * `training: false`.
 *
 * ```ts
 * const warp = layers.RandomPerspective({ factor: 0.5, scale: 0.3 });
 * ```
 */
export class RandomPerspective extends BaseImagePreprocessingLayer {
  readonly factor: [number, number];
  readonly scale: number;
  readonly fillValue: number;
  readonly seed: number | null;

  /** `new RandomPerspective(0.5)` or `new RandomPerspective({ factor: 0.5, scale: 0.3 })`. */
  constructor(factor: FactorLike | RandomPerspectiveArgs = 1, args: RandomPerspectiveArgs = {}) {
    const opts = mainArg<RandomPerspectiveArgs>(factor, args, "factor");
    super(opts);
    this.factor = parseFactor(opts.factor ?? 1, [0, 1]);
    const scale = opts.scale ?? 1;
    if (scale < 0 || scale > 1) throw new Error(`The \`scale\` argument should be a number in the range [0,1]. Received: scale=${scale}`);
    this.scale = scale;
    this.fillValue = opts.fillValue ?? 0;
    this.interpolation = checkInterpolation(opts.interpolation ?? "bilinear");
    this.seed = opts.seed ?? null;
    this.generator = new SeedGenerator(this.seed);
  }

  override getRandomTransformation(images: Tensor, options: RandomTransformationOptions = {}): PerspectiveTransformation | null {
    if (options.training === false) return null;
    const n = images.shape[0] as number;
    const [h, w] = this.imageSize(images);
    const seed = this.seedFrom(options.seed);
    const p = uniformArray(seed, n, this.factor[0], this.factor[1]);
    const u = uniformArray(seed, n);
    const applyPerspective = u.map((v, i) => (v < p[i] ? 1 : 0));
    const f = uniformArray(seed, n * 8, -0.5 * this.scale, 0.5 * this.scale);
    const corners = [
      [0, 0],
      [w - 1, 0],
      [0, h - 1],
      [w - 1, h - 1],
    ];
    const startPoints = Array.from({ length: n }, () => corners.map((c) => [...c]));
    const endPoints = startPoints.map((pts, b) =>
      applyPerspective[b] ? pts.map(([x, y], k) => [x + x * f[b * 8 + 2 * k], y + y * f[b * 8 + 2 * k + 1]]) : pts.map((q) => [...q]),
    );
    return { applyPerspective, startPoints, endPoints };
  }

  protected override transformImagesWith(images: Tensor, transformation: unknown, interpolation: Interpolation): Tensor {
    const t = transformation as PerspectiveTransformation | null;
    if (!t) return images;
    const identity = [1, 0, 0, 0, 1, 0, 0, 0];
    const transforms = t.startPoints.map((s, b) => (t.applyPerspective[b] ? homography(s, t.endPoints[b]) : identity));
    return projectiveTransform(images, transforms, {
      interpolation,
      fillMode: "constant",
      fillValue: this.fillValue,
      dataFormat: this.dataFormat,
    });
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      factor: [...this.factor],
      scale: this.scale,
      interpolation: this.interpolation,
      fill_value: this.fillValue,
      seed: this.seed,
    };
  }
}
registerBuiltin("keras.layers", RandomPerspective);
