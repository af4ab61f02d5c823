import { describe, expect, it } from "vitest";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Callback } from "../../lib/callbacks/callback.js";
import { BackupAndRestore } from "../../lib/callbacks/backup-and-restore.js";
import { SwapEMAWeights } from "../../lib/callbacks/swap-ema-weights.js";
import { FakeModel, fakeFit, tempDir } from "./helpers.js";

/** A model whose weights file is JSON: enough to check what BackupAndRestore saves and restores. */
class PersistentModel extends FakeModel {
  saves: string[] = [];
  async saveWeights(path: string): Promise<void> {
    this.saves.push(path);
    writeFileSync(path, JSON.stringify({ w: this.w, lr: this.optimizer!.learningRate }));
  }
  async loadWeights(path: string): Promise<void> {
    const { w, lr } = JSON.parse(readFileSync(path, "utf8")) as { w: number[]; lr: number };
    this.w = w;
    this.optimizer!.learningRate = lr;
  }
}

class Interrupt extends Callback {
  constructor(private readonly at: number) {
    super();
  }
  override onEpochBegin(epoch: number): void {
    if (epoch === this.at) throw new Error("Interrupting!");
  }
}

describe("BackupAndRestore", () => {
  it("resumes an interrupted fit from the last completed epoch", async () => {
    const dir = join(tempDir(), "backup");
    const backup = new BackupAndRestore(dir);
    const first = new PersistentModel();
    const train = (model: PersistentModel, extra: Callback[]) =>
      fakeFit(model, [backup, ...extra], {
        epochs: 10,
        logs: (e) => ({ loss: 1 / (e + 1) }),
        beforeEpoch: (e) => {
          model.w = [e, e * 10];
          model.optimizer!.learningRate = 0.1 / (e + 1);
        },
      });
    await expect(train(first, [new Interrupt(4)])).rejects.toThrow("Interrupting!");
    expect(readFileSync(join(dir, "training_metadata.json"), "utf8")).toBe('{"epoch": 4, "batch": 0}');
    expect(first.saves).toEqual(Array(4).fill(join(dir, "latest.weights.h5")));

    // a new process: fresh model, same backup dir
    const second = new PersistentModel();
    const epochsSeen: number[] = [];
    const spy = new (class extends Callback {
      override onTrainBegin(): void {
        // restored before the first epoch
        epochsSeen.push(-1);
        expect(second.w).toEqual([3, 30]);
        expect(second.optimizer!.learningRate).toBe(0.1 / 4);
      }
      override onEpochBegin(e: number): void {
        epochsSeen.push(e);
      }
    })();
    const history = await train(second, [spy]);
    expect(history.epoch).toEqual([4, 5, 6, 7, 8, 9]);
    expect(epochsSeen).toEqual([-1, 4, 5, 6, 7, 8, 9]);
    expect(existsSync(dir)).toBe(false); // deleted after a completed fit
  });

  it("saves every N batches, and keeps the backup when asked", async () => {
    const dir = join(tempDir(), "b");
    const model = new PersistentModel();
    const cb = new BackupAndRestore(dir, { saveFreq: 3, deleteCheckpoint: false });
    await fakeFit(model, [cb], { epochs: 2, steps: 4, logs: () => ({ loss: 1 }) });
    expect(model.saves.length).toBe(2); // after batches 3 and 6 of 8
    expect(readFileSync(join(dir, "training_metadata.json"), "utf8")).toBe('{"epoch": 1, "batch": 1}');
  });

  it("double checkpoint falls back to the previous backup", async () => {
    const dir = join(tempDir(), "b");
    const model = new PersistentModel();
    await expect(
      fakeFit(model, [new BackupAndRestore(dir, { doubleCheckpoint: true }), new Interrupt(2)], {
        epochs: 5,
        logs: () => ({ loss: 1 }),
        beforeEpoch: (e) => (model.w = [e, e]),
      }),
    ).rejects.toThrow("Interrupting!");
    expect(existsSync(join(dir, "latest.weights.h5.bkp"))).toBe(true);
    writeFileSync(join(dir, "latest.weights.h5"), "corrupt");
    const fresh = new PersistentModel();
    const history = await fakeFit(fresh, [new BackupAndRestore(dir, { doubleCheckpoint: true })], {
      epochs: 3,
      logs: () => ({ loss: 1 }),
    });
    expect(history.epoch).toEqual([1, 2]); // resumed from the previous backup (after epoch 0)
  });

  it("errors clearly without the model's save/load API, or on bad arguments", async () => {
    const dir = join(tempDir(), "b");
    await expect(fakeFit(new FakeModel(), [new BackupAndRestore(dir)], { epochs: 1, logs: () => ({}) })).rejects.toThrow(
      /no saveWeights\(\) \(saving .weights.h5 is not supported yet\)/,
    );
    writeFileSync(join(tempDir(), "x"), "");
    const existing = tempDir();
    writeFileSync(join(existing, "latest.weights.h5"), "x");
    await expect(
      fakeFit(new FakeModel(), [new BackupAndRestore(existing)], { epochs: 1, logs: () => ({}) }),
    ).rejects.toThrow(/has no loadWeights\(\)/);
    expect(() => new BackupAndRestore("")).toThrow("Empty `backupDir` argument passed");
    expect(() => new BackupAndRestore("d", { saveFreq: "batch" as never })).toThrow(/Invalid value for argument `saveFreq`/);
    const unbuilt = new PersistentModel();
    unbuilt.built = false;
    await expect(fakeFit(unbuilt, [new BackupAndRestore(dir)], { epochs: 1, logs: () => ({}) })).rejects.toThrow(
      /must be built before you call `fit\(\)`/,
    );
  });
});

