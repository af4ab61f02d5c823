import { describe, expect, it } from "vitest";
import { tf, type Tensor } from "../../../lib/backend/tfjs.js";
import { KerasTensor } from "../../../lib/backend/keras-tensor.js";
import { getKerasMask } from "../../../lib/backend/masking.js";
import * as layers from "../../../lib/layers/index.js";
import { ReversibleEmbedding } from "../../../lib/layers/core/reversible-embedding.js";
import { expectClose, expectNoLeaks, expectRoundTrip } from "../helpers.js";
import { checkInputGrad, checkWeightGrads, trainSteps } from "../attention/check-grad.js";

describe("ReversibleEmbedding", () => {
  it("embeds ids and projects vectors back with the tied (transposed) embeddings", () => {
    const emb = new ReversibleEmbedding(3, 2);
    emb.build(null);
    emb.setWeights([tf.tensor2d([[1, 0], [0, 1], [1, 1]])]);
    const ids = tf.tensor2d([[2, 0]], undefined, "int32");
    const e = emb.apply(ids) as Tensor;
    expectClose(e, [1, 1, 1, 0], 0);
    const logits = emb.apply(tf.tensor2d([[2, 3]]), { reverse: true }) as Tensor;
    expectClose(logits, [2, 3, 5], 1e-6);
    // JS arrays are floats in reverse mode
    const l2 = emb.apply([[1, 0]], { reverse: true }) as Tensor;
    expectClose(l2, [1, 0, 1], 0);
    expect(emb.getConfig()).toMatchObject({ input_dim: 3, output_dim: 2, tie_weights: true, reverse_dtype: null, logit_soft_cap: null });
    tf.dispose([ids, e, logits, l2]);
  });

  it("untied reverse_embeddings, soft cap, masks, shapes", () => {
    const emb = layers.ReversibleEmbedding(4, 3, { tieWeights: false, logitSoftCap: 2, maskZero: true });
    const ids = tf.tensor2d([[0, 3]], undefined, "int32");
    const e = emb.apply(ids) as Tensor;
    expect(emb.weights.map((w) => [w.name, w.shape])).toEqual([["embeddings", [4, 3]], ["reverse_embeddings", [3, 4]]]);
    expectClose(getKerasMask(e) as Tensor, [0, 1], 0);
    const h = tf.mul(tf.ones([1, 2, 3]), 10);
    const logits = emb.apply(h, { reverse: true }) as Tensor;
    expect(logits.shape).toEqual([1, 2, 4]);
    expect(getKerasMask(logits)).toBeNull();
    const ref = tf.tidy(() => tf.mul(tf.tanh(tf.div(tf.matMul(tf.reshape(h, [2, 3]), emb.reverseEmbeddings!.value), 2)), 2));
    expectClose(logits, tf.reshape(ref, [1, 2, 4]), 1e-5);
    expect(Math.max(...Array.from(tf.abs(logits).dataSync()))).toBeLessThanOrEqual(2);
    expect(emb.computeOutputShape([null, 5])).toEqual([null, 5, 3]);
    expect(emb.computeOutputShape([null, 5, 3], true)).toEqual([null, 5, 4]);
    expect((emb.apply(new KerasTensor([null, 5, 3]), { reverse: true }) as unknown as KerasTensor).shape).toEqual([null, 5, 4]);
    expect((emb.apply(new KerasTensor([null, 5], { dtype: "int32" })) as unknown as KerasTensor).shape).toEqual([null, 5, 3]);
    tf.dispose([ids, e, h, logits, ref]);
  });

  it("gradients, round trip, training and leaks", () => {
    const emb = new ReversibleEmbedding(5, 3, { tieWeights: false });
    const h = tf.randomNormal([2, 3], 0, 1, "float32", 1);
    checkInputGrad((t) => emb.apply(t, { reverse: true }) as Tensor, h);
    checkWeightGrads(() => emb.apply(h, { reverse: true }) as Tensor, [emb.reverseEmbeddings!]);
    const ids = tf.tensor1d([1, 4], "int32");
    expectRoundTrip(emb, ids);
    // tied: a language-model-like round trip id -> vector -> logits learns to predict the id
    const tied = new ReversibleEmbedding(5, 4);
    const labels = tf.oneHot(ids, 5);
    const loss = (): Tensor => tf.losses.softmaxCrossEntropy(labels, tied.apply(tied.apply(ids) as Tensor, { reverse: true }) as Tensor);
    loss().dispose();
    const { first, last } = trainSteps(loss, tied.trainableWeights, 30, 0.5);
    expect(last).toBeLessThan(first);
    expectNoLeaks(emb, () => tf.ones([2, 3]), { reverse: true });
    expectNoLeaks(emb, () => tf.tensor1d([1, 2], "int32"));
    tf.dispose([h, ids, labels]);
  });
});
