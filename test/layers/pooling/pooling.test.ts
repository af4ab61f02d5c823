import { describe, expect, it } from "vitest";
import { tf } from "../../../lib/backend/tfjs.js";
import { KerasTensor } from "../../../lib/backend/keras-tensor.js";
import * as keras from "../../../lib/index.js";
import { getBuiltin } from "../../../lib/saving/object-registration.js";
import type { Layer } from "../../../lib/layers/layer.js";
import { MaxPooling1D } from "../../../lib/layers/pooling/max-pooling1d.js";
import { MaxPooling2D } from "../../../lib/layers/pooling/max-pooling2d.js";
import { MaxPooling3D } from "../../../lib/layers/pooling/max-pooling3d.js";
import { AveragePooling1D } from "../../../lib/layers/pooling/average-pooling1d.js";
import { AveragePooling2D } from "../../../lib/layers/pooling/average-pooling2d.js";
import { AveragePooling3D } from "../../../lib/layers/pooling/average-pooling3d.js";
import { GlobalAveragePooling1D } from "../../../lib/layers/pooling/global-average-pooling1d.js";
import { GlobalAveragePooling2D } from "../../../lib/layers/pooling/global-average-pooling2d.js";
import { GlobalAveragePooling3D } from "../../../lib/layers/pooling/global-average-pooling3d.js";
import { GlobalMaxPooling1D } from "../../../lib/layers/pooling/global-max-pooling1d.js";
import { GlobalMaxPooling2D } from "../../../lib/layers/pooling/global-max-pooling2d.js";
import { GlobalMaxPooling3D } from "../../../lib/layers/pooling/global-max-pooling3d.js";
import { AdaptiveAveragePooling1D } from "../../../lib/layers/pooling/adaptive-average-pooling1d.js";
import { AdaptiveAveragePooling2D } from "../../../lib/layers/pooling/adaptive-average-pooling2d.js";
import { AdaptiveAveragePooling3D } from "../../../lib/layers/pooling/adaptive-average-pooling3d.js";
import { AdaptiveMaxPooling1D } from "../../../lib/layers/pooling/adaptive-max-pooling1d.js";
import { AdaptiveMaxPooling2D } from "../../../lib/layers/pooling/adaptive-max-pooling2d.js";
import { AdaptiveMaxPooling3D } from "../../../lib/layers/pooling/adaptive-max-pooling3d.js";
import { Conv1D } from "../../../lib/layers/convolutional/conv1d.js";
import { Conv2D } from "../../../lib/layers/convolutional/conv2d.js";
import { Conv3D } from "../../../lib/layers/convolutional/conv3d.js";
import { expectClose, expectNoLeaks, expectRoundTrip } from "../helpers.js";
import { checkFixture, checkGradients, checkTraining, randomTensor, toChannelsFirst } from "../convolutional/checks.js";

const { layers } = keras;

describe("pooling layers: Keras fixtures", () => {
  const cases: [string, () => Layer][] = [
    ["max_pooling1d", () => new MaxPooling1D(2, { name: "pool" })],
    ["max_pooling2d", () => new MaxPooling2D([2, 2], { name: "pool" })],
    ["max_pooling2d_odd_valid", () => new MaxPooling2D({ name: "pool" })],
    ["average_pooling1d_same", () => new AveragePooling1D(3, { name: "pool", strides: 2, padding: "same" })],
    ["average_pooling2d", () => new AveragePooling2D(2, { name: "pool" })],
    ["global_average_pooling1d", () => new GlobalAveragePooling1D({ name: "gap" })],
    ["global_average_pooling2d", () => new GlobalAveragePooling2D({ name: "gap" })],
    ["global_max_pooling2d", () => new GlobalMaxPooling2D({ name: "gmp" })],
  ];
  for (const [name, make] of cases) it(name, () => checkFixture(name, make()));
});

