/**
 * NumPy's legacy `np.random.RandomState` (MT19937), just enough of it to
 * shuffle as Keras's dataset loaders do (`rng = np.random.RandomState(seed);
 * rng.shuffle(indices)`), so a given `seed` gives the same train/test split
 * and order as Python Keras.
 */

const N = 624;
const M = 397;

/** A Mersenne Twister seeded and drawn exactly as NumPy's `RandomState(seed)`. */
export class RandomState {
  private readonly mt = new Uint32Array(N);
  private index = N;

  /** @param seed An integer in [0, 2**32 - 1], as NumPy requires. */
  constructor(seed: number) {
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
      throw new Error(`Seed must be between 0 and 2**32 - 1. Received: seed=${seed}`);
    }
    this.mt[0] = seed >>> 0;
    for (let i = 1; i < N; i++) {
      const prev = this.mt[i - 1]! ^ (this.mt[i - 1]! >>> 30);
      // 1812433253 * prev + i, modulo 2**32, without losing bits to float rounding.
      this.mt[i] = (Math.imul(1812433253, prev) + i) >>> 0;
    }
  }

  private twist(): void {
    const mt = this.mt;
    for (let i = 0; i < N; i++) {
      const y = (mt[i]! & 0x80000000) | (mt[(i + 1) % N]! & 0x7fffffff);
      let v = mt[(i + M) % N]! ^ (y >>> 1);
      if (y & 1) v ^= 0x9908b0df;
      mt[i] = v >>> 0;
    }
    this.index = 0;
  }

  /** The next 32-bit unsigned integer (`genrand_int32`). */
  nextUint32(): number {
    if (this.index >= N) this.twist();
    let y = this.mt[this.index++]!;
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** A uniform integer in [0, max] by masked rejection sampling (NumPy's `random_interval`). */
  randomInterval(max: number): number {
    if (max === 0) return 0;
    if (max > 0xffffffff) throw new Error("randomInterval: max above 2**32 - 1 is not supported.");
    let mask = max;
    mask |= mask >>> 1;
    mask |= mask >>> 2;
    mask |= mask >>> 4;
    mask |= mask >>> 8;
    mask |= mask >>> 16;
    mask >>>= 0;
    let value: number;
    do {
      value = (this.nextUint32() & mask) >>> 0;
    } while (value > max);
    return value;
  }

  /** Shuffles `array` in place along its first axis, as `RandomState.shuffle` does. */
  shuffle<T>(array: T[] | { length: number; [i: number]: T }): void {
    for (let i = array.length - 1; i >= 1; i--) {
      const j = this.randomInterval(i);
      const tmp = array[i]!;
      array[i] = array[j]!;
      array[j] = tmp;
    }
  }

  /** `np.arange(n)` shuffled: the permutation Keras's loaders index with. */
  permutation(n: number): number[] {
    const idx = Array.from({ length: n }, (_, i) => i);
    this.shuffle(idx);
    return idx;
  }
}
