/**
 * The string hash functions TensorFlow's preprocessing ops use, so that
 * `Hashing`, `HashedCrossing` and the OOV buckets of the lookup layers put
 * a value in the same bin as Keras (on TensorFlow) does:
 *
 * - `fingerprint64`: FarmHash's `Fingerprint64` (the `farmhashna::Hash64`
 *   function), used by `tf.strings.to_hash_bucket_fast` and `tf.fingerprint`.
 * - `sipHash64`: SipHash-2-4 with a 128-bit key given as two 64-bit words
 *   (highwayhash's `SipHash`), used by `tf.strings.to_hash_bucket_strong`.
 * - `fingerprintCat64`: TensorFlow's combination of two fingerprints, used
 *   by `tf.sparse.cross_hashed`.
 *
 * All arithmetic is on unsigned 64-bit integers held as BigInt.
 */

const MASK64 = (1n << 64n) - 1n;
const K0 = 0xc3a5c85c97cb3127n;
const K1 = 0xb492b66fbe98f273n;
const K2 = 0x9ae16a3b2f90404fn;
const KMUL = 0x9ddfea08eb382d69n;

const encoder = new TextEncoder();

/** The UTF-8 bytes of a string (as TensorFlow stores string tensors). */
export function utf8(s: string): Uint8Array {
  return encoder.encode(s);
}

function u64(x: bigint): bigint {
  return x & MASK64;
}

function mul(a: bigint, b: bigint): bigint {
  return (a * b) & MASK64;
}

function add(a: bigint, b: bigint): bigint {
  return (a + b) & MASK64;
}

/** Rotates right by `shift` bits. */
function rotr(v: bigint, shift: number): bigint {
  if (shift === 0) return v;
  const s = BigInt(shift);
  return ((v >> s) | (v << (64n - s))) & MASK64;
}

function rotl(v: bigint, shift: number): bigint {
  const s = BigInt(shift);
  return ((v << s) | (v >> (64n - s))) & MASK64;
}

function fetch64(b: Uint8Array, i: number): bigint {
  const lo = (b[i] | (b[i + 1] << 8) | (b[i + 2] << 16) | (b[i + 3] << 24)) >>> 0;
  const hi = (b[i + 4] | (b[i + 5] << 8) | (b[i + 6] << 16) | (b[i + 7] << 24)) >>> 0;
  return (BigInt(hi) << 32n) | BigInt(lo);
}

function fetch32(b: Uint8Array, i: number): bigint {
  return BigInt((b[i] | (b[i + 1] << 8) | (b[i + 2] << 16) | (b[i + 3] << 24)) >>> 0);
}

function shiftMix(v: bigint): bigint {
  return v ^ (v >> 47n);
}

function hashLen16(u: bigint, v: bigint, m: bigint): bigint {
  let a = mul(u ^ v, m);
  a ^= a >> 47n;
  let b = mul(v ^ a, m);
  b ^= b >> 47n;
  return mul(b, m);
}

function hashLen0to16(s: Uint8Array, len: number): bigint {
  if (len >= 8) {
    const m = add(K2, BigInt(len * 2));
    const a = add(fetch64(s, 0), K2);
    const b = fetch64(s, len - 8);
    const c = add(mul(rotr(b, 37), m), a);
    const d = mul(add(rotr(a, 25), b), m);
    return hashLen16(c, d, m);
  }
  if (len >= 4) {
    const m = add(K2, BigInt(len * 2));
    const a = fetch32(s, 0);
    return hashLen16(add(BigInt(len), u64(a << 3n)), fetch32(s, len - 4), m);
  }
  if (len > 0) {
    const a = s[0];
    const b = s[len >> 1];
    const c = s[len - 1];
    const y = BigInt((a + (b << 8)) >>> 0);
    const z = BigInt((len + (c << 2)) >>> 0);
    return mul(shiftMix(mul(y, K2) ^ mul(z, K0)), K2);
  }
  return K2;
}

