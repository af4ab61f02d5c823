/**
 * keras.ops: NumPy-like and neural-network operations on tensors. Every op
 * accepts tensors, Variables, numbers, nested arrays and typed arrays, and
 * returns a KerasTensor when called on one (Functional API).
 */
export * from "./numpy/index.js";
export * from "./core.js";
export * from "./math.js";
export * from "./nn.js";
export * from "./linalg.js";
export * from "./einops.js";
// keras.ops.tanh is NumPy's (nn.ts has its own for keras.ops.nn).
export { tanh } from "./numpy/index.js";
export * as numpy from "./numpy/index.js";
export * as nn from "./nn.js";
export * as linalg from "./linalg.js";
export * as image from "./image.js";
export * as math from "./math.js";
export * as core from "./core.js";
