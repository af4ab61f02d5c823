/**
 * keras.ops.image.affineTransform on the shared gather sampler
 * (lib/ops/image-sampler.ts): batches on cpu and wasm, known translations
 * and rotations, every fill mode, layouts and dtypes, gradients, leaks.
 */
import { afterAll, describe, expect, it } from "vitest";
import { tf, type Tensor } from "../../lib/backend/tfjs.js";
import { setBackend } from "../../lib/backend/engine.js";
import { KerasTensor } from "../../lib/backend/keras-tensor.js";
import * as image from "../../lib/ops/image.js";
import { affineMatrix } from "../../lib/layers/preprocessing/image/image-utils.js";

const vals = (t: Tensor): number[] => Array.from(t.dataSync());

function close(actual: Tensor, expected: number[], tol = 1e-5): void {
  const got = vals(actual);
  expect(got.length).toBe(expected.length);
  got.forEach((v, i) => {
    if (!(Math.abs(v - expected[i]) <= tol)) throw new Error(`index ${i}: got ${v}, expected ${expected[i]} (all: ${got.join(", ")})`);
  });
}

/** Deterministic numbers in [0, 1). */
function rand(n: number, seed: number): number[] {
  let s = seed >>> 0 || 1;
  return Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  });
}

afterAll(async () => {
  await setBackend("cpu");
});

