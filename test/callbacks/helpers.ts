/** A fake model and a fit loop that drives callbacks as the Trainer does. */
import { afterAll, vi } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Callback, type Logs } from "../../lib/callbacks/callback.js";
import { CallbackList } from "../../lib/callbacks/callback-list.js";
import type { History } from "../../lib/callbacks/history.js";

/** A weight copy that records its disposal. */
export class FakeTensor {
  disposed = false;
  constructor(readonly values: number[]) {}
  dispose(): void {
    this.disposed = true;
  }
}

/** An optimizer with a settable numeric learning rate. */
export class FakeOptimizer {
  learningRate: number;
  iterations = 0;
  name = "fake";
  constructor(lr = 0.01) {
    this.learningRate = lr;
  }
}

/** The fields of a model that callbacks use. */
export class FakeModel {
  stopTraining = false;
  optimizer: FakeOptimizer | null = new FakeOptimizer();
  metrics: { name: string; direction: "up" | "down" | null }[] = [];
  built = true;
  /** The current weight values. */
  w: number[] = [0, 0];
  /** Every copy handed out by getWeights. */
  copies: FakeTensor[] = [];
  history: History | null = null;
  _initialEpoch?: number | null;

  constructor(lr = 0.01) {
    this.optimizer = new FakeOptimizer(lr);
  }

  getWeights(): FakeTensor[] {
    const t = new FakeTensor([...this.w]);
    this.copies.push(t);
    return [t];
  }

  setWeights(values: readonly unknown[]): void {
    const t = values[0] as FakeTensor;
    if (t.disposed) throw new Error("setWeights got a disposed tensor");
    this.w = [...t.values];
  }
}

export interface FitOptions {
  epochs: number;
  steps?: number;
  initialEpoch?: number;
  /** Epoch logs for epoch e (the batch logs use them too). */
  logs: (epoch: number) => Logs;
  /** Called before each epoch's batches (e.g. to change the weights). */
  beforeEpoch?: (epoch: number) => void;
  /** Validation batches per epoch (0: none). */
  valSteps?: number;
  verbose?: number;
}

/** Runs the callback hooks as `fit` does; returns the History. */
export async function fakeFit(model: object, callbacks: Callback[], o: FitOptions): Promise<History> {
  const list = new CallbackList(callbacks, {
    addHistory: true,
    addProgbar: false,
    model: model as never,
    params: { verbose: o.verbose ?? 0, epochs: o.epochs, steps: o.steps ?? 2 },
  });
  const m = model as FakeModel;
  m.stopTraining = false;
  await list.onTrainBegin();
  const start = m._initialEpoch ?? o.initialEpoch ?? 0;
  m._initialEpoch = null;
  let last: Logs = {};
  for (let epoch = start; epoch < o.epochs; epoch++) {
    await list.onEpochBegin(epoch);
    o.beforeEpoch?.(epoch);
    const logs = o.logs(epoch);
    for (let b = 0; b < (o.steps ?? 2); b++) {
      await list.onTrainBatchBegin(b);
      if (m.optimizer) m.optimizer.iterations += 1;
      await list.onTrainBatchEnd(b, { ...trainPart(logs) });
      if (m.stopTraining) break;
    }
    if (o.valSteps) {
      await list.onTestBegin();
      for (let b = 0; b < o.valSteps; b++) {
        await list.onTestBatchBegin(b);
        await list.onTestBatchEnd(b, valPart(logs));
      }
      await list.onTestEnd(valPart(logs));
    }
    last = { ...logs };
    await list.onEpochEnd(epoch, last);
    if (m.stopTraining) break;
  }
  await list.onTrainEnd(last);
  return list.historyCallback!;
}

function trainPart(logs: Logs): Logs {
  return Object.fromEntries(Object.entries(logs).filter(([k]) => !k.startsWith("val_")));
}

function valPart(logs: Logs): Logs {
  return Object.fromEntries(
    Object.entries(logs)
      .filter(([k]) => k.startsWith("val_"))
      .map(([k, v]) => [k.slice(4), v]),
  );
}

const tempDirs: string[] = [];
afterAll(() => {
  for (const d of tempDirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A fresh temporary directory, removed after the test file. */
export function tempDir(prefix = "tskeras-cb-"): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  tempDirs.push(d);
  return d;
}

/** Captures what is written to stdout while `fn` runs. */
export async function captureStdout(fn: () => unknown): Promise<string> {
  let out = "";
  const spy = vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    out += typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8");
    return true;
  });
  try {
    await fn();
  } finally {
    spy.mockRestore();
  }
  return out;
}
