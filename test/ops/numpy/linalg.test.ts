import { describe, expect, it } from "vitest";
import { KerasTensor } from "../../../lib/backend/keras-tensor.js";
import * as ops from "../../../lib/ops/numpy/linalg.js";
import { expectKeras, expectNoLeak, expectTensor, tf } from "../ops-test-utils.js";

const a = [
  [1, 2],
  [3, 4],
];
const b = [
  [5, 6],
  [7, 8],
];

function randn(shape: number[], seed: number): tf.Tensor {
  return tf.randomNormal(shape, 0, 1, "float32", seed);
}

describe("matmul / dot", () => {
  it("2-D and 1-D cases", () => {
    expectTensor(ops.matmul(a, b), [[19, 22], [43, 50]], "int32");
    expectTensor(ops.matmul(a, [1, 1]), [3, 7], "int32", [2]);
    expectTensor(ops.matmul([1, 1], a), [4, 6], "int32", [2]);
    expectTensor(ops.matmul([1, 2], [3, 4]), 11, "int32", []);
    expectTensor(ops.matmul(a, [[0.5], [0.5]]), [[1.5], [3.5]], "float32");
    expect(() => ops.matmul(a, [1, 2, 3])).toThrow(/incompatible/);
  });
  it("broadcasts batch dims", () => {
    const x = tf.ones([2, 1, 3, 4]);
    const y = tf.ones([5, 4, 2]);
    const r = ops.matmul(x, y);
    expect(r.shape).toEqual([2, 5, 3, 2]);
    expect(r.dataSync()[0]).toBe(4);
    tf.dispose([x, y, r]);
    expectKeras(ops.matmul(new KerasTensor([null, 3, 4]), new KerasTensor([4, 5])), [null, 3, 5]);
    expectKeras(ops.matmul(new KerasTensor([null, 4]), new KerasTensor([4])), [null]);
  });
  it("dot", () => {
    expectTensor(ops.dot(3, 4), 12);
    expectTensor(ops.dot([1, 2], [3, 4]), 11);
    expectTensor(ops.dot(a, b), [[19, 22], [43, 50]]);
    expectTensor(ops.dot(a, [1, 1]), [3, 7]);
    // N-D · M-D: sum over last of a and second-to-last of b
    const x = tf.reshape(tf.range(0, 12, 1, "float32"), [2, 3, 2]);
    const y = tf.reshape(tf.range(0, 8, 1, "float32"), [2, 2, 2]);
    const r = ops.dot(x, y);
    expect(r.shape).toEqual([2, 3, 2, 2]);
    // r[1,2,1,0] = sum_k x[1,2,k] * y[1,k,0] = 10*4 + 11*6 = 106
    expect((r.arraySync() as number[][][][])[1]![2]![1]![0]).toBe(106);
    tf.dispose([x, y, r]);
  });
});

describe("einsum", () => {
  it("matches matmul-based references on many patterns", () => {
    const x = randn([2, 3, 4], 1);
    const y = randn([2, 4, 5], 2);
    const z = randn([4, 4], 3);
    const v = randn([4], 4);
    const close = (p: tf.Tensor, q: tf.Tensor): void => {
      expect(p.shape).toEqual(q.shape);
      const d = tf.max(tf.abs(tf.sub(p, q))).dataSync()[0]!;
      expect(d).toBeLessThan(1e-4);
      tf.dispose([p, q]);
    };
    close(ops.einsum("bij,bjk->bik", x, y), tf.matMul(x, y));
    close(ops.einsum("...ij,...jk->...ik", x, y), tf.matMul(x, y));
    // implicit output: labels seen once, sorted (b is summed)
    close(ops.einsum("bij,bjk", x, y), tf.tidy(() => tf.sum(tf.matMul(x, y), 0)));
    close(ops.einsum("ij->ji", z), tf.transpose(z));
    close(ops.einsum("ii->i", z), tf.tidy(() => tf.sum(tf.mul(z, tf.eye(4)), 1)));
    close(ops.einsum("ii", z), tf.tidy(() => tf.sum(tf.mul(z, tf.eye(4)))));
    close(ops.einsum("bij->", x), tf.sum(x));
    close(ops.einsum("bij->j", x), tf.sum(x, [0, 1]));
    close(ops.einsum("i,i->", v, v), tf.sum(tf.mul(v, v)));
    close(ops.einsum("i,j->ij", v, v), tf.tidy(() => tf.mul(tf.reshape(v, [4, 1]), tf.reshape(v, [1, 4]))));
    close(ops.einsum("bij,j->bi", x, v), tf.tidy(() => tf.sum(tf.mul(x, v), 2)));
    close(ops.einsum("bij,jk,bkl->bil", x, z, y), tf.tidy(() => tf.matMul(tf.matMul(x, tf.broadcastTo(z, [2, 4, 4])), y)));
    close(ops.einsum("...j,j", x, v), tf.tidy(() => tf.sum(tf.mul(x, v), 2)));
    close(ops.einsum("bij,bkj->bik", x, x), tf.matMul(x, x, false, true));
    tf.dispose([x, y, z, v]);
  });
  it("dtype and errors", () => {
    expectTensor(ops.einsum("ij,jk->ik", a, b), [[19, 22], [43, 50]], "int32");
    expect(() => ops.einsum("ij,jk->ik", a)).toThrow(/operands/);
    expect(() => ops.einsum("ij,jk->il", a, b)).toThrow(/does not appear/);
    expectKeras(ops.einsum("bij,jk->bik", new KerasTensor([null, 3, 4]), new KerasTensor([4, 2])), [null, 3, 2]);
  });
});

