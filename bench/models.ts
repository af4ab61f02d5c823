/**
 * The benchmark workloads, defined once for tskeras and once for
 * @tensorflow/tfjs-layers: the same architecture, the same initial weights
 * (tfjs-layers gets a copy of tskeras's), the same optimizer settings and the
 * same data tensors. Used by bench/worker.ts and by test/bench/bench-models.test.ts.
 *
 * Import order matters: tskeras is imported first. Its backend module loads
 * the gradient registrations that tfjs-core's Node entry leaves out, and the
 * Node build of tfjs-layers (which requires only tfjs-core) relies on them.
 */
import * as keras from "../lib/index.js";
import { tf, type Tensor } from "../lib/backend/tfjs.js";
import * as tfl from "@tensorflow/tfjs-layers";

/** The two libraries compared. */
export type Lib = "tskeras" | "tfjs-layers";
export const LIBS: readonly Lib[] = ["tskeras", "tfjs-layers"];

/** A workload's model in one library, behind one interface. */
export interface BenchModel {
  readonly lib: Lib;
  /** One epoch over `x`, `y` (shuffled), silent unless `verbose` is 1. */
  fit(x: Tensor, y: Tensor, batchSize: number, verbose?: 0 | 1): Promise<void>;
  /** Predictions for `x` in batches of `batchSize`, read back to the CPU and freed. */
  predict(x: Tensor, batchSize: number): Promise<void>;
  /** The current weights (copies the caller owns), in Keras's order. */
  getWeights(): Tensor[];
  setWeights(weights: Tensor[]): void;
  /** Number of trainable parameters. */
  countParams(): number;
  dispose(): void;
}

/** What a workload is made of. */
export interface ModelSpec {
  /** Short id used in results.json. */
  id: "mlp" | "cnn" | "lstm";
  /** Human description for RESULTS.md. */
  description: string;
  /** Input shape of one sample. */
  inputShape: number[];
  /** Builds the model in one library (compiled, built). */
  build(lib: Lib): BenchModel;
  /** Deterministic synthetic data: `n` samples. */
  data(n: number, seed?: number): { x: Tensor; y: Tensor };
}

// ---------------------------------------------------------------- data

/** A small deterministic generator (mulberry32), so both libraries and every run see the same data. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function uniform(shape: number[], seed: number): Tensor {
  const r = rng(seed);
  const size = shape.reduce((a, b) => a * b, 1);
  const v = new Float32Array(size);
  for (let i = 0; i < size; i++) v[i] = r();
  return tf.tensor(v, shape, "float32");
}

/** Class labels 0..k-1 as float32 `[n, 1]` (what both libraries' sparse categorical crossentropy takes). */
function labels(n: number, k: number, seed: number): Tensor {
  const r = rng(seed);
  const v = new Float32Array(n);
  for (let i = 0; i < n; i++) v[i] = Math.floor(r() * k);
  return tf.tensor(v, [n, 1], "float32");
}

// ---------------------------------------------------------------- wrappers

class TskerasModel implements BenchModel {
  readonly lib = "tskeras" as const;
  constructor(readonly model: keras.Model) {}
  async fit(x: Tensor, y: Tensor, batchSize: number, verbose: 0 | 1 = 0): Promise<void> {
    await this.model.fit(x, y, { batchSize, epochs: 1, verbose, shuffle: true });
  }
  async predict(x: Tensor, batchSize: number): Promise<void> {
    const out = (await this.model.predict(x, { batchSize, verbose: 0 })) as Tensor;
    await out.data();
    out.dispose();
  }
  getWeights(): Tensor[] {
    return this.model.getWeights();
  }
  setWeights(weights: Tensor[]): void {
    this.model.setWeights(weights);
  }
  countParams(): number {
    return this.model.trainableWeights.reduce((n, w) => n + w.shape.reduce((a: number, b: number) => a * b, 1), 0);
  }
  dispose(): void {
    this.model.dispose();
  }
}

class TfjsLayersModel implements BenchModel {
  readonly lib = "tfjs-layers" as const;
  constructor(readonly model: tfl.LayersModel) {}
  async fit(x: Tensor, y: Tensor, batchSize: number, verbose: 0 | 1 = 0): Promise<void> {
    await this.model.fit(x, y, { batchSize, epochs: 1, verbose, shuffle: true });
  }
  async predict(x: Tensor, batchSize: number): Promise<void> {
    const out = this.model.predict(x, { batchSize }) as Tensor;
    await out.data();
    out.dispose();
  }
  getWeights(): Tensor[] {
    return this.model.getWeights().map((w) => tf.clone(w));
  }
  setWeights(weights: Tensor[]): void {
    this.model.setWeights(weights);
  }
  countParams(): number {
    return this.model.trainableWeights.reduce((n, w) => n + w.shape.reduce((a: number, b) => a * (b ?? 1), 1), 0);
  }
  dispose(): void {
    this.model.dispose();
    // tfjs-layers does not dispose the optimizer with the model.
    this.model.optimizer?.dispose();
  }
}

/** Keras's Adam defaults (tfjs-core's `tf.train.adam` defaults epsilon to 1e-8; Keras uses 1e-7). */
const ADAM = { learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 };

