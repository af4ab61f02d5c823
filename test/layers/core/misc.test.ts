import { describe, expect, it } from "vitest";
import { tf, type Tensor } from "../../../lib/backend/tfjs.js";
import { KerasTensor } from "../../../lib/backend/keras-tensor.js";
import { Activation } from "../../../lib/layers/core/activation.js";
import { Identity } from "../../../lib/layers/core/identity.js";
import { Lambda } from "../../../lib/layers/core/lambda-layer.js";
import { registerKerasSerializable } from "../../../lib/saving/object-registration.js";
import { expectClose, expectNoLeaks, expectRoundTrip, inputGrad } from "../helpers.js";

describe("Activation", () => {
  it("applies by name or function; config; shapes; grads; leaks", () => {
    const layer = new Activation("relu");
    const x = tf.tensor1d([-3, 0, 2]);
    const y = layer.apply(x);
    expectClose(y, [0, 0, 2]);
    expect(layer.getConfig().activation).toBe("relu");
    expect(new Activation({ activation: "tanh" }).getConfig().activation).toBe("tanh");
    expect(new Activation(null).getConfig().activation).toBe("linear");
    expect(layer.computeOutputShape([null, 3])).toEqual([null, 3]);
    expect(layer.apply(new KerasTensor([null, 3])).shape).toEqual([null, 3]);
    const x2 = tf.tensor2d([[-1, 2]]);
    expectRoundTrip(new Activation("sigmoid"), x2);
    expect(inputGrad(layer, x2)).toEqual([0, 1]);
    expectNoLeaks(new Activation("softmax"), () => tf.ones([2, 3]));
    tf.dispose([x, y, x2]);
  });
});

describe("Identity", () => {
  it("returns its inputs; keeps dtype symbolically", () => {
    const layer = new Identity();
    const x = tf.tensor1d([1, 2]);
    expect(layer.apply(x)).toBe(x);
    const kt = layer.apply(new KerasTensor([null, 3], { dtype: "int32" }));
    expect(kt.shape).toEqual([null, 3]);
    expect(kt.dtype).toBe("int32");
    expect(layer.computeOutputShape([null, 3])).toEqual([null, 3]);
    const x2 = tf.tensor2d([[1, 2]]);
    const clone = Identity.fromConfig(layer.getConfig());
    expect(clone.getConfig()).toEqual(layer.getConfig());
    expect(inputGrad(layer, x2)).toEqual([1, 1]);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 20; i++) layer.apply(x2);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, x2]);
  });
});

describe("Lambda", () => {
  it("wraps a function; infers or takes the output shape", () => {
    const layer = new Lambda((x: Tensor) => tf.mul(x, 2));
    const x = tf.tensor2d([[1, 2, 3]]);
    const y = layer.apply(x);
    expectClose(y, [2, 4, 6]);
    expect(layer.apply(new KerasTensor([null, 3])).shape).toEqual([null, 3]);
    const sum = new Lambda((x: Tensor) => tf.sum(x, -1, true), { outputShape: [1] });
    expect(sum.computeOutputShape([null, 3])).toEqual([null, 1]);
    expect(sum.apply(new KerasTensor([4, 3])).shape).toEqual([4, 1]);
    const withArgs = new Lambda((x: Tensor, kw) => tf.mul(x, kw.factor as number), { arguments: { factor: 3 } });
    const y3 = withArgs.apply(x);
    expectClose(y3, [3, 6, 9]);
    expect(anyOf(inputGrad(layer, x))).toEqual([2]);
    expectNoLeaks(layer, () => tf.ones([2, 3]));
    tf.dispose([x, y, y3]);
  });

  it("stores source text, marked, and refuses to evaluate it on load", () => {
    const layer = new Lambda((x: Tensor) => tf.neg(x), { outputShape: [3] });
    const cfg = layer.getConfig();
    const fn = cfg.function as { class_name: string; config: { code: string; language: string } };
    expect(fn.class_name).toBe("__lambda__");
    expect(fn.config.language).toBe("javascript");
    expect(fn.config.code).toContain("tf.neg(x)");
    expect(cfg.output_shape).toEqual([3]);
    expect(cfg.arguments).toEqual({});
    expect(() => Lambda.fromConfig(cfg)).toThrow(/never evaluates code/);
  });

  it("round-trips a registered function", () => {
    const double = registerKerasSerializable({ package: "tests" })(function lambdaDouble(x: Tensor): Tensor {
      return tf.mul(x, 2);
    });
    const layer = new Lambda(double);
    const cfg = layer.getConfig();
    expect(cfg.function).toEqual({ module: null, class_name: "function", config: "tests>lambdaDouble", registered_name: "tests>lambdaDouble" });
    const x = tf.tensor2d([[1, 2]]);
    expectRoundTrip(layer, x);
    x.dispose();
  });
});

function anyOf(xs: number[]): number[] {
  return [...new Set(xs)];
}
