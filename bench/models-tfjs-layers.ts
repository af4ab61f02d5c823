/**
 * The benchmark models in @tensorflow/tfjs-layers (see bench/data.ts for the
 * shared parts). This module does not import tskeras: the tfjs-layers side of
 * the benchmark runs in its own process on the stock tfjs kernels, as a
 * tfjs-layers user has them. The Node build of tfjs-layers registers the
 * gradients it needs itself; the chained tensor methods (`t.flatten()`, used
 * by its Orthogonal initializer) come with the `@tensorflow/tfjs` union
 * package, which is not installed here: tfjs-core's own registration module
 * is loaded instead (the bundle generated/tfjs-registrations.cjs, plain
 * tfjs-core code, no tskeras).
 */
import * as tf from "@tensorflow/tfjs-core";
import { createRequire } from "node:module";
import * as tfl from "@tensorflow/tfjs-layers";
import { ADAM, setInitialWeights, type BenchModel, type ModelId } from "./data.js";

{
  // From bench/ (sources, under vitest) or dist/bench/ (compiled).
  const req = createRequire(import.meta.url);
  const found = ["../generated/tfjs-registrations.cjs", "../../generated/tfjs-registrations.cjs"].find((p) => {
    try {
      req.resolve(p);
      return true;
    } catch {
      return false;
    }
  });
  if (!found) throw new Error("generated/tfjs-registrations.cjs is missing: run `npm install` (script `prepare`).");
  req(found);
}

class TfjsLayersModel implements BenchModel {
  readonly lib = "tfjs-layers" as const;
  constructor(readonly model: tfl.LayersModel) {}
  async fit(x: tf.Tensor, y: tf.Tensor, batchSize: number, verbose: 0 | 1 = 0): Promise<void> {
    await this.model.fit(x, y, { batchSize, epochs: 1, verbose, shuffle: true });
  }
  async predict(x: tf.Tensor, batchSize: number): Promise<void> {
    const out = this.model.predict(x, { batchSize }) as tf.Tensor;
    await out.data();
    out.dispose();
  }
  getWeights(): tf.Tensor[] {
    return this.model.getWeights().map((w) => tf.clone(w));
  }
  setWeights(weights: tf.Tensor[]): void {
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

function adam(): tf.Optimizer {
  return tf.train.adam(ADAM.learningRate, ADAM.beta1, ADAM.beta2, ADAM.epsilon);
}

/** Builds and compiles a benchmark model in tfjs-layers, with the benchmark's initial weights. */
export function buildTfjsLayers(id: ModelId): BenchModel {
  let m: tfl.Sequential;
  switch (id) {
    case "mlp":
      m = tfl.sequential({
        layers: [
          tfl.layers.dense({ inputShape: [784], units: 128, activation: "relu" }),
          tfl.layers.dense({ units: 64, activation: "relu" }),
          tfl.layers.dense({ units: 10, activation: "softmax" }),
        ],
      });
      m.compile({ optimizer: adam(), loss: "sparseCategoricalCrossentropy" });
      break;
    case "cnn":
      m = tfl.sequential({
        layers: [
          tfl.layers.conv2d({ inputShape: [28, 28, 1], filters: 32, kernelSize: 3, activation: "relu" }),
          tfl.layers.maxPooling2d({ poolSize: 2 }),
          tfl.layers.conv2d({ filters: 64, kernelSize: 3, activation: "relu" }),
          tfl.layers.maxPooling2d({ poolSize: 2 }),
          tfl.layers.flatten(),
          tfl.layers.dense({ units: 10, activation: "softmax" }),
        ],
      });
      m.compile({ optimizer: adam(), loss: "sparseCategoricalCrossentropy" });
      break;
    case "lstm":
      m = tfl.sequential({ layers: [tfl.layers.lstm({ inputShape: [50, 32], units: 64 }), tfl.layers.dense({ units: 1 })] });
      m.compile({ optimizer: adam(), loss: "meanSquaredError" });
      break;
  }
  const bm = new TfjsLayersModel(m);
  setInitialWeights(bm);
  return bm;
}

/** Starts a stock tfjs backend by name, the way a tfjs-layers user would. */
export async function startStockBackend(name: string): Promise<void> {
  switch (name) {
    case "cpu":
      await import("@tensorflow/tfjs-backend-cpu");
      break;
    case "wasm":
      await import("@tensorflow/tfjs-backend-wasm");
      break;
    case "tensorflow":
      await import("@tensorflow/tfjs-node" as string);
      break;
    case "webgpu": {
      const g = globalThis as { navigator?: { gpu?: unknown } };
      if (g.navigator?.gpu === undefined) {
        const dawn = (await import("webgpu" as string)) as { create(flags: string[]): unknown; globals: Record<string, unknown> };
        Object.assign(globalThis, dawn.globals);
        Object.defineProperty(globalThis, "navigator", { value: { ...(g.navigator ?? {}), gpu: dawn.create([]) }, configurable: true, writable: true });
      }
      await import("@tensorflow/tfjs-backend-webgpu");
      break;
    }
    default:
      throw new Error(`unknown backend ${name}`);
  }
  if (!(await tf.setBackend(name))) throw new Error(`the ${name} backend did not start`);
  const b = tf.backend() as unknown as { firstUse?: boolean };
  if (name === "cpu") b.firstUse = false;
}

export { tf, tfl };
