import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { tf, type Tensor } from "../../lib/backend/tfjs.js";
import * as nn from "../../lib/ops/nn.js";
import { KerasTensor } from "../../lib/backend/keras-tensor.js";

const FIX = join(__dirname, "..", "..", "..", "shared", "fixtures", "keras", "layers");

interface JsonTensor {
  shape: number[];
  dtype: string;
  data: number[];
}
interface LayerFixture {
  layer_config: Record<string, unknown>;
  inputs: JsonTensor[];
  weights: (JsonTensor & { path: string })[];
  output: JsonTensor;
}

function load(name: string): LayerFixture {
  return JSON.parse(readFileSync(join(FIX, `${name}.json`), "utf8")) as LayerFixture;
}
function t(j: JsonTensor): Tensor {
  return tf.tensor(j.data, j.shape, j.dtype === "int32" ? "int32" : "float32");
}
function w(f: LayerFixture, suffix: string): Tensor {
  const hit = f.weights.find((x) => x.path.endsWith(suffix));
  if (!hit) throw new Error(`no weight ${suffix}`);
  return t(hit);
}
function close(actual: Tensor, expected: JsonTensor | number[], tol = 1e-5, shape?: number[]): void {
  const exp = Array.isArray(expected) ? expected : expected.data;
  if (!Array.isArray(expected)) expect(actual.shape).toEqual(expected.shape);
  if (shape) expect(actual.shape).toEqual(shape);
  const got = Array.from(actual.dataSync());
  expect(got.length).toBe(exp.length);
  for (let i = 0; i < got.length; i++) {
    if (Math.abs(got[i] - exp[i]) > tol) throw new Error(`index ${i}: got ${got[i]}, expected ${exp[i]}`);
  }
}
function biasAdd(y: Tensor, b: Tensor): Tensor {
  return tf.add(y, b);
}

describe("conv and pooling against Keras fixtures", () => {
  it("conv2d same stride 2", () => {
    const f = load("conv2d_same_s2");
    const y = nn.conv(t(f.inputs[0]), w(f, "kernel"), 2, "same");
    close(biasAdd(y, w(f, "bias")), f.output);
  });
  it("conv2d valid, same s1, valid s2, 2x3 kernel", () => {
    for (const [name, s, p] of [
      ["conv2d_same_s1", 1, "same"],
      ["conv2d_valid_s2", 2, "valid"],
      ["conv2d_valid_kernel_2x3_relu", 1, "valid"],
    ] as const) {
      const f = load(name);
      let y = biasAdd(nn.conv(t(f.inputs[0]), w(f, "kernel"), s, p), w(f, "bias"));
      if (name.endsWith("relu")) y = nn.relu(y);
      close(y, f.output);
    }
  });
  it("conv1d same dilated and valid", () => {
    const f = load("conv1d_same_dilated");
    const cfg = f.layer_config as { dilation_rate: number[]; strides: number[] };
    const y = nn.conv(t(f.inputs[0]), w(f, "kernel"), cfg.strides, "same", null, cfg.dilation_rate);
    close(biasAdd(y, w(f, "bias")), f.output);
    const g = load("conv1d_valid");
    close(biasAdd(nn.conv(t(g.inputs[0]), w(g, "kernel")), w(g, "bias")), g.output);
  });
  it("depthwise conv2d same", () => {
    const f = load("depthwise_conv2d_same");
    const cfg = f.layer_config as { strides: number[] };
    const y = nn.depthwiseConv(t(f.inputs[0]), w(f, "kernel"), cfg.strides, "same");
    close(biasAdd(y, w(f, "bias")), f.output);
  });
  it("separable conv2d valid", () => {
    const f = load("separable_conv2d_valid");
    const y = nn.separableConv(t(f.inputs[0]), w(f, "depthwise_kernel"), w(f, "pointwise_kernel"), 1, "valid");
    close(biasAdd(y, w(f, "bias")), f.output);
  });
  it("conv2d transpose valid stride 2 and k2 s1", () => {
    const f = load("conv2d_transpose_valid_s2");
    const y = nn.convTranspose(t(f.inputs[0]), w(f, "kernel"), 2, "valid");
    close(biasAdd(y, w(f, "bias")), f.output);
    const g = load("conv2d_transpose_valid_s1_k2");
    close(biasAdd(nn.convTranspose(t(g.inputs[0]), w(g, "kernel"), 1, "valid"), w(g, "bias")), g.output);
  });
  it("pooling", () => {
    const a = load("average_pooling1d_same");
    const ac = a.layer_config as { pool_size: number[]; strides: number[] };
    close(nn.averagePool(t(a.inputs[0]), ac.pool_size, ac.strides, "same"), a.output);
    const m = load("max_pooling2d_odd_valid");
    close(nn.maxPool(t(m.inputs[0]), 2, null, "valid"), m.output);
    for (const name of ["max_pooling1d", "max_pooling2d", "average_pooling2d"]) {
      const f = load(name);
      const c = f.layer_config as { pool_size: number[]; strides: number[]; padding: "valid" | "same" };
      const fn = name.startsWith("max") ? nn.maxPool : nn.averagePool;
      close(fn(t(f.inputs[0]), c.pool_size, c.strides, c.padding), f.output);
    }
  });
  it("batch and layer normalization", () => {
    const b = load("batch_normalization_inference");
    const y = nn.batchNormalization(t(b.inputs[0]), w(b, "moving_mean"), w(b, "moving_variance"), -1, w(b, "beta"), w(b, "gamma"), 1e-3);
    close(y, b.output);
    const l = load("layer_normalization");
    const cfg = l.layer_config as { epsilon: number };
    close(nn.layerNormalization(t(l.inputs[0]), w(l, "gamma"), w(l, "beta"), -1, cfg.epsilon), l.output);
  });
});

