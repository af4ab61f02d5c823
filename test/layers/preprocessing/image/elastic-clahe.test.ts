/**
 * RandomElasticTransform and ContrastLimitedAdaptiveHistogramEqualization:
 * Keras's formulas on known inputs, seeded determinism, inference
 * behaviour, layouts, configs, registration and leaks.
 */
import { describe, expect, it } from "vitest";
import * as keras from "../../../../lib/index.js";
import { tf, type Tensor } from "../../../../lib/backend/tfjs.js";
import { RandomElasticTransform, type ElasticTransformation } from "../../../../lib/layers/preprocessing/image/random-elastic-transform.js";
import { ContrastLimitedAdaptiveHistogramEqualization as CLAHE } from "../../../../lib/layers/preprocessing/image/clahe.js";
import { builtinNames } from "../../../../lib/saving/object-registration.js";
import { expectNoLeaks } from "../../helpers.js";
import { differ, expectSame, flat } from "./helpers.js";

const { layers } = keras;

/** A (1, H, W, 1) image whose value is `f(x, y)`. */
function imageOf(h: number, w: number, f: (x: number, y: number) => number): Tensor {
  const v: number[] = [];
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) v.push(f(x, y));
  return tf.tensor4d(v, [1, h, w, 1]);
}

describe("RandomElasticTransform", () => {
  it("Keras's parameters: alpha = 0.1 max(H, W) s, sigma = 0.05 min(H, W) s", () => {
    const layer = new RandomElasticTransform();
    const [alpha, sigma] = layer.elasticTransformParams(40, 60, 0.5);
    expect(alpha).toBeCloseTo(3, 10);
    expect(sigma).toBeCloseTo(1, 10);
    expect(layer.getConfig()).toMatchObject({
      factor: [0, 1], scale: [0, 1], interpolation: "bilinear", fill_mode: "reflect", fill_value: 0,
      value_range: [0, 255], seed: null, data_format: "channels_last",
    });
  });

  it("moves each pixel by alpha times one smoothed field, the same along x and y (bilinear on a ramp is exact)", () => {
    const h = 24;
    const w = 24;
    const layer = new RandomElasticTransform([1, 1], { scale: [1, 1], seed: 5, valueRange: [-1000, 1000] });
    const t = layer.getRandomTransformation(tf.zeros([1, h, w, 1])) as ElasticTransformation;
    expect(t.applyTransform).toEqual([1]);
    expect(t.distortionFactor).toBe(1);
    const [alpha, sigma] = layer.elasticTransformParams(h, w, t.distortionFactor);
    const d = layer.displacementField(t, 1, h, w);
    // The field: N(0, 1) * sigma smoothed by a normalized Gaussian, so it is much smaller than sigma and varies smoothly.
    expect(Math.trunc(6 * sigma) | 1).toBe(7);
    const maxAbs = Math.max(...Array.from(d, Math.abs));
    expect(maxAbs).toBeGreaterThan(0);
    expect(maxAbs).toBeLessThan(3 * sigma);
    const xs = layer.transformImages(imageOf(h, w, (x) => x), t);
    const ys = layer.transformImages(imageOf(h, w, (_x, y) => y), t);
    const ox = flat(xs);
    const oy = flat(ys);
    let checked = 0;
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const i = y * w + x;
        const shift = alpha * d[i];
        if (x + shift < 0 || x + shift > w - 1 || y + shift < 0 || y + shift > h - 1) continue;
        expect(ox[i]).toBeCloseTo(x + shift, 3);
        expect(oy[i]).toBeCloseTo(y + shift, 3);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(h * w * 0.5);
    // A constant image stays constant with reflect fill.
    expectSame(layer.transformImages(tf.fill([1, h, w, 1], 7), t), tf.fill([1, h, w, 1], 7), 1e-4);
  });

  it("fill modes read outside pixels per index (constant fill value, nearest interpolation keeps the values)", () => {
    const h = 10;
    const w = 10;
    const x = imageOf(h, w, (a, b) => a + 10 * b);
    const layer = new RandomElasticTransform([1, 1], { scale: [1, 1], seed: 3, fillMode: "constant", fillValue: -5, interpolation: "nearest", valueRange: [-5, 255] });
    const yt = layer.apply(x, { training: true });
    const allowed = new Set([...flat(x), -5]);
    flat(yt).forEach((v) => expect(allowed.has(v)).toBe(true));
    expect(differ(yt, x)).toBe(true);
    for (const fillMode of ["mirror", "wrap", "nearest", "reflect"] as const) {
      const out = flat(new RandomElasticTransform([1, 1], { scale: [1, 1], seed: 3, fillMode, interpolation: "nearest" }).apply(x, { training: true }));
      const inside = new Set(flat(x));
      out.forEach((v) => expect(inside.has(v)).toBe(true));
    }
    expect(() => new RandomElasticTransform(1, { fillMode: "bogus" as never })).toThrow(/Unknown `fill_mode` bogus/);
    expect(() => new RandomElasticTransform(1, { interpolation: "cubic" as never })).toThrow(/interpolation/);
    expect(() => new RandomElasticTransform(1.5)).toThrow(/factor/);
    expect(() => new RandomElasticTransform(1, { scale: 2 })).toThrow(/scale/);
  });

  it("identity when training is false, with factor 0 or scale 0; clips to value_range", () => {
    const x = tf.randomUniform([2, 12, 12, 3], 0, 255, "float32", 1);
    expectSame(new RandomElasticTransform([1, 1], { seed: 1 }).apply(x, { training: false }), x);
    expectSame(new RandomElasticTransform(0, { seed: 1 }).apply(x, { training: true }), x);
    expectSame(new RandomElasticTransform([1, 1], { scale: 0, seed: 1 }).apply(x, { training: true }), x);
    const y = flat(new RandomElasticTransform([1, 1], { seed: 1, fillMode: "constant", fillValue: 999 }).apply(x, { training: true }));
    y.forEach((v) => expect(v >= 0 && v <= 255).toBe(true));
  });

  it("each image is deformed with the drawn probability", () => {
    const x = tf.randomUniform([16, 8, 8, 1], 0, 255, "float32", 2);
    const layer = new RandomElasticTransform([0.5, 0.5], { seed: 7 });
    const t = layer.getRandomTransformation(x) as ElasticTransformation;
    const y = layer.transformImages(x, t);
    t.applyTransform.forEach((a, b) => {
      const changed = differ(tf.slice(y, [b], [1]), tf.slice(x, [b], [1]));
      expect(changed).toBe(a === 1);
    });
    expect(t.applyTransform.some((a) => a === 1) && t.applyTransform.some((a) => a === 0)).toBe(true);
  });

  it("seeded determinism, channels_first, unbatched images, segmentation masks", () => {
    const x = tf.randomUniform([2, 10, 12, 3], 0, 255, "float32", 3);
    const a = new RandomElasticTransform([1, 1], { seed: 42 }).apply(x, { training: true });
    const b = new RandomElasticTransform([1, 1], { seed: 42 }).apply(x, { training: true });
    const c = new RandomElasticTransform([1, 1], { seed: 43 }).apply(x, { training: true });
    expectSame(a, b);
    expect(differ(a, c)).toBe(true);
    expect(differ(a, x)).toBe(true);
    const cf = new RandomElasticTransform([1, 1], { seed: 42, dataFormat: "channels_first" }).apply(tf.transpose(x, [0, 3, 1, 2]), { training: true }) as Tensor;
    expect(cf.shape).toEqual([2, 3, 10, 12]);
    expectSame(tf.transpose(cf, [0, 2, 3, 1]), a, 1e-4);
    const single = new RandomElasticTransform([1, 1], { seed: 9 }).apply(tf.slice(x, [0], [1]).squeeze([0]), { training: true }) as Tensor;
    expect(single.shape).toEqual([10, 12, 3]);
    const masks = tf.cast(tf.greater(tf.slice(x, [0, 0, 0, 0], [2, 10, 12, 1]), 128), "float32");
    const out = new RandomElasticTransform([1, 1], { seed: 4 }).apply({ images: x, segmentation_masks: masks } as never, { training: true }) as unknown as Record<string, Tensor>;
    expect(out.segmentation_masks.shape).toEqual([2, 10, 12, 1]);
    flat(out.segmentation_masks).forEach((v) => expect(v === 0 || v === 1).toBe(true));
  });

  it("config round trip, registration, no leaks", () => {
    const layer = new RandomElasticTransform(0.4, { scale: [0.1, 0.6], interpolation: "nearest", fillMode: "mirror", fillValue: 3, valueRange: [0, 1], seed: 11 });
    const cfg = layer.getConfig();
    expect(cfg).toMatchObject({ factor: [0, 0.4], scale: [0.1, 0.6], interpolation: "nearest", fill_mode: "mirror", fill_value: 3, value_range: [0, 1], seed: 11 });
    expect(RandomElasticTransform.fromConfig(JSON.parse(JSON.stringify(cfg))).getConfig()).toEqual(cfg);
    expect(builtinNames("keras.layers")).toContain("RandomElasticTransform");
    const viaApi = layers.RandomElasticTransform([1, 1], { seed: 2 });
    expect(layers.deserialize(layers.serialize(viaApi)).getConfig()).toEqual(viaApi.getConfig());
    expectNoLeaks(new RandomElasticTransform([1, 1], { seed: 1 }), () => tf.randomUniform([2, 8, 8, 3], 0, 255), { training: true }, 3);
    expectNoLeaks(new RandomElasticTransform([1, 1], { seed: 1 }), () => tf.randomUniform([2, 8, 8, 3], 0, 255), { training: false }, 3);
  });
});