function tskerasAdam(): keras.Optimizer {
  return new keras.optimizers.Adam({ learningRate: ADAM.learningRate, beta1: ADAM.beta1, beta2: ADAM.beta2, epsilon: ADAM.epsilon });
}

function tfjsAdam(): tf.Optimizer {
  return tf.train.adam(ADAM.learningRate, ADAM.beta1, ADAM.beta2, ADAM.epsilon);
}

/** Builds both, then gives tfjs-layers tskeras's initial weights. */
function pair(spec: ModelSpec, lib: Lib, makeKeras: () => keras.Model, makeTfl: () => tfl.LayersModel): BenchModel {
  const k = new TskerasModel(makeKeras());
  if (lib === "tskeras") return k;
  const t = new TfjsLayersModel(makeTfl());
  const w = k.getWeights();
  try {
    t.setWeights(w);
  } finally {
    tf.dispose(w);
    k.dispose();
  }
  void spec;
  return t;
}

// ---------------------------------------------------------------- the workloads

const L = keras.layers;

export const MLP: ModelSpec = {
  id: "mlp",
  description: "MLP 784-128-64-10 (relu, relu, softmax), Adam, sparse categorical crossentropy",
  inputShape: [784],
  build(lib) {
    return pair(
      this,
      lib,
      () => {
        const m = keras.Sequential([
          L.Input({ shape: [784] }),
          L.Dense(128, { activation: "relu" }),
          L.Dense(64, { activation: "relu" }),
          L.Dense(10, { activation: "softmax" }),
        ]);
        m.compile({ optimizer: tskerasAdam(), loss: "sparse_categorical_crossentropy" });
        return m;
      },
      () => {
        const m = tfl.sequential({
          layers: [
            tfl.layers.dense({ inputShape: [784], units: 128, activation: "relu" }),
            tfl.layers.dense({ units: 64, activation: "relu" }),
            tfl.layers.dense({ units: 10, activation: "softmax" }),
          ],
        });
        m.compile({ optimizer: tfjsAdam(), loss: "sparseCategoricalCrossentropy" });
        return m;
      },
    );
  },
  data(n, seed = 1) {
    return { x: uniform([n, 784], seed), y: labels(n, 10, seed + 1) };
  },
};

export const CNN: ModelSpec = {
  id: "cnn",
  description: "CNN on 28x28x1: Conv2D(32,3,relu)-MaxPool(2)-Conv2D(64,3,relu)-MaxPool(2)-Flatten-Dense(10,softmax), Adam, sparse categorical crossentropy",
  inputShape: [28, 28, 1],
  build(lib) {
    return pair(
      this,
      lib,
      () => {
        const m = keras.Sequential([
          L.Input({ shape: [28, 28, 1] }),
          L.Conv2D(32, 3, { activation: "relu" }),
          L.MaxPooling2D(2),
          L.Conv2D(64, 3, { activation: "relu" }),
          L.MaxPooling2D(2),
          L.Flatten(),
          L.Dense(10, { activation: "softmax" }),
        ]);
        m.compile({ optimizer: tskerasAdam(), loss: "sparse_categorical_crossentropy" });
        return m;
      },
      () => {
        const m = tfl.sequential({
          layers: [
            tfl.layers.conv2d({ inputShape: [28, 28, 1], filters: 32, kernelSize: 3, activation: "relu" }),
            tfl.layers.maxPooling2d({ poolSize: 2 }),
            tfl.layers.conv2d({ filters: 64, kernelSize: 3, activation: "relu" }),
            tfl.layers.maxPooling2d({ poolSize: 2 }),
            tfl.layers.flatten(),
            tfl.layers.dense({ units: 10, activation: "softmax" }),
          ],
        });
        m.compile({ optimizer: tfjsAdam(), loss: "sparseCategoricalCrossentropy" });
        return m;
      },
    );
  },
  data(n, seed = 3) {
    return { x: uniform([n, 28, 28, 1], seed), y: labels(n, 10, seed + 1) };
  },
};

export const LSTM: ModelSpec = {
  id: "lstm",
  description: "LSTM(64) over 50 steps of 32 features, then Dense(1), Adam, mean squared error",
  inputShape: [50, 32],
  build(lib) {
    return pair(
      this,
      lib,
      () => {
        const m = keras.Sequential([L.Input({ shape: [50, 32] }), L.LSTM(64), L.Dense(1)]);
        m.compile({ optimizer: tskerasAdam(), loss: "mean_squared_error" });
        return m;
      },
      () => {
        const m = tfl.sequential({
          layers: [tfl.layers.lstm({ inputShape: [50, 32], units: 64 }), tfl.layers.dense({ units: 1 })],
        });
        m.compile({ optimizer: tfjsAdam(), loss: "meanSquaredError" });
        return m;
      },
    );
  },
  data(n, seed = 5) {
    return tf.tidy(() => {
      const x = uniform([n, 50, 32], seed);
      // A target the model can learn: the mean of the last step's features.
      const y = tf.mean(tf.slice(x, [0, 49, 0], [n, 1, 32]), [1, 2]).reshape([n, 1]);
      return { x, y };
    });
  },
};

export const SPECS: readonly ModelSpec[] = [MLP, CNN, LSTM];

export { keras, tf, tfl };
