/** The Optimizer base: clipping, weight decay, EMA, accumulation, constraints, memory, errors, get/serialize. */
import { describe, expect, it, beforeEach, vi } from "vitest";
import { tf } from "../../lib/backend/tfjs.js";
import "../../lib/ops/convert.js";
import { Variable } from "../../lib/backend/variable.js";
import { withNameScope } from "../../lib/backend/name-scope.js";
import { resetUids } from "../../lib/utils/naming.js";
import * as optimizers from "../../lib/optimizers/index.js";
import {
  Adadelta,
  Adafactor,
  Adagrad,
  Adam,
  Adamax,
  AdamW,
  Ftrl,
  Lamb,
  Lion,
  LossScaleOptimizer,
  Nadam,
  Optimizer,
  RMSprop,
  SGD,
  schedules,
} from "../../lib/optimizers/index.js";
import { BIAS0, GRADS, KERNEL0, applyStep, expectClose, makeVars, values } from "./helpers.js";

beforeEach(() => resetUids());

function norm(x: number[]): number {
  return Math.sqrt(x.reduce((a, v) => a + v * v, 0));
}

describe("names, variables and paths", () => {
  it("auto names are Keras's snake_case, uniquified", () => {
    expect(new Adam().name).toBe("adam");
    expect(new Adam().name).toBe("adam_1");
    expect(new AdamW().name).toBe("adam_w");
    expect(new RMSprop().name).toBe("rm_sprop");
    expect(new SGD().name).toBe("sgd");
    expect(new Adam({ name: "mine" }).name).toBe("mine");
  });

  it("variables before build: iteration then learning_rate; slots named from the reference path", () => {
    const opt = new Adam(0.01);
    expect(opt.built).toBe(false);
    expect(opt.variables.map((v) => v.path)).toEqual(["adam/iteration", "adam/learning_rate"]);
    expect(opt.iterations.dtype).toBe("int32");
    const [k, b] = withNameScope("dense", () => makeVars());
    expect(k.path).toBe("dense/kernel");
    applyStep(opt, [k, b], 0);
    expect(opt.variables.map((v) => v.path)).toEqual([
      "adam/iteration",
      "adam/learning_rate",
      "adam/dense_kernel_momentum",
      "adam/dense_kernel_velocity",
      "adam/dense_bias_momentum",
      "adam/dense_bias_velocity",
    ]);
    expect(opt.variables.map((v) => v.name)[2]).toBe("dense_kernel_momentum");
    expect(opt.variables.every((v) => !v.trainable)).toBe(true);
    opt.dispose();
  });

  it("classes work with and without new (Keras style)", () => {
    const a = optimizers.Adam({ learningRate: 0.02 });
    expect(a).toBeInstanceOf(Adam);
    expect(a).toBeInstanceOf(Optimizer);
    expect(a.getConfig().learning_rate).toBe(Math.fround(0.02));
    expect(optimizers.SGD(0.1, { momentum: 0.5 }).momentum).toBe(0.5);
    const s = schedules.CosineDecay(0.1, 10);
    expect(s).toBeInstanceOf(schedules.LearningRateSchedule);
    class MyAdam extends optimizers.Adam {}
    expect(new MyAdam().name).toBe("my_adam");
  });

  it("defaults: SGD 0.01, Adam 0.001, AdamW weight_decay 0.004", () => {
    expect(new SGD().getConfig().learning_rate).toBe(Math.fround(0.01));
    expect(new Adam().getConfig().learning_rate).toBe(Math.fround(0.001));
    expect(new AdamW().getConfig().weight_decay).toBe(0.004);
    expect(new Adam().getConfig().ema_momentum).toBe(0.99);
    expect(() => new AdamW({ weightDecay: null })).toThrow(/weight_decay/);
    expect(new SGD(0.5, { momentum: 0.9 }).getConfig()).toMatchObject({ learning_rate: 0.5, momentum: 0.9 });
  });
});

