/**
 * keras.ops.numpy.vectorize: NumPy's `vectorize` (a function applied to
 * every element, or every core sub-array with a gufunc signature, of
 * broadcast inputs).
 */
import { tf, type Tensor } from "../../backend/tfjs.js";
import type { KerasTensor } from "../../backend/keras-tensor.js";
import { convertToTensor, type TensorLike } from "../convert.js";
import { dispatch } from "../operation.js";
import { broadcastShapes } from "../axis.js";

/** Options of {@link vectorize}. */
export interface VectorizeOptions {
  /** Positions of arguments passed to `pyfunc` unchanged (not vectorized). */
  excluded?: Iterable<number> | null;
  /**
   * A generalized ufunc signature such as `"(m,n),(n)->(m)"`: `pyfunc` then
   * receives sub-arrays with those core dimensions and returns arrays with
   * the output's. Default: `pyfunc` takes and returns scalars.
   */
  signature?: string | null;
}

/** What a vectorized function returns: one tensor, or one per output of the signature (KerasTensors for symbolic inputs). */
export type VectorizedOutput = Tensor | Tensor[] | KerasTensor | KerasTensor[];

const DIM_LIST = String.raw`\((?:\w+(?:,\s*\w+)*)?\)`;
const SIGNATURE = new RegExp(String.raw`^\s*${DIM_LIST}(?:\s*,\s*${DIM_LIST})*\s*->\s*${DIM_LIST}(?:\s*,\s*${DIM_LIST})*\s*$`);

function parseDims(list: string): string[][] {
  return [...list.matchAll(/\(([^)]*)\)/g)].map((m) =>
    m[1]!
      .split(",")
      .map((d) => d.trim())
      .filter((d) => d !== ""),
  );
}

/** Parses `"(m,n),(n)->(m)"` into the input and output core dimension names. */
function parseSignature(signature: string): { inputs: string[][]; outputs: string[][] } {
  if (!SIGNATURE.test(signature)) throw new Error(`vectorize: not a valid gufunc signature: ${signature}`);
  const [ins, outs] = signature.split("->") as [string, string];
  return { inputs: parseDims(ins), outputs: parseDims(outs) };
}

function size(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/**
 * Turns `pyfunc` into a function vectorized over its arguments (Keras's
 * `ops.vectorize`): the arguments are broadcast against each other and
 * `pyfunc` is called on each scalar (or, with `signature`, each core
 * sub-array); the results are stacked into the broadcast shape.
 *
 * ```ts
 * const vadd = keras.ops.vectorize((a, b) => keras.ops.add(a, b));
 * vadd([1, 2, 3, 4], 2); // [3, 4, 5, 6]
 * const mv = keras.ops.vectorize((m, v) => keras.ops.matmul(m, v), { signature: "(m,n),(n)->(m)" });
 * ```
 *
 * `pyfunc` runs once per element (the batch is a JavaScript loop), so it
 * suits small batches; use tensor ops directly for speed.
 */
export function vectorize(
  pyfunc: (...args: never[]) => unknown,
  options: VectorizeOptions = {},
): (...args: unknown[]) => VectorizedOutput {
  if (typeof pyfunc !== "function") throw new Error(`Expected argument \`pyfunc\` to be a callable. Received: pyfunc=${String(pyfunc)}`);
  const excluded = new Set(options.excluded ?? []);
  const sig = options.signature ? parseSignature(options.signature) : null;
  const fn = pyfunc as (...args: unknown[]) => unknown;
  return (...args: unknown[]): VectorizedOutput =>
    dispatch("vectorize", args, (...vals: unknown[]) =>
      tf.tidy(() => {
        const mapped = vals.map((_, i) => i).filter((i) => !excluded.has(i) && vals[i] !== null && vals[i] !== undefined);
        const coreDims = sig ? sig.inputs : mapped.map(() => [] as string[]);
        if (coreDims.length !== mapped.length) {
          throw new Error(`vectorize: wrong number of positional arguments: expected ${coreDims.length}, got ${mapped.length}.`);
        }
        const tensors = mapped.map((i) => convertToTensor(vals[i] as TensorLike));
        const dimSizes = new Map<string, number>();
        const noncore: number[][] = [];
        tensors.forEach((t, k) => {
          const dims = coreDims[k]!;
          if (t.rank < dims.length) {
            throw new Error(`vectorize: input ${k} has ${t.rank} dimension(s) but the signature needs at least ${dims.length} (${dims.join(",")}).`);
          }
          const core = t.shape.slice(t.rank - dims.length);
          dims.forEach((d, j) => {
            const seen = dimSizes.get(d);
            if (seen !== undefined && seen !== core[j]) throw new Error(`vectorize: inconsistent size for core dimension ${d}: ${seen} vs ${core[j]}.`);
            dimSizes.set(d, core[j]!);
          });
          noncore.push(t.shape.slice(0, t.rank - dims.length));
        });
        const batch = noncore.reduce<number[]>((acc, s) => broadcastShapes(acc, s), []);
        const n = size(batch);
        const flat = tensors.map((t, k) => {
          const core = t.shape.slice(t.rank - coreDims[k]!.length);
          return tf.reshape(tf.broadcastTo(t, [...batch, ...core]), [n, ...core]);
        });
        const callAt = (slices: Tensor[]): Tensor[] => {
          const full = [...vals];
          mapped.forEach((i, k) => (full[i] = slices[k]));
          const out = fn(...full);
          const outs = Array.isArray(out) && (sig ? sig.outputs.length > 1 : out.some((o) => o instanceof tf.Tensor || Array.isArray(o))) ? (out as TensorLike[]) : [out as TensorLike];
          return outs.map((o) => convertToTensor(o));
        };
        const results: Tensor[][] = [];
        if (n === 0) {
          // Call once on zeros to learn the output core shapes and dtypes.
          const probe = callAt(flat.map((f) => tf.zeros(f.shape.slice(1), f.dtype)));
          const outs = probe.map((p) => tf.zeros([...batch, ...p.shape], p.dtype));
          return sig && sig.outputs.length > 1 ? outs : outs[0]!;
        }
        const rows = flat.map((f) => tf.unstack(f, 0));
        for (let i = 0; i < n; i++) results.push(callAt(rows.map((r) => r[i]!)));
        const outs = results[0]!.map((first, o) => {
          if (sig && sig.outputs[o] && first.rank !== sig.outputs[o]!.length) {
            throw new Error(`vectorize: output ${o} has ${first.rank} dimension(s), the signature says ${sig.outputs[o]!.length}.`);
          }
          const stacked = tf.stack(results.map((r) => r[o]!), 0);
          return tf.reshape(stacked, [...batch, ...first.shape]);
        });
        return outs.length === 1 && !(sig && sig.outputs.length > 1) ? outs[0]! : outs;
      }),
    ) as VectorizedOutput;
}
