/**
 * Chooses the tfjs backend like Keras chooses its backend: `KERAS_BACKEND`,
 * else `~/.keras/keras.json`, else the first of tensorflow, webgpu, wasm, cpu
 * that starts. The choice is made once, when tskeras is first imported.
 */
import { tf } from "./tfjs.js";
import { requestedBackend } from "./config.js";

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

async function startTensorflow(): Promise<void> {
  let lastError: unknown;
  for (const pkg of ["@tensorflow/tfjs-node-gpu", "@tensorflow/tfjs-node"]) {
    try {
      await dynamicImport(pkg);
      if (await tf.setBackend("tensorflow")) return;
    } catch (e) {
      lastError = e;
    }
  }
  throw new Error(
    "neither @tensorflow/tfjs-node-gpu nor @tensorflow/tfjs-node is installed" +
      (lastError ? ` (${firstLine(lastError)})` : ""),
  );
}

interface GpuAdapterInfo {
  vendor?: string;
  architecture?: string;
  device?: string;
  description?: string;
}

/** True for software adapters (SwiftShader, llvmpipe) that emulate a GPU on the CPU. */
export function isCpuFallbackAdapter(info: GpuAdapterInfo | undefined): boolean {
  const text = [info?.vendor, info?.architecture, info?.device, info?.description].join(" ").toLowerCase();
  return /swiftshader|llvmpipe|lavapipe|software|cpu/.test(text);
}

async function startWebgpu(allowCpuFallback: boolean): Promise<void> {
  const g = globalThis as { navigator?: { gpu?: unknown } };
  if (g.navigator?.gpu === undefined) {
    let dawn: { create: (flags: string[]) => unknown; globals: Record<string, unknown> };
    try {
      dawn = (await dynamicImport("webgpu")) as typeof dawn;
    } catch {
      throw new Error("the 'webgpu' package (Dawn for Node) is not installed");
    }
    Object.assign(globalThis, dawn.globals);
    const gpu = dawn.create([]);
    if (g.navigator === undefined) {
      Object.defineProperty(globalThis, "navigator", { value: { gpu }, configurable: true, writable: true });
    } else {
      Object.defineProperty(g.navigator, "gpu", { value: gpu, configurable: true });
    }
  }
  const gpu = (globalThis as unknown as { navigator: { gpu: { requestAdapter(): Promise<unknown> } } }).navigator.gpu;
  const adapter = (await gpu.requestAdapter()) as { info?: GpuAdapterInfo } | null;
  if (adapter === null) throw new Error("no WebGPU adapter found");
  if (!allowCpuFallback && isCpuFallbackAdapter(adapter.info)) {
    throw new Error(`the only WebGPU adapter is a CPU fallback (${adapter.info?.description ?? adapter.info?.vendor})`);
  }
  await dynamicImport("@tensorflow/tfjs-backend-webgpu");
  if (!(await tf.setBackend("webgpu"))) throw new Error("tfjs-backend-webgpu did not start");
}

async function startWasm(): Promise<void> {
  await dynamicImport("@tensorflow/tfjs-backend-wasm");
  if (!(await tf.setBackend("wasm"))) throw new Error("tfjs-backend-wasm did not start");
  // The gradient kernels tfjs-backend-wasm lacks (Conv2DBackpropFilter, the depthwise backprops, ...).
  await import("./wasm-kernels.js");
}

async function startCpu(): Promise<void> {
  await dynamicImport("@tensorflow/tfjs-backend-cpu");
  if (!(await tf.setBackend("cpu"))) throw new Error("tfjs-backend-cpu did not start");
  // The cpu backend greets Node users with a banner on first use; tskeras
  // says which backend runs in its own way (keras.backend.backend()).
  (tf.backend() as unknown as { firstUse?: boolean }).firstUse = false;
}

function firstLine(e: unknown): string {
  return String(e instanceof Error ? e.message : e).split("\n")[0];
}

async function start(name: BackendName, explicit: boolean): Promise<void> {
  switch (name) {
    case "tensorflow":
      return startTensorflow();
    case "webgpu":
      return startWebgpu(explicit);
    case "wasm":
      return startWasm();
    case "cpu":
      return startCpu();
  }
}

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
  for (const name of BACKEND_NAMES) {
    if (name === wanted) continue;
    try {
      await start(name, false);
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
