import { describe, expect, it } from "vitest";
import { tf, type Tensor } from "../../lib/backend/tfjs.js";
import * as image from "../../lib/ops/image.js";
import { KerasTensor } from "../../lib/backend/keras-tensor.js";

function close(actual: Tensor, expected: number[], tol = 1e-5): void {
  const got = Array.from(actual.dataSync());
  expect(got.length).toBe(expected.length);
  got.forEach((v, i) => {
    if (!(Math.abs(v - expected[i]) <= tol)) throw new Error(`index ${i}: got ${v}, expected ${expected[i]}`);
  });
}

describe("keras.ops.image", () => {
  it("resize bilinear and nearest with half-pixel centers", () => {
    const x = tf.tensor([0, 1, 2, 3], [1, 2, 2, 1]);
    const up = image.resize(x, [4, 4]);
    expect(up.shape).toEqual([1, 4, 4, 1]);
    // jax.image.resize / tf.image.resize (half-pixel) values of the first row.
    close(tf.slice(up, [0, 0, 0, 0], [1, 1, 4, 1]), [0, 0.25, 0.75, 1]);
    const nn = image.resize(x, [4, 4], { interpolation: "nearest" });
    close(tf.slice(nn, [0, 0, 0, 0], [1, 1, 4, 1]), [0, 0, 1, 1]);
    const down = image.resize(tf.reshape(tf.range(0, 16, 1, "float32"), [4, 4, 1]), [2, 2]);
    expect(down.shape).toEqual([2, 2, 1]);
    close(down, [2.5, 4.5, 10.5, 12.5]);
    const cf = image.resize(tf.ones([1, 3, 5, 5]), [2, 3], { dataFormat: "channels_first" });
    expect(cf.shape).toEqual([1, 3, 2, 3]);
    const cropped = image.resize(tf.reshape(tf.range(0, 24, 1, "float32"), [1, 4, 6, 1]), [2, 2], { cropToAspectRatio: true, interpolation: "nearest" });
    expect(cropped.shape).toEqual([1, 2, 2, 1]);
    // Centered 4x4 crop (columns 1..4), then nearest picks rows 1, 3 and crop columns 1, 3.
    close(cropped, [8, 10, 20, 22]);
  });
  it("pad and crop", () => {
    const x = tf.ones([2, 3, 3, 1]);
    const p = image.padImages(x, { topPadding: 1, bottomPadding: 2, leftPadding: 0, targetWidth: 5 });
    expect(p.shape).toEqual([2, 6, 5, 1]);
    expect(tf.sum(p).dataSync()[0]).toBe(18);
    const c = image.cropImages(p, { topCropping: 1, targetHeight: 3, leftCropping: 0, rightCropping: 2 });
    expect(c.shape).toEqual([2, 3, 3, 1]);
    close(c, Array.from(x.dataSync()));
    expect(() => image.padImages(x, { topPadding: 1 })).toThrow(/exactly two/);
  });
  it("color conversions", () => {
    const rgb = tf.tensor([1, 0, 0, 0, 1, 0, 0, 0, 1, 0.5, 0.5, 0.5, 0.2, 0.4, 0.8], [1, 5, 3]);
    close(image.rgbToGrayscale(rgb), [0.2989, 0.587, 0.114, 0.49995, 0.2 * 0.2989 + 0.4 * 0.587 + 0.8 * 0.114]);
    const hsv = image.rgbToHsv(rgb);
    close(hsv, [0, 1, 1, 1 / 3, 1, 1, 2 / 3, 1, 1, 0, 0, 0.5, (4 / 6 + (0.2 - 0.4) / (6 * 0.6)), 0.75, 0.8], 1e-5);
    close(image.hsvToRgb(hsv), Array.from(rgb.dataSync()), 1e-5);
  });
  it("extract patches", () => {
    const x = tf.reshape(tf.range(0, 16, 1, "float32"), [1, 4, 4, 1]);
    const p = image.extractPatches(x, 2);
    expect(p.shape).toEqual([1, 2, 2, 4]);
    close(p, [0, 1, 4, 5, 2, 3, 6, 7, 8, 9, 12, 13, 10, 11, 14, 15]);
    expect(image.extractPatches(tf.ones([2, 5, 5, 3]), [3, 3], 1, 1, "same").shape).toEqual([2, 5, 5, 27]);
  });
  it("affine transform: identity and translation", () => {
    const x = tf.reshape(tf.range(1, 10, 1, "float32"), [1, 3, 3, 1]);
    close(image.affineTransform(x, tf.tensor([1, 0, 0, 0, 1, 0, 0, 0])), Array.from(x.dataSync()));
    // Output (y, x) reads input (y, x + 1): shifts left, zero fill.
    close(image.affineTransform(x, tf.tensor([1, 0, 1, 0, 1, 0, 0, 0]), { interpolation: "nearest" }), [2, 3, 0, 5, 6, 0, 8, 9, 0]);
  });
  it("symbolic and memory", () => {
    expect(image.resize(new KerasTensor([null, 8, 8, 3]), [4, 4]).shape).toEqual([null, 4, 4, 3]);
    const x = tf.randomUniform([2, 6, 6, 3]);
    const before = tf.memory().numTensors;
    const outs = [
      image.resize(x, [3, 3]), image.rgbToGrayscale(x), image.rgbToHsv(x), image.hsvToRgb(x), image.extractPatches(x, 3),
      image.padImages(x, { topPadding: 1, bottomPadding: 1, leftPadding: 1, rightPadding: 1 }),
      image.cropImages(x, { topCropping: 1, bottomCropping: 1, leftCropping: 1, rightCropping: 1 }),
    ];
    expect(tf.memory().numTensors - before).toBe(outs.length);
  });
});
