// Keras docs: the Functional API guide's MNIST model, with two heads to show
// the graph API's reach (several outputs, a skip connection).
import * as keras from "../lib/index.js";

const { layers } = keras;

const inputs = keras.Input({ shape: [784], name: "digits" });
let x = layers.Dense(64, { activation: "relu" })(inputs);
const skip = x;
x = layers.Dense(64, { activation: "relu" })(x);
x = layers.Add()([x, skip]);
const outputs = layers.Dense(10, { activation: "softmax", name: "predictions" })(x);
const model = keras.Model({ inputs, outputs, name: "mnist_model" });
model.summary();

const probs = model(keras.random.uniform([2, 784]));
console.log("row sums:", Array.from(keras.ops.sum(probs, -1).dataSync()).map((v) => v.toFixed(4)));
model.dispose();
