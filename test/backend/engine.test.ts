import { describe, expect, it, vi } from "vitest";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { tf } from "../../lib/backend/tfjs.js";
import { backend, backendChoice, chooseBackend, isCpuFallbackAdapter } from "../../lib/backend/engine.js";
import * as config from "../../lib/backend/config.js";
import { clearSession, getUid } from "../../lib/backend/index.js";
import { autoName } from "../../lib/utils/naming.js";

describe("backend choice", () => {
  it("uses KERAS_BACKEND (the tests run on cpu)", () => {
    expect(process.env.KERAS_BACKEND).toBe("cpu");
    expect(backend()).toBe("cpu");
    expect(tf.getBackend()).toBe("cpu");
    expect(backendChoice().notice).toBeUndefined();
  });

  it("falls back with a one-line notice when the requested engine is missing", async () => {
    const choice = await chooseBackend("tensorflow");
    try {
      expect(choice.name).not.toBe("tensorflow");
      expect(choice.notice).toMatch(/^tskeras: backend "tensorflow" is not available \(.*tfjs-node.*\); using "(webgpu|wasm|cpu)"\.$/);
      expect(choice.notice?.includes("\n")).toBe(false);
    } finally {
      await tf.setBackend("cpu");
    }
  });

  it("names the valid backends when the request is unknown", async () => {
    const choice = await chooseBackend("jax");
    try {
      expect(choice.notice).toMatch(/backend "jax" is not available \(unknown backend; expected one of tensorflow, webgpu, wasm, cpu\)/);
    } finally {
      await tf.setBackend("cpu");
    }
  });

  it("can start the wasm backend", async () => {
    const choice = await chooseBackend("wasm");
    try {
      expect(choice.name).toBe("wasm");
      expect(tf.getBackend()).toBe("wasm");
      const y = tf.matMul(tf.ones([2, 3]), tf.ones([3, 2]));
      expect(Array.from(y.dataSync())).toEqual([3, 3, 3, 3]);
      y.dispose();
    } finally {
      await tf.setBackend("cpu");
    }
  });

  it("tells CPU fallback WebGPU adapters from real GPUs", () => {
    expect(isCpuFallbackAdapter({ vendor: "google", architecture: "swiftshader", description: "SwiftShader Device (Subzero)" })).toBe(true);
    expect(isCpuFallbackAdapter({ vendor: "nvidia", architecture: "hopper", description: "NVIDIA H100" })).toBe(false);
  });

  it("reads ~/.keras/keras.json (via KERAS_HOME)", async () => {
    const home = mkdtempSync(join(tmpdir(), "keras-home-"));
    writeFileSync(join(home, "keras.json"), JSON.stringify({ epsilon: 1e-5, floatx: "float32", backend: "wasm", image_data_format: "channels_first" }));
    const saved = { home: process.env.KERAS_HOME, backend: process.env.KERAS_BACKEND };
    process.env.KERAS_HOME = home;
    delete process.env.KERAS_BACKEND;
    vi.resetModules();
    try {
      const fresh = await import("../../lib/backend/config.js");
      expect(fresh.epsilon()).toBe(1e-5);
      expect(fresh.imageDataFormat()).toBe("channels_first");
      expect(fresh.requestedBackend()).toBe("wasm");
      process.env.KERAS_BACKEND = "cpu";
      expect(fresh.requestedBackend()).toBe("cpu");
    } finally {
      process.env.KERAS_HOME = saved.home;
      if (saved.home === undefined) delete process.env.KERAS_HOME;
      process.env.KERAS_BACKEND = saved.backend;
      vi.resetModules();
    }
  });
});

describe("config", () => {
  it("has Keras's defaults", () => {
    expect(config.floatx()).toBe("float32");
    expect(config.epsilon()).toBe(1e-7);
    expect(config.imageDataFormat()).toBe("channels_last");
  });

  it("validates settings", () => {
    expect(() => config.setImageDataFormat("channels_middle" as never)).toThrow(/channels_first', 'channels_last'.*channels_middle/);
    expect(() => config.setFloatx("float8" as never)).toThrow(/Unknown floatx type: float8/);
    config.setEpsilon(1e-4);
    expect(config.epsilon()).toBe(1e-4);
    config.setEpsilon(1e-7);
  });
});

describe("gradients are registered", () => {
  it("for the kernels layers use", () => {
    const x = tf.tensor2d([[1, -2], [3, 4]]);
    const cases: [string, (t: tf.Tensor) => tf.Scalar][] = [
      ["relu", (t) => tf.sum(tf.relu(t))],
      ["matMul", (t) => tf.sum(tf.matMul(t, t))],
      ["softmax", (t) => tf.sum(tf.mul(tf.softmax(t), tf.tensor2d([[1, 2], [3, 4]])))],
      ["conv2d", (t) => tf.sum(tf.conv2d(tf.reshape(t, [1, 2, 2, 1]) as tf.Tensor4D, tf.ones([2, 2, 1, 1]) as tf.Tensor4D, 1, "same"))],
      ["log", (t) => tf.sum(tf.log(tf.abs(t)))],
      ["concat", (t) => tf.sum(tf.concat([t, tf.square(t)], 1))],
    ];
    for (const [name, f] of cases) {
      const g = tf.grad(f)(x);
      const v = Array.from(g.dataSync());
      expect(v.every(Number.isFinite), name).toBe(true);
      expect(v.some((e) => e !== 0), name).toBe(true);
      g.dispose();
    }
    x.dispose();
  });

  it("and the chained tensor methods", () => {
    const t = tf.tensor2d([[1, 2], [3, 4]]);
    const f = t.flatten();
    expect(f.shape).toEqual([4]);
    tf.dispose([t, f]);
  });
});

describe("clearSession", () => {
  it("restarts automatic names", () => {
    clearSession();
    expect(autoName("Dense")).toBe("dense");
    expect(autoName("Dense")).toBe("dense_1");
    clearSession();
    expect(autoName("Dense")).toBe("dense");
    expect(getUid("x")).toBe(1);
    expect(getUid("x")).toBe(2);
  });
});
