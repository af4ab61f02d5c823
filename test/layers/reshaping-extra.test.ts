import { beforeEach, describe, expect, it } from "vitest";
import { tf, type Tensor } from "../../lib/backend/tfjs.js";
import { KerasTensor, type Shape } from "../../lib/backend/keras-tensor.js";
import * as keras from "../../lib/index.js";
import { Cropping1D } from "../../lib/layers/reshaping/cropping1d.js";
import { Cropping2D } from "../../lib/layers/reshaping/cropping2d.js";
import { Cropping3D } from "../../lib/layers/reshaping/cropping3d.js";
import { ZeroPadding1D } from "../../lib/layers/reshaping/zero-padding1d.js";
import { ZeroPadding2D } from "../../lib/layers/reshaping/zero-padding2d.js";
import { ZeroPadding3D } from "../../lib/layers/reshaping/zero-padding3d.js";
import { UpSampling1D } from "../../lib/layers/reshaping/up-sampling1d.js";
import { UpSampling2D } from "../../lib/layers/reshaping/up-sampling2d.js";
import { UpSampling3D } from "../../lib/layers/reshaping/up-sampling3d.js";
import type { Layer } from "../../lib/layers/layer.js";
import { expectClose, expectNoLeaks, expectRoundTrip } from "./helpers.js";
import { checkInputGrad } from "./attention/check-grad.js";

const { layers } = keras;

function iota(shape: number[]): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(Array.from({ length: n }, (_, i) => i), shape, "float32");
}

/** Shape via computeOutputShape and via a KerasTensor call; gradient; round trip; no leaks. */
function checkCommon(layer: Layer, x: Tensor, symbolic: Shape, expected: Shape): void {
  expect(layer.computeOutputShape(symbolic)).toEqual(expected);
  expect((layer.apply(new KerasTensor(symbolic)) as unknown as KerasTensor).shape).toEqual(expected);
  checkInputGrad((t) => layer.apply(t) as Tensor, x);
  expectRoundTrip(layer, x);
  expectNoLeaks(layer, () => tf.ones(x.shape));
}

describe("Cropping1D/2D/3D", () => {
  it("Cropping1D crops the steps axis", () => {
    const layer = new Cropping1D([1, 2]);
    const x = iota([1, 5, 2]);
    const y = layer.apply(x) as Tensor;
    expectClose(y, [2, 3, 4, 5], 0);
    expect(layer.getConfig()).toMatchObject({ cropping: [1, 2] });
    expect(new Cropping1D().cropping).toEqual([1, 1]);
    expect(layers.Cropping1D({ cropping: 2 }).cropping).toEqual([2, 2]);
    expect(() => new Cropping1D([3, 2]).apply(x)).toThrow(/smaller than the input length/);
    checkCommon(layer, x, [null, 5, 2], [null, 2, 2]);
    expect(layer.computeOutputShape([null, null, 2])).toEqual([null, null, 2]);
    tf.dispose([x, y]);
  });

  it("Cropping2D: int, symmetric pairs, explicit pairs, channels_first", () => {
    const x = iota([1, 4, 4, 1]);
    const y = new Cropping2D(1).apply(x) as Tensor;
    expectClose(y, [5, 6, 9, 10], 0);
    const sym = new Cropping2D([1, 0]);
    expect(sym.cropping).toEqual([[1, 1], [0, 0]]);
    const layer = layers.Cropping2D([[0, 1], [2, 0]]);
    const y2 = layer.apply(x) as Tensor;
    expectClose(y2, [2, 3, 6, 7, 10, 11], 0);
    expect(layer.getConfig()).toMatchObject({ cropping: [[0, 1], [2, 0]], data_format: "channels_last" });
    const cf = new Cropping2D({ cropping: [[0, 1], [2, 0]], dataFormat: "channels_first" });
    const y3 = cf.apply(tf.transpose(x, [0, 3, 1, 2])) as Tensor;
    expectClose(y3, [2, 3, 6, 7, 10, 11], 0);
    expect(new Cropping2D().getConfig().cropping).toEqual([[0, 0], [0, 0]]);
    expect(() => new Cropping2D([[1, 2, 3], [0, 0]] as never)).toThrow(/cropping/);
    expect(() => new Cropping2D(2).apply(x)).toThrow(/smaller than/);
    checkCommon(layer, x, [null, 4, null, 1], [null, 3, null, 1]);
    tf.dispose([x, y, y2, y3]);
  });

  it("Cropping3D (default one on every side)", () => {
    const layer = new Cropping3D();
    const x = iota([1, 3, 3, 3, 2]);
    const y = layer.apply(x) as Tensor;
    expectClose(y, [26, 27], 0);
    expect(layer.getConfig()).toMatchObject({ cropping: [[1, 1], [1, 1], [1, 1]] });
    const cf = new Cropping3D({ cropping: [[1, 0], [0, 1], [0, 0]], dataFormat: "channels_first" });
    expect(cf.computeOutputShape([null, 2, 3, 3, 3])).toEqual([null, 2, 2, 2, 3]);
    checkCommon(layer, x, [null, 3, 3, 3, 2], [null, 1, 1, 1, 2]);
    tf.dispose([x, y]);
  });
});

