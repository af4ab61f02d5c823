/**
 * `npm run test:webgpu`: the webgpu backend's own tests, then core, layer and
 * training tests run once more with KERAS_BACKEND=webgpu. Without a GPU,
 * tskeras points Vulkan at chromium's SwiftShader (see .ci/install-webgpu.sh),
 * so this runs anywhere, slowly: the files are chosen to touch every kernel
 * the layers, losses, metrics and optimizers use, forward and backward.
 */
import { defineConfig } from "vitest/config";

export const WEBGPU_TESTS = [
  // cpu-vs-webgpu comparisons of every kernel, gradients, memory, device list
  "test/backend/webgpu*.test.ts",
];

export default defineConfig({
  test: {
    include: WEBGPU_TESTS,
    testTimeout: 180_000,
    hookTimeout: 180_000,
    pool: "forks",
    maxWorkers: 2,
    env: { KERAS_BACKEND: "webgpu" },
  },
});
