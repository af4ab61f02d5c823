/**
 * RandomElasticTransform (Keras's
 * `image_preprocessing/random_elastic_transform.py`, with the backend's
 * `image.elastic_transform`).
 */
import { tf, type Tensor } from "../../../backend/tfjs.js";
import { drawSeed, SeedGenerator, SplitMix32 } from "../../../random/seed-generator.js";
import { registerBuiltin } from "../../../saving/object-registration.js";
import { sampleNHWC, type SamplerFillMode } from "../../../ops/image-sampler.js";
import { BaseImagePreprocessingLayer, type BaseImagePreprocessingLayerArgs, type RandomTransformationOptions } from "./base-image-preprocessing-layer.js";
import {
  checkInterpolation,
  fromNHWC,
  gaussian1d,
  mainArg,
  parseFactor,
  perImage,
  toNHWC,
  uniformArray,
  type FactorLike,
  type Interpolation,
} from "./image-utils.js";

/** The fill modes RandomElasticTransform accepts (Keras's `_SUPPORTED_FILL_MODES`). */
const ELASTIC_FILL_MODES: readonly SamplerFillMode[] = ["constant", "nearest", "wrap", "mirror", "reflect"];

/** Options of RandomElasticTransform. */
export interface RandomElasticTransformArgs extends BaseImagePreprocessingLayerArgs {
  /**
   * The probability range of deforming an image, in [0, 1] (also the first
   * positional argument): a number `f` draws each image's probability in
   * `[0, f]`; `[lo, hi]` in that range. Default 1.
   */
  factor?: FactorLike;
  /**
   * The range of the distortion magnitude, in [0, 1]: a number `s` draws it
   * in `[0, s]`. The displacement field has standard deviation
   * `sigma = 0.05 * min(H, W) * scale` and is multiplied by
   * `alpha = 0.1 * max(H, W) * scale`. Default 1.
   */
  scale?: FactorLike;
  /** `"bilinear"` (default) or `"nearest"`. */
  interpolation?: Interpolation;
  /**
   * How points outside the input are read: `"reflect"` (default,
   * `d c b a | a b c d | d c b a`), `"mirror"` (`d c b | a b c d | c b a`),
   * `"wrap"`, `"nearest"` or `"constant"` (with `fillValue`).
   */
  fillMode?: SamplerFillMode;
  /** The value of points outside the input with `fillMode: "constant"`. Default 0. */
  fillValue?: number;
  /** The range of the input values; deformed images are clipped to it. Default `[0, 255]`. */
  valueRange?: readonly number[];
  /** Integer seed of the layer's SeedGenerator. Default none (from the global seed). */
  seed?: number | null;
}

/** The random draws of one call. */
export interface ElasticTransformation {
  /** 1 for the images that are deformed, 0 for the others. */
  applyTransform: number[];
  /** The distortion magnitude of the call, in the `scale` range. */
  distortionFactor: number;
  /** The seed of the call's displacement field. */
  noiseSeed: number;
}

/**
 * Randomly deforms images during training with an elastic distortion: a
 * Gaussian-smoothed random displacement field moves each pixel, and the
 * image is resampled there (Keras's `keras.ops.image.elastic_transform`).
 * Each image is deformed with probability drawn from `factor`; outputs are
 * clipped to `valueRange`. Identity with `training: false`.
 *
 * As on Keras's TensorFlow and JAX backends, the displacement field is
 * drawn once per image and used for both axes (`dx == dy`), and the
 * border is handled per pixel index (Keras's `map_coordinates`). The random
 * numbers themselves are tskeras's, so the deformations differ from
 * Python's for the same seed.
 *
 * ```ts
 * const elastic = layers.RandomElasticTransform(0.5, { scale: 0.5, valueRange: [0, 1] });
 * ```
 */
export class RandomElasticTransform extends BaseImagePreprocessingLayer {
  /** The probability range `[lower, upper]`. */
  readonly factor: [number, number];
  /** The distortion magnitude range `[lower, upper]`. */
  readonly scale: [number, number];
  readonly fillMode: SamplerFillMode;
  readonly fillValue: number;
  readonly valueRange: [number, number];
  /** The integer seed given, or null. */
  readonly seed: number | null;

  /** `new RandomElasticTransform(0.5)` or `new RandomElasticTransform({ factor: 0.5, scale: 0.3 })`. */
  constructor(factor: FactorLike | RandomElasticTransformArgs = 1, args: RandomElasticTransformArgs = {}) {
    const opts = mainArg<RandomElasticTransformArgs>(factor, args, "factor");
    super(opts);
    this.factor = parseFactor(opts.factor ?? 1, [0, 1]);
    this.scale = parseFactor(opts.scale ?? 1, [0, 1], "scale");
    this.interpolation = checkInterpolation(opts.interpolation ?? "bilinear");
    const fillMode = opts.fillMode ?? "reflect";
    if (!ELASTIC_FILL_MODES.includes(fillMode)) {
      throw new Error(`Unknown \`fill_mode\` ${String(fillMode)}. Expected of one {${ELASTIC_FILL_MODES.map((m) => `'${m}'`).join(", ")}}.`);
    }
    this.fillMode = fillMode;
    this.fillValue = opts.fillValue ?? 0;
    const vr = opts.valueRange ?? [0, 255];
    if (!Array.isArray(vr) || vr.length !== 2 || !vr.every((v) => typeof v === "number")) {
      throw new Error(`The \`value_range\` argument should be a list of two numbers. Received: value_range=${JSON.stringify(vr)}`);
    }
    this.valueRange = [vr[0], vr[1]];
    this.seed = opts.seed ?? null;
    this.generator = new SeedGenerator(this.seed);
  }