function hashLen17to32(s: Uint8Array, len: number): bigint {
  const m = add(K2, BigInt(len * 2));
  const a = mul(fetch64(s, 0), K1);
  const b = fetch64(s, 8);
  const c = mul(fetch64(s, len - 8), m);
  const d = mul(fetch64(s, len - 16), K2);
  return hashLen16(add(add(rotr(add(a, b), 43), rotr(c, 30)), d), add(add(a, rotr(add(b, K2), 18)), c), m);
}

function hashLen33to64(s: Uint8Array, len: number): bigint {
  const m = add(K2, BigInt(len * 2));
  const a = mul(fetch64(s, 0), K2);
  const b = fetch64(s, 8);
  const c = mul(fetch64(s, len - 8), m);
  const d = mul(fetch64(s, len - 16), K2);
  const y = add(add(rotr(add(a, b), 43), rotr(c, 30)), d);
  const z = hashLen16(y, add(add(a, rotr(add(b, K2), 18)), c), m);
  const e = mul(fetch64(s, 16), m);
  const f = fetch64(s, 24);
  const g = mul(add(y, fetch64(s, len - 32)), m);
  const h = mul(add(z, fetch64(s, len - 24)), m);
  return hashLen16(add(add(rotr(add(e, f), 43), rotr(g, 30)), h), add(add(e, rotr(add(f, a), 18)), g), m);
}

/** FarmHash's 32-byte weak hash with two seeds; returns [first, second]. */
function weakHashLen32WithSeeds(s: Uint8Array, i: number, a0: bigint, b0: bigint): [bigint, bigint] {
  const w = fetch64(s, i);
  const x = fetch64(s, i + 8);
  const y = fetch64(s, i + 16);
  const z = fetch64(s, i + 24);
  let a = add(a0, w);
  let b = rotr(add(add(b0, a), z), 21);
  const c = a;
  a = add(a, x);
  a = add(a, y);
  b = add(b, rotr(a, 44));
  return [add(a, z), add(b, c)];
}

/**
 * FarmHash `Fingerprint64` of a byte string (`farmhashna::Hash64`), the hash
 * of `tf.fingerprint` and `tf.strings.to_hash_bucket_fast`.
 */
export function fingerprint64(data: Uint8Array | string): bigint {
  const s = typeof data === "string" ? utf8(data) : data;
  const len = s.length;
  if (len <= 16) return hashLen0to16(s, len);
  if (len <= 32) return hashLen17to32(s, len);
  if (len <= 64) return hashLen33to64(s, len);
  const seed = 81n;
  let x = seed;
  let y = add(mul(seed, K1), 113n);
  let z = mul(shiftMix(add(mul(y, K2), 113n)), K2);
  let v: [bigint, bigint] = [0n, 0n];
  let w: [bigint, bigint] = [0n, 0n];
  x = add(mul(x, K2), fetch64(s, 0));
  const end = Math.floor((len - 1) / 64) * 64;
  const last64 = end + ((len - 1) & 63) - 63;
  let p = 0;
  do {
    x = mul(rotr(add(add(add(x, y), v[0]), fetch64(s, p + 8)), 37), K1);
    y = mul(rotr(add(add(y, v[1]), fetch64(s, p + 48)), 42), K1);
    x ^= w[1];
    y = add(y, add(v[0], fetch64(s, p + 40)));
    z = mul(rotr(add(z, w[0]), 33), K1);
    v = weakHashLen32WithSeeds(s, p, mul(v[1], K1), add(x, w[0]));
    w = weakHashLen32WithSeeds(s, p + 32, add(z, w[1]), add(y, fetch64(s, p + 16)));
    const t = z;
    z = x;
    x = t;
    p += 64;
  } while (p !== end);
  const m = add(K1, (z & 0xffn) << 1n);
  p = last64;
  w[0] = add(w[0], BigInt((len - 1) & 63));
  v[0] = add(v[0], w[0]);
  w[0] = add(w[0], v[0]);
  x = mul(rotr(add(add(add(x, y), v[0]), fetch64(s, p + 8)), 37), m);
  y = mul(rotr(add(add(y, v[1]), fetch64(s, p + 48)), 42), m);
  x ^= mul(w[1], 9n);
  y = add(y, add(mul(v[0], 9n), fetch64(s, p + 40)));
  z = mul(rotr(add(z, w[0]), 33), m);
  v = weakHashLen32WithSeeds(s, p, mul(v[1], m), add(x, w[0]));
  w = weakHashLen32WithSeeds(s, p + 32, add(z, w[1]), add(y, fetch64(s, p + 16)));
  const t = z;
  z = x;
  x = t;
  return hashLen16(add(add(hashLen16(v[0], w[0], m), mul(shiftMix(y), K0)), z), add(hashLen16(v[1], w[1], m), x), m);
}

