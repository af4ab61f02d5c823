/**
 * What @tensorflow/tfjs-backend-webgpu needs to run in Node on Dawn (the
 * `webgpu` package), applied by lib/backend/engine.ts when webgpu starts:
 *
 * 1. Synchronous reads (`dataSync`, `arraySync`, `Variable.numpy()`).
 * 2. Fixes for kernels that fail on Dawn's stricter WGSL compiler or are
 *    missing on webgpu (they run on the cpu backend's kernel instead).
 *
 * WebGPU reads GPU memory only asynchronously (mapAsync). In a browser,
 * tfjs-backend-webgpu reads synchronously through an OffscreenCanvas, which
 * Node lacks, so `dataSync()` threw. Dawn for Node completes a mapAsync when
 * its device is ticked, and it asks for ticks by handing a native callback to
 * the global `setImmediate`. tskeras routes those callbacks through a queue it
 * can also drain itself: a synchronous read copies the tensor into a staging
 * buffer, starts mapAsync, and runs Dawn's ticks in place until the buffer is
 * mapped. Other `setImmediate` calls are passed through untouched.
 */
import { tf } from "./tfjs.js";

/** Dawn's pending tick callbacks (native functions handed to setImmediate). */
const dawnTicks = new Set<() => void>();
let dawnTicksFlushQueued = false;
let realSetImmediate: typeof setImmediate | undefined;

function runDawnTicks(): number {
  dawnTicksFlushQueued = false;
  const ticks = [...dawnTicks];
  dawnTicks.clear();
  for (const tick of ticks) tick();
  return ticks.length;
}

function isNativeFunction(f: unknown): f is () => void {
  return typeof f === "function" && /\{\s*\[native code\]\s*\}\s*$/.test(Function.prototype.toString.call(f));
}

/** Wraps the global setImmediate (once) so Dawn's tick callbacks can be run on demand. */
export function captureDawnTicks(): void {
  if (realSetImmediate !== undefined) return;
  const real = globalThis.setImmediate;
  realSetImmediate = real;
  const wrapped = function (this: unknown, callback: (...a: unknown[]) => void, ...args: unknown[]) {
    if (args.length === 0 && isNativeFunction(callback)) {
      dawnTicks.add(callback);
      if (!dawnTicksFlushQueued) {
        dawnTicksFlushQueued = true;
        return real(runDawnTicks);
      }
      return undefined;
    }
    return real(callback, ...args);
  };
  // Keep util.promisify(setImmediate) and the rest of setImmediate's own properties.
  Object.assign(wrapped, real);
  Object.defineProperty(wrapped, "name", { value: "setImmediate" });
  globalThis.setImmediate = wrapped as unknown as typeof setImmediate;
}

interface GpuBufferLike {
  size: number;
  mapState: "unmapped" | "pending" | "mapped";
  mapAsync(mode: number): Promise<void>;
  getMappedRange(): ArrayBuffer;
  unmap(): void;
}

/** The parts of tfjs-backend-webgpu's WebGPUBackend a synchronous read uses. */
interface WebgpuBackendInternals {
  readSync(dataId: object): unknown;
  tensorMap: { get(dataId: object): { values: unknown; dtype: string; resource: unknown } | undefined };
  bufferManager: { acquireBuffer(size: number, usage: number): GpuBufferLike; releaseBuffer(b: GpuBufferLike): void };
  commandEncoder: { copyBufferToBuffer(src: unknown, srcOffset: number, dst: unknown, dstOffset: number, size: number): void };
  ensureCommandEncoderReady(): void;
  endComputePassEncoder(): void;
  submitQueue(): void;
  convertAndCacheOnCPU(dataId: object, values: unknown): unknown;
  __tskerasSyncRead?: boolean;
}

