// Tensors display like NumPy arrays; image tensors and keras.utils.arrayToImg /
// imageGrid display as PNG; the PNG encoder writes valid files.
import { inflateSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import * as keras from "../../lib/index.js";
import { tf } from "../../lib/backend/tfjs.js";
import { formatArrayValues, tensorBundle } from "../../display/index.js";
import { encodePng } from "../../lib/utils/image-utils.js";

const display = (x: unknown): Record<string, string> => (x as Record<symbol, () => Record<string, string>>)[Symbol.for("Jupyter.display")]();

/** Decodes a PNG written by encodePng (filter 0 only): width, height, colour type, pixel bytes. */
function decodePng(png: Uint8Array): { width: number; height: number; colorType: number; rows: Buffer[] } {
  const buf = Buffer.from(png);
  expect([...buf.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  let off = 8;
  let width = 0;
  let height = 0;
  let colorType = 0;
  const idat: Buffer[] = [];
  while (off < buf.length) {
    const len = buf.readUInt32BE(off);
    const type = buf.toString("latin1", off + 4, off + 8);
    const data = buf.subarray(off + 8, off + 8 + len);
    if (type === "IHDR") {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      colorType = data[9];
    } else if (type === "IDAT") idat.push(data);
    off += 12 + len;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const channels = { 0: 1, 2: 3, 4: 2, 6: 4 }[colorType] ?? 0;
  const stride = width * channels + 1;
  const rows = Array.from({ length: height }, (_, y) => raw.subarray(y * stride + 1, (y + 1) * stride));
  return { width, height, colorType, rows };
}

describe("NumPy-style tensor text", () => {
  it("formats floats, ints and bools as NumPy's str()", () => {
    expect(formatArrayValues([1, 2, 3, 4], [2, 2], "float32")).toBe("[[1. 2.]\n [3. 4.]]");
    expect(formatArrayValues([0.5, 1.25, -3], [3], "float32")).toBe("[ 0.5   1.25 -3.  ]");
    expect(formatArrayValues([1, 22, 333], [3], "int32")).toBe("[  1  22 333]");
    expect(formatArrayValues([1, 0], [2], "bool")).toBe("[ True False]");
    expect(formatArrayValues([Math.fround(0.1), Math.fround(0.2)], [2], "float32")).toBe("[0.1 0.2]");
    expect(formatArrayValues([1e-5, 1], [2], "float32")).toBe("[1.e-05 1.e+00]");
    expect(formatArrayValues([NaN, 1.5], [2], "float32")).toBe("[nan 1.5]");
    expect(formatArrayValues([7], [], "float32")).toBe("7.");
  });

  it("separates blocks of rank 3 with a blank line", () => {
    expect(formatArrayValues([0, 1, 2, 3, 4, 5, 6, 7], [2, 2, 2], "int32")).toBe("[[[0 1]\n  [2 3]]\n\n [[4 5]\n  [6 7]]]");
  });

  it("elides the middle of arrays over 1000 elements", () => {
    const values = Array.from({ length: 2000 }, (_, i) => i);
    expect(formatArrayValues(values, [2000], "int32")).toBe("[   0    1    2 ... 1997 1998 1999]");
    const text = formatArrayValues(values, [100, 20], "int32");
    const lines = text.split("\n");
    expect(lines).toHaveLength(7);
    expect(lines[0]).toBe("[[   0    1    2 ...   17   18   19]");
    expect(lines[3]).toBe(" ...");
    expect(lines[6]).toBe(" [1980 1981 1982 ... 1997 1998 1999]]");
  });

  it("wraps long rows at 75 characters", () => {
    const text = formatArrayValues(Array.from({ length: 40 }, (_, i) => i), [40], "int32");
    for (const line of text.split("\n")) expect(line.length).toBeLessThanOrEqual(75);
    expect(text.split("\n").length).toBeGreaterThan(1);
  });
});

describe("tensor bundles", () => {
  it("a tensor as a cell's value: header + values, and an HTML table when small", () => {
    const t = tf.tensor2d([[1, 2, 3], [4, 5, 6]]);
    const b = display(t);
    expect(b["text/plain"]).toBe("Tensor shape=(2, 3) dtype=float32\n[[1. 2. 3.]\n [4. 5. 6.]]");
    expect(b["text/html"]).toContain("<table");
    expect(b["text/html"].match(/<td /g)).toHaveLength(6);
    expect(b["image/png"]).toBeUndefined();
    t.dispose();
  });

  it("big tensors have no table; image tensors come as PNG too", () => {
    const big = tf.zeros([100, 100]);
    expect(tensorBundle(big)["text/html"]).toBeUndefined();
    expect(tensorBundle(big)["text/plain"]).toContain("...");
    big.dispose();
    const img = tf.randomUniform([16, 12, 3]);
    const b = tensorBundle(img);
    const png = decodePng(Buffer.from(b["image/png"] as string, "base64"));
    expect([png.width, png.height, png.colorType]).toEqual([12, 16, 2]);
    img.dispose();
  });

  it("a disposed tensor still displays", () => {
    const t = tf.ones([2]);
    t.dispose();
    expect(display(t)["text/plain"]).toContain("disposed");
  });
});

describe("images", () => {
  it("encodePng writes grey, RGB and RGBA images that decode back", () => {
    const px = Uint8Array.from([0, 64, 128, 255, 10, 20]);
    const grey = decodePng(encodePng(3, 2, 1, px));
    expect([grey.width, grey.height, grey.colorType]).toEqual([3, 2, 0]);
    expect([...grey.rows[0], ...grey.rows[1]]).toEqual([...px]);
    const rgba = decodePng(encodePng(1, 1, 4, Uint8Array.from([1, 2, 3, 4])));
    expect([...rgba.rows[0]]).toEqual([1, 2, 3, 4]);
    expect(() => encodePng(2, 2, 3, new Uint8Array(5))).toThrow(/expected 12 bytes/);
  });

  it("arrayToImg scales to 0..255 as Keras (x - min) / max * 255, HxW and HxWx1 as grey", () => {
    const img = keras.utils.arrayToImg(tf.tensor2d([[0, 0.5], [1, 2]]));
    expect([img.width, img.height, img.mode]).toEqual([2, 2, "L"]);
    expect([...img.pixels]).toEqual([0, 63, 127, 255]);
    const raw = keras.utils.arrayToImg(tf.tensor3d([[[10], [20]]]), { scale: false });
    expect([...raw.pixels]).toEqual([10, 20]);
    const chw = keras.utils.arrayToImg(tf.zeros([3, 4, 5]), { dataFormat: "channels_first" });
    expect([chw.width, chw.height, chw.mode]).toEqual([5, 4, "RGB"]);
    const b = display(img);
    expect(Object.keys(b).sort()).toEqual(["image/png", "text/plain"]);
    expect(b["text/plain"]).toBe("<Image mode=L size=2x2>");
    expect(() => keras.utils.arrayToImg(tf.zeros([2, 2, 2]))).toThrow(/channel/);
    expect(() => keras.utils.arrayToImg(tf.zeros([2]))).toThrow(/rank 2/);
  });

  it("imageGrid shows samples with labels (class names, one-hot), as HTML and a PNG montage", () => {
    const images = tf.randomUniform([10, 8, 8]);
    const labels = tf.tidy(() => tf.oneHot(tf.tensor1d([0, 1, 2, 0, 1, 2, 0, 1, 2, 0], "int32"), 3));
    const before = tf.memory().numTensors;
    const grid = keras.utils.imageGrid(images, labels, { classNames: ["cat", "dog", "bird"], cols: 5 });
    expect(grid.labels.slice(0, 3)).toEqual(["cat", "dog", "bird"]);
    const b = display(grid);
    expect(b["text/html"].match(/<img /g)).toHaveLength(10);
    expect(b["text/html"]).toContain("<figcaption");
    expect(b["text/html"]).toContain(">bird</figcaption>");
    expect(b["text/html"]).toContain("repeat(5, max-content)");
    const montage = decodePng(Buffer.from(b["image/png"], "base64"));
    expect([montage.width, montage.height]).toEqual([5 * 8 + 4 * 2, 2 * 8 + 2]);
    expect(b["text/plain"]).toContain("<ImageGrid 10 images: cat, dog, bird");
    expect(tf.memory().numTensors).toBe(before);
    images.dispose();
    labels.dispose();
    const listGrid = keras.utils.imageGrid([tf.zeros([4, 4, 3]), tf.ones([4, 4, 3])], ["a", "b"]);
    expect(listGrid.images).toHaveLength(2);
  });
});