describe("apply", () => {
  it("plain SGD: w -= lr * g; iterations counts applies", () => {
    const opt = new SGD(0.1);
    const vars = makeVars();
    applyStep(opt, vars, 0);
    expectClose(values(vars[0]), KERNEL0.map((w, i) => w - 0.1 * GRADS[0].kernel[i]), 1e-6);
    expect(values(opt.iterations)).toEqual([1]);
    applyStep(opt, vars, 1);
    expect(values(opt.iterations)).toEqual([2]);
    opt.dispose();
  });

  it("clipvalue clips each element", () => {
    const opt = new SGD(1.0, { clipvalue: 0.5 });
    const vars = makeVars();
    applyStep(opt, vars, 1);
    const clip = (x: number): number => Math.min(0.5, Math.max(-0.5, x));
    expectClose(values(vars[0]), KERNEL0.map((w, i) => w - clip(GRADS[1].kernel[i])), 1e-6);
    expectClose(values(vars[1]), BIAS0.map((w, i) => w - clip(GRADS[1].bias[i])), 1e-6);
  });

  it("clipnorm clips each gradient to the norm", () => {
    const opt = new SGD(1.0, { clipnorm: 1.0 });
    const vars = makeVars();
    applyStep(opt, vars, 1);
    const nk = norm(GRADS[1].kernel);
    const nb = norm(GRADS[1].bias);
    expectClose(values(vars[0]), KERNEL0.map((w, i) => w - GRADS[1].kernel[i] / Math.max(nk, 1)), 1e-6);
    expectClose(values(vars[1]), BIAS0.map((w, i) => w - GRADS[1].bias[i] / Math.max(nb, 1)), 1e-6);
  });

  it("globalClipnorm scales all gradients by one factor", () => {
    const opt = new SGD(1.0, { globalClipnorm: 1.0 });
    const vars = makeVars();
    applyStep(opt, vars, 1);
    const n = norm([...GRADS[1].kernel, ...GRADS[1].bias]);
    expectClose(values(vars[0]), KERNEL0.map((w, i) => w - GRADS[1].kernel[i] / n), 1e-6);
    expectClose(values(vars[1]), BIAS0.map((w, i) => w - GRADS[1].bias[i] / n), 1e-6);
  });

  it("only one clipping option at a time", () => {
    expect(() => new SGD({ clipnorm: 1, clipvalue: 1 })).toThrow(/Only one of `clipnorm`, `clipvalue` and `global_clipnorm`/);
  });

  it("weight decay is decoupled and applied before the update, with exclusions", () => {
    const opt = new SGD(0.1, { weightDecay: 0.5 });
    opt.excludeFromWeightDecay({ varNames: ["bias"] });
    const vars = makeVars();
    applyStep(opt, vars, 0);
    expectClose(values(vars[0]), KERNEL0.map((w, i) => w - w * 0.5 * 0.1 - 0.1 * GRADS[0].kernel[i]), 1e-6);
    expectClose(values(vars[1]), BIAS0.map((w, i) => w - 0.1 * GRADS[0].bias[i]), 1e-6);
    expect(() => opt.excludeFromWeightDecay({ varNames: ["x"] })).toThrow(/before the optimizer is built/);
  });

  it("lossScaleFactor divides the gradients; scaleLoss multiplies the loss", () => {
    const opt = new SGD(0.1, { lossScaleFactor: 4 });
    const vars = makeVars();
    applyStep(opt, vars, 0);
    expectClose(values(vars[0]), KERNEL0.map((w, i) => w - (0.1 * GRADS[0].kernel[i]) / 4), 1e-6);
    const l = opt.scaleLoss(tf.scalar(2));
    expect(l.dataSync()[0]).toBe(8);
    l.dispose();
  });

  it("applies variable constraints after the update", () => {
    const opt = new SGD(0.1);
    const vars = makeVars();
    vars[0].constraint = (x) => tf.clipByValue(x, -1, 1);
    applyStep(opt, vars, 0);
    expectClose(values(vars[0]), KERNEL0.map((w, i) => Math.min(1, Math.max(-1, w - 0.1 * GRADS[0].kernel[i]))), 1e-6);
  });

  it("skips null gradients with a warning; all null is an error", () => {
    const opt = new SGD(0.1);
    const vars = makeVars();
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    const g = tf.tensor(GRADS[0].bias, [2]);
    opt.apply([null, g], vars);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining("Gradients do not exist for variables [kernel]"));
    warn.mockRestore();
    expect(values(vars[0])).toEqual(Array.from(Float32Array.from(KERNEL0)));
    expect(() => opt.apply([null, null], vars)).toThrow("No gradients provided for any variable.");
    g.dispose();
  });

  it("rejects variables it was not built with, and grads without variables before build", () => {
    const opt = new SGD(0.1);
    const g = tf.tensor(GRADS[0].bias, [2]);
    expect(() => opt.apply([g])).toThrow(/must already be built/);
    const vars = makeVars();
    applyStep(opt, vars, 0);
    const other = makeVars();
    expect(() => opt.apply([g], [other[1]])).toThrow(/Unknown variable/);
    opt.apply([tf.tensor(GRADS[0].kernel, [3, 2]), g]);
    expect(values(opt.iterations)).toEqual([2]);
    g.dispose();
  });
});