describe("keras.ops.image.affineTransform", () => {
  it("transforms every image of a batch (tfjs-cpu's Transform kernel stopped after the first)", () => {
    const x = tf.ones([2, 3, 3, 1]);
    const y = image.affineTransform(x, [1, 0, 0, 0, 1, 0, 0, 0]);
    close(y, new Array(18).fill(1));
    const per = image.affineTransform(x, tf.tensor2d([[1, 0, 0, 0, 1, 0, 0, 0], [1, 0, 1, 0, 1, 0, 0, 0]]), { interpolation: "nearest" });
    close(per, [...new Array(9).fill(1), 1, 1, 0, 1, 1, 0, 1, 1, 0]);
    tf.dispose([x, y, per]);
  });

  it("a batch of two gives the same result on cpu and on wasm, for every fill mode and interpolation", async () => {
    const shape = [2, 5, 6, 3];
    const data = rand(2 * 5 * 6 * 3, 7);
    const transforms = [
      [1.1, 0.2, -0.7, -0.15, 0.9, 1.3, 0, 0],
      [0.8, -0.3, 2.2, 0.25, 1.2, -1.6, 0.01, -0.02],
    ];
    const run = (): number[][] => {
      const out: number[][] = [];
      const x = tf.tensor(data, shape);
      for (const fillMode of ["constant", "nearest", "wrap", "reflect", "mirror"] as const) {
        for (const interpolation of ["bilinear", "nearest"] as const) {
          const y = image.affineTransform(x, transforms, { fillMode, interpolation, fillValue: 0.5 });
          out.push(vals(y));
          y.dispose();
        }
      }
      x.dispose();
      return out;
    };
    await setBackend("cpu");
    const cpu = run();
    await setBackend("wasm");
    const before = tf.memory().numTensors;
    const wasm = run();
    expect(tf.memory().numTensors).toBe(before);
    await setBackend("cpu");
    expect(wasm.length).toBe(cpu.length);
    cpu.forEach((c, k) => c.forEach((v, i) => expect(Math.abs(v - wasm[k][i])).toBeLessThan(1e-5)));
    // The second image really was transformed by its own matrix (not a copy of the first's result).
    const half = cpu[0].length / 2;
    expect(cpu[0].slice(half)).not.toEqual(cpu[0].slice(0, half));
  });

  it("translation of a known pattern, with Keras's five fill modes", () => {
    // One row [1, 2, 3, 4]; the output x reads the input x - 2 (shift right by 2).
    const x = tf.tensor([1, 2, 3, 4], [1, 1, 4, 1]);
    const shift = [1, 0, -2, 0, 1, 0, 0, 0];
    const run = (fillMode: image.AffineTransformOptions["fillMode"], fillValue = 0): Tensor =>
      image.affineTransform(x, shift, { interpolation: "nearest", fillMode, fillValue });
    close(run("constant", 9), [9, 9, 1, 2]);
    close(run("nearest"), [1, 1, 1, 2]);
    close(run("wrap"), [3, 4, 1, 2]);
    close(run("reflect"), [2, 1, 1, 2]); // d c b a | a b c d
    close(run("mirror"), [3, 2, 1, 2]); // d c b | a b c d
    // Bilinear, half a pixel left: the last pixel mixes in the constant fill.
    close(image.affineTransform(x, [1, 0, 0.5, 0, 1, 0, 0, 0]), [1.5, 2.5, 3.5, 2]);
    close(image.affineTransform(x, [1, 0, 0.5, 0, 1, 0, 0, 0], { fillValue: 10 }), [1.5, 2.5, 3.5, 7]);
    close(image.affineTransform(x, [1, 0, 0.5, 0, 1, 0, 0, 0], { fillMode: "nearest" }), [1.5, 2.5, 3.5, 4]);
    // 2-D: down 1 and left 1 on a 3x3 image.
    const g = tf.tensor([1, 2, 3, 4, 5, 6, 7, 8, 9], [3, 3, 1]);
    close(image.affineTransform(g, [1, 0, 1, 0, 1, -1, 0, 0], { interpolation: "nearest" }), [0, 0, 0, 2, 3, 0, 5, 6, 0]);
    tf.dispose([x, g]);
  });

  it("rotation of a known pattern (90° about the center), also from Keras's affine matrix", () => {
    const x = tf.tensor([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 3, 3, 1]);
    // Output (x, y) reads input (2 - y, x): a quarter turn counterclockwise.
    const rot = [0, -1, 2, 1, 0, 0, 0, 0];
    close(image.affineTransform(x, rot), [3, 6, 9, 2, 5, 8, 1, 4, 7]);
    const m = affineMatrix({ centerX: 0.5, centerY: 0.5, angle: 90, translateX: 0, translateY: 0, scale: 1, shearX: 0, shearY: 0, height: 3, width: 3 });
    m.forEach((v, i) => expect(v).toBeCloseTo(rot[i], 6));
    close(image.affineTransform(x, m), [3, 6, 9, 2, 5, 8, 1, 4, 7], 1e-5);
    // 180°: the image reversed.
    close(image.affineTransform(x, [-1, 0, 2, 0, -1, 2, 0, 0]), [9, 8, 7, 6, 5, 4, 3, 2, 1]);
    x.dispose();
  });

  it("channels_first, rank 3, integer dtypes, projective rows", () => {
    const hwc = tf.tensor(rand(4 * 5 * 2, 3), [4, 5, 2]);
    const t = [0.9, 0.1, 0.3, -0.2, 1.1, 0.4, 0.02, 0.01];
    const a = image.affineTransform(hwc, t, { fillMode: "reflect" });
    expect(a.shape).toEqual([4, 5, 2]);
    const chw = tf.transpose(hwc, [2, 0, 1]);
    const b = image.affineTransform(chw, t, { fillMode: "reflect", dataFormat: "channels_first" });
    expect(b.shape).toEqual([2, 4, 5]);
    close(tf.transpose(b, [1, 2, 0]), vals(a));
    const ints = tf.tensor([10, 20, 30, 40], [1, 2, 2, 1], "int32");
    const c = image.affineTransform(ints, [1, 0, 0.5, 0, 1, 0, 0, 0], { fillMode: "nearest" });
    expect(c.dtype).toBe("int32");
    expect(vals(c)).toEqual([15, 20, 35, 40]);
    tf.dispose([hwc, a, chw, b, ints, c]);
  });

  it("gradients flow to the images (bilinear and nearest), matching finite differences", () => {
    const x = tf.tensor(rand(2 * 4 * 4 * 1, 11), [2, 4, 4, 1]);
    const w = tf.tensor(rand(2 * 4 * 4 * 1, 12), [2, 4, 4, 1]);
    const transforms = tf.tensor2d([[0.9, 0.2, 0.4, -0.1, 1.05, 0.3, 0, 0], [1, 0, -1.5, 0, 1, 0.5, 0, 0]]);
    for (const interpolation of ["bilinear", "nearest"] as const) {
      const f = (img: Tensor): Tensor => tf.sum(tf.mul(image.affineTransform(img, transforms, { interpolation, fillMode: "wrap" }), w));
      const g = tf.grad(f)(x);
      expect(g.shape).toEqual(x.shape);
      const analytic = vals(g);
      const base = vals(x);
      const eps = 1e-2;
      for (const i of [0, 5, 10, 17, 22, 31]) {
        const plus = base.slice();
        const minus = base.slice();
        plus[i] += eps;
        minus[i] -= eps;
        const fp = tf.tidy(() => f(tf.tensor(plus, x.shape)).dataSync()[0]);
        const fm = tf.tidy(() => f(tf.tensor(minus, x.shape)).dataSync()[0]);
        expect(analytic[i]).toBeCloseTo((fp - fm) / (2 * eps), 2);
      }
      expect(analytic.some((v) => v !== 0)).toBe(true);
      g.dispose();
    }
    tf.dispose([x, w, transforms]);
  });

  it("symbolic inputs, Keras's errors, no leaks", () => {
    expect(image.affineTransform(new KerasTensor([null, 8, 9, 3]), new KerasTensor([null, 8])).shape).toEqual([null, 8, 9, 3]);
    const x = tf.ones([2, 3, 3, 1]);
    expect(() => image.affineTransform(x, [1, 0, 0, 0, 1, 0, 0, 0], { fillMode: "bogus" as never })).toThrow(/Invalid value for argument `fill_mode`/);
    expect(() => image.affineTransform(x, [1, 0, 0, 0, 1, 0, 0, 0], { interpolation: "cubic" as never })).toThrow(/`interpolation`/);
    const before = tf.memory().numTensors;
    expect(() => image.affineTransform(x, [[[1, 0, 0, 0, 1, 0, 0, 0]]])).toThrow(/Invalid transform rank/);
    expect(() => image.affineTransform(x, [1, 0, 0, 0, 1, 0])).toThrow(/Invalid transform shape/);
    expect(() => image.affineTransform(x, tf.zeros([3, 8]))).toThrow(/Invalid transform shape/);
    expect(() => image.affineTransform(tf.ones([3, 3]), [1, 0, 0, 0, 1, 0, 0, 0])).toThrow(/Invalid images rank/);
    expect(tf.memory().numTensors).toBe(before + 2); // the zeros and ones made for the calls above
    const y = image.affineTransform(x, [1, 0, 0.3, 0, 1, 0.2, 0, 0]);
    expect(tf.memory().numTensors).toBe(before + 3);
    tf.dispose([x, y]);
  });
});
