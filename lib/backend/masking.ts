/**
 * Keras masks on concrete tensors: a layer that computes a mask (Embedding
 * with maskZero, Masking) attaches it to its output, and the next layer
 * receives it as its `mask` argument (Keras's `_keras_mask`).
 */
import type { Tensor } from "./tfjs.js";

const masks = new WeakMap<Tensor, Tensor>();

/** The mask attached to `x`, if any (a disposed mask counts as none). */
export function getKerasMask(x: unknown): Tensor | null {
  if (typeof x !== "object" || x === null) return null;
  const m = masks.get(x as Tensor);
  return m === undefined || m.isDisposed ? null : m;
}

/** Attaches `mask` to `x` (or removes it with null). */
export function setKerasMask(x: Tensor, mask: Tensor | null): void {
  if (mask === null) masks.delete(x);
  else masks.set(x, mask);
}

/**
 * Attaches a copy of `mask` to `x` that lives as long as `x`: disposing `x`
 * (directly, by tf.dispose or at the end of a tf.tidy) disposes its mask, so
 * masks never outlive the outputs they describe.
 */
export function attachKerasMask(x: Tensor, mask: Tensor): void {
  const own = mask.clone();
  const previous = masks.get(x);
  masks.set(x, own);
  if (previous !== undefined && !previous.isDisposed) previous.dispose();
  if (!(x as TensorWithMaskDispose)[MASK_DISPOSE]) {
    const dispose = x.dispose.bind(x);
    (x as TensorWithMaskDispose)[MASK_DISPOSE] = true;
    x.dispose = () => {
      const m = masks.get(x);
      dispose();
      if (m !== undefined && !m.isDisposed) m.dispose();
    };
  }
}

const MASK_DISPOSE = Symbol("tskeras.maskDispose");
type TensorWithMaskDispose = Tensor & { [MASK_DISPOSE]?: boolean };
