// keras.utils: timeseriesDatasetFromArray, splitDataset, image files, directory datasets, Config, custom objects.
import { afterAll, describe, expect, it } from "vitest";
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { deflateSync } from "node:zlib";
import * as keras from "../../lib/index.js";
import { tf, type Tensor } from "../../lib/backend/tfjs.js";
import { encodePng, KerasImage } from "../../lib/utils/image-utils.js";

const { utils } = keras;
const tmp = mkdtempSync(join(tmpdir(), "tskeras-utils-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function collect(ds: AsyncIterable<unknown>): Promise<unknown[]> {
  const out: unknown[] = [];
  for await (const b of ds) out.push(Array.isArray(b) ? b.map((t) => (t as Tensor).arraySync()) : (b as Tensor).arraySync());
  return out;
}

describe("timeseriesDatasetFromArray", () => {
  it("windows, strides, sampling rate and targets as Keras", async () => {
    const data = Array.from({ length: 10 }, (_, i) => i);
    // Keras docstring: sequence_length=3, sampling_rate=2, data 0..9 -> [0,2,4], [1,3,5], ...
    const ds = utils.timeseriesDatasetFromArray(data, null, 3, { samplingRate: 2, batchSize: 2 });
    expect(ds.size).toBe(3);
    expect(await collect(ds)).toEqual([
      [[0, 2, 4], [1, 3, 5]],
      [[2, 4, 6], [3, 5, 7]],
      [[4, 6, 8], [5, 7, 9]],
    ]);
    // Targets: x[i] = data[i:i+3], y[i] = targets[i] with targets = data shifted by 3.
    const tgt = utils.timeseriesDatasetFromArray(data.slice(0, 7), data.slice(3), 3, { sequenceStride: 2, batchSize: null, startIndex: 1 });
    expect(await collect(tgt)).toEqual([
      [[1, 2, 3], 4],
      [[3, 4, 5], 6],
    ]);
    // Features and shuffling: every window appears once.
    const feats = tf.reshape(tf.range(0, 20), [10, 2]);
    const sh = utils.timeseriesDatasetFromArray(feats, null, 4, { shuffle: true, seed: 3, batchSize: 3 });
    feats.dispose();
    const batches = (await collect(sh)) as number[][][][];
    expect(batches.map((b) => b.length)).toEqual([3, 3, 1]);
    const starts = batches.flat().map((w) => w[0]![0]! / 2).sort((a, b) => a - b);
    expect(starts).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(() => utils.timeseriesDatasetFromArray(data, null, 0)).toThrow(/sequence_length/);
  });

  it("fit trains on it and no tensor is left behind", { timeout: 60_000 }, async () => {
    const series = Array.from({ length: 40 }, (_, i) => [Math.sin(i / 3)]);
    const ds = utils.timeseriesDatasetFromArray(series.slice(0, 35), series.slice(5).map((r) => r[0]!), 5, { batchSize: 8 });
    const model = keras.Sequential([keras.layers.Input({ shape: [5, 1] }), keras.layers.Flatten(), keras.layers.Dense(1)]);
    model.compile({ optimizer: "adam", loss: "mse" });
    await model.fit(ds, { epochs: 1, verbose: 0 });
    const before = tf.memory().numTensors;
    const h = await model.fit(ds, { epochs: 2, verbose: 0 });
    expect(h.history.loss).toHaveLength(2);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });
});

describe("splitDataset", () => {
  it("splits arrays and tuples by fraction or count, as Keras", () => {
    const x = tf.reshape(tf.range(0, 20), [10, 2]);
    const y = Array.from({ length: 10 }, (_, i) => i);
    const [[xl, yl], [xr, yr]] = utils.splitDataset([x, y], { leftSize: 0.8 }) as unknown as [[Tensor, Tensor], [Tensor, Tensor]];
    expect(xl.shape).toEqual([8, 2]);
    expect(yl.arraySync()).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(yr.arraySync()).toEqual([8, 9]);
    expect(xr.arraySync()).toEqual([[16, 17], [18, 19]]);
    const [l, r] = utils.splitDataset(y, { rightSize: 3 }) as unknown as [Tensor, Tensor];
    expect(l.shape).toEqual([7]);
    expect(r.arraySync()).toEqual([7, 8, 9]);
    // Python rounds halves to even: 0.25 * 10 = 2.5 -> 2.
    const [l2] = utils.splitDataset(y, { leftSize: 0.25 }) as unknown as [Tensor, Tensor];
    expect(l2.shape).toEqual([2]);
    const [ls, rs] = utils.splitDataset(y, { leftSize: 6, shuffle: true, seed: 1 }) as unknown as [Tensor, Tensor];
    expect([...(ls.arraySync() as number[]), ...(rs.arraySync() as number[])].sort((a, b) => a - b)).toEqual(y);
    expect(() => utils.splitDataset(y, { leftSize: 0.7, rightSize: 0.5 })).toThrow(/greater than 1/);
    expect(() => utils.splitDataset(y, { leftSize: 10 })).toThrow(/left_size/);
    [x, xl, yl, xr, yr, l, r, l2, ls, rs].forEach((t) => t.dispose());
  });
});

describe("image files", () => {
  it("decodes PNGs: RGBA, palette + tRNS, 16-bit grey, filters, interlacing", () => {
    const pixels = Uint8Array.from({ length: 3 * 2 * 4 }, (_, i) => (i * 37) % 256);
    const d = utils.decodePng(encodePng(3, 2, 4, pixels));
    expect([d.width, d.height, d.channels]).toEqual([3, 2, 4]);
    expect([...d.pixels]).toEqual([...pixels]);
    // A hand-built palette PNG (2x2, 2-bit indices, Sub filter on row 1) and a 16-bit grey one.
    const chunk = (type: string, data: Uint8Array): Buffer => {
      const b = Buffer.alloc(12 + data.length);
      b.writeUInt32BE(data.length, 0);
      b.write(type, 4, "latin1");
      Buffer.from(data).copy(b, 8);
      return b; // the decoder does not check CRCs
    };
    const png = (ihdr: number[], extra: Buffer[], raw: number[]): Uint8Array => {
      const h = Buffer.alloc(13);
      h.writeUInt32BE(ihdr[0]!, 0);
      h.writeUInt32BE(ihdr[1]!, 4);
      h.set(ihdr.slice(2), 8);
      return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk("IHDR", h), ...extra, chunk("IDAT", deflateSync(Buffer.from(raw))), chunk("IEND", new Uint8Array(0))]);
    };
    const pal = png([2, 2, 2, 3, 0, 0, 0], [chunk("PLTE", Uint8Array.from([255, 0, 0, 0, 255, 0, 0, 0, 255])), chunk("tRNS", Uint8Array.from([128]))], [0, 0b00010000, 1, 0b10010000]);
    const dp = utils.decodePng(pal);
    expect(dp.channels).toBe(4);
    // row 0: indices 0,1; row 1 (Sub filter on the packed byte, one byte per row): 0b10010000 + 0 -> indices 2,1
    expect([...dp.pixels]).toEqual([255, 0, 0, 128, 0, 255, 0, 255, 0, 0, 255, 255, 0, 255, 0, 255]);
    const g16 = utils.decodePng(png([2, 1, 16, 0, 0, 0, 0], [], [0, 0x12, 0x34, 0xab, 0xcd]));
    expect([...g16.pixels]).toEqual([0x12, 0xab]);
    // Adam7: a 3x3 grey image; passes 1 (0,0), 4 (2,0)... written pass by pass.
    const ad = utils.decodePng(png([3, 3, 8, 0, 0, 0, 1], [], [0, 10, /*p4*/ 0, 12, /*p5*/ 0, 30, 32, /*p6 rows 0,2*/ 0, 11, 0, 31, /*p7 row 1*/ 0, 20, 21, 22]));
    expect([...ad.pixels]).toEqual([10, 11, 12, 20, 21, 22, 30, 31, 32]);
  });

  it("saveImg / loadImg / imgToArray round-trip, color modes and resizing", async () => {
    const arr = tf.tensor3d([[[255, 0, 0], [0, 255, 0]], [[0, 0, 255], [255, 255, 255]]]);
    const file = join(tmp, "img.png");
    await utils.saveImg(file, arr, { scale: false });
    const img = await utils.loadImg(file);
    expect(img.mode).toBe("RGB");
    const back = utils.imgToArray(img);
    expect(back.arraySync()).toEqual(arr.arraySync());
    const grey = await utils.loadImg(file, { colorMode: "grayscale" });
    // PIL's L: 299/587/114 per mille, rounded.
    expect([...grey.pixels]).toEqual([76, 150, 29, 255]);
    const big = await utils.loadImg(file, { targetSize: [4, 4] });
    expect([big.height, big.width]).toEqual([4, 4]);
    expect([...big.pixels.subarray(0, 6)]).toEqual([255, 0, 0, 255, 0, 0]);
    const cf = utils.imgToArray(img, { dataFormat: "channels_first" });
    expect(cf.shape).toEqual([3, 2, 2]);
    const jpgFile = join(tmp, "img.jpg");
    await utils.saveImg(jpgFile, new KerasImage(8, 8, 1, new Uint8Array(64).fill(100)));
    const jpg = await utils.loadImg(jpgFile, { colorMode: "grayscale" });
    expect(Math.abs(jpg.pixels[0]! - 100)).toBeLessThanOrEqual(2);
    [arr, back, cf].forEach((t) => t.dispose());
  });
});

