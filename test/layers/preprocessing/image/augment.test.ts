import { afterEach, describe, expect, it } from "vitest";
import * as keras from "../../../../lib/index.js";
import { tf, type Tensor } from "../../../../lib/backend/tfjs.js";
import { RandomShear } from "../../../../lib/layers/preprocessing/image/random-shear.js";
import { RandomErasing } from "../../../../lib/layers/preprocessing/image/random-erasing.js";
import { RandomGaussianBlur } from "../../../../lib/layers/preprocessing/image/random-gaussian-blur.js";
import { RandomPerspective } from "../../../../lib/layers/preprocessing/image/random-perspective.js";
import { MixUp } from "../../../../lib/layers/preprocessing/image/mix-up.js";
import { CutMix } from "../../../../lib/layers/preprocessing/image/cut-mix.js";
import { RandAugment } from "../../../../lib/layers/preprocessing/image/rand-augment.js";
import { AugMix } from "../../../../lib/layers/preprocessing/image/aug-mix.js";
import { MaxNumBoundingBoxes } from "../../../../lib/layers/preprocessing/image/max-num-bounding-boxes.js";
import { builtinNames } from "../../../../lib/saving/object-registration.js";
import { expectNoLeaks } from "../../helpers.js";
import { differ, expectSame, flat, rampImage, values } from "./helpers.js";

const { layers } = keras;

describe("RandomShear", () => {
  it("shears rows horizontally by the drawn factor", () => {
    const x = rampImage(3, 4);
    const layer = new RandomShear({ xFactor: [1, 1], fillMode: "constant", fillValue: -1, interpolation: "nearest", seed: 1 });
    const t = layer.getRandomTransformation(tf.expandDims(x, 0)) as { shearFactor: [number, number][] };
    const s = t.shearFactor[0][0];
    expect(Math.abs(s)).toBe(1);
    const y = values(tf.squeeze(layer.transformImages(tf.expandDims(x, 0), t), [0, 3])) as number[][];
    // out(x, y) = in(x + s*y, y)
    for (let r = 0; r < 3; r++) for (let c = 0; c < 4; c++) {
      const sx = c + s * r;
      expect(y[r][c]).toBe(sx >= 0 && sx < 4 ? r * 4 + sx : -1);
    }
    expect(layer.getConfig()).toMatchObject({ x_factor: [1, 1], y_factor: [0, 0], fill_mode: "constant" });
  });
});

describe("RandomErasing / RandomGaussianBlur / RandomPerspective", () => {
  it("RandomErasing fills one rectangle per image", () => {
    const x = tf.fill([3, 8, 8, 1], 100);
    const y = new RandomErasing([1, 1], { fillValue: 0, scale: [0.1, 0.3], seed: 2 }).apply(x, { training: true }) as Tensor;
    for (let b = 0; b < 3; b++) {
      const v = values(tf.squeeze(y.slice([b], [1]), [0, 3])) as number[][];
      const zeros = v.flatMap((row, r) => row.map((p, c) => (p === 0 ? [r, c] : null)).filter((q) => q !== null)) as number[][];
      expect(zeros.length).toBeGreaterThan(0);
      const rows = zeros.map((z) => z[0]);
      const cols = zeros.map((z) => z[1]);
      const area = (Math.max(...rows) - Math.min(...rows) + 1) * (Math.max(...cols) - Math.min(...cols) + 1);
      expect(area).toBe(zeros.length); // a rectangle
    }
    expectSame(new RandomErasing(1, { fillValue: 0 }).apply(x, { training: false }), x);
    const noise = new RandomErasing([1, 1], { seed: 3 }).apply(x, { training: true });
    flat(noise).forEach((v) => expect(v >= 0 && v <= 255).toBe(true));
  });

  it("RandomGaussianBlur blurs an impulse with a normalized kernel", () => {
    const x = tf.tensor4d([0, 0, 0, 0, 90, 0, 0, 0, 0], [1, 3, 3, 1]);
    const y = flat(new RandomGaussianBlur([1, 1], { sigma: [1, 1], seed: 1 }).apply(x, { training: true }));
    expect(y.reduce((a, b) => a + b, 0)).toBeCloseTo(90, 3);
    expect(y[4]).toBeLessThan(90);
    expect(y[0]).toBeCloseTo(y[8], 5);
    expect(() => new RandomGaussianBlur(1, { kernelSize: 4 })).toThrow(/odd/);
  });

  it("RandomPerspective with scale 0 is the identity; with scale it warps", () => {
    const x = tf.randomUniform([2, 6, 6, 3]);
    expectSame(new RandomPerspective(1, { scale: 0 }).apply(x, { training: true }), x, 1e-4);
    const y = new RandomPerspective([1, 1], { scale: 0.5, seed: 1 }).apply(x, { training: true });
    expect(differ(y, x)).toBe(true);
    expect(new RandomPerspective(0.5).getConfig()).toMatchObject({ factor: [0, 0.5], scale: 1, fill_value: 0 });
  });
});