interface Case {
  name: string;
  make: (dataFormat?: "channels_first") => Layer;
  input: number[];
  output: (number | null)[];
  /** A trainable layer of the same rank placed before the pooling layer in the training test. */
  before: () => Layer;
}

const c1 = (): Layer => new Conv1D(3, 1);
const c2 = (): Layer => new Conv2D(3, 1);
const c3 = (): Layer => new Conv3D(3, 1);

const cases: Case[] = [
  { name: "MaxPooling1D", make: (df) => new MaxPooling1D(2, { dataFormat: df }), input: [2, 7, 3], output: [2, 3, 3], before: c1 },
  { name: "MaxPooling1D same s1", make: (df) => new MaxPooling1D(3, { strides: 1, padding: "same", dataFormat: df }), input: [2, 7, 3], output: [2, 7, 3], before: c1 },
  { name: "MaxPooling2D same s2", make: (df) => new MaxPooling2D(3, { strides: 2, padding: "same", dataFormat: df }), input: [2, 7, 6, 3], output: [2, 4, 3, 3], before: c2 },
  { name: "MaxPooling3D", make: (df) => new MaxPooling3D(undefined, { dataFormat: df }), input: [1, 4, 5, 4, 3], output: [1, 2, 2, 2, 3], before: c3 },
  { name: "AveragePooling1D same", make: (df) => new AveragePooling1D(3, { strides: 2, padding: "same", dataFormat: df }), input: [2, 8, 3], output: [2, 4, 3], before: c1 },
  { name: "AveragePooling2D (2,3)", make: (df) => new AveragePooling2D([2, 3], { dataFormat: df }), input: [2, 6, 6, 3], output: [2, 3, 2, 3], before: c2 },
  { name: "AveragePooling3D same", make: (df) => new AveragePooling3D(2, { padding: "same", dataFormat: df }), input: [1, 3, 4, 4, 3], output: [1, 2, 2, 2, 3], before: c3 },
  { name: "GlobalMaxPooling1D", make: (df) => new GlobalMaxPooling1D({ dataFormat: df }), input: [2, 6, 3], output: [2, 3], before: c1 },
  { name: "GlobalMaxPooling2D keepdims", make: (df) => new GlobalMaxPooling2D({ keepdims: true, dataFormat: df }), input: [2, 4, 5, 3], output: [2, 1, 1, 3], before: c2 },
  { name: "GlobalMaxPooling3D", make: (df) => new GlobalMaxPooling3D({ dataFormat: df }), input: [1, 3, 3, 3, 3], output: [1, 3], before: c3 },
  { name: "GlobalAveragePooling1D keepdims", make: (df) => new GlobalAveragePooling1D({ keepdims: true, dataFormat: df }), input: [2, 6, 3], output: [2, 1, 3], before: c1 },
  { name: "GlobalAveragePooling2D", make: (df) => new GlobalAveragePooling2D({ dataFormat: df }), input: [2, 4, 5, 3], output: [2, 3], before: c2 },
  { name: "GlobalAveragePooling3D keepdims", make: (df) => new GlobalAveragePooling3D({ keepdims: true, dataFormat: df }), input: [1, 3, 3, 3, 3], output: [1, 1, 1, 1, 3], before: c3 },
  { name: "AdaptiveAveragePooling1D", make: (df) => new AdaptiveAveragePooling1D(3, { dataFormat: df }), input: [2, 7, 3], output: [2, 3, 3], before: c1 },
  { name: "AdaptiveAveragePooling2D", make: (df) => new AdaptiveAveragePooling2D([2, 3], { dataFormat: df }), input: [2, 5, 7, 3], output: [2, 2, 3, 3], before: c2 },
  { name: "AdaptiveAveragePooling3D", make: (df) => new AdaptiveAveragePooling3D(2, { dataFormat: df }), input: [1, 3, 5, 4, 3], output: [1, 2, 2, 2, 3], before: c3 },
  { name: "AdaptiveMaxPooling1D", make: (df) => new AdaptiveMaxPooling1D(3, { dataFormat: df }), input: [2, 7, 3], output: [2, 3, 3], before: c1 },
  { name: "AdaptiveMaxPooling2D", make: (df) => new AdaptiveMaxPooling2D([3, 2], { dataFormat: df }), input: [2, 5, 7, 3], output: [2, 3, 2, 3], before: c2 },
  { name: "AdaptiveMaxPooling3D", make: (df) => new AdaptiveMaxPooling3D([2, 1, 2], { dataFormat: df }), input: [1, 3, 5, 4, 3], output: [1, 2, 1, 2, 3], before: c3 },
];

