/** keras.ops.numpy: NumPy's API on tensors. */
export * from "./elementwise.js";
export * from "./reductions.js";
export * from "./creation.js";
export * from "./shape.js";
export * from "./indexing.js";
export * from "./linalg.js";
export * from "./sorting.js";
export * from "./functional.js";
