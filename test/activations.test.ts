import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { tf, type Tensor } from "../lib/backend/tfjs.js";
import * as activations from "../lib/activations/index.js";
import { registerKerasSerializable } from "../lib/saving/object-registration.js";

interface JsonTensor {
  shape: number[];
  dtype: string;
  data: number[];
}
interface ActivationFixture {
  x: JsonTensor;
  x2d: JsonTensor;
  elementwise: Record<string, JsonTensor>;
  softmax: Record<string, JsonTensor>;
}

const fixture = JSON.parse(
  readFileSync(join(__dirname, "..", "..", "shared", "fixtures", "keras", "activations.json"), "utf8"),
) as ActivationFixture;

const toT = (j: JsonTensor): Tensor => tf.tensor(j.data, j.shape, "float32");

function expectClose(actual: Tensor, expected: JsonTensor, tol = 1e-6): void {
  expect(actual.shape).toEqual(expected.shape);
  const got = actual.dataSync();
  expected.data.forEach((v, i) => {
    if (!(Math.abs(got[i] - v) <= tol)) throw new Error(`index ${i}: got ${got[i]}, expected ${v}`);
  });
}

describe("keras.activations against Keras's outputs", () => {
  const x = toT(fixture.x);
  for (const name of Object.keys(fixture.elementwise)) {
    it(`elementwise ${name}`, () => {
      const fn =
        name === "gelu_approximate" ? (t: Tensor) => activations.gelu(t, { approximate: true }) : activations.get(name);
      expectClose(fn(x), fixture.elementwise[name]);
    });
  }
  it("softmax cases", () => {
    const x2d = toT(fixture.x2d);
    expectClose(activations.softmax(x2d), fixture.softmax["softmax_axis_-1"]);
    expectClose(activations.softmax(x2d, 0), fixture.softmax["softmax_axis_0"]);
    expectClose(activations.softmax(x2d, { axis: 0 }), fixture.softmax["softmax_axis_0"]);
    expectClose(activations.logSoftmax(x2d), fixture.softmax["log_softmax_axis_-1"]);
    expectClose(activations.get("softmax")(x), fixture.softmax["softmax_1d_x"]);
  });
  it("covers every fixture case", () => {
    expect(Object.keys(fixture.elementwise).length).toBe(17);
  });
});

describe("relu options", () => {
  const x = tf.tensor([-10, -5, 0, 5, 10]);
  it("matches Keras's docstring examples", () => {
    expect(Array.from(activations.relu(x).dataSync())).toEqual([0, 0, 0, 5, 10]);
    expect(Array.from(activations.relu(x, { negativeSlope: 0.5 }).dataSync())).toEqual([-5, -2.5, 0, 5, 10]);
    expect(Array.from(activations.relu(x, { maxValue: 5 }).dataSync())).toEqual([0, 0, 0, 5, 5]);
    expect(Array.from(activations.relu(x, { threshold: 5 }).dataSync())).toEqual([0, 0, 0, 0, 10]);
    // threshold with negative slope: x - slope * relu(threshold - x) where x <= threshold
    expect(Array.from(activations.relu(x, { threshold: 5, negativeSlope: 0.1 }).dataSync())).toEqual(
      [-1.5, -1, -0.5, 0, 10].map((v) => Math.fround(v)),
    );
    expect(Array.from(activations.relu(x, { maxValue: 6, negativeSlope: 0.1 }).dataSync())).toEqual(
      [-1, -0.5, 0, 5, 6].map((v) => Math.fround(v)),
    );
  });
  it("leakyRelu defaults to 0.2, elu to alpha 1", () => {
    expect(Array.from(activations.leakyRelu(tf.tensor([-1])).dataSync())[0]).toBeCloseTo(-0.2, 6);
    expect(Array.from(activations.leakyRelu(tf.tensor([-1]), 0.5).dataSync())[0]).toBeCloseTo(-0.5, 6);
    expect(Array.from(activations.elu(tf.tensor([-1]), { alpha: 2 }).dataSync())[0]).toBeCloseTo(2 * Math.expm1(-1), 6);
    expect(Array.from(activations.threshold(tf.tensor([1, 3]), 2, 0).dataSync())).toEqual([0, 3]);
  });
});

describe("get / serialize / deserialize", () => {
  it("get resolves names, functions, null and serialized configs", () => {
    const x = tf.tensor([-1, 2]);
    expect(Array.from(activations.get("relu")(x).dataSync())).toEqual([0, 2]);
    expect(activations.get(null)).toBe(activations.linear);
    expect(activations.get(undefined)(x)).toBe(x);
    const mine = (t: Tensor): Tensor => tf.mul(t, 3);
    expect(activations.get(mine)).toBe(mine);
    expect(activations.get("swish")).toBe(activations.get("silu"));
    expect(activations.get("hard_swish")).toBe(activations.get("hard_silu"));
    const fromConfig = activations.get({ module: "keras.activations", class_name: "function", config: "sigmoid", registered_name: "sigmoid" });
    expect(fromConfig(tf.tensor([0])).dataSync()[0]).toBeCloseTo(0.5, 7);
  });
  it("an unknown name throws an Error listing every valid name", () => {
    let message = "";
    try {
      activations.get("rellu");
    } catch (e) {
      expect(e).toBeInstanceOf(Error);
      message = (e as Error).message;
    }
    expect(message).toContain("rellu");
    for (const name of activations.ACTIVATION_NAMES) expect(message).toContain(name);
    expect(activations.ACTIVATION_NAMES).toContain("relu");
    expect(activations.ACTIVATION_NAMES).toContain("mish");
    expect(activations.ACTIVATION_NAMES.length).toBe(32);
    expect(() => activations.deserialize("nope")).toThrow(/Expected one of: .*celu/);
  });
  it("serialize gives Keras names and round-trips through deserialize", () => {
    expect(activations.serialize(activations.relu)).toBe("relu");
    expect(activations.serialize(activations.hardSilu)).toBe("hard_silu");
    expect(activations.serialize(activations.swish)).toBe("silu");
    expect(activations.serialize(activations.logSoftmax)).toBe("log_softmax");
    for (const name of activations.ACTIVATION_NAMES) {
      const fn = activations.get(name);
      const s = activations.serialize(fn);
      const canonical = name === "swish" ? "silu" : name === "hard_swish" ? "hard_silu" : name;
      expect(s).toBe(canonical);
      expect(activations.deserialize(s as string)).toBe(activations.get(canonical));
    }
    expect(() => activations.serialize((t: Tensor) => t)).toThrow(/cannot be serialized/);
  });
  it("registered custom activations serialize and resolve", () => {
    function scaledTanh(t: Tensor): Tensor {
      return tf.mul(tf.tanh(t), 2);
    }
    registerKerasSerializable({ package: "test_pkg" })(scaledTanh);
    const s = activations.serialize(scaledTanh);
    expect(s).toMatchObject({ class_name: "function", config: "test_pkg>scaledTanh" });
    expect(activations.get("test_pkg>scaledTanh")).toBe(scaledTanh);
    expect(activations.deserialize(s)).toBe(scaledTanh);
  });
  it("does not leak tensors", () => {
    const x = tf.tensor([-1, 0.5, 2]);
    const before = tf.memory().numTensors;
    const outs = activations.ACTIVATION_NAMES.filter((n) => n !== "threshold" && n !== "glu" && n !== "linear").map((n) => activations.get(n)(x));
    expect(tf.memory().numTensors - before).toBe(outs.length);
    outs.forEach((o) => o.dispose());
    expect(tf.memory().numTensors).toBe(before);
  });
});
