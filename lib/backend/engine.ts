/**
 * Chooses the tfjs backend like Keras chooses its backend: `KERAS_BACKEND`,
 * else `~/.keras/keras.json`, else the first that starts of: a GPU
 * (tensorflow through tfjs-node-gpu on an NVIDIA GPU, then webgpu on an
 * adapter that is not a CPU fallback), tensorflow on the CPU (tfjs-node),
 * wasm, cpu. The choice is made once, when tskeras is first imported.
 *
 * `TSKERAS_WASM_THREADS=<n>` (or `auto`) runs the wasm backend on n worker
 * threads (tfjs-backend-wasm's multithreaded SIMD binary, which it does not
 * start in Node by itself; see `enableWasmThreads`). Default: one thread.
 */
import { tf } from "./tfjs.js";
import { requestedBackend } from "./config.js";
import { createRequire } from "node:module";
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { cpus, tmpdir } from "node:os";
import "./zero-gradients.js";
import { captureDawnTicks, patchWebgpuBackend, registerWebgpuKernelFixes } from "./webgpu-node.js";

/** The backends tskeras knows, in the order the automatic choice tries them. */
export const BACKEND_NAMES = ["tensorflow", "webgpu", "wasm", "cpu"] as const;
/** A tskeras backend name. */
export type BackendName = (typeof BACKEND_NAMES)[number];

/** What the backend choice found: the name in use and why others were passed over. */
export interface BackendChoice {
  name: BackendName;
  /** Backends that were tried first and did not start, with the reason. */
  skipped: { name: BackendName; reason: string }[];
  /** A one-line notice when the requested backend could not be used. */
  notice?: string;
}

const dynamicImport = (spec: string): Promise<unknown> => import(spec);

// ---------------------------------------------------------------------------
// GPUs the engine has seen, for keras.distribution.listDevices().

/** A GPU the backend choice found: a real WebGPU adapter, or an NVIDIA GPU that tfjs-node-gpu can use. */
export interface GpuDevice {
  /** Which tfjs backend reaches it. */
  via: "webgpu" | "tensorflow";
  /** Its name as the driver gives it (the WebGPU adapter's device and description, or the NVIDIA model). */
  description: string;
}

const gpuDevices = new Map<string, GpuDevice>();

function noteGpu(device: GpuDevice): void {
  gpuDevices.set(`${device.via}:${device.description}`, device);
}

/** The GPUs found so far (empty when none, or when a CPU backend was pinned and no GPU was probed). */
export function knownGpus(): GpuDevice[] {
  // tfjs-node-gpu: an NVIDIA GPU the driver shows, whatever backend runs.
  if (resolvable("@tensorflow/tfjs-node-gpu")) for (const model of nvidiaGpus()) noteGpu({ via: "tensorflow", description: model });
  return [...gpuDevices.values()];
}

const requireHere = createRequire(import.meta.url);

function resolvable(pkg: string): boolean {
  try {
    requireHere.resolve(pkg);
    return true;
  } catch {
    return false;
  }
}

let nvidiaCache: string[] | undefined;

/**
 * The NVIDIA GPUs the driver shows (their model names), read from
 * /proc/driver/nvidia (Linux, also inside containers given the GPU), else from
 * `nvidia-smi -L`. Empty when there is none.
 */
export function nvidiaGpus(): string[] {
  if (nvidiaCache !== undefined) return nvidiaCache;
  const found: string[] = [];
  const dir = "/proc/driver/nvidia/gpus";
  try {
    for (const bus of readdirSync(dir).sort()) {
      const info = readFileSync(join(dir, bus, "information"), "utf8");
      const model = /^Model:\s*(.+)$/m.exec(info)?.[1]?.trim();
      found.push(model || `NVIDIA GPU ${bus}`);
    }
  } catch {
    // No /proc/driver/nvidia: ask nvidia-smi (Windows, or an unusual Linux setup).
    try {
      const out = execFileSync("nvidia-smi", ["-L"], { encoding: "utf8", timeout: 5000, stdio: ["ignore", "pipe", "ignore"] });
      for (const m of out.matchAll(/^GPU \d+: (.+?)(?: \(UUID:.*\))?$/gm)) found.push(m[1].trim());
    } catch {
      // no NVIDIA driver
    }
  }
  nvidiaCache = found;
  return found;
}

