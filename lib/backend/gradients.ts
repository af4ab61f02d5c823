/**
 * Gradients from keras.ops code: `valueAndGrad(fn, variables)` evaluates a
 * scalar loss and its gradients with respect to Variables, the way a custom
 * `trainStep` takes them (Keras's GradientTape / jax.value_and_grad).
 */
import { tf, type Tensor } from "./tfjs.js";
import { Variable } from "./variable.js";

/** What `valueAndGrad` returns: the loss, one gradient per variable, and the extra outputs of `fn`. */
export interface ValueAndGrad<A> {
  /** The scalar loss. The caller owns it. */
  value: Tensor;
  /** One gradient per variable, in order (zeros for variables the loss does not use). The caller owns them. */
  grads: Tensor[];
  /** What `fn` returned besides the loss; its tensors belong to the caller (or the enclosing `tf.tidy`). */
  aux: A;
}

/**
 * Runs `fn` and returns its scalar loss with the gradients of that loss with
 * respect to `variables`. `fn` may return the loss alone or `[loss, aux]`,
 * where `aux` holds anything else to keep (e.g. the predictions for metrics).
 *
 * ```ts
 * const { value, grads, aux: yPred } = keras.backend.valueAndGrad(() => {
 *   const yPred = model.apply(x, { training: true });
 *   return [model.computeLoss({ x, y, yPred }), yPred];
 * }, model.trainableWeights);
 * model.optimizer.apply(grads, model.trainableWeights);
 * ```
 */
export function valueAndGrad<A = undefined>(
  fn: () => Tensor | [Tensor, A],
  variables: readonly Variable[],
): ValueAndGrad<A> {
  if (variables.length === 0) {
    throw new Error(
      "valueAndGrad: there are no variables to differentiate with respect to. If they belong to a model or layer, " +
        "build it first (call it once on data, or call `build(inputShape)`).",
    );
  }
  let aux: A = undefined as A;
  const tfVars = variables.map((v) => v.value);
  const { value, grads } = tf.variableGrads(() => {
    const out = fn();
    if (Array.isArray(out)) {
      aux = out[1];
      for (const t of collectTensors(aux)) tf.keep(t);
      return out[0] as tf.Scalar;
    }
    return out as tf.Scalar;
  }, tfVars);
  if (value.rank !== 0) {
    tf.dispose([value, ...Object.values(grads)]);
    throw new Error(`valueAndGrad: the function must return a scalar loss; it returned a tensor of shape [${value.shape}].`);
  }
  const ordered = tfVars.map((v) => grads[v.name] ?? tf.zerosLike(v));
  // The aux tensors had to be kept through the gradient's forward scope; hand
  // back clones that belong to the caller's scope like any op result (inside
  // tf.tidy they are freed with it), and release the kept originals.
  const kept = collectTensors(aux);
  if (kept.length > 0) {
    const clones = new Map<Tensor, Tensor>(kept.map((t) => [t, tf.clone(t)]));
    aux = replaceTensors(aux, clones) as A;
    tf.dispose(kept);
  }
  return { value, grads: ordered, aux };
}

function replaceTensors(x: unknown, map: Map<Tensor, Tensor>): unknown {
  if (x instanceof tf.Tensor) return map.get(x) ?? x;
  if (Array.isArray(x)) return x.map((e) => replaceTensors(e, map));
  if (x !== null && typeof x === "object" && !(x instanceof Variable)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(x)) out[k] = replaceTensors(v, map);
    return out;
  }
  return x;
}

function collectTensors(x: unknown, out: Tensor[] = []): Tensor[] {
  if (x instanceof tf.Tensor) out.push(x);
  else if (Array.isArray(x)) for (const e of x) collectTensors(e, out);
  else if (x !== null && typeof x === "object" && !(x instanceof Variable)) for (const e of Object.values(x)) collectTensors(e, out);
  return out;
}
