/**
 * RandomCrop (Keras's `image_preprocessing/random_crop.py`).
 */
import { tf, type Tensor } from "../../../backend/tfjs.js";
import type { Shape } from "../../../backend/keras-tensor.js";
import { resize } from "../../../ops/image.js";
import { makeDefaultSeed, SeedGenerator } from "../../../random/seed-generator.js";
import { registerBuiltin } from "../../../saving/object-registration.js";
import { isPlainObject } from "../../../utils/tree.js";
import { BaseImagePreprocessingLayer, type BaseImagePreprocessingLayerArgs, type RandomTransformationOptions } from "./base-image-preprocessing-layer.js";
import { uniformArray, type Interpolation } from "./image-utils.js";

/** Options of RandomCrop. */
export interface RandomCropArgs extends BaseImagePreprocessingLayerArgs {
  /** The output height (first positional argument). */
  height?: number;
  /** The output width (second positional argument). */
  width?: number;
  /** Integer seed of the layer's SeedGenerator. Default: a random seed drawn at construction (as Keras). */
  seed?: number | null;
}

/** Where one call crops: a random window, or the centered aspect-ratio window resized to the target. */
export interface CropTransformation {
  /** True for a random window of the target size at (hStart, wStart). */
  random: boolean;
  hStart: number;
  wStart: number;
}

/**
 * Randomly crops images to `height` x `width` during training; all images
 * of a batch share the crop window.
 *
 * At inference (`training: false`), and in training when an image is
 * smaller than the target, the largest centered window with the target's
 * aspect ratio is cropped and resized to the target, so the output shape is
 * always `(..., height, width, channels)`. (This is Keras's documented
 * behaviour; Keras 3's code skips the crop at inference, keras-team/keras#21868.)
 *
 * ```ts
 * const crop = layers.RandomCrop(24, 24);
 * ```
 */
export class RandomCrop extends BaseImagePreprocessingLayer {
  /** The output height. */
  readonly height: number;
  /** The output width. */
  readonly width: number;
  /** The seed (the one given, or the one drawn at construction). */
  readonly seed: number;

  /** `new RandomCrop(24, 24)` or `new RandomCrop({ height: 24, width: 24 })`. */
  constructor(height: number | RandomCropArgs, width?: number | RandomCropArgs, args: RandomCropArgs = {}) {
    let opts: RandomCropArgs;
    if (typeof height === "object" && height !== null) opts = { ...height };
    else if (typeof width === "object" && width !== null) opts = { ...width, height };
    else opts = { ...args, height, width };
    super(opts);
    const h = opts.height;
    const w = opts.width;
    if (typeof h !== "number" || typeof w !== "number" || !Number.isInteger(h) || !Number.isInteger(w) || h <= 0 || w <= 0) {
      throw new Error(`RandomCrop expects positive integers \`height\` and \`width\`. Received: height=${String(h)}, width=${String(w)}`);
    }
    this.height = h;
    this.width = w;
    this.seed = opts.seed ?? makeDefaultSeed();
    this.generator = new SeedGenerator(opts.seed ?? null);
  }

  override getRandomTransformation(images: Tensor, options: RandomTransformationOptions = {}): CropTransformation {
    const [ih, iw] = this.imageSize(images);
    const seed = this.seedFrom(options.seed);
    if (options.training !== false && ih >= this.height && iw >= this.width) {
      const hStart = Math.floor(uniformArray(seed, 1, 0, ih - this.height + 1)[0]);
      const wStart = Math.floor(uniformArray(seed, 1, 0, iw - this.width + 1)[0]);
      return { random: true, hStart: Math.min(hStart, ih - this.height), wStart: Math.min(wStart, iw - this.width) };
    }
    return { random: false, hStart: 0, wStart: 0 };
  }

  private crop(images: Tensor, t: CropTransformation, interpolation: Interpolation): Tensor {
    if (t.random) {
      const begin = this.dataFormat === "channels_last" ? [0, t.hStart, t.wStart, 0] : [0, 0, t.hStart, t.wStart];
      const size = this.dataFormat === "channels_last" ? [-1, this.height, this.width, -1] : [-1, -1, this.height, this.width];
      return tf.slice(images, begin, size);
    }
    return resize(images, [this.height, this.width], {
      interpolation,
      cropToAspectRatio: true,
      dataFormat: this.dataFormat,
    });
  }

  override transformImages(images: Tensor, transformation: unknown, training = true): Tensor {
    void training;
    const x = this.castImages(images);
    return this.crop(x, transformation as CropTransformation, "bilinear");
  }

  override transformSegmentationMasks(masks: Tensor, transformation: unknown, training = true): Tensor {
    void training;
    return this.crop(masks, transformation as CropTransformation, "nearest");
  }

  override computeOutputShape(inputShape: unknown): unknown {
    const one = (s: Shape): Shape => {
      const out = [...s];
      const r = out.length;
      const [hA, wA] = this.dataFormat === "channels_first" ? [r - 2, r - 1] : [r - 3, r - 2];
      out[hA] = this.height;
      out[wA] = this.width;
      return out;
    };
    if (isPlainObject(inputShape)) {
      const o: Record<string, unknown> = { ...inputShape };
      if (Array.isArray(o.images)) o.images = one(o.images as Shape);
      if (Array.isArray(o.segmentation_masks)) o.segmentation_masks = one(o.segmentation_masks as Shape);
      return o;
    }
    return one(inputShape as Shape);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), height: this.height, width: this.width, seed: this.seed, data_format: this.dataFormat };
  }
}
registerBuiltin("keras.layers", RandomCrop);
