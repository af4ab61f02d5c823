/** The benchmark models in tskeras (see bench/data.ts for the shared parts). */
import * as keras from "../lib/index.js";
import { tf, type Tensor } from "../lib/backend/tfjs.js";
import { webgpuAdapterInUse } from "../lib/backend/engine.js";
import { ADAM, setInitialWeights, type BenchModel, type ModelId } from "./data.js";

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

const L = keras.layers;

function adam(): keras.Optimizer {
  return new keras.optimizers.Adam({ learningRate: ADAM.learningRate, beta1: ADAM.beta1, beta2: ADAM.beta2, epsilon: ADAM.epsilon });
}

/** Builds and compiles a benchmark model in tskeras, with the benchmark's initial weights. */
export function buildTskeras(id: ModelId): BenchModel {
  let m: keras.Model;
  switch (id) {
    case "mlp":
      m = keras.Sequential([
        L.Input({ shape: [784] }),
        L.Dense(128, { activation: "relu" }),
        L.Dense(64, { activation: "relu" }),
        L.Dense(10, { activation: "softmax" }),
      ]);
      m.compile({ optimizer: adam(), loss: "sparse_categorical_crossentropy" });
      break;
    case "cnn":
      m = keras.Sequential([
        L.Input({ shape: [28, 28, 1] }),
        L.Conv2D(32, 3, { activation: "relu" }),
        L.MaxPooling2D(2),
        L.Conv2D(64, 3, { activation: "relu" }),
        L.MaxPooling2D(2),
        L.Flatten(),
        L.Dense(10, { activation: "softmax" }),
      ]);
      m.compile({ optimizer: adam(), loss: "sparse_categorical_crossentropy" });
      break;
    case "lstm":
      m = keras.Sequential([L.Input({ shape: [50, 32] }), L.LSTM(64), L.Dense(1)]);
      m.compile({ optimizer: adam(), loss: "mean_squared_error" });
      break;
  }
  const bm = new TskerasModel(m);
  setInitialWeights(bm);
  return bm;
}

/** The backend tskeras runs on, how it was chosen, and whether it is webgpu on a CPU fallback adapter (SwiftShader). */
export function backendInfo(): { name: string; skipped: string[]; cpuFallbackAdapter?: string } {
  const adapter = keras.backend.backend() === "webgpu" ? webgpuAdapterInUse() : undefined;
  return {
    name: keras.backend.backend(),
    skipped: keras.backend.backendChoice().skipped.map((s) => `${s.name}: ${s.reason}`),
    cpuFallbackAdapter: adapter?.cpuFallback ? adapter.description : undefined,
  };
}

export { tf, keras };
