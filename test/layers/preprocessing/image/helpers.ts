/** Helpers of the image preprocessing layer tests. */
import { expect } from "vitest";
import { tf, type Tensor } from "../../../../lib/backend/tfjs.js";

/** A (H, W, 1) image holding 0, 1, 2, ... row by row. */
export function rampImage(h: number, w: number, c = 1): Tensor {
  return tf.reshape(tf.range(0, h * w * c, 1, "float32"), [h, w, c]);
}

/** Nested JS values of a tensor, rounded to 4 decimals. */
export function values(t: unknown): unknown {
  const arr = (t as Tensor).arraySync();
  const round = (v: unknown): unknown => (Array.isArray(v) ? v.map(round) : Math.round((v as number) * 1e4) / 1e4);
  return round(arr);
}

/** The flat values of a tensor. */
export function flat(t: unknown): number[] {
  return Array.from((t as Tensor).dataSync());
}

/** Expects two tensors to hold the same values (within `tol`). */
export function expectSame(a: unknown, b: unknown, tol = 1e-5): void {
  const x = flat(a);
  const y = flat(b);
  expect((a as Tensor).shape).toEqual((b as Tensor).shape);
  for (let i = 0; i < x.length; i++) {
    if (!(Math.abs(x[i] - y[i]) <= tol)) throw new Error(`index ${i}: ${x[i]} vs ${y[i]}`);
  }
}

/** True when two tensors differ somewhere. */
export function differ(a: unknown, b: unknown): boolean {
  const x = flat(a);
  const y = flat(b);
  return x.some((v, i) => Math.abs(v - y[i]) > 1e-6);
}
