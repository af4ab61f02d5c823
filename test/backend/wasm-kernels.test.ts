/**
 * The kernels lib/backend/wasm-kernels.ts adds to the wasm backend: each one
 * against the cpu backend's own kernel (1e-4), the gradients of the
 * convolution and pooling layers on wasm against cpu, training on wasm, and
 * no leaked tensors.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as keras from "../../lib/index.js";
import { tf, type Tensor } from "../../lib/backend/tfjs.js";
import { setBackend } from "../../lib/backend/engine.js";
import { WASM_EXTRA_KERNELS } from "../../lib/backend/wasm-kernels.js";
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

function size(shape: number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Runs `f` on the cpu then the wasm backend; returns both results as flat arrays. */
async function onBoth(f: () => Tensor[]): Promise<{ cpu: number[][]; wasm: number[][] }> {
  const run = (): number[][] => {
    const outs = f();
    const vals = outs.map((t) => Array.from(t.dataSync()));
    tf.dispose(outs);
    return vals;
  };
  await setBackend("cpu");
  const cpu = run();
  await setBackend("wasm");
  const before = tf.memory().numTensors;
  const wasm = run();
  expect(tf.memory().numTensors).toBe(before);
  return { cpu, wasm };
}

function expectAllClose(a: number[][], b: number[][], tol = 1e-4): void {
  expect(a.length).toBe(b.length);
  a.forEach((xs, k) => {
    expect(xs.length).toBe(b[k].length);
    let worst = 0;
    xs.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - b[k][i]))));
    expect(worst, `output ${k}`).toBeLessThanOrEqual(tol);
  });
}

beforeAll(async () => {
  await setBackend("wasm");
});

afterAll(async () => {
  await setBackend("cpu");
});