/**
 * SipHash-2-4 of a byte string with the 128-bit key `[k0, k1]` (each an
 * unsigned 64-bit word; the key bytes are k0 then k1, little-endian), as
 * highwayhash's `SipHash` and `tf.strings.to_hash_bucket_strong` compute it.
 */
export function sipHash64(key: readonly [bigint | number, bigint | number], data: Uint8Array | string): bigint {
  const s = typeof data === "string" ? utf8(data) : data;
  const k0 = u64(BigInt(key[0]));
  const k1 = u64(BigInt(key[1]));
  let v0 = k0 ^ 0x736f6d6570736575n;
  let v1 = k1 ^ 0x646f72616e646f6dn;
  let v2 = k0 ^ 0x6c7967656e657261n;
  let v3 = k1 ^ 0x7465646279746573n;
  const round = (): void => {
    v0 = add(v0, v1);
    v1 = rotl(v1, 13);
    v1 ^= v0;
    v0 = rotl(v0, 32);
    v2 = add(v2, v3);
    v3 = rotl(v3, 16);
    v3 ^= v2;
    v0 = add(v0, v3);
    v3 = rotl(v3, 21);
    v3 ^= v0;
    v2 = add(v2, v1);
    v1 = rotl(v1, 17);
    v1 ^= v2;
    v2 = rotl(v2, 32);
  };
  const len = s.length;
  const full = len - (len % 8);
  for (let i = 0; i < full; i += 8) {
    const m = fetch64(s, i);
    v3 ^= m;
    round();
    round();
    v0 ^= m;
  }
  let b = BigInt(len & 0xff) << 56n;
  for (let i = 0; i < len - full; i++) b |= BigInt(s[full + i]) << BigInt(8 * i);
  v3 ^= b;
  round();
  round();
  v0 ^= b;
  v2 ^= 0xffn;
  round();
  round();
  round();
  round();
  return v0 ^ v1 ^ v2 ^ v3;
}

/** TensorFlow's `FingerprintCat64(fp1, fp2)`: combines two fingerprints (order matters). */
export function fingerprintCat64(fp1: bigint, fp2: bigint): bigint {
  const kMul = 0xc6a4a7935bd1e995n;
  let result = u64(fp1) ^ kMul;
  result ^= mul(shiftMix(mul(u64(fp2), kMul)), kMul);
  result = mul(result, kMul);
  result = mul(shiftMix(result), kMul);
  return shiftMix(result);
}

/** `tf.strings.to_hash_bucket_fast`: `Fingerprint64(s) mod numBuckets`. */
export function hashBucketFast(s: string | Uint8Array, numBuckets: number): number {
  return Number(fingerprint64(s) % BigInt(numBuckets));
}

/** `tf.strings.to_hash_bucket_strong`: `SipHash64(key, s) mod numBuckets`. */
export function hashBucketStrong(s: string | Uint8Array, numBuckets: number, key: readonly [bigint | number, bigint | number]): number {
  return Number(sipHash64(key, s) % BigInt(numBuckets));
}

/** Two's complement of a (possibly negative) integer as an unsigned 64-bit word (TF's int64 → uint64 cast). */
export function int64Bits(v: number | bigint): bigint {
  return u64(BigInt(v));
}
