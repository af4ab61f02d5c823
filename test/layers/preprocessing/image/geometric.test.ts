import { describe, expect, it } from "vitest";
import { tf, type Tensor } from "../../../../lib/backend/tfjs.js";
import * as layers from "../../../../lib/layers/index.js";
import { RandomFlip } from "../../../../lib/layers/preprocessing/image/random-flip.js";
import { RandomRotation } from "../../../../lib/layers/preprocessing/image/random-rotation.js";
import { RandomZoom } from "../../../../lib/layers/preprocessing/image/random-zoom.js";
import { RandomTranslation } from "../../../../lib/layers/preprocessing/image/random-translation.js";
import { RandomCrop } from "../../../../lib/layers/preprocessing/image/random-crop.js";
import { setRandomSeed } from "../../../../lib/random/seed-generator.js";
import { expectNoLeaks } from "../../helpers.js";
import { differ, expectSame, flat, rampImage, values } from "./helpers.js";

describe("RandomFlip", () => {
  it("is the identity with training: false", () => {
    const x = rampImage(3, 4);
    expectSame(new RandomFlip().apply(x, { training: false }), x);
  });

  it("horizontal flips reverse the columns, vertical the rows", () => {
    const x = tf.stack([rampImage(2, 3), rampImage(2, 3)]);
    // Run until both images are flipped and a mix happens: check every image is either x or its mirror.
    const layer = new RandomFlip("horizontal", { seed: 3 });
    const mirror = tf.reverse(x, 2);
    let sawFlip = false;
    let sawKeep = false;
    for (let i = 0; i < 10; i++) {
      const y = layer.apply(x, { training: true }) as Tensor;
      for (let b = 0; b < 2; b++) {
        const yb = flat(y.slice([b], [1]));
        if (JSON.stringify(yb) === JSON.stringify(flat(mirror.slice([b], [1])))) sawFlip = true;
        else if (JSON.stringify(yb) === JSON.stringify(flat(x.slice([b], [1])))) sawKeep = true;
        else throw new Error("neither flipped nor kept");
      }
    }
    expect(sawFlip && sawKeep).toBe(true);
    const v = new RandomFlip("vertical", { seed: 1 });
    for (let i = 0; i < 5; i++) {
      const y = v.apply(rampImage(2, 3), { training: true });
      const s = JSON.stringify(values(y));
      expect([JSON.stringify(values(rampImage(2, 3))), JSON.stringify(values(tf.reverse(rampImage(2, 3), 0)))]).toContain(s);
    }
  });

  it("flips channels_first images along their spatial axes", () => {
    const x = tf.transpose(tf.stack([rampImage(2, 3, 2)]), [0, 3, 1, 2]);
    const layer = new RandomFlip("horizontal_and_vertical", { seed: 5, dataFormat: "channels_first" });
    for (let i = 0; i < 4; i++) {
      const y = layer.apply(x, { training: true });
      const s = JSON.stringify(values(y));
      expect([JSON.stringify(values(x)), JSON.stringify(values(tf.reverse(x, [2, 3])))]).toContain(s);
    }
  });

  it("is reproducible with a seed and with setRandomSeed", () => {
    const x = tf.randomUniform([8, 4, 4, 1]);
    const a = new RandomFlip("horizontal", { seed: 11 }).apply(x, { training: true });
    const b = new RandomFlip("horizontal", { seed: 11 }).apply(x, { training: true });
    expectSame(a, b);
    setRandomSeed(4);
    const c = new RandomFlip().apply(x, { training: true });
    setRandomSeed(4);
    const d = new RandomFlip().apply(x, { training: true });
    expectSame(c, d);
  });

  it("augments on a direct call without `training` (Keras's default)", () => {
    const x = tf.randomUniform([16, 3, 3, 1]);
    const layer = new RandomFlip("horizontal", { seed: 2 });
    expect(differ(layer.apply(x), x)).toBe(true);
  });

  it("round-trips its config with Keras's keys", () => {
    const layer = new RandomFlip("vertical", { seed: 7, name: "flip" });
    const config = layer.getConfig();
    expect(config).toMatchObject({ name: "flip", mode: "vertical", seed: 7, data_format: "channels_last" });
    const clone = RandomFlip.fromConfig(config);
    expect(clone.getConfig()).toEqual(config);
    const x = tf.randomUniform([4, 3, 3, 2]);
    expectSame(layer.apply(x, { training: true }), clone.apply(x, { training: true }));
  });

  it("does not leak tensors", () => {
    const layer = new RandomFlip("horizontal_and_vertical", { seed: 1 });
    expectNoLeaks(layer, () => tf.randomUniform([2, 4, 4, 3]), { training: true });
    expectNoLeaks(layer, () => tf.randomUniform([4, 4, 3]), { training: true });
  });
});

