/**
 * Adam's update of every variable in one kernel call, on the backends whose
 * tensors live in CPU memory (cpu, wasm): one pass over each variable's
 * weights, moments and gradient in place of the dozen elementwise kernels
 * per variable that `Adam.updateStep` runs (each one a dispatch through the
 * tfjs engine, which at small batch sizes costs more than the arithmetic).
 * The values are Keras's update rule; the arithmetic runs in double precision
 * and rounds to float32 when it stores, so results match the per-op path to
 * float32 rounding. Other backends (webgpu, tensorflow) keep the per-op path.
 */
import { tf, type Tensor } from "../backend/tfjs.js";
import type { Variable } from "../backend/variable.js";

const KERNEL = "TskerasAdamUpdate";

type Heap = Float32Array | Int32Array | Uint8Array;

interface MemoryAccess {
  /** The values of an input (a view or the stored array; not written to). */
  read(backend: unknown, t: tf.TensorInfo): Heap;
  /** Allocates float32 outputs and returns them with writable views (taken after every allocation). */
  alloc(backend: unknown, shapes: number[][]): { infos: tf.TensorInfo[]; views: Float32Array[] };
}

interface CpuBackendLike {
  readSync(dataId: object): Heap;
  makeTensorInfo(shape: number[], dtype: tf.DataType, values: Float32Array): tf.TensorInfo;
}

interface WasmBackendLike {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): Heap;
}

const ACCESS: Record<string, MemoryAccess> = {
  cpu: {
    read: (b, t) => (b as CpuBackendLike).readSync(t.dataId),
    alloc: (b, shapes) => {
      const views = shapes.map((s) => new Float32Array(tf.util.sizeFromShape(s)));
      return { infos: shapes.map((s, i) => (b as CpuBackendLike).makeTensorInfo(s, "float32", views[i])), views };
    },
  },
  wasm: {
    read: (b, t) => (b as WasmBackendLike).typedArrayFromHeap(t),
    alloc: (b, shapes) => {
      const infos = shapes.map((s) => (b as WasmBackendLike).makeOutput(s, "float32"));
      return { infos, views: infos.map((i) => (b as WasmBackendLike).typedArrayFromHeap(i) as Float32Array) };
    },
  },
};

/** The elementwise update, kept monomorphic (Float32Array only) for the JIT. */
function adamLoop(
  w: Float32Array,
  m: Float32Array,
  v: Float32Array,
  g: Float32Array,
  wOut: Float32Array,
  mOut: Float32Array,
  vOut: Float32Array,
  c1: number,
  c2: number,
  alpha: number,
  eps: number,
): void {
  for (let j = 0, len = w.length; j < len; j++) {
    const gj = g[j];
    const mPrev = m[j];
    const vPrev = v[j];
    const mj = Math.fround(mPrev + (gj - mPrev) * c1);
    const vj = Math.fround(vPrev + (gj * gj - vPrev) * c2);
    mOut[j] = mj;
    vOut[j] = vj;
    wOut[j] = w[j] - (mj * alpha) / (Math.sqrt(vj) + eps);
  }
}

function register(backendName: string, access: MemoryAccess): void {
  if (tf.getKernel(KERNEL, backendName) !== undefined) return;
  tf.registerKernel({
    kernelName: KERNEL,
    backendName,
    kernelFunc: ({ inputs, attrs, backend }) => {
      const a = attrs as unknown as { n: number; beta1: number; beta2: number; epsilon: number };
      const ins = inputs as unknown as Record<string, tf.TensorInfo>;
      const shapes: number[][] = [];
      for (let i = 0; i < a.n; i++) {
        const s = ins[`w${i}`].shape;
        shapes.push(s, s, s);
      }
      // Outputs first: on wasm an allocation may grow the heap and invalidate earlier views.
      const { infos, views } = access.alloc(backend, shapes);
      const lr = Math.fround(access.read(backend, ins.lr)[0]);
      const t = Math.fround(access.read(backend, ins.iterations)[0] + 1);
      const f = Math.fround;
      const beta1 = f(a.beta1);
      const beta2 = f(a.beta2);
      const c1 = f(1 - a.beta1);
      const c2 = f(1 - a.beta2);
      const eps = f(a.epsilon);
      // Keras: alpha = lr * sqrt(1 - beta2^t) / (1 - beta1^t).
      const alpha = f(f(lr * f(Math.sqrt(f(1 - f(Math.pow(beta2, t)))))) / f(1 - f(Math.pow(beta1, t))));
      for (let i = 0; i < a.n; i++) {
        adamLoop(
          access.read(backend, ins[`w${i}`]) as Float32Array,
          access.read(backend, ins[`m${i}`]) as Float32Array,
          access.read(backend, ins[`v${i}`]) as Float32Array,
          access.read(backend, ins[`g${i}`]) as Float32Array,
          views[3 * i],
          views[3 * i + 1],
          views[3 * i + 2],
          c1,
          c2,
          alpha,
          eps,
        );
      }
      return infos;
    },
  });
}

for (const [name, access] of Object.entries(ACCESS)) register(name, access);

/** What one fused Adam step needs. */
export interface FusedAdamStep {
  grads: readonly Tensor[];
  variables: readonly Variable[];
  momentums: readonly Variable[];
  velocities: readonly Variable[];
  learningRate: Tensor;
  /** The step counter before this step (int32 scalar); the update uses `iterations + 1`. */
  iterations: Tensor;
  beta1: number;
  beta2: number;
  epsilon: number;
}

/**
 * The variables (by index) `fusedAdamStep` should update on the current
 * backend. On wasm, a large variable is left to the per-op path: there the
 * kernels' SIMD arithmetic beats this scalar loop once the dozen dispatches
 * are amortized (from about 16k elements); on cpu the loop always wins.
 */
export function fusableAdamVariables(grads: readonly Tensor[], variables: readonly Variable[]): number[] {
  const backend = tf.getBackend();
  if (tf.getKernel(KERNEL, backend) === undefined) return [];
  const limit = backend === "wasm" ? 16384 : Infinity;
  const out: number[] = [];
  for (let i = 0; i < variables.length; i++) {
    const g = grads[i];
    if (variables[i].dtype === "float32" && g.dtype === "float32" && g.size === variables[i].size && g.size < limit) out.push(i);
  }
  return out;
}

/** Runs Adam's update of every variable in one kernel and assigns the results. */
export function fusedAdamStep(s: FusedAdamStep): void {
  const n = s.variables.length;
  const inputs: Record<string, Tensor> = { lr: s.learningRate, iterations: s.iterations };
  for (let i = 0; i < n; i++) {
    inputs[`w${i}`] = s.variables[i].value;
    inputs[`m${i}`] = s.momentums[i].value;
    inputs[`v${i}`] = s.velocities[i].value;
    inputs[`g${i}`] = s.grads[i];
  }
  tf.tidy(() => {
    const out = tf.engine().runKernel(KERNEL, inputs as unknown as tf.NamedTensorMap, {
      n,
      beta1: s.beta1,
      beta2: s.beta2,
      epsilon: s.epsilon,
    } as unknown as tf.NamedAttrMap) as Tensor[];
    for (let i = 0; i < n; i++) {
      s.variables[i].value.assign(out[3 * i]);
      s.momentums[i].value.assign(out[3 * i + 1]);
      s.velocities[i].value.assign(out[3 * i + 2]);
    }
  });
}
