/**
 * The webgpu backend against the cpu backend: every kernel the layers,
 * losses, metrics and optimizers use, forward and backward, within float32
 * tolerance; synchronous reads; no leaked tensors. Runs with
 * KERAS_BACKEND=webgpu (`npm run test:webgpu`); on a machine without a GPU
 * tskeras puts webgpu on SwiftShader.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as keras from "../../lib/index.js";
import { tf, type Tensor } from "../../lib/backend/tfjs.js";
import { backend, setBackend } from "../../lib/backend/engine.js";
import type { Layer } from "../../lib/layers/layer.js";

const { layers } = keras;

/** Deterministic pseudo-random numbers in [-1, 1). */
function rand(n: number, seed: number): number[] {
  let s = seed >>> 0 || 1;
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out.push((s / 2 ** 32) * 2 - 1);
  }
  return out;
}

const size = (shape: number[]): number => shape.reduce((a, b) => a * b, 1);

/** Runs `f` on cpu, then on webgpu (checking it leaves no tensor behind); returns both as flat arrays. */
async function onBoth(f: () => Tensor[], checkLeaks = true): Promise<{ cpu: number[][]; gpu: number[][] }> {
  const run = (): number[][] => {
    const outs = f();
    const vals = outs.map((t) => Array.from(t.dataSync()));
    tf.dispose(outs);
    return vals;
  };
  await setBackend("cpu");
  const cpu = run();
  await setBackend("webgpu");
  const before = tf.memory().numTensors;
  const gpu = run();
  if (checkLeaks) expect(tf.memory().numTensors, "tensors left behind on webgpu").toBe(before);
  return { cpu, gpu };
}

/** |gpu - cpu| <= atol + rtol * |cpu| everywhere (float32 arithmetic in another order). */
function expectClose(gpu: number[][], cpu: number[][], atol = 1e-4, rtol = 1e-3): void {
  expect(gpu.length).toBe(cpu.length);
  gpu.forEach((xs, k) => {
    expect(xs.length, `output ${k} size`).toBe(cpu[k].length);
    let worst = 0;
    let at = -1;
    xs.forEach((v, i) => {
      const err = Math.abs(v - cpu[k][i]) - rtol * Math.abs(cpu[k][i]);
      if (!(err <= worst)) {
        worst = Number.isNaN(err) ? Infinity : err;
        at = i;
      }
    });
    expect(worst, `output ${k}: gpu ${xs[at]} vs cpu ${cpu[k][at]} at ${at}`).toBeLessThanOrEqual(atol);
  });
}

// These run with KERAS_BACKEND=webgpu (`npm run test:webgpu`); the normal suite (cpu) skips them.
const onWebgpu = process.env.KERAS_BACKEND === "webgpu";

beforeAll(async () => {
  if (onWebgpu) expect(backend(), "KERAS_BACKEND=webgpu must start the webgpu backend").toBe("webgpu");
});

afterAll(async () => {
  if (onWebgpu) await setBackend("webgpu");
});

describe.runIf(onWebgpu)("webgpu basics", () => {
  it("reads synchronously (dataSync, arraySync) and asynchronously", async () => {
    await setBackend("webgpu");
    const x = tf.tensor2d([[1, 2, 3], [4, 5, 6]]);
    const y = tf.matMul(x, x, false, true);
    expect(Array.from(y.dataSync())).toEqual([14, 32, 32, 77]);
    const z = tf.add(y, 1);
    expect(z.arraySync()).toEqual([[15, 33], [33, 78]]);
    expect(Array.from(await tf.mul(z, 2).data())).toEqual([30, 66, 66, 156]);
    const b = tf.greater(x, 3);
    expect(Array.from(b.dataSync())).toEqual([0, 0, 0, 1, 1, 1]);
    const i = tf.argMax(x, 1);
    expect(i.dtype).toBe("int32");
    expect(Array.from(i.dataSync())).toEqual([2, 2]);
    // A large read (several MB) comes back whole.
    const big = tf.range(0, 1 << 20);
    const v = tf.mul(big, 2).dataSync();
    expect(v[(1 << 20) - 1]).toBe(2 * ((1 << 20) - 1));
    tf.dispose([x, y, z, b, i, big]);
  });

  it("keras.distribution lists cpu:0 (and a GPU only for a real adapter)", () => {
    const names = keras.distribution.listDevices();
    expect(names[0]).toBe("cpu:0");
    const details = keras.distribution.deviceDetails();
    const gpu = details.find((d) => d.type === "gpu" && d.backends.includes("webgpu"));
    const cpu = details[0];
    // On SwiftShader the CPU is where webgpu runs; on a real GPU, gpu:N is.
    expect(gpu !== undefined || cpu.backends.includes("webgpu")).toBe(true);
    expect(keras.distribution.listDevices("cpu")).toEqual(["cpu:0"]);
  });
});

