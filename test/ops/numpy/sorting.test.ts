import { describe, expect, it } from "vitest";
import { KerasTensor } from "../../../lib/backend/keras-tensor.js";
import * as ops from "../../../lib/ops/numpy/sorting.js";
import { expectKeras, expectNoLeak, expectTensor, tf } from "../ops-test-utils.js";

describe("sort / argsort / argpartition", () => {
  it("sort along axes", () => {
    const x = [
      [3, 1, 2],
      [0, 5, -1],
    ];
    expectTensor(ops.sort(x), [[1, 2, 3], [-1, 0, 5]], "int32");
    expectTensor(ops.sort(x, 0), [[0, 1, -1], [3, 5, 2]]);
    expectTensor(ops.sort(x, -2), [[0, 1, -1], [3, 5, 2]]);
    expectTensor(ops.sort(x, null), [-1, 0, 1, 2, 3, 5]);
    expectTensor(ops.sort([0.5, -2.5, 1]), [-2.5, 0.5, 1], "float32");
    expectTensor(ops.sort([true, false, true]), [false, true, true], "bool");
    expectKeras(ops.sort(new KerasTensor([null, 4])), [null, 4]);
  });
  it("argsort is int32 and stable", () => {
    expectTensor(ops.argsort([3, 1, 2]), [1, 2, 0], "int32");
    expectTensor(ops.argsort([2, 1, 2, 1, 2]), [1, 3, 0, 2, 4], "int32");
    expectTensor(ops.argsort([[3, 1], [0, 5]], 0), [[1, 0], [0, 1]]);
    expectKeras(ops.argsort(new KerasTensor([null, 4])), [null, 4], "int32");
  });
  it("argpartition gives a valid partition", () => {
    const x = [5, 1, 4, 2, 3];
    const idx = ops.argpartition(x, 2);
    const arr = idx.arraySync() as number[];
    expect(idx.dtype).toBe("int32");
    expect(x[arr[2]!]).toBe(3);
    for (let i = 0; i < 2; i++) expect(x[arr[i]!]!).toBeLessThanOrEqual(3);
    for (let i = 3; i < 5; i++) expect(x[arr[i]!]!).toBeGreaterThanOrEqual(3);
    idx.dispose();
    expect(() => ops.argpartition(x, 7)).toThrow(/out of bounds/);
  });
  it("no leaks", () => {
    const x = tf.tensor([[3, 1, 2], [0, 5, -1]]);
    expectNoLeak(() => ops.sort(x, 0));
    expectNoLeak(() => ops.argsort(x));
    expectNoLeak(() => ops.argpartition(x, 1));
    x.dispose();
  });
});
