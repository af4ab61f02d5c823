/** Shared helpers of the optimizer tests. */
import { expect } from "vitest";
import { tf } from "../../lib/backend/tfjs.js";
import "../../lib/ops/convert.js";
import { Variable } from "../../lib/backend/variable.js";
import type { Optimizer } from "../../lib/optimizers/index.js";

export const KERNEL0 = [1.8267565965652466, -3.07833194732666, 0.9580639600753784, 0.0696372240781784, 1.318250060081482, 0.38562923669815063];
export const BIAS0 = [1.827258586883545, 0.03174375742673874];
export const GRADS: { kernel: number[]; bias: number[] }[] = [
  {
    kernel: [-0.5162294507026672, 0.580484926700592, 0.4321068525314331, -0.3568393588066101, -0.2473038285970688, 0.7194406986236572],
    bias: [0.7043160200119019, -0.4939342439174652],
  },
  {
    kernel: [-0.36771371960639954, -1.8067903518676758, 1.679207444190979, -0.2242908775806427, 1.3372774124145508, 0.41746559739112854],
    bias: [1.943962812423706, 1.5371099710464478],
  },
  {
    kernel: [0.31829842925071716, 1.4807634353637695, -0.9501235485076904, 1.2586181163787842, -1.4804235696792603, 0.34323635697364807],
    bias: [1.0648764371871948, 0.22363214194774628],
  },
];

/** kernel (3,2) and bias (2,) Variables at the fixture's initial values. */
export function makeVars(): [Variable, Variable] {
  const k = tf.tensor(KERNEL0, [3, 2]);
  const b = tf.tensor(BIAS0, [2]);
  const out: [Variable, Variable] = [new Variable(k, { name: "kernel" }), new Variable(b, { name: "bias" })];
  k.dispose();
  b.dispose();
  return out;
}

/** Applies GRADS[step] to [kernel, bias]. */
export function applyStep(opt: Optimizer, vars: Variable[], step: number): void {
  const g = [tf.tensor(GRADS[step % 3].kernel, [3, 2]), tf.tensor(GRADS[step % 3].bias, [2])];
  opt.apply(g, vars);
  tf.dispose(g);
}

/** Element-wise closeness with a relative tolerance (and a small absolute floor). */
export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, rel = 1e-5, abs = 1e-7, what = ""): void {
  expect(actual.length, what).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i];
    const e = expected[i];
    const tol = Math.max(rel * Math.abs(e), abs);
    if (!(Math.abs(a - e) <= tol)) throw new Error(`${what}[${i}]: got ${a}, expected ${e} (tol ${tol})`);
  }
}

/** The values of a Variable as a plain array. */
export function values(v: Variable): number[] {
  return Array.from(v.value.dataSync());
}
