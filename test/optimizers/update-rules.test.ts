/**
 * The optimizers without Keras fixtures, against their Keras update rules
 * computed here in double precision (keras/src/optimizers/*.py), over two or
 * three steps so the step-dependent terms are exercised; plus slot names and order.
 */
import { describe, expect, it, beforeEach } from "vitest";
import { resetUids } from "../../lib/utils/naming.js";
import {
  Adadelta,
  Adafactor,
  Adamax,
  Ftrl,
  Lamb,
  Lion,
  Nadam,
  type Optimizer,
} from "../../lib/optimizers/index.js";
import { BIAS0, GRADS, KERNEL0, applyStep, expectClose, makeVars, values } from "./helpers.js";

type Rule = (w: number[], g: number[], state: Record<string, number[]>, t: number, shape: number[]) => void;

/** Runs `rule` per variable in double precision for `steps` steps; returns [kernel, bias]. */
function reference(steps: number, init: (n: number, shape: number[]) => Record<string, number[]>, rule: Rule, shared?: (t: number) => void): number[][] {
  const w = [[...KERNEL0], [...BIAS0]];
  const shapes = [[3, 2], [2]];
  const states = w.map((x, i) => init(x.length, shapes[i]));
  for (let t = 1; t <= steps; t++) {
    shared?.(t);
    rule(w[0], GRADS[t - 1].kernel, states[0], t, shapes[0]);
    rule(w[1], GRADS[t - 1].bias, states[1], t, shapes[1]);
  }
  return w;
}

const zeros = (n: number): number[] => new Array<number>(n).fill(0);

function run(opt: Optimizer, steps: number): number[][] {
  const vars = makeVars();
  for (let s = 0; s < steps; s++) applyStep(opt, vars, s);
  const out = vars.map(values);
  vars.forEach((v) => v.dispose());
  return out;
}

function paths(opt: Optimizer): string[] {
  return opt.variables.map((v) => v.path);
}

beforeEach(() => resetUids());

