import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import {
  Progbar,
  formatEta,
  formatTimePerUnit,
  pyExp,
  pyFixed,
  pyGeneral,
  pyRepr,
  renderTerminalText,
  stripAnsi,
} from "../../lib/utils/progbar.js";
import { CallbackList } from "../../lib/callbacks/callback-list.js";
import { ProgbarLogger, progbarHooks, type ProgbarFactoryArgs } from "../../lib/callbacks/progbar-logger.js";
import type { Logs } from "../../lib/callbacks/callback.js";

const TEXT = fileURLToPath(new URL("../../../shared/fixtures/keras-text/", import.meta.url));

/** The reference lines written by the progress bar (the run's other prints follow them). */
function referenceLines(name: string): string[] {
  const lines = readFileSync(`${TEXT}${name}.rendered.txt`, "utf8").split("\n");
  const end = lines.findIndex((l) => l.startsWith("RESULT") || l.startsWith("HISTORY") || l === "");
  return lines.slice(0, end);
}

function referenceFile(name: string): string {
  return readFileSync(`${TEXT}${name}.rendered.txt`, "utf8");
}

/** A fake clock in seconds, starting at a wall-clock-like value as time.time() does. */
class Clock {
  t = 1_700_000_000;
  now = (): number => this.t;
  tick(s: number): void {
    this.t += s;
  }
}

class Sink {
  raw = "";
  write = (s: string): void => {
    this.raw += s;
  };
  get rendered(): string {
    return renderTerminalText(this.raw);
  }
}

/** Python's repr of a dict of float lists / an int list, for the HISTORY lines. */
function pyDict(d: Record<string, unknown>): string {
  const v = (x: unknown): string =>
    Array.isArray(x) ? `[${x.map(v).join(", ")}]` : typeof x === "string" ? `'${x}'` : pyRepr(x as number);
  return `{${Object.entries(d)
    .map(([k, x]) => `'${k}': ${typeof x === "number" && Number.isInteger(x) ? String(x) : v(x)}`)
    .join(", ")}}`;
}

/** Simulates the fit run of the reference: 3 epochs of 32 steps, 3 ms a step, synthetic logs. */
function simulateFit(verbose: number, isTTY = true): { sink: Sink; history: string[] } {
  const clock = new Clock();
  const sink = new Sink();
  const logger = new ProgbarLogger({ write: sink.write, now: clock.now, isTTY });
  const list = new CallbackList([logger], {
    addHistory: true,
    addProgbar: true,
    params: { verbose, epochs: 3, steps: 32 },
  });
  list.onTrainBegin();
  for (let e = 0; e < 3; e++) {
    list.onEpochBegin(e);
    for (let b = 0; b < 32; b++) {
      list.onTrainBatchBegin(b);
      clock.tick(0.003);
      const f = (b + 1) / 32;
      list.onTrainBatchEnd(b, { accuracy: 0.5 + 0.1 * e + 0.11 * f, loss: 1.2 - 0.1 * e - 0.155 * f });
    }
    const logs: Logs = { accuracy: 0.61 + 0.1 * e, loss: 1.045 - 0.1 * e };
    // validation inside fit: no bar of its own
    list.onTestBegin();
    for (let b = 0; b < 8; b++) {
      list.onTestBatchBegin(b);
      clock.tick(0.001);
      list.onTestBatchEnd(b, { accuracy: 0.3, loss: 1.2 });
    }
    list.onTestEnd({ accuracy: 0.35 + 0.1 * e, loss: 1.1 - 0.1 * e });
    logs.val_accuracy = 0.35 + 0.1 * e;
    logs.val_loss = 1.1 - 0.1 * e;
    list.onEpochEnd(e, logs);
  }
  list.onTrainEnd();
  const h = list.historyCallback!;
  return {
    sink,
    history: [
      `HISTORY.history = ${pyDict(h.history)}`,
      `HISTORY.params = {'verbose': ${verbose}, 'epochs': 3, 'steps': 32}`,
      `HISTORY.epoch = [${h.epoch.join(", ")}]`,
    ],
  };
}