describe("ZeroPadding1D/2D/3D", () => {
  it("ZeroPadding1D pads the steps axis (both data formats)", () => {
    const layer = new ZeroPadding1D([1, 2]);
    const x = tf.tensor3d([[[1], [2]]]);
    const y = layer.apply(x) as Tensor;
    expectClose(y, [0, 1, 2, 0, 0], 0);
    expect(layer.getConfig()).toMatchObject({ padding: [1, 2], data_format: "channels_last" });
    const cf = layers.ZeroPadding1D({ padding: 1, dataFormat: "channels_first" });
    expectClose(cf.apply(tf.tensor3d([[[1, 2]]])) as Tensor, [0, 1, 2, 0], 0);
    checkCommon(layer, x, [null, 2, 1], [null, 5, 1]);
    tf.dispose([x, y]);
  });

  it("ZeroPadding2D and ZeroPadding3D", () => {
    const x = tf.tensor4d([[[[1], [2]], [[3], [4]]]]);
    const layer = new ZeroPadding2D([[1, 0], [0, 1]]);
    const y = layer.apply(x) as Tensor;
    expectClose(y, [0, 0, 0, 1, 2, 0, 3, 4, 0], 0);
    expect(layer.getConfig()).toMatchObject({ padding: [[1, 0], [0, 1]] });
    expect(new ZeroPadding2D().padding).toEqual([[1, 1], [1, 1]]);
    expect(new ZeroPadding2D([2, 3]).padding).toEqual([[2, 2], [3, 3]]);
    checkCommon(layer, x, [null, 2, null, 1], [null, 3, null, 1]);
    const p3 = layers.ZeroPadding3D(1);
    const x3 = tf.ones([1, 1, 1, 1, 2]);
    const y3 = p3.apply(x3) as Tensor;
    expect(y3.shape).toEqual([1, 3, 3, 3, 2]);
    expect(tf.sum(y3).dataSync()[0]).toBe(2);
    expectClose(y3.slice([0, 1, 1, 1, 0], [1, 1, 1, 1, 2]), [1, 1], 0);
    checkCommon(p3, tf.randomNormal([1, 1, 2, 1, 1], 0, 1, "float32", 3), [null, 1, 2, 1, 1], [null, 3, 4, 3, 1]);
    tf.dispose([x, y, x3, y3]);
  });
});