describe("conv shapes and semantics", () => {
  it("conv transpose output sizes follow Keras", () => {
    const x = tf.ones([1, 5, 5, 2]);
    const k = tf.ones([3, 3, 4, 2]);
    expect(nn.convTranspose(x, k, 2, "same").shape).toEqual([1, 10, 10, 4]);
    expect(nn.convTranspose(x, k, 2, "valid").shape).toEqual([1, 11, 11, 4]);
    expect(nn.convTranspose(x, k, 2, "same", 1).shape).toEqual([1, 10, 10, 4]);
    expect(nn.convTranspose(x, k, 2, "valid", 1).shape).toEqual([1, 12, 12, 4]);
    expect(nn.convTranspose(tf.ones([2, 7, 3]), tf.ones([3, 5, 3]), 3, "same").shape).toEqual([2, 21, 5]);
    expect(nn.convTranspose(tf.ones([1, 3, 3, 3, 1]), tf.ones([2, 2, 2, 2, 1]), 2, "same").shape).toEqual([1, 6, 6, 6, 2]);
  });
  it("conv transpose is the adjoint of conv (same padding, stride 2)", () => {
    // <conv(x, k), y> == <x, conv_transpose(y, k)> when shapes line up.
    const x = tf.randomNormal([1, 6, 6, 2], 0, 1, "float32", 1);
    const k = tf.randomNormal([3, 3, 2, 3], 0, 1, "float32", 2);
    const y = tf.randomNormal([1, 3, 3, 3], 0, 1, "float32", 3);
    const lhs = tf.sum(tf.mul(nn.conv(x, k, 2, "same"), y)).dataSync()[0];
    const rhs = tf.sum(tf.mul(x, nn.convTranspose(y, k, 2, "same"))).dataSync()[0];
    expect(lhs).toBeCloseTo(rhs, 3);
  });
  it("conv with strides and dilation, grouped, channels_first, 3D", () => {
    const x = tf.randomNormal([1, 9, 9, 4], 0, 1, "float32", 4);
    const k = tf.randomNormal([3, 3, 4, 2], 0, 1, "float32", 5);
    const y = nn.conv(x, k, 2, "same", null, 2);
    expect(y.shape).toEqual([1, 5, 5, 2]);
    // grouped: kernel in=2 for 4 channels → 2 groups
    const kg = tf.randomNormal([3, 3, 2, 4], 0, 1, "float32", 6);
    const yg = nn.conv(x, kg, 1, "valid");
    const manual = tf.concat(
      [nn.conv(tf.slice(x, [0, 0, 0, 0], [1, 9, 9, 2]), tf.slice(kg, [0, 0, 0, 0], [3, 3, 2, 2])), nn.conv(tf.slice(x, [0, 0, 0, 2], [1, 9, 9, 2]), tf.slice(kg, [0, 0, 0, 2], [3, 3, 2, 2]))],
      3,
    );
    close(yg, Array.from(manual.dataSync()), 1e-5);
    const ycf = nn.conv(tf.transpose(x, [0, 3, 1, 2]), k, 1, "same", "channels_first");
    close(tf.transpose(ycf, [0, 2, 3, 1]), Array.from(nn.conv(x, k, 1, "same").dataSync()), 1e-5);
    expect(nn.conv(tf.ones([1, 4, 4, 4, 1]), tf.ones([2, 2, 2, 1, 3])).shape).toEqual([1, 3, 3, 3, 3]);
    expect(nn.maxPool(tf.ones([1, 4, 4, 4, 1]), 2).shape).toEqual([1, 2, 2, 2, 1]);
  });
  it("average pool same excludes padding", () => {
    const x = tf.tensor([1, 2, 3, 4, 5], [1, 5, 1]);
    close(nn.averagePool(x, 2, 2, "same"), [1.5, 3.5, 5]);
  });
  it("adaptive pooling", () => {
    const x = tf.tensor([1, 2, 3, 4, 5], [1, 5, 1]);
    close(nn.adaptiveAveragePool(x, 3), [1.5, 3, 4.5]);
    close(nn.adaptiveMaxPool(x, 3), [2, 4, 5]);
    expect(nn.adaptiveAveragePool(tf.ones([2, 7, 9, 3]), [2, 4]).shape).toEqual([2, 2, 4, 3]);
  });
  it("empty conv output throws", () => {
    expect(() => nn.conv(tf.ones([1, 2, 2, 1]), tf.ones([3, 3, 1, 1]))).toThrow(/empty output/);
  });
});