describe("directory datasets", () => {
  const root = join(tmp, "dir");
  const writeImg = (p: string, v: number): void => writeFileSync(p, encodePng(2, 2, 3, new Uint8Array(12).fill(v)));
  mkdirSync(join(root, "cats"), { recursive: true });
  mkdirSync(join(root, "dogs", "nested"), { recursive: true });
  writeImg(join(root, "cats", "a.png"), 10);
  writeImg(join(root, "cats", "b.png"), 20);
  writeImg(join(root, "dogs", "c.png"), 30);
  writeImg(join(root, "dogs", "nested", "d.png"), 40);
  writeFileSync(join(root, "dogs", "notes.md"), "not an image");
  const troot = join(tmp, "text");
  mkdirSync(join(troot, "neg"), { recursive: true });
  mkdirSync(join(troot, "pos"), { recursive: true });
  writeFileSync(join(troot, "neg", "1.txt"), "bad movie");
  writeFileSync(join(troot, "pos", "1.txt"), "great movie");
  writeFileSync(join(troot, "pos", "2.txt"), "loved it");

  it("imageDatasetFromDirectory infers labels from subfolders", async () => {
    const ds = await utils.imageDatasetFromDirectory(root, { imageSize: [3, 3], batchSize: 4, shuffle: false, verbose: false });
    expect(ds.classNames).toEqual(["cats", "dogs"]);
    const [[x, y]] = (await ds.toArray()) as [Tensor, Tensor][];
    expect(x!.shape).toEqual([4, 3, 3, 3]);
    expect(x!.dtype).toBe("float32");
    expect((x!.arraySync() as number[][][][]).map((im) => im[0]![0]![0])).toEqual([10, 20, 30, 40]);
    expect(y!.arraySync()).toEqual([0, 0, 1, 1]);
    tf.dispose([x!, y!]);
    const [train, val] = await utils.imageDatasetFromDirectory(root, {
      imageSize: [2, 2], batchSize: 2, validationSplit: 0.25, subset: "both", seed: 7, labelMode: "categorical", colorMode: "grayscale", verbose: false,
    });
    expect(train.filePaths).toHaveLength(3);
    expect(val.filePaths).toHaveLength(1);
    expect(new Set([...train.filePaths!, ...val.filePaths!]).size).toBe(4);
    const vb = (await val.toArray()) as [Tensor, Tensor][];
    expect(vb[0]![0]!.shape).toEqual([1, 2, 2, 1]);
    expect(vb[0]![1]!.shape).toEqual([1, 2]);
    tf.dispose(vb.flat());
    await expect(utils.imageDatasetFromDirectory(root, { validationSplit: 0.2, subset: "training", verbose: false })).rejects.toThrow(/seed/);
  });

  it("textDatasetFromDirectory yields string batches and labels", async () => {
    const ds = await utils.textDatasetFromDirectory(troot, { batchSize: 8, shuffle: false, maxLength: 5, labelMode: "binary", verbose: false });
    const [[x, y]] = (await ds.toArray()) as [Tensor, Tensor][];
    expect(x!.dtype).toBe("string");
    expect(x!.arraySync()).toEqual(["bad m", "great", "loved"]);
    expect(y!.arraySync()).toEqual([[0], [1], [1]]);
    tf.dispose([x!, y!]);
  });
});