describe("tensordot / inner / outer / vdot / kron", () => {
  it("tensordot", () => {
    expectTensor(ops.tensordot(a, b, 1), [[19, 22], [43, 50]]);
    expectTensor(ops.tensordot(a, b, 2), 70);
    expectTensor(ops.tensordot(a, b, [[0], [0]]), [[26, 30], [38, 44]]);
    expectTensor(ops.tensordot(a, b, [1, 1]), [[17, 23], [39, 53]]);
    expectTensor(ops.tensordot(a, b, 0), [[[[5, 6], [7, 8]], [[10, 12], [14, 16]]], [[[15, 18], [21, 24]], [[20, 24], [28, 32]]]]);
  });
  it("inner / outer / vdot", () => {
    expectTensor(ops.inner(a, b), [[17, 23], [39, 53]]);
    expectTensor(ops.inner([1, 2], [3, 4]), 11);
    expectTensor(ops.outer([1, 2], [3, 4, 5]), [[3, 4, 5], [6, 8, 10]]);
    expectTensor(ops.vdot(a, b), 70);
    expectTensor(ops.vdot([1.5, 2], [2, 2]), 7, "float32");
  });
  it("kron", () => {
    expectTensor(ops.kron([1, 10], [1, 2, 3]), [1, 2, 3, 10, 20, 30]);
    expectTensor(ops.kron([[1, 0], [0, 1]], [[1, 2], [3, 4]]), [[1, 2, 0, 0], [3, 4, 0, 0], [0, 0, 1, 2], [0, 0, 3, 4]]);
  });
});

describe("cross / correlate / diff / trapezoid", () => {
  it("cross", () => {
    expectTensor(ops.cross([1, 2, 3], [4, 5, 6]), [-3, 6, -3]);
    expectTensor(ops.cross([1, 2], [4, 5, 6]), [12, -6, -3]);
    expectTensor(ops.cross([1, 2], [4, 5]), -3);
    expectTensor(ops.cross([[1, 2, 3], [4, 5, 6]], [[4, 5, 6], [1, 2, 3]]), [[-3, 6, -3], [3, -6, 3]]);
    // vectors along axis 0, result along axis 0
    expectTensor(ops.cross([[1, 4], [2, 5], [3, 6]], [[4, 1], [5, 2], [6, 3]], { axis: 0 }), [[-3, 3], [6, -6], [-3, 3]]);
  });
  it("correlate (NumPy values)", () => {
    expectTensor(ops.correlate([1, 2, 3], [0, 1, 0.5]), [3.5], "float32");
    expectTensor(ops.correlate([1, 2, 3], [0, 1, 0.5], "same"), [2, 3.5, 3]);
    expectTensor(ops.correlate([1, 2, 3], [0, 1, 0.5], "full"), [0.5, 2, 3.5, 3, 0]);
    // np.correlate([1,2,3,4],[1,2],'same') = [2, 5, 8, 11]; np.correlate([1,2],[1,2,3,4],'same') = [11, 8, 5, 2]
    expectTensor(ops.correlate([1, 2, 3, 4], [1, 2], "same"), [2, 5, 8, 11]);
    expectTensor(ops.correlate([1, 2], [1, 2, 3, 4], "same"), [11, 8, 5, 2]);
    expectTensor(ops.correlate([1, 2], [1, 2, 3, 4], "valid"), [11, 8, 5]);
  });
  it("diff", () => {
    expectTensor(ops.diff([1, 2, 4, 7, 0]), [1, 2, 3, -7], "int32");
    expectTensor(ops.diff([1, 2, 4, 7, 0], 2), [1, 1, -10]);
    expectTensor(ops.diff([[1, 3, 6], [0, 5, 6]], 1, 0), [[-1, 2, 0]]);
    expectTensor(ops.diff([true, false, false]), [true, false], "bool");
    expectKeras(ops.diff(new KerasTensor([null, 5]), 2), [null, 3]);
  });
  it("trapezoid", () => {
    expectTensor(ops.trapezoid([1, 2, 3]), 4, "float32");
    expectTensor(ops.trapezoid([1, 2, 3], { x: [4, 6, 8] }), 8);
    expectTensor(ops.trapezoid([1, 2, 3], { dx: 2 }), 8);
    expectTensor(ops.trapezoid([[0, 1, 2], [3, 4, 5]], { axis: 0 }), [1.5, 2.5, 3.5]);
    expectTensor(ops.trapezoid([[0, 1, 2], [3, 4, 5]]), [2, 8]);
  });
  it("no leaks", () => {
    const x = tf.ones([2, 3, 4]);
    expectNoLeak(() => ops.einsum("bij,bkj->bik", x, x));
    expectNoLeak(() => ops.matmul(x, [[1, 1], [1, 1], [1, 1], [1, 1]]));
    expectNoLeak(() => ops.cross([1, 2, 3], [3, 2, 1]));
    expectNoLeak(() => ops.correlate([1, 2, 3], [1, 1]));
    expectNoLeak(() => ops.kron(x, [[1, 2]]));
    expectNoLeak(() => ops.dot(x, [1, 1, 1, 1]));
    expectNoLeak(() => ops.trapezoid(x, { x: [0, 1, 2, 3] }));
    x.dispose();
  });
});
