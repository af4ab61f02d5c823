import { beforeEach, describe, expect, it } from "vitest";
import { tf, type Tensor } from "../../lib/backend/tfjs.js";
import { KerasTensor } from "../../lib/backend/keras-tensor.js";
import * as keras from "../../lib/index.js";
import { SpatialDropout1D, SpatialDropout2D, SpatialDropout3D } from "../../lib/layers/regularization/spatial-dropout.js";
import { GaussianNoise } from "../../lib/layers/regularization/gaussian-noise.js";
import { GaussianDropout } from "../../lib/layers/regularization/gaussian-dropout.js";
import { AlphaDropout } from "../../lib/layers/regularization/alpha-dropout.js";
import { ActivityRegularization } from "../../lib/layers/regularization/activity-regularization.js";
import type { Layer } from "../../lib/layers/layer.js";
import { expectClose, expectNoLeaks } from "./helpers.js";
import { checkInputGrad } from "./attention/check-grad.js";

const { layers } = keras;

function rand(shape: number[], seed: number, mean = 0): Tensor {
  return tf.randomNormal(shape, mean, 1, "float32", seed);
}

function stats(t: Tensor): { mean: number; std: number } {
  const v = Array.from(t.dataSync());
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  const std = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length);
  return { mean, std };
}

/**
 * In training mode the layer is `y = x * m + c` with random m, c drawn per call;
 * checks that the gradient of sum(y * r) is `m * r` where m = dy/dx is read
 * off the same call (y = x·m for multiplicative noise, y = x + n for additive).
 */
function trainingGrad(layer: Layer, x: Tensor): { y: Tensor; g: Tensor } {
  let y: Tensor | null = null;
  const g = tf.grad((t: Tensor) => {
    const out = layer.apply(t, { training: true }) as Tensor;
    y = tf.keep(tf.clone(out));
    return tf.sum(out);
  })(x);
  return { y: y as unknown as Tensor, g };
}

/** Inference is the identity: same values, identity gradient, round trip and no leaks. */
function checkInference(layer: Layer, x: Tensor): void {
  const y = layer.apply(x) as Tensor;
  expectClose(y, x, 0);
  const y2 = layer.apply(x, { training: false }) as Tensor;
  expectClose(y2, x, 0);
  checkInputGrad((t) => layer.apply(t) as Tensor, x);
  // Round trip (expectRoundTrip disposes the outputs, which are the input here).
  const cls = layer.constructor as unknown as { fromConfig(c: Record<string, unknown>): Layer };
  const json = JSON.parse(JSON.stringify(layer.getConfig())) as Record<string, unknown>;
  const clone = cls.fromConfig(json);
  expect(clone.constructor).toBe(layer.constructor);
  expect(JSON.parse(JSON.stringify(clone.getConfig()))).toEqual(json);
  expectClose(clone.apply(x) as Tensor, x, 0);
  expect((layer.apply(new KerasTensor([null, ...x.shape.slice(1)])) as unknown as KerasTensor).shape).toEqual([null, ...x.shape.slice(1)]);
  expect(layer.computeOutputShape([null, ...x.shape.slice(1)])).toEqual([null, ...x.shape.slice(1)]);
  expectNoLeaks(layer, () => tf.ones(x.shape), { training: true });
  expectNoLeaks(layer, () => tf.ones(x.shape));
  tf.dispose([y, y2].filter((t) => t !== x));
}

