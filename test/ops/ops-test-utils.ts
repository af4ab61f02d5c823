/** Small helpers shared by the keras.ops tests. */
import { expect } from "vitest";
import { tf, type Tensor } from "../../lib/backend/tfjs.js";
import { KerasTensor } from "../../lib/backend/keras-tensor.js";

type Nested = number | boolean | Nested[];

function closeTo(actual: unknown, expected: unknown, tol: number, path: string): void {
  if (Array.isArray(expected)) {
    expect(Array.isArray(actual), `${path} should be an array`).toBe(true);
    expect((actual as unknown[]).length, `${path} length`).toBe(expected.length);
    expected.forEach((e, i) => closeTo((actual as unknown[])[i], e, tol, `${path}[${i}]`));
    return;
  }
  if (typeof expected === "number" && Number.isNaN(expected)) {
    expect(Number.isNaN(actual as number), `${path} NaN`).toBe(true);
  } else if (typeof expected === "number" && !Number.isFinite(expected)) {
    expect(actual, path).toBe(expected);
  } else if (typeof expected === "number") {
    expect(Math.abs((actual as number) - expected), `${path}: ${String(actual)} vs ${expected}`).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(expected)));
  } else {
    expect(actual, path).toBe(expected);
  }
}

/** Checks values (nested, approximately), and optionally dtype and shape, of a concrete result. */
export function expectTensor(t: unknown, values: Nested, dtype?: string, shape?: number[], tol = 1e-5): void {
  expect(t).toBeInstanceOf(tf.Tensor);
  const x = t as Tensor;
  if (dtype) expect(x.dtype).toBe(dtype);
  if (shape) expect(x.shape).toEqual(shape);
  let arr = x.arraySync() as unknown;
  if (x.dtype === "bool") {
    const conv = (v: unknown): unknown => (Array.isArray(v) ? v.map(conv) : Boolean(v));
    arr = conv(arr);
  }
  closeTo(arr, values, tol, "value");
}

/** Checks a symbolic result. */
export function expectKeras(t: unknown, shape: (number | null)[], dtype?: string): void {
  expect(t).toBeInstanceOf(KerasTensor);
  expect((t as KerasTensor).shape).toEqual(shape);
  if (dtype) expect((t as KerasTensor).dtype).toBe(dtype);
}

/** Disposes every tensor found in a (nested) result. */
export function disposeAll(x: unknown): void {
  if (x instanceof tf.Tensor) x.dispose();
  else if (Array.isArray(x)) x.forEach(disposeAll);
  else if (x && typeof x === "object") Object.values(x).forEach(disposeAll);
}

/** Runs `fn`, disposes its result, and checks no tensor was leaked. */
export function expectNoLeak(fn: () => unknown): void {
  const before = tf.memory().numTensors;
  disposeAll(fn());
  expect(tf.memory().numTensors).toBe(before);
}

export { tf };