describe.runIf(onWebgpu)("ops: forward and gradient equal cpu", () => {
  const unary: [string, (x: Tensor) => Tensor, ((v: number) => number)?, "no grad"?][] = [
    ["relu", tf.relu],
    ["relu6", tf.relu6],
    ["elu", tf.elu],
    ["selu", tf.selu],
    ["leakyRelu", (x) => tf.leakyRelu(x, 0.2)],
    ["sigmoid", tf.sigmoid],
    ["tanh", tf.tanh],
    ["softplus", tf.softplus],
    ["exp", tf.exp],
    ["expm1", tf.expm1],
    ["log", tf.log, (v) => Math.abs(v) + 0.1],
    ["log1p", tf.log1p, (v) => Math.abs(v)],
    ["sqrt", tf.sqrt, (v) => Math.abs(v) + 0.1],
    ["rsqrt", tf.rsqrt, (v) => Math.abs(v) + 0.1],
    ["reciprocal", tf.reciprocal, (v) => Math.abs(v) + 0.5],
    ["square", tf.square],
    ["abs", tf.abs],
    ["neg", tf.neg],
    ["sin", tf.sin],
    ["cos", tf.cos],
    ["atan", tf.atan],
    ["erf", tf.erf],
    ["sign", tf.sign],
    ["floor", (x) => tf.floor(tf.mul(x, 3))],
    ["round", (x) => tf.round(tf.mul(x, 3))],
    ["clipByValue", (x) => tf.clipByValue(x, -0.3, 0.4)],
    ["pow", (x) => tf.pow(x, tf.scalar(3))],
    ["softmax", (x) => tf.softmax(x)],
    ["logSoftmax", (x) => tf.logSoftmax(x)],
    ["cumsum", (x) => tf.cumsum(x, 1)],
    ["sum", (x) => tf.sum(x, 1)],
    ["mean", (x) => tf.mean(x, 0)],
    ["max", (x) => tf.max(x, 1)],
    ["min", (x) => tf.min(x, 0)],
    ["prod", (x) => tf.prod(tf.add(x, 1.5), 1)],
    ["logSumExp", (x) => tf.logSumExp(x, 1)],
    ["moments", (x) => tf.add(tf.moments(x, 0).mean, tf.moments(x, 0).variance)],
    ["norm", (x) => tf.norm(x, 2, 1)],
    ["transpose", (x) => tf.transpose(x)],
    ["reshape", (x) => tf.reshape(x, [4, 4, 3])],
    ["slice", (x) => tf.slice(x, [1, 2], [3, 5])],
    ["stridedSlice", (x) => tf.stridedSlice(x, [0, 1], [4, 10], [2, 3]), undefined, "no grad"],
    ["reverse", (x) => tf.reverse(x, 1)],
    ["pad", (x) => tf.pad(x, [[1, 0], [2, 3]])],
    ["mirrorPad", (x) => tf.mirrorPad(x, [[1, 1], [2, 2]], "reflect")],
    ["tile", (x) => tf.tile(x, [2, 1])],
    ["concat", (x) => tf.concat([x, tf.square(x)], 1)],
    ["stack/unstack", (x) => tf.stack(tf.unstack(x, 0).reverse(), 1)],
    ["split", (x) => tf.split(x, [4, 8], 1)[1]],
    ["gather", (x) => tf.gather(x, tf.tensor1d([3, 0, 3, 1], "int32"), 0)],
    ["gatherND", (x) => tf.gatherND(x, tf.tensor2d([[0, 1], [3, 11], [2, 5]], [3, 2], "int32")), undefined, "no grad"],
    ["where", (x) => tf.where(tf.greater(x, 0), x, tf.mul(x, -2))],
    ["maximum", (x) => tf.maximum(x, tf.reverse(x, 1))],
    ["minimum", (x) => tf.minimum(x, 0.1)],
    ["squaredDifference", (x) => tf.squaredDifference(x, tf.reverse(x, 0))],
    ["div", (x) => tf.div(x, tf.add(tf.abs(tf.reverse(x, 1)), 0.5))],
    ["floorDiv/mod", (x) => tf.add(tf.floorDiv(tf.mul(x, 7), tf.scalar(2)), tf.mod(tf.mul(x, 7), tf.scalar(2))), undefined, "no grad"],
    ["broadcast add/mul", (x) => tf.mul(tf.add(x, tf.tensor1d(rand(12, 77))), tf.tensor2d(rand(4, 78), [4, 1]))],
    ["cast", (x) => tf.cast(tf.cast(tf.mul(x, 5), "int32"), "float32")],
    ["oneHot", (x) => tf.mul(tf.sum(x), tf.oneHot(tf.tensor1d([0, 3, 2], "int32"), 5))],
    ["matMul", (x) => tf.matMul(x, x, true, false)],
    ["batchMatMul", (x) => tf.matMul(tf.reshape(x, [2, 2, 12]), tf.reshape(x, [2, 12, 2]))],
    ["einsum", (x) => tf.einsum("ij,kj->ik", x, tf.square(x)), undefined, "no grad"],
    ["topk values", (x) => tf.topk(x, 3).values, undefined, "no grad"],
    ["isNaN/isFinite", (x) => tf.add(tf.cast(tf.isNaN(x), "float32"), tf.cast(tf.isFinite(x), "float32")), undefined, "no grad"],
    ["argMax/argMin", (x) => tf.cast(tf.add(tf.argMax(x, 1), tf.argMin(x, 1)), "float32"), undefined, "no grad"],
    ["unsortedSegmentSum", (x) => tf.unsortedSegmentSum(x, tf.tensor1d([1, 0, 1, 2], "int32"), 3)],
    ["pad rank 5", (x) => tf.pad(tf.reshape(x, [2, 2, 3, 2, 2]), [[0, 1], [1, 0], [0, 0], [2, 1], [0, 1]], 0.5)],
    ["mirrorPad rank 5", (x) => tf.mirrorPad(tf.reshape(x, [2, 2, 3, 2, 2]), [[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]], "symmetric")],
    ["where rank 5", (x) => { const y = tf.reshape(x, [2, 2, 3, 2, 2]); return tf.where(tf.greater(y, 0), y, tf.mul(y, 3)); }],
    ["broadcast add rank 5", (x) => tf.add(tf.reshape(x, [2, 2, 3, 2, 2]), tf.reshape(tf.tensor1d([0.5, -1]), [1, 1, 1, 1, 2]))],
    ["transpose rank 6", (x) => tf.transpose(tf.reshape(x, [2, 2, 3, 2, 1, 2]), [5, 3, 1, 0, 2, 4])],
    ["l2Normalize (via ops)", (x) => tf.div(x, tf.sqrt(tf.add(tf.sum(tf.square(x), 1, true), 1e-6)))],
  ];
  for (const [name, op, map, noGrad] of unary) {
    it(name, async () => {
      const xv = rand(48, name.length * 7 + 1).map((v) => (map ? map(v) : v));
      const { cpu, gpu } = await onBoth(() =>
        tf.tidy(() => {
          const x = tf.tensor2d(xv, [4, 12]);
          const y = op(x);
          const r = tf.tensor(rand(y.size, 5), y.shape);
          if (noGrad) return [y];
          const g = tf.grad((t: Tensor) => tf.sum(tf.mul(op(t), r)))(x);
          return [y, g];
        }),
      );
      expectClose(gpu, cpu);
    });
  }
});

