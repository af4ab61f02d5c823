/** keras.layers: the image preprocessing and augmentation layers (callable with or without `new`). */
export {};