function cf(shape: (number | null)[]): (number | null)[] {
  return shape.length <= 2 ? shape : [shape[0], shape[shape.length - 1], ...shape.slice(1, -1)];
}

describe("pooling layers", () => {
  for (const c of cases) {
    describe(c.name, () => {
      it("output shape: computeOutputShape, KerasTensor and eager", () => {
        const layer = c.make();
        expect(layer.computeOutputShape(c.input)).toEqual(c.output);
        const sym = layer.apply(new KerasTensor([null, ...c.input.slice(1)]));
        expect(sym.shape).toEqual([null, ...c.output.slice(1)]);
        const x = randomTensor(c.input, 1);
        const y = layer.apply(x);
        expect(y.shape).toEqual(c.output);
        tf.dispose([x, y]);
      });

      it("gradients match finite differences", () => {
        const x = randomTensor(c.input, 2);
        checkGradients(c.make(), x, { eps: 1e-3, tol: 5e-3 });
        x.dispose();
      });

      it("round-trips its config", () => {
        const x = randomTensor(c.input, 3);
        expectRoundTrip(c.make(), x);
        x.dispose();
      });

      it("trains behind a convolution (the loss goes down)", () => {
        keras.utils.setRandomSeed(4);
        const conv = c.before();
        const x = randomTensor(c.input, 5);
        const target = tf.mul(randomTensor(c.output as number[], 6), 0.5);
        checkTraining([conv, c.make()], x, target);
        tf.dispose([x, target]);
        conv.dispose();
      });

      it("does not leak tensors", () => {
        expectNoLeaks(c.make(), () => randomTensor(c.input, 7));
      });

      it("channels_first gives the transposed channels_last output", () => {
        const x = randomTensor(c.input, 8);
        const xf = toChannelsFirst(x);
        const y = c.make().apply(x);
        const first = c.make("channels_first");
        const yf = first.apply(xf);
        expect(first.computeOutputShape(xf.shape)).toEqual(cf(c.output));
        const expected = y.rank > 2 ? toChannelsFirst(y) : y;
        expectClose(yf, expected, 1e-6);
        tf.dispose([x, xf, y, yf, expected]);
      });
    });
  }
});

