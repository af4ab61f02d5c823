/**
 * Seeds for random ops: Keras's `keras.random.SeedGenerator`, the global seed
 * state behind `keras.utils.set_random_seed`, and `drawSeed`, which turns any
 * `seed` argument into the integer seed a tfjs random op takes.
 *
 * tfjs random ops are seeded with one number (`tf.randomUniform(shape, min,
 * max, dtype, seed)`); a seed of 0 means "random" there, so every seed handed
 * out here is a positive 31-bit integer.
 */
import { autoName } from "../utils/naming.js";
import { registerBuiltin } from "../saving/object-registration.js";

const U32 = 0x100000000;

/** Murmur3's 32-bit finalizer: a bijective avalanche mix of a 32-bit integer. */
export function mix32(x: number): number {
  let h = x >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Folds any JS number (integer or not, of any size) into 32 bits. */
function fold32(x: number): number {
  if (!Number.isFinite(x)) return 0x7fc00000;
  if (Number.isInteger(x) && Math.abs(x) < U32) return x >>> 0;
  const lo = x % U32;
  const hi = Math.floor(x / U32) % U32;
  return (mix32(hi) ^ (lo >>> 0)) >>> 0;
}

/** Combines a seed and a counter into a positive 31-bit tfjs seed (never 0). */
export function combineSeed(seed: number, counter: number): number {
  const h = mix32(mix32(fold32(seed) ^ 0x9e3779b9) ^ Math.imul(fold32(counter) + 0x632be5ab, 0x9e3779b9));
  return (h & 0x7fffffff) || 1;
}

/**
 * A small deterministic PRNG (SplitMix32: a Weyl sequence passed through
 * `mix32`). Used to derive seeds and for the samplers tfjs lacks.
 */
export class SplitMix32 {
  private state: number;

  /** Starts the sequence from `seed` (any number). */
  constructor(seed: number) {
    this.state = mix32(fold32(seed) ^ 0x5851f42d);
  }

  /** The next 32-bit unsigned integer. */
  nextUint32(): number {
    this.state = (this.state + 0x9e3779b9) >>> 0;
    return mix32(this.state ^ (this.state >>> 15));
  }

  /** A float in [0, 1) with 53 random bits. */
  nextFloat(): number {
    const hi = this.nextUint32() >>> 5; // 27 bits
    const lo = this.nextUint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** A float in (0, 1): never exactly 0, for logarithms. */
  nextOpenFloat(): number {
    let u = this.nextFloat();
    while (u === 0) u = this.nextFloat();
    return u;
  }

  /** An integer in [0, n) for 0 < n ≤ 2^32, without modulo bias. */
  nextBelow(n: number): number {
    if (n <= 1) return 0;
    if (n > U32) return Math.floor(this.nextFloat() * n);
    const limit = U32 - (U32 % n);
    for (;;) {
      const r = this.nextUint32();
      if (r < limit) return r % n;
    }
  }

  /** A standard normal sample (Box–Muller). */
  nextNormal(): number {
    const u1 = this.nextOpenFloat();
    const u2 = this.nextFloat();
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }
}

// ---------------------------------------------------------------------------
// Global state: Python's `random` (for default seeds) and the global generator.

let globalRandomSeed: number | null = null;
let defaultSeedSource: SplitMix32 | null = null;
let globalGenerator: SeedGenerator | null = null;

/**
 * A fresh default seed, like Keras's `make_default_seed()` (an int in
 * [1, 1e9]): random until `setRandomSeed` is called, then a deterministic
 * sequence that restarts with each `setRandomSeed`.
 */
export function makeDefaultSeed(): number {
  if (defaultSeedSource === null) return 1 + Math.floor(Math.random() * 1e9);
  return 1 + defaultSeedSource.nextBelow(1e9);
}

/**
 * Sets the seed of every unseeded random draw (Keras's
 * `keras.utils.set_random_seed`): initializers created with `seed: null`,
 * Dropout masks and `keras.random.*` calls without a seed then follow a
 * deterministic sequence, the same for the same seed.
 */
export function setRandomSeed(seed: number): void {
  if (typeof seed !== "number" || !Number.isInteger(seed)) {
    throw new Error(`Expected \`seed\` argument to be an integer. Received: seed=${String(seed)} (of type ${typeof seed})`);
  }
  globalRandomSeed = seed;
  defaultSeedSource = new SplitMix32(seed);
  globalGenerator = null;
}

/** The seed given to the last `setRandomSeed`, or null (Keras's `get_random_seed`). */
export function getRandomSeed(): number | null {
  return globalRandomSeed;
}

/** The generator behind unseeded draws, created on first use. */
export function globalSeedGenerator(): SeedGenerator {
  if (globalGenerator === null) globalGenerator = new SeedGenerator();
  return globalGenerator;
}

/** Options of the SeedGenerator constructor. */
export interface SeedGeneratorOptions {
  /** The initial seed; random (or from `setRandomSeed`) when absent. */
  seed?: number | null;
  /** Keras's name. Default: an auto name `seed_generator`, `seed_generator_1`, ... */
  name?: string | null;
}

/**
 * Keras's `keras.random.SeedGenerator`: a stateful source of seeds. Each
 * `next()` gives a new integer seed, and the sequence is the same for the same
 * initial seed. Pass it as the `seed` of a random op to get different values
 * on each call, reproducibly.
 */
export class SeedGenerator {
  /** Keras's name of the generator. */
  readonly name: string;
  /** The seed as given (null when it was drawn), for `getConfig`. */
  readonly initialSeed: number | null;
  private seedValue: number;
  private counter = 0;

  /** `new SeedGenerator(1337)` or `new SeedGenerator({ seed: 1337, name })`. */
  constructor(seed?: number | null | SeedGeneratorOptions, options: SeedGeneratorOptions = {}) {
    let opts: SeedGeneratorOptions = options;
    let s: number | null | undefined;
    if (typeof seed === "object" && seed !== null) {
      opts = { ...seed, ...options };
      s = seed.seed;
    } else {
      s = seed;
    }
    this.name = opts.name ?? autoName("SeedGenerator");
    this.initialSeed = s ?? null;
    if (s == null) s = makeDefaultSeed();
    if (typeof s !== "number" || !Number.isInteger(s)) {
      throw new Error(`Argument \`seed\` must be an integer. Received: seed=${String(s)}`);
    }
    this.seedValue = s;
  }

  /** Returns a new integer seed for a tfjs random op, and advances the state. */
  next(): number {
    const out = combineSeed(this.seedValue, this.counter);
    this.counter += 1;
    return out;
  }

  /** The state as Keras keeps it: `[seed, counter]`. */
  get state(): [number, number] {
    return [this.seedValue, this.counter];
  }

  /** Restores a state read from `state` (e.g. loaded from a weights file). */
  setState(state: readonly number[]): void {
    if (state.length !== 2) throw new Error(`A SeedGenerator state has 2 values; received ${state.length}.`);
    this.seedValue = state[0];
    this.counter = state[1];
  }

  /** `{seed, name}`, as Keras serializes it. */
  getConfig(): Record<string, unknown> {
    return { seed: this.initialSeed, name: this.name };
  }

  /** Builds a generator from `getConfig()`'s output. */
  static fromConfig(config: Record<string, unknown>): SeedGenerator {
    const seed = config.seed;
    const name = config.name;
    return new SeedGenerator(typeof seed === "number" ? seed : null, {
      name: typeof name === "string" ? name : null,
    });
  }
}

registerBuiltin("keras.random", SeedGenerator);

/** What random ops accept as `seed`: an integer, a SeedGenerator, or null for the global sequence. */
export type SeedLike = number | SeedGenerator | null | undefined;

/**
 * Turns a `seed` argument into the integer seed of one tfjs random op, like
 * Keras's `draw_seed`: a SeedGenerator gives its next seed; an integer gives
 * the same seed every time; null/undefined gives the next seed of the global
 * generator (deterministic after `setRandomSeed`).
 */
export function drawSeed(seed?: SeedLike): number {
  if (seed instanceof SeedGenerator) return seed.next();
  if (seed == null) return globalSeedGenerator().next();
  if (typeof seed === "number" && Number.isInteger(seed)) return combineSeed(seed, 0);
  throw new Error(
    "Argument `seed` must be either an integer or an instance of `SeedGenerator`. " +
      `Received: seed=${String(seed)} (of type ${typeof seed})`,
  );
}
