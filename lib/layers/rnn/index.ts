/** keras.layers: the rnn layers (callable with or without `new`), re-exported by lib/layers/index.ts. */
export {};
