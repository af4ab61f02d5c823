import { describe, expect, it } from "vitest";
import { tf, type Tensor } from "../../../lib/backend/tfjs.js";
import { KerasTensor } from "../../../lib/backend/keras-tensor.js";
import * as keras from "../../../lib/index.js";
import { getBuiltin } from "../../../lib/saving/object-registration.js";
import type { Layer } from "../../../lib/layers/layer.js";
import { Conv1D } from "../../../lib/layers/convolutional/conv1d.js";
import { Conv2D } from "../../../lib/layers/convolutional/conv2d.js";
import { Conv3D } from "../../../lib/layers/convolutional/conv3d.js";
import { Conv1DTranspose } from "../../../lib/layers/convolutional/conv1d-transpose.js";
import { Conv2DTranspose } from "../../../lib/layers/convolutional/conv2d-transpose.js";
import { Conv3DTranspose } from "../../../lib/layers/convolutional/conv3d-transpose.js";
import { DepthwiseConv1D } from "../../../lib/layers/convolutional/depthwise-conv1d.js";
import { DepthwiseConv2D } from "../../../lib/layers/convolutional/depthwise-conv2d.js";
import { SeparableConv1D } from "../../../lib/layers/convolutional/separable-conv1d.js";
import { SeparableConv2D } from "../../../lib/layers/convolutional/separable-conv2d.js";
import { expectClose, expectNoLeaks, expectRoundTrip } from "../helpers.js";
import { checkFixture, checkGradients, checkTraining, randomTensor, toChannelsFirst } from "./checks.js";

const { layers } = keras;

describe("convolution layers: Keras fixtures", () => {
  const cases: [string, () => Layer][] = [
    ["conv1d_valid", () => new Conv1D(4, 3, { name: "conv" })],
    ["conv1d_same_dilated", () => new Conv1D(4, 3, { name: "conv", padding: "same", dilationRate: 2 })],
    ["conv2d_same_s1", () => new Conv2D(4, 3, { name: "conv", padding: "same" })],
    ["conv2d_same_s2", () => new Conv2D(4, 3, { name: "conv", padding: "same", strides: 2 })],
    ["conv2d_valid_s2", () => new Conv2D(4, [3, 3], { name: "conv", strides: [2, 2] })],
    ["conv2d_valid_kernel_2x3_relu", () => new Conv2D({ filters: 2, kernelSize: [2, 3], activation: "relu", name: "conv" })],
    ["conv2d_transpose_valid_s1_k2", () => new Conv2DTranspose(2, 2, { name: "deconv" })],
    ["conv2d_transpose_valid_s2", () => new Conv2DTranspose(3, 3, { name: "deconv", strides: 2 })],
    ["depthwise_conv2d_same", () => new DepthwiseConv2D(3, { name: "dwconv", depthMultiplier: 2, padding: "same" })],
    ["separable_conv2d_valid", () => new SeparableConv2D(4, 3, { name: "sepconv", depthMultiplier: 2 })],
  ];
  for (const [name, make] of cases) it(name, () => checkFixture(name, make()));

  it("fromConfig of each fixture's layer_config gives the fixture's output", async () => {
    const { loadFixture, tensorOf } = await import("../helpers.js");
    for (const [name] of cases) {
      const f = loadFixture(name);
      const cls = getBuiltin(f.layer_class, "keras.layers")!.cls as unknown as { fromConfig(c: Record<string, unknown>): Layer };
      const layer = cls.fromConfig(f.layer_config);
      const x = tensorOf(f.inputs[0]);
      layer.build(x.shape);
      layer.setWeights(f.weights.map(tensorOf));
      const y = layer.apply(x);
      expectClose(y, f.output, 1e-5);
      tf.dispose([x, y]);
      layer.dispose();
    }
  });
});

interface Case {
  name: string;
  make: () => Layer;
  input: number[];
  output: (number | null)[];
  /** A channels_first twin, same weights, compared on the transposed input. */
  channelsFirst?: () => Layer;
}