describe.runIf(onWebgpu)("layers: output and gradients (input and weights) equal cpu", () => {
  /** Output and the gradients of a fixed weighted sum of it w.r.t. the input and the trainable weights. */
  function layerGrads(make: () => Layer, inputShape: number[], opts: { training?: boolean; intInput?: number; inputs?: (x: Tensor) => unknown } = {}): () => Tensor[] {
    const xv = opts.intInput ? rand(size(inputShape), 21).map((v) => Math.floor(((v + 1) / 2) * opts.intInput!)) : rand(size(inputShape), 21);
    return () => {
      keras.utils.setRandomSeed(5);
      const layer = make();
      const x = opts.intInput ? tf.tensor(xv, inputShape, "int32") : tf.tensor(xv, inputShape);
      const call = (t: Tensor): Tensor => layer.apply(t, { training: opts.training ?? false }) as Tensor;
      const y0 = call(x);
      const r = tf.tensor(rand(y0.size, 22), y0.shape);
      const vars = layer.trainableWeights.map((v) => v.value);
      const out: Tensor[] = [y0];
      if (!opts.intInput) out.push(tf.grad((t: Tensor) => tf.sum(tf.mul(call(t), r)))(x));
      if (vars.length > 0) {
        const { value, grads } = tf.variableGrads(() => tf.sum(tf.mul(call(x), r)) as tf.Scalar, vars);
        out.push(...vars.map((v) => grads[v.name]));
        value.dispose();
      }
      // Non-trainable state a training call updates (BatchNormalization's moving statistics).
      for (const w of layer.nonTrainableWeights) out.push(tf.clone(w.value));
      tf.dispose([x, r]);
      layer.dispose();
      return out;
    };
  }

  const cases: { name: string; make: () => Layer; shape: number[]; training?: boolean; intInput?: number; atol?: number }[] = [
    { name: "Dense relu", make: () => new layers.Dense(5, { activation: "relu" }), shape: [3, 7] },
    { name: "Dense gelu on rank 3", make: () => new layers.Dense(4, { activation: "gelu" }), shape: [2, 3, 6] },
    { name: "EinsumDense", make: () => new layers.EinsumDense("abc,cd->abd", [3, 4], { biasAxes: "d" }), shape: [2, 3, 5] },
    { name: "Conv1D causal dilated", make: () => new layers.Conv1D(3, 3, { padding: "causal", dilationRate: 2 }), shape: [2, 9, 2] },
    { name: "Conv2D same s2", make: () => new layers.Conv2D(4, 3, { strides: 2, padding: "same" }), shape: [2, 7, 7, 3] },
    { name: "Conv2D valid tanh", make: () => new layers.Conv2D(3, [2, 3], { activation: "tanh" }), shape: [1, 6, 7, 2] },
    { name: "Conv2D dilated", make: () => new layers.Conv2D(3, 3, { dilationRate: 2 }), shape: [1, 7, 7, 2] },
    { name: "Conv2DTranspose dilated", make: () => new layers.Conv2DTranspose(2, 3, { dilationRate: 2 }), shape: [1, 4, 4, 2] },
    { name: "ZeroPadding3D + Cropping3D", make: () => keras.Sequential([new layers.ZeroPadding3D(1), new layers.Cropping3D([[2, 0], [0, 1], [1, 1]])]), shape: [1, 3, 3, 3, 2] },
    { name: "Conv2DTranspose s2", make: () => new layers.Conv2DTranspose(3, 3, { strides: 2, padding: "same" }), shape: [2, 4, 4, 2] },
    { name: "Conv3D", make: () => new layers.Conv3D(2, 2, { padding: "same" }), shape: [1, 4, 4, 4, 2] },
    { name: "DepthwiseConv2D", make: () => new layers.DepthwiseConv2D(3, { depthMultiplier: 2, strides: 2, padding: "same" }), shape: [2, 7, 7, 3] },
    { name: "SeparableConv2D", make: () => new layers.SeparableConv2D(4, 3, { depthMultiplier: 2 }), shape: [2, 6, 6, 3] },
    { name: "MaxPooling2D same", make: () => new layers.MaxPooling2D(3, { strides: 2, padding: "same" }), shape: [2, 7, 7, 3] },
    { name: "AveragePooling2D", make: () => new layers.AveragePooling2D(2), shape: [2, 6, 6, 3] },
    { name: "MaxPooling1D", make: () => new layers.MaxPooling1D(2), shape: [2, 8, 3] },
    { name: "MaxPooling3D", make: () => new layers.MaxPooling3D(2), shape: [1, 4, 4, 4, 2] },
    { name: "AveragePooling3D", make: () => new layers.AveragePooling3D(2), shape: [1, 4, 4, 4, 2] },
    { name: "GlobalAveragePooling2D", make: () => new layers.GlobalAveragePooling2D(), shape: [2, 5, 5, 3] },
    { name: "GlobalMaxPooling1D", make: () => new layers.GlobalMaxPooling1D(), shape: [2, 6, 3] },
    { name: "BatchNormalization (training)", make: () => new layers.BatchNormalization(), shape: [8, 5], training: true },
    { name: "BatchNormalization (inference, conv)", make: () => new layers.BatchNormalization(), shape: [2, 4, 4, 3] },
    { name: "LayerNormalization", make: () => new layers.LayerNormalization(), shape: [3, 4, 6] },
    { name: "GroupNormalization", make: () => new layers.GroupNormalization({ groups: 2 }), shape: [2, 4, 4, 4] },
    { name: "UnitNormalization", make: () => new layers.UnitNormalization(), shape: [3, 5] },
    { name: "Embedding", make: () => new layers.Embedding(10, 4), shape: [3, 5], intInput: 10 },
    { name: "SimpleRNN", make: () => new layers.SimpleRNN(4, { returnSequences: true }), shape: [2, 5, 3] },
    { name: "LSTM", make: () => new layers.LSTM(4), shape: [2, 6, 3] },
    { name: "GRU (return sequences)", make: () => new layers.GRU(4, { returnSequences: true }), shape: [2, 6, 3] },
    { name: "Bidirectional LSTM", make: () => new layers.Bidirectional(new layers.LSTM(3, { returnSequences: true })), shape: [2, 5, 3] },
    { name: "Dropout (training: false) then Dense", make: () => keras.Sequential([new layers.Dropout(0.5), new layers.Dense(3)]), shape: [3, 5] },
    { name: "UpSampling2D bilinear", make: () => new layers.UpSampling2D({ size: 2, interpolation: "bilinear" }), shape: [1, 3, 3, 2] },
    { name: "UpSampling2D nearest", make: () => new layers.UpSampling2D(2), shape: [1, 3, 3, 2] },
    { name: "ZeroPadding2D + Cropping2D", make: () => keras.Sequential([new layers.ZeroPadding2D(2), new layers.Cropping2D(1)]), shape: [1, 3, 4, 2] },
    { name: "Flatten / Reshape / Permute", make: () => keras.Sequential([new layers.Permute([2, 1]), new layers.Flatten(), new layers.Reshape([3, -1])]), shape: [2, 3, 4] },
    { name: "PReLU", make: () => new layers.PReLU(), shape: [3, 5] },
    { name: "Softmax layer", make: () => new layers.Softmax(), shape: [3, 5] },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const { cpu, gpu } = await onBoth(layerGrads(c.make, c.shape, c));
      expectClose(gpu, cpu, c.atol);
    });
  }

  it("MultiHeadAttention (causal) and Attention", async () => {
    const qv = rand(2 * 4 * 6, 31);
    const kv = rand(2 * 5 * 6, 32);
    const { cpu, gpu } = await onBoth(() => {
      keras.utils.setRandomSeed(9);
      const mha = new layers.MultiHeadAttention(2, 3);
      const att = new layers.Attention({ useScale: true });
      const add = new layers.AdditiveAttention();
      const q = tf.tensor3d(qv, [2, 4, 6]);
      const k = tf.tensor3d(kv, [2, 5, 6]);
      const f = (a: Tensor): Tensor =>
        tf.add(
          tf.add(tf.sum(mha.apply(a, { value: a, useCausalMask: true }) as Tensor), tf.sum(mha.apply(a, { value: k }) as Tensor)),
          tf.add(tf.sum(tf.square(att.apply([a, k]) as unknown as Tensor)), tf.sum(add.apply([a, k]) as unknown as Tensor)),
        );
      const y = tf.tidy(() => f(q));
      const gq = tf.grad(f)(q);
      const vars = [...mha.trainableWeights, ...att.trainableWeights, ...add.trainableWeights].map((v) => v.value);
      const { value, grads } = tf.variableGrads(() => f(q) as tf.Scalar, vars);
      const out = [y, gq, ...vars.map((v) => grads[v.name])];
      tf.dispose([q, k, value]);
      mha.dispose();
      att.dispose();
      add.dispose();
      return out;
    });
    expectClose(gpu, cpu);
  });
});

