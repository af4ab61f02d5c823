import { describe, expect, it } from "vitest";
import { tf, type Tensor } from "../../lib/backend/tfjs.js";
import * as linalg from "../../lib/ops/linalg.js";
import { KerasTensor } from "../../lib/backend/keras-tensor.js";

function close(actual: Tensor, expected: number[], tol = 1e-4, shape?: number[]): void {
  if (shape) expect(actual.shape).toEqual(shape);
  const got = Array.from(actual.dataSync());
  expect(got.length).toBe(expected.length);
  got.forEach((v, i) => {
    if (!(Math.abs(v - expected[i]) <= tol)) throw new Error(`index ${i}: got ${v}, expected ${expected[i]}`);
  });
}
const flat = (t: Tensor): number[] => Array.from(t.dataSync());

const A = tf.tensor([4, 2, 0.6, 2, 5, 1, 0.6, 1, 3], [3, 3]); // symmetric positive definite
const M = tf.tensor([1, 2, 3, 4, 5, 6], [2, 3]);

describe("keras.ops.linalg", () => {
  it("cholesky and choleskyInverse", () => {
    const l = linalg.cholesky(A);
    close(tf.matMul(l, l, false, true), flat(A), 1e-5, [3, 3]);
    expect(l.dataSync()[1]).toBe(0);
    const u = linalg.cholesky(A, true);
    close(tf.matMul(u, u, true, false), flat(A), 1e-5);
    close(linalg.choleskyInverse(l), flat(linalg.inv(A)), 1e-5);
    close(linalg.choleskyInverse(u, true), flat(linalg.inv(A)), 1e-5);
    expect(flat(linalg.cholesky(tf.tensor([[1, 2], [2, 1]]))).every(Number.isNaN)).toBe(true);
  });
  it("det, inv, solve, batched", () => {
    close(linalg.det(tf.tensor([[1, 2], [3, 4]])), [-2], 1e-5, []);
    const batch = tf.stack([A, tf.eye(3)]);
    close(linalg.det(batch), [4 * 14 - 2 * 5.4 + 0.6 * (2 - 3), 1], 1e-4, [2]);
    close(tf.matMul(linalg.inv(A), A), flat(tf.eye(3)), 1e-5);
    const b = tf.tensor([1, 2, 3]);
    const x = linalg.solve(A, b);
    expect(x.shape).toEqual([3]);
    close(tf.matMul(A, tf.reshape(x, [3, 1])), [1, 2, 3], 1e-5);
    const xb = linalg.solve(batch, tf.ones([2, 3, 2]));
    expect(xb.shape).toEqual([2, 3, 2]);
    expect(flat(linalg.inv(tf.tensor([[1, 2], [2, 4]]))).some((v) => !Number.isFinite(v))).toBe(true);
  });
  it("solveTriangular and luFactor", () => {
    const l = tf.tensor([[2, 0], [1, 3]]);
    close(linalg.solveTriangular(l, tf.tensor([2, 7]), true), [1, 2], 1e-6);
    close(linalg.solveTriangular(tf.transpose(l), tf.tensor([5, 6])), [1.5, 2], 1e-6);
    const [lu, piv] = linalg.luFactor(tf.tensor([[1, 2], [3, 4]]));
    expect(piv.dtype).toBe("int32");
    expect(flat(piv)).toEqual([1, 1]);
    close(lu, [3, 4, 1 / 3, 2 - 4 / 3], 1e-6);
  });
  it("qr, svd, eigh", () => {
    const [q, r] = linalg.qr(M);
    expect(q.shape).toEqual([2, 2]);
    close(tf.matMul(q, r), flat(M), 1e-5);
    const [u, s, vh] = linalg.svd(M);
    expect([u.shape, s.shape, vh.shape]).toEqual([[2, 2], [2], [3, 3]]);
    close(s, [9.508032, 0.7728696], 1e-4);
    const recon = tf.matMul(tf.mul(u, s), tf.slice(vh, [0, 0], [2, 3]));
    close(recon, flat(M), 1e-4);
    close(tf.matMul(vh, vh, false, true), flat(tf.eye(3)), 1e-5);
    const [ur, , vr] = linalg.svd(M, false);
    expect([ur.shape, vr.shape]).toEqual([[2, 2], [2, 3]]);
    close(linalg.svd(tf.transpose(M), false, false), [9.508032, 0.7728696], 1e-4);
    const [w, v] = linalg.eigh(tf.tensor([[2, 1], [1, 2]]));
    close(w, [1, 3], 1e-6);
    close(tf.matMul(tf.tensor([[2, 1], [1, 2]]), v), flat(tf.mul(v, w)), 1e-5);
  });
  it("pinv, lstsq, matrixRank, matrixPower", () => {
    close(tf.matMul(tf.matMul(M, linalg.pinv(M)), M), flat(M), 1e-4);
    const a = tf.tensor([[0, 1], [1, 1], [2, 1], [3, 1]]);
    close(linalg.lstsq(a, tf.tensor([-1, 0.2, 0.9, 2.1])), [1, -0.95], 1e-4, [2]);
    expect(flat(linalg.matrixRank(M))).toEqual([2]);
    expect(flat(linalg.matrixRank(tf.tensor([[1, 2], [2, 4]])))).toEqual([1]);
    close(linalg.matrixPower(tf.tensor([[1, 1], [0, 1]]), 3), [1, 3, 0, 1], 1e-6);
    close(linalg.matrixPower(tf.tensor([[2, 0], [0, 4]]), -1), [0.5, 0, 0, 0.25], 1e-6);
    close(linalg.matrixPower(tf.tensor([[2, 0], [0, 4]]), 0), [1, 0, 0, 1], 1e-6);
  });
  it("norm: vector and matrix orders", () => {
    const v = tf.tensor([3, -4, 0]);
    close(linalg.norm(v), [5], 1e-6, []);
    close(linalg.norm(v, 1), [7], 1e-6);
    close(linalg.norm(v, Infinity), [4], 1e-6);
    close(linalg.norm(v, -Infinity), [0], 1e-6);
    close(linalg.norm(v, 0), [2], 1e-6);
    close(linalg.norm(v, 3), [Math.cbrt(27 + 64)], 1e-5);
    const m = tf.tensor([[1, -2], [3, 4]]);
    close(linalg.norm(m), [Math.sqrt(30)], 1e-5);
    close(linalg.norm(m, "fro"), [Math.sqrt(30)], 1e-5);
    close(linalg.norm(m, 1), [6], 1e-6);
    close(linalg.norm(m, -1), [4], 1e-6);
    close(linalg.norm(m, Infinity), [7], 1e-6);
    close(linalg.norm(m, -Infinity), [3], 1e-6);
    close(linalg.norm(m, 2), [5.116672736], 1e-4);
    close(linalg.norm(m, "nuc"), [5.116672736 + 1.954395076], 1e-4);
    close(linalg.norm(m, null, 1), [Math.sqrt(5), 5], 1e-6, [2]);
    close(linalg.norm(m, null, 0, true), [Math.sqrt(10), Math.sqrt(20)], 1e-6, [1, 2]);
    close(linalg.norm(tf.stack([m, m]), "fro", [1, 2], true), [Math.sqrt(30), Math.sqrt(30)], 1e-5, [2, 1, 1]);
    const g = tf.grad((x: Tensor) => linalg.norm(x) as Tensor)(tf.tensor([3, 4]));
    close(g, [0.6, 0.8], 1e-6);
  });
  it("symbolic shapes and no leaks", () => {
    const k = new KerasTensor([null, 4, 4]);
    expect(linalg.inv(k).shape).toEqual([null, 4, 4]);
    expect(linalg.det(k).shape).toEqual([null]);
    const before = tf.memory().numTensors;
    const outs = [
      linalg.cholesky(A), linalg.det(A), linalg.inv(A), linalg.solve(A, tf.ones([3])), ...linalg.qr(A), ...linalg.svd(M),
      ...linalg.eigh(A), linalg.pinv(M), linalg.matrixRank(M), linalg.matrixPower(A, -2), linalg.norm(A, 2), linalg.norm(A, 1),
      ...linalg.luFactor(A), linalg.solveTriangular(A, tf.ones([3, 1])),
    ];
    expect(tf.memory().numTensors - before).toBe(outs.length + 2);
  });
});
