import { describe, expect, it } from "vitest";
import { tf, type Tensor } from "../../../../lib/backend/tfjs.js";
import { RandomBrightness } from "../../../../lib/layers/preprocessing/image/random-brightness.js";
import { RandomContrast } from "../../../../lib/layers/preprocessing/image/random-contrast.js";
import { RandomHue } from "../../../../lib/layers/preprocessing/image/random-hue.js";
import { RandomSaturation } from "../../../../lib/layers/preprocessing/image/random-saturation.js";
import { RandomGrayscale } from "../../../../lib/layers/preprocessing/image/random-grayscale.js";
import { RandomInvert } from "../../../../lib/layers/preprocessing/image/random-invert.js";
import { RandomPosterization } from "../../../../lib/layers/preprocessing/image/random-posterization.js";
import { RandomSharpness } from "../../../../lib/layers/preprocessing/image/random-sharpness.js";
import { RandomColorDegeneration } from "../../../../lib/layers/preprocessing/image/random-color-degeneration.js";
import { RandomColorJitter } from "../../../../lib/layers/preprocessing/image/random-color-jitter.js";
import { Solarization } from "../../../../lib/layers/preprocessing/image/solarization.js";
import { AutoContrast } from "../../../../lib/layers/preprocessing/image/auto-contrast.js";
import { Equalization } from "../../../../lib/layers/preprocessing/image/equalization.js";
import { expectNoLeaks } from "../../helpers.js";
import { differ, expectSame, flat } from "./helpers.js";

describe("RandomContrast", () => {
  it("scales deviations from the per-channel mean by a factor in [1 - lower, 1 + upper]", () => {
    // Deviations small enough that no factor in [0.5, 1.5] clips (the unseeded call below checks the mean).
    const x = tf.tensor4d([25, 100, 35, 120, 45, 140, 55, 160], [1, 2, 2, 2]);
    const y = new RandomContrast([0.5, 0.5]).apply(x, { training: true }) as Tensor; // factor in [0.5, 1.5]
    const t = new RandomContrast([0.5, 0.5], { seed: 1 });
    // a fixed factor: [0.5, 0.5] draws in [0.5, 1.5]; check the formula on a drawn value instead
    const tr = t.getRandomTransformation(x) as { contrastFactor: number[] };
    const f = tr.contrastFactor[0];
    expect(f).toBeGreaterThanOrEqual(0.5);
    expect(f).toBeLessThanOrEqual(1.5);
    const out = flat(t.transformImages(x, tr));
    const mean = [40, 130];
    flat(x).forEach((v, i) => expect(out[i]).toBeCloseTo(Math.min(255, Math.max(0, (v - mean[i % 2]) * f + mean[i % 2])), 3));
    // the mean is preserved away from the clip bounds
    const m = tf.mean(y, [1, 2]);
    expect(flat(m)[0]).toBeCloseTo(40, 3);
    expect(flat(m)[1]).toBeCloseTo(130, 3);
  });

  it("clips to value_range and is identity at inference", () => {
    const x = tf.tensor4d([0, 0.5, 1, 0.2], [1, 2, 2, 1]);
    const layer = new RandomContrast(1, { valueRange: [0, 1], seed: 2 });
    for (let i = 0; i < 5; i++) {
      const v = flat(layer.apply(x, { training: true }));
      v.forEach((a) => expect(a >= 0 && a <= 1).toBe(true));
    }
    expectSame(layer.apply(x, { training: false }), x);
  });

  it("round-trips its config with Keras's keys", () => {
    const layer = new RandomContrast(0.3, { seed: 4, valueRange: [0, 1] });
    expect(layer.getConfig()).toMatchObject({ factor: [0, 0.3], value_range: [0, 1], seed: 4, data_format: "channels_last" });
    expect(RandomContrast.fromConfig(layer.getConfig()).getConfig()).toEqual(layer.getConfig());
    expect(() => new RandomContrast(1.5)).toThrow(/factor/);
  });
});

