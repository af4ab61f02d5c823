/** Shared assertions for the keras.ops.numpy tests. */
import { expect } from "vitest";
import { tf, type Tensor } from "../../../lib/backend/tfjs.js";
import { KerasTensor } from "../../../lib/backend/keras-tensor.js";

type Nested = number | boolean | Nested[];

function flatten(v: Nested): number[] {
  if (Array.isArray(v)) return v.flatMap(flatten);
  return [typeof v === "boolean" ? (v ? 1 : 0) : v];
}

/** Checks values (NaN-aware, to `tol`), and optionally dtype and shape; disposes `t`. */
export function check(t: unknown, expected: Nested, dtype?: string, shape?: number[], tol = 1e-5): void {
  expect(t).toBeInstanceOf(tf.Tensor);
  const x = t as Tensor;
  try {
    if (dtype !== undefined) expect(x.dtype).toBe(dtype);
    if (shape !== undefined) expect(x.shape).toEqual(shape);
    const got = Array.from(x.dataSync() as ArrayLike<number>);
    const want = flatten(expected);
    expect(got.length).toBe(want.length);
    for (let i = 0; i < want.length; i++) {
      const w = want[i] as number;
      const g = got[i] as number;
      if (Number.isNaN(w)) expect(Number.isNaN(g), `index ${i}: expected NaN, got ${g}`).toBe(true);
      else if (!Number.isFinite(w)) expect(g).toBe(w);
      else expect(Math.abs(g - w), `index ${i}: expected ${w}, got ${g}`).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(w)));
    }
  } finally {
    x.dispose();
  }
}

/** Checks a symbolic result. */
export function checkSymbolic(t: unknown, shape: (number | null)[], dtype?: string): void {
  expect(t).toBeInstanceOf(KerasTensor);
  const k = t as KerasTensor;
  expect(k.shape).toEqual(shape);
  if (dtype !== undefined) expect(k.dtype).toBe(dtype);
}

/** Runs `fn`, disposes what it returns, and asserts no tensor leaked. */
export function noLeak(fn: () => unknown): void {
  const before = tf.memory().numTensors;
  const out = fn();
  tf.dispose(out as tf.TensorContainer);
  expect(tf.memory().numTensors).toBe(before);
}
