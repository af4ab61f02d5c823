import { afterEach, beforeEach, describe, expect, it } from "vitest";
import * as keras from "../../lib/index.js";
import { tf, type Tensor } from "../../lib/backend/tfjs.js";
import type { CallArgs } from "../../lib/layers/layer.js";

const { layers } = keras;

/** The `Linear` layer of Keras's subclassing guide. */
class Linear extends keras.Layer {
  units: number;
  w!: keras.Variable;
  b!: keras.Variable;
  constructor(units = 32, args: keras.LayerArgs = {}) {
    super(args);
    this.units = units;
  }
  override build(inputShape: (number | null)[]): void {
    this.w = this.addWeight({ shape: [inputShape[inputShape.length - 1] as number, this.units], initializer: "random_normal", name: "w" });
    this.b = this.addWeight({ shape: [this.units], initializer: "zeros", name: "b" });
  }
  override call(inputs: Tensor): Tensor {
    return keras.ops.add(keras.ops.matmul(inputs, this.w), this.b);
  }
  override computeOutputShape(inputShape: (number | null)[]): (number | null)[] {
    return [...inputShape.slice(0, -1), this.units];
  }
}

describe("Layer base", () => {
  beforeEach(() => keras.backend.clearSession());
  let baseline = 0;
  beforeEach(() => {
    baseline = tf.memory().numTensors;
  });
  afterEach(() => {
    // Every test disposes what it made.
    expect(tf.memory().numTensors).toBe(baseline);
  });

  it("builds lazily on the first call and is callable like a function", () => {
    const lin = new Linear(4);
    expect(lin.built).toBe(false);
    expect(lin.weights).toHaveLength(0);
    const x = tf.ones([2, 3]);
    const y = lin(x);
    x.dispose();
    expect(lin.built).toBe(true);
    expect(y.shape).toEqual([2, 4]);
    expect(lin.weights.map((w) => w.path)).toEqual(["linear/w", "linear/b"]);
    expect(lin.weights.map((w) => w.shape)).toEqual([[3, 4], [4]]);
    expect(lin.countParams()).toBe(16);
    y.dispose();
    lin.dispose();
  });

  it("gives unique Keras-style names", () => {
    const a = new Linear(2);
    const b = new Linear(2);
    const c = new Linear(2, { name: "custom" });
    expect([a.name, b.name, c.name]).toEqual(["linear", "linear_1", "custom"]);
  });

  it("nests weight paths under the enclosing layer and tracks sublayers", () => {
    class Block extends keras.Layer {
      first = new Linear(3);
      stack = [new Linear(2), new Linear(1)];
      override call(x: Tensor): Tensor {
        return this.stack[1](this.stack[0](this.first(x)));
      }
    }
    const block = new Block();
    const x = tf.ones([5, 4]);
    const y = block(x);
    x.dispose();
    expect(y.shape).toEqual([5, 1]);
    expect(block.weights.map((w) => w.path)).toEqual([
      "block/linear/w", "block/linear/b",
      "block/linear_1/w", "block/linear_1/b",
      "block/linear_2/w", "block/linear_2/b",
    ]);
    expect(block.trainableWeights).toHaveLength(6);
    block.trainable = false;
    expect(block.trainableWeights).toHaveLength(0);
    expect(block.nonTrainableWeights).toHaveLength(6);
    expect(block.first.trainable).toBe(false);
    block.trainable = true;
    expect(block.trainableWeights).toHaveLength(6);
    y.dispose();
    block.dispose();
  });

  it("works with and without `new`", () => {
    const a = layers.Dense(3);
    const b = new layers.Dense(3);
    expect(a).toBeInstanceOf(layers.Dense);
    expect(b).toBeInstanceOf(keras.Layer);
    class MyDense extends layers.Dense {}
    const c = new MyDense(2);
    expect(c).toBeInstanceOf(layers.Dense);
    expect(c.className).toBe("MyDense");
  });

  it("passes `training` down from the outermost call", () => {
    const seen: (boolean | null | undefined)[] = [];
    class Probe extends keras.Layer {
      override call(x: Tensor, kwargs: CallArgs = {}): Tensor {
        seen.push(kwargs.training);
        return tf.clone(x);
      }
    }
    class Outer extends keras.Layer {
      probe = new Probe();
      override call(x: Tensor): Tensor {
        return this.probe(x);
      }
    }
    const outer = new Outer();
    const x = tf.ones([1, 2]);
    const outs = [outer(x, { training: true }), outer(x), outer(x, { training: false })];
    expect(seen).toEqual([true, null, false]);
    tf.dispose([x, ...outs]);
  });

  it("collects activity and weight regularization losses", () => {
    const d = layers.Dense(2, { kernelInitializer: "ones", kernelRegularizer: keras.regularizers.L2(0.5), activityRegularizer: "l1" });
    const x = tf.ones([1, 3]);
    const y = d(x);
    x.dispose();
    const losses = d.losses;
    expect(losses).toHaveLength(2);
    const values = losses.map((l) => l.dataSync()[0]).sort((p, q) => p - q);
    // activity: l1(0.01) * sum(|[3, 3]|) = 0.06 ; kernel: 0.5 * sum(1^2 * 6) = 3
    expect(values[0]).toBeCloseTo(0.06, 6);
    expect(values[1]).toBeCloseTo(3, 6);
    tf.dispose(losses);
    y.dispose();
    d.dispose();
  });

  it("round-trips its config", () => {
    const lin = new Linear(3, { name: "lin", trainable: false });
    expect(lin.getConfig()).toEqual({
      name: "lin",
      trainable: false,
      dtype: { module: "keras", class_name: "DTypePolicy", config: { name: "float32" }, registered_name: null },
    });
  });

  it("sets and gets weights with shape checks", () => {
    const d = layers.Dense(2);
    const x = tf.ones([1, 3]);
    const y = d(x);
    const ones32 = tf.ones([3, 2]);
    const ones22 = tf.ones([2, 2]);
    d.setWeights([ones32, [5, 6]]);
    const [k, b] = d.getWeights();
    expect(Array.from(b.dataSync())).toEqual([5, 6]);
    expect(() => d.setWeights([ones22, [5, 6]])).toThrow(/weight shape mismatch for dense\/kernel: expected \(3, 2\), received \(2, 2\)/);
    expect(() => d.setWeights([ones32])).toThrow(/list of length 1, but the layer has 2 weights/);
    tf.dispose([k, b, y, x, ones32, ones22]);
    d.dispose();
  });

  it("traces the output shape of layers without computeOutputShape", () => {
    class Twice extends keras.Layer {
      override call(x: Tensor): Tensor {
        return tf.concat([x, x], -1);
      }
    }
    const inp = keras.Input({ shape: [3] });
    const out = new Twice()(inp);
    expect(out).toBeInstanceOf(keras.KerasTensor);
    expect(out.shape).toEqual([null, 6]);
  });

  it("converts nested arrays of numbers (integers too) to float inputs", () => {
    const d = layers.Dense(1, { kernelInitializer: "ones" });
    const a = d([[1, 2, 3]]);
    expect(a.dtype).toBe("float32");
    expect(a.dataSync()[0]).toBeCloseTo(6);
    a.dispose();
    d.dispose();
  });
});
