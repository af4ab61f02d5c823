import { describe, expect, it, vi } from "vitest";
import { EarlyStopping } from "../../lib/callbacks/early-stopping.js";
import { FakeModel, captureStdout, fakeFit } from "./helpers.js";

/** Runs up to `losses.length` epochs with these monitored values; weights = [epoch, epoch]. */
async function run(cb: EarlyStopping, losses: number[], key = "val_loss", model = new FakeModel()) {
  const history = await fakeFit(model, [cb], {
    epochs: losses.length,
    logs: (e) => ({ loss: losses[e] + 0.1, [key]: losses[e] }),
    beforeEpoch: (e) => {
      model.w = [e, e];
    },
  });
  return { history, model };
}

describe("EarlyStopping", () => {
  it("stops when the monitored value has not improved for `patience` epochs", async () => {
    const cb = new EarlyStopping({ monitor: "val_loss", patience: 2 });
    const { history, model } = await run(cb, [1.0, 0.9, 0.95, 0.92, 0.8, 0.7]);
    expect(history.epoch).toEqual([0, 1, 2, 3]);
    expect(cb.stoppedEpoch).toBe(3);
    expect(cb.best).toBe(0.9);
    expect(model.stopTraining).toBe(true);
    // without restoreBestWeights, the last weights stay
    expect(model.w).toEqual([3, 3]);
  });

  it("patience 0 stops at the first epoch without improvement (never at epoch 0)", async () => {
    const cb = new EarlyStopping({ monitor: "loss", patience: 0 });
    const { history } = await run(cb, [1, 1, 1], "unused");
    expect(history.epoch).toEqual([0, 1]);
  });

  it("restores the best weights at the end, and frees the copies it kept", async () => {
    const cb = new EarlyStopping({ patience: 2, restoreBestWeights: true, verbose: 1 });
    let model!: FakeModel;
    const out = await captureStdout(async () => {
      ({ model } = await run(cb, [1.0, 0.9, 0.95, 0.92, 0.8]));
    });
    expect(model.w).toEqual([1, 1]);
    expect(cb.bestEpoch).toBe(1);
    expect(out).toBe("Epoch 4: early stopping\nRestoring model weights from the end of the best epoch: 2.\n");
    expect(model.copies.length).toBe(3); // first epoch (x2: initial + improvement), best epoch
    expect(model.copies.every((c) => c.disposed)).toBe(true);
    expect(cb.bestWeights).toBe(null);
  });

  it("restores the best weights even when training was not stopped early", async () => {
    const cb = new EarlyStopping({ patience: 5, restoreBestWeights: true });
    const { model, history } = await run(cb, [1.0, 0.5, 0.7, 0.8]);
    expect(history.epoch.length).toBe(4);
    expect(cb.stoppedEpoch).toBe(0);
    expect(model.w).toEqual([1, 1]);
  });

  it("baseline: waiting restarts only when the baseline is beaten", async () => {
    const withBaseline = new EarlyStopping({ monitor: "val_loss", patience: 2, baseline: 0.5 });
    const a = await run(withBaseline, [0.9, 0.9, 0.9, 0.9]);
    expect(a.history.epoch).toEqual([0, 1]);
    const without = new EarlyStopping({ monitor: "val_loss", patience: 2 });
    const b = await run(without, [0.9, 0.9, 0.9, 0.9]);
    expect(b.history.epoch).toEqual([0, 1, 2]);
    const beaten = new EarlyStopping({ monitor: "val_loss", patience: 2, baseline: 0.5 });
    const c = await run(beaten, [0.4, 0.4, 0.4, 0.4, 0.4]);
    expect(c.history.epoch).toEqual([0, 1, 2]);
  });

  it("startFromEpoch: no monitoring during the warm-up", async () => {
    const cb = new EarlyStopping({ monitor: "val_loss", patience: 0, startFromEpoch: 2 });
    const { history } = await run(cb, [1, 1, 1, 1, 1, 1]);
    expect(history.epoch).toEqual([0, 1, 2, 3]);
  });

  it("minDelta: changes smaller than it are no improvement", async () => {
    const cb = new EarlyStopping({ monitor: "val_loss", patience: 1, minDelta: 0.05 });
    const { history } = await run(cb, [1.0, 0.97, 0.96, 0.9]);
    expect(history.epoch).toEqual([0, 1]);
  });

  it("mode: max, and auto from the metric's direction", async () => {
    const max = new EarlyStopping({ monitor: "val_acc", mode: "max", patience: 0 });
    const a = await run(max, [0.5, 0.6, 0.55, 0.7], "val_acc");
    expect(a.history.epoch).toEqual([0, 1, 2]);
    const model = new FakeModel();
    model.metrics = [
      { name: "loss", direction: null },
      { name: "accuracy", direction: "up" },
    ];
    const auto = new EarlyStopping({ monitor: "val_accuracy", patience: 0 });
    const b = await run(auto, [0.5, 0.6, 0.55, 0.7], "val_accuracy", model);
    expect(b.history.epoch).toEqual([0, 1, 2]);
  });

  it("auto mode on an unknown metric asks for a mode", async () => {
    const cb = new EarlyStopping({ monitor: "val_f7" });
    await expect(run(cb, [1, 2], "val_f7")).rejects.toThrow(/isn't able to automatically determine/);
  });

  it("warns and keeps training when the monitored key is missing", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    try {
      const cb = new EarlyStopping({ monitor: "val_missing", mode: "min", patience: 0 });
      const { history } = await run(cb, [1, 1, 1]);
      expect(history.epoch).toEqual([0, 1, 2]);
      expect(String(warn.mock.calls[0][0])).toContain(
        "Early stopping conditioned on metric `val_missing` which is not available. Available metrics are: loss,val_loss",
      );
    } finally {
      warn.mockRestore();
    }
  });

  it("can be reused across fits", async () => {
    const cb = new EarlyStopping({ monitor: "val_loss", patience: 1 });
    await run(cb, [1, 2, 3, 4]);
    const { history } = await run(cb, [5, 4, 3, 2]);
    expect(history.epoch).toEqual([0, 1, 2, 3]);
  });
});
