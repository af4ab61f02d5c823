/**
 * Zero gradients for the kernels tfjs-core registers none for because they
 * are not differentiable (comparisons, logical ops, any/all, isNaN...).
 * TensorFlow treats them as constants in backprop; tfjs throws "gradient
 * function not found" as soon as one lies between a variable and the loss
 * (a mask computed from predictions, `where(x > 0, ...)`). Registering a zero
 * gradient once here gives TensorFlow's behaviour everywhere.
 */
import { tf, type Tensor } from "./tfjs.js";

const BINARY = ["Equal", "NotEqual", "Greater", "Less", "LessEqual", "LogicalAnd", "LogicalOr", "LogicalXor"];
const UNARY = ["LogicalNot", "IsNan", "IsInf", "IsFinite", "Any", "All", "OnesLike", "ZerosLike"];

for (const kernelName of BINARY) {
  if (tf.getGradient(kernelName) !== undefined) continue;
  tf.registerGradient({
    kernelName,
    inputsToSave: ["a", "b"],
    gradFunc: (_dy: Tensor | Tensor[], saved: Tensor[]) => {
      const [a, b] = saved;
      return { a: () => tf.zeros(a.shape, "float32"), b: () => tf.zeros(b.shape, "float32") };
    },
  });
}

for (const kernelName of UNARY) {
  if (tf.getGradient(kernelName) !== undefined) continue;
  tf.registerGradient({
    kernelName,
    inputsToSave: ["x"],
    gradFunc: (_dy: Tensor | Tensor[], saved: Tensor[]) => {
      const [x] = saved;
      return { x: () => tf.zeros(x.shape, "float32") };
    },
  });
}