describe("update rules (double-precision reference)", () => {
  it("Adamax", () => {
    const lr = 0.01, b1 = 0.9, b2 = 0.999, eps = 1e-7;
    const ref = reference(3, (n) => ({ m: zeros(n), u: zeros(n) }), (w, g, s, t) => {
      for (let i = 0; i < w.length; i++) {
        s.m[i] += (g[i] - s.m[i]) * (1 - b1);
        s.u[i] = Math.max(b2 * s.u[i], Math.abs(g[i]));
        w[i] -= (lr * s.m[i]) / ((1 - b1 ** t) * (s.u[i] + eps));
      }
    });
    const opt = new Adamax({ learningRate: lr });
    const got = run(opt, 3);
    expectClose(got[0], ref[0], 1e-5, 1e-7, "kernel");
    expectClose(got[1], ref[1], 1e-5, 1e-7, "bias");
    expect(paths(opt)).toEqual([
      "adamax/iteration",
      "adamax/learning_rate",
      "adamax/kernel_momentum",
      "adamax/kernel_norm",
      "adamax/bias_momentum",
      "adamax/bias_norm",
    ]);
    opt.dispose();
  });

  it("Adadelta", () => {
    const lr = 1.0, rho = 0.95, eps = 1e-7;
    const ref = reference(3, (n) => ({ ag: zeros(n), ad: zeros(n) }), (w, g, s) => {
      for (let i = 0; i < w.length; i++) {
        s.ag[i] = rho * s.ag[i] + (1 - rho) * g[i] * g[i];
        const d = -(Math.sqrt(s.ad[i] + eps) * g[i]) / Math.sqrt(s.ag[i] + eps);
        s.ad[i] = rho * s.ad[i] + (1 - rho) * d * d;
        w[i] += lr * d;
      }
    });
    const opt = new Adadelta(lr);
    const got = run(opt, 3);
    expectClose(got[0], ref[0], 1e-5, 1e-7, "kernel");
    expectClose(got[1], ref[1], 1e-5, 1e-7, "bias");
    expect(paths(opt)).toEqual([
      "adadelta/iteration",
      "adadelta/learning_rate",
      "adadelta/kernel_accumulated_grad",
      "adadelta/kernel_accumulated_delta_var",
      "adadelta/bias_accumulated_grad",
      "adadelta/bias_accumulated_delta_var",
    ]);
    opt.dispose();
  });

  it("Nadam (with its u_product variable)", () => {
    const lr = 0.01, b1 = 0.9, b2 = 0.999, eps = 1e-7;
    let uProduct = 1;
    const ref = reference(
      3,
      (n) => ({ m: zeros(n), v: zeros(n) }),
      (w, g, s, t) => {
        const uT = b1 * (1 - 0.5 * 0.96 ** t);
        const uT1 = b1 * (1 - 0.5 * 0.96 ** (t + 1));
        const upT1 = uProduct * uT1;
        for (let i = 0; i < w.length; i++) {
          s.m[i] += (g[i] - s.m[i]) * (1 - b1);
          s.v[i] += (g[i] * g[i] - s.v[i]) * (1 - b2);
          const mHat = (uT1 * s.m[i]) / (1 - upT1) + ((1 - uT) * g[i]) / (1 - uProduct);
          const vHat = s.v[i] / (1 - b2 ** t);
          w[i] -= (mHat * lr) / (Math.sqrt(vHat) + eps);
        }
      },
      (t) => {
        uProduct *= b1 * (1 - 0.5 * 0.96 ** t);
      },
    );
    const opt = new Nadam({ learningRate: lr });
    const got = run(opt, 3);
    expectClose(got[0], ref[0], 1e-5, 1e-7, "kernel");
    expectClose(got[1], ref[1], 1e-5, 1e-7, "bias");
    expect(paths(opt)).toEqual([
      "nadam/iteration",
      "nadam/learning_rate",
      "nadam/kernel_momentum",
      "nadam/kernel_velocity",
      "nadam/bias_momentum",
      "nadam/bias_velocity",
      "nadam/variable",
    ]);
    expectClose(values(opt.variables[6]), [uProduct], 1e-6, 0, "u_product");
    opt.dispose();
  });

  it("Ftrl (with l1, l2, shrinkage and beta)", () => {
    const lr = 0.1, p = -0.5, l1 = 0.01, l2 = 0.02, l2s = 0.03, beta = 0.5;
    const ref = reference(3, (n) => ({ acc: new Array<number>(n).fill(0.1), lin: zeros(n) }), (w, g, s) => {
      const l2Reg = l2 + beta / (2 * lr);
      for (let i = 0; i < w.length; i++) {
        const gu = g[i] + 2 * l2s * w[i];
        const na = s.acc[i] + g[i] * g[i];
        s.lin[i] += gu - ((na ** -p - s.acc[i] ** -p) / lr) * w[i];
        const quad = na ** -p / lr + 2 * l2Reg;
        const clipped = Math.min(Math.max(s.lin[i], -l1), l1);
        w[i] = (clipped - s.lin[i]) / quad;
        s.acc[i] = na;
      }
    });
    const opt = new Ftrl({
      learningRate: lr,
      l1RegularizationStrength: l1,
      l2RegularizationStrength: l2,
      l2ShrinkageRegularizationStrength: l2s,
      beta,
    });
    const got = run(opt, 3);
    expectClose(got[0], ref[0], 1e-5, 1e-6, "kernel");
    expectClose(got[1], ref[1], 1e-5, 1e-6, "bias");
    expect(paths(opt)).toEqual([
      "ftrl/iteration",
      "ftrl/learning_rate",
      "ftrl/kernel_accumulator",
      "ftrl/kernel_linear",
      "ftrl/bias_accumulator",
      "ftrl/bias_linear",
    ]);
    expectClose(values(opt.variables[2]).slice(0, 1), [0.1 + GRADS.reduce((a, g) => a + g.kernel[0] ** 2, 0)], 1e-6, 0, "acc");
    opt.dispose();
  });

  it("Lion", () => {
    const lr = 0.01, b1 = 0.9, b2 = 0.99;
    const ref = reference(3, (n) => ({ m: zeros(n) }), (w, g, s) => {
      for (let i = 0; i < w.length; i++) {
        w[i] -= lr * Math.sign(s.m[i] * b1 + g[i] * (1 - b1));
        s.m[i] = s.m[i] * b2 + g[i] * (1 - b2);
      }
    });
    const opt = new Lion(lr);
    const got = run(opt, 3);
    expectClose(got[0], ref[0], 1e-6, 1e-7, "kernel");
    expectClose(got[1], ref[1], 1e-6, 1e-7, "bias");
    expect(paths(opt)).toEqual(["lion/iteration", "lion/learning_rate", "lion/kernel_momentum", "lion/bias_momentum"]);
    expect(() => new Lion({ beta1: 0 })).toThrow(/beta_1/);
    opt.dispose();
  });

  it("Lamb (per-variable trust ratio)", () => {
    const lr = 0.01, b1 = 0.9, b2 = 0.999, eps = 1e-7;
    const ref = reference(3, (n) => ({ m: zeros(n), v: zeros(n) }), (w, g, s, t) => {
      const upd: number[] = [];
      for (let i = 0; i < w.length; i++) {
        s.m[i] += (g[i] - s.m[i]) * (1 - b1);
        s.v[i] += (g[i] * g[i] - s.v[i]) * (1 - b2);
        upd.push(s.m[i] / (1 - b1 ** t) / (Math.sqrt(s.v[i] / (1 - b2 ** t)) + eps));
      }
      const wn = Math.sqrt(w.reduce((a, x) => a + x * x, 0));
      const gn = Math.sqrt(upd.reduce((a, x) => a + x * x, 0));
      const ratio = wn > 0 && gn > 0 ? wn / gn : 1;
      for (let i = 0; i < w.length; i++) w[i] -= ratio * lr * upd[i];
    });
    const opt = new Lamb(lr);
    const got = run(opt, 3);
    expectClose(got[0], ref[0], 1e-5, 1e-7, "kernel");
    expectClose(got[1], ref[1], 1e-5, 1e-7, "bias");
    expect(paths(opt)).toEqual([
      "lamb/iteration",
      "lamb/learning_rate",
      "lamb/kernel_momentum",
      "lamb/kernel_velocity",
      "lamb/bias_momentum",
      "lamb/bias_velocity",
    ]);
    opt.dispose();
  });

  it("Adafactor (factored kernel, unfactored bias)", () => {
    const lr = 0.01, decay = -0.8, e1 = 1e-30, e2 = 1e-3, clip = 1.0;
    const rms = (x: number[]): number => Math.sqrt(x.reduce((a, v) => a + v * v, 0) / x.length);
    const ref = reference(
      3,
      (n, shape): Record<string, number[]> => (shape.length >= 2 ? { r: zeros(shape[0]), c: zeros(shape[1]), v: zeros(n) } : { v: zeros(n) }),
      (w, g, s, t, shape) => {
        const rhoT = Math.min(Math.min(lr, 1 / Math.sqrt(t)), 1 / Math.sqrt(t));
        const alphaT = Math.max(e2, rms(w)) * rhoT;
        const reg = g.map((x) => x * x + e1);
        const beta = 1 - t ** decay;
        if (shape.length >= 2) {
          const [R, C] = shape;
          for (let i = 0; i < R; i++) {
            let m = 0;
            for (let j = 0; j < C; j++) m += reg[i * C + j];
            s.r[i] = beta * s.r[i] + (1 - beta) * (m / C);
          }
          for (let j = 0; j < C; j++) {
            let m = 0;
            for (let i = 0; i < R; i++) m += reg[i * C + j];
            s.c[j] = beta * s.c[j] + (1 - beta) * (m / R);
          }
          const rMean = s.r.reduce((a, x) => a + x, 0) / R;
          for (let i = 0; i < R; i++) for (let j = 0; j < C; j++) s.v[i * C + j] = (s.r[i] / rMean) * s.c[j];
        } else {
          for (let i = 0; i < w.length; i++) s.v[i] = beta * s.v[i] + (1 - beta) * reg[i];
        }
        const u = g.map((x, i) => x / Math.sqrt(s.v[i]));
        const denom = Math.max(1, rms(u) / clip);
        for (let i = 0; i < w.length; i++) w[i] -= alphaT * (u[i] / denom);
      },
    );
    const opt = new Adafactor(lr);
    const got = run(opt, 3);
    expectClose(got[0], ref[0], 1e-5, 1e-7, "kernel");
    expectClose(got[1], ref[1], 1e-5, 1e-7, "bias");
    expect(paths(opt)).toEqual([
      "adafactor/iteration",
      "adafactor/learning_rate",
      "adafactor/variable",
      "adafactor/variable_1",
      "adafactor/kernel_velocity",
      "adafactor/bias",
      "adafactor/bias",
      "adafactor/bias_velocity",
    ]);
    expect(opt.variables.map((v) => v.shape)).toEqual([[], [], [3], [2], [3, 2], [], [], [2]]);
    expect(opt.variables[5].dtype).toBe("int32");
    opt.dispose();
  });
});