describe("MixUp / CutMix", () => {
  it("MixUp mixes images and labels with the same weights", () => {
    const images = tf.stack([tf.zeros([2, 2, 1]), tf.ones([2, 2, 1])]);
    const labels = tf.tensor2d([[1, 0], [0, 1]]);
    const out = new MixUp(0.5, { seed: 3 }).apply({ images, labels }, { training: true }) as unknown as Record<string, Tensor>;
    const im = flat(out.images);
    const lb = flat(out.labels);
    // image b is constant: its value equals the weight of image 1 in its mix, as its second label
    expect(im[0]).toBeCloseTo(lb[1], 5);
    expect(im[4]).toBeCloseTo(lb[3], 5);
    expect(lb[0] + lb[1]).toBeCloseTo(1, 5);
    const same = new MixUp().apply({ images, labels }, { training: false }) as unknown as Record<string, Tensor>;
    expectSame(same.images, images);
  });

  it("CutMix pastes a partner's rectangle and mixes labels by area", () => {
    const images = tf.stack([tf.zeros([8, 8, 1]), tf.ones([8, 8, 1])]);
    const labels = tf.tensor2d([[1, 0], [0, 1]]);
    const layer = new CutMix(1, { seed: 4 });
    const out = layer.apply({ images, labels }, { training: true }) as unknown as Record<string, Tensor>;
    const im = out.images;
    const lb = flat(out.labels);
    for (let b = 0; b < 2; b++) {
      const v = flat(im.slice([b], [1]));
      const ones = v.filter((p) => p === 1).length / 64;
      // the label of image 1 in the mix is the fraction of its pixels (up to the mask's pixel rounding)
      expect(Math.abs(lb[b * 2 + 1] - ones)).toBeLessThan(0.35);
      v.forEach((p) => expect(p === 0 || p === 1).toBe(true));
    }
    expect(layer.getConfig()).toMatchObject({ factor: [0, 1], seed: 4 });
  });
});

describe("RandAugment / AugMix / MaxNumBoundingBoxes", () => {
  it("RandAugment and AugMix keep shapes and value range, are seeded, and identity at inference", () => {
    const x = tf.randomUniform([2, 8, 8, 3], 0, 255, "float32", 3);
    for (const make of [() => new RandAugment({ seed: 7 }), () => new AugMix({ seed: 7 })]) {
      const a = make();
      const y = a.apply(x, { training: true }) as Tensor;
      expect(y.shape).toEqual(x.shape);
      flat(y).forEach((v) => expect(v >= -1e-3 && v <= 255 + 1e-3).toBe(true));
      expectSame(make().apply(x, { training: true }), y, 1e-3);
      expectSame(a.apply(x, { training: false }), x);
      const cls = a.constructor as unknown as { fromConfig(c: Record<string, unknown>): typeof a };
      expect(cls.fromConfig(a.getConfig()).getConfig()).toEqual(a.getConfig());
      expectNoLeaks(a, () => tf.randomUniform([2, 6, 6, 3], 0, 255), { training: true }, 3);
    }
    expect(new RandAugment().getConfig()).toMatchObject({ value_range: [0, 255], num_ops: 2, factor: [0, 0.5], interpolation: "bilinear" });
    expect(new AugMix().getConfig()).toMatchObject({ num_chains: 3, chain_depth: 3, factor: [0, 0.3], alpha: 1, all_ops: true });
  });

  it("MaxNumBoundingBoxes pads and truncates boxes", () => {
    const layer = new MaxNumBoundingBoxes(3, { boundingBoxFormat: "xyxy" });
    const data = {
      images: tf.zeros([2, 4, 4, 3]),
      bounding_boxes: { boxes: tf.ones([2, 2, 4]), labels: tf.tensor2d([[1, 2], [3, 4]]) },
    };
    const out = layer.apply(data as never) as unknown as { bounding_boxes: { boxes: Tensor; labels: Tensor } };
    expect(out.bounding_boxes.boxes.shape).toEqual([2, 3, 4]);
    expect(values(out.bounding_boxes.labels)).toEqual([[1, 2, -1], [3, 4, -1]]);
    const cut = new MaxNumBoundingBoxes(1, { boundingBoxFormat: "xyxy" }).apply(data as never) as unknown as { bounding_boxes: { labels: Tensor } };
    expect(values(cut.bounding_boxes.labels)).toEqual([[1], [3]]);
    expect(layer.getConfig()).toMatchObject({ max_number: 3, bounding_box_format: "xyxy" });
  });
});

