/**
 * Training on webgpu: short fits of an MLP, a CNN and an LSTM give the cpu
 * backend's losses, and memory stays flat over epochs (live tensors, their
 * bytes, and the GPU buffers in use).
 */
import { beforeAll, describe, expect, it } from "vitest";
import * as keras from "../../lib/index.js";
import { tf } from "../../lib/backend/tfjs.js";
import { backend, setBackend } from "../../lib/backend/engine.js";

const { layers } = keras;

function rand(n: number, seed: number): number[] {
  let s = seed >>> 0 || 1;
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out.push((s / 2 ** 32) * 2 - 1);
  }
  return out;
}

interface Case {
  name: string;
  model: () => keras.Model;
  x: number[];
  xShape: number[];
  y: number[];
  yShape: number[];
  loss: string;
}

const N = 32;
const cases: Case[] = [
  {
    name: "MLP (Dense, BatchNormalization, Dropout, Adam)",
    model: () =>
      keras.Sequential([
        layers.Input({ shape: [8] }),
        layers.Dense(16, { activation: "relu" }),
        layers.BatchNormalization(),
        layers.Dropout(0.0),
        layers.Dense(3, { activation: "softmax" }),
      ]),
    x: rand(N * 8, 1),
    xShape: [N, 8],
    y: Array.from({ length: N }, (_, i) => i % 3),
    yShape: [N],
    loss: "sparse_categorical_crossentropy",
  },
  {
    name: "CNN (Conv2D, MaxPooling2D, GlobalAveragePooling2D)",
    model: () =>
      keras.Sequential([
        layers.Input({ shape: [8, 8, 1] }),
        layers.Conv2D(4, 3, { padding: "same", activation: "relu" }),
        layers.MaxPooling2D(2),
        layers.Conv2D(4, 3, { activation: "relu" }),
        layers.GlobalAveragePooling2D(),
        layers.Dense(1, { activation: "sigmoid" }),
      ]),
    x: rand(N * 64, 2),
    xShape: [N, 8, 8, 1],
    y: Array.from({ length: N }, (_, i) => i % 2),
    yShape: [N, 1],
    loss: "binary_crossentropy",
  },
  {
    name: "LSTM + GRU (Embedding, LayerNormalization)",
    model: () =>
      keras.Sequential([
        layers.Input({ shape: [6], dtype: "int32" }),
        layers.Embedding(10, 4),
        layers.LSTM(5, { returnSequences: true }),
        layers.LayerNormalization(),
        layers.GRU(4),
        layers.Dense(1),
      ]),
    x: rand(N * 6, 3).map((v) => Math.floor(((v + 1) / 2) * 10)),
    xShape: [N, 6],
    y: rand(N, 4),
    yShape: [N, 1],
    loss: "mse",
  },
];

// These run with KERAS_BACKEND=webgpu (`npm run test:webgpu`); the normal suite (cpu) skips them.
const onWebgpu = process.env.KERAS_BACKEND === "webgpu";

beforeAll(() => {
  if (onWebgpu) expect(backend()).toBe("webgpu");
});

describe.runIf(onWebgpu)("fit on webgpu", () => {
  for (const c of cases) {
    it(`${c.name}: losses equal cpu, memory flat over epochs`, async () => {
      const train = async (name: "cpu" | "webgpu"): Promise<{ losses: number[]; mem: ReturnType<typeof tf.memory>[] }> => {
        await setBackend(name);
        keras.backend.clearSession();
        keras.utils.setRandomSeed(11);
        const x = c.xShape.length === 2 && c.name.startsWith("LSTM") ? tf.tensor(c.x, c.xShape, "int32") : tf.tensor(c.x, c.xShape);
        const y = tf.tensor(c.y, c.yShape, c.loss.startsWith("sparse") ? "int32" : "float32");
        const model = c.model();
        model.compile({ optimizer: keras.optimizers.Adam({ learningRate: 0.01 }), loss: c.loss });
        const losses: number[] = [];
        const mem: ReturnType<typeof tf.memory>[] = [];
        for (let epoch = 0; epoch < 4; epoch++) {
          const h = await model.fit(x, y, { epochs: 1, batchSize: 16, verbose: 0, shuffle: false });
          losses.push(h.history.loss[0]);
          mem.push(tf.memory());
        }
        model.dispose();
        tf.dispose([x, y]);
        return { losses, mem };
      };
      const cpu = await train("cpu");
      const gpu = await train("webgpu");
      for (let i = 0; i < cpu.losses.length; i++) {
        expect(Math.abs(gpu.losses[i] - cpu.losses[i]), `epoch ${i}: ${gpu.losses[i]} vs ${cpu.losses[i]}`).toBeLessThanOrEqual(1e-4 + 1e-3 * Math.abs(cpu.losses[i]));
      }
      // From the second epoch on (the first builds the optimizer's slots), nothing grows.
      const m = gpu.mem as (ReturnType<typeof tf.memory> & { numBytesInGPU?: number })[];
      expect(m[3].numTensors).toBe(m[1].numTensors);
      expect(m[3].numBytes).toBe(m[1].numBytes);
      expect(m[3].numBytesInGPU).toBe(m[1].numBytesInGPU);
    });
  }

  it("predict and evaluate read back through the async path too", async () => {
    await setBackend("webgpu");
    keras.utils.setRandomSeed(3);
    const model = keras.Sequential([layers.Input({ shape: [4] }), layers.Dense(2)]);
    model.compile({ optimizer: "sgd", loss: "mse", metrics: ["mae"] });
    const x = tf.tensor2d(rand(40, 9), [10, 4]);
    const y = tf.tensor2d(rand(20, 10), [10, 2]);
    const p = (await model.predict(x, { verbose: 0 })) as tf.Tensor;
    const direct = model.apply(x) as tf.Tensor;
    expect(Array.from(await p.data())).toEqual(Array.from(direct.dataSync()));
    const r = await model.evaluate(x, y, { verbose: 0 });
    const values = Array.isArray(r) ? r : Object.values(r as Record<string, number>);
    expect(values.length).toBeGreaterThan(0);
    expect(values.every((v) => Number.isFinite(v))).toBe(true);
    tf.dispose([x, y, p, direct]);
    model.dispose();
  });
});
