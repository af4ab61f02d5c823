/** keras.utils.getSourceInputs: the Input tensors a symbolic tensor was computed from. */
import { KerasTensor } from "../backend/keras-tensor.js";
import type { Node } from "../ops/node.js";

/** The keras.Input tensors that `tensor` depends on, in discovery order. */
export function getSourceInputs(tensor: KerasTensor): KerasTensor[] {
  const out: KerasTensor[] = [];
  const seen = new Set<Node>();
  const visit = (t: KerasTensor): void => {
    const h = t.kerasHistory;
    if (!h) {
      if (!out.includes(t)) out.push(t);
      return;
    }
    const node = h.operation.inboundNodes[h.nodeIndex];
    if (node.isInput) {
      if (!out.includes(t)) out.push(t);
      return;
    }
    if (seen.has(node)) return;
    seen.add(node);
    node.inputTensors.forEach(visit);
  };
  visit(tensor);
  return out;
}