const cases: Case[] = [
  { name: "Conv1D valid", make: () => new Conv1D(3, 3), input: [2, 9, 2], output: [2, 7, 3] },
  { name: "Conv1D causal dilated", make: () => new Conv1D(3, 3, { padding: "causal", dilationRate: 2 }), input: [2, 9, 2], output: [2, 9, 3] },
  { name: "Conv1D same s2 groups", make: () => new Conv1D(4, 3, { padding: "same", strides: 2, groups: 2 }), input: [2, 9, 4], output: [2, 5, 4],
    channelsFirst: () => new Conv1D(4, 3, { padding: "same", strides: 2, groups: 2, dataFormat: "channels_first" }) },
  { name: "Conv2D same s2", make: () => new Conv2D(3, 3, { padding: "same", strides: 2, activation: "tanh" }), input: [2, 7, 6, 2], output: [2, 4, 3, 3],
    channelsFirst: () => new Conv2D(3, 3, { padding: "same", strides: 2, activation: "tanh", dataFormat: "channels_first" }) },
  { name: "Conv2D valid dilated", make: () => new Conv2D(2, [2, 3], { dilationRate: [2, 1] }), input: [1, 7, 6, 3], output: [1, 5, 4, 2] },
  { name: "Conv3D same", make: () => new Conv3D(2, 2, { padding: "same" }), input: [1, 4, 3, 4, 2], output: [1, 4, 3, 4, 2],
    channelsFirst: () => new Conv3D(2, 2, { padding: "same", dataFormat: "channels_first" }) },
  { name: "Conv3D valid s2 groups", make: () => new Conv3D(4, 2, { strides: 2, groups: 2 }), input: [1, 5, 4, 4, 2], output: [1, 2, 2, 2, 4] },
  { name: "Conv1DTranspose valid s2", make: () => new Conv1DTranspose(3, 3, { strides: 2 }), input: [2, 5, 2], output: [2, 11, 3] },
  { name: "Conv1DTranspose same output_padding", make: () => new Conv1DTranspose(2, 3, { strides: 2, padding: "same", outputPadding: 1 }), input: [1, 4, 2], output: [1, 8, 2] },
  { name: "Conv2DTranspose same s2", make: () => new Conv2DTranspose(2, 3, { strides: 2, padding: "same" }), input: [1, 3, 4, 2], output: [1, 6, 8, 2],
    channelsFirst: () => new Conv2DTranspose(2, 3, { strides: 2, padding: "same", dataFormat: "channels_first" }) },
  { name: "Conv2DTranspose dilated", make: () => new Conv2DTranspose(2, 2, { dilationRate: 2 }), input: [1, 3, 3, 2], output: [1, 5, 5, 2] },
  { name: "Conv3DTranspose valid s2", make: () => new Conv3DTranspose(2, 2, { strides: 2 }), input: [1, 2, 3, 2, 2], output: [1, 4, 6, 4, 2] },
  { name: "DepthwiseConv1D", make: () => new DepthwiseConv1D(3, { depthMultiplier: 2, padding: "same" }), input: [2, 7, 3], output: [2, 7, 6],
    channelsFirst: () => new DepthwiseConv1D(3, { depthMultiplier: 2, padding: "same", dataFormat: "channels_first" }) },
  { name: "DepthwiseConv2D s2", make: () => new DepthwiseConv2D(3, { strides: 2 }), input: [2, 7, 7, 2], output: [2, 3, 3, 2],
    channelsFirst: () => new DepthwiseConv2D(3, { strides: 2, dataFormat: "channels_first" }) },
  { name: "SeparableConv1D", make: () => new SeparableConv1D(4, 3, { depthMultiplier: 2 }), input: [2, 8, 3], output: [2, 6, 4] },
  { name: "SeparableConv2D same", make: () => new SeparableConv2D(3, 3, { padding: "same", activation: "sigmoid" }), input: [2, 5, 5, 2], output: [2, 5, 5, 3],
    channelsFirst: () => new SeparableConv2D(3, 3, { padding: "same", activation: "sigmoid", dataFormat: "channels_first" }) },
];

