/**
 * keras.random: seeded random tensors, `SeedGenerator`, and the global seed
 * (`setRandomSeed`, Keras's `keras.utils.set_random_seed`).
 */
export {
  SeedGenerator,
  type SeedGeneratorOptions,
  type SeedLike,
  drawSeed,
  setRandomSeed,
  getRandomSeed,
  makeDefaultSeed,
  globalSeedGenerator,
  SplitMix32,
} from "./seed-generator.js";
export {
  normal,
  truncatedNormal,
  uniform,
  randint,
  dropout,
  shuffle,
  permutation,
  categorical,
  gamma,
  binomial,
  beta,
  type Shape,
  type NormalOptions,
  type UniformOptions,
  type RandintOptions,
  type DropoutOptions,
  type ShuffleOptions,
  type CategoricalOptions,
  type DistributionOptions,
} from "./random.js";