describe("RandomBrightness", () => {
  it("adds one delta per image, a fraction of the value range, and clips", () => {
    const x = tf.fill([3, 2, 2, 3], 100);
    const layer = new RandomBrightness([0.1, 0.2], { seed: 3 });
    const y = layer.apply(x, { training: true }) as Tensor;
    for (let b = 0; b < 3; b++) {
      const v = flat(y.slice([b], [1]));
      expect(new Set(v.map((a) => a.toFixed(3))).size).toBe(1);
      expect(v[0]).toBeGreaterThanOrEqual(100 + 25.5 - 1e-3);
      expect(v[0]).toBeLessThanOrEqual(100 + 51 + 1e-3);
    }
    const big = new RandomBrightness([1, 1]).apply(tf.fill([1, 2, 2, 1], 200), { training: true });
    expect(flat(big)).toEqual([255, 255, 255, 255]);
    expectSame(layer.apply(x, { training: false }), x);
  });

  it("round-trips its config and passes gradients", () => {
    const layer = new RandomBrightness(0.2, { valueRange: [1, 0], seed: 1 });
    expect(layer.getConfig()).toMatchObject({ factor: [-0.2, 0.2], value_range: [0, 1], seed: 1 });
    expect(RandomBrightness.fromConfig(layer.getConfig()).getConfig()).toEqual(layer.getConfig());
    const g = tf.grad((v: Tensor) => tf.sum(layer.apply(v, { training: true }) as Tensor))(tf.fill([1, 2, 2, 1], 0.5));
    expect(flat(g)).toEqual([1, 1, 1, 1]);
  });
});