describe("learning rate", () => {
  it("is a settable Variable for a number", () => {
    const opt = new Adam(0.01);
    expect(opt.learningRate).toBeInstanceOf(Variable);
    opt.learningRate = 0.5;
    expect(opt.learningRateValue()).toBe(0.5);
    expect(opt.getConfig().learning_rate).toBe(0.5);
  });

  it("a schedule is called with the iteration, is not a variable, and serializes", () => {
    const sched = new schedules.ExponentialDecay(0.1, 1, 0.5);
    const opt = new SGD({ learningRate: sched });
    expect(opt.variables.map((v) => v.path)).toEqual(["sgd/iteration"]);
    const vars = makeVars();
    applyStep(opt, vars, 0); // lr(0) = 0.1
    applyStep(opt, vars, 1); // lr(1) = 0.05
    expectClose(values(vars[1]), BIAS0.map((w, i) => w - 0.1 * GRADS[0].bias[i] - 0.05 * GRADS[1].bias[i]), 1e-6);
    expect(opt.learningRateValue()).toBeCloseTo(0.025, 7);
    const lr = opt.learningRate;
    expect(lr).not.toBeInstanceOf(Variable);
    (lr as tf.Tensor).dispose();
    const config = opt.getConfig();
    expect(config.learning_rate).toEqual({
      module: "keras.optimizers.schedules",
      class_name: "ExponentialDecay",
      config: { initial_learning_rate: 0.1, decay_steps: 1, decay_rate: 0.5, staircase: false, name: "ExponentialDecay" },
      registered_name: null,
    });
    const again = SGD.fromConfig(config);
    expect(again.learningRateSource).toBeInstanceOf(schedules.ExponentialDecay);
    expect(again.getConfig()).toEqual(config);
    expect(() => {
      opt.learningRate = 0.1;
    }).toThrow(TypeError);
  });

  it("setting a schedule drops the learning_rate variable", () => {
    const opt = new SGD(0.1);
    opt.learningRate = new schedules.PolynomialDecay(0.1, 10);
    expect(opt.variables.map((v) => v.name)).toEqual(["iteration"]);
  });

  it("accepts a function", () => {
    const opt = new SGD(() => 0.25);
    const vars = makeVars();
    applyStep(opt, vars, 0);
    expectClose(values(vars[1]), BIAS0.map((w, i) => w - 0.25 * GRADS[0].bias[i]), 1e-6);
  });
});

describe("EMA", () => {
  it("tracks the moving average (first step copies), overwrites every N steps, finalizes and swaps", () => {
    const opt = new SGD(0.1, { useEma: true, emaMomentum: 0.5 });
    const vars = makeVars();
    const w = [[...BIAS0]];
    let avg: number[] = [];
    for (let s = 0; s < 3; s++) {
      applyStep(opt, vars, s);
      w[0] = w[0].map((x, i) => x - 0.1 * GRADS[s].bias[i]);
      avg = s === 0 ? [...w[0]] : avg.map((a, i) => 0.5 * a + 0.5 * w[0][i]);
    }
    expect(opt.variables.map((v) => v.name)).toEqual(["iteration", "learning_rate", "kernel_average", "bias_average"]);
    expectClose(values(opt.variables[3]), avg, 1e-6);
    expectClose(values(vars[1]), w[0], 1e-6);
    opt.swapVariablesWithMovingAverage(vars);
    expectClose(values(vars[1]), avg, 1e-6);
    expectClose(values(opt.variables[3]), w[0], 1e-6);
    opt.swapVariablesWithMovingAverage(vars);
    opt.finalizeVariableValues(vars);
    expectClose(values(vars[1]), avg, 1e-6);

    const opt2 = new SGD(0.1, { useEma: true, emaMomentum: 0.5, emaOverwriteFrequency: 2 });
    const v2 = makeVars();
    applyStep(opt2, v2, 0);
    const after1 = values(v2[1]);
    applyStep(opt2, v2, 1);
    const w2 = after1.map((x, i) => x - 0.1 * GRADS[1].bias[i]);
    expectClose(values(v2[1]), after1.map((a, i) => 0.5 * a + 0.5 * w2[i]), 1e-6); // overwritten at step 2
  });

  it("validates ema options", () => {
    expect(() => new SGD({ useEma: true, emaMomentum: 2 })).toThrow(/ema_momentum/);
    expect(() => new SGD({ useEma: true, emaOverwriteFrequency: 0.5 })).toThrow(/ema_overwrite_frequency/);
    expect(() => new SGD().swapVariablesWithMovingAverage([])).toThrow(/use_ema/);
  });
});