/** Runs Dawn's ticks until `buffer` is mapped, sleeping a little between rounds while the GPU works. */
function waitForMap(buffer: GpuBufferLike, timeoutMs = 600_000): void {
  const sleeper = new Int32Array(new SharedArrayBuffer(4));
  const t0 = Date.now();
  let idleRounds = 0;
  for (let round = 0; buffer.mapState === "pending"; round++) {
    const ran = runDawnTicks();
    if (buffer.mapState !== "pending") break;
    if (ran === 0 && ++idleRounds > 1000) {
      throw new Error("tskeras: a synchronous read on webgpu got no progress from Dawn; use `await tensor.data()`");
    }
    if (Date.now() - t0 > timeoutMs) throw new Error("tskeras: a synchronous read on webgpu timed out");
    // Spin briefly (small reads finish within a tick or two), then back off up to 1 ms.
    if (round > 8) Atomics.wait(sleeper, 0, 0, Math.min(1, (round - 8) * 0.05));
  }
  if (buffer.mapState !== "mapped") throw new Error(`tskeras: webgpu staging buffer is ${buffer.mapState}, not mapped`);
}

/** Replaces the webgpu backend's readSync (which needs OffscreenCanvas) with one that works on Dawn for Node. */
function installSyncRead(backend: WebgpuBackendInternals): void {
  if (backend.__tskerasSyncRead) return;
  backend.__tskerasSyncRead = true;
  const original = backend.readSync.bind(backend);
  const g = globalThis as unknown as { GPUBufferUsage: { COPY_DST: number; MAP_READ: number }; GPUMapMode: { READ: number } };
  backend.readSync = (dataId: object): unknown => {
    const data = backend.tensorMap.get(dataId);
    // Values already on the CPU, strings, and complex64 (whose parts come back through this method).
    if (data === undefined || data.values != null || data.dtype === "string" || data.dtype === "complex64" || data.resource == null) {
      return original(dataId);
    }
    const source = data.resource as GpuBufferLike;
    const staging = backend.bufferManager.acquireBuffer(source.size, g.GPUBufferUsage.COPY_DST | g.GPUBufferUsage.MAP_READ);
    backend.ensureCommandEncoderReady();
    backend.endComputePassEncoder();
    backend.commandEncoder.copyBufferToBuffer(source, 0, staging, 0, source.size);
    backend.submitQueue();
    staging.mapAsync(g.GPUMapMode.READ).catch(() => undefined);
    try {
      waitForMap(staging);
      const bytes = staging.getMappedRange().slice(0);
      staging.unmap();
      const values = tf.util.convertBackendValuesAndArrayBuffer(bytes, data.dtype as tf.DataType);
      backend.convertAndCacheOnCPU(dataId, values);
      return values;
    } finally {
      if (staging.mapState === "mapped") staging.unmap();
      if (staging.mapState === "unmapped") backend.bufferManager.releaseBuffer(staging);
    }
  };
}

// ---------------------------------------------------------------------------
// Kernel fixes.

/** A tfjs program as WebGPUBackend.runWebGPUProgram takes it (the parts patched here). */
interface ProgramLike {
  constructor: { name: string };
  shaderKey: string;
  getUserCode(): string;
}

type RunProgram = (program: ProgramLike, inputs: unknown[], dtype: string, ...rest: unknown[]) => unknown;

/**
 * tfjs-backend-webgpu's TransposeProgram (every transpose but the 2-D one,
 * also called from inside other kernels: batchToSpaceND, segment sums, ...)
 * hands the raw input value to `setOutputAtIndex`, an f32 parameter. For data
 * stored as i32 (int32 and bool tensors, and float32 tensors cast from int32,
 * which share the int32 buffer) Dawn's WGSL compiler rejects the shader, the
 * pipeline is invalid and the output keeps stale data. Its shader is fixed
 * here: int outputs are written through `setOutputAtIndexI32`, float outputs
 * of i32 data through an explicit `f32(...)`.
 */