describe("convolution layers", () => {
  for (const c of cases) {
    describe(c.name, () => {
      it("output shape: computeOutputShape, KerasTensor and eager", () => {
        const layer = c.make();
        expect(layer.computeOutputShape(c.input)).toEqual(c.output);
        expect(layer.computeOutputShape([null, ...c.input.slice(1)])).toEqual([null, ...c.output.slice(1)]);
        const sym = layer.apply(new KerasTensor([null, ...c.input.slice(1)]));
        expect(sym).toBeInstanceOf(KerasTensor);
        expect(sym.shape).toEqual([null, ...c.output.slice(1)]);
        const x = randomTensor(c.input, 1);
        const y = layer.apply(x);
        expect(y.shape).toEqual(c.output);
        tf.dispose([x, y]);
        layer.dispose();
      });

      it("gradients match finite differences (input and weights)", () => {
        const layer = c.make();
        const x = randomTensor(c.input, 2);
        checkGradients(layer, x);
        x.dispose();
        layer.dispose();
      });

      it("round-trips its config", () => {
        const layer = c.make();
        const x = randomTensor(c.input, 3);
        const clone = expectRoundTrip(layer, x);
        x.dispose();
        layer.dispose();
        clone.dispose();
      });

      it("trains (the loss goes down)", () => {
        keras.utils.setRandomSeed(4);
        const layer = c.make();
        const x = randomTensor(c.input, 5);
        const target = tf.mul(randomTensor(c.output as number[], 6), 0.5);
        checkTraining([layer], x, target);
        tf.dispose([x, target]);
        layer.dispose();
      });

      it("does not leak tensors", () => {
        const layer = c.make();
        expectNoLeaks(layer, () => randomTensor(c.input, 7));
        layer.dispose();
      });

      if (c.channelsFirst) {
        it("channels_first gives the transposed channels_last output with the same weights", () => {
          const last = c.make();
          const first = c.channelsFirst!();
          const x = randomTensor(c.input, 8);
          const xf = toChannelsFirst(x);
          const y = last.apply(x);
          first.build(xf.shape);
          const ws = last.getWeights();
          first.setWeights(ws);
          const yf = first.apply(xf);
          expect(first.computeOutputShape(xf.shape)).toEqual(yf.shape);
          const yfl = toChannelsFirst(y);
          expectClose(yf, yfl, 1e-5);
          tf.dispose([x, xf, y, yf, yfl, ...ws]);
          last.dispose();
          first.dispose();
        });
      }
    });
  }
});