describe("getConfig keys (Keras's)", () => {
  const base = [
    "name",
    "learning_rate",
    "weight_decay",
    "clipnorm",
    "global_clipnorm",
    "clipvalue",
    "use_ema",
    "ema_momentum",
    "ema_overwrite_frequency",
    "loss_scale_factor",
    "gradient_accumulation_steps",
  ];
  it.each([
    ["Adamax", () => new Adamax(), ["beta_1", "beta_2", "epsilon"]],
    ["Adadelta", () => new Adadelta(), ["rho", "epsilon"]],
    ["Nadam", () => new Nadam(), ["beta_1", "beta_2", "epsilon"]],
    ["Lion", () => new Lion(), ["beta_1", "beta_2"]],
    ["Lamb", () => new Lamb(), ["beta_1", "beta_2", "epsilon"]],
    ["Adafactor", () => new Adafactor(), ["beta_2_decay", "epsilon_1", "epsilon_2", "clip_threshold", "relative_step"]],
    [
      "Ftrl",
      () => new Ftrl(),
      [
        "learning_rate_power",
        "initial_accumulator_value",
        "l1_regularization_strength",
        "l2_regularization_strength",
        "l2_shrinkage_regularization_strength",
        "beta",
      ],
    ],
  ] as [string, () => Optimizer, string[]][])("%s", (_name, make, extra) => {
    const opt = make();
    const config = opt.getConfig();
    expect(Object.keys(config)).toEqual([...base, ...extra]);
    const again = (opt.constructor as typeof Optimizer).fromConfig({ ...config, name: "again" });
    expect(again.getConfig()).toEqual({ ...config, name: "again" });
    opt.dispose();
    again.dispose();
  });

  it("defaults as Keras", () => {
    const a = new Adafactor();
    expect(a.getConfig()).toMatchObject({ beta_2_decay: -0.8, epsilon_1: 1e-30, epsilon_2: 1e-3, clip_threshold: 1.0, relative_step: true });
    const f = new Ftrl();
    expect(f.getConfig()).toMatchObject({ learning_rate_power: -0.5, initial_accumulator_value: 0.1, beta: 0 });
    const l = new Lion();
    expect(l.getConfig()).toMatchObject({ beta_1: 0.9, beta_2: 0.99 });
    expect(new Adadelta().getConfig()).toMatchObject({ rho: 0.95, epsilon: 1e-7 });
    expect(Math.fround(0.001)).toBe(a.getConfig().learning_rate);
    [a, f, l].forEach((o) => o.dispose());
  });
});
