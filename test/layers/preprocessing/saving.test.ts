import { describe, expect, it } from "vitest";
import { tf, type Tensor } from "../../../lib/backend/tfjs.js";
import * as keras from "../../../lib/index.js";
import { saveModelToBytes } from "../../../lib/saving/saving-lib.js";
import { weightPaths } from "../../../lib/saving/weights-loading.js";
import { expectClose } from "../helpers.js";

const { layers } = keras;

describe("preprocessing layers in .keras files", () => {
  it("a model with an adapted Normalization, and one with a TextVectorization vocabulary, save and load", async () => {
    const xs = tf.tensor2d([[1, 10], [2, 20], [3, 30], [4, 40]]);
    const norm = layers.Normalization();
    norm.adapt(xs);
    const inp = keras.Input({ shape: [2] });
    const out = layers.Dense(1, { kernelInitializer: "ones" })(norm(inp));
    const model = keras.Model({ inputs: inp, outputs: out });
    expect(weightPaths(model).map((w) => w.path)).toEqual([
      "layers/normalization/vars/0", "layers/normalization/vars/1", "layers/normalization/vars/2",
      "layers/dense/vars/0", "layers/dense/vars/1",
    ]);
    const bytes = await saveModelToBytes(model);
    const loaded = (await keras.saving.loadModel(bytes)) as unknown as keras.Model;
    const a = (await model.predict(xs)) as Tensor;
    const b = (await loaded.predict(xs)) as Tensor;
    expectClose(b, a);

    const tv = layers.TextVectorization({ vocabulary: ["a", "b"], outputSequenceLength: 3 });
    const tin = keras.Input({ shape: [1], dtype: "string" });
    const tmodel = keras.Model({ inputs: tin, outputs: layers.Embedding(4, 2)(tv(tin)) });
    const tl = (await keras.saving.loadModel(await saveModelToBytes(tmodel))) as unknown as keras.Model;
    const s = tf.tensor([["a b q"]], undefined, "string");
    expectClose((await tl.predict(s)) as Tensor, (await tmodel.predict(s)) as Tensor);
    tf.dispose([xs, a, b, s]);
  });
});
