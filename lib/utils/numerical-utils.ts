/** keras.utils numerical helpers: toCategorical and normalize. */
import { tf, type Tensor } from "../backend/tfjs.js";
import { convertToTensor, type TensorLike } from "../ops/convert.js";

/**
 * One-hot encodes integer class labels: `toCategorical([0, 2], 3)` gives
 * `[[1, 0, 0], [0, 0, 1]]`. A trailing dimension of size 1 is dropped first,
 * as Keras does. `numClasses` defaults to `max(x) + 1`.
 */
export function toCategorical(x: TensorLike, numClasses?: number | null): Tensor {
  return tf.tidy(() => {
    let t = convertToTensor(x, "int32");
    if (t.rank > 1 && t.shape[t.rank - 1] === 1) t = tf.squeeze(t, [t.rank - 1]);
    const n = numClasses ?? (t.size === 0 ? 0 : tf.max(t).dataSync()[0] + 1);
    if (t.size > 0) {
      const [lo, hi] = [tf.min(t).dataSync()[0], tf.max(t).dataSync()[0]];
      if (lo < 0 || hi >= n) {
        throw new Error(`toCategorical: labels must be in [0, ${n - 1}] for numClasses=${n}. Received labels in [${lo}, ${hi}].`);
      }
    }
    const flat = tf.reshape(t, [-1]);
    const oh = tf.cast(tf.oneHot(flat, n), "float32");
    return tf.reshape(oh, [...t.shape, n]);
  });
}

/** Normalizes `x` along `axis` to unit `order`-norm (default L2), as `keras.utils.normalize`. */
export function normalize(x: TensorLike, axis = -1, order = 2): Tensor {
  return tf.tidy(() => {
    const t = tf.cast(convertToTensor(x), "float32");
    const norm = tf.norm(t, order, axis, true);
    const safe = tf.where(tf.equal(norm, 0), tf.onesLike(norm), norm);
    return tf.div(t, safe);
  });
}
