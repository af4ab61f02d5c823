/** `keras.datasets.california_housing`: the California Housing price regression dataset. */
export { loadCaliforniaHousing as loadData, type CaliforniaHousingLoadOptions as LoadOptions } from "./housing.js";