// ---------------------------------------------------------------------------
// tensorflow: @tensorflow/tfjs-node-gpu (CUDA) or @tensorflow/tfjs-node (libtensorflow on the CPU).

/**
 * Starts the tensorflow backend. `gpuOnly` (the first step of the automatic
 * choice) starts it only from tfjs-node-gpu with an NVIDIA GPU in sight;
 * otherwise tfjs-node-gpu, then tfjs-node, whichever loads.
 */
async function startTensorflow(gpuOnly = false): Promise<void> {
  const pkgs = gpuOnly ? ["@tensorflow/tfjs-node-gpu"] : ["@tensorflow/tfjs-node-gpu", "@tensorflow/tfjs-node"];
  if (gpuOnly) {
    if (!resolvable(pkgs[0])) throw new Error("@tensorflow/tfjs-node-gpu is not installed");
    if (nvidiaGpus().length === 0) throw new Error("@tensorflow/tfjs-node-gpu is installed but no NVIDIA GPU is visible");
  }
  let lastError: unknown;
  for (const pkg of pkgs) {
    if (!resolvable(pkg)) continue;
    try {
      await dynamicImport(pkg);
      if (await tf.setBackend("tensorflow")) {
        if (pkg.endsWith("-gpu")) for (const model of nvidiaGpus()) noteGpu({ via: "tensorflow", description: model });
        return;
      }
      lastError = new Error(`${pkg} loaded but its backend did not start`);
    } catch (e) {
      lastError = e;
    }
  }
  throw new Error(
    lastError
      ? `@tensorflow/tfjs-node(-gpu) did not load (${firstLine(lastError)})`
      : gpuOnly
        ? "@tensorflow/tfjs-node-gpu is not installed"
        : "neither @tensorflow/tfjs-node-gpu nor @tensorflow/tfjs-node is installed",
  );
}

// ---------------------------------------------------------------------------
// webgpu: @tensorflow/tfjs-backend-webgpu on Dawn (the `webgpu` package gives Node `navigator.gpu`).

/** What a WebGPU adapter says about itself (GPUAdapterInfo). */
export interface GpuAdapterInfo {
  vendor?: string;
  architecture?: string;
  device?: string;
  description?: string;
  /** Set by the implementation for software adapters. */
  isFallbackAdapter?: boolean;
}

/** True for software adapters (SwiftShader, llvmpipe/lavapipe) that emulate a GPU on the CPU. */
export function isCpuFallbackAdapter(info: GpuAdapterInfo | undefined): boolean {
  if (info?.isFallbackAdapter === true) return true;
  const text = [info?.vendor, info?.architecture, info?.device, info?.description].join(" ").toLowerCase();
  return /swiftshader|llvmpipe|lavapipe|software|\bcpu\b/.test(text);
}

/** How a WebGPU adapter is named in device lists: its device name and driver description. */
export function describeAdapter(info: GpuAdapterInfo | undefined): string {
  const parts = [info?.device || info?.architecture || info?.vendor, info?.description].filter((s): s is string => !!s);
  return [...new Set(parts)].join(" / ") || "WebGPU adapter";
}

/**
 * Where Debian's and Ubuntu's chromium packages put SwiftShader's Vulkan ICD
 * manifest (the library itself, libvk_swiftshader.so, lies beside it).
 */
export const SWIFTSHADER_ICD_PATHS = [
  "/usr/lib/chromium/vk_swiftshader_icd.json",
  "/usr/lib64/chromium/vk_swiftshader_icd.json",
  "/usr/lib/chromium-browser/vk_swiftshader_icd.json",
  "/opt/google/chrome/vk_swiftshader_icd.json",
];