describe("gradient accumulation", () => {
  it("updates every N steps with the mean gradient, on the device", () => {
    const opt = new SGD(0.1, { gradientAccumulationSteps: 2, momentum: 0.5 });
    const vars = makeVars();
    applyStep(opt, vars, 0);
    expect(values(vars[1])).toEqual(Array.from(Float32Array.from(BIAS0)));
    const names = opt.variables.map((v) => v.name);
    expect(names).toEqual([
      "iteration",
      "learning_rate",
      "kernel_gradient_accumulator",
      "bias_gradient_accumulator",
      "kernel_momentum",
      "bias_momentum",
    ]);
    expectClose(values(opt.variables[3]), GRADS[0].bias, 1e-6);
    expectClose(values(opt.variables[5]), [0, 0], 1e-6);
    applyStep(opt, vars, 1);
    const mean = BIAS0.map((_, i) => (GRADS[0].bias[i] + GRADS[1].bias[i]) / 2);
    const m1 = mean.map((g) => -0.1 * g);
    expectClose(values(vars[1]), BIAS0.map((w, i) => w + m1[i]), 1e-6);
    expectClose(values(opt.variables[3]), [0, 0], 1e-6);
    expect(values(opt.iterations)).toEqual([2]);
    const it1 = opt.iterationsValue();
    expect(it1.dataSync()[0]).toBe(1);
    it1.dispose();
    applyStep(opt, vars, 2);
    expectClose(values(vars[1]), BIAS0.map((w, i) => w + m1[i]), 1e-6);
    expect(() => new SGD({ gradientAccumulationSteps: 1 })).toThrow(/gradient_accumulation_steps/);
  });

  it("Adam's bias correction counts updates, not micro-steps", () => {
    const a = new Adam(0.01, { gradientAccumulationSteps: 2 });
    const b = new Adam(0.01);
    const va = makeVars();
    const vb = makeVars();
    applyStep(a, va, 0);
    applyStep(a, va, 0); // mean of two equal grads = the grad
    applyStep(b, vb, 0);
    expectClose(values(va[0]), values(vb[0]), 1e-6);
  });
});

