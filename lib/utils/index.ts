/** keras.utils: seeds, serialization, data helpers and model utilities. */
export { setRandomSeed } from "../random/index.js";
export { clearSession } from "../backend/index.js";
export { isKerasTensor } from "../backend/keras-tensor.js";
export { standardizeDtype } from "../backend/dtypes.js";
export {
  registerKerasSerializable,
  getRegisteredName,
  getRegisteredObject,
  serializeKerasObject,
  deserializeKerasObject,
  withCustomObjects as customObjectScope,
} from "../saving/index.js";
export { toCategorical, normalize } from "./numerical-utils.js";
export { padSequences, type PadSequencesOptions } from "./sequence-utils.js";
export { getSourceInputs } from "./graph-utils.js";
export { PyDataset, PyDataset as Sequence } from "../trainers/data-adapters/py-dataset.js";
export { unpackXYSampleWeight, packXYSampleWeight } from "../trainers/data-adapters/data-structure.js";
export { Progbar, type ProgbarOptions } from "./progbar.js";
export type { Batch } from "../trainers/data-adapters/data-structure.js";
