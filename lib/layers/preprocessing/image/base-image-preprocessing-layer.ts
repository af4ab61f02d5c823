/**
 * BaseImagePreprocessingLayer (Keras's
 * `layers/preprocessing/image_preprocessing/base_image_preprocessing_layer.py`):
 * the common `call` of the image preprocessing and augmentation layers.
 *
 * A call draws one random transformation for the batch
 * (`getRandomTransformation`), then applies it to the images
 * (`transformImages`) and, when the input is a dict, to its `labels` and
 * `segmentation_masks` (`transformLabels`, `transformSegmentationMasks`).
 * Unbatched images (rank 3) are handled as a batch of one.
 *
 * `training`: as in Keras, whose `call(data, training=True)` defaults to
 * true, the augmentation is applied unless the call says `training: false`
 * (`predict` and `evaluate` do; `fit` passes `training: true`; a direct call
 * `layer(images)` augments).
 */
import { tf, type Tensor } from "../../../backend/tfjs.js";
import { standardizeDataFormat } from "../../../backend/config.js";
import type { Shape } from "../../../backend/keras-tensor.js";
import type { SeedGenerator } from "../../../random/seed-generator.js";
import { isPlainObject } from "../../../utils/tree.js";
import { Layer, type CallArgs, type LayerArgs } from "../../layer.js";
import { singleTensor } from "../../layer-utils.js";
import { affineMatrix, spatialSize, transformValueRange, type DataFormat, type Interpolation } from "./image-utils.js";

/** Options every image preprocessing layer accepts. */
export interface BaseImagePreprocessingLayerArgs extends LayerArgs {
  /**
   * The format of bounding boxes in dict inputs (e.g. `"xyxy"`). Kept in the
   * config for Keras compatibility; bounding boxes are only supported by
   * MaxNumBoundingBoxes. Default null.
   */
  boundingBoxFormat?: string | null;
  /** `"channels_last"` (N, H, W, C) or `"channels_first"` (N, C, H, W). Default: the Keras config's `image_data_format`. */
  dataFormat?: DataFormat | null;
}

/** Options of `getRandomTransformation`. */
export interface RandomTransformationOptions {
  /** Whether the call is in training mode. Default true. */
  training?: boolean;
  /** A SeedGenerator to draw from instead of the layer's own (used by RandAugment and friends). */
  seed?: SeedGenerator | null;
}

/** Bounding boxes in a dict input: `boxes` (N, B, 4) and `labels` (N, B). */
export interface BoundingBoxes {
  boxes: Tensor;
  labels: Tensor;
  [key: string]: Tensor;
}

/**
 * The base of the image preprocessing layers. Subclasses define
 * `getRandomTransformation` and `transformImages` (or, for geometric
 * layers, `transformImagesWith`, which segmentation masks reuse with
 * nearest interpolation).
 */
export class BaseImagePreprocessingLayer extends Layer {
  /** `"channels_last"` or `"channels_first"`. */
  readonly dataFormat: DataFormat;
  /** The bounding box format given, or null. */
  readonly boundingBoxFormat: string | null;
  /** The interpolation `transformImages` uses (geometric layers). */
  interpolation: Interpolation = "bilinear";
  /** The layer's source of seeds (null for deterministic layers). */
  protected generator: SeedGenerator | null = null;

  constructor(args: BaseImagePreprocessingLayerArgs = {}) {
    super(args);
    this.dataFormat = standardizeDataFormat(args.dataFormat ?? null);
    this.boundingBoxFormat = args.boundingBoxFormat ?? null;
  }

  /** The generator to draw from: the one given, else the layer's. */
  protected seedFrom(seed?: SeedGenerator | null): SeedGenerator {
    const s = seed ?? this.generator;
    if (!s) throw new Error(`Layer ${this.name} has no seed generator.`);
    return s;
  }

  /**
   * Draws the random parameters of one call for a batch `images` (rank 4).
   * Returns null when there is nothing to draw (e.g. not training).
   */
  getRandomTransformation(images: Tensor, options: RandomTransformationOptions = {}): unknown {
    void images;
    void options;
    return null;
  }

  /** Keras's `_transform_images`: applies `transformation` with `interpolation`; null when the layer has none. */
  protected transformImagesWith(images: Tensor, transformation: unknown, interpolation: Interpolation): Tensor | null {
    void images;
    void transformation;
    void interpolation;
    return null;
  }

  /** Applies `transformation` to a batch of images (rank 4); identity when not training. */
  transformImages(images: Tensor, transformation: unknown, training = true): Tensor {
    const x = this.castImages(images);
    if (!training) return x;
    return this.transformImagesWith(x, transformation, this.interpolation) ?? x;
  }

  /** Applies `transformation` to the labels of a dict input. Default: unchanged. */
  transformLabels(labels: Tensor, transformation: unknown, training = true): Tensor {
    void transformation;
    void training;
    return labels;
  }