describe("convolution layers: details", () => {
  it("weight names, order and layouts are Keras's", () => {
    const conv = new Conv2D(5, [2, 3], { groups: 1 });
    conv.build([null, 8, 8, 4]);
    expect(conv.weights.map((w) => [w.name, w.shape])).toEqual([
      ["kernel", [2, 3, 4, 5]],
      ["bias", [5]],
    ]);
    const grouped = new Conv1D(6, 3, { groups: 3, useBias: false });
    grouped.build([null, 8, 9]);
    expect(grouped.weights.map((w) => [w.name, w.shape])).toEqual([["kernel", [3, 3, 6]]]);
    const tr = new Conv3DTranspose(5, 2);
    tr.build([null, 4, 4, 4, 3]);
    expect(tr.weights.map((w) => [w.name, w.shape])).toEqual([
      ["kernel", [2, 2, 2, 5, 3]],
      ["bias", [5]],
    ]);
    const dw = new DepthwiseConv1D(3, { depthMultiplier: 2 });
    dw.build([null, 8, 3]);
    expect(dw.weights.map((w) => [w.name, w.shape])).toEqual([
      ["kernel", [3, 3, 2]],
      ["bias", [6]],
    ]);
    const sep = new SeparableConv1D(4, 3, { depthMultiplier: 2 });
    sep.build([null, 8, 3]);
    expect(sep.weights.map((w) => [w.name, w.shape])).toEqual([
      ["depthwise_kernel", [3, 3, 2]],
      ["pointwise_kernel", [1, 6, 4]],
      ["bias", [4]],
    ]);
    [conv, grouped, tr, dw, sep].forEach((l) => l.dispose());
  });

  it("causal Conv1D: output t depends only on inputs <= t", () => {
    const layer = new Conv1D(1, 3, { padding: "causal", kernelInitializer: "ones", useBias: false });
    const y = layer.apply(tf.tensor3d([1, 2, 3, 4, 5], [1, 5, 1]));
    expectClose(y, [1, 3, 6, 9, 12]);
    y.dispose();
    layer.dispose();
  });

  it("SAME padding puts the odd extra row after (Keras's rule)", () => {
    // 4 wide, kernel 2, stride 1: total pad 1 → (0 before, 1 after).
    const layer = new Conv1D(1, 2, { padding: "same", kernelInitializer: "ones", useBias: false });
    const y = layer.apply(tf.tensor3d([1, 2, 3, 4], [1, 4, 1]));
    expectClose(y, [3, 5, 7, 4]);
    y.dispose();
    layer.dispose();
  });

  it("accepts the callable, options-only and alias forms", () => {
    const a = layers.Conv2D(8, 3, { activation: "relu" });
    expect(a).toBeInstanceOf(Conv2D);
    expect(layers.Convolution2D({ filters: 2, kernelSize: 1 })).toBeInstanceOf(Conv2D);
    expect(layers.Conv1D(4, { kernelSize: 5 }).kernelSize).toEqual([5]);
    expect(layers.SeparableConvolution1D(2, 3)).toBeInstanceOf(SeparableConv1D);
    expect(layers.Convolution3DTranspose(2, 2)).toBeInstanceOf(Conv3DTranspose);
    expect(layers.DepthwiseConv2D({ kernelSize: 3 }).depthMultiplier).toBe(1);
    expect(getBuiltin("Convolution2D", "keras.layers")?.cls).toBe(Conv2D);
    expect(getBuiltin("SeparableConvolution2D", "keras.layers")?.cls).toBe(SeparableConv2D);
    expect(getBuiltin("Convolution1DTranspose", "keras.layers")?.cls).toBe(Conv1DTranspose);
  });

  it("validates its arguments with Keras's messages", () => {
    expect(() => new Conv2D(0, 3)).toThrow(/filters=0/);
    expect(() => new Conv2D(5, 3, { groups: 2 })).toThrow(/divisible by the number of groups/);
    expect(() => new Conv2D(4, [3, 3, 3])).toThrow(/kernel_size/);
    expect(() => new Conv2D(4, 0)).toThrow(/kernel_size/);
    expect(() => new Conv2D(4, 3, { padding: "causal" })).toThrow(/padding/);
    expect(() => new Conv2D(4, 3, { strides: 2, dilationRate: 2 })).toThrow(/strides > 1/);
    expect(() => new Conv2D(4, 3, { dataFormat: "nchw" as "channels_first" })).toThrow(/data_format/);
    expect(() => new Conv2DTranspose(4, 3, { strides: 2, outputPadding: 2 })).toThrow(/output_padding/);
    expect(() => new DepthwiseConv2D(3, { depthMultiplier: 0 })).toThrow(/depth_multiplier/);
    const conv = new Conv2D(4, 3, { groups: 2, name: "grp" });
    expect(() => conv.build([null, 5, 5, 3])).toThrow(/grp.*divisible/);
    const small = new Conv2D(4, 5, { name: "small" });
    expect(() => small.computeOutputShape([null, 3, 3, 1])).toThrow(/small.*zero or negative/);
    const built = new Conv2D(2, 3, { name: "c3" });
    const x = tf.zeros([1, 5, 5, 3]);
    built.apply(x).dispose();
    const bad = tf.zeros([1, 5, 5, 4]);
    expect(() => built.apply(bad)).toThrow(/c3.*value 3/);
    tf.dispose([x, bad]);
    built.dispose();
  });

  it("casts integer inputs to float", () => {
    const layer = new Conv1D(1, 1, { kernelInitializer: "ones" });
    const x = tf.tensor3d([1, 2], [1, 2, 1], "int32");
    const y = layer.apply(x) as Tensor;
    expect(y.dtype).toBe("float32");
    expectClose(y, [1, 2]);
    tf.dispose([x, y]);
    layer.dispose();
  });

  it("regularizers add losses; getConfig serializes them", () => {
    const layer = new Conv2D(2, 3, { kernelRegularizer: "l2", activityRegularizer: "l1" });
    const x = randomTensor([1, 5, 5, 1], 9);
    layer.apply(x).dispose();
    const losses = layer.losses;
    expect(losses.length).toBe(2);
    const cfg = layer.getConfig();
    expect((cfg.kernel_regularizer as { class_name: string }).class_name).toBe("L2");
    expect((cfg.activity_regularizer as { class_name: string }).class_name).toBe("L1");
    tf.dispose([x, ...losses]);
    layer.dispose();
  });
});
