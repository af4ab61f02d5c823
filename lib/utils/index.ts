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
  customObjectScope,
  CustomObjectScope,
  getCustomObjects,
} from "../saving/index.js";
export { toCategorical, normalize } from "./numerical-utils.js";
export { padSequences, type PadSequencesOptions } from "./sequence-utils.js";
export { getSourceInputs } from "./graph-utils.js";
export { PyDataset, PyDataset as Sequence } from "../trainers/data-adapters/py-dataset.js";
export { unpackXYSampleWeight, packXYSampleWeight } from "../trainers/data-adapters/data-structure.js";
export { Progbar, type ProgbarOptions } from "./progbar.js";
export type { Batch } from "../trainers/data-adapters/data-structure.js";
export { modelToDot, plotModel, ModelPlot, type ModelToDotOptions, type PlotModelOptions } from "./model-visualization.js";
export { plotHistory, HistoryPlot, type HistoryChartOptions } from "./history-plot.js";
export { arrayToImg, imageGrid, encodePng, KerasImage, ImageGrid, type ArrayToImgOptions, type ImageGridOptions } from "./image-utils.js";
export { getFile, type GetFileOptions } from "./file-utils.js";
export {
  enableInteractiveLogging,
  disableInteractiveLogging,
  isInteractiveLoggingEnabled,
  printMsg,
  setLoggingFunction,
} from "./io-utils.js";
export { loadImg, saveImg, imgToArray, decodePng, decodeImage, type LoadImgOptions, type SaveImgOptions, type ImgToArrayOptions, type DecodedImage } from "./image-io.js";
export {
  BatchDataset,
  timeseriesDatasetFromArray,
  splitDataset,
  imageDatasetFromDirectory,
  textDatasetFromDirectory,
  type TimeseriesDatasetOptions,
  type SplitDatasetOptions,
  type DirectoryDatasetOptions,
  type ImageDatasetOptions,
  type TextDatasetOptions,
} from "./dataset-utils.js";
export { Config } from "./config.js";
