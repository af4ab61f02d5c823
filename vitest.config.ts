import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
    // Two cores on CI: keep the workers to what the machine has.
    maxWorkers: 2,
    env: { KERAS_BACKEND: process.env.KERAS_BACKEND ?? "cpu" },
  },
});
