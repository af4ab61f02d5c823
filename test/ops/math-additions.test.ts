// erfc, cdist, segmentMin, segmentProd, viewAsComplex, viewAsReal, rearrange.
import { describe, expect, it } from "vitest";
import { KerasTensor } from "../../lib/backend/keras-tensor.js";
import * as math from "../../lib/ops/math.js";
import * as ops from "../../lib/ops/index.js";
import { expectKeras, expectNoLeak, expectTensor, tf } from "./ops-test-utils.js";

describe("erfc", () => {
  it("matches scipy.special.erfc, also in the far tail", () => {
    expectTensor(
      math.erfc([0, 0.5, -1, 2, 4, 6]),
      [1, 0.4795001221869535, 1.842700792949715, 0.004677734981047266, 1.541725790028002e-8, 2.1519736712498913e-17],
      "float32",
      undefined,
      1e-6,
    );
    const tail = math.erfc([4, 6]).dataSync();
    expect(Math.abs(tail[0]! / 1.541725790028002e-8 - 1)).toBeLessThan(1e-5);
    expect(Math.abs(tail[1]! / 2.1519736712498913e-17 - 1)).toBeLessThan(1e-5);
    expectKeras(math.erfc(new KerasTensor([null])), [null], "float32");
    expectNoLeak(() => math.erfc([1, 2]));
  });
});

describe("cdist", () => {
  it("pairwise Euclidean distances, batched", () => {
    expectTensor(math.cdist([[0, 0], [1, 1]], [[1, 0], [0, 1], [3, 1]]), [[1, 1, Math.sqrt(10)], [1, 1, 2]], "float32", [2, 3]);
    const x = tf.tensor3d([[[0, 0, 0]], [[1, 2, 2]]]); // [2, 1, 3]
    const y = tf.tensor2d([[0, 0, 0], [0, 0, 1]]); // [2, 3]
    expectTensor(math.cdist(x, y), [[[0, 1]], [[3, Math.sqrt(1 + 4 + 1)]]], "float32", [2, 1, 2]);
    expect(() => math.cdist([[1, 2]], [[1, 2, 3]])).toThrow(/last dimension/);
    expectKeras(math.cdist(new KerasTensor([null, 5, 3]), new KerasTensor([null, 7, 3])), [null, 5, 7], "float32");
    expectNoLeak(() => math.cdist(x, y));
    x.dispose();
    y.dispose();
  });
});

describe("segmentMin / segmentProd", () => {
  it("Keras's docstring examples and empty segments", () => {
    expectTensor(math.segmentMin([1, 2, 10, 20, 100, 200], [0, 0, 1, 1, 2, 2], 3), [1, 10, 100], "int32");
    expectTensor(math.segmentProd([1, 2, 10, 20, 100, 200], [0, 0, 1, 1, 2, 2], 3), [2, 200, 20000], "int32");
    expectTensor(math.segmentMin([1.5, -2, 4], [0, 0, 2]), [-2, Infinity, 4], "float32");
    expectTensor(math.segmentProd([1.5, -2, 4], [0, 0, 2], 4), [-3, 1, 4, 1], "float32");
    expectTensor(math.segmentMin([[1, 5], [3, 2], [0, 9]], [1, 1, 0]), [[0, 9], [1, 2]]);
    expectKeras(math.segmentProd(new KerasTensor([null, 4]), new KerasTensor([null], { dtype: "int32" }), 5), [5, 4], "float32");
    expectNoLeak(() => math.segmentMin([1, 2], [0, 1], 2));
  });
});

describe("viewAsComplex / viewAsReal", () => {
  it("round-trip real pairs and complex64 tensors", () => {
    const c = math.viewAsComplex([[1, 2], [3, 4]]);
    expect(c.dtype).toBe("complex64");
    expect(c.shape).toEqual([2]);
    expectTensor(tf.real(c), [1, 3]);
    expectTensor(tf.imag(c), [2, 4]);
    expectTensor(math.viewAsReal(c), [[1, 2], [3, 4]], "float32", [2, 2]);
    c.dispose();
    expectTensor(math.viewAsReal([1, 2]), [[1, 0], [2, 0]]);
    expect(() => math.viewAsComplex([1, 2, 3])).toThrow(/size 2/);
    expectKeras(math.viewAsComplex(new KerasTensor([null, 3, 2])), [null, 3], "complex64");
    expectNoLeak(() => math.viewAsComplex([[1, 2]]));
    expectNoLeak(() => math.viewAsReal([1, 2]));
  });
});

