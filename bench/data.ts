/**
 * Deterministic data and initial weights for the benchmark, from tfjs-core
 * alone, so the tskeras process and the tfjs-layers process build the very
 * same tensors (bench/models-tskeras.ts, bench/models-tfjs-layers.ts).
 */
import * as tf from "@tensorflow/tfjs-core";

/** The workloads' models. */
export type ModelId = "mlp" | "cnn" | "lstm";
/** The two libraries compared. */
export type Lib = "tskeras" | "tfjs-layers";
export const LIBS: readonly Lib[] = ["tskeras", "tfjs-layers"];

/** A workload's model in one library, behind one interface. */
export interface BenchModel {
  readonly lib: Lib;
  /** One epoch over `x`, `y` (shuffled), silent unless `verbose` is 1. */
  fit(x: tf.Tensor, y: tf.Tensor, batchSize: number, verbose?: 0 | 1): Promise<void>;
  /** Predictions for `x` in batches of `batchSize`, read back to the CPU and freed. */
  predict(x: tf.Tensor, batchSize: number): Promise<void>;
  /** The current weights (copies the caller owns), in Keras's order. */
  getWeights(): tf.Tensor[];
  setWeights(weights: tf.Tensor[]): void;
  /** Number of trainable parameters. */
  countParams(): number;
  dispose(): void;
}

/** What each model is. */
export const DESCRIPTIONS: Record<ModelId, string> = {
  mlp: "MLP 784-128-64-10 (relu, relu, softmax), Adam, sparse categorical crossentropy",
  cnn: "CNN on 28x28x1: Conv2D(32,3,relu)-MaxPool(2)-Conv2D(64,3,relu)-MaxPool(2)-Flatten-Dense(10,softmax), Adam, sparse categorical crossentropy",
  lstm: "LSTM(64) over 50 steps of 32 features, then Dense(1), Adam, mean squared error",
};

/** Keras's Adam defaults (tfjs-core's `tf.train.adam` defaults epsilon to 1e-8; Keras uses 1e-7). */
export const ADAM = { learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 };

/** A small deterministic generator (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function uniformValues(size: number, seed: number, lo = 0, hi = 1): Float32Array {
  const r = rng(seed);
  const v = new Float32Array(size);
  for (let i = 0; i < size; i++) v[i] = lo + (hi - lo) * r();
  return v;
}

/** Class labels 0..k-1 as float32 `[n, 1]` (what both libraries' sparse categorical crossentropy take). */
function labels(n: number, k: number, seed: number): tf.Tensor {
  const r = rng(seed);
  const v = new Float32Array(n);
  for (let i = 0; i < n; i++) v[i] = Math.floor(r() * k);
  return tf.tensor(v, [n, 1], "float32");
}

/** `n` samples of synthetic data for a model: `x` uniform in [0, 1), `y` labels or a learnable target. */
export function benchData(model: ModelId, n: number): { x: tf.Tensor; y: tf.Tensor } {
  switch (model) {
    case "mlp":
      return { x: tf.tensor(uniformValues(n * 784, 1), [n, 784]), y: labels(n, 10, 2) };
    case "cnn":
      return { x: tf.tensor(uniformValues(n * 784, 3), [n, 28, 28, 1]), y: labels(n, 10, 4) };
    case "lstm": {
      const x = tf.tensor(uniformValues(n * 50 * 32, 5), [n, 50, 32]);
      // A target the model can learn: the mean of the last step's features.
      const y = tf.tidy(() => tf.reshape(tf.mean(tf.slice(x, [0, 49, 0], [n, 1, 32]), [1, 2]), [n, 1]));
      return { x, y };
    }
  }
}

/**
 * Initial weights for a list of weight shapes: Glorot-uniform for matrices
 * and kernels (Keras's fans), zeros for vectors. Both libraries get these.
 */
export function initialWeights(shapes: number[][]): tf.Tensor[] {
  return shapes.map((shape, i) => {
    const size = shape.reduce((a, b) => a * b, 1);
    if (shape.length < 2) return tf.zeros(shape);
    const receptive = shape.slice(0, -2).reduce((a, b) => a * b, 1);
    const fanIn = shape[shape.length - 2] * receptive;
    const fanOut = shape[shape.length - 1] * receptive;
    const limit = Math.sqrt(6 / (fanIn + fanOut));
    return tf.tensor(uniformValues(size, 100 + i, -limit, limit), shape);
  });
}

/** Gives a freshly built model the benchmark's initial weights. */
export function setInitialWeights(model: BenchModel): void {
  const current = model.getWeights();
  const shapes = current.map((w) => [...w.shape]);
  tf.dispose(current);
  const init = initialWeights(shapes);
  try {
    model.setWeights(init);
  } finally {
    tf.dispose(init);
  }
}