describe("wasm kernels", () => {
  it("registers every missing kernel on wasm", () => {
    for (const name of WASM_EXTRA_KERNELS) expect(tf.getKernel(name, "wasm"), name).toBeDefined();
  });

  const convCases: { name: string; x: number[]; w: number[]; strides: number | [number, number]; pad: "same" | "valid" }[] = [
    { name: "3x3 same s1", x: [2, 7, 7, 3], w: [3, 3, 3, 4], strides: 1, pad: "same" },
    { name: "3x3 same s2", x: [2, 7, 7, 3], w: [3, 3, 3, 4], strides: 2, pad: "same" },
    { name: "3x3 valid s2", x: [1, 8, 7, 2], w: [3, 3, 2, 5], strides: 2, pad: "valid" },
    { name: "2x3 valid s(1,2)", x: [2, 6, 9, 3], w: [2, 3, 3, 2], strides: [1, 2], pad: "valid" },
    { name: "1x1", x: [2, 4, 4, 6], w: [1, 1, 6, 3], strides: 1, pad: "valid" },
    { name: "4x4 same s3", x: [1, 10, 10, 2], w: [4, 4, 2, 3], strides: 3, pad: "same" },
  ];
  for (const c of convCases) {
    it(`Conv2DBackpropFilter and the conv2d gradients match cpu: ${c.name}`, async () => {
      const xv = rand(size(c.x), 1);
      const wv = rand(size(c.w), 2);
      const { cpu, wasm } = await onBoth(() => {
        const x = tf.tensor4d(xv, c.x as [number, number, number, number]);
        const w = tf.tensor4d(wv, c.w as [number, number, number, number]);
        const g = tf.grads((a: Tensor, b: Tensor) => {
          const y = tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.strides, c.pad);
          return tf.sum(tf.mul(y, tf.tensor(rand(y.size, 3), y.shape)));
        })([x, w]);
        tf.dispose([x, w]);
        return g;
      });
      expectAllClose(wasm, cpu);
    });
  }

  it("Conv2DBackpropInput: NCHW, explicit padding and strides match cpu", async () => {
    const wv = rand(3 * 3 * 3 * 4, 8);
    const { cpu, wasm } = await onBoth(() => tf.tidy(() => {
      const filter = tf.tensor4d(wv, [3, 3, 3, 4]);
      const a = tf.engine().runKernel("Conv2DBackpropInput", { dy: tf.tensor4d(rand(2 * 4 * 6 * 5, 9), [2, 4, 6, 5]), filter }, {
        strides: [1, 1],
        pad: "same",
        dataFormat: "NCHW",
        inputShape: [2, 3, 6, 5],
      }) as Tensor;
      const b = tf.engine().runKernel("Conv2DBackpropInput", { dy: tf.tensor4d(rand(1 * 5 * 2 * 4, 10), [1, 5, 2, 4]), filter }, {
        strides: [2, 3],
        pad: [[0, 0], [1, 2], [0, 1], [0, 0]],
        dataFormat: "NHWC",
        inputShape: [1, 8, 7, 3],
      }) as Tensor;
      return [a, b];
    }));
    expectAllClose(wasm, cpu);
  });

  it("Conv2DBackpropFilter: NCHW and explicit padding match cpu", async () => {
    const xv = rand(2 * 3 * 6 * 5, 4);
    const { cpu, wasm } = await onBoth(() => {
      const x = tf.tensor4d(xv, [2, 3, 6, 5]);
      const dy = tf.tensor4d(rand(2 * 4 * 6 * 5, 5), [2, 4, 6, 5]);
      const a = tf.engine().runKernel("Conv2DBackpropFilter", { x, dy }, {
        strides: [1, 1],
        pad: "same",
        dataFormat: "NCHW",
        filterShape: [3, 3, 3, 4],
      }) as Tensor;
      const xl = tf.tensor4d(rand(1 * 5 * 5 * 2, 6), [1, 5, 5, 2]);
      const dyl = tf.tensor4d(rand(1 * 3 * 4 * 3, 7), [1, 3, 4, 3]);
      const b = tf.engine().runKernel("Conv2DBackpropFilter", { x: xl, dy: dyl }, {
        strides: [2, 1],
        pad: [
          [0, 0],
          [1, 0],
          [0, 1],
          [0, 0],
        ],
        dataFormat: "NHWC",
        filterShape: [2, 3, 2, 3],
      }) as Tensor;
      tf.dispose([x, dy, xl, dyl]);
      return [a, b];
    });
    expectAllClose(wasm, cpu);
  });

  const dwCases: { name: string; x: number[]; w: number[]; strides: number; pad: "same" | "valid" }[] = [
    { name: "3x3 same s1 m2", x: [2, 6, 6, 3], w: [3, 3, 3, 2], strides: 1, pad: "same" },
    { name: "3x3 same s2 m1", x: [2, 7, 7, 3], w: [3, 3, 3, 1], strides: 2, pad: "same" },
    { name: "3x3 valid s2 m3", x: [1, 8, 9, 2], w: [3, 3, 2, 3], strides: 2, pad: "valid" },
    { name: "2x2 valid s1 m1", x: [2, 5, 5, 4], w: [2, 2, 4, 1], strides: 1, pad: "valid" },
  ];
  for (const c of dwCases) {
    it(`the depthwise backprops match cpu: ${c.name}`, async () => {
      const xv = rand(size(c.x), 8);
      const wv = rand(size(c.w), 9);
      const { cpu, wasm } = await onBoth(() => {
        const x = tf.tensor4d(xv, c.x as [number, number, number, number]);
        const w = tf.tensor4d(wv, c.w as [number, number, number, number]);
        const g = tf.grads((a: Tensor, b: Tensor) => {
          const y = tf.depthwiseConv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.strides, c.pad);
          return tf.sum(tf.mul(y, tf.tensor(rand(y.size, 10), y.shape)));
        })([x, w]);
        tf.dispose([x, w]);
        return g;
      });
      expectAllClose(wasm, cpu);
    });
  }

  it("the depthwise backprops with dilation match the cpu gradients of an explicitly dilated kernel", async () => {
    const xv = rand(2 * 9 * 9 * 2, 11);
    const dyv = rand(2 * 9 * 9 * 4, 12);
    const wv = rand(3 * 3 * 2 * 2, 13);
    // The cpu reference: the gradients of depthwiseConv2d with the kernel dilated by hand (5x5, zeros between taps).
    await setBackend("cpu");
    const ref = tf.tidy(() => {
      const x = tf.tensor4d(xv, [2, 9, 9, 2]);
      const dy = tf.tensor4d(dyv, [2, 9, 9, 4]);
      const w = tf.tensor4d(wv, [3, 3, 2, 2]);
      // dilate: [3,3,c,m] -> [5,5,c,m] with w at even positions.
      const up = tf.buffer([5, 5, 2, 2]);
      const wd = w.arraySync() as number[][][][];
      for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) for (let c = 0; c < 2; c++) for (let m = 0; m < 2; m++) up.set(wd[i][j][c][m], 2 * i, 2 * j, c, m);
      const wDil = up.toTensor() as tf.Tensor4D;
      const f = (a: Tensor, b: Tensor): Tensor => tf.sum(tf.mul(tf.depthwiseConv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, "same"), dy));
      const [gx, gwDil] = tf.grads(f)([x, wDil]);
      const gw = tf.stridedSlice(gwDil, [0, 0, 0, 0], [5, 5, 2, 2], [2, 2, 1, 1]);
      return [Array.from(gw.dataSync()), Array.from(gx.dataSync())];
    });
    await setBackend("wasm");
    const before = tf.memory().numTensors;
    const got = tf.tidy(() => {
      const x = tf.tensor4d(xv, [2, 9, 9, 2]);
      const dy = tf.tensor4d(dyv, [2, 9, 9, 4]);
      const w = tf.tensor4d(wv, [3, 3, 2, 2]);
      const attrs = { strides: [1, 1], dilations: [2, 2], pad: "same" };
      const a = tf.engine().runKernel("DepthwiseConv2dNativeBackpropFilter", { x, dy }, { ...attrs, filterShape: [3, 3, 2, 2] }) as Tensor;
      const b = tf.engine().runKernel("DepthwiseConv2dNativeBackpropInput", { dy, filter: w }, { ...attrs, inputShape: [2, 9, 9, 2] }) as Tensor;
      return [Array.from(a.dataSync()), Array.from(b.dataSync())];
    });
    expect(tf.memory().numTensors).toBe(before);
    expectAllClose(got, ref);
  });

  const windowCases: { name: string; x: number[]; w?: number[]; op: (a: Tensor, w: Tensor) => Tensor }[] = [
    { name: "MaxPoolGrad same 3 s2", x: [2, 7, 7, 3], op: (a) => tf.maxPool(a as tf.Tensor4D, 3, 2, "same") },
    { name: "MaxPoolGrad same 2 s2", x: [1, 6, 6, 2], op: (a) => tf.maxPool(a as tf.Tensor4D, 2, 2, "same") },
    { name: "MaxPoolGrad valid 3 s2", x: [1, 7, 8, 2], op: (a) => tf.maxPool(a as tf.Tensor4D, 3, 2, "valid") },
    { name: "MaxPoolGrad valid (2,3) s1", x: [1, 5, 6, 2], op: (a) => tf.maxPool(a as tf.Tensor4D, [2, 3], 1, "valid") },
    // Windows that tile the input (strides = pool size): the reshape-based fast path.
    { name: "MaxPoolGrad valid 2 s2, odd sizes", x: [2, 7, 9, 3], op: (a) => tf.maxPool(a as tf.Tensor4D, 2, 2, "valid") },
    { name: "MaxPoolGrad same 3 s3 (padding before)", x: [2, 7, 8, 2], op: (a) => tf.maxPool(a as tf.Tensor4D, 3, 3, "same") },
    { name: "MaxPoolGrad valid (2,3) s(2,3)", x: [1, 6, 7, 2], op: (a) => tf.maxPool(a as tf.Tensor4D, [2, 3], [2, 3], "valid") },
    { name: "MaxPoolGrad valid 2 s2, ties (after relu)", x: [2, 6, 6, 2], op: (a) => tf.maxPool(tf.relu(a) as tf.Tensor4D, 2, 2, "valid") },
    { name: "MaxPool3DGrad same 3 s2", x: [1, 5, 5, 5, 2], op: (a) => tf.maxPool3d(a as tf.Tensor5D, 3, 2, "same") },
    { name: "MaxPool3DGrad valid 2", x: [2, 4, 4, 4, 1], op: (a) => tf.maxPool3d(a as tf.Tensor5D, 2, 2, "valid") },
    { name: "AvgPoolGrad same 3 s2", x: [1, 7, 7, 2], op: (a) => tf.avgPool(a as tf.Tensor4D, 3, 2, "same") },
    { name: "AvgPool3DGrad valid 2", x: [1, 4, 4, 4, 2], op: (a) => tf.avgPool3d(a as tf.Tensor5D, 2, 2, "valid") },
    { name: "Conv3D backprops valid s1", x: [1, 4, 4, 4, 2], w: [2, 2, 2, 2, 3], op: (a, w) => tf.conv3d(a as tf.Tensor5D, w as tf.Tensor5D, 1, "valid") },
    { name: "Conv3D backprops same k3", x: [1, 4, 5, 4, 2], w: [3, 3, 3, 2, 3], op: (a, w) => tf.conv3d(a as tf.Tensor5D, w as tf.Tensor5D, 1, "same") },
    { name: "Conv3D backprops same k2", x: [2, 4, 4, 4, 2], w: [2, 2, 2, 2, 3], op: (a, w) => tf.conv3d(a as tf.Tensor5D, w as tf.Tensor5D, 1, "same") },
    { name: "Conv3D backprops valid s2", x: [1, 5, 6, 5, 2], w: [3, 3, 3, 2, 3], op: (a, w) => tf.conv3d(a as tf.Tensor5D, w as tf.Tensor5D, 2, "valid") },
    { name: "Conv3D backprops same s2", x: [1, 5, 5, 5, 1], w: [3, 3, 3, 1, 2], op: (a, w) => tf.conv3d(a as tf.Tensor5D, w as tf.Tensor5D, [2, 1, 2], "same") },
    { name: "Conv2DBackpropInput (conv2dTranspose)", x: [1, 3, 3, 2], w: [3, 3, 3, 2], op: (a, w) => tf.conv2dTranspose(a as tf.Tensor4D, w as tf.Tensor4D, [1, 7, 7, 3], 2, "valid") },
  ];
  for (const c of windowCases) {
    it(`${c.name} matches cpu (negative inputs included)`, async () => {
      // Shifted so whole windows are negative: a max-pool gradient must not compare with a zero.
      const xv = rand(size(c.x), 41).map((v) => v - 0.7);
      const wv = c.w ? rand(size(c.w), 42) : [];
      const { cpu, wasm } = await onBoth(() =>
        tf.tidy(() => {
          const x = tf.tensor(xv, c.x);
          const w = c.w ? tf.tensor(wv, c.w) : x;
          const y0 = c.op(x, w);
          const r = tf.tensor(rand(y0.size, 43), y0.shape);
          if (!c.w) return [y0, tf.grad((a: Tensor) => tf.sum(tf.mul(c.op(a, a), r)))(x)];
          return [y0, ...tf.grads((a: Tensor, b: Tensor) => tf.sum(tf.mul(c.op(a, b), r)))([x, w])];
        }),
      );
      expectAllClose(wasm, cpu);
    });
  }

  it("UnsortedSegmentSum (the gather gradient) matches cpu, dropping out-of-range ids", async () => {
    const { cpu, wasm } = await onBoth(() => {
      const x = tf.tensor2d(rand(6 * 3, 14), [6, 3]);
      const ids = tf.tensor1d([0, 2, 0, 5, -1, 2], "int32");
      const s = tf.unsortedSegmentSum(x, ids, 4);
      const table = tf.tensor2d(rand(5 * 2, 15), [5, 2]);
      const rows = tf.tensor1d([1, 3, 1, 0], "int32");
      const g = tf.grad((t: Tensor) => tf.sum(tf.square(tf.gather(t, rows))))(table);
      tf.dispose([x, ids, table, rows]);
      return [s, g];
    });
    expectAllClose(wasm, cpu);
    expect(cpu[0].slice(3, 6)).toEqual([0, 0, 0]);
  });

  it("leaves the live tensor count flat (kernels and their gradients)", async () => {
    await setBackend("wasm");
    const x = tf.tensor4d(rand(2 * 6 * 6 * 3, 16), [2, 6, 6, 3]);
    const w = tf.tensor4d(rand(3 * 3 * 3 * 2, 17), [3, 3, 3, 2]);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) {
      const g = tf.grads((a: Tensor, b: Tensor) =>
        tf.add(tf.sum(tf.depthwiseConv2d(a as tf.Tensor4D, b as tf.Tensor4D, 2, "same")), tf.sum(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, "same"))),
      )([x, tf.reshape(w, [3, 3, 3, 2])]);
      tf.dispose(g);
    }
    // `tf.reshape(w)` inside the loop is an argument, not an intermediate: 3 of them live on.
    expect(tf.memory().numTensors - before).toBe(3);
    tf.dispose([x, w]);
  });
});