describe("activations and friends", () => {
  const x = tf.tensor([-3, -1, -0.5, 0, 0.5, 1, 3]);
  it("elementwise values", () => {
    close(nn.relu6(tf.tensor([-1, 3, 7])), [0, 3, 6]);
    close(nn.leakyRelu(x), [-0.6, -0.2, -0.1, 0, 0.5, 1, 3], 1e-6);
    close(nn.hardSigmoid(x), [0, 1 / 3, 5 / 12, 0.5, 7 / 12, 2 / 3, 1], 1e-6);
    close(nn.sparsePlus(x), [0, 0, 0.0625, 0.25, 0.5625, 1, 3], 1e-6);
    close(nn.sparseSigmoid(x), [0, 0, 0.25, 0.5, 0.75, 1, 1], 1e-6);
    close(nn.softShrink(x), [-2.5, -0.5, 0, 0, 0, 0.5, 2.5], 1e-6);
    close(nn.hardShrink(x), [-3, -1, 0, 0, 0, 1, 3], 1e-6);
    close(nn.hardTanh(x), [-1, -1, -0.5, 0, 0.5, 1, 1], 1e-6);
    close(nn.threshold(x, 0.5, -9), [-9, -9, -9, -9, -9, 1, 3], 1e-6);
    close(nn.squareplus(tf.tensor([0, 1])), [1, (1 + Math.sqrt(5)) / 2], 1e-6);
    close(nn.celu(tf.tensor([-1, 2]), 2), [2 * Math.expm1(-0.5), 2], 1e-6);
    close(nn.logSigmoid(tf.tensor([-100, 0])), [-100, Math.log(0.5)], 1e-5);
    close(nn.tanhShrink(tf.tensor([1])), [1 - Math.tanh(1)], 1e-6);
    close(nn.glu(tf.tensor([[1, 2, 0, 0]])), [0.5, 1], 1e-6);
    const g = 0.5 * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (1 + 0.044715)));
    close(nn.gelu(tf.tensor([1])), [g], 1e-6);
  });
  it("softmax over an axis tuple and sparsemax", () => {
    const s = nn.softmax(tf.tensor([[1, 2], [3, 4]]), [0, 1]);
    const e = [1, 2, 3, 4].map(Math.exp);
    const z = e.reduce((a, b) => a + b);
    close(s, e.map((v) => v / z), 1e-6);
    // Keras's threshold sums the cumulative sums over the support (all backends do), reproduced as is.
    close(nn.sparsemax(tf.tensor([[1, 2, 3], [0.1, 0.2, 0.3]])), [0, 0, 1, 0, 0.2 - 0.4 / 3, 0.3 - 0.4 / 3], 1e-6);
    close(nn.sparsemax(tf.tensor([[1, 1.1], [0, 5]]), 0), [1, 0, 0, 1], 1e-6);
  });
  it("oneHot, multiHot", () => {
    close(nn.oneHot(tf.tensor([0, 2, -1], [3], "int32"), 3), [1, 0, 0, 0, 0, 1, 0, 0, 0]);
    const oh = nn.oneHot(tf.tensor([0, 2], [2], "int32"), 3, 0);
    expect(oh.shape).toEqual([3, 2]);
    close(oh, [1, 0, 0, 0, 0, 1]);
    close(nn.multiHot(tf.tensor([[0, 1], [2, 2]], [2, 2], "int32"), 4), [1, 1, 0, 0, 0, 0, 1, 0]);
    close(nn.multiHot(tf.tensor([0, 3], [2], "int32"), 4), [1, 0, 0, 1]);
  });
  it("moments, rms and l2 normalize, psnr", () => {
    const [m, v] = nn.moments(tf.tensor([[1, 2], [3, 6]]), [1]);
    close(m, [1.5, 4.5]);
    close(v, [0.25, 2.25]);
    const [mk] = nn.moments(tf.tensor([[1, 2], [3, 6]]), [0, 1], true);
    expect(mk.shape).toEqual([1, 1]);
    close(nn.normalize(tf.tensor([[3, 4]])), [0.6, 0.8], 1e-6);
    close(nn.normalize(tf.tensor([[3, 1]]), -1, 1), [0.75, 0.25], 1e-6);
    close(nn.rmsNormalization(tf.tensor([[3, 4]]), null, -1, 0), [3 / Math.sqrt(12.5), 4 / Math.sqrt(12.5)], 1e-6);
    close(nn.psnr(tf.tensor([1, 0]), tf.tensor([0, 0]), 1), [10 * Math.log10(2)], 1e-5);
  });
  it("crossentropies match Keras's clipping", () => {
    const eps = 1e-7;
    const bce = nn.binaryCrossentropy(tf.tensor([1, 0, 1]), tf.tensor([1, 0.2, 0.9]));
    close(bce, [-Math.log(1 - eps), -Math.log(0.8), -Math.log(0.9)], 1e-6);
    const bl = nn.binaryCrossentropy(tf.tensor([1, 0]), tf.tensor([2, -1]), true);
    close(bl, [Math.log1p(Math.exp(-2)), Math.log1p(Math.exp(-1))], 1e-6);
    const cce = nn.categoricalCrossentropy(tf.tensor([[0, 1, 0]]), tf.tensor([[0.2, 0.6, 0.6]]));
    close(cce, [-Math.log(0.6 / 1.4)], 1e-6);
    const ccel = nn.categoricalCrossentropy(tf.tensor([[0, 1]]), tf.tensor([[1, 2]]), true);
    close(ccel, [Math.log1p(Math.exp(-1))], 1e-6);
    const scce = nn.sparseCategoricalCrossentropy(tf.tensor([[1], [0]], [2, 1], "int32"), tf.tensor([[0.3, 0.7], [0, 1]]));
    close(scce, [-Math.log(0.7), -Math.log(eps)], 1e-4);
    const scl = nn.sparseCategoricalCrossentropy(tf.tensor([1], [1], "int32"), tf.tensor([[1, 2]]), true);
    close(scl, [Math.log1p(Math.exp(-1))], 1e-6);
    expect(() => nn.categoricalCrossentropy(tf.ones([2, 3]), tf.ones([2, 4]))).toThrow(/same shape/);
  });
  it("dot product attention with causal mask", () => {
    const q = tf.randomNormal([2, 4, 2, 3], 0, 1, "float32", 7);
    const k = tf.randomNormal([2, 4, 2, 3], 0, 1, "float32", 8);
    const v = tf.randomNormal([2, 4, 2, 3], 0, 1, "float32", 9);
    const out = nn.dotProductAttention(q, k, v, null, null, null, true);
    expect(out.shape).toEqual([2, 4, 2, 3]);
    // The first query position only attends to the first key: output equals v[:, 0].
    close(tf.slice(out, [0, 0, 0, 0], [2, 1, 2, 3]), Array.from(tf.slice(v, [0, 0, 0, 0], [2, 1, 2, 3]).dataSync()), 1e-6);
    // Reference via einsum.
    const logits = tf.mul(tf.einsum("btnh,bsnh->bnts", q, k), 1 / Math.sqrt(3));
    const ref = tf.einsum("bnts,bsnh->btnh", tf.softmax(logits), v);
    close(nn.dotProductAttention(q, k, v), Array.from(ref.dataSync()), 1e-5);
    const mask = tf.tensor([true, false, true, true], [1, 1, 1, 4], "bool");
    const masked = nn.dotProductAttention(q, k, v, null, mask);
    const ref2 = tf.einsum("bnts,bsnh->btnh", tf.softmax(tf.add(logits, tf.reshape(tf.tensor([0, -1e9, 0, 0]), [1, 1, 1, 4]))), v);
    close(masked, Array.from(ref2.dataSync()), 1e-5);
  });
  it("depthToSpace / spaceToDepth round trip, unfold / fold", () => {
    const x = tf.reshape(tf.range(0, 2 * 4 * 4 * 3), [2, 4, 4, 3]);
    const d = nn.spaceToDepth(x, 2);
    expect(d.shape).toEqual([2, 2, 2, 12]);
    close(nn.depthToSpace(d, 2), Array.from(x.dataSync()));
    const xc = tf.transpose(x, [0, 3, 1, 2]);
    close(nn.depthToSpace(nn.spaceToDepth(xc, 2, "channels_first"), 2, "channels_first"), Array.from(xc.dataSync()));
    const img = tf.reshape(tf.range(0, 16), [1, 1, 4, 4]);
    const u = nn.unfold(img, 2, 1, 0, 2);
    expect(u.shape).toEqual([1, 4, 4]);
    close(u, [0, 2, 8, 10, 1, 3, 9, 11, 4, 6, 12, 14, 5, 7, 13, 15]);
    close(nn.fold(u, 4, 2, 1, 0, 2), Array.from(img.dataSync()));
    // Overlapping windows sum.
    const u2 = nn.unfold(tf.ones([1, 1, 3, 3]), 2, 1, 1, 1);
    close(nn.fold(u2, 3, 2, 1, 1, 1), [4, 4, 4, 4, 4, 4, 4, 4, 4]);
  });
  it("polar", () => {
    const c = nn.polar(tf.tensor([2]), tf.tensor([Math.PI / 2]));
    close(tf.real(c), [0], 1e-6);
    close(tf.imag(c), [2], 1e-6);
  });
});

