// Keras docs: the TokenAndPositionEmbedding layer of the "Text classification
// with Transformer" example, written with keras.ops, inside a Functional model.
import * as keras from "../lib/index.js";
import type { Tensor } from "../lib/index.js";

const { layers, ops } = keras;

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

const maxlen = 20;
const inputs = keras.Input({ shape: [maxlen], dtype: "int32" });
let x = new TokenAndPositionEmbedding(maxlen, 1000, 32)(inputs);
x = layers.Flatten()(x);
x = layers.Dense(20, { activation: "relu" })(x);
const outputs = layers.Dense(2, { activation: "softmax" })(x);
const model = keras.Model({ inputs, outputs, name: "transformer_inputs" });
model.summary();

const tokens = keras.random.randint([3, maxlen], 0, 1000);
console.log("probabilities:", model(tokens).arraySync());
model.dispose();
