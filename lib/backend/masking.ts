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
