import { beforeEach, describe, expect, it } from "vitest";
import * as keras from "../../lib/index.js";
import { tf, type Tensor } from "../../lib/backend/tfjs.js";

const { layers } = keras;

/** Two interleaved spirals, n points each, with labels 0/1 (deterministic). */
function spirals(n: number, noise = 0.05, seed = 1): { x: number[][]; y: number[] } {
  let s = seed;
  const rand = (): number => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
  const x: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = (i / n) * 3 * Math.PI + 0.5;
    for (const c of [0, 1]) {
      const sign = c === 0 ? 1 : -1;
      x.push([sign * t * Math.cos(t) / 10 + noise * (rand() - 0.5), sign * t * Math.sin(t) / 10 + noise * (rand() - 0.5)]);
      y.push(c);
    }
  }
  // Shuffle so validationSplit (the last samples) sees both classes everywhere.
  const idx = x.map((_, i) => i);
  for (let i = idx.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [idx[i], idx[j]] = [idx[j], idx[i]];
  }
  return { x: idx.map((i) => x[i]), y: idx.map((i) => y[i]) };
}

function mlp(hidden = 32): keras.Sequential {
  return keras.Sequential([
    layers.Input({ shape: [2] }),
    layers.Dense(hidden, { activation: "relu" }),
    layers.Dense(hidden, { activation: "relu" }),
    layers.Dense(1, { activation: "sigmoid" }),
  ]);
}

