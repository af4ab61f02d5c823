/**
 * MaxNumBoundingBoxes (Keras's `image_preprocessing/max_num_bounding_box.py`).
 */
import { tf, type Tensor } from "../../../backend/tfjs.js";
import { registerBuiltin } from "../../../saving/object-registration.js";
import { isPlainObject } from "../../../utils/tree.js";
import { BaseImagePreprocessingLayer, type BaseImagePreprocessingLayerArgs, type BoundingBoxes } from "./base-image-preprocessing-layer.js";
import { mainArg } from "./image-utils.js";

/** Options of MaxNumBoundingBoxes. */
export interface MaxNumBoundingBoxesArgs extends BaseImagePreprocessingLayerArgs {
  /** The number of boxes every image ends with (first positional argument). Required. */
  maxNumber?: number;
  /** The value of padding boxes and labels. Default -1. */
  fillValue?: number;
}

/**
 * Pads or truncates the `bounding_boxes` of a dict input
 * (`{images, bounding_boxes: {boxes, labels}}`) to `maxNumber` boxes per
 * image, so batches have a fixed shape. Images pass unchanged.
 *
 * ```ts
 * const fix = layers.MaxNumBoundingBoxes(10, { boundingBoxFormat: "xyxy" });
 * ```
 */
export class MaxNumBoundingBoxes extends BaseImagePreprocessingLayer {
  readonly maxNumber: number;
  readonly fillValue: number;

  /** `new MaxNumBoundingBoxes(10)` or `new MaxNumBoundingBoxes({ maxNumber: 10 })`. */
  constructor(maxNumber: number | MaxNumBoundingBoxesArgs, args: MaxNumBoundingBoxesArgs = {}) {
    const opts = mainArg<MaxNumBoundingBoxesArgs>(maxNumber, args, "maxNumber");
    super(opts);
    if (typeof opts.maxNumber !== "number") throw new Error("MaxNumBoundingBoxes requires a `max_number` argument.");
    this.maxNumber = Math.trunc(opts.maxNumber);
    this.fillValue = Math.trunc(opts.fillValue ?? -1);
  }

  override transformImages(images: Tensor, transformation: unknown, training = true): Tensor {
    void transformation;
    void training;
    return images;
  }

  override transformSegmentationMasks(masks: Tensor): Tensor {
    return masks;
  }

  override transformBoundingBoxes(boxes: BoundingBoxes): BoundingBoxes {
    const fit = (t: Tensor): Tensor =>
      tf.tidy(() => {
        const n = t.shape[1] as number;
        const kept = n > this.maxNumber ? tf.slice(t, [0, 0], [-1, this.maxNumber]) : t;
        if (n >= this.maxNumber) return kept;
        const pad: [number, number][] = t.shape.map((_, i) => (i === 1 ? [0, this.maxNumber - n] : [0, 0]) as [number, number]);
        return tf.pad(kept, pad, this.fillValue);
      });
    return { ...boxes, boxes: fit(boxes.boxes), labels: fit(boxes.labels) };
  }

  override computeOutputShape(inputShape: unknown): unknown {
    if (isPlainObject(inputShape) && isPlainObject(inputShape.bounding_boxes)) {
      const bb = inputShape.bounding_boxes;
      const extra = Object.keys(bb).filter((k) => k !== "boxes" && k !== "labels");
      if (extra.length) throw new Error(`There are unsupported keys in \`bounding_boxes\`: ${JSON.stringify(extra)}. Only \`boxes\` and \`labels\` are supported.`);
      const boxes = [...(bb.boxes as (number | null)[])];
      const labels = [...(bb.labels as (number | null)[])];
      boxes[1] = this.maxNumber;
      labels[1] = this.maxNumber;
      return { ...inputShape, bounding_boxes: { boxes, labels } };
    }
    return inputShape;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), max_number: this.maxNumber };
  }
}
registerBuiltin("keras.layers", MaxNumBoundingBoxes);