/** One evaluate or predict run through a ProgbarLogger. */
function simulateLoop(
  kind: "test" | "predict",
  verbose: number,
  stepSeconds: number,
  batchLogs: (b: number) => Logs | undefined,
  endLogs: Logs | undefined,
): Sink {
  const clock = new Clock();
  const sink = new Sink();
  const logger = new ProgbarLogger({ write: sink.write, now: clock.now, isTTY: true });
  const list = new CallbackList([logger], { addProgbar: true, params: { verbose, epochs: 1, steps: 32 } });
  if (kind === "test") list.onTestBegin();
  else list.onPredictBegin();
  for (let b = 0; b < 32; b++) {
    clock.tick(stepSeconds);
    if (kind === "test") list.onTestBatchEnd(b, batchLogs(b));
    else list.onPredictBatchEnd(b, batchLogs(b));
  }
  if (kind === "test") list.onTestEnd(endLogs);
  else list.onPredictEnd(endLogs);
  return sink;
}

describe("Python float formatting", () => {
  it("formats fixed point with round-half-even on the exact binary value", () => {
    expect(pyFixed(1.1228903532028198, 4)).toBe("1.1229");
    expect(pyFixed(0.03125, 4)).toBe("0.0312"); // exact tie → even
    expect(pyFixed(0.09375, 4)).toBe("0.0938");
    expect(pyFixed(0.5, 0)).toBe("0");
    expect(pyFixed(1.5, 0)).toBe("2");
    expect(pyFixed(2.5, 0)).toBe("2");
    expect(pyFixed(0.00005, 4)).toBe("0.0001"); // 5e-05 is a bit above the tie
    expect(pyFixed(1.005, 2)).toBe("1.00"); // 1.00499999999999989...
    expect(pyFixed(-0.25, 4)).toBe("-0.2500");
    expect(pyFixed(-0.00001, 4)).toBe("-0.0000");
    expect(pyFixed(123456789.125, 2)).toBe("123456789.12");
    expect(pyFixed(1e22, 1)).toBe("10000000000000000000000.0");
    expect(pyFixed(NaN, 4)).toBe("nan");
    expect(pyFixed(-Infinity, 4)).toBe("-inf");
  });

  it("formats e-notation with a two-digit exponent", () => {
    expect(pyExp(5e-5, 4)).toBe("5.0000e-05");
    expect(pyExp(-0.25, 4)).toBe("-2.5000e-01");
    expect(pyExp(0, 4)).toBe("0.0000e+00");
    expect(pyExp(123456, 4)).toBe("1.2346e+05");
    expect(pyExp(9.99995, 4)).toBe("1.0000e+01"); // rounds into the next decade
    expect(pyExp(9.999951, 4)).toBe("1.0000e+01");
    expect(pyExp(1.25e-300, 1)).toBe("1.2e-300");
    expect(pyExp(5e-324, 4)).toBe("4.9407e-324");
    expect(pyExp(1e100, 2, true)).toBe("1.00E+100");
  });

  it("formats general and repr like Python", () => {
    expect(pyGeneral(0.0001234)).toBe("0.0001234");
    expect(pyGeneral(0.00001234)).toBe("1.234e-05");
    expect(pyGeneral(1234567)).toBe("1.23457e+06");
    expect(pyGeneral(100)).toBe("100");
    expect(pyGeneral(2.5, 3, false, true)).toBe("2.50");
    expect(pyRepr(1)).toBe("1.0");
    expect(pyRepr(0.1)).toBe("0.1");
    expect(pyRepr(1e-5)).toBe("1e-05");
    expect(pyRepr(1.5e16)).toBe("1.5e+16");
    expect(pyRepr(123.456)).toBe("123.456");
    expect(pyRepr(0.44999999999999996)).toBe("0.44999999999999996");
    expect(pyRepr(-2.5e-7)).toBe("-2.5e-07");
  });

  it("formats ETA and time per step as Keras", () => {
    expect(formatEta(59.9)).toBe("59s");
    expect(formatEta(73.98)).toBe("1:13");
    expect(formatEta(74.1)).toBe("1:14");
    expect(formatEta(3600)).toBe("60:00");
    expect(formatEta(3725.5)).toBe("1:02:05");
    expect(formatTimePerUnit(0, "step")).toBe(" 0s/step");
    expect(formatTimePerUnit(1.5, "step")).toBe(" 2s/step");
    expect(formatTimePerUnit(0.003, "step")).toBe(" 3ms/step");
    expect(formatTimePerUnit(0.0025, "step")).toBe(" 2ms/step");
    expect(formatTimePerUnit(0.000098, "sample")).toBe(" 98us/sample");
  });
});