describe("SpatialDropout1D/2D/3D", () => {
  beforeEach(() => keras.utils.setRandomSeed(4));

  it("drops whole feature maps while training, scaling the kept ones by 1/(1-rate)", () => {
    const cases: [Layer, number[], number[]][] = [
      [new SpatialDropout1D(0.5, { seed: 1 }), [4, 6, 8], [1]],
      [new SpatialDropout2D(0.5, { seed: 2 }), [4, 3, 3, 8], [1, 2]],
      [new SpatialDropout2D(0.5, { seed: 3, dataFormat: "channels_first" }), [4, 8, 3, 3], [2, 3]],
      [new SpatialDropout3D(0.5, { seed: 4 }), [2, 2, 2, 2, 8], [1, 2, 3]],
      [new SpatialDropout3D(0.5, { seed: 5, dataFormat: "channels_first" }), [2, 8, 2, 2, 2], [2, 3, 4]],
    ];
    for (const [layer, shape, spatial] of cases) {
      const x = tf.add(tf.abs(rand(shape, 9)), 0.1);
      const { y, g } = trainingGrad(layer, x);
      const ratio = tf.div(y, x);
      // each feature map is entirely 0 or entirely 2
      const mx = tf.max(ratio, spatial);
      const mn = tf.min(ratio, spatial);
      expectClose(mx, Array.from(mn.dataSync()), 1e-5);
      const vals = new Set(Array.from(mx.dataSync()).map((v) => Math.round(v * 1000) / 1000));
      expect([...vals].sort()).toEqual([0, 2]);
      // gradient = dy/dx = the same mask
      expectClose(g, ratio, 1e-5);
      tf.dispose([x, y, g, ratio, mx, mn]);
    }
  });

  it("configs are Keras's ({rate, seed, name, dtype} [+ data_format]); input rank is checked", () => {
    const d1 = layers.SpatialDropout1D(0.2, { seed: 3, name: "sd" });
    expect(d1.getConfig()).toEqual({ rate: 0.2, seed: 3, name: "sd", dtype: "float32" });
    const d2 = layers.SpatialDropout2D({ rate: 0.3 });
    expect(Object.keys(d2.getConfig())).toEqual(["rate", "seed", "name", "dtype", "data_format"]);
    expect(layers.SpatialDropout3D(0.1).getConfig().data_format).toBe("channels_last");
    expect(() => d1.apply(tf.ones([2, 3]))).toThrow();
    expect(() => layers.SpatialDropout1D(1.5)).toThrow(/rate/);
  });

  it("inference is the identity; gradients, round trips, shapes, leaks", () => {
    checkInference(new SpatialDropout1D(0.3), rand([2, 3, 4], 1));
    checkInference(new SpatialDropout2D(0.3), rand([2, 2, 2, 3], 2));
    checkInference(new SpatialDropout3D(0.3, { dataFormat: "channels_first" }), rand([1, 2, 2, 2, 2], 3));
  });
});

describe("GaussianNoise", () => {
  it("adds N(0, stddev²) noise only while training", () => {
    const layer = new GaussianNoise(0.5, { seed: 1 });
    const x = rand([100, 100], 2);
    const { y, g } = trainingGrad(layer, x);
    const s = stats(tf.sub(y, x));
    expect(Math.abs(s.mean)).toBeLessThan(0.02);
    expect(Math.abs(s.std - 0.5)).toBeLessThan(0.02);
    expectClose(g, new Array(10000).fill(1), 0);
    expect(layer.getConfig()).toMatchObject({ stddev: 0.5, seed: 1 });
    expect(() => new GaussianNoise(2)).toThrow(/stddev/);
    checkInference(layers.GaussianNoise(0.2), rand([2, 3], 3));
    tf.dispose([x, y, g]);
  });
});

describe("GaussianDropout", () => {
  it("multiplies by N(1, rate/(1-rate)) noise only while training", () => {
    const layer = new GaussianDropout(0.2, { seed: 1 });
    const x = tf.add(tf.abs(rand([100, 100], 4)), 0.5);
    const { y, g } = trainingGrad(layer, x);
    const m = tf.div(y, x);
    const s = stats(m);
    expect(Math.abs(s.mean - 1)).toBeLessThan(0.02);
    expect(Math.abs(s.std - Math.sqrt(0.25))).toBeLessThan(0.02);
    expectClose(g, m, 1e-4);
    expect(layer.getConfig()).toMatchObject({ rate: 0.2, seed: 1 });
    checkInference(layers.GaussianDropout(0.4), rand([2, 3], 5));
    tf.dispose([x, y, g, m]);
  });
});

