// keras.ops.linalg.eig: eigenvalues against numpy.linalg.eig, eigenvectors by A v = w v.
import { describe, expect, it } from "vitest";
import { KerasTensor } from "../../lib/backend/keras-tensor.js";
import * as linalg from "../../lib/ops/linalg.js";
import { disposeAll, expectKeras, expectNoLeak, tf } from "./ops-test-utils.js";

function parts(c: tf.Tensor): [number[], number[]] {
  return [Array.from(tf.real(c).dataSync()), Array.from(tf.imag(c).dataSync())];
}

/** Checks A v_i = w_i v_i for every column, in complex arithmetic. */
function checkPairs(a: number[][], w: tf.Tensor, v: tf.Tensor, batch = 0): void {
  const n = a.length;
  const [wr, wi] = parts(w).map((p) => p.slice(batch * n, (batch + 1) * n));
  const [vr, vi] = parts(v).map((p) => p.slice(batch * n * n, (batch + 1) * n * n));
  for (let i = 0; i < n; i++) {
    let norm = 0;
    for (let r = 0; r < n; r++) {
      let ar = 0;
      let ai = 0;
      for (let k = 0; k < n; k++) {
        ar += a[r]![k]! * vr[k * n + i]!;
        ai += a[r]![k]! * vi[k * n + i]!;
      }
      const lr = wr[i]! * vr[r * n + i]! - wi[i]! * vi[r * n + i]!;
      const li = wr[i]! * vi[r * n + i]! + wi[i]! * vr[r * n + i]!;
      expect(Math.hypot(ar - lr, ai - li)).toBeLessThan(1e-4);
      norm += vr[r * n + i]! ** 2 + vi[r * n + i]! ** 2;
    }
    expect(Math.abs(norm - 1)).toBeLessThan(1e-5);
  }
}

describe("eig", () => {
  it("general real matrix with complex eigenvalues", () => {
    const a = [
      [2, -1, 0, 3],
      [1, 3, 2, -1],
      [0, 1, 1, 4],
      [-2, 0, 1, 1],
    ];
    const [w, v] = linalg.eig(a);
    expect(w.dtype).toBe("complex64");
    expect(v.shape).toEqual([4, 4]);
    const [wr, wi] = parts(w);
    const got = wr.map((r, i) => [r, wi[i]!] as [number, number]).sort((p, q) => p[0] - q[0] || p[1] - q[1]);
    // sorted(numpy.linalg.eigvals(a))
    const expected = [
      [-1.02625055, 0],
      [1.99358868, -2.48154126],
      [1.99358868, 2.48154126],
      [4.03907319, 0],
    ];
    got.forEach(([r, i], k) => {
      expect(Math.abs(r - expected[k]![0]!)).toBeLessThan(1e-4);
      expect(Math.abs(i - expected[k]![1]!)).toBeLessThan(1e-4);
    });
    checkPairs(a, w, v);
    disposeAll([w, v]);
  });

  it("rotation, symmetric, identity and batches", () => {
    const [w, v] = linalg.eig([[0, -1], [1, 0]]);
    const [wr, wi] = parts(w);
    expect(wr.map((x) => Math.abs(x) < 1e-6)).toEqual([true, true]);
    expect([...wi].sort()).toEqual([-1, 1]);
    checkPairs([[0, -1], [1, 0]], w, v);
    const sym = [[2, 1], [1, 2]];
    const [ws, vs] = linalg.eig(tf.tensor3d([sym, [[1, 0], [0, 1]]]));
    expect(ws.shape).toEqual([2, 2]);
    const sw = parts(ws)[0];
    expect([sw[0]!, sw[1]!].sort().map((x) => Math.round(x * 1e5) / 1e5)).toEqual([1, 3]);
    expect(sw.slice(2)).toEqual([1, 1]);
    expect(Math.abs(Math.abs(parts(vs)[0][0]!) - Math.SQRT1_2)).toBeLessThan(1e-5);
    checkPairs(sym, ws, vs, 0);
    checkPairs([[1, 0], [0, 1]], ws, vs, 1);
    disposeAll([w, v, ws, vs]);
    expect(() => linalg.eig([[1, 2, 3]])).toThrow(/square/);
    expectNoLeak(() => linalg.eig([[1, 2], [3, 4]]));
    const [kw, kv] = linalg.eig(new KerasTensor([null, 3, 3]));
    expectKeras(kw, [null, 3], "complex64");
    expectKeras(kv, [null, 3, 3], "complex64");
  });
});