describe("LossScaleOptimizer", () => {
  it("unscales finite gradients, skips and halves on non-finite ones, grows the scale", () => {
    const inner = new SGD(0.1);
    const opt = new LossScaleOptimizer(inner, { initialScale: 8, dynamicGrowthSteps: 2 });
    const vars = makeVars();
    const g = (s: number, bad = false): tf.Tensor[] => [
      tf.tensor(GRADS[0].kernel.map((x) => x * s), [3, 2]),
      tf.tensor(GRADS[0].bias.map((x, i) => (bad && i === 0 ? NaN : x * s)), [2]),
    ];
    let gs = g(8);
    opt.apply(gs, vars);
    tf.dispose(gs);
    expectClose(values(vars[1]), BIAS0.map((w, i) => w - 0.1 * GRADS[0].bias[i]), 1e-6);
    expect(opt.variables.map((v) => v.path)).toEqual([
      "loss_scale_optimizer/iteration",
      "loss_scale_optimizer/learning_rate",
      "loss_scale_optimizer/step_counter",
      "loss_scale_optimizer/dynamic_scale",
      "sgd/iteration",
      "sgd/learning_rate",
    ]);
    expect(values(opt.stepCounter as Variable)).toEqual([1]);
    const before = values(vars[1]);
    gs = g(8, true);
    opt.apply(gs, vars);
    tf.dispose(gs);
    expect(values(vars[1])).toEqual(before);
    expect(values(opt.dynamicScale as Variable)).toEqual([4]);
    expect(values(opt.stepCounter as Variable)).toEqual([0]);
    expect(values(opt.iterations)).toEqual([1]);
    gs = g(4);
    opt.apply(gs, vars);
    opt.apply(gs, vars);
    tf.dispose(gs);
    expect(values(opt.dynamicScale as Variable)).toEqual([8]);
    expect(values(opt.iterations)).toEqual([3]);
    const l = opt.scaleLoss(tf.scalar(1));
    expect(l.dataSync()[0]).toBe(8);
    l.dispose();
    const config = opt.getConfig();
    expect(config).toEqual({
      name: "loss_scale_optimizer",
      inner_optimizer: { module: "keras.optimizers", class_name: "SGD", config: inner.getConfig(), registered_name: null },
      initial_scale: 8,
      dynamic_growth_steps: 2,
    });
    const again = LossScaleOptimizer.fromConfig(config);
    expect(again.innerOptimizer).toBeInstanceOf(SGD);
    expect(again.getConfig()).toEqual(config);
    expect(() => new LossScaleOptimizer(new SGD(), { clipnorm: 1 })).toThrow(/does not support `clipnorm`/);
  });
});

describe("memory and device residency", () => {
  const makers: [string, () => Optimizer][] = [
    ["SGD", () => new SGD(0.1)],
    ["SGD momentum nesterov", () => new SGD(0.1, { momentum: 0.9, nesterov: true })],
    ["Adam amsgrad", () => new Adam(0.01, { amsgrad: true })],
    ["AdamW", () => new AdamW(0.01)],
    ["Adamax", () => new Adamax()],
    ["Adagrad", () => new Adagrad()],
    ["Adadelta", () => new Adadelta()],
    ["Adafactor", () => new Adafactor()],
    ["Nadam", () => new Nadam()],
    ["RMSprop centered momentum", () => new RMSprop(0.01, { momentum: 0.5, centered: true })],
    ["Ftrl", () => new Ftrl(0.1, { l1RegularizationStrength: 0.01, beta: 0.1 })],
    ["Lion", () => new Lion()],
    ["Lamb", () => new Lamb()],
    ["clipnorm", () => new Adam(0.01, { clipnorm: 1 })],
    ["globalClipnorm", () => new Adam(0.01, { globalClipnorm: 1 })],
    ["clipvalue + weightDecay", () => new Adam(0.01, { clipvalue: 0.3, weightDecay: 0.1 })],
    ["EMA overwrite", () => new Adam(0.01, { useEma: true, emaOverwriteFrequency: 3 })],
    ["accumulation", () => new Nadam(0.01, { gradientAccumulationSteps: 3 })],
    ["schedule", () => new Adam(new schedules.CosineDecay(0.01, 100, { warmupTarget: 0.1, warmupSteps: 10 }))],
    ["lossScaleFactor", () => new SGD(0.1, { lossScaleFactor: 128 })],
    ["LossScaleOptimizer", () => new LossScaleOptimizer(new Adam(0.01))],
  ];
  for (const [name, make] of makers) {
    it(`${name}: numTensors flat over 50 steps, no read-back`, () => {
      const opt = make();
      const vars = makeVars();
      const grads = [tf.tensor(GRADS[0].kernel, [3, 2]), tf.tensor(GRADS[0].bias, [2])];
      opt.apply(grads, vars); // builds, caches constants
      const n0 = tf.memory().numTensors;
      // The cpu backend's kernels read their own memory; what must not happen is a
      // tensor read-back (dataSync/arraySync/data/array/bufferSync), which on a GPU is a sync.
      const proto = tf.Tensor.prototype;
      const spies = [
        vi.spyOn(proto, "dataSync"),
        vi.spyOn(proto, "arraySync"),
        vi.spyOn(proto, "data"),
        vi.spyOn(proto, "array"),
        vi.spyOn(proto, "bufferSync"),
      ];
      for (let i = 0; i < 50; i++) opt.apply(grads, vars);
      for (const s of spies) {
        expect(s).not.toHaveBeenCalled();
        s.mockRestore();
      }
      expect(tf.memory().numTensors).toBe(n0);
      const after = vars.map(values);
      expect(after.flat().every(Number.isFinite)).toBe(true);
      tf.dispose(grads);
      const nVars = opt.variables.length;
      opt.dispose();
      vars.forEach((v) => v.dispose());
      expect(tf.memory().numTensors).toBeLessThan(n0 - nVars);
    });
  }
});

