import { expect } from "vitest";
import { tf } from "../../lib/backend/tfjs.js";
import "../../lib/ops/convert.js";
import type { Metric } from "../../lib/metrics/metric.js";

/** The result read back: a number for a scalar, else a flat array. Disposes the result. */
export function value(m: Metric): number | number[] {
  const r = m.result();
  try {
    const v = Array.from(r.dataSync());
    return r.rank === 0 ? (v[0] as number) : v;
  } finally {
    r.dispose();
  }
}

/** Expects the scalar result to be close to `expected`. */
export function expectResult(m: Metric, expected: number, digits = 5): void {
  const v = value(m);
  expect(typeof v).toBe("number");
  expect(v as number).toBeCloseTo(expected, digits);
}

/** Expects the vector result to be close to `expected`. */
export function expectVector(m: Metric, expected: number[], digits = 5): void {
  const v = value(m);
  expect(Array.isArray(v)).toBe(true);
  const arr = v as number[];
  expect(arr.length).toBe(expected.length);
  arr.forEach((x, i) => expect(x).toBeCloseTo(expected[i] as number, digits));
}

/** `fromConfig(getConfig())` through JSON, then checks the config is the same. */
export function roundTrip<M extends Metric>(m: M): M {
  const cls = m.constructor as unknown as { fromConfig(c: Record<string, unknown>): M };
  const cfg = JSON.parse(JSON.stringify(m.getConfig())) as Record<string, unknown>;
  const m2 = cls.fromConfig(cfg);
  expect(m2.getConfig()).toEqual(m.getConfig());
  expect(m2.constructor).toBe(m.constructor);
  return m2;
}

/** Runs `update` 50 times after a warm-up and checks the live tensor count is flat. */
export function expectNoLeak(m: Metric, update: () => void): void {
  update();
  const r0 = m.result();
  r0.dispose();
  const before = tf.memory().numTensors;
  for (let i = 0; i < 50; i++) update();
  const r = m.result();
  r.dispose();
  m.resetState();
  expect(tf.memory().numTensors).toBe(before);
}

export { tf };
