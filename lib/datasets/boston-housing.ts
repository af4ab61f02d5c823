/** `keras.datasets.boston_housing`: the Boston Housing price regression dataset. */
export { loadBostonHousing as loadData, type BostonHousingLoadOptions as LoadOptions } from "./housing.js";
