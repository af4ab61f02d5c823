/**
 * Connectionist Temporal Classification loss in tfjs ops: the forward
 * (alpha) recursion of Keras's `ops.ctc_loss` (after optax's
 * `ctc_loss_with_forward_probs`), run as a loop over time steps so that
 * `tf.grad` differentiates it. Log-space, with `-1e5` as log(0).
 */
import { tf, type Tensor } from "../backend/tfjs.js";

const LOG_EPSILON = -1e5;

/** `log(exp(a) + exp(b))`, stable and with finite gradients. */
function logAddExp(a: Tensor, b: Tensor): Tensor {
  const m = tf.maximum(a, b);
  return tf.add(m, tf.log1p(tf.exp(tf.neg(tf.abs(tf.sub(a, b))))));
}

/** Padding mask: 1 where `index >= length`, as float32 `[batch, maxLength]`. */
function lengthsToPaddings(lengths: Tensor, maxLength: number): Tensor {
  const idx = tf.reshape(tf.range(0, maxLength, 1, "int32"), [1, maxLength]);
  const valid = tf.less(idx, tf.expandDims(lengths, -1));
  return tf.cast(tf.logicalNot(valid), "float32");
}

/** Replaces `phi[:, 1:]` with `logaddexp(phi[:, 1:], added)`. */
function updatePhiScore(phi: Tensor, added: Tensor): Tensor {
  const [batch, width] = phi.shape as [number, number];
  const first = tf.slice(phi, [0, 0], [batch, 1]);
  const rest = tf.slice(phi, [0, 1], [batch, width - 1]);
  return tf.concat([first, logAddExp(rest, added)], 1);
}

/**
 * The CTC loss per sequence, Keras's `ops.ctc_loss(target, output,
 * target_length, output_length, mask_index)`.
 *
 * @param target integer labels `[batch, maxLabelLength]`.
 * @param output logits `[batch, maxTime, numClasses]` (log-softmax is applied here).
 * @param targetLength `[batch]` label lengths.
 * @param outputLength `[batch]` input lengths.
 * @param maskIndex the blank class. Default 0.
 * @returns `[batch]` negative log-likelihoods (a new tensor).
 */
export function ctcLoss(
  target: Tensor,
  output: Tensor,
  targetLength: Tensor,
  outputLength: Tensor,
  maskIndex = 0,
): Tensor {
  return tf.tidy(() => {
    const labels = tf.cast(target, "int32");
    const logits = tf.cast(output, "float32");
    const [batch, maxTime, numClasses] = logits.shape as [number, number, number];
    const maxLabel = labels.shape[1] as number;
    const tLen = tf.cast(targetLength, "int32");
    const oLen = tf.cast(outputLength, "int32");

    const targetPaddings = lengthsToPaddings(tLen, maxLabel);
    const outputPaddings = lengthsToPaddings(oLen, maxTime); // [B, T]

    const logprobs = tf.logSoftmax(logits, -1); // [B, T, K]
    const labelLengths = tf.cast(tf.sub(maxLabel, tf.sum(targetPaddings, 1)), "int32");

    // repeat[b, n] = 1 when label[b, n] == label[b, n + 1] (0 for the last position).
    let repeat: Tensor;
    if (maxLabel > 1) {
      const a = tf.slice(labels, [0, 0], [batch, maxLabel - 1]);
      const b = tf.slice(labels, [0, 1], [batch, maxLabel - 1]);
      repeat = tf.pad(tf.cast(tf.equal(a, b), "float32"), [
        [0, 0],
        [0, 1],
      ]);
    } else {
      repeat = tf.zeros([batch, maxLabel]);
    }

    const logprobsPhi = tf.slice(logprobs, [0, 0, maskIndex], [batch, maxTime, 1]); // [B, T, 1]
    const oneHotLabels = tf.oneHot(labels, numClasses, 1, 0, "float32"); // [B, N, K]
    const logprobsEmit = tf.matMul(logprobs, oneHotLabels, false, true); // [B, T, N]

    let phi = tf.concat([tf.zeros([batch, 1]), tf.fill([batch, maxLabel], LOG_EPSILON)], 1);
    let emit = tf.fill([batch, maxLabel], LOG_EPSILON);
    const repeatEps = tf.mul(repeat, LOG_EPSILON);
    const notRepeatEps = tf.mul(tf.sub(1, repeat), LOG_EPSILON);

    for (let t = 0; t < maxTime; t++) {
      const lpEmit = tf.reshape(tf.slice(logprobsEmit, [0, t, 0], [batch, 1, maxLabel]), [batch, maxLabel]);
      const lpPhi = tf.reshape(tf.slice(logprobsPhi, [0, t, 0], [batch, 1, 1]), [batch, 1]);
      const pad = tf.slice(outputPaddings, [0, t], [batch, 1]);

      const prevPhiOrig = phi;
      // emit-to-phi epsilon transition, except when the next label repeats
      const prevPhi = updatePhiScore(phi, tf.add(emit, repeatEps));
      // phi-to-emit transition and emit self-loop
      const head = tf.slice(prevPhi, [0, 0], [batch, maxLabel]);
      let nextEmit = logAddExp(tf.add(head, lpEmit), tf.add(emit, lpEmit));
      // phi self-loop, then emit-to-phi blank transition when the next label repeats
      let nextPhi = tf.add(prevPhi, lpPhi);
      nextPhi = updatePhiScore(nextPhi, tf.add(tf.add(emit, lpPhi), notRepeatEps));

      const keep = tf.sub(1, pad);
      nextEmit = tf.add(tf.mul(pad, emit), tf.mul(keep, nextEmit));
      nextPhi = tf.add(tf.mul(pad, prevPhiOrig), tf.mul(keep, nextPhi));
      phi = nextPhi;
      emit = nextEmit;
    }

    // The last epsilon transition.
    const last = updatePhiScore(phi, emit); // [B, N + 1]
    const pick = tf.oneHot(labelLengths, maxLabel + 1, 1, 0, "float32");
    return tf.neg(tf.sum(tf.mul(last, pick), 1));
  });
}
