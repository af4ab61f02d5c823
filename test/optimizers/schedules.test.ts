/** keras.optimizers.schedules against Keras's formulas (learning_rate_schedule.py). */
import { describe, expect, it } from "vitest";
import { tf } from "../../lib/backend/tfjs.js";
import "../../lib/ops/convert.js";
import { schedules } from "../../lib/optimizers/index.js";
import { registerKerasSerializable } from "../../lib/saving/object-registration.js";
import type { TensorLike } from "../../lib/ops/convert.js";

const {
  CosineDecay,
  CosineDecayRestarts,
  ExponentialDecay,
  InverseTimeDecay,
  LearningRateSchedule,
  PiecewiseConstantDecay,
  PolynomialDecay,
} = schedules;

const STEPS = [0, 1, 2, 5, 9, 10, 11, 17, 25, 60, 100, 250];

function at(s: InstanceType<typeof LearningRateSchedule>, step: number, intStep = true): number {
  const t = intStep ? tf.scalar(step, "int32") : step;
  const out = s.call(t);
  const v = out.dataSync()[0];
  expect(out.shape).toEqual([]);
  expect(out.dtype).toBe("float32");
  out.dispose();
  if (t instanceof tf.Tensor) t.dispose();
  return v;
}

function check(s: InstanceType<typeof LearningRateSchedule>, f: (step: number) => number, rel = 2e-6): void {
  const before = tf.memory().numTensors;
  for (const step of STEPS) {
    const e = f(step);
    for (const intStep of [true, false]) {
      const a = at(s, step, intStep);
      if (!(Math.abs(a - e) <= Math.max(rel * Math.abs(e), 1e-9))) throw new Error(`step ${step}: got ${a}, expected ${e}`);
    }
  }
  expect(tf.memory().numTensors).toBe(before);
  // config round trip, through serialize/deserialize too
  const config = s.getConfig();
  const cls = s.constructor as typeof LearningRateSchedule;
  expect(cls.fromConfig(config).getConfig()).toEqual(config);
  const ser = schedules.serialize(s);
  expect(ser).toEqual({ module: "keras.optimizers.schedules", class_name: cls.name, config, registered_name: null });
  const back = schedules.deserialize(ser);
  expect(back).toBeInstanceOf(cls);
  expect(at(back, 7)).toBe(at(s, 7));
}

