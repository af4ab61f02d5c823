/** keras.layers: the preprocessing layers (callable with or without `new`), re-exported by lib/layers/index.ts. */
export * from "./image/index.js";