describe("gradients against finite differences", () => {
  function fd(f: (x: Tensor) => Tensor, x: Tensor, h = 1e-2): number[] {
    const base = Array.from(x.dataSync());
    return base.map((_, i) => {
      const p = base.slice();
      const m = base.slice();
      p[i] += h;
      m[i] -= h;
      const fp = tf.tidy(() => f(tf.tensor(p, x.shape)).dataSync()[0]);
      const fm = tf.tidy(() => f(tf.tensor(m, x.shape)).dataSync()[0]);
      return (fp - fm) / (2 * h);
    });
  }
  it("softmax, conv, conv transpose, crossentropy, pooling", () => {
    const cases: [string, (x: Tensor) => Tensor, Tensor][] = [
      ["softmax", (x) => tf.sum(tf.mul(nn.softmax(x, 0), tf.tensor([[1, 2, 3], [4, 5, 6]]))), tf.tensor([[0.1, 0.5, -0.3], [0.2, -0.4, 0.9]])],
      ["logSoftmax", (x) => tf.sum(tf.mul(nn.logSoftmax(x), tf.tensor([[1, 0, 3], [0, 2, 1]]))), tf.tensor([[0.1, 0.5, -0.3], [0.2, -0.4, 0.9]])],
      ["conv", (x) => tf.sum(tf.square(nn.conv(x, tf.tensor([0.5, -1, 2, 0.3, 0.1, 0.2, -0.7, 1.1], [2, 2, 1, 2]), 2, "same"))), tf.randomNormal([1, 3, 3, 1], 0, 1, "float32", 11)],
      ["dilated conv", (x) => tf.sum(tf.square(nn.conv(x, tf.tensor([0.5, -1, 2], [3, 1, 1]), 1, "same", null, 2))), tf.randomNormal([1, 6, 1], 0, 1, "float32", 12)],
      ["conv kernel", (k) => tf.sum(tf.square(nn.conv(tf.tensor([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 3, 3, 1]), k, 1, "valid"))), tf.tensor([0.5, -1, 2, 0.3], [2, 2, 1, 1])],
      ["conv transpose", (x) => tf.sum(tf.square(nn.convTranspose(x, tf.tensor([0.5, -1, 2, 0.3, 0.1, 0.2], [3, 2, 1]), 2, "same"))), tf.tensor([[[0.3], [-0.2], [0.8]]])],
      ["depthwise", (x) => tf.sum(tf.square(nn.depthwiseConv(x, tf.tensor([0.5, -1, 2, 0.3, 0.4, 0.1, 0.2, 0.3], [2, 2, 2, 1]), 1, "same"))), tf.randomNormal([1, 3, 3, 2], 0, 1, "float32", 13)],
      ["cce", (x) => tf.sum(nn.categoricalCrossentropy(tf.tensor([[0, 1, 0], [1, 0, 0]]), x, true)), tf.tensor([[0.1, 0.5, -0.3], [0.2, -0.4, 0.9]])],
      ["scce", (x) => tf.sum(nn.sparseCategoricalCrossentropy(tf.tensor([1, 2], [2], "int32"), x)), tf.tensor([[0.2, 0.5, 0.3], [0.1, 0.3, 0.6]])],
      ["bce", (x) => tf.sum(nn.binaryCrossentropy(tf.tensor([1, 0, 1]), x, true)), tf.tensor([0.3, -0.2, 1.5])],
      ["avgpool same", (x) => tf.sum(tf.square(nn.averagePool(x, 2, 2, "same"))), tf.tensor([[[1], [2], [-3], [4], [0.5]]])],
      ["layer norm", (x) => tf.sum(tf.mul(nn.layerNormalization(x), tf.tensor([[1, 2, 3]]))), tf.tensor([[0.3, -0.2, 1.5]])],
      ["gelu exact", (x) => tf.sum(nn.gelu(x, false)), tf.tensor([0.3, -0.2, 1.5])],
    ];
    for (const [name, f, x] of cases) {
      const g = tf.grad(f)(x);
      const num = fd(f, x);
      const got = Array.from(g.dataSync());
      got.forEach((v, i) => {
        if (Math.abs(v - num[i]) > 2e-2 * Math.max(1, Math.abs(num[i]))) throw new Error(`${name}[${i}]: grad ${v} vs numeric ${num[i]}`);
      });
    }
  });
});