describe("fit", () => {
  beforeEach(() => {
    keras.backend.clearSession();
    keras.utils.setRandomSeed(3);
  });

  it("learns two interleaved spirals to > 95% validation accuracy", { timeout: 180_000 }, async () => {
    const { x, y } = spirals(300);
    const model = keras.Sequential([
      layers.Input({ shape: [2] }),
      layers.Dense(64, { activation: "relu" }),
      layers.Dense(64, { activation: "relu" }),
      layers.Dense(64, { activation: "relu" }),
      layers.Dense(1, { activation: "sigmoid" }),
    ]);
    model.compile({ optimizer: keras.optimizers.Adam({ learningRate: 0.02 }), loss: "binary_crossentropy", metrics: ["accuracy"] });
    const history = await model.fit(x, y, { epochs: 40, batchSize: 32, validationSplit: 0.2, verbose: 0 });
    const valAcc = history.history.val_accuracy;
    expect(valAcc).toHaveLength(40);
    expect(Math.max(...valAcc.slice(-5))).toBeGreaterThan(0.95);
    expect(Object.keys(history.history)).toEqual(["accuracy", "loss", "val_accuracy", "val_loss"]);
    expect(history.params).toEqual({ verbose: 0, epochs: 40, steps: 15 });
    expect(history.epoch[39]).toBe(39);
    model.dispose();
  });

  it("keeps tf.memory().numTensors flat across 20 epochs with validation and 3 callbacks", async () => {
    const { x, y } = spirals(64);
    const xt = tf.tensor2d(x);
    const yt = tf.tensor1d(y);
    const model = mlp(8);
    model.compile({ optimizer: "adam", loss: "binary_crossentropy", metrics: ["accuracy"] });
    const counts: number[] = [];
    const probe = new (class extends keras.callbacks.Callback {
      override onEpochEnd(): void {
        counts.push(tf.memory().numTensors);
      }
    })();
    const es = keras.callbacks.EarlyStopping({ monitor: "val_loss", patience: 100 });
    const lr = keras.callbacks.LearningRateScheduler((epoch: number, rate: number) => rate);
    await model.fit(xt, yt, { epochs: 20, batchSize: 16, validationData: [xt, yt], callbacks: [probe, es, lr], verbose: 0 });
    // After the first epoch (optimizer slots and metric state exist) nothing grows.
    expect(new Set(counts.slice(1)).size).toBe(1);
    const before = tf.memory().numTensors;
    const result = await model.evaluate(xt, yt, { verbose: 0 });
    const pred = (await model.predict(xt, { verbose: 0 })) as Tensor;
    expect(pred.shape).toEqual([128, 1]);
    pred.dispose();
    expect(Array.isArray(result)).toBe(true);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([xt, yt]);
    model.dispose();
  });

  it("stops at the next batch on an AbortSignal, keeping weights and history", async () => {
    const { x, y } = spirals(64);
    const model = mlp(8);
    model.compile({ optimizer: "sgd", loss: "binary_crossentropy" });
    const controller = new AbortController();
    let batches = 0;
    const counter = new (class extends keras.callbacks.Callback {
      override onTrainBatchEnd(): void {
        batches++;
        if (batches === 5) controller.abort();
      }
    })();
    const history = await model.fit(x, y, { epochs: 10, batchSize: 16, callbacks: [counter], signal: controller.signal, verbose: 0 });
    expect(batches).toBe(5);
    expect(history.epoch).toEqual([0]);
    expect(history.history.loss).toHaveLength(1);
    expect(Number.isFinite(history.history.loss[0])).toBe(true);
    expect(model.stopTraining).toBe(true);
    // The model still predicts with the weights it had.
    const p = model.predictOnBatch([[0.1, 0.2]]) as Tensor;
    expect(p.shape).toEqual([1, 1]);
    p.dispose();
    model.dispose();
  });

  it("accepts typed arrays, several inputs and outputs as lists and dicts", async () => {
    const a = keras.Input({ shape: [3], name: "a" });
    const b = keras.Input({ shape: [2], name: "b" });
    const h = layers.Dense(4, { activation: "relu" })(layers.Concatenate()([a, b]));
    const cls = layers.Dense(3, { activation: "softmax", name: "cls" })(h);
    const reg = layers.Dense(1, { name: "reg" })(h);
    const model = keras.Model({ inputs: [a, b], outputs: [cls, reg] });
    model.compile({
      optimizer: "adam",
      loss: { cls: "sparse_categorical_crossentropy", reg: "mse" },
      lossWeights: { cls: 1, reg: 0.5 },
      metrics: { cls: ["accuracy"], reg: ["mae"] },
    });
    const n = 20;
    const xa = new Float32Array(n * 3).map((_, i) => Math.sin(i));
    const xb = tf.randomNormal([n, 2]);
    const xaT = tf.tensor2d(xa, [n, 3]);
    const ycls = Array.from({ length: n }, (_, i) => i % 3);
    const yreg = tf.randomNormal([n, 1]);
    const history = await model.fit({ a: xaT, b: xb }, { cls: ycls, reg: yreg }, { epochs: 2, batchSize: 8, verbose: 0 });
    expect(Object.keys(history.history).sort()).toEqual(["cls_accuracy", "cls_loss", "loss", "reg_loss", "reg_mae"]);
    const h2 = await model.fit([xaT, xb], [ycls, yreg], { epochs: 1, batchSize: 8, verbose: 0 });
    expect(h2.history.loss).toHaveLength(1);
    const logs = (await model.evaluate([xaT, xb], [ycls, yreg], { returnDict: true, verbose: 0 })) as Record<string, number>;
    // The total is the weighted sum of the output losses.
    expect(logs.loss).toBeCloseTo(logs.cls_loss + 0.5 * logs.reg_loss, 4);
    const list = (await model.evaluate([xaT, xb], [ycls, yreg], { verbose: 0 })) as number[];
    expect(list[0]).toBeCloseTo(logs.loss, 5);
    expect(model.metricsNames).toEqual(["loss", "cls_loss", "reg_loss", "cls_accuracy", "reg_mae"]);
    tf.dispose([xaT, xb, yreg]);
    model.dispose();
  });

  it("trains from an async iterable, a Dataset-like object and a PyDataset", async () => {
    const model = mlp(4);
    model.compile({ optimizer: "sgd", loss: "mse" });
    async function* gen(): AsyncGenerator<[number[][], number[]]> {
      for (let i = 0; i < 4; i++) yield [[[i, 1], [1, i]], [i % 2, 1]];
    }
    const h1 = await model.fit(gen(), { epochs: 1, verbose: 0 });
    expect(h1.history.loss).toHaveLength(1);
    const dataset = {
      size: 3,
      async iterator() {
        let i = 0;
        return {
          async next(): Promise<IteratorResult<{ xs: Tensor; ys: Tensor }>> {
            if (i++ >= 3) return { done: true, value: undefined };
            return { done: false, value: { xs: tf.ones([2, 2]), ys: tf.zeros([2, 1]) } };
          },
        };
      },
    };
    const h2 = await model.fit(dataset, { epochs: 2, verbose: 0 });
    expect(h2.params.steps).toBe(3);
    class Batches extends keras.utils.PyDataset {
      ends = 0;
      get length(): number {
        return 5;
      }
      getItem(i: number): [number[][], number[][]] {
        return [[[i, i]], [[i / 5]]];
      }
      override onEpochEnd(): void {
        this.ends++;
      }
    }
    const ds = new Batches();
    const h3 = await model.fit(ds, { epochs: 3, verbose: 0 });
    expect(h3.history.loss).toHaveLength(3);
    expect(ds.ends).toBe(3);
    model.dispose();
  });

  it("honours sampleWeight, classWeight, initialEpoch, stepsPerEpoch and validationFreq", async () => {
    const { x, y } = spirals(32);
    const model = mlp(4);
    model.compile({ optimizer: "sgd", loss: "binary_crossentropy", weightedMetrics: ["accuracy"] });
    const zeros = new Array(64).fill(0);
    // All-zero sample weights make the loss zero.
    const hz = await model.fit(x, y, { epochs: 1, sampleWeight: zeros, shuffle: false, verbose: 0 });
    expect(hz.history.loss[0]).toBe(0);
    const h = await model.fit(x, y, {
      epochs: 5,
      initialEpoch: 2,
      stepsPerEpoch: 2,
      batchSize: 8,
      validationData: [x, y],
      validationFreq: 2,
      classWeight: { 0: 1, 1: 3 },
      verbose: 0,
    });
    expect(h.epoch).toEqual([2, 3, 4]);
    expect(h.history.val_loss).toHaveLength(1);
    expect(h.params.steps).toBe(2);
    model.dispose();
  });

  it("follows Keras's custom training step guide (its own lossTracker field, as the guide names it)", async () => {
    class CustomModel extends keras.Model {
      lossTracker = keras.metrics.Mean({ name: "loss" });
      maeMetric = keras.metrics.MeanAbsoluteError({ name: "mae" });
      lossFn = keras.losses.MeanSquaredError();
      dense = layers.Dense(1);
      override call(x: Tensor): Tensor {
        return this.dense(x);
      }
      override trainStep([x, y]: keras.utils.Batch): Record<string, Tensor> {
        const { value: loss, grads, aux: yPred } = keras.backend.valueAndGrad(() => {
          const pred = this.apply(x as Tensor, { training: true });
          return [this.lossFn(y as Tensor, pred), pred];
        }, this.trainableWeights);
        (this.optimizer as keras.Optimizer).apply(grads, this.trainableWeights);
        this.lossTracker.updateState(loss);
        this.maeMetric.updateState(y as Tensor, yPred);
        return { loss: this.lossTracker.result(), mae: this.maeMetric.result() };
      }
      override get metrics(): keras.Metric[] {
        return [this.lossTracker, this.maeMetric];
      }
    }
    const model = new CustomModel();
    model.compile({ optimizer: "adam" });
    const x = tf.randomNormal([64, 4]);
    const y = tf.sum(x, 1, true);
    const h = await model.fit(x, y, { epochs: 10, batchSize: 16, verbose: 0 });
    expect(Object.keys(h.history)).toEqual(["loss", "mae"]);
    expect(h.history.loss[9]).toBeLessThan(h.history.loss[0]);
    tf.dispose([x, y]);
    model.dispose();
  });

  it("shuffles string inputs (tfjs cannot gather strings)", async () => {
    const inputs = keras.Input({ shape: [1], dtype: "string" });
    const ids = layers.StringLookup({ vocabulary: ["a", "b", "c"] })(inputs);
    const outputs = layers.Dense(1, { activation: "sigmoid" })(layers.Flatten()(layers.Embedding({ inputDim: 4, outputDim: 2 })(ids)));
    const model = keras.Model({ inputs, outputs });
    model.compile({ optimizer: keras.optimizers.Adam({ learningRate: 0.1 }), loss: "binary_crossentropy" });
    const words = tf.tensor2d([["a"], ["b"], ["c"], ["a"], ["b"], ["c"]], [6, 1], "string");
    const labels = tf.tensor1d([1, 0, 1, 1, 0, 1]);
    const h = await model.fit(words, labels, { epochs: 30, batchSize: 2, shuffle: true, verbose: 0 });
    expect(h.history.loss[29]).toBeLessThan(h.history.loss[0]);
    tf.dispose([words, labels]);
    model.dispose();
  });

  it("takes nested JS arrays of strings for fit, evaluate and predict", async () => {
    const inputs = keras.Input({ shape: [1], dtype: "string" });
    const ids = layers.StringLookup({ vocabulary: ["a", "b", "c"] })(inputs);
    const outputs = layers.Dense(1, { activation: "sigmoid" })(layers.Flatten()(layers.Embedding({ inputDim: 4, outputDim: 2 })(ids)));
    const model = keras.Model({ inputs, outputs });
    model.compile({ optimizer: keras.optimizers.Adam({ learningRate: 0.1 }), loss: "binary_crossentropy" });
    const words = [["a"], ["b"], ["c"], ["a"], ["b"], ["c"]];
    const labels = [1, 0, 1, 1, 0, 1];
    const h = await model.fit(words, labels, { epochs: 30, batchSize: 2, verbose: 0 });
    expect(h.history.loss[29]).toBeLessThan(h.history.loss[0]);
    const base = tf.memory().numTensors; // the optimizer's slots exist now
    await model.fit(words, labels, { epochs: 1, batchSize: 2, verbose: 0 });
    const p = (await model.predict([["b"], ["zzz"]], { verbose: 0 })) as Tensor;
    expect(p.shape).toEqual([2, 1]);
    expect(p.dataSync()[0]).toBeLessThan(0.5);
    p.dispose();
    expect(((await model.evaluate(words, labels, { verbose: 0 })) as number[])[0]).toBeLessThan(h.history.loss[0]);
    expect(tf.memory().numTensors).toBe(base);
    expect(keras.ops.convertToTensor([["x", "y"]]).dtype).toBe("string");
    expect(() => keras.ops.convertToTensor([["x", 1]] as never)).toThrow(/mixes strings and numbers/);
    model.dispose();
  });

  it("trainOnBatch, testOnBatch and predictOnBatch", () => {
    const model = mlp(4);
    model.compile({ optimizer: "sgd", loss: "mse", metrics: ["mae"] });
    const r = model.trainOnBatch([[0, 1], [1, 0]], [[1], [0]]) as number[];
    expect(r).toHaveLength(2);
    const d = model.testOnBatch([[0, 1], [1, 0]], [[1], [0]], { returnDict: true }) as Record<string, number>;
    expect(Object.keys(d)).toEqual(["loss", "mae"]);
    const p = model.predictOnBatch([[0, 1]]) as Tensor;
    expect(p.shape).toEqual([1, 1]);
    p.dispose();
    model.dispose();
  });
});

