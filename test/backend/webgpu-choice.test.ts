/**
 * How webgpu is chosen, and keras.distribution.listDevices(). Runs in the
 * normal suite (cpu) and again in `npm run test:webgpu`.
 */
import { describe, expect, it } from "vitest";
import * as keras from "../../lib/index.js";
import { tf } from "../../lib/backend/tfjs.js";
import { backend, backendChoice, chooseBackend, describeAdapter, isCpuFallbackAdapter, setBackend } from "../../lib/backend/engine.js";

const onWebgpu = backend() === "webgpu";

describe("WebGPU adapters", () => {
  it("tells CPU fallbacks (isFallbackAdapter, SwiftShader, llvmpipe) from GPUs", () => {
    expect(isCpuFallbackAdapter({ vendor: "google", architecture: "swiftshader", device: "swiftshader-device-subzero-", description: "SwiftShader driver 5.0.0" })).toBe(true);
    expect(isCpuFallbackAdapter({ vendor: "mesa", description: "llvmpipe (LLVM 15.0.6, 256 bits)" })).toBe(true);
    expect(isCpuFallbackAdapter({ vendor: "x", isFallbackAdapter: true })).toBe(true);
    expect(isCpuFallbackAdapter({ vendor: "nvidia", architecture: "hopper", device: "nvidia-h100-80gb-hbm3", description: "NVIDIA: 550.54.15" })).toBe(false);
    expect(isCpuFallbackAdapter({ vendor: "apple", architecture: "metal-3", description: "Apple M2" })).toBe(false);
  });

  it("names adapters by device and driver", () => {
    expect(describeAdapter({ device: "nvidia-h100", description: "NVIDIA: 550" })).toBe("nvidia-h100 / NVIDIA: 550");
    expect(describeAdapter({ vendor: "apple", description: "Apple M2" })).toBe("apple / Apple M2");
    expect(describeAdapter(undefined)).toBe("WebGPU adapter");
  });
});

describe("keras.distribution.listDevices", () => {
  it("lists cpu:0 first, in Keras's format, and filters by type", () => {
    const all = keras.distribution.listDevices();
    expect(all[0]).toBe("cpu:0");
    for (const d of all) expect(d).toMatch(/^(cpu|gpu):\d+$/);
    expect(keras.distribution.listDevices("cpu")).toEqual(["cpu:0"]);
    expect(keras.distribution.listDevices("GPU").every((d) => d.startsWith("gpu:"))).toBe(true);
    expect(keras.distribution.listDevices("tpu")).toEqual([]);
    expect(() => keras.distribution.listDevices("npu")).toThrow(/Unknown device type: npu/);
  });

  it("says which device the backend in use computes on", () => {
    const details = keras.distribution.deviceDetails();
    expect(details.filter((d) => d.inUse).length).toBeGreaterThanOrEqual(1);
    if (backend() === "cpu" || backend() === "wasm") expect(details[0].inUse).toBe(true);
  });
});

describe.runIf(onWebgpu)("choosing webgpu (KERAS_BACKEND=webgpu)", () => {
  it("was asked for by name, so it took the CPU fallback adapter when no GPU is there", () => {
    expect(backendChoice().name).toBe("webgpu");
    expect(backendChoice().notice).toBeUndefined();
    if (keras.distribution.listDevices("gpu").length === 0) {
      // SwiftShader: tskeras pointed Vulkan at chromium's ICD by itself when none was set.
      expect(process.env.VK_ICD_FILENAMES ?? "").toMatch(/swiftshader/);
      expect(keras.distribution.deviceDetails()[0].description).toMatch(/WebGPU on .*swiftshader/i);
    }
  });

  it("the automatic choice passes over a CPU fallback adapter", async () => {
    if (keras.distribution.listDevices("gpu").length > 0) return; // a real GPU: the automatic choice takes it
    const saved = process.env.KERAS_BACKEND;
    delete process.env.KERAS_BACKEND;
    try {
      const choice = await chooseBackend();
      expect(choice.name).not.toBe("webgpu");
      expect(choice.skipped.find((s) => s.name === "webgpu")?.reason).toMatch(/CPU fallback/);
    } finally {
      process.env.KERAS_BACKEND = saved;
      await setBackend("webgpu");
    }
    expect(tf.getBackend()).toBe("webgpu");
  });
});