describe("RandomRotation", () => {
  it("rotates a quarter turn counter-clockwise with factor [0.25, 0.25]", () => {
    const x = rampImage(3, 3);
    const y = new RandomRotation([0.25, 0.25], { interpolation: "nearest" }).apply(x, { training: true });
    // np.rot90(x): out[i][j] = x[j][2 - i]
    expect(values(tf.squeeze(y, [2]))).toEqual([
      [2, 5, 8],
      [1, 4, 7],
      [0, 3, 6],
    ]);
    const yb = new RandomRotation([0.25, 0.25]).apply(x, { training: true });
    expectSame(yb, y, 1e-4);
  });

  it("rotates every image of a batch (channels_first too)", () => {
    const x = tf.stack([rampImage(3, 3, 2), tf.add(rampImage(3, 3, 2), 100)]);
    const y = new RandomRotation([0.5, 0.5], { interpolation: "nearest" }).apply(x, { training: true });
    expectSame(y, tf.reverse(x, [1, 2]));
    const xf = tf.transpose(x, [0, 3, 1, 2]);
    const yf = new RandomRotation([0.5, 0.5], { interpolation: "nearest", dataFormat: "channels_first" }).apply(xf, { training: true });
    expectSame(yf, tf.reverse(xf, [2, 3]));
  });

  it("fills with the constant fill value and reflects by default", () => {
    const x = tf.ones([1, 5, 5, 1]);
    const y = new RandomRotation([0.125, 0.125], { fillMode: "constant", fillValue: -1, interpolation: "nearest" }).apply(x, { training: true });
    const v = values(y) as number[][][][];
    expect(v[0][0][0][0]).toBe(-1); // corner uncovered
    expect(v[0][2][2][0]).toBe(1); // center kept
    const r = new RandomRotation([0.125, 0.125]).apply(x, { training: true });
    expectSame(r, x); // reflect of a constant image is constant
  });

  it("draws angles in the factor range and is identity with training: false", () => {
    const layer = new RandomRotation(0.1, { seed: 1 });
    const x = tf.randomUniform([2, 8, 8, 3]);
    expectSame(layer.apply(x, { training: false }), x);
    const t = layer.getRandomTransformation(x) as { angle: number[] };
    for (const a of t.angle) expect(Math.abs(a)).toBeLessThanOrEqual(36);
    expect(() => new RandomRotation(1.5)).toThrow(/factor/);
    expect(() => new RandomRotation(0.1, { fillMode: "mirror" as never })).toThrow(/fill_mode/);
  });

  it("passes gradients to its input", () => {
    const layer = new RandomRotation(0.2, { seed: 3 });
    const x = tf.randomUniform([2, 6, 6, 2]);
    const g = tf.grad((v: Tensor) => tf.sum(layer.apply(v, { training: true }) as Tensor))(x);
    expect(g.shape).toEqual(x.shape);
    expect(flat(g).some((v) => v !== 0)).toBe(true);
  });

  it("round-trips its config", () => {
    const layer = new RandomRotation(0.2, { fillMode: "constant", fillValue: 3, seed: 9 });
    const config = layer.getConfig();
    expect(config).toMatchObject({ factor: [-0.2, 0.2], fill_mode: "constant", fill_value: 3, interpolation: "bilinear", seed: 9 });
    const clone = RandomRotation.fromConfig(config);
    expect(clone.getConfig()).toEqual(config);
    const x = tf.randomUniform([2, 5, 5, 1]);
    expectSame(layer.apply(x, { training: true }), clone.apply(x, { training: true }));
  });

  it("does not leak tensors", () => {
    expectNoLeaks(new RandomRotation(0.3), () => tf.randomUniform([2, 5, 5, 3]), { training: true });
  });
});

describe("RandomZoom", () => {
  it("zooms in about the center (factor -0.5 doubles the content)", () => {
    const x = rampImage(5, 5);
    const y = new RandomZoom([-0.5, -0.5], { interpolation: "nearest" }).apply(x, { training: true });
    // in = 0.5 * out + 1: out(0,0) -> in(1,1); out(4,4) -> in(3,3); center fixed
    const v = values(tf.squeeze(y, [2])) as number[][];
    expect(v[2][2]).toBe(12);
    expect(v[0][0]).toBe(6);
    expect(v[4][4]).toBe(18);
  });

  it("zooms out with constant fill (factor 1 halves the content)", () => {
    const x = tf.ones([1, 5, 5, 1]);
    const y = new RandomZoom([1, 1], { fillMode: "constant", interpolation: "nearest" }).apply(x, { training: true });
    const v = values(tf.squeeze(y)) as number[][];
    expect(v[2][2]).toBe(1);
    expect(v[0][0]).toBe(0);
    expect(v[0].reduce((a, b) => a + b, 0)).toBe(0);
  });

  it("uses separate width zooms when widthFactor is set", () => {
    const x = rampImage(5, 5);
    const y = new RandomZoom([0, 0], { widthFactor: [-0.5, -0.5], interpolation: "nearest" }).apply(x, { training: true });
    const v = values(tf.squeeze(y, [2])) as number[][];
    expect(v[0]).toEqual([1, 2, 2, 3, 3]);
    expect(v[4][0]).toBe(21);
  });

  it("round-trips its config and validates factors", () => {
    const layer = new RandomZoom(0.2, { widthFactor: [-0.1, 0.3], seed: 2 });
    const config = layer.getConfig();
    expect(config).toMatchObject({ height_factor: 0.2, width_factor: [-0.1, 0.3], fill_mode: "reflect", seed: 2 });
    expect(RandomZoom.fromConfig(config).getConfig()).toEqual(config);
    expect(() => new RandomZoom(-1)).toThrow(/height_factor/);
  });
});