describe("schedules", () => {
  it("ExponentialDecay", () => {
    check(new ExponentialDecay(0.1, 10, 0.5), (s) => 0.1 * 0.5 ** (s / 10));
    check(new ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5, staircase: true }), (s) => 0.1 * 0.5 ** Math.floor(s / 10));
    expect(new ExponentialDecay(0.1, 10, 0.5).getConfig()).toEqual({
      initial_learning_rate: 0.1,
      decay_steps: 10,
      decay_rate: 0.5,
      staircase: false,
      name: "ExponentialDecay",
    });
    expect(() => new ExponentialDecay(0.1, 0, 0.5)).toThrow("Argument `decay_steps` must be > 0. Received: decay_steps=0");
  });

  it("InverseTimeDecay", () => {
    check(new InverseTimeDecay(0.1, 5, 0.5), (s) => 0.1 / (1 + 0.5 * (s / 5)));
    check(new InverseTimeDecay(0.1, 5, 0.5, { staircase: true }), (s) => 0.1 / (1 + 0.5 * Math.floor(s / 5)));
  });

  it("PolynomialDecay (with and without cycle)", () => {
    check(new PolynomialDecay(0.1, 20, { endLearningRate: 0.01, power: 2 }), (s) => {
      const p = Math.min(s, 20) / 20;
      return (0.1 - 0.01) * (1 - p) ** 2 + 0.01;
    });
    check(new PolynomialDecay(0.1, 20, { power: 0.5, cycle: true }), (s) => {
      const ds = 20 * (s === 0 ? 1 : Math.ceil(s / 20));
      return (0.1 - 0.0001) * (1 - s / ds) ** 0.5 + 0.0001;
    });
    expect(new PolynomialDecay(0.1, 20).getConfig()).toEqual({
      initial_learning_rate: 0.1,
      decay_steps: 20,
      end_learning_rate: 0.0001,
      power: 1.0,
      cycle: false,
      name: "PolynomialDecay",
    });
  });

  it("PiecewiseConstantDecay", () => {
    check(new PiecewiseConstantDecay([10, 20], [1.0, 0.5, 0.1]), (s) => (s <= 10 ? 1.0 : s <= 20 ? 0.5 : 0.1));
    check(new PiecewiseConstantDecay({ boundaries: [5], values: [0.3, 0.2] }), (s) => (s <= 5 ? 0.3 : 0.2));
    expect(new PiecewiseConstantDecay([10], [1, 2]).getConfig()).toEqual({ boundaries: [10], values: [1, 2], name: "PiecewiseConstant" });
    expect(() => new PiecewiseConstantDecay([10, 20], [1, 2])).toThrow(/The length of boundaries should be 1 less than the length of values/);
  });

  it("CosineDecay (with alpha, with warmup)", () => {
    const cos = (s: number, ds: number, lr: number, alpha: number): number =>
      lr * ((1 - alpha) * 0.5 * (1 + Math.cos(Math.PI * (Math.min(s, ds) / ds))) + alpha);
    check(new CosineDecay(0.1, 50, { alpha: 0.1 }), (s) => cos(s, 50, 0.1, 0.1));
    check(new CosineDecay(0.0, 40, { warmupTarget: 0.2, warmupSteps: 10 }), (s) => {
      const g = Math.min(s, 50);
      if (g < 10) return 0.2 * (g / 10);
      return cos(g - 10, 40, 0.2, 0);
    });
    expect(new CosineDecay(0.1, 50).getConfig()).toEqual({
      initial_learning_rate: 0.1,
      decay_steps: 50,
      alpha: 0.0,
      name: "CosineDecay",
      warmup_target: null,
      warmup_steps: 0,
    });
  });

  it("CosineDecayRestarts (geometric and t_mul = 1)", () => {
    const ref = (s: number, first: number, tMul: number, mMul: number, alpha: number, lr: number): number => {
      let cf = s / first;
      let i: number;
      if (tMul === 1) {
        i = Math.floor(cf);
        cf -= i;
      } else {
        i = Math.floor(Math.log(1 - cf * (1 - tMul)) / Math.log(tMul));
        const sumR = (1 - tMul ** i) / (1 - tMul);
        cf = (cf - sumR) / tMul ** i;
      }
      const c = 0.5 * mMul ** i * (1 + Math.cos(Math.PI * cf));
      return lr * ((1 - alpha) * c + alpha);
    };
    check(new CosineDecayRestarts(0.1, 10, { tMul: 2, mMul: 0.5, alpha: 0.05 }), (s) => ref(s, 10, 2, 0.5, 0.05, 0.1), 2e-5);
    check(new CosineDecayRestarts(0.1, 7, { tMul: 1, mMul: 0.9 }), (s) => ref(s, 7, 1, 0.9, 0, 0.1), 2e-5);
    expect(new CosineDecayRestarts(0.1, 10).getConfig()).toEqual({
      initial_learning_rate: 0.1,
      first_decay_steps: 10,
      t_mul: 2.0,
      m_mul: 1.0,
      alpha: 0.0,
      name: "SGDRDecay",
    });
  });

  it("deserializes custom registered schedules and rejects unknown ones", () => {
    class Halving extends LearningRateSchedule {
      override call(step: TensorLike): tf.Tensor {
        return tf.tidy(() => tf.div(0.1, tf.pow(2, tf.cast(step as tf.Tensor, "float32"))));
      }
      override getConfig(): Record<string, unknown> {
        return {};
      }
    }
    registerKerasSerializable({ package: "Test" })(Halving);
    const s = schedules.serialize(new Halving());
    expect(s).toEqual({ module: null, class_name: "Halving", config: {}, registered_name: "Test>Halving" });
    expect(schedules.deserialize(s)).toBeInstanceOf(Halving);
    expect(() => schedules.deserialize({ class_name: "Nope", config: {} })).toThrow(/Could not interpret decay identifier: Nope/);
  });
});