function fixTransposeProgram(program: ProgramLike, storage: string | undefined, dtype: string): void {
  const intIn = storage === "int32" || storage === "bool";
  const intOut = dtype === "int32" || dtype === "bool";
  if (!intIn && !intOut) return;
  const code = program.getUserCode();
  const fixed = intOut
    ? code.replace(/\bsetOutputAtIndex\(/g, "setOutputAtIndexI32(")
    : code.replace(/setOutputAtIndex\(flatIndex, (A\[[\s\S]*?\])\);/, "setOutputAtIndex(flatIndex, f32($1));");
  program.getUserCode = () => fixed;
  program.shaderKey = `${program.shaderKey}_${intOut ? "i32out" : "i32in"}`;
}

interface EventTargetLike {
  addEventListener?(type: string, listener: (event: { error?: { message?: string } }) => void): void;
}

const deviceErrors: string[] = [];

/** Records the errors the GPU device reports (an invalid shader, out of memory), which tfjs does not surface. */
function watchDeviceErrors(device: EventTargetLike | undefined): void {
  device?.addEventListener?.("uncapturederror", (event) => {
    const message = String(event.error?.message ?? event).split("\n")[0];
    if (deviceErrors.length < 100) deviceErrors.push(message);
  });
}

/**
 * The errors the WebGPU device reported since webgpu started (validation
 * errors from invalid shaders, out-of-memory), oldest first. A kernel whose
 * shader failed leaves its output unwritten, so the test suite checks this
 * stays empty.
 */
export function webgpuDeviceErrors(): string[] {
  return [...deviceErrors];
}

/**
 * Rank-5 and rank-6 coordinates and shapes are WGSL structs (`vec5`, `vec6`,
 * fields x y z w u v), which cannot be indexed; some programs index them with
 * a constant (`coords[4]` in the binary ops' path for a small broadcast
 * operand, as a Conv3D bias add takes; `uniforms.xShape[0]` in Pad), and
 * Dawn rejects the shader. Indexing by field name fixes it, and is just as
 * valid on the vec2/vec3/vec4 of lower ranks.
 */
function fixRank5Indexing(program: ProgramLike & { outputShape?: number[] }, inputs: unknown[]): void {
  const ranks = [program.outputShape?.length ?? 0, ...inputs.map((t) => (t as { shape?: number[] })?.shape?.length ?? 0)];
  if (Math.max(...ranks) < 5) return;
  const code = program.getUserCode();
  const pattern = /\b(coords|uniforms\.\w*[sS]hape)\[(\d)\]/g;
  if (!pattern.test(code)) return;
  const fields = ["x", "y", "z", "w", "u", "v"];
  const fixed = code.replace(pattern, (_, name: string, d: string) => `${name}.${fields[Number(d)]}`);
  program.getUserCode = () => fixed;
  program.shaderKey = `${program.shaderKey}_fields`;
}

/**
 * Wraps `runWebGPUProgram` (which tfjs-backend-webgpu's kernels call for every
 * program, also from inside other kernels) to fix those shaders, and
 * installs the synchronous read.
 */
export function patchWebgpuBackend(backendInstance: unknown): void {
  const backend = backendInstance as WebgpuBackendInternals & { runWebGPUProgram: RunProgram; __tskerasPatched?: boolean };
  if (backend.__tskerasPatched) return;
  backend.__tskerasPatched = true;
  installSyncRead(backend);
  watchDeviceErrors((backend as unknown as { device?: EventTargetLike }).device);
  const run = backend.runWebGPUProgram.bind(backend) as RunProgram;
  backend.runWebGPUProgram = (program: ProgramLike, inputs: unknown[], dtype: string, ...rest: unknown[]): unknown => {
    if (program.constructor?.name === "TransposeProgram") {
      const first = inputs[0] as { dataId: object } | undefined;
      fixTransposeProgram(program, first ? backend.tensorMap.get(first.dataId)?.dtype : undefined, dtype);
    }
    fixRank5Indexing(program, inputs);
    return run(program, inputs, dtype, ...rest);
  };
}

interface TensorInfoLike {
  dataId: object;
  shape: number[];
  dtype: tf.DataType;
}
interface KernelBackendLike {
  readSync(dataId: object): unknown;
  makeTensorInfo(shape: number[], dtype: tf.DataType, values?: unknown): TensorInfoLike;
  disposeData(dataId: object, force?: boolean): boolean;
}
type KernelFunc = (args: { inputs: Record<string, TensorInfoLike>; backend: unknown; attrs?: Record<string, unknown> }) => TensorInfoLike | TensorInfoLike[];

let kernelFixesRegistered = false;

/**
 * Registers, for the webgpu backend:
 * - Select (tf.where) past rank 4, on the inputs flattened;
 * - PadV2 and MirrorPad past rank 4, one axis at a time;
 * - UnsortedSegmentSum on int32 data (the gather gradient's kernel) through
 *   float32, as the cpu backend computes it (its atomics are float-only);
 * - every kernel the cpu backend has and webgpu lacks (Unique, the string,
 *   sparse and ragged kernels, ...), run by the cpu backend's kernel on the
 *   values read back.
 */
export function registerWebgpuKernelFixes(): void {
  if (kernelFixesRegistered) return;
  kernelFixesRegistered = true;

  const segmentSum = tf.getKernel("UnsortedSegmentSum", "webgpu");
  const cast = tf.getKernel("Cast", "webgpu");
  if (segmentSum !== undefined && cast !== undefined) {
    const original = segmentSum.kernelFunc as unknown as KernelFunc;
    const castFn = cast.kernelFunc as unknown as KernelFunc;
    tf.unregisterKernel("UnsortedSegmentSum", "webgpu");
    tf.registerKernel({
      ...segmentSum,
      kernelFunc: ((args: Parameters<KernelFunc>[0]) => {
        const { x } = args.inputs;
        if (x.dtype === "float32") return original(args);
        const b = args.backend as KernelBackendLike;
        const xf = castFn({ inputs: { x }, backend: b, attrs: { dtype: "float32" } }) as TensorInfoLike;
        try {
          return original({ ...args, inputs: { ...args.inputs, x: xf } });
        } finally {
          b.disposeData(xf.dataId);
        }
      }) as unknown as tf.KernelFunc,
    });
  }

  // Select (tf.where) has no program past rank 4 on webgpu; its three inputs
  // come broadcast to one shape, so it runs on them flattened.
  const select = tf.getKernel("Select", "webgpu");
  const reshape = tf.getKernel("Reshape", "webgpu");
  if (select !== undefined && reshape !== undefined) {
    const original = select.kernelFunc as unknown as KernelFunc;
    const reshapeFn = reshape.kernelFunc as unknown as KernelFunc;
    tf.unregisterKernel("Select", "webgpu");
    tf.registerKernel({
      ...select,
      kernelFunc: ((args: Parameters<KernelFunc>[0]) => {
        const { condition, t, e } = args.inputs;
        if (t.shape.length <= 4) return original(args);
        const b = args.backend as KernelBackendLike;
        const flat = (x: TensorInfoLike): TensorInfoLike =>
          reshapeFn({ inputs: { x }, backend: b, attrs: { shape: [x.shape.reduce((p, q) => p * q, 1)] } }) as TensorInfoLike;
        const parts = [flat(condition), flat(t), flat(e)];
        try {
          const out = original({ ...args, inputs: { condition: parts[0], t: parts[1], e: parts[2] } }) as TensorInfoLike;
          const shaped = reshapeFn({ inputs: { x: out }, backend: b, attrs: { shape: t.shape } }) as TensorInfoLike;
          b.disposeData(out.dataId);
          return shaped;
        } finally {
          for (const p of parts) b.disposeData(p.dataId);
        }
      }) as unknown as tf.KernelFunc,
    });
  }

  // PadV2 and MirrorPad compare coordinates as vectors (`outC < start`), which
  // WGSL has no operator for on the rank-5/6 structs: past rank 4 they pad
  // one axis at a time, each on a rank-3 view [before, axis, after].
  // (Constant and mirror padding are both separable by axis.)
  for (const name of ["PadV2", "MirrorPad"]) {
    const pad = tf.getKernel(name, "webgpu");
    if (pad === undefined || reshape === undefined) continue;
    const original = pad.kernelFunc as unknown as KernelFunc;
    const reshapeFn = reshape.kernelFunc as unknown as KernelFunc;
    tf.unregisterKernel(name, "webgpu");
    tf.registerKernel({
      ...pad,
      kernelFunc: ((args: Parameters<KernelFunc>[0]) => {
        const { x } = args.inputs;
        const paddings = (args.attrs?.paddings ?? []) as [number, number][];
        if (x.shape.length <= 4) return original(args);
        const b = args.backend as KernelBackendLike;
        let cur = x;
        const made: TensorInfoLike[] = [];
        try {
          paddings.forEach(([lo, hi], axis) => {
            if (lo === 0 && hi === 0) return;
            const shape = cur.shape;
            const before = shape.slice(0, axis).reduce((p, q) => p * q, 1);
            const after = shape.slice(axis + 1).reduce((p, q) => p * q, 1);
            const view = reshapeFn({ inputs: { x: cur }, backend: b, attrs: { shape: [before, shape[axis], after] } }) as TensorInfoLike;
            made.push(view);
            const padded = original({ ...args, inputs: { x: view }, attrs: { ...args.attrs, paddings: [[0, 0], [lo, hi], [0, 0]] } }) as TensorInfoLike;
            made.push(padded);
            const next = [...shape];
            next[axis] += lo + hi;
            cur = reshapeFn({ inputs: { x: padded }, backend: b, attrs: { shape: next } }) as TensorInfoLike;
            made.push(cur);
          });
          // The result must be a tensor of its own, not the input.
          if (cur === x) return reshapeFn({ inputs: { x }, backend: b, attrs: { shape: x.shape } });
          made.pop();
          return cur;
        } finally {
          for (const t of made) b.disposeData(t.dataId);
        }
      }) as unknown as tf.KernelFunc,
    });
  }

  const onGpu = new Set(tf.getKernelsForBackend("webgpu").map((k) => k.kernelName));
  for (const k of tf.getKernelsForBackend("cpu")) {
    if (onGpu.has(k.kernelName)) continue;
    const cpuKernel = k.kernelFunc as unknown as KernelFunc;
    tf.registerKernel({
      kernelName: k.kernelName,
      backendName: "webgpu",
      kernelFunc: ((args: Parameters<KernelFunc>[0]) => runOnCpu(cpuKernel, args)) as unknown as tf.KernelFunc,
    });
  }
}

/** Runs a cpu kernel on a webgpu kernel's inputs (read back) and puts its outputs on webgpu. */
function runOnCpu(kernel: KernelFunc, args: Parameters<KernelFunc>[0]): TensorInfoLike | TensorInfoLike[] {
  const gpu = args.backend as KernelBackendLike;
  const cpu = tf.engine().findBackend("cpu") as unknown as KernelBackendLike | null;
  if (cpu === null) throw new Error("tskeras: this kernel runs on the cpu backend, which is not available");
  // The cpu backend greets Node users with a banner on its first kernel; not from here.
  (cpu as unknown as { firstUse?: boolean }).firstUse = false;
  const cpuInputs: Record<string, TensorInfoLike> = {};
  for (const [name, t] of Object.entries(args.inputs)) {
    if (t == null) continue;
    cpuInputs[name] = cpu.makeTensorInfo(t.shape, t.dtype, gpu.readSync(t.dataId));
  }
  try {
    const out = kernel({ inputs: cpuInputs, backend: cpu, attrs: args.attrs });
    const outs = Array.isArray(out) ? out : [out];
    const moved = outs.map((o) => {
      const info = gpu.makeTensorInfo(o.shape, o.dtype, cpu.readSync(o.dataId));
      cpu.disposeData(o.dataId);
      return info;
    });
    return Array.isArray(out) ? moved : moved[0];
  } finally {
    for (const t of Object.values(cpuInputs)) cpu.disposeData(t.dataId);
  }
}