describe("AlphaDropout", () => {
  it("keeps the mean and variance of standard normal inputs; dropped units take a*alpha_p+b", () => {
    const rate = 0.2;
    const layer = new AlphaDropout(rate, { seed: 2 });
    const x = rand([200, 100], 6);
    const { y, g } = trainingGrad(layer, x);
    const s = stats(y);
    expect(Math.abs(s.mean)).toBeLessThan(0.03);
    expect(Math.abs(s.std - 1)).toBeLessThan(0.03);
    const alphaP = -1.6732632423543772 * 1.0507009873554805;
    const a = ((1 - rate) * (1 + rate * alphaP ** 2)) ** -0.5;
    const b = -a * alphaP * rate;
    const gv = Array.from(g.dataSync());
    const yv = Array.from(y.dataSync());
    const xv = Array.from(x.dataSync());
    let dropped = 0;
    for (let i = 0; i < gv.length; i++) {
      if (gv[i] === 0) {
        dropped++;
        expect(Math.abs(yv[i] - (a * alphaP + b))).toBeLessThan(1e-5);
      } else {
        expect(Math.abs(gv[i] - a)).toBeLessThan(1e-5);
        expect(Math.abs(yv[i] - (a * xv[i] + b))).toBeLessThan(1e-4);
      }
    }
    expect(Math.abs(dropped / gv.length - rate)).toBeLessThan(0.01);
    expect(layer.getConfig()).toMatchObject({ rate, seed: 2, noise_shape: null });
    // noise shape: same mask for every row
    const shared = new AlphaDropout(0.5, { noiseShape: [1, null], seed: 3 });
    const ys = shared.apply(tf.ones([4, 50]), { training: true }) as Tensor;
    const rows = ys.arraySync() as number[][];
    for (const r of rows) expect(r).toEqual(rows[0]);
    checkInference(layers.AlphaDropout(0.3), rand([2, 3], 7));
    tf.dispose([x, y, g, ys]);
  });
});

describe("ActivityRegularization", () => {
  it("is the identity and adds l1*sum|x| + l2*sum(x²) to losses", () => {
    const layer = layers.ActivityRegularization({ l1: 0.1, l2: 0.01 });
    const x = tf.tensor2d([[1, -2], [3, 0]]);
    const y = layer.apply(x) as Tensor;
    expectClose(y, x, 0);
    const losses = layer.losses;
    expect(losses).toHaveLength(1);
    expectClose(losses[0], [0.1 * 6 + 0.01 * 14], 1e-6);
    tf.dispose(losses);
    expect(layer.getConfig()).toEqual({ name: layer.name, trainable: true, dtype: layer.getConfig().dtype, l1: 0.1, l2: 0.01 });
    checkInference(layer, tf.tensor2d([[0.5, -1.5]]));
    expect(new ActivityRegularization().getConfig()).toMatchObject({ l1: 0, l2: 0 });
    x.dispose();
  });
});

describe("regularization layers in training", () => {
  beforeEach(() => {
    keras.backend.clearSession();
    keras.utils.setRandomSeed(5);
  });

  it("fit lowers the loss of a model using every noise layer (training-only behaviour)", async () => {
    const model = keras.Sequential([
      layers.Input({ shape: [4, 3] }),
      layers.SpatialDropout1D(0.1),
      layers.GaussianNoise(0.05),
      layers.Flatten(),
      layers.Dense(16, { activation: "selu" }),
      layers.AlphaDropout(0.05),
      layers.GaussianDropout(0.05),
      layers.ActivityRegularization({ l2: 1e-4 }),
      layers.Dense(1),
    ]);
    const x = rand([64, 4, 3], 8);
    const y = tf.sum(x, [1, 2]).reshape([64, 1]);
    model.compile({ optimizer: keras.optimizers.Adam({ learningRate: 0.01 }), loss: "mse" });
    const hist = await model.fit(x, y, { epochs: 10, batchSize: 16, verbose: 0 });
    const l = hist.history.loss as number[];
    expect(l[l.length - 1]).toBeLessThan(l[0] * 0.7);
    // inference is deterministic
    const p1 = model.predict(x, { verbose: 0 }) as Tensor | Promise<Tensor>;
    const p2 = model.predict(x, { verbose: 0 }) as Tensor | Promise<Tensor>;
    expectClose(await p1, await p2, 0);
    tf.dispose([x, y, await p1, await p2]);
    model.dispose();
  });
});