describe("rearrange", () => {
  const x = tf.reshape(tf.range(0, 24), [2, 3, 4]); // b h w

  it("transposes, merges and splits as einops", () => {
    expectTensor(ops.rearrange(x, "b h w -> b w h"), tf.transpose(x, [0, 2, 1]).arraySync() as number[][][], "float32", [2, 4, 3]);
    expectTensor(ops.rearrange(x, "b h w -> b (h w)"), tf.reshape(x, [2, 12]).arraySync() as number[][], undefined, [2, 12]);
    expectTensor(ops.rearrange(x, "b h w -> (b h) w"), tf.reshape(x, [6, 4]).arraySync() as number[][], undefined, [6, 4]);
    // h (b w): images side by side.
    const side = ops.rearrange(x, "b h w -> h (b w)");
    expect(side.shape).toEqual([3, 8]);
    expectTensor(tf.slice(side, [1, 0], [1, 8]), [[4, 5, 6, 7, 16, 17, 18, 19]]);
    // split w into (w1 w2) with w1 = 2 (w2 inferred), then move w1 to the front.
    const split = ops.rearrange(x, "b h (w1 w2) -> w1 b h w2", { w1: 2 });
    expect(split.shape).toEqual([2, 2, 3, 2]);
    expectTensor(tf.slice(split, [1, 0, 0, 0], [1, 1, 1, 2]), [[[[2, 3]]]]);
    // space to depth, as Keras's docstring: b (h h1) (w w1) c -> b h w (c h1 w1)
    const img = tf.reshape(tf.range(0, 32), [1, 4, 4, 2]);
    const s2d = ops.rearrange(img, "b (h h1) (w w1) c -> b h w (c h1 w1)", { h1: 2, w1: 2 });
    expect(s2d.shape).toEqual([1, 2, 2, 8]);
    // output (0,0,0): c=0 then c=1, each over h1, w1 of the top-left 2x2 block: pixels (0,0),(0,1),(1,0),(1,1)
    expectTensor(tf.slice(s2d, [0, 0, 0, 0], [1, 1, 1, 8]), [[[[0, 2, 8, 10, 1, 3, 9, 11]]]]);
    img.dispose();
  });

  it("ellipsis and unit axes", () => {
    expect(ops.rearrange(x, "b ... -> ... b").shape).toEqual([3, 4, 2]);
    expect(ops.rearrange(x, "b ... -> b (...)").shape).toEqual([2, 12]);
    expect(ops.rearrange(x, "b h w -> b 1 h w").shape).toEqual([2, 1, 3, 4]);
    expect(ops.rearrange(tf.zeros([2, 1, 3]), "a 1 b -> b a").shape).toEqual([3, 2]);
  });

  it("reports bad patterns and works on KerasTensors", () => {
    expect(() => ops.rearrange(x, "b h -> b h")).toThrow(/expects 2 dimension/);
    expect(() => ops.rearrange(x, "b h w -> b h")).toThrow(/not on the right/);
    expect(() => ops.rearrange(x, "b h w -> b h w c")).toThrow(/not on the left/);
    expect(() => ops.rearrange(x, "b h (w1 w2) -> b h w1 w2", { w1: 3 })).toThrow(/cannot split/);
    expect(() => ops.rearrange(x, "b h (w1 w2) -> b h w1 w2")).toThrow(/cannot infer/);
    expectKeras(ops.rearrange(new KerasTensor([null, 6, 8, 3]), "b (h h1) (w w1) c -> b h w (c h1 w1)", { h1: 2, w1: 2 }), [null, 3, 4, 12], "float32");
    expectNoLeak(() => ops.rearrange(x, "b h w -> w (b h)"));
  });
});
