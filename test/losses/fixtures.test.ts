/** keras.losses against the numbers Python Keras 3 computed (../shared/fixtures/keras/losses.json). */
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { tf, type Tensor } from "../../lib/backend/tfjs.js";
import "../../lib/ops/convert.js";
import * as losses from "../../lib/losses/index.js";
import { Loss } from "../../lib/losses/index.js";

interface JsonTensor {
  shape: number[];
  dtype: string;
  data: number[];
}
interface Case {
  class: string;
  config: Record<string, unknown>;
  y_true: JsonTensor;
  y_pred: JsonTensor;
  value: number;
  per_sample: JsonTensor;
}

const FIXTURE = join(__dirname, "..", "..", "..", "shared", "fixtures", "keras", "losses.json");
const cases = (JSON.parse(readFileSync(FIXTURE, "utf8")) as { cases: Record<string, Case> }).cases;

function toTensor(t: JsonTensor): Tensor {
  return tf.tensor(t.data, t.shape, t.dtype === "int32" ? "int32" : "float32");
}

function build(c: Case): Loss {
  const cls = losses.ALL_OBJECTS[c.class] as unknown as { fromConfig(cfg: Record<string, unknown>): Loss };
  return cls.fromConfig(c.config);
}

const TOL = 1e-6;

describe("losses.json fixtures", () => {
  it("covers every fixture case", () => {
    expect(Object.keys(cases).length).toBe(16);
  });

  for (const [name, c] of Object.entries(cases)) {
    describe(name, () => {
      it("value (reduced) equals Keras", () => {
        const loss = build(c);
        const yt = toTensor(c.y_true);
        const yp = toTensor(c.y_pred);
        const before = tf.memory().numTensors;
        const v = loss(yt, yp);
        expect(v.shape).toEqual([]);
        const got = v.dataSync()[0];
        expect(Math.abs(got - c.value), `${got} vs ${c.value}`).toBeLessThanOrEqual(TOL * Math.max(1, Math.abs(c.value)));
        v.dispose();
        expect(tf.memory().numTensors).toBe(before);
        tf.dispose([yt, yp]);
      });

      it("per_sample (call) equals Keras", () => {
        const loss = build(c);
        const yt = toTensor(c.y_true);
        const yp = toTensor(c.y_pred);
        const before = tf.memory().numTensors;
        const ps = loss.call(yt, yp);
        expect(ps.shape).toEqual(c.per_sample.shape);
        const got = Array.from(ps.dataSync());
        c.per_sample.data.forEach((e, i) => {
          expect(Math.abs(got[i] - e), `[${i}] ${got[i]} vs ${e}`).toBeLessThanOrEqual(TOL * Math.max(1, Math.abs(e)));
        });
        ps.dispose();
        expect(tf.memory().numTensors).toBe(before);
        tf.dispose([yt, yp]);
      });

      it("getConfig equals Keras's config and round-trips", () => {
        const loss = build(c);
        expect(loss.getConfig()).toEqual(c.config);
        expect(Object.keys(loss.getConfig())).toEqual(Object.keys(c.config));
        const ser = losses.serialize(loss);
        expect(ser).toEqual({ module: "keras.losses", class_name: c.class, config: c.config, registered_name: null });
        const again = losses.deserialize(ser) as Loss;
        expect(again.constructor.name).toBe(c.class);
        expect(again.getConfig()).toEqual(c.config);
      });

      it("the plain function gives the per-sample values", () => {
        const fnName = c.config.name === "huber_loss" ? "huber" : (c.config.name as string);
        const fn = losses.LOSS_FUNCTIONS[fnName];
        expect(fn).toBeDefined();
        const opts: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(c.config)) {
          if (k === "name" || k === "reduction") continue;
          opts[k.replace(/_([a-z])/g, (_, ch: string) => ch.toUpperCase())] = v;
        }
        const r = tf.tidy(() => fn(toTensor(c.y_true), toTensor(c.y_pred), opts));
        const got = Array.from(r.dataSync());
        c.per_sample.data.forEach((e, i) => expect(Math.abs(got[i] - e)).toBeLessThanOrEqual(TOL * Math.max(1, Math.abs(e))));
        r.dispose();
      });
    });
  }
});