  /** Keras's `get_elastic_transform_params`: `[alpha, sigma]` of an `height` x `width` image. */
  elasticTransformParams(height: number, width: number, factor: number): [number, number] {
    return [Math.max(height, width) * 0.1 * factor, Math.min(height, width) * 0.05 * factor];
  }

  override getRandomTransformation(images: Tensor, options: RandomTransformationOptions = {}): ElasticTransformation | null {
    if (options.training === false) return null;
    if (this.scale[1] === 0 || this.factor[1] === 0) return null;
    const n = images.shape[0] as number;
    const seed = this.seedFrom(options.seed);
    const probability = uniformArray(seed, n, this.factor[0], this.factor[1]);
    const threshold = uniformArray(seed, n);
    const distortionFactor = uniformArray(seed, 1, this.scale[0], this.scale[1])[0];
    return {
      applyTransform: threshold.map((u, i) => (u < probability[i] ? 1 : 0)),
      distortionFactor,
      noiseSeed: drawSeed(seed),
    };
  }

  /**
   * The smoothed displacement field of the call, `(N, H, W)` row-major:
   * standard normals times `sigma`, blurred by a Gaussian of `sigma` and
   * size `int(6 sigma) | 1` with zero padding (Keras's `gaussian_blur`).
   */
  displacementField(t: ElasticTransformation, n: number, h: number, w: number): Float32Array {
    const [, sigma] = this.elasticTransformParams(h, w, t.distortionFactor);
    const size = Math.trunc(6 * sigma) | 1;
    const rng = new SplitMix32(t.noiseSeed);
    const field = new Float32Array(n * h * w);
    for (let i = 0; i < field.length; i++) field[i] = rng.nextNormal() * sigma;
    if (size === 1) return field;
    const k = gaussian1d(size, sigma);
    const r = (size - 1) / 2;
    const tmp = new Float32Array(h * w);
    for (let b = 0; b < n; b++) {
      const off = b * h * w;
      // Rows (x), then columns (y): the separable form of the 2-D kernel, zeros outside.
      for (let y = 0; y < h; y++) {
        for (let x = 0; x < w; x++) {
          let acc = 0;
          for (let j = -r; j <= r; j++) {
            const xx = x + j;
            if (xx >= 0 && xx < w) acc += k[j + r] * field[off + y * w + xx];
          }
          tmp[y * w + x] = acc;
        }
      }
      for (let y = 0; y < h; y++) {
        for (let x = 0; x < w; x++) {
          let acc = 0;
          for (let j = -r; j <= r; j++) {
            const yy = y + j;
            if (yy >= 0 && yy < h) acc += k[j + r] * tmp[yy * w + x];
          }
          field[off + y * w + x] = acc;
        }
      }
    }
    return field;
  }

  protected override transformImagesWith(images: Tensor, transformation: unknown, interpolation: Interpolation): Tensor {
    const t = transformation as ElasticTransformation | null;
    if (!t) return images;
    return tf.tidy(() => {
      const x = toNHWC(images.dtype === "float32" ? images : tf.cast(images, "float32"), this.dataFormat);
      const [n, h, w] = x.shape as [number, number, number, number];
      const [alpha] = this.elasticTransformParams(h, w, t.distortionFactor);
      const d = this.displacementField(t, n, h, w);
      const moved = sampleNHWC(
        x,
        h,
        w,
        (b, oy, ox) => {
          const shift = alpha * d[(b * h + oy) * w + ox];
          return [ox + shift, oy + shift];
        },
        { interpolation, fillMode: this.fillMode, fillValue: this.fillValue, boundary: "index" },
      );
      const apply = tf.broadcastTo(tf.cast(perImage(t.applyTransform, n), "bool"), x.shape);
      const out = fromNHWC(tf.where(apply, moved, x), this.dataFormat);
      return images.dtype === out.dtype ? out : tf.cast(out, images.dtype);
    });
  }

  override transformImages(images: Tensor, transformation: unknown, training = true): Tensor {
    const x = this.castImages(images);
    if (!training || !transformation) return x;
    return tf.tidy(() => tf.clipByValue(this.transformImagesWith(x, transformation, this.interpolation), this.valueRange[0], this.valueRange[1]));
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      factor: [...this.factor],
      scale: [...this.scale],
      interpolation: this.interpolation,
      fill_mode: this.fillMode,
      fill_value: this.fillValue,
      value_range: [...this.valueRange],
      seed: this.seed,
    };
  }
}
registerBuiltin("keras.layers", RandomElasticTransform);