describe("renderTerminalText", () => {
  it("applies \\b, \\r and \\n and drops ANSI codes", () => {
    expect(renderTerminalText("abc\b\bX\n\x1b[1mhello\x1b[0m\rJ")).toBe("aXc\nJello");
    expect(renderTerminalText("\b\b\rabc")).toBe("abc");
    expect(stripAnsi("\x1b[32m━\x1b[0m")).toBe("━");
  });
});

describe("Progbar (verbose=1)", () => {
  it("draws Keras's frame with escape codes, then redraws in place", () => {
    const clock = new Clock();
    const sink = new Sink();
    const bar = new Progbar(32, { now: clock.now, write: sink.write, isTTY: true, statelessMetrics: [] });
    clock.tick(0.009);
    bar.update(1, [["accuracy", 0.3], ["loss", 1.2]], false);
    const first =
      "\r\x1b[1m 1/32\x1b[0m \x1b[37m━━━━━━━━━━━━━━━━━━━━\x1b[0m \x1b[1m0s\x1b[0m 9ms/step - accuracy: 0.3000 - loss: 1.2000";
    expect(sink.raw).toBe(first);
    const firstWidth = [...stripAnsi(first.slice(1))].length;
    sink.raw = "";
    clock.tick(13 * 0.009);
    bar.update(14, [["accuracy", 0.317], ["loss", 1.1331]], false);
    expect(sink.raw).toBe(
      "\b".repeat(firstWidth) +
        "\r\x1b[1m14/32\x1b[0m \x1b[32m━━━━━━━━\x1b[0m\x1b[37m━━━━━━━━━━━━\x1b[0m \x1b[1m0s\x1b[0m 9ms/step - accuracy: 0.3170 - loss: 1.1331",
    );
  });

  it("pads a shorter frame to the previous width and ends with a newline", () => {
    const clock = new Clock();
    const sink = new Sink();
    const bar = new Progbar(3, { now: clock.now, write: sink.write, isTTY: true, statelessMetrics: [] });
    clock.tick(1);
    bar.update(1, { loss: 0.5, extra_long_metric_name: 2 }, false);
    const w1 = [...stripAnsi(sink.raw.slice(1))].length;
    sink.raw = "";
    clock.tick(1);
    bar.update(3, { loss: 0.25 }, true);
    // the extra metric stays in the order list with its last value
    expect(stripAnsi(sink.raw)).toBe(
      "\b".repeat(w1) + "\r3/3 ━━━━━━━━━━━━━━━━━━━━ 2s 500ms/step - loss: 0.2500 - extra_long_metric_name: 2.0000\n",
    );
  });

  it("skips frames closer than `interval` but always draws the final one", () => {
    const clock = new Clock();
    const sink = new Sink();
    const bar = new Progbar(10, { now: clock.now, write: sink.write, isTTY: true });
    let frames = 0;
    const count = (): void => {
      frames = (sink.raw.match(/\r/g) ?? []).length;
    };
    for (let i = 1; i <= 10; i++) {
      clock.tick(0.02);
      bar.update(i);
    }
    count();
    // drawn at 1 (first), then whenever 0.05 s passed since the last drawn frame (4, 7), and at 10
    expect(frames).toBe(4);
    expect(sink.raw.endsWith("\n")).toBe(true);
  });

  it("averages stateless metrics by default and shows stateful ones as-is", () => {
    const clock = new Clock();
    const sink = new Sink();
    const bar = new Progbar(4, { now: clock.now, write: sink.write, isTTY: true, statefulMetrics: ["acc"], interval: 0 });
    clock.tick(1);
    bar.update(1, [["loss", 1], ["acc", 0.5]]);
    clock.tick(1);
    bar.update(3, [["loss", 2], ["acc", 0.75]]); // loss weighted by 2 steps: (1 + 4) / 3
    expect(renderTerminalText(sink.raw)).toContain("loss: 1.6667 - acc: 0.7500");
  });

  it("excludes the first step from the time per step once more steps exist", () => {
    const clock = new Clock();
    const sink = new Sink();
    const bar = new Progbar(3, { now: clock.now, write: sink.write, isTTY: true, interval: 0 });
    clock.tick(2); // slow first step (compilation)
    bar.update(1);
    expect(renderTerminalText(sink.raw)).toBe("1/3 ━━━━━━━━━━━━━━━━━━━━ 4s 2s/step");
    clock.tick(0.01);
    bar.update(2);
    expect(renderTerminalText(sink.raw)).toBe("2/3 ━━━━━━━━━━━━━━━━━━━━ 0s 10ms/step");
    clock.tick(0.01);
    bar.update(3);
    expect(renderTerminalText(sink.raw)).toBe("3/3 ━━━━━━━━━━━━━━━━━━━━ 2s 10ms/step\n");
  });

  it("shows hour ETAs and an unknown target", () => {
    const clock = new Clock();
    const sink = new Sink();
    const bar = new Progbar(100000, { now: clock.now, write: sink.write, isTTY: true });
    clock.tick(0.5);
    bar.update(1);
    expect(stripAnsi(sink.raw)).toBe("\r     1/100000 ━━━━━━━━━━━━━━━━━━━━ 13:53:19 500ms/step");
    const unknownSink = new Sink();
    const unknown = new Progbar(null, { now: clock.now, write: unknownSink.write, isTTY: true });
    clock.tick(0.06);
    unknown.update(1, { loss: 0.5 });
    expect(unknownSink.raw).toBe("\r      1/Unknown\x1b[1m 0s\x1b[0m 60ms/step - loss: 0.5000".replace("\x1b[1m 0s", " \x1b[1m0s"));
  });

  it("writes only the final frame, once per bar, when the output is not a terminal", () => {
    const clock = new Clock();
    const sink = new Sink();
    const bar = new Progbar(32, { now: clock.now, write: sink.write, isTTY: false });
    for (let i = 1; i <= 32; i++) {
      clock.tick(0.1);
      bar.update(i, { loss: 1 / i }, false);
    }
    expect(sink.raw).toBe("");
    bar.update(32, { loss: 0.5 }, true);
    expect(stripAnsi(sink.raw)).toBe("32/32 ━━━━━━━━━━━━━━━━━━━━ 3s 100ms/step - loss: 0.5000\n");
  });

  it("verbose=0 prints nothing", () => {
    const sink = new Sink();
    const bar = new Progbar(2, { verbose: 0, write: sink.write });
    bar.update(1);
    bar.update(2);
    expect(sink.raw).toBe("");
  });
});