/** The SwiftShader ICD manifest on this machine, if any (`TSKERAS_SWIFTSHADER_ICD` overrides the search). */
export function swiftshaderIcd(): string | undefined {
  const own = process.env.TSKERAS_SWIFTSHADER_ICD;
  if (own) return existsSync(own) ? own : undefined;
  return SWIFTSHADER_ICD_PATHS.find((p) => existsSync(p));
}

interface GpuAdapterLike {
  info?: GpuAdapterInfo;
}
interface GpuLike {
  requestAdapter(options?: { powerPreference?: "high-performance" | "low-power" }): Promise<GpuAdapterLike | null>;
}
type Globals = { navigator?: { gpu?: GpuLike } };

/** The `navigator.gpu` tskeras made from Dawn, if it made one (and whether it made `navigator` too). */
let dawnGpu: { gpu: GpuLike; madeNavigator: boolean } | undefined;

/** `navigator.gpu`: the one already there (a browser-like host), else one made from Dawn. */
async function webgpuApi(): Promise<GpuLike> {
  const g = globalThis as Globals;
  if (g.navigator?.gpu !== undefined) return g.navigator.gpu;
  let dawn: { create: (flags: string[]) => GpuLike; globals: Record<string, unknown> };
  captureDawnTicks();
  try {
    dawn = (await dynamicImport("webgpu")) as typeof dawn;
  } catch (e) {
    const missing = /Cannot find (package|module) 'webgpu'/.test(firstLine(e));
    throw new Error(missing ? "the 'webgpu' package (Dawn for Node) is not installed" : `Dawn did not load (${firstLine(e)})`);
  }
  // GPUBufferUsage, GPUMapMode, ...: the constants tfjs-backend-webgpu reads from the global scope.
  Object.assign(globalThis, dawn.globals);
  const gpu = dawn.create([]);
  const madeNavigator = g.navigator === undefined;
  if (madeNavigator) {
    Object.defineProperty(globalThis, "navigator", { value: { gpu }, configurable: true, writable: true });
  } else {
    Object.defineProperty(g.navigator, "gpu", { value: gpu, configurable: true, writable: true });
  }
  dawnGpu = { gpu, madeNavigator };
  return gpu;
}

/**
 * Forgets the Dawn instance tskeras made (when webgpu was not chosen): a live
 * instance keeps Node from exiting, and a later attempt must make a new one
 * (the Vulkan loader reads VK_ICD_FILENAMES when an instance is made).
 */
function dropDawn(): void {
  if (dawnGpu === undefined) return;
  const g = globalThis as Globals;
  if (dawnGpu.madeNavigator) delete (globalThis as { navigator?: unknown }).navigator;
  else if (g.navigator?.gpu === dawnGpu.gpu) delete g.navigator.gpu;
  dawnGpu = undefined;
}

/** The adapter tfjs-backend-webgpu will take (it asks for the high-performance one). */
async function webgpuAdapter(): Promise<GpuAdapterLike | null> {
  const gpu = await webgpuApi();
  let lowPower = false;
  try {
    // A tfjs flag, registered once tfjs-backend-webgpu is loaded.
    lowPower = tf.env().getBool("WEBGPU_USE_LOW_POWER_GPU");
  } catch {
    // not loaded yet: the default, high-performance
  }
  // Vulkan drivers probe for a Wayland display while adapters are listed, and
  // libwayland prints two error lines when XDG_RUNTIME_DIR is unset (a server,
  // CI): give it a harmless value for the duration.
  const quiet = process.platform === "linux" && process.env.XDG_RUNTIME_DIR === undefined;
  if (quiet) process.env.XDG_RUNTIME_DIR = tmpdir();
  try {
    return await gpu.requestAdapter({ powerPreference: lowPower ? "low-power" : "high-performance" });
  } finally {
    if (quiet) delete process.env.XDG_RUNTIME_DIR;
  }
}