describe("conv and pooling layers on wasm", () => {
  /** Gradients of a fixed weighted sum of the layer's output w.r.t. its input and trainable weights. */
  function layerGrads(make: () => Layer, inputShape: number[]): () => Tensor[] {
    const xv = rand(size(inputShape), 21);
    return () => {
      keras.utils.setRandomSeed(5);
      const layer = make();
      const x = tf.tensor(xv, inputShape);
      const y0 = layer.apply(x) as Tensor;
      const r = tf.tensor(rand(y0.size, 22), y0.shape);
      y0.dispose();
      const vars = layer.trainableWeights.map((v) => v.value);
      const f = (): tf.Scalar => tf.sum(tf.mul(layer.apply(x) as Tensor, r)) as tf.Scalar;
      const out = [tf.grad((t: Tensor) => tf.sum(tf.mul(layer.apply(t) as Tensor, r)))(x)];
      if (vars.length > 0) {
        const { value, grads } = tf.variableGrads(f, vars);
        out.push(...vars.map((v) => grads[v.name]));
        value.dispose();
      }
      tf.dispose([x, r]);
      layer.dispose();
      return out;
    };
  }

  const cases: { name: string; make: () => Layer; shape: number[] }[] = [
    { name: "Conv2D same s2", make: () => new layers.Conv2D(4, 3, { strides: 2, padding: "same" }), shape: [2, 7, 7, 3] },
    { name: "Conv2D dilated", make: () => new layers.Conv2D(3, 3, { dilationRate: 2, activation: "tanh" }), shape: [1, 8, 8, 2] },
    { name: "Conv2D groups channels_first", make: () => new layers.Conv2D(4, 3, { groups: 2, dataFormat: "channels_first" }), shape: [2, 4, 6, 6] },
    { name: "Conv1D causal", make: () => new layers.Conv1D(3, 3, { padding: "causal", dilationRate: 2 }), shape: [2, 9, 2] },
    { name: "Conv2DTranspose s2", make: () => new layers.Conv2DTranspose(3, 3, { strides: 2, padding: "same" }), shape: [2, 4, 4, 2] },
    { name: "DepthwiseConv2D", make: () => new layers.DepthwiseConv2D(3, { depthMultiplier: 2, strides: 2, padding: "same" }), shape: [2, 7, 7, 3] },
    { name: "DepthwiseConv1D", make: () => new layers.DepthwiseConv1D(3, { depthMultiplier: 2 }), shape: [2, 8, 3] },
    { name: "SeparableConv2D", make: () => new layers.SeparableConv2D(4, 3, { depthMultiplier: 2 }), shape: [2, 6, 6, 3] },
    { name: "SeparableConv1D", make: () => new layers.SeparableConv1D(4, 3, { padding: "same" }), shape: [2, 8, 3] },
    { name: "Conv3D", make: () => new layers.Conv3D(2, 2, { padding: "same" }), shape: [1, 4, 4, 4, 2] },
    { name: "MaxPooling2D same", make: () => new layers.MaxPooling2D(3, { strides: 2, padding: "same" }), shape: [2, 7, 7, 3] },
    { name: "AveragePooling2D same", make: () => new layers.AveragePooling2D(3, { strides: 2, padding: "same" }), shape: [2, 7, 7, 3] },
    { name: "MaxPooling3D", make: () => new layers.MaxPooling3D(2), shape: [1, 4, 4, 4, 2] },
    { name: "AveragePooling1D", make: () => new layers.AveragePooling1D(2), shape: [2, 8, 3] },
    { name: "GlobalMaxPooling2D", make: () => new layers.GlobalMaxPooling2D(), shape: [2, 5, 5, 3] },
    { name: "AdaptiveAveragePooling2D", make: () => new layers.AdaptiveAveragePooling2D([2, 3]), shape: [2, 7, 8, 3] },
  ];
  for (const c of cases) {
    it(`${c.name}: wasm gradients equal cpu gradients`, async () => {
      const { cpu, wasm } = await onBoth(layerGrads(c.make, c.shape));
      expectAllClose(wasm, cpu);
    });
  }

  it("a CNN with Conv2D, DepthwiseConv2D, SeparableConv2D and pooling trains on wasm as on cpu", async () => {
    const n = 32;
    const xv = rand(n * 8 * 8 * 1, 31);
    const labels = Array.from({ length: n }, (_, i) => {
      // Class 1 when the left half is brighter than the right half.
      let s = 0;
      for (let h = 0; h < 8; h++) for (let w = 0; w < 8; w++) s += (w < 4 ? 1 : -1) * xv[i * 64 + h * 8 + w];
      return s > 0 ? 1 : 0;
    });
    const train = async (backend: "cpu" | "wasm"): Promise<number[]> => {
      await setBackend(backend);
      keras.utils.setRandomSeed(7);
      const x = tf.tensor4d(xv, [n, 8, 8, 1]);
      const y = tf.tensor2d(labels, [n, 1]);
      const model = keras.Sequential([
        layers.Input({ shape: [8, 8, 1] }),
        layers.Conv2D(4, 3, { padding: "same", activation: "relu" }),
        layers.MaxPooling2D(2),
        layers.DepthwiseConv2D(3, { depthMultiplier: 2, padding: "same", activation: "relu" }),
        layers.SeparableConv2D(4, 3, { padding: "same", activation: "relu" }),
        layers.AveragePooling2D(2, { strides: 1, padding: "same" }),
        layers.Flatten(),
        layers.Dense(1, { activation: "sigmoid" }),
      ]);
      model.compile({ optimizer: keras.optimizers.Adam({ learningRate: 0.02 }), loss: "binary_crossentropy" });
      const before = tf.memory().numTensors;
      const history = await model.fit(x, y, { epochs: 20, batchSize: 16, verbose: 0 });
      model.dispose();
      tf.dispose([x, y]);
      expect(tf.memory().numTensors).toBeLessThanOrEqual(before - 2);
      return history.history.loss;
    };
    const cpu = await train("cpu");
    const wasm = await train("wasm");
    expect(wasm[wasm.length - 1]).toBeLessThan(wasm[0] * 0.9);
    expectAllClose([wasm], [cpu], 1e-3);
  });
});