describe("get / serialize / deserialize", () => {
  it("resolves names case-insensitively", () => {
    const names: [string, typeof Optimizer][] = [
      ["adam", Adam],
      ["sgd", SGD],
      ["rmsprop", RMSprop],
      ["RMSprop", RMSprop],
      ["adamw", AdamW],
      ["AdamW", AdamW],
      ["adagrad", Adagrad],
      ["adadelta", Adadelta],
      ["adamax", Adamax],
      ["adafactor", Adafactor],
      ["nadam", Nadam],
      ["ftrl", Ftrl],
      ["lion", Lion],
      ["lamb", Lamb],
    ];
    for (const [n, cls] of names) expect(optimizers.get(n)).toBeInstanceOf(cls);
    const a = new Adam();
    expect(optimizers.get(a)).toBe(a);
    expect(optimizers.get(null)).toBeNull();
  });

  it("an unknown name lists the valid names", () => {
    expect(() => optimizers.get("adamm")).toThrow(
      "Could not interpret optimizer identifier: adamm. Expected one of: adadelta, adafactor, adagrad, adam, adamax, adamw, ftrl, lamb, lion, lossscaleoptimizer, nadam, rmsprop, sgd",
    );
  });

  it("round-trips a serialized dict", () => {
    const opt = new RMSprop(0.02, { momentum: 0.3, centered: true, name: "r" });
    const s = optimizers.serialize(opt);
    expect(s).toMatchObject({ module: "keras.optimizers", class_name: "RMSprop", registered_name: null });
    const back = optimizers.get(s);
    expect(back).toBeInstanceOf(RMSprop);
    expect(back.getConfig()).toEqual(opt.getConfig());
    const lower = optimizers.deserialize({ class_name: "rmsprop", config: { learning_rate: 0.5 } });
    expect(lower).toBeInstanceOf(RMSprop);
  });

  it("saveOwnVariables / loadOwnVariables / setWeights round-trip the state", () => {
    const a = new Adam(0.01);
    const va = makeVars();
    applyStep(a, va, 0);
    applyStep(a, va, 1);
    const stored = a.saveOwnVariables();
    expect(stored.map((s) => s.dtype)).toEqual(["int32", "float32", "float32", "float32", "float32", "float32"]);
    const b = new Adam(0.01);
    const vb = makeVars();
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    b.loadOwnVariables(stored);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining("Skipping variable loading for optimizer 'adam_1'"));
    warn.mockRestore();
    b.build(vb);
    b.loadOwnVariables(stored);
    vb.forEach((v, i) => v.assign(va[i].value));
    applyStep(a, va, 2);
    applyStep(b, vb, 2);
    expect(values(vb[0])).toEqual(values(va[0]));
    expect(values(b.iterations)).toEqual([3]);
    expect(() => new Adam().setWeights([])).toThrow(/not yet been built/);
  });

  it("custom subclass: build + updateStep + getConfig", () => {
    class MySGD extends Optimizer {
      velocities: Variable[] = [];
      constructor(options: { learningRate?: number; name?: string } = {}) {
        super({ learningRate: 0.1, ...options });
      }
      override build(variables: readonly Variable[]): void {
        if (this.built) return;
        super.build(variables);
        this.velocities = this.addOptimizerVariables(variables, "v");
      }
      override updateStep(g: tf.Tensor, v: Variable, lr: tf.Tensor): void {
        this.assignSub(v, tf.mul(g, lr));
      }
    }
    const opt = new MySGD();
    const vars = makeVars();
    applyStep(opt, vars, 0);
    expect(opt.name).toBe("my_sgd");
    expect(opt.variables.map((v) => v.path)).toEqual(["my_sgd/iteration", "my_sgd/learning_rate", "my_sgd/kernel_v", "my_sgd/bias_v"]);
    expectClose(values(vars[1]), BIAS0.map((w, i) => w - 0.1 * GRADS[0].bias[i]), 1e-6);
  });
});