describe("color layers", () => {
  const rgb = (): Tensor => tf.randomUniform([2, 4, 4, 3], 0, 255, "float32", 1);

  it("RandomHue keeps gray pixels and value, changes colors", () => {
    const gray = tf.fill([1, 2, 2, 3], 128);
    const layer = new RandomHue(1, { seed: 1 });
    expectSame(layer.apply(gray, { training: true }), gray, 1e-3);
    const x = rgb();
    const y = layer.apply(x, { training: true });
    expect(differ(y, x)).toBe(true);
    expectSame(tf.max(y, -1), tf.max(x, -1), 1e-2); // HSV value is unchanged
    expectSame(layer.apply(x, { training: false }), x);
  });

  it("RandomSaturation with factor 0 gives grayscale (max == min per pixel), 0.5 keeps the image", () => {
    const x = rgb();
    const g = new RandomSaturation([0, 0]).apply(x, { training: true });
    expectSame(tf.max(g, -1), tf.min(g, -1), 1e-3);
    expectSame(new RandomSaturation([0.5, 0.5]).apply(x, { training: true }), x, 1e-2);
  });

  it("RandomGrayscale with factor 1 turns every image to 3 equal channels of the luma", () => {
    const x = rgb();
    const y = new RandomGrayscale(1).apply(x, { training: true }) as Tensor;
    expect(y.shape).toEqual(x.shape);
    const luma = tf.sum(tf.mul(x, tf.tensor1d([0.2989, 0.587, 0.114])), -1);
    for (let c = 0; c < 3; c++) expectSame(tf.squeeze(y.slice([0, 0, 0, c], [-1, -1, -1, 1]), [3]), luma, 1e-3);
    expectSame(new RandomGrayscale(0).apply(x, { training: true }), x);
    expect(new RandomGrayscale(0.3).getConfig()).toMatchObject({ factor: 0.3 });
  });

  it("RandomInvert inverts against value_range[1]", () => {
    const x = tf.tensor4d([0, 0.25, 1, 0.5], [1, 2, 2, 1]);
    const y = new RandomInvert([1, 1], { valueRange: [0, 1] }).apply(x, { training: true });
    expect(flat(y)).toEqual([1, 0.75, 0, 0.5]);
    expectSame(new RandomInvert(0).apply(x, { training: true }), x);
  });

  it("RandomPosterization keeps the top bits", () => {
    const x = tf.tensor4d([0, 37, 128, 255], [1, 2, 2, 1]);
    const y = new RandomPosterization([2, 2]).apply(x, { training: true });
    expect(flat(y)).toEqual([0, 0, 128, 192]);
    const z = new RandomPosterization([1, 1], { valueRange: [0, 1] }).apply(tf.tensor4d([0.2, 0.6], [1, 1, 2, 1]), { training: true });
    expectSame(z, tf.tensor4d([0, 128 / 255], [1, 1, 2, 1]), 1e-6);
  });

  it("RandomSharpness: factor 0.5 keeps, 0 smooths with Keras's 3x3 kernel", () => {
    const x = rgb();
    expectSame(new RandomSharpness([0.5, 0.5]).apply(x, { training: true }), x, 1e-3);
    const impulse = tf.tensor4d([0, 0, 0, 0, 130, 0, 0, 0, 0], [1, 3, 3, 1]);
    const y = flat(new RandomSharpness([0, 0]).apply(impulse, { training: true }));
    expect(y[4]).toBeCloseTo(50, 3);
    expect(y[0]).toBeCloseTo(10, 3);
  });

  it("RandomColorDegeneration: factor 1 is the grayscale image, rejects non-RGB shapes", () => {
    const x = rgb();
    const y = new RandomColorDegeneration([1, 1]).apply(x, { training: true });
    expectSame(tf.max(y, -1), tf.min(y, -1), 1e-3);
    expect(() => new RandomColorDegeneration(0.5).computeOutputShape([null, 4, 4, 1])).toThrow(/3 channels/);
  });

  it("Solarization inverts pixels above the threshold", () => {
    const x = tf.tensor4d([10, 100, 200, 250], [1, 2, 2, 1]);
    expect(flat(new Solarization().apply(x, { training: true }))).toEqual([245, 155, 55, 5]);
    const layer = new Solarization({ thresholdFactor: [150 / 255, 150 / 255] });
    expectSame(layer.apply(x, { training: true }), tf.tensor4d([10, 100, 55, 5], [1, 2, 2, 1]), 1e-3);
    expectSame(layer.apply(x, { training: false }), x);
    expect(layer.getConfig()).toMatchObject({ addition_factor: [0, 0], value_range: [0, 255] });
  });

  it("AutoContrast stretches each channel to the value range, at inference too", () => {
    const x = tf.tensor4d([0.2, 0.5, 0.4, 0.5, 0.6, 0.5, 0.3, 0.5], [1, 2, 2, 2]);
    const y = new AutoContrast({ valueRange: [0, 1] }).apply(x, { training: false });
    expectSame(y, tf.tensor4d([0, 0.5, 0.5, 0.5, 1, 0.5, 0.25, 0.5], [1, 2, 2, 2]), 1e-5);
  });

  it("Equalization spreads a narrow histogram over the range", () => {
    const x = tf.tensor4d([10, 10, 20, 20, 30, 30, 40, 40], [1, 2, 4, 1]);
    const y = flat(new Equalization().apply(x));
    expect(y).toEqual([0, 0, 85, 85, 170, 170, 255, 255]);
    const c = tf.fill([1, 2, 2, 1], 7);
    expect(flat(new Equalization().apply(c))).toEqual([7, 7, 7, 7]);
    const cf = new Equalization({ dataFormat: "channels_first" }).apply(tf.transpose(x, [0, 3, 1, 2]));
    expect(flat(cf)).toEqual([0, 0, 85, 85, 170, 170, 255, 255]);
  });

  it("RandomColorJitter chains the enabled adjustments and round-trips", () => {
    const layer = new RandomColorJitter({ brightnessFactor: 0.2, contrastFactor: 0.2, saturationFactor: [0.3, 0.7], hueFactor: 0.1, seed: 3 });
    const x = rgb();
    const y = layer.apply(x, { training: true }) as Tensor;
    expect(y.shape).toEqual(x.shape);
    expect(differ(y, x)).toBe(true);
    expectSame(layer.apply(x, { training: false }), x);
    const config = layer.getConfig();
    expect(config).toMatchObject({ brightness_factor: 0.2, saturation_factor: [0.3, 0.7], value_range: [0, 255], seed: 3 });
    expect(RandomColorJitter.fromConfig(config).getConfig()).toEqual(config);
  });

  it("are reproducible with seeds, round-trip configs and do not leak", () => {
    const make = [
      () => new RandomHue(0.3, { seed: 5 }),
      () => new RandomSaturation(0.8, { seed: 5 }),
      () => new RandomGrayscale(0.5, { seed: 5 }),
      () => new RandomInvert(0.5, { seed: 5 }),
      () => new RandomPosterization(6, { seed: 5 }),
      () => new RandomSharpness(0.9, { seed: 5 }),
      () => new RandomColorDegeneration(0.9, { seed: 5 }),
      () => new Solarization({ additionFactor: 0.2, thresholdFactor: 0.8, seed: 5 }),
      () => new RandomColorJitter({ brightnessFactor: 0.3, hueFactor: 0.2, seed: 5 }),
      () => new AutoContrast(),
      () => new Equalization({ bins: 64 }),
    ];
    const x = tf.randomUniform([4, 5, 5, 3], 0, 255, "float32", 7);
    for (const m of make) {
      const a = m();
      const b = m();
      expectSame(a.apply(x, { training: true }), b.apply(x, { training: true }));
      const cls = a.constructor as unknown as { fromConfig(c: Record<string, unknown>): typeof a };
      expect(cls.fromConfig(a.getConfig()).getConfig()).toEqual(a.getConfig());
      expectNoLeaks(a, () => tf.randomUniform([2, 4, 4, 3], 0, 255), { training: true }, 3);
      // unbatched and channels_first inputs keep their shape
      const y = a.apply(tf.randomUniform([4, 4, 3], 0, 255), { training: true }) as Tensor;
      expect(y.shape).toEqual([4, 4, 3]);
    }
  });
});
