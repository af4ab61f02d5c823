import { afterEach, describe, expect, it } from "vitest";
import * as keras from "../../lib/index.js";
import { Progbar } from "../../lib/utils/progbar.js";
import { setLoggingFunction } from "../../lib/utils/io-utils.js";

const { config, layers } = keras;

afterEach(() => {
  config.enableInteractiveLogging();
  setLoggingFunction(null);
  config.setMaxEpochs(null);
  config.setMaxStepsPerEpoch(null);
  config.enableFlashAttention();
  config.enableTracebackFiltering();
});

describe("keras.config flags", () => {
  it("flash attention: null (auto) by default and after enable, false after disable", () => {
    expect(config.isFlashAttentionEnabled()).toBe(null);
    config.disableFlashAttention();
    expect(config.isFlashAttentionEnabled()).toBe(false);
    config.enableFlashAttention();
    expect(config.isFlashAttentionEnabled()).toBe(null);
  });

  it("traceback filtering and NNX", () => {
    expect(config.isTracebackFilteringEnabled()).toBe(true);
    config.disableTracebackFiltering();
    expect(config.isTracebackFilteringEnabled()).toBe(false);
    config.enableTracebackFiltering();
    expect(config.isTracebackFilteringEnabled()).toBe(true);
    expect(config.isNnxEnabled()).toBe(false);
  });

  it("maxEpochs / maxStepsPerEpoch validate and store", () => {
    expect(config.maxEpochs()).toBe(null);
    config.setMaxEpochs(3);
    expect(config.maxEpochs()).toBe(3);
    config.setMaxStepsPerEpoch(2);
    expect(config.maxStepsPerEpoch()).toBe(2);
    expect(() => config.setMaxEpochs(0)).toThrow(/positive integer/);
    expect(() => config.setMaxStepsPerEpoch(1.5)).toThrow(/positive integer/);
  });

  it("fit obeys the caps on epochs and steps", { timeout: 60_000 }, async () => {
    const model = keras.Sequential([layers.Input({ shape: [2] }), layers.Dense(1)]);
    model.compile({ optimizer: "sgd", loss: "mse" });
    const x = Array.from({ length: 40 }, (_, i) => [i / 40, 1 - i / 40]);
    const y = x.map(([a]) => [a!]);
    let batches = 0;
    const counter = new (class extends keras.callbacks.Callback {
      override onTrainBatchEnd(): void {
        batches++;
      }
    })();
    config.setMaxEpochs(2);
    config.setMaxStepsPerEpoch(3);
    const history = await model.fit(x, y, { epochs: 10, batchSize: 4, verbose: 0, callbacks: [counter] });
    expect(history.history.loss).toHaveLength(2);
    expect(batches).toBe(6);
    model.dispose();
  });
});

describe("interactive logging", () => {
  it("printMsg writes to stdout when on and to the logging function when off", () => {
    expect(config.isInteractiveLoggingEnabled()).toBe(true);
    const written: string[] = [];
    const logged: string[] = [];
    setLoggingFunction((m) => logged.push(m));
    keras.utils.printMsg("hello", true, (t) => written.push(t));
    config.disableInteractiveLogging();
    expect(config.isInteractiveLoggingEnabled()).toBe(false);
    expect(keras.utils.isInteractiveLoggingEnabled()).toBe(false);
    keras.utils.printMsg("quiet", true, (t) => written.push(t));
    expect(written).toEqual(["hello\n"]);
    expect(logged).toEqual(["quiet"]);
  });

  it("Progbar frames and summaries go to the log when interactive logging is off", () => {
    const logged: string[] = [];
    setLoggingFunction((m) => logged.push(m));
    config.disableInteractiveLogging();
    const written: string[] = [];
    let t = 0;
    const bar = new Progbar(2, { verbose: 2, write: (s) => written.push(s), now: () => t });
    bar.update(1, { loss: 0.5 });
    t = 2;
    bar.update(2, { loss: 0.25 });
    expect(written).toEqual([]);
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatch(/^2\/2 - 2s - .*loss: 0\.2500$/);
    const model = keras.Sequential([layers.Input({ shape: [3] }), layers.Dense(2)]);
    model.summary();
    expect(logged[1]).toContain("Total params: 8");
    model.dispose();
  });
});