describe("UpSampling1D/2D/3D", () => {
  it("UpSampling1D repeats steps", () => {
    const layer = new UpSampling1D(3);
    const x = tf.tensor3d([[[1, 10], [2, 20]]]);
    expectClose(layer.apply(x) as Tensor, [1, 10, 1, 10, 1, 10, 2, 20, 2, 20, 2, 20], 0);
    expect(layer.getConfig()).toMatchObject({ size: 3 });
    expect(new UpSampling1D().size).toBe(2);
    expect(() => new UpSampling1D(0)).toThrow(/positive/);
    checkCommon(layer, x, [null, 2, 2], [null, 6, 2]);
    x.dispose();
  });

  it("UpSampling2D nearest and bilinear (half-pixel centers, hand-computed), channels_first", () => {
    const x = tf.tensor4d([[[[1], [2]], [[3], [4]]]]);
    const near = new UpSampling2D([2, 1]);
    expectClose(near.apply(x) as Tensor, [1, 2, 1, 2, 3, 4, 3, 4], 0);
    const bil = layers.UpSampling2D({ size: 2, interpolation: "bilinear" });
    const y = bil.apply(x) as Tensor;
    // 1D weights of the 4 output positions over the 2 inputs.
    const w = [[1, 0], [0.75, 0.25], [0.25, 0.75], [0, 1]];
    const v = [[1, 2], [3, 4]];
    const exp: number[] = [];
    for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) {
      let s = 0;
      for (let a = 0; a < 2; a++) for (let b = 0; b < 2; b++) s += w[i][a] * w[j][b] * v[a][b];
      exp.push(s);
    }
    expectClose(y, exp, 1e-6);
    expect(bil.getConfig()).toMatchObject({ size: [2, 2], data_format: "channels_last", interpolation: "bilinear" });
    const cf = new UpSampling2D({ size: 2, dataFormat: "channels_first", interpolation: "bilinear" });
    const ycf = cf.apply(tf.transpose(x, [0, 3, 1, 2])) as Tensor;
    expectClose(ycf, exp, 1e-6);
    expect(() => new UpSampling2D({ interpolation: "lanczos3" })).toThrow(/not supported/);
    checkCommon(near, x, [null, 2, null, 1], [null, 4, null, 1]);
    checkCommon(bil, tf.randomNormal([1, 2, 3, 2], 0, 1, "float32", 4), [null, 2, 3, 2], [null, 4, 6, 2]);
    tf.dispose([x, y, ycf]);
  });

  it("UpSampling3D repeats along the 3 spatial axes", () => {
    const layer = new UpSampling3D([1, 2, 1]);
    const x = tf.tensor5d([[[[[1], [2]], [[3], [4]]]]]);
    const y = layer.apply(x) as Tensor;
    expectClose(y, [1, 2, 1, 2, 3, 4, 3, 4], 0);
    expect(layer.getConfig()).toMatchObject({ size: [1, 2, 1], data_format: "channels_last" });
    const cf = layers.UpSampling3D({ size: 2, dataFormat: "channels_first" });
    expect(cf.computeOutputShape([null, 3, 1, 2, null])).toEqual([null, 3, 2, 4, null]);
    checkCommon(layers.UpSampling3D(2), tf.randomNormal([1, 1, 2, 1, 2], 0, 1, "float32", 5), [null, 1, 2, 1, 2], [null, 2, 4, 2, 2]);
    tf.dispose([x, y]);
  });
});

describe("reshaping layers in training", () => {
  beforeEach(() => {
    keras.backend.clearSession();
    keras.utils.setRandomSeed(6);
  });

  it("fit lowers the loss of a model chaining padding, cropping and up-sampling", async () => {
    const model = keras.Sequential([
      layers.Input({ shape: [3, 3, 1] }),
      layers.ZeroPadding2D(1),
      layers.UpSampling2D({ size: 2, interpolation: "bilinear" }),
      layers.Cropping2D(2),
      layers.Reshape([6, 6]),
      layers.ZeroPadding1D(1),
      layers.UpSampling1D(2),
      layers.Cropping1D([2, 2]),
      layers.Reshape([12, 6, 1, 1]),
      layers.UpSampling3D([1, 1, 2]),
      layers.ZeroPadding3D([[0, 0], [0, 0], [1, 1]]),
      layers.Cropping3D([[0, 0], [0, 0], [1, 1]]),
      layers.Flatten(),
      layers.Dense(1),
    ]);
    const x = tf.randomNormal([32, 3, 3, 1], 0, 1, "float32", 7);
    const y = tf.sum(x, [1, 2, 3]).reshape([32, 1]);
    model.compile({ optimizer: keras.optimizers.Adam({ learningRate: 0.01 }), loss: "mse" });
    const hist = await model.fit(x, y, { epochs: 10, batchSize: 8, verbose: 0 });
    const l = hist.history.loss as number[];
    expect(l[l.length - 1]).toBeLessThan(l[0] * 0.5);
    tf.dispose([x, y]);
    model.dispose();
  });
});