/**
 * Starts the webgpu backend. The automatic choice (`explicit` false) refuses
 * CPU fallback adapters: SwiftShader is far slower than the wasm backend.
 * Asked for by name, webgpu takes them, and when Vulkan finds no adapter at
 * all and VK_ICD_FILENAMES is unset, points the loader at chromium's SwiftShader.
 */
async function startWebgpu(explicit: boolean): Promise<void> {
  if (tf.findBackend("webgpu") !== null) {
    // Started before (a switch back at run time).
    if (!explicit && webgpuInUse?.cpuFallback) {
      throw new Error(`the only WebGPU adapter is a CPU fallback (${webgpuInUse.description})`);
    }
    if (!(await tf.setBackend("webgpu"))) throw new Error("tfjs-backend-webgpu did not start");
    return;
  }
  let adapter = await webgpuAdapter();
  if (adapter === null && explicit && dawnGpu !== undefined && !process.env.VK_ICD_FILENAMES) {
    const icd = swiftshaderIcd();
    if (icd !== undefined) {
      dropDawn();
      process.env.VK_ICD_FILENAMES = icd;
      adapter = await webgpuAdapter();
    }
  }
  if (adapter === null) {
    dropDawn();
    throw new Error(
      "no WebGPU adapter found" +
        (process.platform === "linux" && !process.env.VK_ICD_FILENAMES
          ? " (no Vulkan GPU driver; for a CPU adapter install chromium and libvulkan1, whose SwiftShader KERAS_BACKEND=webgpu then uses)"
          : ""),
    );
  }
  const fallback = isCpuFallbackAdapter(adapter.info);
  if (!explicit && fallback) {
    dropDawn();
    throw new Error(`the only WebGPU adapter is a CPU fallback (${describeAdapter(adapter.info)})`);
  }
  // Imported only now: the package registers its backend at import time, and only when navigator.gpu exists.
  await dynamicImport("@tensorflow/tfjs-backend-webgpu");
  // The cpu backend's kernels stand in for those webgpu lacks.
  await dynamicImport("@tensorflow/tfjs-backend-cpu");
  registerWebgpuKernelFixes();
  if (tf.findBackendFactory("webgpu") === null) {
    dropDawn();
    throw new Error("tfjs-backend-webgpu was loaded before navigator.gpu existed and registered no backend");
  }
  if (!(await tf.setBackend("webgpu"))) {
    dropDawn();
    throw new Error("tfjs-backend-webgpu did not start");
  }
  patchWebgpuBackend(tf.backend());
  webgpuInUse = { description: describeAdapter(adapter.info), cpuFallback: fallback };
  if (!fallback) noteGpu({ via: "webgpu", description: webgpuInUse.description });
}

let webgpuInUse: { description: string; cpuFallback: boolean } | undefined;

/** The adapter the webgpu backend runs on, once started: its name and whether it is a CPU fallback (SwiftShader). */
export function webgpuAdapterInUse(): { description: string; cpuFallback: boolean } | undefined {
  return webgpuInUse;
}

// ---------------------------------------------------------------------------
// wasm: @tensorflow/tfjs-backend-wasm, with worker threads in Node.

interface WasmPackage {
  setThreadsCount(n: number): void;
  getThreadsCount(): number;
}

/**
 * How many threads the wasm backend uses: `TSKERAS_WASM_THREADS` (a whole
 * number, at most 8; `auto` for the number of logical cores, at most 4),
 * else 1, tfjs's own choice in Node. Threads speed up the large matmuls and
 * convolutions (about 2x on 2 idle cores) but slow everything down when the
 * cores are shared with other busy processes (the pool's threads wait for
 * each other), so they are opt-in.
 */
export function wasmThreadsWanted(): number {
  const env = process.env.TSKERAS_WASM_THREADS?.trim().toLowerCase();
  if (env === undefined || env === "") return 1;
  if (env === "auto") return Math.max(1, Math.min(cpus().length, 4));
  const n = Number(env);
  if (!Number.isInteger(n) || n < 0) {
    throw new Error(`TSKERAS_WASM_THREADS must be a whole number of threads or "auto". Received: ${process.env.TSKERAS_WASM_THREADS}`);
  }
  return Math.max(1, Math.min(n, 8));
}

