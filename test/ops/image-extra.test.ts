// gaussianBlur, sobelEdges, mapCoordinates, extractPatches3d, perspectiveTransform, ssim.
// Expected values from scipy.ndimage with mode="constant" (zero padding, as Keras's JAX backend).
import { describe, expect, it } from "vitest";
import { KerasTensor } from "../../lib/backend/keras-tensor.js";
import * as image from "../../lib/ops/image.js";
import { expectKeras, expectNoLeak, expectTensor, tf } from "./ops-test-utils.js";

const IMG = [
  [0.0, 0.1, 0.28284271, 0.51961524],
  [0.8, 1.11803399, 1.46969385, 1.85202592],
  [2.2627417, 2.7, 3.16227766, 3.64828727],
  [4.15692194, 4.68721666, 5.23832034, 5.80947502],
];
const img = (): tf.Tensor => tf.tensor(IMG.flat(), [4, 4, 1]);

describe("gaussianBlur / sobelEdges", () => {
  it("gaussianBlur matches ndimage.correlate with a 3x3 Gaussian (sigma 1)", () => {
    const x = img();
    const expected = [
      [0.19543683, 0.36438943, 0.5395857, 0.48087415],
      [0.79234207, 1.28485624, 1.61793125, 1.33508983],
      [1.84630378, 2.81825371, 3.2741207, 2.58920221],
      [1.91225947, 2.86242024, 3.2379487, 2.52423839],
    ];
    expectTensor(image.gaussianBlur(x), expected.map((r) => r.map((v) => [v])), "float32", [4, 4, 1]);
    const cf = image.gaussianBlur(tf.reshape(x, [1, 1, 4, 4]), [3, 3], [1, 1], "channels_first");
    expectTensor(cf, [[expected]], undefined, [1, 1, 4, 4]);
    expectNoLeak(() => image.gaussianBlur(x, [5, 5], [2, 2]));
    expectKeras(image.gaussianBlur(new KerasTensor([null, 8, 8, 3])), [null, 8, 8, 3], "float32");
    x.dispose();
  });

  it("sobelEdges returns [dy, dx] as ndimage.sobel", () => {
    const x = img();
    const e = image.sobelEdges(tf.expandDims(x, 0));
    expect(e.shape).toEqual([1, 4, 4, 1, 2]);
    const dy = [
      [2.71803399, 4.50576182, 5.9094476, 5.17374568],
      [7.1254834, 10.34217665, 11.48754192, 9.136779],
      [10.28302655, 14.26391377, 15.06388476, 11.6835247],
      [-7.2254834, -10.82501936, -12.67284259, -10.4588522],
    ];
    const dx = [
      [1.31803399, 1.23537927, 1.57322241, -2.03537927],
      [5.03606798, 2.52176636, 2.83588637, -6.38450806],
      [11.20525065, 3.55016417, 3.75282483, -13.03256951],
      [12.07443332, 3.06233277, 3.19280399, -13.63891834],
    ];
    expectTensor(e, [dy.map((r, i) => r.map((v, j) => [[v, dx[i]![j]!]]))]);
    const cf = image.sobelEdges(tf.reshape(x, [1, 1, 4, 4]), "channels_first");
    expect(cf.shape).toEqual([1, 1, 4, 4, 2]);
    expectTensor(tf.squeeze(tf.slice(cf, [0, 0, 0, 0, 1], [1, 1, 4, 4, 1])), dx);
    expectKeras(image.sobelEdges(new KerasTensor([null, 8, 8, 3])), [null, 8, 8, 3, 2], "float32");
    x.dispose();
  });
});