describe("progress bar text equals Keras's reference files", () => {
  it("fit, verbose=1 (progbar_fit1)", () => {
    const { sink, history } = simulateFit(1);
    expect(sink.rendered.split("\n").slice(0, -1)).toEqual(referenceLines("progbar_fit1"));
    expect(sink.rendered + history.join("\n") + "\n\n").toBe(referenceFile("progbar_fit1"));
    // the raw stream redraws: each epoch's bar starts at 1/32
    expect(stripAnsi(sink.raw)).toContain("\r 1/32 ━━━━━━━━━━━━━━━━━━━━ 0s 3ms/step - accuracy: 0.5034 - loss: 1.1952");
  });

  it("fit, verbose=2 (progbar_fit2)", () => {
    const { sink, history } = simulateFit(2);
    expect(sink.raw).toBe(referenceLines("progbar_fit2").join("\n") + "\n");
    expect(sink.raw + history.join("\n") + "\n\n").toBe(referenceFile("progbar_fit2"));
  });

  it("fit, verbose=1, not a terminal: one line per epoch", () => {
    const { sink } = simulateFit(1, false);
    expect(stripAnsi(sink.raw)).toBe(referenceLines("progbar_fit1").join("\n") + "\n");
  });

  it("evaluate, verbose=1 and 2 (progbar_evaluate1/2)", () => {
    const logs = (b: number): Logs => ({ accuracy: 0.3 + b * 0.001, loss: 1.2 - b * 0.002 });
    const end = { accuracy: 0.3370000123977661, loss: 1.1228903532028198 };
    const s1 = simulateLoop("test", 1, 0.009, logs, end);
    expect(s1.rendered + "RESULT {'accuracy': 0.3370000123977661, 'loss': 1.1228903532028198}\n\n").toBe(
      referenceFile("progbar_evaluate1"),
    );
    const s2 = simulateLoop("test", 2, 0.006, logs, end);
    expect(s2.raw).toBe(referenceLines("progbar_evaluate2").join("\n") + "\n");
  });

  it("predict, verbose=1 and 2 (progbar_predict1/2)", () => {
    const s1 = simulateLoop("predict", 1, 0.002, () => ({ outputs: 1 }), undefined);
    expect(s1.rendered + "RESULT (1000, 3)\n\n").toBe(referenceFile("progbar_predict1"));
    const s2 = simulateLoop("predict", 2, 0.005, () => undefined, undefined);
    expect(s2.raw + "RESULT (1000, 3)\n\n").toBe(referenceFile("progbar_predict2"));
  });

  it("edge cases: unknown target, 4-digit target, tiny and negative values (progbar_edge_cases)", () => {
    const clock = new Clock();
    const sink = new Sink();
    // 1. unknown target (a generator without a length), finalised by ProgbarLogger at epoch end
    const logger = new ProgbarLogger({ write: sink.write, now: clock.now, isTTY: true });
    logger.setParams({ verbose: 1, epochs: 1, steps: null });
    logger.onTrainBegin();
    logger.onEpochBegin(0);
    const losses = [0.5, 0.4, 0.3, 0.2, 0.1];
    for (let b = 0; b < 5; b++) {
      clock.tick(0.06);
      logger.onTrainBatchEnd(b, { loss: losses[b] });
      if (b === 0) expect(stripAnsi(sink.raw)).toBe("\r      1/Unknown 0s 60ms/step - loss: 0.5000");
    }
    logger.onEpochEnd(0, { loss: 0.1 });
    logger.onTrainEnd();
    expect(logger.target).toBe(5);
    // 2. a 1234-step bar: right-aligned count and an m:ss ETA on the first frame
    const start = sink.raw.length;
    const bar = new Progbar(1234, { now: clock.now, write: sink.write, isTTY: true, statelessMetrics: [] });
    clock.tick(0.0601);
    bar.update(1, { loss: 0.5, mae: -0.5 }, false);
    expect(stripAnsi(sink.raw.slice(start))).toBe(
      "\r   1/1234 ━━━━━━━━━━━━━━━━━━━━ 1:14 60ms/step - loss: 0.5000 - mae: -0.5000",
    );
    for (let i = 2; i <= 1234; i++) {
      clock.tick(0.000098);
      bar.update(i, { loss: 5e-5, mae: -0.25 }, i === 1234);
    }
    // 3. verbose=2 quirk: no abs, so a negative value prints in e-notation
    const bar2 = new Progbar(7, { verbose: 2, now: clock.now, write: sink.write, statelessMetrics: [] });
    for (let i = 1; i <= 7; i++) {
      clock.tick(0.000001);
      bar2.update(i, { loss: 5e-5, mae: -0.25 }, i === 7);
    }
    expect(sink.rendered + "\n").toBe(referenceFile("progbar_edge_cases"));
  });
});

