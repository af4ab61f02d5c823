// The Keras docs' own examples, in TypeScript: the Sequential and Functional
// MNIST-shaped MLPs, a subclassed model (the subclassing guide's MLPBlock),
// and the custom TokenAndPositionEmbedding layer written with keras.ops.
import { beforeEach, describe, expect, it } from "vitest";
import * as keras from "../../lib/index.js";
import { tf, type Tensor } from "../../lib/backend/tfjs.js";

const { layers, ops } = keras;

describe("Keras docs examples", () => {
  beforeEach(() => keras.backend.clearSession());

  it("the Sequential MLP", () => {
    const model = keras.Sequential([
      keras.Input({ shape: [784] }),
      layers.Dense(64, { activation: "relu" }),
      layers.Dense(64, { activation: "relu" }),
      layers.Dense(10),
    ]);
    expect(model.countParams()).toBe(55050);
    const y = model(tf.zeros([2, 784]));
    expect(y.shape).toEqual([2, 10]);
    // Zero input, zero biases: zero logits.
    expect(Array.from(y.dataSync()).every((v) => v === 0)).toBe(true);
    y.dispose();
    model.dispose();
  });

  it("the Functional MLP of the functional API guide, with its summary", () => {
    const inputs = keras.Input({ shape: [784] });
    let x = layers.Dense(64, { activation: "relu" })(inputs);
    x = layers.Dense(64, { activation: "relu" })(x);
    const outputs = layers.Dense(10)(x);
    const model = keras.Model({ inputs, outputs, name: "mnist_model" });
    const lines: string[] = [];
    model.summary({ printFn: (l) => lines.push(l) });
    const text = lines.join("\n");
    expect(text).toContain('Model: "mnist_model"');
    expect(text).toMatch(/│ input_layer \(InputLayer\)\s+│ \(None, 784\)\s+│\s+0 │/);
    expect(text).toMatch(/│ dense \(Dense\)\s+│ \(None, 64\)\s+│\s+50,240 │/);
    expect(text).toMatch(/│ dense_2 \(Dense\)\s+│ \(None, 10\)\s+│\s+650 │/);
    expect(text).toContain(" Total params: 55,050 (215.04 KB)");
    model.dispose();
  });

  it("the subclassing guide's Linear and MLPBlock", () => {
    class Linear extends keras.Layer {
      w!: keras.Variable;
      b!: keras.Variable;
      constructor(public units = 32) {
        super();
      }
      override build(inputShape: (number | null)[]): void {
        this.w = this.addWeight({ shape: [inputShape[inputShape.length - 1] as number, this.units], initializer: "random_normal", trainable: true });
        this.b = this.addWeight({ shape: [this.units], initializer: "random_normal", trainable: true });
      }
      override call(inputs: Tensor): Tensor {
        return ops.add(ops.matmul(inputs, this.w), this.b);
      }
    }
    class MLPBlock extends keras.Layer {
      linear1 = new Linear(32);
      linear2 = new Linear(32);
      linear3 = new Linear(1);
      override call(inputs: Tensor): Tensor {
        let x = this.linear1(inputs);
        x = keras.activations.relu(x);
        x = this.linear2(x);
        x = keras.activations.relu(x);
        return this.linear3(x);
      }
    }
    const mlp = new MLPBlock();
    const y = mlp(ops.ones([3, 64]));
    expect(y.shape).toEqual([3, 1]);
    expect(mlp.weights).toHaveLength(6);
    expect(mlp.trainableWeights).toHaveLength(6);
    // The computation is the composition of the three affine maps.
    const manual = tf.tidy(() => {
      const [w1, b1, w2, b2, w3, b3] = mlp.weights.map((w) => w.value);
      let h = tf.relu(tf.add(tf.matMul(tf.ones([3, 64]), w1), b1));
      h = tf.relu(tf.add(tf.matMul(h, w2), b2));
      return tf.add(tf.matMul(h, w3), b3);
    });
    const diff = Math.max(...Array.from(tf.tidy(() => tf.abs(tf.sub(y, manual))).dataSync()));
    expect(diff).toBeLessThan(1e-5);
    tf.dispose([y, manual]);
    mlp.dispose();
  });

  it("TokenAndPositionEmbedding written with keras.ops, inside a Functional model", () => {
    class TokenAndPositionEmbedding extends keras.Layer {
      tokenEmb: keras.layers.Embedding;
      posEmb: keras.layers.Embedding;
      constructor(maxlen: number, vocabSize: number, embedDim: number) {
        super();
        this.tokenEmb = layers.Embedding({ inputDim: vocabSize, outputDim: embedDim });
        this.posEmb = layers.Embedding({ inputDim: maxlen, outputDim: embedDim });
      }
      override call(x: Tensor): Tensor {
        const maxlen = ops.shape(x).at(-1) as number;
        const positions = this.posEmb(ops.arange(0, maxlen, 1));
        return ops.add(this.tokenEmb(x), positions);
      }
    }
    const maxlen = 6;
    const inputs = keras.Input({ shape: [maxlen], dtype: "int32" });
    const embedded = new TokenAndPositionEmbedding(maxlen, 20, 4)(inputs);
    expect(embedded.shape).toEqual([null, maxlen, 4]);
    const outputs = layers.Dense(2, { activation: "softmax" })(layers.Flatten()(embedded));
    const model = keras.Model({ inputs, outputs });
    const layer = model.layers[1] as TokenAndPositionEmbedding;
    expect(layer.weights.map((w) => w.path)).toEqual([
      "token_and_position_embedding/embedding/embeddings",
      "token_and_position_embedding/embedding_1/embeddings",
    ]);
    const tokens = tf.tensor2d([[1, 2, 3, 4, 5, 6], [0, 0, 7, 7, 19, 1]], undefined, "int32");
    const emb = layer(tokens);
    const expected = tf.tidy(() =>
      tf.add(tf.gather(layer.tokenEmb.weights[0].value, tokens), tf.gather(layer.posEmb.weights[0].value, tf.range(0, maxlen, 1, "int32"))),
    );
    const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(emb, expected))).dataSync()[0]);
    expect(diff).toBeLessThan(1e-6);
    const probs = model(tokens);
    expect(probs.shape).toEqual([2, 2]);
    tf.dispose([tokens, emb, expected, probs]);
    model.dispose();
  });
});
