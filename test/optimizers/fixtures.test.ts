/**
 * Three optimizer steps against Python Keras 3 (../shared/fixtures/keras/optimizers.json):
 * the variables and every optimizer variable (path, dtype, value, in order) after each step.
 */
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { tf } from "../../lib/backend/tfjs.js";
import "../../lib/ops/convert.js";
import { Variable } from "../../lib/backend/variable.js";
import * as optimizers from "../../lib/optimizers/index.js";
import { Optimizer } from "../../lib/optimizers/index.js";

interface FixtureTensor {
  shape: number[];
  dtype: string;
  data: number[];
}
interface FixtureOptVar extends FixtureTensor {
  path: string;
}
interface Case {
  class: string;
  config: Record<string, unknown>;
  after_step: { weights: Record<string, FixtureTensor>; optimizer_variables: FixtureOptVar[] }[];
}
interface Fixture {
  initial_weights: Record<string, FixtureTensor>;
  grads: Record<string, FixtureTensor>[];
  cases: Record<string, Case>;
}

const here = dirname(fileURLToPath(import.meta.url));
const FIXTURE = join(here, "..", "..", "..", "shared", "fixtures", "keras", "optimizers.json");
const fx = JSON.parse(readFileSync(FIXTURE, "utf8")) as Fixture;

const REL = 1e-6;
const ABS = 1e-9;

function expectClose(actual: ArrayLike<number>, expected: number[], what: string): void {
  expect(actual.length, what).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i];
    const e = expected[i];
    const tol = Math.max(REL * Math.abs(e), ABS);
    if (!(Math.abs(a - e) <= tol)) {
      throw new Error(`${what}[${i}]: got ${a}, expected ${e} (diff ${Math.abs(a - e)}, tol ${tol})`);
    }
  }
}

function tensorOf(t: FixtureTensor): tf.Tensor {
  return tf.tensor(t.data, t.shape, t.dtype === "int32" ? "int32" : "float32");
}

function makeVariables(): Variable[] {
  return ["kernel", "bias"].map((name) => {
    const init = tensorOf(fx.initial_weights[name]);
    const v = new Variable(init, { name });
    init.dispose();
    return v;
  });
}

function runCase(opt: Optimizer, c: Case, label: string): void {
  const vars = makeVariables();
  for (let step = 0; step < 3; step++) {
    const grads = ["kernel", "bias"].map((n) => tensorOf(fx.grads[step][n]));
    if (step === 1) opt.applyGradients(grads.map((g, i) => [g, vars[i]] as const));
    else opt.apply(grads, step === 0 ? vars : undefined);
    tf.dispose(grads);
    const expected = c.after_step[step];
    vars.forEach((v) => expectClose(v.value.dataSync(), expected.weights[v.name].data, `${label} step ${step + 1} ${v.name}`));
    const ov = opt.variables;
    expect(ov.map((v) => v.path), `${label} step ${step + 1} paths`).toEqual(expected.optimizer_variables.map((v) => v.path));
    ov.forEach((v, i) => {
      const e = expected.optimizer_variables[i];
      expect(v.dtype, `${label} ${v.path} dtype`).toBe(e.dtype);
      expect(v.shape, `${label} ${v.path} shape`).toEqual(e.shape);
      expectClose(v.value.dataSync(), e.data, `${label} step ${step + 1} ${v.path}`);
    });
  }
  vars.forEach((v) => v.dispose());
}

const CLASSES: Record<string, typeof Optimizer> = {
  SGD: optimizers.SGD,
  Adam: optimizers.Adam,
  AdamW: optimizers.AdamW,
  RMSprop: optimizers.RMSprop,
  Adagrad: optimizers.Adagrad,
};

describe("optimizers.json fixtures (3 steps, 1e-6 relative)", () => {
  const names = Object.keys(fx.cases);
  it("covers the ten cases", () => {
    expect(names.sort()).toEqual(
      [
        "adagrad",
        "adam",
        "adam_amsgrad",
        "adamw",
        "rmsprop",
        "rmsprop_momentum_centered",
        "sgd",
        "sgd_clipnorm",
        "sgd_momentum",
        "sgd_nesterov",
      ].sort(),
    );
  });

  for (const name of names) {
    const c = fx.cases[name];
    describe(name, () => {
      it("fromConfig(fixture config) reproduces Keras step by step", () => {
        const cls = CLASSES[c.class];
        expect(cls, c.class).toBeDefined();
        const opt = cls.fromConfig(c.config);
        expect(opt).toBeInstanceOf(cls);
        expect(opt.constructor.name).toBe(c.class);
        runCase(opt, c, name);
        opt.dispose();
      });

      it("getConfig() has exactly Keras's keys and values", () => {
        const opt = CLASSES[c.class].fromConfig(c.config);
        expect(opt.getConfig()).toEqual(c.config);
        expect(Object.keys(opt.getConfig())).toEqual(Object.keys(c.config));
        opt.dispose();
      });

      it("deserialize({class_name, config}) reproduces it too", () => {
        const opt = optimizers.deserialize({ module: "keras.optimizers", class_name: c.class, config: c.config, registered_name: null });
        runCase(opt, c, `${name} (deserialize)`);
        const s = optimizers.serialize(opt);
        expect(s).toEqual({ module: "keras.optimizers", class_name: c.class, config: c.config, registered_name: null });
        opt.dispose();
      });
    });
  }
});
