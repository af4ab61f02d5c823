/**
 * MixUp (Keras's `image_preprocessing/mix_up.py`).
 */
import { tf, type Tensor } from "../../../backend/tfjs.js";
import { beta, permutation } from "../../../random/random.js";
import { SeedGenerator } from "../../../random/seed-generator.js";
import { registerBuiltin } from "../../../saving/object-registration.js";
import { BaseImagePreprocessingLayer, type BaseImagePreprocessingLayerArgs, type RandomTransformationOptions } from "./base-image-preprocessing-layer.js";
import { mainArg, perImage } from "./image-utils.js";

/** Options of MixUp. */
export interface MixUpArgs extends BaseImagePreprocessingLayerArgs {
  /** The Beta distribution's parameter for the mixing weights (first positional argument). Default 0.2. */
  alpha?: number;
  /** Integer seed of the layer's SeedGenerator. Default none. */
  seed?: number | null;
}

/** The mixing weights and partner order of one call. */
export interface MixUpTransformation {
  mixWeight: number[];
  permutationOrder: Int32Array;
}

/**
 * MixUp (Zhang et al., 2018): each image becomes `w * x + (1 - w) * x[p]`
 * with a random partner `p` in the batch and `w ~ Beta(alpha, alpha)`.
 * Called on a dict `{images, labels}`, the labels are mixed the same way.
 * Identity with `training: false`.
 *
 * ```ts
 * const mix = layers.MixUp(0.2);
 * const { images, labels } = mix({ images: x, labels: oneHot }, { training: true });
 * ```
 */
export class MixUp extends BaseImagePreprocessingLayer {
  readonly alpha: number;
  readonly seed: number | null;

  /** `new MixUp(0.2)` or `new MixUp({ alpha: 0.2, seed: 1 })`. */
  constructor(alpha: number | MixUpArgs = 0.2, args: MixUpArgs = {}) {
    const opts = mainArg<MixUpArgs>(alpha, args, "alpha");
    super(opts);
    this.alpha = opts.alpha ?? 0.2;
    this.seed = opts.seed ?? null;
    this.generator = new SeedGenerator(this.seed);
  }

  override getRandomTransformation(images: Tensor, options: RandomTransformationOptions = {}): MixUpTransformation {
    const n = images.shape[0] as number;
    const seed = this.seedFrom(options.seed);
    const permutationOrder = permutation(n, seed);
    const w = beta([n], this.alpha, this.alpha, { seed });
    const mixWeight = Array.from(w.dataSync());
    w.dispose();
    return { mixWeight, permutationOrder };
  }

  override transformImages(images: Tensor, transformation: unknown, training = true): Tensor {
    const x = this.castImages(images);
    if (!training) return x;
    const t = transformation as MixUpTransformation;
    return tf.tidy(() => {
      const w = perImage(t.mixWeight, x.shape[0] as number);
      const partner = tf.gather(x, tf.tensor1d(t.permutationOrder, "int32"));
      return tf.add(tf.mul(w, x), tf.mul(tf.sub(1, w), partner));
    });
  }

  override transformLabels(labels: Tensor, transformation: unknown, training = true): Tensor {
    if (!training) return labels;
    const t = transformation as MixUpTransformation;
    return tf.tidy(() => {
      const y = labels.dtype === "float32" ? labels : tf.cast(labels, "float32");
      const w = tf.reshape(tf.tensor1d(t.mixWeight), [-1, ...new Array<number>(y.rank - 1).fill(1)]);
      const partner = tf.gather(y, tf.tensor1d(t.permutationOrder, "int32"));
      return tf.add(tf.mul(w, y), tf.mul(tf.sub(1, w), partner));
    });
  }

  override transformSegmentationMasks(masks: Tensor, transformation: unknown, training = true): Tensor {
    return this.transformLabels(masks, transformation, training);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), alpha: this.alpha, seed: this.seed };
  }
}
registerBuiltin("keras.layers", MixUp);