describe("ContrastLimitedAdaptiveHistogramEqualization", () => {
  it("one tile without clipping: the normalized CDF, with Keras's cdf_min = cdf[0]", () => {
    const layer = new CLAHE({ clipLimit: 0, tileGridSize: [1, 1] });
    expect(flat(layer.apply(tf.tensor4d([0, 50, 100, 200], [1, 2, 2, 1])))).toEqual([0, 85, 170, 255]);
    // Level 0 is empty, so cdf_min = 0: (cdf - 0) * 255 / 4.
    const y = flat(layer.apply(tf.tensor4d([10, 50, 100, 200], [1, 2, 2, 1])));
    [63.75, 127.5, 191.25, 255].forEach((v, i) => expect(y[i]).toBeCloseTo(v, 4));
  });

  it("clips the histogram at clip_limit * area / 256 and spreads the excess evenly", () => {
    // A constant image of 100, 4x4 in a 2x2 grid: every tile has area 4 and the same table.
    const layer = new CLAHE();
    const y = flat(layer.apply(tf.fill([1, 4, 4, 1], 100)));
    const area = 4;
    const limit = (4 * area) / 256;
    const r = (area - limit) / 256;
    const cdf = (k: number): number => (k + 1) * r + (k >= 100 ? limit : 0);
    const expected = ((cdf(100) - cdf(0)) * 255) / (area - cdf(0));
    expect(expected).toBeCloseTo(102.43, 1);
    y.forEach((v) => expect(v).toBeCloseTo(expected, 3));
  });

  it("interpolates between the tables of neighbouring tiles (Keras's tile-center grid)", () => {
    // 2x4 image, grid 1x2: left tile {0, 100}, right tile {50, 200}, no clipping.
    const row = [0, 100, 50, 200];
    const x = tf.tensor4d([...row, ...row], [1, 2, 4, 1]);
    const y = flat(new CLAHE({ clipLimit: 0, tileGridSize: [1, 2] }).apply(x));
    // Left table: 0 -> 0, 100 -> 255, 50 -> 0. Right table: 50 -> 127.5, 200 -> 255.
    // Column 2 (value 50) is half-way between the tables: (0 + 127.5) / 2.
    expect(y).toEqual([0, 255, 63.75, 255, 0, 255, 63.75, 255]);
  });

  it("value_range, padding to whole tiles, layouts, unbatched, and it applies at inference", () => {
    const x = tf.randomUniform([2, 7, 9, 3], 0, 255, "float32", 4);
    const layer = new CLAHE({ tileGridSize: [3, 4] });
    const y = layer.apply(x) as Tensor;
    expect(y.shape).toEqual([2, 7, 9, 3]);
    const v = flat(y);
    v.forEach((a) => expect(a >= 0 && a <= 255 && Number.isFinite(a)).toBe(true));
    // Keras's transform_images ignores `training`.
    expectSame(layer.apply(x, { training: false }), y);
    const unit = new CLAHE([0, 1], { tileGridSize: [3, 4] }).apply(tf.div(x, 255)) as Tensor;
    expectSame(tf.mul(unit, 255), y, 1e-3);
    const cf = new CLAHE({ tileGridSize: [3, 4], dataFormat: "channels_first" }).apply(tf.transpose(x, [0, 3, 1, 2])) as Tensor;
    expectSame(tf.transpose(cf, [0, 2, 3, 1]), y, 1e-4);
    const single = layer.apply(tf.slice(x, [1], [1]).squeeze([0])) as Tensor;
    expectSame(single, tf.slice(y, [1], [1]).squeeze([0]));
    expect(differ(y, x)).toBe(true);
  });

  it("config round trip, registration, no leaks", () => {
    const layer = new CLAHE({ valueRange: [0, 1], clipLimit: 2.5, tileGridSize: [4, 2] });
    const cfg = layer.getConfig();
    expect(cfg).toMatchObject({ value_range: [0, 1], clip_limit: 2.5, tile_grid_size: [4, 2], data_format: "channels_last" });
    expect(CLAHE.fromConfig(JSON.parse(JSON.stringify(cfg))).getConfig()).toEqual(cfg);
    expect(new CLAHE().getConfig()).toMatchObject({ value_range: [0, 255], clip_limit: 4, tile_grid_size: [8, 8] });
    expect(() => new CLAHE({ tileGridSize: [0, 2] })).toThrow(/tile_grid_size/);
    expect(builtinNames("keras.layers")).toContain("ContrastLimitedAdaptiveHistogramEqualization");
    const viaApi = layers.ContrastLimitedAdaptiveHistogramEqualization({ clipLimit: 3 });
    expect(layers.deserialize(layers.serialize(viaApi)).getConfig()).toEqual(viaApi.getConfig());
    expectNoLeaks(new CLAHE(), () => tf.randomUniform([2, 8, 8, 3], 0, 255), {}, 3);
  });
});