describe("progbarHooks.factory", () => {
  it("replaces the terminal bar, with the loop and epoch it is for", () => {
    const made: ProgbarFactoryArgs[] = [];
    const updates: [number, boolean | undefined][] = [];
    progbarHooks.factory = (args) => {
      made.push(args);
      return {
        target: args.target,
        update(current, _values, finalize) {
          updates.push([current, finalize]);
        },
      };
    };
    const sink = new Sink();
    try {
      const logger = new ProgbarLogger({ write: sink.write });
      logger.setParams({ verbose: "auto", epochs: 2, steps: 2 });
      logger.onTrainBegin();
      for (let e = 0; e < 2; e++) {
        logger.onEpochBegin(e);
        logger.onTrainBatchEnd(0, { loss: 1 });
        logger.onTrainBatchEnd(1, { loss: 1 });
        logger.onEpochEnd(e, { loss: 1 });
      }
      logger.onTrainEnd();
      logger.onPredictBegin();
      logger.onPredictBatchEnd(0);
      logger.onPredictEnd();
    } finally {
      progbarHooks.factory = null;
    }
    expect(made.map((m) => [m.mode, m.epoch, m.epochs, m.verbose])).toEqual([
      ["train", 0, 2, 1],
      ["train", 1, 2, 1],
      ["predict", null, 2, 1],
    ]);
    expect(updates).toEqual([
      [1, false],
      [2, false],
      [2, true],
      [1, false],
      [2, false],
      [2, true],
      [1, false],
      [2, true],
    ]);
    expect(sink.raw).toBe("Epoch 1/2\nEpoch 2/2\n");
  });
});
