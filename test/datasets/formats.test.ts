import { describe, expect, it } from "vitest";
import { readNpy, readNpz, ndarrayToTensor, type NdArray } from "../../lib/utils/npy.js";
import { PyDict, UnpicklingError, unpickle } from "../../lib/utils/pickle.js";
import { RandomState } from "../../lib/datasets/numpy-random.js";
import { readTar } from "../../lib/utils/file-utils.js";
import { readIdx } from "../../lib/datasets/fashion-mnist.js";
import { PickledArray, Tuple, idxGz, npy, npz, pickle2, tar } from "./helpers.js";

const b64 = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, "base64"));

// Written by NumPy 2.4: np.savez_compressed(buf, x=np.arange(6, dtype='<i8').reshape(2, 3),
// f=np.array([[1.5, -2.25]]), b=np.array([True, False, True]),
// o=np.array([[1, 2, 3], [4], [70000, 2**40]], dtype=object),
// ff=np.asfortranarray(np.arange(6, dtype='<i4').reshape(2, 3)), be=np.array([1, 256], dtype='>i2'))
const NUMPY_NPZ =
  "UEsDBC0AAAAIAAAAIQBZm9p9//////////8FABQAeC5ucHkBABAAsAAAAAAAAABWAAAAAAAAAJvsF+obEMnIUMZQrZ6SWpxcpG6loG6TaaGuo6Cell9UUpSYF59flJIKEndLzClOBYoXZyQWpAL5GkY6CsaaOgq1CmQDLgYoYITSTFCaGUqzQGlWKA0AUEsDBC0AAAAIAAAAIQD3uodM//////////8FABQAZi5ucHkBABAAkAAAAAAAAABPAAAAAAAAAJvsF+obEMnIUMZQrZ6SWpxcpG6loG6TZqGuo6Cell9UUpSYF59flJIKEndLzClOBYoXZyQWpAL5GoY6CkaaOgq1CmQDLgYw+GEPoZkOAABQSwMELQAAAAgAAAAhABaTjLv//////////wUAFABiLm5weQEAEACDAAAAAAAAAEcAAAAAAAAAm+wX6hsQychQxlCtnpJanFykbqWgXpNkqK6joJ6WX1RSlJgXn1+UkgoSd0vMKU4FihdnJBakAvkaxjqaOgq1ChQALkYGRgBQSwMELQAAAAgAAAAhAMSnaZf//////////wUAFABvLm5weQEAEAA1AQAAAAAAANwAAAAAAAAAm+wX6hsQychQxlCtnpJanFykbqWgXuOvrqOgnpZfVFKUmBefX5SSChJ2S8wpTgWKF2ckFqQC+RrGOpo6CrUKlACuBpapqxggoEcsrzS3oFIvPjm/KFUvtzSnJDOxqCixckoPT3xRanJ+XnFJUWlyyZTJU3pYwSqn9LDnpUCUTJ7izdA6xZkxaUr7lKApGt6M3sytUzKYe1hTSioLUkFamPwtpnR2QGSZexhrpvj5+Xn9BwIw4W1fMiWpM3aKRixYM5M3c2rsFG+WRCDXq0CQkaGLDexExtRUoDo9AFBLAwQtAAAACAAAACEAymR04v//////////BgAUAGZmLm5weQEAEACYAAAAAAAAAFQAAAAAAAAAm+wX6hsQychQxlCtnpJanFykbqWgbpNpoq6joJ6WX1RSlJgXn1+UkgoSDykqTQUKF2ckFqQCuRpGOgrGmjoKtQrkAy4GIGAGYkYgZgFiJiBmBWIAUEsDBC0AAAAIAAAAIQARy9pe//////////8GABQAYmUubnB5AQAQAIQAAAAAAAAASAAAAAAAAACb7BfqGxDJyFDGUK2eklqcXKRupaBul2mkrqOgnpZfVFKUmBefX5SSChJ3S8wpTgWKF2ckFqQC+RpGOpo6CrUKFAAuBkZGBgBQSwECLQMtAAAACAAAACEAWZvafVYAAACwAAAABQAAAAAAAAAAAAAAgAEAAAAAeC5ucHlQSwECLQMtAAAACAAAACEA97qHTE8AAACQAAAABQAAAAAAAAAAAAAAgAGNAAAAZi5ucHlQSwECLQMtAAAACAAAACEAFpOMu0cAAACDAAAABQAAAAAAAAAAAAAAgAETAQAAYi5ucHlQSwECLQMtAAAACAAAACEAxKdpl9wAAAA1AQAABQAAAAAAAAAAAAAAgAGRAQAAby5ucHlQSwECLQMtAAAACAAAACEAymR04lQAAACYAAAABgAAAAAAAAAAAAAAgAGkAgAAZmYubnB5UEsBAi0DLQAAAAgAAAAhABHL2l5IAAAAhAAAAAYAAAAAAAAAAAAAAIABMAMAAGJlLm5weVBLBQYAAAAABgAGADQBAACwAwAAAAA=";
