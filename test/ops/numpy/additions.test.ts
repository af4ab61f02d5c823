// copy, corrcoef, i0, slogdet, vectorize (keras.ops.numpy), values from NumPy / SciPy.
import { describe, expect, it } from "vitest";
import { KerasTensor } from "../../../lib/backend/keras-tensor.js";
import * as np from "../../../lib/ops/numpy/index.js";
import { Variable } from "../../../lib/backend/variable.js";
import { disposeAll, expectKeras, expectNoLeak, expectTensor, tf } from "../ops-test-utils.js";

describe("copy", () => {
  it("returns a new tensor with the same values and dtype", () => {
    const x = tf.tensor([1, 2, 3], [3], "int32");
    const y = np.copy(x);
    expect(y).not.toBe(x);
    expectTensor(y, [1, 2, 3], "int32");
    x.dispose();
    expectTensor(y, [1, 2, 3]);
    y.dispose();
    const v = new Variable(tf.tensor([1.5, 2.5]));
    const c = np.copy(v);
    expectTensor(c, [1.5, 2.5], "float32");
    c.dispose();
    expectTensor(v.value, [1.5, 2.5]);
    v.dispose();
    expectNoLeak(() => np.copy([[1, 2]]));
    expectKeras(np.copy(new KerasTensor([null, 3], { dtype: "int32" })), [null, 3], "int32");
  });
});

describe("corrcoef", () => {
  it("matches numpy.corrcoef", () => {
    // np.corrcoef([[1,2,3,4],[2,4,5,9],[4,3,2,1]])
    expectTensor(
      np.corrcoef([
        [1, 2, 3, 4],
        [2, 4, 5, 9],
        [4, 3, 2, 1],
      ]),
      [
        [1, 0.9647638212377321, -1],
        [0.9647638212377321, 1, -0.9647638212377321],
        [-1, -0.9647638212377321, 1],
      ],
      "float32",
      [3, 3],
    );
    expectTensor(np.corrcoef([1, 2, 3]), 1, "float32", []);
    expectNoLeak(() => np.corrcoef([[1, 2], [3, 5]]));
    expectKeras(np.corrcoef(new KerasTensor([4, 10])), [4, 4], "float32");
  });
});

describe("i0", () => {
  it("matches scipy.special.i0 / numpy.i0", () => {
    // np.i0([0, 0.5, 1, -2, 3.75, 5, 10])
    expectTensor(
      np.i0([0, 0.5, 1, -2, 3.75, 5, 10]),
      [1, 1.0634833707413236, 1.2660658777520082, 2.2795853023360673, 9.118945860844566, 27.239871823604442, 2815.716628466254],
      "float32",
      undefined,
      2e-6,
    );
    expectTensor(np.i0(tf.tensor([1], [1], "int32")), [1.2660658777520082], "float32");
    expectNoLeak(() => np.i0([1, 20]));
  });
});

describe("slogdet", () => {
  it("returns [sign, logabsdet] as numpy.linalg.slogdet", () => {
    const [s, l] = np.slogdet([
      [1, 2],
      [3, 4],
    ]);
    expectTensor(s, -1, "float32", []);
    expectTensor(l, Math.log(2));
    const [s2, l2] = np.slogdet([
      [
        [2, 0, 0],
        [0, 3, 0],
        [0, 0, 4],
      ],
      [
        [0, 1, 0],
        [1, 0, 0],
        [0, 0, -5],
      ],
      [
        [1, 2, 3],
        [2, 4, 6],
        [1, 0, 1],
      ],
    ]);
    expectTensor(s2, [1, 1, 0], "float32", [3]);
    expectTensor(l2, [Math.log(24), Math.log(5), -Infinity]);
    disposeAll([s, l, s2, l2]);
    expect(() => np.slogdet([[1, 2, 3]])).toThrow(/square/);
    expectNoLeak(() => np.slogdet([[2]]));
    const [ks, kl] = np.slogdet(new KerasTensor([null, 3, 3]));
    expectKeras(ks, [null], "float32");
    expectKeras(kl, [null], "float32");
  });
});

describe("vectorize", () => {
  it("maps a scalar function over broadcast inputs", () => {
    const vadd = np.vectorize((a: tf.Tensor, b: tf.Tensor) => tf.add(a, b));
    const r = vadd([1, 2, 3, 4], 2);
    expectTensor(r, [3, 4, 5, 6], "int32", [4]);
    disposeAll(r);
    const r2 = vadd([[1], [2]], [10, 20, 30]);
    expectTensor(r2, [[11, 21, 31], [12, 22, 32]], undefined, [2, 3]);
    disposeAll(r2);
  });
  it("follows a gufunc signature, with excluded arguments", () => {
    const mv = np.vectorize((m: tf.Tensor, v: tf.Tensor) => tf.squeeze(tf.matMul(m, tf.reshape(v, [-1, 1])), [1]), { signature: "(m,n),(n)->(m)" });
    const m = [
      [
        [1, 0],
        [0, 2],
      ],
      [
        [0, 1],
        [1, 0],
      ],
    ];
    const r = mv(m, [3, 4]);
    expectTensor(r, [[3, 8], [4, 3]], undefined, [2, 2]);
    disposeAll(r);
    const scaled = np.vectorize((x: tf.Tensor, k: number) => tf.mul(x, k), { excluded: [1] });
    const r2 = scaled([1, 2], 3);
    expectTensor(r2, [3, 6]);
    disposeAll(r2);
    const twoOut = np.vectorize((v: tf.Tensor) => [tf.min(v), tf.max(v)], { signature: "(n)->(),()" });
    const outs = twoOut([[1, 5, 2], [7, 0, 3]]) as tf.Tensor[];
    expectTensor(outs[0], [1, 0]);
    expectTensor(outs[1], [5, 7]);
    disposeAll(outs);
    expect(() => mv([[1, 2]], [1, 2, 3])).toThrow(/inconsistent size for core dimension n/);
    expectNoLeak(() => scaled([1, 2], 2));
  });
  it("records a graph node on KerasTensors", () => {
    const vf = np.vectorize((a: tf.Tensor) => tf.square(a));
    expectKeras(vf(new KerasTensor([2, 3])), [2, 3], "float32");
  });
});
