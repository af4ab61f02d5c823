import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fingerprint64, fingerprintCat64, hashBucketFast, hashBucketStrong, int64Bits, sipHash64 } from "../../../lib/layers/preprocessing/hash.js";

describe("FarmHash Fingerprint64 (farmhashna::Hash64)", () => {
  it("matches farmhash's published self-test vectors for lengths 0..298", () => {
    // farmhash.cc's self test hashes slices of a pseudo-random buffer: Hash64(data + i*i, i).
    const vec = (JSON.parse(readFileSync(join(__dirname, "farmhash-na-vectors.json"), "utf8")) as { hash64: [number, number][] }).hash64;
    const M = (1n << 64n) - 1n;
    const k0 = 0xc3a5c85c97cb3127n;
    const n = 298 * 298 + 298 + 1;
    const data = new Uint8Array(n);
    let a = 9n;
    let b = 777n;
    for (let i = 0; i < n; i++) {
      a = (a + b) & M;
      b = (b + a) & M;
      a = ((a ^ (a >> 41n)) * k0) & M;
      b = (((b ^ (b >> 41n)) * k0) + BigInt(i)) & M;
      data[i] = Number((b >> 37n) & 0xffn);
    }
    for (let i = 0; i < vec.length; i++) {
      const h = fingerprint64(data.subarray(i * i, i * i + i));
      expect([Number(h >> 32n), Number(h & 0xffffffffn)]).toEqual(vec[i]);
    }
  });

  it("gives Keras's bins (tf.strings.to_hash_bucket_fast) from its docstrings", () => {
    expect(["A", "B", "C", "D", "E"].map((s) => hashBucketFast(s, 3))).toEqual([1, 0, 1, 1, 2]);
    expect(["A", "B", "C", "D"].map((s) => hashBucketFast(s, 2))).toEqual([0, 0, 1, 1]);
    expect([100, 300, 700, 1100, 1700, 2000].map((v) => hashBucketFast(String(v), 4))).toEqual([3, 3, 2, 2, 0, 1]);
    expect(fingerprint64("")).toBe(0x9ae16a3b2f90404fn);
  });
});

describe("SipHash-2-4", () => {
  const key = [0x0706050403020100n, 0x0f0e0d0c0b0a0908n] as const;
  it("matches the reference vectors (Aumasson & Bernstein)", () => {
    expect(sipHash64(key, new Uint8Array(0))).toBe(0x726fdb47dd0e0e31n);
    expect(sipHash64(key, Uint8Array.from({ length: 15 }, (_, i) => i))).toBe(0xa129ca6149be45e5n);
    expect(sipHash64(key, Uint8Array.from({ length: 8 }, (_, i) => i))).toBe(0x93f5f5799a932462n);
  });
  it("gives Keras's salted bins (tf.strings.to_hash_bucket_strong)", () => {
    expect(["A", "B", "C", "D", "E"].map((s) => hashBucketStrong(s, 3, [133, 137]))).toEqual([1, 2, 1, 0, 2]);
    expect(["A", "B", "C", "D", "E"].map((s) => hashBucketStrong(s, 3, [133, 133]))).toEqual([0, 0, 2, 1, 0]);
  });
});

describe("FingerprintCat64 (tf.sparse.cross_hashed)", () => {
  it("gives the HashedCrossing docstring bins", () => {
    const f1 = ["A", "B", "A", "B", "A"];
    const f2 = [101, 101, 101, 102, 102];
    const bins = f1.map((s, i) => Number(fingerprintCat64(fingerprintCat64(0xdecafcaffen, fingerprint64(s)), int64Bits(f2[i])) % 5n));
    expect(bins).toEqual([1, 4, 1, 1, 3]);
    expect(int64Bits(-1)).toBe((1n << 64n) - 1n);
  });
});