describe("Config", () => {
  it("attribute and dict access, freezing, JSON", () => {
    const c = new utils.Config({ learningRate: 0.1 });
    c.momentum = 0.9;
    expect(c.learningRate).toBe(0.1);
    expect(c.get("momentum")).toBe(0.9);
    expect(c.get("nope", 3)).toBe(3);
    expect([...c]).toEqual(["learningRate", "momentum"]);
    expect(c.size).toBe(2);
    expect(() => c.learningRat).toThrow(/Unknown attribute: 'learningRat'. Did you mean 'learningRate'\?/);
    c.freeze();
    expect(c.frozen).toBe(true);
    expect(() => (c.momentum = 1)).toThrow(/frozen/);
    expect(() => c.update({ a: 1 })).toThrow(/frozen/);
    c.unfreeze();
    expect(c.pop("momentum")).toBe(0.9);
    const d = utils.Config.fromJson(c.toJson());
    expect(d.asDict()).toEqual({ learningRate: 0.1 });
    expect(JSON.stringify(d)).toBe('{"learningRate":0.1}');
  });
});

describe("custom objects", () => {
  it("getCustomObjects is live; CustomObjectScope nests and exits", () => {
    class Foo {}
    class Bar {}
    utils.getCustomObjects()["Foo"] = Foo;
    expect(keras.saving.getRegisteredObject("Foo")).toBe(Foo);
    delete utils.getCustomObjects()["Foo"];
    expect(keras.saving.getRegisteredObject("Foo")).toBeUndefined();
    const scope = new utils.CustomObjectScope({ Bar });
    expect(scope.run(() => keras.saving.getRegisteredObject("Bar"))).toBe(Bar);
    expect(keras.saving.getRegisteredObject("Bar")).toBeUndefined();
    scope.enter();
    expect(keras.saving.customObjectScope({ Bar: Foo }, () => keras.saving.getRegisteredObject("Bar"))).toBe(Foo);
    expect(keras.saving.getRegisteredObject("Bar")).toBe(Bar);
    scope.exit();
    expect(keras.saving.getRegisteredObject("Bar")).toBeUndefined();
    expect(utils.customObjectScope({ Bar })).toBeInstanceOf(keras.saving.CustomObjectScope);
  });
});
