import { describe, expect, it } from "vitest";
import { tf } from "../../lib/backend/tfjs.js";
import * as layers from "../../lib/layers/index.js";
import { Dense as DenseClass } from "../../lib/layers/core/dense.js";
import { getBuiltin } from "../../lib/saving/object-registration.js";
import { expectClose } from "./helpers.js";

describe("keras.layers barrel", () => {
  it("classes work with and without new, and can be subclassed", () => {
    const a = layers.Dense(4);
    const b = new layers.Dense(4, { activation: "relu" });
    expect(a).toBeInstanceOf(DenseClass);
    expect(b).toBeInstanceOf(layers.Dense);
    class Doubled extends layers.Dense {
      override call(inputs: unknown): tf.Tensor {
        return tf.mul(super.call(inputs), 2);
      }
    }
    const d = new Doubled(1, { kernelInitializer: "ones" });
    const y = d.apply([[1, 2]]);
    expectClose(y, [6]);
    const t: layers.Dense = d;
    expect(t.units).toBe(1);
    y.dispose();
  });

  it("exports every layer and registers it for deserialization", () => {
    const names = [
      "Activation", "Add", "Average", "BatchNormalization", "Concatenate", "Dense", "Dot", "Dropout", "ELU",
      "EinsumDense", "Embedding", "Flatten", "Identity", "InputLayer", "Lambda", "LayerNormalization", "LeakyReLU",
      "Maximum", "Minimum", "Multiply", "PReLU", "Permute", "ReLU", "RepeatVector", "Reshape", "Softmax", "Subtract",
    ];
    for (const n of names) {
      expect(typeof (layers as Record<string, unknown>)[n]).toBe("function");
      expect(getBuiltin(n, "keras.layers")?.module).toBe("keras.layers");
    }
    expect(typeof layers.Input).toBe("function");
    expect(typeof layers.InputSpec).toBe("function");
    expect(typeof layers.add).toBe("function");
  });

  it("a small functional chain", () => {
    const inp = layers.Input({ shape: [4] });
    const h = layers.Dense(8, { activation: "relu" })(inp);
    const h2 = layers.Dropout(0.5)(h);
    const out = layers.Concatenate()([h2, layers.Dense(2)(inp)]);
    expect(out.shape).toEqual([null, 10]);
  });
});