/** A variable holding an array. */
class FakeVar {
  constructor(public value: number[]) {}
  assign(v: number[]): void {
    this.value = [...v];
  }
}

function emaModel(): { model: FakeModel & Record<string, unknown>; vars: FakeVar[]; avgs: FakeVar[] } {
  const vars = [new FakeVar([1, 2]), new FakeVar([3])];
  const avgs = [new FakeVar([10, 20]), new FakeVar([30])];
  const model = new FakeModel() as FakeModel & Record<string, unknown>;
  model.trainableVariables = vars;
  model.optimizer = Object.assign(model.optimizer!, { useEma: true, modelVariablesMovingAverage: avgs });
  return { model, vars, avgs };
}

describe("SwapEMAWeights", () => {
  it("evaluates with the EMA weights and swaps back after", async () => {
    const { model, vars } = emaModel();
    const during: number[][] = [];
    const probe = new (class extends Callback {
      override onTestBatchEnd(): void {
        during.push([...vars[0].value]);
      }
    })();
    await fakeFit(model, [new SwapEMAWeights(), probe], { epochs: 2, valSteps: 1, logs: () => ({ loss: 1, val_loss: 1 }) });
    expect(during).toEqual([
      [10, 20],
      [10, 20],
    ]);
    expect(vars[0].value).toEqual([1, 2]);
    // predict too
    const cb = new SwapEMAWeights();
    cb.setModel(model as never);
    cb.onPredictBegin();
    expect(vars[1].value).toEqual([30]);
    cb.onPredictEnd();
    expect(vars[1].value).toEqual([3]);
  });

  it("swapOnEpoch leaves the EMA weights in the model at epoch end, and finalizes after the last", async () => {
    const { model, vars, avgs } = emaModel();
    const atEpochEnd: number[][] = [];
    const probe = new (class extends Callback {
      override onEpochEnd(): void {
        atEpochEnd.push([...vars[0].value]);
      }
    })();
    await fakeFit(model, [new SwapEMAWeights({ swapOnEpoch: true }), probe], { epochs: 2, logs: () => ({ loss: 1 }) });
    expect(atEpochEnd).toEqual([
      [10, 20],
      [10, 20],
    ]);
    expect(vars[0].value).toEqual([10, 20]);
    expect(avgs[0].value).toEqual([10, 20]);
  });

  it("uses the optimizer's swap method when it has one, and requires useEma", async () => {
    const { model, vars } = emaModel();
    const swapped: unknown[] = [];
    (model.optimizer as unknown as Record<string, unknown>).swapVariablesWithMovingAverage = (v: unknown) => swapped.push(v);
    const cb = new SwapEMAWeights();
    cb.setModel(model as never);
    cb.onTestBegin();
    cb.onTestEnd();
    expect(swapped).toEqual([vars, vars]);
    const plain = new FakeModel();
    const cb2 = new SwapEMAWeights();
    cb2.setModel(plain as never);
    expect(() => cb2.onTestBegin()).toThrow("SwapEMAWeights must be used when `useEma: true` is set on the optimizer");
  });
});