describe("RandomTranslation", () => {
  it("moves content right and down by the drawn fractions", () => {
    const x = rampImage(4, 4);
    const y = new RandomTranslation([0.25, 0.25], [0.5, 0.5], { fillMode: "constant", fillValue: -1 }).apply(x, { training: true });
    expect(values(tf.squeeze(y, [2]))).toEqual([
      [-1, -1, -1, -1],
      [-1, -1, 0, 1],
      [-1, -1, 4, 5],
      [-1, -1, 8, 9],
    ]);
  });

  it("wraps and reflects", () => {
    const x = rampImage(1, 4);
    const wrap = new RandomTranslation(0, [0.25, 0.25], { fillMode: "wrap", interpolation: "nearest" }).apply(x, { training: true });
    expect(flat(wrap)).toEqual([3, 0, 1, 2]);
    const refl = new RandomTranslation(0, [-0.5, -0.5], { fillMode: "reflect", interpolation: "nearest" }).apply(x, { training: true });
    expect(flat(refl)).toEqual([2, 3, 3, 2]);
    const near = new RandomTranslation(0, [-0.5, -0.5], { fillMode: "nearest" }).apply(x, { training: true });
    expect(flat(near)).toEqual([2, 3, 3, 3]);
  });

  it("round-trips its config", () => {
    const layer = new RandomTranslation(0.1, [-0.2, 0.3], { seed: 5, fillMode: "nearest" });
    const config = layer.getConfig();
    expect(config).toMatchObject({ height_factor: 0.1, width_factor: [-0.2, 0.3], fill_mode: "nearest", seed: 5 });
    const clone = RandomTranslation.fromConfig(config);
    expect(clone.getConfig()).toEqual(config);
    const x = tf.randomUniform([3, 6, 6, 1]);
    expectSame(layer.apply(x, { training: true }), clone.apply(x, { training: true }));
  });
});

describe("RandomCrop", () => {
  it("crops to the target size in training, one window per batch", () => {
    const x = tf.stack([rampImage(6, 6), rampImage(6, 6)]);
    const layer = new RandomCrop(3, 4, { seed: 1 });
    const y = layer.apply(x, { training: true }) as Tensor;
    expect(y.shape).toEqual([2, 3, 4, 1]);
    const v = values(y) as number[][][][];
    const r0 = v[0][0][0][0];
    // a contiguous window of the ramp
    expect(v[0][1][0][0]).toBe(r0 + 6);
    expect(v[0][0][3][0]).toBe(r0 + 3);
    expect(v[1]).toEqual(v[0]);
  });

  it("center-crops to the aspect ratio and resizes at inference", () => {
    const x = rampImage(4, 6);
    const y = new RandomCrop(2, 2).apply(x, { training: false }) as Tensor;
    expect(y.shape).toEqual([2, 2, 1]);
    // the centered 4x4 window (columns 1..4) resized by 1/2 with half-pixel centers
    expect(values(tf.squeeze(y, [2]))).toEqual([
      [4.5, 6.5],
      [16.5, 18.5],
    ]);
  });

  it("computes output shapes (channels_first too)", () => {
    expect(new RandomCrop(5, 7).computeOutputShape([null, 10, 12, 3])).toEqual([null, 5, 7, 3]);
    expect(new RandomCrop(5, 7, { dataFormat: "channels_first" }).computeOutputShape([3, 10, 12])).toEqual([3, 5, 7]);
    const y = new RandomCrop(2, 3, { dataFormat: "channels_first" }).apply(tf.zeros([2, 3, 5, 5]), { training: true }) as Tensor;
    expect(y.shape).toEqual([2, 3, 2, 3]);
    const s = layers.Input({ shape: [10, 12, 3] });
    expect((new RandomCrop(5, 7).apply(s) as { shape: unknown }).shape).toEqual([null, 5, 7, 3]);
  });

  it("round-trips its config (a seed is drawn when none is given)", () => {
    const layer = new RandomCrop(3, 3);
    const config = layer.getConfig();
    expect(typeof config.seed).toBe("number");
    expect(config).toMatchObject({ height: 3, width: 3, data_format: "channels_last" });
    expect(RandomCrop.fromConfig(config).getConfig()).toEqual(config);
  });

  it("does not leak tensors", () => {
    expectNoLeaks(new RandomCrop(2, 2), () => tf.randomUniform([2, 4, 4, 3]), { training: true });
    expectNoLeaks(new RandomCrop(2, 2), () => tf.randomUniform([2, 4, 4, 3]), { training: false });
  });
});