describe.runIf(onWebgpu)("losses, metrics and optimizers equal cpu", () => {
  it("every loss and its gradient", async () => {
    const L = keras.losses;
    const n = 6;
    const k = 4;
    const logits = rand(n * k, 51);
    const labels = [0, 3, 1, 2, 2, 0];
    const reg = rand(n * k, 52);
    const { cpu, gpu } = await onBoth(() =>
      tf.tidy(() => {
        const z = tf.tensor2d(logits, [n, k]);
        const yTrue = tf.oneHot(tf.tensor1d(labels, "int32"), k).asType("float32");
        const sparse = tf.tensor1d(labels, "int32");
        const target = tf.tensor2d(reg, [n, k]);
        const bin = tf.cast(tf.greater(target, 0), "float32");
        const fns: ((p: Tensor) => Tensor)[] = [
          (p) => L.meanSquaredError(target, p) as Tensor,
          (p) => L.meanAbsoluteError(target, p) as Tensor,
          (p) => L.meanAbsolutePercentageError(tf.add(target, 2), p) as Tensor,
          (p) => L.meanSquaredLogarithmicError(tf.abs(target), tf.abs(p)) as Tensor,
          (p) => L.cosineSimilarity(target, p) as Tensor,
          (p) => L.huber(target, p) as Tensor,
          (p) => L.logCosh(target, p) as Tensor,
          (p) => L.hinge(tf.sub(tf.mul(bin, 2), 1), p) as Tensor,
          (p) => L.squaredHinge(bin, p) as Tensor,
          (p) => L.categoricalHinge(yTrue, p) as Tensor,
          (p) => L.klDivergence(tf.softmax(target), tf.softmax(p)) as Tensor,
          (p) => L.poisson(tf.abs(target), tf.exp(p)) as Tensor,
          (p) => L.binaryCrossentropy(bin, p, { fromLogits: true }) as Tensor,
          (p) => L.binaryCrossentropy(bin, tf.sigmoid(p)) as Tensor,
          (p) => L.binaryFocalCrossentropy(bin, p, { fromLogits: true }) as Tensor,
          (p) => L.categoricalCrossentropy(yTrue, p, { fromLogits: true, labelSmoothing: 0.1 }) as Tensor,
          (p) => L.categoricalCrossentropy(yTrue, tf.softmax(p)) as Tensor,
          (p) => L.categoricalFocalCrossentropy(yTrue, tf.softmax(p)) as Tensor,
          (p) => L.sparseCategoricalCrossentropy(sparse, p, { fromLogits: true }) as Tensor,
          (p) => L.sparseCategoricalCrossentropy(sparse, tf.softmax(p)) as Tensor,
          (p) => L.dice(bin, tf.sigmoid(p)) as Tensor,
          (p) => L.tversky(bin, tf.sigmoid(p)) as Tensor,
        ];
        const out: Tensor[] = [];
        for (const f of fns) {
          out.push(f(z));
          out.push(tf.grad((p: Tensor) => tf.sum(f(p)))(z));
        }
        return out;
      }),
    );
    expectClose(gpu, cpu);
  });

  it("metrics accumulate the same values", async () => {
    const M = keras.metrics;
    const n = 8;
    const probs = rand(n * 3, 61).map((v) => (v + 1) / 2);
    const labels = [0, 2, 1, 1, 0, 2, 2, 1];
    const { cpu, gpu } = await onBoth(() => {
      const ms = [
        new M.CategoricalAccuracy(),
        new M.SparseCategoricalAccuracy(),
        new M.TopKCategoricalAccuracy({ k: 2 }),
        new M.AUC(),
        new M.Precision(),
        new M.Recall(),
        new M.MeanSquaredError(),
        new M.MeanIoU({ numClasses: 3 }),
        new M.F1Score({ average: "macro" }),
        new M.R2Score(),
      ];
      const out: Tensor[] = [];
      tf.tidy(() => {
        const p = tf.tensor2d(probs, [n, 3]);
        const oh = tf.oneHot(tf.tensor1d(labels, "int32"), 3).asType("float32");
        const sparse = tf.tensor1d(labels, "int32");
        const pred = tf.argMax(p, 1);
        for (let step = 0; step < 2; step++) {
          ms[0].updateState(oh, p);
          ms[1].updateState(sparse, p);
          ms[2].updateState(oh, p);
          ms[3].updateState(tf.reshape(oh, [-1]), tf.reshape(p, [-1]));
          ms[4].updateState(tf.reshape(oh, [-1]), tf.reshape(p, [-1]));
          ms[5].updateState(tf.reshape(oh, [-1]), tf.reshape(p, [-1]));
          ms[6].updateState(oh, p);
          ms[7].updateState(sparse, pred);
          ms[8].updateState(oh, p);
          ms[9].updateState(oh, p);
        }
      });
      for (const m of ms) out.push(m.result() as Tensor);
      for (const m of ms) for (const v of m.variables) v.value.dispose();
      return out;
    }, false);
    expectClose(gpu, cpu);
  });

  it("every optimizer takes the same steps", async () => {
    const O = keras.optimizers;
    const makers: (() => keras.Optimizer)[] = [
      () => O.SGD({ learningRate: 0.1, momentum: 0.9, nesterov: true }),
      () => O.Adam({ learningRate: 0.01, amsgrad: true }),
      () => O.AdamW({ learningRate: 0.01 }),
      () => O.Adamax({ learningRate: 0.01 }),
      () => O.Adagrad({ learningRate: 0.1 }),
      () => O.Adadelta({ learningRate: 1.0 }),
      () => O.Adafactor({ learningRate: 0.01 }),
      () => O.Nadam({ learningRate: 0.01 }),
      () => O.RMSprop({ learningRate: 0.01, momentum: 0.5, centered: true }),
      () => O.Ftrl({ learningRate: 0.1, l1RegularizationStrength: 0.01 }),
      () => O.Lion({ learningRate: 0.01 }),
      () => O.Lamb({ learningRate: 0.01 }),
      () => O.SGD({ learningRate: 0.1, clipnorm: 0.5, weightDecay: 0.01 }),
    ];
    const w0 = rand(12, 71);
    const { cpu, gpu } = await onBoth(() => {
      const out: Tensor[] = [];
      for (const make of makers) {
        const opt = make();
        const w = new keras.Variable(tf.tensor2d(w0, [3, 4]), { name: "w" });
        for (let step = 0; step < 3; step++) {
          const g = tf.tidy(() => tf.grad((t: Tensor) => tf.sum(tf.mul(tf.square(t), tf.tensor2d(rand(12, 72 + step), [3, 4]))))(w.value));
          opt.apply([g], [w]);
          g.dispose();
        }
        out.push(tf.clone(w.value));
        w.value.dispose();
        for (const v of opt.variables) v.value.dispose();
      }
      return out;
    }, false);
    expectClose(gpu, cpu);
  });
});

describe.runIf(onWebgpu)("the device", () => {
  it("reported no errors (a shader Dawn rejects leaves its output unwritten)", async () => {
    const { webgpuDeviceErrors } = await import("../../lib/backend/webgpu-node.js");
    await new Promise((r) => setTimeout(r, 50));
    expect(webgpuDeviceErrors()).toEqual([]);
  });
});
