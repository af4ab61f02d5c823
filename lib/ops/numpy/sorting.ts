/**
 * keras.ops sorting: sort, argsort, argpartition.
 */
import { tf, type Tensor } from "../../backend/tfjs.js";
import { convertToTensor, type OpInput, type OpResult, type TensorLike } from "../convert.js";
import { dispatch } from "../operation.js";
import { normalizeAxis } from "../axis.js";

function run<R>(name: string, args: unknown[], fn: (...a: never[]) => unknown): R {
  return dispatch(name, args, fn) as R;
}

/**
 * Sorts along `axis` ascending; returns `[values, indices]` (indices int32,
 * stable: equal values keep their order). `axis` null sorts the flattened tensor.
 */
function sortWithIndices(x: TensorLike, axis: number | null): [Tensor, Tensor] {
  return tf.tidy(() => {
    let xt = convertToTensor(x);
    if (axis === null) xt = tf.reshape(xt, [-1]);
    if (xt.rank === 0) throw new Error("Cannot sort a 0-d tensor along an axis; use axis=null.");
    const a = normalizeAxis(axis ?? 0, xt.rank);
    const last = xt.rank - 1;
    const perm = Array.from({ length: xt.rank }, (_, i) => i);
    perm[a] = last;
    perm[last] = a;
    const moved = a === last ? xt : tf.transpose(xt, perm);
    const dtype = xt.dtype;
    const numeric = dtype === "bool" ? tf.cast(moved, "int32") : moved;
    const n = numeric.shape[last]!;
    // topk on the negated values sorts ascending; the cpu kernel breaks ties by lower index (stable).
    const { values, indices } = tf.topk(tf.neg(numeric), n, true);
    let vals = tf.neg(values);
    if (dtype === "bool") vals = tf.cast(vals, "bool");
    const back = (t: Tensor): Tensor => (a === last ? t : tf.transpose(t, perm));
    return [back(vals), back(indices)];
  });
}

/** Sorts `x` ascending along `axis` (default -1; `null` sorts the flattened tensor). */
export function sort<A extends OpInput>(x: A, axis: number | null = -1): OpResult<A> {
  return run("sort", [x, axis], (t: TensorLike, a: number | null) => {
    const [v, i] = sortWithIndices(t, a);
    i.dispose();
    return v;
  });
}

/** The indices that sort `x` along `axis` (int32, stable like NumPy's stable sort). */
export function argsort<A extends OpInput>(x: A, axis: number | null = -1): OpResult<A> {
  return run("argsort", [x, axis], (t: TensorLike, a: number | null) => {
    const [v, i] = sortWithIndices(t, a);
    v.dispose();
    return i;
  });
}

/**
 * Indices that partition `x` along `axis` around the `kth` element: the kth
 * position holds the index of the element a full sort would put there, smaller
 * ones before, larger ones after (int32). This returns the full stable argsort,
 * which is one valid partition.
 */
export function argpartition<A extends OpInput>(x: A, kth: number | readonly number[], axis = -1): OpResult<A> {
  const k = typeof kth === "number" ? [kth] : [...kth];
  return run("argpartition", [x, k, axis], (t: TensorLike, kk: number[], a: number) => {
    const [v, i] = sortWithIndices(t, a);
    const n = v.shape[normalizeAxis(a, v.rank)]!;
    v.dispose();
    for (const q of kk) {
      if (q < -n || q >= n) {
        i.dispose();
        throw new Error(`argpartition: kth ${q} is out of bounds for an axis of size ${n}.`);
      }
    }
    return i;
  });
}
