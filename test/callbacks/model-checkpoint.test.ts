import { describe, expect, it } from "vitest";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { ModelCheckpoint } from "../../lib/callbacks/model-checkpoint.js";
import { FakeModel, captureStdout, fakeFit, tempDir } from "./helpers.js";

class SavingModel extends FakeModel {
  saved: { method: string; path: string; options: unknown }[] = [];
  async saveWeights(path: string, options?: unknown): Promise<void> {
    await Promise.resolve();
    this.saved.push({ method: "saveWeights", path, options });
  }
  save(path: string, options?: unknown): void {
    this.saved.push({ method: "save", path, options });
  }
}

const valLosses = [0.9, 0.8, 0.85, 0.7];
const logs = (e: number) => ({ loss: 1 - e * 0.1, val_loss: valLosses[e] });

describe("ModelCheckpoint", () => {
  it("fills the file name template and saves the weights each epoch", async () => {
    const dir = tempDir();
    const model = new SavingModel();
    const cb = new ModelCheckpoint(join(dir, "sub", "ckpt-{epoch:02d}-{val_loss:.2f}.weights.h5"), { saveWeightsOnly: true });
    await fakeFit(model, [cb], { epochs: 4, logs });
    expect(model.saved.map((s) => [s.method, s.path])).toEqual([
      ["saveWeights", join(dir, "sub", "ckpt-01-0.90.weights.h5")],
      ["saveWeights", join(dir, "sub", "ckpt-02-0.80.weights.h5")],
      ["saveWeights", join(dir, "sub", "ckpt-03-0.85.weights.h5")],
      ["saveWeights", join(dir, "sub", "ckpt-04-0.70.weights.h5")],
    ]);
    expect(model.saved[0].options).toEqual({ overwrite: true });
    expect(existsSync(join(dir, "sub"))).toBe(true); // the directory is created
  });

  it("saveBestOnly saves only improvements, with Keras's messages", async () => {
    const dir = tempDir();
    const model = new SavingModel();
    const path = join(dir, "best.keras");
    const cb = new ModelCheckpoint(path, { saveBestOnly: true, verbose: 1 });
    const out = await captureStdout(() => fakeFit(model, [cb], { epochs: 4, logs }));
    expect(model.saved.map((s) => s.method)).toEqual(["save", "save", "save"]);
    expect(out).toBe(
      `\nEpoch 1: val_loss improved from None to 0.90000, saving model to ${path}\n` +
        `\nEpoch 1: finished saving model to ${path}\n` +
        `\nEpoch 2: val_loss improved from 0.90000 to 0.80000, saving model to ${path}\n` +
        `\nEpoch 2: finished saving model to ${path}\n` +
        `\nEpoch 3: val_loss did not improve from 0.80000\n` +
        `\nEpoch 4: val_loss improved from 0.80000 to 0.70000, saving model to ${path}\n` +
        `\nEpoch 4: finished saving model to ${path}\n`,
    );
  });

  it("mode max and initialValueThreshold", async () => {
    const dir = tempDir();
    const model = new SavingModel();
    const cb = new ModelCheckpoint(join(dir, "m-{epoch}.keras"), {
      monitor: "val_acc",
      mode: "max",
      saveBestOnly: true,
      initialValueThreshold: 0.6,
    });
    const acc = [0.5, 0.65, 0.6, 0.7];
    await fakeFit(model, [cb], { epochs: 4, logs: (e) => ({ val_acc: acc[e] }) });
    expect(model.saved.map((s) => s.path)).toEqual([join(dir, "m-2.keras"), join(dir, "m-4.keras")]);
  });

  it("saveFreq as a number of batches, with {batch} in the name", async () => {
    const dir = tempDir();
    const model = new SavingModel();
    const cb = new ModelCheckpoint(join(dir, "m-{epoch}-{batch}.keras"), { saveFreq: 3 });
    await fakeFit(model, [cb], { epochs: 2, steps: 4, logs: () => ({ loss: 0.5 }) });
    expect(model.saved.map((s) => s.path)).toEqual([join(dir, "m-1-3.keras"), join(dir, "m-2-2.keras")]);
  });

  it("checks the file extension and the template", async () => {
    expect(() => new ModelCheckpoint("w.h5", { saveWeightsOnly: true })).toThrow(/must end in `.weights.h5`/);
    expect(() => new ModelCheckpoint("model.pt")).toThrow(/must end in `.keras`/);
    expect(() => new ModelCheckpoint("m.keras", { saveFreq: 1.5 })).toThrow(/Unrecognized save_freq/);
    const cb = new ModelCheckpoint("{epoch}-{nope}.keras");
    expect(() => cb.getFilePath(0, null, { loss: 1 })).toThrow(
      `Failed to format this callback filepath: "{epoch}-{nope}.keras". Reason: 'nope'`,
    );
    expect(new ModelCheckpoint("{epoch:03d}-{loss}.keras").getFilePath(4, null, { loss: 1 })).toBe("005-1.0.keras");
  });

  it("says clearly when the model cannot save yet", async () => {
    const dir = tempDir();
    const cb = new ModelCheckpoint(join(dir, "m.weights.h5"), { saveWeightsOnly: true });
    await expect(fakeFit(new FakeModel(), [cb], { epochs: 1, logs })).rejects.toThrow(
      /model.saveWeights\(\) is not supported yet/,
    );
  });
});