describe("mapCoordinates", () => {
  const coords = [
    [0.5, 1.25, 2.0, 3.0],
    [0.5, 2.5, 0.0, 2.75],
  ];
  it("order 1 matches scipy (nearest mode), order 0 rounds halves to even", () => {
    expectTensor(image.mapCoordinates(IMG, coords, 1, "nearest"), [0.5045085, 2.09696553, 2.2627417, 5.66668635], "float32", [4]);
    expectTensor(image.mapCoordinates(IMG, coords, 0), [0, 1.46969385, 2.2627417, 5.80947502]);
  });
  it("fill modes outside the input", () => {
    const x = [1, 2, 3];
    const c = [[-1, 3, 4, -0.5]];
    expectTensor(image.mapCoordinates(x, c, 0, "constant", 9), [9, 9, 9, 1]); // -0.5 rounds to 0
    expectTensor(image.mapCoordinates(x, c, 0, "nearest"), [1, 3, 3, 1]);
    expectTensor(image.mapCoordinates(x, c, 0, "wrap"), [3, 1, 2, 1]);
    expectTensor(image.mapCoordinates(x, c, 0, "mirror"), [2, 2, 1, 1]);
    expectTensor(image.mapCoordinates(x, c, 0, "reflect"), [1, 3, 2, 1]);
    // Linear, constant: the neighbour outside counts as the fill value.
    expectTensor(image.mapCoordinates(tf.tensor1d([1, 2, 3]), [[-0.5, 2.5]], 1, "constant", 0), [0.5, 1.5], "float32");
    // Integer inputs give integers, halves rounded away from zero.
    expectTensor(image.mapCoordinates(x, [[-0.5, 2.5]], 1, "constant", 0), [1, 2], "int32");
    expect(() => image.mapCoordinates(x, [[0], [0]], 1)).toThrow(/rank of `inputs`/);
    expectNoLeak(() => image.mapCoordinates(IMG, coords, 1));
  });
});

describe("extractPatches3d", () => {
  it("patches in row-major order with channels innermost", () => {
    const v = tf.reshape(tf.range(0, 16), [2, 2, 4, 1]);
    const p = image.extractPatches3d(v, [2, 2, 2]);
    expect(p.shape).toEqual([1, 1, 2, 8]);
    expectTensor(p, [[[[0, 1, 4, 5, 8, 9, 12, 13], [2, 3, 6, 7, 10, 11, 14, 15]]]]);
    expectKeras(image.extractPatches3d(new KerasTensor([null, 4, 4, 4, 2]), 2), [null, 2, 2, 2, 16], "float32");
    expectNoLeak(() => image.extractPatches3d(v, 2, 1, 1, "same"));
    v.dispose();
  });
});

describe("perspectiveTransform", () => {
  it("identity points keep the image; shifted points translate it", () => {
    const x = tf.reshape(tf.range(1, 17), [1, 4, 4, 1]);
    const pts = [[0, 0], [3, 0], [0, 3], [3, 3]];
    expectTensor(image.perspectiveTransform(x, pts, pts), x.arraySync() as number[][][][]);
    // Content at start points moves one pixel to the right.
    const moved = image.perspectiveTransform(x, pts, pts.map(([a, b]) => [a! + 1, b!]), "nearest");
    expectTensor(tf.reshape(moved, [4, 4]), [[0, 1, 2, 3], [0, 5, 6, 7], [0, 9, 10, 11], [0, 13, 14, 15]]);
    expectKeras(image.perspectiveTransform(new KerasTensor([2, 8, 8, 3]), pts, pts), [2, 8, 8, 3], "float32");
    expect(() => image.perspectiveTransform(x, [[0, 0]], pts)).toThrow(/start_points/);
    x.dispose();
  });
});

describe("ssim", () => {
  it("1 for identical images; per-pixel formula for a 1x1 window", () => {
    const a = tf.tensor4d([0.1, 0.5, 0.9, 0.3, 0.7, 0.2, 0.4, 0.8, 0.6, 0.05, 0.95, 0.35, 0.15, 0.45, 0.55, 0.65], [1, 4, 4, 1]);
    expectTensor(image.ssim(a, a), [1], "float32", [1]);
    const b = tf.add(a, 0.1);
    // With filterSize 1 the variances vanish: ssim = mean((2ab + c1) / (a² + b² + c1)).
    const av = a.dataSync();
    const c1 = 0.01 ** 2;
    const expected = Array.from(av).reduce((s, v) => s + (2 * v * (v + 0.1) + c1) / (v * v + (v + 0.1) ** 2 + c1), 0) / av.length;
    expectTensor(image.ssim(a, b, { filterSize: 1 }), [expected]);
    expect((image.ssim(tf.squeeze(a, [0]), tf.squeeze(b, [0]), { filterSize: 3 }) as tf.Tensor).shape).toEqual([]);
    expectKeras(image.ssim(new KerasTensor([null, 16, 16, 3]), new KerasTensor([null, 16, 16, 3])), [null], "float32");
    expectNoLeak(() => image.ssim(a, b, { filterSize: 3 }));
    a.dispose();
    b.dispose();
  });
});
