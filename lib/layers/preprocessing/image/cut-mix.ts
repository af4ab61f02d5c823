/**
 * CutMix (Keras's `image_preprocessing/cut_mix.py`).
 */
import { tf, type Tensor } from "../../../backend/tfjs.js";
import { beta, permutation } from "../../../random/random.js";
import { SeedGenerator } from "../../../random/seed-generator.js";
import { registerBuiltin } from "../../../saving/object-registration.js";
import { BaseImagePreprocessingLayer, type BaseImagePreprocessingLayerArgs, type RandomTransformationOptions } from "./base-image-preprocessing-layer.js";
import { boxMask, mainArg, parseFactor, uniformArray, type FactorLike } from "./image-utils.js";

/** Options of CutMix. */
export interface CutMixArgs extends BaseImagePreprocessingLayerArgs {
  /**
   * The range of the Beta distribution's parameter, in [0, 1] (first
   * positional argument): a number `f` draws alpha in [0, f]. Default 1.
   */
  factor?: FactorLike;
  /** Integer seed of the layer's SeedGenerator. Default none. */
  seed?: number | null;
}

/** What one call pastes. */
export interface CutMixTransformation {
  permutationOrder: Int32Array;
  /** Boolean mask of the pasted pixels, the images' shape. */
  batchMasks: Tensor;
  /** The fraction of each image that is kept (for the labels). */
  mixWeight: number[];
}

/**
 * CutMix (Yun et al., 2019): pastes a random rectangle from a partner image
 * of the batch into each image; with a dict `{images, labels}`, labels are
 * mixed by the kept area. Identity with `training: false` and for unbatched images.
 *
 * ```ts
 * const cutmix = layers.CutMix();
 * ```
 */
export class CutMix extends BaseImagePreprocessingLayer {
  readonly factor: [number, number];
  readonly seed: number | null;

  /** `new CutMix(1)` or `new CutMix({ factor: 1, seed: 1 })`. */
  constructor(factor: FactorLike | CutMixArgs = 1, args: CutMixArgs = {}) {
    const opts = mainArg<CutMixArgs>(factor, args, "factor");
    super(opts);
    this.factor = parseFactor(opts.factor ?? 1, [0, 1]);
    this.seed = opts.seed ?? null;
    this.generator = new SeedGenerator(this.seed);
  }

  override getRandomTransformation(images: Tensor, options: RandomTransformationOptions = {}): CutMixTransformation | null {
    if (options.training === false) return null;
    const n = images.shape[0] as number;
    const [h, w] = this.imageSize(images);
    const seed = this.seedFrom(options.seed);
    const alpha = uniformArray(seed, 1, this.factor[0], this.factor[1])[0] + 1e-6;
    const bt = beta([n], alpha, alpha, { seed });
    const lam = Array.from(bt.dataSync());
    bt.dispose();
    const ratio = lam.map((v) => Math.sqrt(1 - v));
    const bounds = (len: number): [number[], number[]] => {
      const u = uniformArray(seed, n);
      const crop = ratio.map((r) => r * len);
      const start = u.map((v, i) => v * (len - crop[i]));
      return [start, start.map((s, i) => s + crop[i])];
    };
    const [x0, x1] = bounds(w);
    const [y0, y1] = bounds(h);
    const mixWeight = x0.map((_, i) => 1 - ((x1[i] - x0[i]) * (y1[i] - y0[i])) / (w * h));
    const permutationOrder = permutation(n, seed);
    const batchMasks = boxMask(images.shape as number[], this.dataFormat, x0, x1, y0, y1);
    return { permutationOrder, batchMasks, mixWeight };
  }

  override transformImages(images: Tensor, transformation: unknown, training = true): Tensor {
    const x = this.castImages(images);
    if (!training || !transformation) return x;
    const t = transformation as CutMixTransformation;
    return tf.tidy(() => tf.where(t.batchMasks, tf.gather(x, tf.tensor1d(t.permutationOrder, "int32")), x));
  }

  override transformLabels(labels: Tensor, transformation: unknown, training = true): Tensor {
    if (!training || !transformation) return labels;
    const t = transformation as CutMixTransformation;
    return tf.tidy(() => {
      const y = labels.dtype === "float32" ? labels : tf.cast(labels, "float32");
      const w = tf.reshape(tf.tensor1d(t.mixWeight), [-1, ...new Array<number>(y.rank - 1).fill(1)]);
      return tf.add(tf.mul(w, y), tf.mul(tf.sub(1, w), tf.gather(y, tf.tensor1d(t.permutationOrder, "int32"))));
    });
  }

  override transformSegmentationMasks(masks: Tensor, transformation: unknown, training = true): Tensor {
    if (!training || !transformation) return masks;
    const t = transformation as CutMixTransformation;
    return tf.tidy(() => tf.where(t.batchMasks, tf.gather(masks, tf.tensor1d(t.permutationOrder, "int32")), masks));
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), factor: [...this.factor], seed: this.seed };
  }
}
registerBuiltin("keras.layers", CutMix);