describe("the image layers in keras.layers", () => {
  afterEach(() => keras.backend.clearSession());

  it("are exported callable and registered for deserialization", () => {
    const names = [
      "AugMix", "AutoContrast", "CutMix", "Equalization", "MaxNumBoundingBoxes", "MixUp", "RandAugment",
      "RandomBrightness", "RandomColorDegeneration", "RandomColorJitter", "RandomContrast", "RandomCrop",
      "RandomErasing", "RandomFlip", "RandomGaussianBlur", "RandomGrayscale", "RandomHue", "RandomInvert",
      "RandomPerspective", "RandomPosterization", "RandomRotation", "RandomSaturation", "RandomSharpness",
      "RandomShear", "RandomTranslation", "RandomZoom", "Solarization",
    ];
    const registered = builtinNames("keras.layers");
    for (const n of names) {
      expect(typeof (layers as unknown as Record<string, unknown>)[n]).toBe("function");
      expect(registered).toContain(n);
    }
    const flip = layers.RandomFlip("horizontal", { seed: 1 });
    const back = layers.deserialize(layers.serialize(flip));
    expect(back.getConfig()).toEqual(flip.getConfig());
  });

  it("augment in fit (training), not in predict, inside a Sequential model", async () => {
    keras.utils.setRandomSeed(3);
    const augment = keras.Sequential([
      layers.RandomFlip("horizontal"),
      layers.RandomRotation(0.1),
      layers.RandomZoom(0.1),
      layers.RandomTranslation(0.1, 0.1),
      layers.RandomContrast(0.2),
      layers.RandomBrightness(0.1, { valueRange: [0, 1] }),
    ]);
    const model = keras.Sequential([
      layers.Input({ shape: [8, 8, 1] }),
      augment,
      layers.Flatten(),
      layers.Dense(1),
    ]);
    const x = tf.randomUniform([32, 8, 8, 1], 0, 1, "float32", 5);
    const y = tf.mean(x, [1, 2, 3]).reshape([32, 1]);
    // two training-mode calls differ, inference calls are equal
    const a = augment.apply(x, { training: true }) as Tensor;
    const b = augment.apply(x, { training: true }) as Tensor;
    expect(differ(a, b)).toBe(true);
    expectSame(augment.apply(x, { training: false }), x);
    model.compile({ optimizer: keras.optimizers.Adam({ learningRate: 0.01 }), loss: "mse" });
    const hist = await model.fit(x, y, { epochs: 8, batchSize: 8, verbose: 0 });
    const l = hist.history.loss as number[];
    expect(l[l.length - 1]).toBeLessThan(l[0]);
    const p1 = await (model.predict(x, { verbose: 0 }) as Tensor | Promise<Tensor>);
    const p2 = await (model.predict(x, { verbose: 0 }) as Tensor | Promise<Tensor>);
    expectSame(p1, p2, 0);
    tf.dispose([x, y, a, b, p1, p2]);
    model.dispose();
  });

  it("pass gradients to trainable layers before them", () => {
    const dense = layers.Dense(16);
    const model = keras.Sequential([layers.Input({ shape: [4] }), dense, layers.Reshape([4, 4, 1]), layers.RandomRotation(0.2, { seed: 1 }), layers.RandomZoom(0.1), layers.RandomContrast(0.3), layers.Flatten(), layers.Dense(1)]);
    model.apply(tf.zeros([2, 4]));
    const x = tf.randomUniform([2, 4]);
    const { grads } = tf.variableGrads(() => tf.sum(model.apply(x, { training: true }) as Tensor) as tf.Scalar, [
      (dense.weights[0] as unknown as { value: tf.Variable }).value,
    ] as never);
    expect(Object.keys(grads).length).toBeGreaterThan(0);
  });
});
