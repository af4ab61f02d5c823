import { describe, expect, it } from "vitest";
import { ReduceLROnPlateau } from "../../lib/callbacks/reduce-lr-on-plateau.js";
import { LearningRateScheduler } from "../../lib/callbacks/learning-rate-scheduler.js";
import { FakeModel, captureStdout, fakeFit } from "./helpers.js";

describe("ReduceLROnPlateau", () => {
  it("lowers the rate after `patience` epochs without improvement, and logs it", async () => {
    const model = new FakeModel();
    const cb = new ReduceLROnPlateau({ monitor: "val_loss", factor: 0.5, patience: 2, verbose: 1 });
    const lrs: number[] = [];
    const losses = [1.0, 1.0, 1.0, 1.0, 1.0, 0.5];
    let history!: Awaited<ReturnType<typeof fakeFit>>;
    const out = await captureStdout(async () => {
      history = await fakeFit(model, [cb], {
        epochs: 6,
        logs: (e) => ({ val_loss: losses[e] }),
        beforeEpoch: () => lrs.push(model.optimizer!.learningRate),
      });
    });
    expect(lrs).toEqual([0.01, 0.01, 0.01, 0.005, 0.005, 0.0025]);
    expect(model.optimizer!.learningRate).toBe(0.0025);
    // learning_rate is added to the epoch logs (History sees it)
    expect(history.history.learning_rate).toEqual([0.01, 0.01, 0.01, 0.005, 0.005, 0.0025]);
    expect(out).toBe(
      "\nEpoch 3: ReduceLROnPlateau reducing learning rate to 0.005.\n" +
        "\nEpoch 5: ReduceLROnPlateau reducing learning rate to 0.0025.\n",
    );
  });

  it("minDelta (1e-4 by default) decides what improves", async () => {
    const model = new FakeModel();
    const cb = new ReduceLROnPlateau({ patience: 1 });
    await fakeFit(model, [cb], { epochs: 3, logs: (e) => ({ val_loss: 1 - e * 0.00005 }) });
    expect(model.optimizer!.learningRate).toBeCloseTo(0.0001, 12);
  });

  it("respects minLr and cooldown", async () => {
    const model = new FakeModel(0.01);
    const cb = new ReduceLROnPlateau({ monitor: "loss", factor: 0.1, patience: 1, minLr: 0.0005, cooldown: 2 });
    const lrs: number[] = [];
    await fakeFit(model, [cb], {
      epochs: 8,
      logs: () => ({ loss: 1 }),
      beforeEpoch: () => lrs.push(model.optimizer!.learningRate),
    });
    // epoch 1: reduce; cooldown ends at epoch 3, which reduces again (clamped to minLr); then it stays there
    expect(lrs.map((v) => Number(v.toPrecision(6)))).toEqual([0.01, 0.01, 0.001, 0.001, 0.0005, 0.0005, 0.0005, 0.0005]);
  });

  it("rejects factor >= 1", () => {
    expect(() => new ReduceLROnPlateau({ factor: 1 })).toThrow("ReduceLROnPlateau does not support a factor >= 1.0");
  });
});

describe("LearningRateScheduler", () => {
  it("sets the rate from schedule(epoch, lr) at each epoch begin", async () => {
    const model = new FakeModel(0.1);
    const seen: [number, number][] = [];
    const cb = new LearningRateScheduler(
      (epoch, lr) => {
        seen.push([epoch, lr]);
        return epoch < 2 ? lr : lr * 0.5;
      },
      { verbose: 1 },
    );
    let history!: Awaited<ReturnType<typeof fakeFit>>;
    const out = await captureStdout(async () => {
      history = await fakeFit(model, [cb], { epochs: 4, logs: () => ({ loss: 1 }) });
    });
    expect(seen).toEqual([
      [0, 0.1],
      [1, 0.1],
      [2, 0.1],
      [3, 0.05],
    ]);
    expect(model.optimizer!.learningRate).toBe(0.025);
    expect(history.history.learning_rate).toEqual([0.1, 0.1, 0.05, 0.025]);
    expect(out).toContain("\nEpoch 3: LearningRateScheduler setting learning rate to 0.05.\n");
    expect(out).toContain("\nEpoch 1: LearningRateScheduler setting learning rate to 0.1.\n");
  });

  it("reads a tskeras-style optimizer (learningRateValue) and rejects non-numbers", async () => {
    const model = new FakeModel();
    let stored = 0.2;
    model.optimizer = {
      get learningRate() {
        return stored;
      },
      set learningRate(v: number) {
        stored = v;
      },
      learningRateValue: () => Math.fround(stored),
      iterations: 0,
      name: "opt",
    } as never;
    const cb = new LearningRateScheduler((_e, lr) => lr / 2);
    await fakeFit(model, [cb], { epochs: 1, logs: () => ({ loss: 1 }) });
    expect(stored).toBe(Math.fround(0.2) / 2);
    const bad = new LearningRateScheduler((() => "x") as never);
    await expect(fakeFit(new FakeModel(), [bad], { epochs: 1, logs: () => ({}) })).rejects.toThrow(
      "The output of the `schedule` function should be a float. Got: x",
    );
  });
});