  /** Applies `transformation` to segmentation masks (rank 4): geometric layers move them with nearest interpolation. */
  transformSegmentationMasks(masks: Tensor, transformation: unknown, training = true): Tensor {
    if (!training) return masks;
    return this.transformImagesWith(masks, transformation, "nearest") ?? masks;
  }

  /** Applies `transformation` to bounding boxes. Only MaxNumBoundingBoxes supports them in tskeras. */
  transformBoundingBoxes(boxes: BoundingBoxes, transformation: unknown, training = true): BoundingBoxes {
    void boxes;
    void transformation;
    void training;
    throw new Error(
      `Layer ${this.className} ("${this.name}") does not support bounding boxes in tskeras. ` +
        "Pass a dict without `bounding_boxes`, or transform the boxes yourself.",
    );
  }

  /** The images in the layer's compute dtype (float32 by default). */
  protected castImages(images: Tensor): Tensor {
    const dtype = this.computeDtype as tf.DataType;
    return images.dtype === dtype ? images : tf.cast(images, dtype);
  }

  /** Keras's `_transform_value_range`. */
  protected transformValueRange(images: Tensor, from: readonly number[], to: readonly number[]): Tensor {
    return transformValueRange(images, from, to);
  }

  /** Keras's `_compute_affine_matrix` for one image (angles in degrees). */
  protected computeAffineMatrix(p: Parameters<typeof affineMatrix>[0]): number[] {
    return affineMatrix(p);
  }

  /** `[height, width]` of a batch or an image. */
  protected imageSize(x: Tensor | Shape): [number, number] {
    return spatialSize(x instanceof tf.Tensor ? x.shape : x, this.dataFormat);
  }

  override call(inputs: unknown, kwargs: CallArgs = {}): unknown {
    const training = kwargs.training !== false;
    if (isPlainObject(inputs)) return this.callDict(inputs, training);
    const images = singleTensor(inputs, this.name);
    const batched = isBatched(images, this.name);
    const x = batched ? images : tf.expandDims(images, 0);
    const transformation = this.getRandomTransformation(x, { training });
    const y = this.transformImages(x, transformation, training);
    return batched ? y : tf.squeeze(y, [0]);
  }

  private callDict(data: Record<string, unknown>, training: boolean): Record<string, unknown> {
    const images = data.images;
    if (!(images instanceof tf.Tensor)) {
      throw new Error(`Layer ${this.name} expects a dict with an \`images\` tensor. Received keys: ${Object.keys(data).join(", ")}`);
    }
    const batched = isBatched(images, this.name);
    const expand = (t: Tensor): Tensor => (batched ? t : tf.expandDims(t, 0));
    const squeeze = (t: Tensor): Tensor => (batched ? t : tf.squeeze(t, [0]));
    const x = expand(images);
    const transformation = this.getRandomTransformation(x, { training });
    const out: Record<string, unknown> = { ...data };
    out.images = squeeze(this.transformImages(x, transformation, training));
    if (data.bounding_boxes !== undefined) {
      if (!this.boundingBoxFormat) {
        throw new Error(
          "You passed an input with a 'bounding_boxes' key, but you didn't specify a bounding box format. " +
            `Pass a \`boundingBoxFormat\` argument to your ${this.className} layer, e.g. \`boundingBoxFormat: "xyxy"\`.`,
        );
      }
      const bb = data.bounding_boxes as Record<string, Tensor>;
      const boxes: BoundingBoxes = { ...bb, boxes: expand(bb.boxes), labels: expand(bb.labels) };
      const res = this.transformBoundingBoxes(boxes, transformation, training);
      out.bounding_boxes = { ...res, boxes: squeeze(res.boxes), labels: squeeze(res.labels) };
    }
    if (data.labels !== undefined) {
      const labels = data.labels instanceof tf.Tensor ? data.labels : tf.tensor(data.labels as number[]);
      out.labels = squeeze(this.transformLabels(expand(labels), transformation, training));
    }
    if (data.segmentation_masks !== undefined) {
      const m = data.segmentation_masks as Tensor;
      out.segmentation_masks = squeeze(this.transformSegmentationMasks(expand(m), transformation, training));
    }
    return out;
  }

  override computeOutputShape(inputShape: unknown): unknown {
    return inputShape;
  }

  override getConfig(): Record<string, unknown> {
    const config: Record<string, unknown> = { ...super.getConfig(), data_format: this.dataFormat };
    if (this.boundingBoxFormat !== null) config.bounding_box_format = this.boundingBoxFormat;
    return config;
  }
}

function isBatched(x: Tensor, name: string): boolean {
  if (x.rank === 3) return false;
  if (x.rank === 4) return true;
  throw new Error(
    `Layer "${name}": expected image tensor to have rank 3 (single image) or 4 (batch of images). Received: data.shape=[${x.shape.join(", ")}]`,
  );
}
