// Keras docs: "Making new layers and models via subclassing" — a Linear layer
// with addWeight, and a model that composes layers in `call`.
import * as keras from "../lib/index.js";
import type { Tensor } from "../lib/index.js";

const { layers, ops } = keras;

class Linear extends keras.Layer {
  w!: keras.Variable;
  b!: keras.Variable;
  constructor(public units = 32) {
    super();
  }
  override build(inputShape: (number | null)[]): void {
    this.w = this.addWeight({ shape: [inputShape.at(-1) as number, this.units], initializer: "random_normal", name: "w" });
    this.b = this.addWeight({ shape: [this.units], initializer: "zeros", name: "b" });
  }
  override call(inputs: Tensor): Tensor {
    return ops.add(ops.matmul(inputs, this.w), this.b);
  }
}

class MLP extends keras.Model {
  hidden = new Linear(32);
  dropout = layers.Dropout(0.5);
  head = layers.Dense(3, { activation: "softmax" });
  override call(x: Tensor, { training }: keras.CallArgs = {}): Tensor {
    return this.head(this.dropout(keras.activations.relu(this.hidden(x)), { training }));
  }
}

keras.utils.setRandomSeed(1337);
const model = new MLP();
const y = model(ops.ones([2, 16]));
console.log("weights:", model.weights.map((w) => `${w.path} ${JSON.stringify(w.shape)}`).join(", "));
console.log("params:", model.countParams(), "output shape:", y.shape);
model.dispose();
