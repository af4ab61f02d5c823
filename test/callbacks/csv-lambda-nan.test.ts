import { describe, expect, it } from "vitest";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { CSVLogger } from "../../lib/callbacks/csv-logger.js";
import { LambdaCallback } from "../../lib/callbacks/lambda-callback.js";
import { TerminateOnNaN } from "../../lib/callbacks/terminate-on-nan.js";
import { FakeModel, captureStdout, fakeFit, tempDir } from "./helpers.js";

const fitLogs = (e: number) => ({
  loss: 1.045 - 0.1 * e,
  accuracy: 0.61 + 0.1 * e,
  val_loss: 1.1 - 0.1 * e,
  val_accuracy: 0.35 + 0.1 * e,
});

describe("CSVLogger", () => {
  it("writes Keras's header and rows (Python csv: repr floats, \\r\\n)", async () => {
    const file = join(tempDir(), "log.csv");
    await fakeFit(new FakeModel(), [new CSVLogger(file)], { epochs: 3, logs: fitLogs });
    expect(readFileSync(file, "utf8")).toBe(
      "epoch,accuracy,loss,val_accuracy,val_loss\r\n" +
        "0,0.61,1.045,0.35,1.1\r\n" +
        "1,0.71,0.945,0.44999999999999996,1.0\r\n" +
        "2,0.81,0.845,0.55,0.9000000000000001\r\n",
    );
  });

  it("adds val_ columns (NA) when the first epoch has no validation, and honours the separator", async () => {
    const file = join(tempDir(), "log.tsv");
    await fakeFit(new FakeModel(), [new CSVLogger(file, { separator: "\t" })], {
      epochs: 2,
      logs: (e) => ({ loss: 0.5 / (e + 1) }),
    });
    expect(readFileSync(file, "utf8")).toBe("epoch\tloss\tval_loss\r\n0\t0.5\tNA\r\n1\t0.25\tNA\r\n");
  });

  it("appends without a second header, and overwrites otherwise", async () => {
    const file = join(tempDir(), "log.csv");
    const logs = () => ({ loss: 2 });
    await fakeFit(new FakeModel(), [new CSVLogger(file)], { epochs: 1, logs });
    await fakeFit(new FakeModel(), [new CSVLogger(file, { append: true })], { epochs: 2, initialEpoch: 1, logs });
    expect(readFileSync(file, "utf8")).toBe("epoch,loss,val_loss\r\n0,2.0,NA\r\n1,2.0,NA\r\n");
    writeFileSync(file, "");
    await fakeFit(new FakeModel(), [new CSVLogger(file, { append: true })], { epochs: 1, logs });
    expect(readFileSync(file, "utf8")).toBe("epoch,loss,val_loss\r\n0,2.0,NA\r\n");
    await fakeFit(new FakeModel(), [new CSVLogger(file)], { epochs: 1, logs: () => ({ "a,b": 1 }) });
    expect(readFileSync(file, "utf8")).toBe('epoch,"a,b","val_a,b"\r\n0,1.0,NA\r\n');
  });
});

describe("LambdaCallback", () => {
  it("calls the given functions at their hooks", async () => {
    const calls: string[] = [];
    const cb = new LambdaCallback({
      onTrainBegin: () => void calls.push("train_begin"),
      onEpochBegin: (e) => void calls.push(`epoch_begin ${e}`),
      onTrainBatchEnd: (b, logs) => void calls.push(`batch_end ${b} ${logs?.loss}`),
      onEpochEnd: async (e, logs) => {
        await Promise.resolve();
        calls.push(`epoch_end ${e} ${logs?.loss}`);
      },
      onTrainEnd: () => void calls.push("train_end"),
    });
    await fakeFit(new FakeModel(), [cb], { epochs: 2, steps: 1, logs: (e) => ({ loss: e }) });
    expect(calls).toEqual([
      "train_begin",
      "epoch_begin 0",
      "batch_end 0 0",
      "epoch_end 0 0",
      "epoch_begin 1",
      "batch_end 0 1",
      "epoch_end 1 1",
      "train_end",
    ]);
  });

  it("rejects unknown hooks", () => {
    expect(() => new LambdaCallback({ onEpochEnnd: () => {} } as never)).toThrow(/unknown hook 'onEpochEnnd'/);
  });
});

describe("TerminateOnNaN", () => {
  it("stops training at a NaN or infinite loss", async () => {
    const model = new FakeModel();
    let history!: Awaited<ReturnType<typeof fakeFit>>;
    const out = await captureStdout(async () => {
      history = await fakeFit(model, [new TerminateOnNaN()], {
        epochs: 5,
        logs: (e) => ({ loss: e === 2 ? NaN : 1 }),
      });
    });
    expect(model.stopTraining).toBe(true);
    expect(history.epoch).toEqual([0, 1, 2]);
    expect(out).toBe("Batch 0: Invalid loss, terminating training\n");
    const inf = new FakeModel();
    await captureStdout(() => fakeFit(inf, [new TerminateOnNaN()], { epochs: 3, logs: () => ({ loss: Infinity }) }));
    expect(inf.stopTraining).toBe(true);
  });

  it("raiseError throws at once", async () => {
    await expect(
      fakeFit(new FakeModel(), [new TerminateOnNaN({ raiseError: true })], { epochs: 2, logs: () => ({ loss: NaN }) }),
    ).rejects.toThrow("NaN or Inf loss encountered at batch 0. Loss value: nan. Terminating training immediately.");
  });
});
