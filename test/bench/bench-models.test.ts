/**
 * The benchmark's models (bench/models-*.ts) must keep building and training
 * in both libraries, so `npm run bench` cannot rot. Nothing here is timed.
 */
import { describe, expect, it } from "vitest";
import { buildTskeras, tf } from "../../bench/models-tskeras.js";
import { buildTfjsLayers } from "../../bench/models-tfjs-layers.js";
import { benchData, initialWeights, type BenchModel, type ModelId } from "../../bench/data.js";

const MODELS: ModelId[] = ["mlp", "cnn", "lstm"];

async function oneStep(model: BenchModel, id: ModelId): Promise<void> {
  const { x, y } = benchData(id, 8);
  try {
    await model.fit(x, y, 8);
    await model.predict(x, 4);
  } finally {
    tf.dispose([x, y]);
  }
}

describe("bench models", () => {
  it("share one tfjs-core instance with tfjs-layers", async () => {
    const tfl = await import("@tensorflow/tfjs-layers");
    const out = tfl.layers.dense({ units: 2, inputShape: [3] }).apply(tf.ones([1, 3])) as unknown;
    expect(out).toBeInstanceOf(tf.Tensor);
    tf.dispose(out as tf.Tensor);
  });

  for (const id of MODELS) {
    it(`${id}: builds and trains one step in both libraries, from the same initial weights`, async () => {
      const before = tf.memory().numTensors;
      const k = buildTskeras(id);
      const t = buildTfjsLayers(id);
      try {
        const kw = k.getWeights();
        const tw = t.getWeights();
        const init = initialWeights(kw.map((w) => [...w.shape]));
        expect(tw.map((w) => w.shape)).toEqual(kw.map((w) => w.shape));
        for (let i = 0; i < kw.length; i++) {
          expect(Array.from(kw[i].dataSync())).toEqual(Array.from(init[i].dataSync()));
          expect(Array.from(tw[i].dataSync())).toEqual(Array.from(init[i].dataSync()));
        }
        expect(k.countParams()).toBe(t.countParams());
        tf.dispose([...kw, ...tw, ...init]);
        await oneStep(k, id);
        await oneStep(t, id);
        // Both trained: the weights moved.
        const after = k.getWeights();
        const start = initialWeights(after.map((w) => [...w.shape]));
        const moved = tf.tidy(() => after.some((w, i) => tf.max(tf.abs(tf.sub(w, start[i]))).dataSync()[0] > 0));
        expect(moved).toBe(true);
        tf.dispose([...after, ...start]);
      } finally {
        k.dispose();
        t.dispose();
      }
      expect(tf.memory().numTensors).toBe(before);
    });
  }

  it("tskeras reads nothing back per batch with verbose 0: the loss is read once, at the end of the epoch", async () => {
    const model = buildTskeras("mlp");
    const { x, y } = benchData("mlp", 64);
    const engine = tf.engine() as unknown as Record<"read" | "readSync", (id: unknown) => unknown>;
    let reads = 0;
    try {
      await model.fit(x, y, 8);
      const orig = { read: engine.read, readSync: engine.readSync };
      engine.read = function (this: unknown, id: unknown) {
        reads++;
        return orig.read.call(this, id);
      };
      engine.readSync = function (this: unknown, id: unknown) {
        reads++;
        return orig.readSync.call(this, id);
      };
      try {
        await model.fit(x, y, 8, 0);
      } finally {
        delete (engine as Partial<typeof engine>).read;
        delete (engine as Partial<typeof engine>).readSync;
      }
    } finally {
      model.dispose();
      tf.dispose([x, y]);
    }
    // 8 batches; the epoch's logs (the loss) are one read.
    expect(reads).toBeLessThanOrEqual(2);
  });
});
