/**
 * keras.distribution: the devices tskeras can compute on.
 *
 * tfjs runs one backend on one device, so there is no sharding here (no
 * DeviceMesh or DataParallel); `listDevices()` says what is there, in Keras's
 * format ("cpu:0", "gpu:0").
 */
import { backend, knownGpus, webgpuAdapterInUse, type GpuDevice } from "../backend/engine.js";

/** A device: its Keras name ("cpu:0", "gpu:0"), its type, and what the driver calls it. */
export interface DeviceInfo {
  name: string;
  type: "cpu" | "gpu";
  description: string;
  /** The tfjs backend that reaches it ("webgpu", "tensorflow"); for the CPU, the CPU backends. */
  backends: string[];
  /** True for the device the backend in use computes on. */
  inUse: boolean;
}

function normalizeType(deviceType: string | undefined): "cpu" | "gpu" | "tpu" | undefined {
  if (deviceType === undefined || deviceType === null) return undefined;
  const t = String(deviceType).toLowerCase();
  if (t === "cpu" || t === "gpu" || t === "tpu") return t;
  throw new Error(`Unknown device type: ${String(deviceType)}. Expected one of 'cpu', 'gpu', 'tpu' or None.`);
}

/**
 * The devices with their descriptions. A GPU is listed when the backend
 * choice found a WebGPU adapter that is not a CPU fallback (SwiftShader is not
 * a GPU), or when tfjs-node-gpu is installed and the NVIDIA driver shows one.
 * When the backend is pinned to cpu or wasm, WebGPU adapters are not probed.
 */
export function deviceDetails(deviceType?: string): DeviceInfo[] {
  const want = normalizeType(deviceType);
  if (want === "tpu") return []; // tskeras has no TPU
  const using = backend();
  const gpus = collapse(knownGpus());
  const emulated = using === "webgpu" ? webgpuAdapterInUse()?.cpuFallback === true : false;
  const cpuKernels =
    using === "wasm" ? "wasm kernels"
    : emulated ? `WebGPU on ${webgpuAdapterInUse()?.description ?? "a CPU fallback adapter"}`
    : using === "tensorflow" && !gpus.some((g) => g.backends.includes("tensorflow")) ? "libtensorflow kernels"
    : "JavaScript kernels";
  const out: DeviceInfo[] = [
    {
      name: "cpu:0",
      type: "cpu",
      description: `CPU (${cpuKernels})`,
      backends: ["cpu", "wasm", ...(emulated ? ["webgpu"] : [])],
      inUse: using === "cpu" || using === "wasm" || emulated || (using === "tensorflow" && !gpus.some((g) => g.backends.includes("tensorflow"))),
    },
  ];
  gpus.forEach((g, i) => {
    out.push({ name: `gpu:${i}`, type: "gpu", description: g.description, backends: g.backends, inUse: g.backends.includes(using) });
  });
  return want === undefined ? out : out.filter((d) => d.type === want);
}

/**
 * The devices tskeras can use, as Keras names them: `["cpu:0"]`, or
 * `["cpu:0", "gpu:0"]` with a GPU. `deviceType` ("cpu" or "gpu") keeps one kind.
 */
export function listDevices(deviceType?: string): string[] {
  return deviceDetails(deviceType).map((d) => d.name);
}

/**
 * One entry per physical GPU: tfjs-node-gpu's NVIDIA GPU and the WebGPU
 * adapter on the same card are one device. With several NVIDIA GPUs the
 * WebGPU adapter (which names the card differently) is matched to the first.
 */
function collapse(found: GpuDevice[]): { description: string; backends: string[] }[] {
  const nvidia = found.filter((g) => g.via === "tensorflow");
  const adapters = found.filter((g) => g.via === "webgpu");
  const out = nvidia.map((g) => ({ description: g.description, backends: ["tensorflow"] }));
  for (const a of adapters) {
    const isNvidia = /nvidia/i.test(a.description);
    if (isNvidia && out.length > 0) out[0].backends.push("webgpu");
    else out.push({ description: a.description, backends: ["webgpu"] });
  }
  return out;
}