// pickle.dumps(np.array([[1, 2, 3], [4]], dtype=object), protocol=2) under Python 3 (bytes via _codecs.encode)
const NUMPY_OBJECT_P2 =
  "gAJjbnVtcHkuX2NvcmUubXVsdGlhcnJheQpfcmVjb25zdHJ1Y3QKcQBjbnVtcHkKbmRhcnJheQpxAUsAhXECY19jb2RlY3MKZW5jb2RlCnEDWAEAAABicQRYBgAAAGxhdGluMXEFhnEGUnEHh3EIUnEJKEsBSwKFcQpjbnVtcHkKZHR5cGUKcQtYAgAAAE84cQyJiIdxDVJxDihLA1gBAAAAfHEPTk5OSv////9K/////0s/dHEQYoldcREoXXESKEsBSwJLA2VdcRNLBGFldHEUYi4=";
// pickle.dumps({b'data': np.arange(6, dtype=np.uint8).reshape(2, 3), b'labels': [3, 1], b'batch_label': b'x'}, protocol=2 / 4)
const CIFAR_LIKE_P2 =
  "gAJ9cQAoY19jb2RlY3MKZW5jb2RlCnEBWAQAAABkYXRhcQJYBgAAAGxhdGluMXEDhnEEUnEFY251bXB5Ll9jb3JlLm11bHRpYXJyYXkKX3JlY29uc3RydWN0CnEGY251bXB5Cm5kYXJyYXkKcQdLAIVxCGgBWAEAAABicQloA4ZxClJxC4dxDFJxDShLAUsCSwOGcQ5jbnVtcHkKZHR5cGUKcQ9YAgAAAHUxcRCJiIdxEVJxEihLA1gBAAAAfHETTk5OSv////9K/////0sAdHEUYoloAVgGAAAAAAECAwQFcRVoA4ZxFlJxF3RxGGJoAVgGAAAAbGFiZWxzcRloA4ZxGlJxG11xHChLA0sBZWgBWAsAAABiYXRjaF9sYWJlbHEdaAOGcR5ScR9oAVgBAAAAeHEgaAOGcSFScSJ1Lg==";
const CIFAR_LIKE_P4 =
  "gASVvwAAAAAAAAB9lChDBGRhdGGUjBZudW1weS5fY29yZS5tdWx0aWFycmF5lIwMX3JlY29uc3RydWN0lJOUjAVudW1weZSMB25kYXJyYXmUk5RLAIWUQwFilIeUUpQoSwFLAksDhpRoBYwFZHR5cGWUk5SMAnUxlImIh5RSlChLA4wBfJROTk5K/////0r/////SwB0lGKJQwYAAQIDBAWUdJRiQwZsYWJlbHOUXZQoSwNLAWVDC2JhdGNoX2xhYmVslEMBeJR1Lg==";

const nums = (a: NdArray): number[] => Array.from(a.data as ArrayLike<number | bigint>, (v) => Number(v));