describe("symbolic calls and memory", () => {
  it("returns KerasTensors for KerasTensor inputs", () => {
    const x = new KerasTensor([null, 8, 8, 3]);
    const y = nn.conv(x, tf.ones([3, 3, 3, 5]), 2, "same");
    expect(y).toBeInstanceOf(KerasTensor);
    expect(y.shape).toEqual([null, 4, 4, 5]);
    const p = nn.maxPool(x, 2);
    expect(p.shape).toEqual([null, 4, 4, 3]);
    const [m] = nn.moments(x, [1, 2]);
    expect(m.shape).toEqual([null, 3]);
  });
  it("leaks no tensors", () => {
    const x = tf.randomNormal([2, 5, 5, 3]);
    const k = tf.randomNormal([3, 3, 3, 4]);
    const labels = tf.tensor([1, 0], [2], "int32");
    const before = tf.memory().numTensors;
    const outs: Tensor[] = [
      nn.relu(x), nn.gelu(x), nn.gelu(x, false), nn.softmax(x), nn.logSoftmax(x, 1), nn.sparsemax(x),
      nn.conv(x, k, 2, "same", null, 1), nn.conv(x, k, 1, "same", null, 2), nn.depthwiseConv(x, tf.ones([2, 2, 3, 2]), 1, "same"),
      nn.convTranspose(x, tf.ones([3, 3, 2, 3]), 2, "same"), nn.maxPool(x, 2), nn.averagePool(x, 3, 2, "same"),
      nn.adaptiveAveragePool(x, 2), nn.layerNormalization(x), nn.rmsNormalization(x), nn.normalize(x),
      nn.batchNormalization(x, tf.zeros([3]), tf.ones([3]), -1), nn.oneHot(labels, 3), nn.multiHot(labels, 3),
      nn.binaryCrossentropy(x, nn.sigmoid(x)), nn.categoricalCrossentropy(nn.softmax(x), nn.softmax(x)),
      nn.sparseCategoricalCrossentropy(labels, tf.ones([2, 3])), ...nn.moments(x, [0, 1]),
      nn.dotProductAttention(x, x, x, null, null, null, true), nn.spaceToDepth(tf.ones([1, 4, 4, 1]), 2),
    ];
    // Each op owns one output; intermediates (including nested ops' outputs used as args above) are disposed here.
    const created = tf.memory().numTensors - before;
    // Tensors created as arguments inline: ones/zeros/softmax/sigmoid args: count them.
    const argTensors = 2 /* depthwise ones, convT ones */ + 2 /* bn zeros/ones */ + 1 /* sigmoid */ + 2 /* softmax×2 */ + 1 /* ones scce */ + 1 /* ones s2d */;
    expect(created).toBe(outs.length + argTensors);
  });
});