describe("fit errors", () => {
  beforeEach(() => keras.backend.clearSession());

  it("refuses fit before compile", async () => {
    const model = mlp(2);
    await expect(model.fit([[1, 2]], [1])).rejects.toThrow(/You must call `compile\(\)` before using the model \(`fit`/);
  });

  it("names the sizes when x and y have different sample counts", async () => {
    const model = mlp(2);
    model.compile({ optimizer: "sgd", loss: "mse" });
    await expect(model.fit([[1, 2], [3, 4], [5, 6]], [1, 2], { verbose: 0 })).rejects.toThrow(/Data cardinality is ambiguous.*x: 3, y: 2/);
    model.dispose();
  });

  it("lists valid names for an unknown loss", () => {
    const model = mlp(2);
    expect(() => model.compile({ optimizer: "sgd", loss: "mean_squared_errr" })).not.toThrow();
    return expect(model.fit([[1, 2]], [1], { verbose: 0 })).rejects.toThrow(/mean_squared_errr.*mean_squared_error/s);
  });

  it("explains labels that fit neither sparse nor categorical crossentropy", async () => {
    const model = keras.Sequential([layers.Input({ shape: [4] }), layers.Dense(5, { activation: "softmax" })]);
    model.compile({ optimizer: "sgd", loss: "categorical_crossentropy" });
    await expect(model.fit(tf.ones([6, 4]), tf.ones([6, 3]), { verbose: 0 })).rejects.toThrow(/categorical_crossentropy|CategoricalCrossentropy/);
    model.dispose();
  });
});
