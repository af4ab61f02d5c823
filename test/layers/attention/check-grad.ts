/**
 * Finite-difference gradient checks and a tiny training loop, shared by the
 * attention, normalization-extra, regularization-extra and reshaping-extra tests.
 */
import { expect } from "vitest";
import { tf, type Tensor } from "../../../lib/backend/tfjs.js";
import type { Variable } from "../../../lib/backend/variable.js";
import { valueAndGrad } from "../../../lib/backend/gradients.js";

/** A fixed pseudo-random projection, so the checked loss is `sum(out * r)` rather than a plain sum. */
function projection(shape: number[], seed: number): Tensor {
  return tf.randomUniform(shape, -1, 1, "float32", seed);
}

function relClose(a: number, n: number, tol: number): boolean {
  return Math.abs(a - n) <= tol * Math.max(1, Math.abs(a), Math.abs(n));
}

/**
 * Compares the gradient of `sum(fn(x) * r)` w.r.t. `x` with central
 * differences at up to `coords` entries (float32: eps 1e-2 by default).
 */
export function checkInputGrad(fn: (x: Tensor) => Tensor, x: Tensor, options: { eps?: number; tol?: number; coords?: number; seed?: number } = {}): void {
  const eps = options.eps ?? 1e-2;
  const tol = options.tol ?? 2e-2;
  const out0 = fn(x); // builds the layer first (its weights stay)
  const r = projection(out0.shape, options.seed ?? 7);
  if (out0 !== x) out0.dispose(); // an identity layer returns its input
  const before = tf.memory().numTensors;
  const loss = (t: Tensor): Tensor => tf.tidy(() => tf.sum(tf.mul(fn(t), r)));
  const g = tf.grad(loss)(x);
  const analytic = Array.from(g.dataSync());
  g.dispose();
  const base = Array.from(x.dataSync());
  const n = base.length;
  const coords = Math.min(options.coords ?? 8, n);
  let nonzero = false;
  for (let k = 0; k < coords; k++) {
    const i = Math.floor((k * n) / coords);
    const plus = base.slice();
    plus[i] += eps;
    const minus = base.slice();
    minus[i] -= eps;
    const lp = tf.tidy(() => loss(tf.tensor(plus, x.shape, "float32")).dataSync()[0]);
    const lm = tf.tidy(() => loss(tf.tensor(minus, x.shape, "float32")).dataSync()[0]);
    const numeric = (lp - lm) / (2 * eps);
    if (analytic[i] !== 0) nonzero = true;
    if (!relClose(analytic[i], numeric, tol)) throw new Error(`input gradient at ${i}: analytic ${analytic[i]}, numeric ${numeric}`);
  }
  expect(analytic.every(Number.isFinite)).toBe(true);
  expect(nonzero || analytic.some((v) => v !== 0)).toBe(true);
  expect(tf.memory().numTensors).toBe(before);
  r.dispose();
}

/**
 * Compares the gradient of `sum(run() * r)` w.r.t. each variable with central
 * differences at up to `coords` entries of each.
 */
export function checkWeightGrads(run: () => Tensor, variables: readonly Variable[], options: { eps?: number; tol?: number; coords?: number; seed?: number } = {}): void {
  const eps = options.eps ?? 1e-2;
  const tol = options.tol ?? 2e-2;
  const out0 = run();
  const r = projection(out0.shape, options.seed ?? 11);
  out0.dispose();
  const loss = (): Tensor => tf.tidy(() => tf.sum(tf.mul(run(), r)));
  const { value, grads } = valueAndGrad(loss, variables);
  value.dispose();
  variables.forEach((v, j) => {
    const analytic = Array.from(grads[j].dataSync());
    const base = Array.from(v.value.dataSync());
    const n = base.length;
    const coords = Math.min(options.coords ?? 4, n);
    for (let k = 0; k < coords; k++) {
      const i = Math.floor((k * n) / coords);
      const at = (d: number): number => {
        const vals = base.slice();
        vals[i] += d;
        v.assign(vals);
        return tf.tidy(() => loss().dataSync()[0]);
      };
      const numeric = (at(eps) - at(-eps)) / (2 * eps);
      v.assign(base);
      if (!relClose(analytic[i], numeric, tol)) throw new Error(`${v.path}[${i}]: analytic ${analytic[i]}, numeric ${numeric}`);
    }
  });
  tf.dispose(grads);
  r.dispose();
}

/**
 * A few steps of plain gradient descent on `loss()` over `variables`;
 * returns the first and the last loss.
 */
export function trainSteps(loss: () => Tensor, variables: readonly Variable[], steps = 20, lr = 0.1): { first: number; last: number } {
  let first = NaN;
  let last = NaN;
  for (let s = 0; s < steps; s++) {
    const { value, grads } = valueAndGrad(loss, variables);
    const l = value.dataSync()[0];
    if (s === 0) first = l;
    last = l;
    variables.forEach((v, i) => {
      const next = tf.tidy(() => tf.sub(v.value, tf.mul(grads[i], lr)));
      v.assign(next);
      next.dispose();
    });
    tf.dispose([value, ...grads]);
  }
  return { first, last };
}