describe("npy / npz reader", () => {
  it("reads every supported dtype written by the test writer", () => {
    const cases: [string, ArrayBufferView, number[]][] = [
      ["|u1", Uint8Array.from([0, 7, 255]), [0, 7, 255]],
      ["|i1", Int8Array.from([-128, 0, 127]), [-128, 0, 127]],
      ["<i2", Int16Array.from([-3, 300]), [-3, 300]],
      ["<u2", Uint16Array.from([65535, 1]), [65535, 1]],
      ["<i4", Int32Array.from([-5, 1 << 30]), [-5, 1 << 30]],
      ["<u4", Uint32Array.from([4000000000]), [4000000000]],
      ["<i8", BigInt64Array.from([-2n, 1n << 40n]), [-2, 2 ** 40]],
      ["<f4", Float32Array.from([1.5, -0.25]), [1.5, -0.25]],
      ["<f8", Float64Array.from([Math.PI, -1e300]), [Math.PI, -1e300]],
      ["|b1", Uint8Array.from([1, 0, 1]), [1, 0, 1]],
    ];
    const dtypes = ["uint8", "int8", "int16", "uint16", "int32", "uint32", "int64", "float32", "float64", "bool"];
    cases.forEach(([descr, data, expected], i) => {
      const arr = readNpy(npy(descr, [expected.length], data));
      expect(arr.dtype).toBe(dtypes[i]);
      expect(arr.shape).toEqual([expected.length]);
      expect(nums(arr)).toEqual(expected);
    });
  });

  it("reads shapes, scalars and empty arrays", () => {
    const m = readNpy(npy("<f4", [2, 3], Float32Array.from([1, 2, 3, 4, 5, 6])));
    expect(m.shape).toEqual([2, 3]);
    expect(readNpy(npy("<i4", [], Int32Array.from([42]))).shape).toEqual([]);
    expect(nums(readNpy(npy("<i4", [], Int32Array.from([42]))))).toEqual([42]);
    expect(readNpy(npy("<f8", [0, 4], new Float64Array(0))).shape).toEqual([0, 4]);
  });

  it("reads NumPy's own npz (zip64, deflated, Fortran order, big-endian, pickled object array)", () => {
    const f = readNpz(b64(NUMPY_NPZ));
    expect(Object.keys(f).sort()).toEqual(["b", "be", "f", "ff", "o", "x"]);
    expect(f.x!.dtype).toBe("int64");
    expect(f.x!.shape).toEqual([2, 3]);
    expect(nums(f.x!)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(f.f!.dtype).toBe("float64");
    expect(nums(f.f!)).toEqual([1.5, -2.25]);
    expect(f.b!.dtype).toBe("bool");
    expect(nums(f.b!)).toEqual([1, 0, 1]);
    expect(f.ff!.shape).toEqual([2, 3]);
    expect(nums(f.ff!)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(f.be!.dtype).toBe("int16");
    expect(nums(f.be!)).toEqual([1, 256]);
    expect(f.o!.dtype).toBe("object");
    expect(f.o!.shape).toEqual([3]);
    expect(f.o!.data).toEqual([[1, 2, 3], [4], [70000, 2 ** 40]]);
    expect(() => readNpz(b64(NUMPY_NPZ), { allowPickle: false })).toThrow(/allowPickle/);
  });

  it("reads stored and deflated npz from the test writer", () => {
    for (const compressed of [false, true]) {
      const f = readNpz(npz({ a: npy("<i4", [2], Int32Array.from([5, 6])), seqs: npy("|O", [2], [[1, 2], [3]]) }, compressed));
      expect(nums(f.a!)).toEqual([5, 6]);
      expect(f.seqs!.data).toEqual([[1, 2], [3]]);
    }
  });

  it("turns arrays into tensors with tfjs dtypes", async () => {
    const u8 = ndarrayToTensor(readNpy(npy("|u1", [2, 2], Uint8Array.from([0, 1, 254, 255]))));
    expect(u8.dtype).toBe("int32");
    expect(u8.shape).toEqual([2, 2]);
    expect(Array.from(await u8.data())).toEqual([0, 1, 254, 255]);
    const f8 = ndarrayToTensor(readNpy(npy("<f8", [2], Float64Array.from([0.5, 2]))));
    expect(f8.dtype).toBe("float32");
    const asFloat = ndarrayToTensor(readNpy(npy("|u1", [1], Uint8Array.from([9]))), "float32");
    expect(asFloat.dtype).toBe("float32");
    expect(() => ndarrayToTensor(readNpy(npy("<i8", [1], BigInt64Array.from([1n << 40n]))))).toThrow(/int32/);
    u8.dispose();
    f8.dispose();
    asFloat.dispose();
  });

  it("rejects what it cannot read with a clear error", () => {
    expect(() => readNpy(new Uint8Array(20))).toThrow(/NUMPY/);
    expect(() => readNpy(npy("<c8", [1], new Float64Array(1)))).toThrow(/Unsupported NumPy dtype '<c8'/);
    expect(() => readNpz(new Uint8Array([1, 2, 3]))).toThrow(/npz/);
  });
});

describe("restricted unpickler", () => {
  it("reads plain Python values written with protocol 2", () => {
    const value = pickle2(
      new Map<unknown, unknown>([
        ["ints", [0, 255, 256, 65535, 65536, -1, -2147483648, 2 ** 40, -(2 ** 40)]],
        [new TextEncoder().encode("key"), new Tuple([1.25, null, true, false])],
        ["nested", [[1], [], [2, 3]]],
      ]),
    );
    const d = unpickle(value) as PyDict;
    expect(d).toBeInstanceOf(PyDict);
    expect(d.lookup("ints")).toEqual([0, 255, 256, 65535, 65536, -1, -2147483648, 2 ** 40, -(2 ** 40)]);
    expect(d.lookup("key")).toEqual([1.25, null, true, false]);
    expect(d.lookup("nested")).toEqual([[1], [], [2, 3]]);
    expect(d.textKeys()).toEqual(["ints", "key", "nested"]);
  });

  it("reads NumPy arrays pickled Python-2 style (as CIFAR batches are)", () => {
    const p = pickle2(
      new Map<unknown, unknown>([
        [new TextEncoder().encode("data"), new PickledArray("|u1", [2, 3], Uint8Array.from([0, 1, 2, 3, 4, 250]))],
        [new TextEncoder().encode("floats"), new PickledArray("<f4", [2], new Uint8Array(Float32Array.from([0.5, -1]).buffer))],
        [new TextEncoder().encode("seqs"), new PickledArray("|O", [2], null, [[1, 2], [3]])],
      ]),
    );
    const d = unpickle(p) as PyDict;
    const data = d.lookup("data") as NdArray;
    expect(data.dtype).toBe("uint8");
    expect(data.shape).toEqual([2, 3]);
    expect(nums(data)).toEqual([0, 1, 2, 3, 4, 250]);
    expect(nums(d.lookup("floats") as NdArray)).toEqual([0.5, -1]);
    expect((d.lookup("seqs") as NdArray).data).toEqual([[1, 2], [3]]);
  });

  it("reads pickles written by Python 3 at protocols 2 and 4", () => {
    const obj = unpickle(b64(NUMPY_OBJECT_P2)) as NdArray;
    expect(obj.dtype).toBe("object");
    expect(obj.data).toEqual([[1, 2, 3], [4]]);
    for (const s of [CIFAR_LIKE_P2, CIFAR_LIKE_P4]) {
      const d = unpickle(b64(s)) as PyDict;
      const data = d.lookup("data") as NdArray;
      expect(data.shape).toEqual([2, 3]);
      expect(nums(data)).toEqual([0, 1, 2, 3, 4, 5]);
      expect(d.lookup("labels")).toEqual([3, 1]);
    }
  });

  it("refuses any other global, as Keras's RestrictedUnpickler does", () => {
    // cos\nsystem\n(S'echo hi'\ntR.  — the classic gadget
    const evil = new TextEncoder().encode("cos\nsystem\n(S'echo hi'\ntR.");
    expect(() => unpickle(evil)).toThrow(UnpicklingError);
    expect(() => unpickle(evil)).toThrow(/Refusing to deserialize `os.system`/);
    const builtins = new Uint8Array([0x80, 2, 0x63, ...new TextEncoder().encode("builtins\neval\n"), 0x2e]);
    expect(() => unpickle(builtins)).toThrow(/builtins.eval/);
  });

  it("reports truncated data and unknown opcodes", () => {
    const p = pickle2([1, 2, 3]);
    expect(() => unpickle(p.subarray(0, p.length - 3))).toThrow(UnpicklingError);
    expect(() => unpickle(new Uint8Array([0x80, 2, 0xff]))).toThrow(/opcode 0xff/);
  });
});

describe("RandomState (NumPy's MT19937)", () => {
  it("draws MT19937's reference values", () => {
    const r = new RandomState(5489);
    expect([r.nextUint32(), r.nextUint32(), r.nextUint32()]).toEqual([3499211612, 581869302, 3890346734]);
    const z = new RandomState(0);
    expect([z.nextUint32(), z.nextUint32(), z.nextUint32()]).toEqual([2357136044, 2546248239, 3071714933]);
  });

  it("shuffles exactly as np.random.RandomState(seed).shuffle", () => {
    // numpy: r = RandomState(113); a = arange(10); r.shuffle(a); b = arange(7); r.shuffle(b)
    const r = new RandomState(113);
    expect(r.permutation(10)).toEqual([9, 3, 6, 1, 0, 7, 4, 8, 2, 5]);
    expect(r.permutation(7)).toEqual([5, 1, 0, 3, 6, 4, 2]);
    expect(new RandomState(113).permutation(6)).toEqual([1, 0, 3, 2, 4, 5]);
    const big = new RandomState(42).permutation(1000);
    expect(big.slice(0, 12)).toEqual([521, 737, 740, 660, 411, 678, 626, 513, 859, 136, 811, 76]);
    expect(new RandomState(7).permutation(2 ** 20 + 3).slice(0, 6)).toEqual([983479, 993910, 704221, 857278, 823622, 1025239]);
  });

  it("rejects seeds NumPy rejects", () => {
    expect(() => new RandomState(-1)).toThrow(/Seed must be between 0 and 2\*\*32 - 1/);
    expect(() => new RandomState(2 ** 32)).toThrow();
  });
});

describe("tar and IDX readers", () => {
  it("reads a gzipped ustar archive", () => {
    const entries = readTar(tar({ "top/a.bin": Uint8Array.from([1, 2, 3]), "top/sub/b.txt": new Uint8Array(600).fill(7) }));
    const files = entries.filter((e) => e.type === "file");
    expect(files.map((e) => e.name)).toEqual(["top/a.bin", "top/sub/b.txt"]);
    expect(Array.from(files[0]!.data)).toEqual([1, 2, 3]);
    expect(files[1]!.data.length).toBe(600);
    expect(entries.filter((e) => e.type === "directory").map((e) => e.name)).toEqual(["top/", "top/sub/"]);
    const plain = readTar(tar({ "x.txt": Uint8Array.from([9]) }, false));
    expect(plain.map((e) => e.name)).toEqual(["x.txt"]);
  });

  it("rejects a corrupt tar", () => {
    const bad = tar({ "a.txt": Uint8Array.from([1]) }, false);
    bad[0] = 0x41; // changes the name, so the checksum no longer matches
    expect(() => readTar(bad)).toThrow(/checksum/);
  });

  it("reads gzipped IDX files", () => {
    const idx = readIdx(idxGz([2, 2, 3], Uint8Array.from([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 255])));
    expect(idx.shape).toEqual([2, 2, 3]);
    expect(Array.from(idx.data)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 255]);
    expect(() => readIdx(Uint8Array.from([1, 2, 3, 4]))).toThrow(/not an IDX/);
  });
});