/**
 * Lets tfjs-backend-wasm start its multithreaded SIMD binary in Node, which it
 * refuses by itself (its WASM_HAS_MULTITHREAD_SUPPORT flag is false in Node),
 * and which would not start anyway: the Emscripten runtime starts its threads
 * with `new Worker(blob URL)` and hands them the main script as a Blob, and
 * Node's worker_threads take neither. The shim:
 * - sets the flag, and the thread count;
 * - gives the runtime a `Worker` (the global it uses, an accessor here) that
 *   runs the package's worker script (exported as a string) with `eval`, and
 *   points the workers at the package's main script file instead of a Blob;
 * - keeps the pool threads from holding the process open (`ref()` is a no-op);
 * - makes `os.cpus()` report two entries per thread wanted while the module
 *   starts: the backend sizes its thread pool from half the logical cores
 *   (it assumes hyper-threading) and caps the requested count by that.
 */
async function enableWasmThreads(wasm: WasmPackage, threads: number): Promise<(() => void) | null> {
  if (!(await tf.env().getAsync("WASM_HAS_SIMD_SUPPORT"))) return null;
  const dir = join(dirname(requireHere.resolve("@tensorflow/tfjs-backend-wasm/package.json")), "wasm-out");
  const workerModule = join(dir, "tfjs-backend-wasm-threaded-simd.worker.js");
  const mainScript = join(dir, "tfjs-backend-wasm-threaded-simd.js");
  if (!existsSync(workerModule) || !existsSync(mainScript)) return null;
  const workerThreads = requireHere("node:worker_threads") as typeof import("node:worker_threads");
  // The worker script, as the package's locateFile would put it in a Blob (escaped newlines).
  const workerSource = (requireHere(workerModule) as { wasmWorkerContents: string }).wasmWorkerContents.replace(/\n/g, "\\n");
  class NodeWorker extends workerThreads.Worker {
    constructor(url: string | URL, options?: import("node:worker_threads").WorkerOptions) {
      const blob = String(url).startsWith("blob:");
      super(blob ? workerSource : url, blob ? { ...options, eval: true } : options);
    }
    // The runtime refs a worker while it runs a thread; XNNPACK's pool threads
    // run until the process ends, so they would keep Node from exiting. The
    // main thread waits for them synchronously and needs no event from them.
    override ref(): void {}
    override postMessage(message: unknown, transfer?: readonly import("node:worker_threads").TransferListItem[]): void {
      const m = message as { cmd?: unknown; urlOrBlob?: unknown } | null;
      if (m !== null && typeof m === "object" && m.cmd === "load" && typeof m.urlOrBlob !== "string") message = { ...m, urlOrBlob: mainScript };
      super.postMessage(message, transfer);
    }
  }
  if (!Object.getOwnPropertyDescriptor(globalThis, "Worker")?.get) {
    // The Emscripten runtime assigns worker_threads.Worker to the global when it starts: keep ours.
    Object.defineProperty(globalThis, "Worker", { configurable: true, get: () => NodeWorker, set: () => {} });
  }
  tf.env().set("WASM_HAS_MULTITHREAD_SUPPORT", true);
  wasm.setThreadsCount(threads);
  const os = requireHere("node:os") as { cpus: typeof cpus };
  const realCpus = os.cpus;
  os.cpus = () => {
    const one = realCpus.call(os);
    return Array.from({ length: 2 * threads }, (_, i) => one[i % one.length]);
  };
  return () => {
    os.cpus = realCpus;
  };
}

async function startWasm(): Promise<void> {
  const wasm = (await dynamicImport("@tensorflow/tfjs-backend-wasm")) as WasmPackage;
  const threads = wasmThreadsWanted();
  // Only before the backend's first start: the module is instantiated once.
  const restore = threads > 1 && tf.engine().registry.wasm === undefined ? await enableWasmThreads(wasm, threads) : null;
  let started: boolean;
  try {
    started = await tf.setBackend("wasm");
  } finally {
    restore?.();
  }
  if (!started) throw new Error("tfjs-backend-wasm did not start");
  // The gradient kernels tfjs-backend-wasm lacks (Conv2DBackpropFilter, the depthwise backprops, ...).
  await import("./wasm-kernels.js");
}

