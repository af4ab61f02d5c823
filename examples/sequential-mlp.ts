// Keras docs: the Sequential model guide's MNIST-shaped MLP.
import * as keras from "../lib/index.js";

const { layers } = keras;

const model = keras.Sequential(
  [
    keras.Input({ shape: [784] }),
    layers.Dense(64, { activation: "relu", name: "layer1" }),
    layers.Dense(64, { activation: "relu", name: "layer2" }),
    layers.Dense(10, { name: "layer3" }),
  ],
  { name: "my_sequential" },
);
model.summary();

const x = keras.random.uniform([4, 784]);
const logits = model(x);
console.log("logits shape:", logits.shape);
keras.tf.dispose([x, logits]);
model.dispose();