describe("pooling layers: details", () => {
  it("hand-computed values: max, average with SAME padding counting only real positions, adaptive windows", () => {
    const x = tf.tensor3d([1, 5, 2, 4, 3], [1, 5, 1]);
    const mp = new MaxPooling1D(2, { strides: 2, padding: "same" }).apply(x);
    expectClose(mp, [5, 4, 3]);
    const ap = new AveragePooling1D(2, { strides: 2, padding: "same" }).apply(x);
    expectClose(ap, [3, 3, 3]);
    // Adaptive 5 → 2: windows [0, 3) and [2, 5).
    const aa = new AdaptiveAveragePooling1D(2).apply(x);
    expectClose(aa, [8 / 3, 3]);
    const am = new AdaptiveMaxPooling1D(2).apply(x);
    expectClose(am, [5, 4]);
    tf.dispose([x, mp, ap, aa, am]);
  });

  it("GlobalAveragePooling1D leaves masked steps out of the mean and outputs no mask", () => {
    const layer = new GlobalAveragePooling1D();
    const x = tf.tensor3d([1, 10, 3, 30, 100, 1000], [1, 3, 2]);
    const mask = tf.tensor2d([[1, 1, 0]], [1, 3], "bool");
    const y = layer.apply(x, { mask });
    expectClose(y, [2, 20]);
    expect(layer.computeMask(x, mask)).toBeNull();
    const yf = new GlobalAveragePooling1D({ dataFormat: "channels_first" }).apply(tf.transpose(x, [0, 2, 1]), { mask });
    expectClose(yf, [2, 20]);
    // With an Embedding mask (maskZero) in a model.
    const inp = layers.Input({ shape: [4], dtype: "int32" });
    const emb = layers.Embedding(5, 2, { maskZero: true, embeddingsInitializer: "ones" });
    const out = new GlobalAveragePooling1D()(emb(inp));
    const model = keras.Model({ inputs: inp, outputs: out });
    const ids = tf.tensor2d([[1, 2, 0, 0]], [1, 4], "int32");
    const pooled = model.apply(ids) as tf.Tensor;
    expectClose(pooled, [1, 1]);
    tf.dispose([x, mask, y, yf, ids, pooled]);
    model.dispose();
  });

  it("accepts the callable, options-only and alias forms, and registers the aliases", () => {
    expect(layers.MaxPool2D()).toBeInstanceOf(MaxPooling2D);
    expect(layers.MaxPooling2D().poolSize).toEqual([2, 2]);
    expect(layers.MaxPooling1D({ poolSize: 3 }).strides).toEqual([3]);
    expect(layers.AvgPool3D(2)).toBeInstanceOf(AveragePooling3D);
    expect(layers.GlobalAvgPool1D()).toBeInstanceOf(GlobalAveragePooling1D);
    expect(layers.GlobalMaxPool3D()).toBeInstanceOf(GlobalMaxPooling3D);
    expect(layers.AdaptiveMaxPooling2D({ outputSize: 4 }).outputSize).toEqual([4, 4]);
    for (const [alias, cls] of [
      ["MaxPool1D", MaxPooling1D],
      ["AvgPool2D", AveragePooling2D],
      ["GlobalAvgPool2D", GlobalAveragePooling2D],
      ["GlobalMaxPool1D", GlobalMaxPooling1D],
    ] as const) {
      expect(getBuiltin(alias, "keras.layers")?.cls).toBe(cls);
    }
  });

  it("validates its arguments and inputs", () => {
    expect(() => new AveragePooling2D(undefined as unknown as number)).toThrow(/pool_size/);
    expect(() => new MaxPooling2D([2, 2, 2])).toThrow(/pool_size/);
    expect(() => new MaxPooling2D(2, { padding: "full" })).toThrow(/padding/);
    expect(() => new AdaptiveAveragePooling2D([2, 2, 2])).toThrow(/output_size/);
    expect(() => new GlobalMaxPooling2D({ dataFormat: "NHWC" as "channels_first" })).toThrow(/data_format/);
    const pool = new MaxPooling2D(2, { name: "mp" });
    const bad = tf.zeros([2, 4, 4]);
    expect(() => pool.apply(bad)).toThrow(/mp.*ndim=4, found ndim=3/);
    expect(() => pool.computeOutputShape([null, 1, 1, 3])).toThrow(/mp.*zero or negative/);
    bad.dispose();
  });

  it("the configs carry Keras's keys", () => {
    expect(new MaxPooling3D(2, { strides: 1, padding: "same" }).getConfig()).toMatchObject({
      pool_size: [2, 2, 2],
      padding: "same",
      strides: [1, 1, 1],
      data_format: "channels_last",
    });
    expect(new GlobalMaxPooling3D({ keepdims: true }).getConfig()).toMatchObject({ data_format: "channels_last", keepdims: true });
    expect(new AdaptiveMaxPooling3D(3).getConfig()).toMatchObject({ output_size: [3, 3, 3], data_format: "channels_last" });
  });
});