async function startCpu(): Promise<void> {
  await dynamicImport("@tensorflow/tfjs-backend-cpu");
  if (!(await tf.setBackend("cpu"))) throw new Error("tfjs-backend-cpu did not start");
  // The cpu backend greets Node users with a banner on first use; tskeras
  // says which backend runs in its own way (keras.backend.backend()).
  (tf.backend() as unknown as { firstUse?: boolean }).firstUse = false;
  // A Conv2DBackpropFilter that reads typed arrays (tfjs's reads each value through TensorBuffer.get).
  await import("./cpu-kernels.js");
}

function firstLine(e: unknown): string {
  return String(e instanceof Error ? e.message : e).split("\n")[0];
}

async function start(name: BackendName, explicit: boolean, gpuOnly = false): Promise<void> {
  switch (name) {
    case "tensorflow":
      return startTensorflow(gpuOnly);
    case "webgpu":
      return startWebgpu(explicit);
    case "wasm":
      return startWasm();
    case "cpu":
      return startCpu();
  }
}

/**
 * The automatic choice, in order: a GPU first (tensorflow on an NVIDIA GPU
 * through tfjs-node-gpu, then a WebGPU adapter that is not a CPU fallback),
 * then libtensorflow on the CPU when tfjs-node is installed, then wasm, then cpu.
 */
const AUTO_STEPS: { name: BackendName; gpuOnly?: boolean }[] = [
  { name: "tensorflow", gpuOnly: true },
  { name: "webgpu" },
  { name: "tensorflow" },
  { name: "wasm" },
  { name: "cpu" },
];

/** Starts a backend by the rules of the module comment and reports the choice. */
export async function chooseBackend(requested = requestedBackend()): Promise<BackendChoice> {
  const skipped: BackendChoice["skipped"] = [];
  let wanted: BackendName | undefined;
  let notice: string | undefined;
  if (requested !== undefined) {
    const lower = requested.toLowerCase();
    if ((BACKEND_NAMES as readonly string[]).includes(lower)) {
      wanted = lower as BackendName;
      try {
        await start(wanted, true);
        return { name: wanted, skipped };
      } catch (e) {
        skipped.push({ name: wanted, reason: firstLine(e) });
      }
    } else {
      skipped.push({ name: lower as BackendName, reason: `unknown backend; expected one of ${BACKEND_NAMES.join(", ")}` });
    }
  }
  for (const { name, gpuOnly } of AUTO_STEPS) {
    if (name === wanted) continue;
    try {
      await start(name, false, gpuOnly);
      if (requested !== undefined) {
        const why = skipped[0]?.reason ?? "it did not start";
        notice = `tskeras: backend "${requested}" is not available (${why}); using "${name}".`;
      }
      return { name, skipped, notice };
    } catch (e) {
      skipped.push({ name, reason: firstLine(e) });
    }
  }
  throw new Error("tskeras: no tfjs backend could start: " + skipped.map((s) => `${s.name}: ${s.reason}`).join("; "));
}

let current: BackendChoice = await chooseBackend();
if (current.notice) process.stderr.write(current.notice + "\n");

/** The name of the backend in use: "tensorflow", "webgpu", "wasm" or "cpu". */
export function backend(): BackendName {
  return current.name;
}

/** How the backend in use was chosen (what was tried and skipped). */
export function backendChoice(): BackendChoice {
  return current;
}

/**
 * Switches to another backend at run time (`keras.backend.setBackend("wasm")`).
 * Tensors made on the old backend stay readable; new ones are made on the new one.
 */
export async function setBackend(name: BackendName): Promise<void> {
  await start(name, true);
  current = { name, skipped: [] };
}
