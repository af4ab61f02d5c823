/**
 * Datasets of `keras.utils`: {@link timeseriesDatasetFromArray},
 * {@link splitDataset}, {@link imageDatasetFromDirectory} and
 * {@link textDatasetFromDirectory} (Keras's `utils/dataset_utils.py`,
 * `timeseries_dataset_utils.py`, `image_dataset_utils.py`,
 * `text_dataset_utils.py`).
 *
 * The datasets are {@link BatchDataset}s: async iterables of batches (and
 * tfjs-data-like objects with `iterator()`), which `fit`, `evaluate` and
 * `predict` accept directly.
 */
import { readdir, readFile, stat } from "node:fs/promises";
import { join, extname } from "node:path";
import { tf, type Tensor } from "../backend/tfjs.js";
import { convertToTensor, type TensorLike } from "../ops/convert.js";
import { Variable } from "../backend/variable.js";
import { imageDataFormat } from "../backend/config.js";
import { imageFromBytes } from "./image-io.js";

// ------------------------------------------------------------------ randomness

/** A small seeded PRNG (mulberry32) for shuffling file lists and samples. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fisher–Yates shuffle in place. */
function shuffleInPlace<T>(a: T[], rand: () => number): T[] {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}

function randomSeed(): number {
  return Math.floor(Math.random() * 1e6);
}

// ------------------------------------------------------------------ BatchDataset

/**
 * A dataset of batches: `for await (const batch of ds)`, or `fit(ds)`.
 * Each pass makes its batches anew (with a fresh shuffle when the dataset
 * shuffles). The tensors of a batch belong to the dataset: they are
 * disposed when the next batch is requested and when the pass ends, so a
 * training loop needs no cleanup; `tf.clone` a batch to keep it.
 */
export class BatchDataset<T = unknown> implements AsyncIterable<T> {
  /** The number of batches of one pass. */
  readonly size: number;
  /** The class names (directory datasets), else undefined. */
  classNames?: string[];
  /** The files the samples come from, in the order of the first pass (directory datasets). */
  filePaths?: string[];
  private passes = 0;

  constructor(
    size: number,
    private readonly makeBatch: (index: number, pass: number) => Promise<T> | T,
  ) {
    this.size = size;
  }

  /** The dataset's batches, tfjs-data style (what the trainer reads). */
  async iterator(): Promise<AsyncIterator<T>> {
    return this[Symbol.asyncIterator]();
  }

  [Symbol.asyncIterator](): AsyncIterator<T> {
    const pass = this.passes++;
    let i = 0;
    let previous: T | null = null;
    const release = (): void => {
      if (previous !== null) disposeTensors(previous);
      previous = null;
    };
    return {
      next: async (): Promise<IteratorResult<T>> => {
        release();
        if (i >= this.size) return { done: true, value: undefined };
        previous = await this.makeBatch(i++, pass);
        return { done: false, value: previous };
      },
      return: async (): Promise<IteratorResult<T>> => {
        release();
        i = this.size;
        return { done: true, value: undefined };
      },
    };
  }

  /** Reads every batch into memory (the caller owns the returned tensors). */
  async toArray(): Promise<T[]> {
    const out: T[] = [];
    const it = this[Symbol.asyncIterator]();
    for (let k = 0; k < this.size; k++) {
      const r = await it.next();
      if (r.done) break;
      out.push(cloneTensors(r.value));
    }
    await it.return?.();
    return out;
  }

  toString(): string {
    return `<BatchDataset batches=${this.size}>`;
  }
}

function disposeTensors(x: unknown): void {
  if (x instanceof tf.Tensor) x.dispose();
  else if (Array.isArray(x)) x.forEach(disposeTensors);
  else if (x && typeof x === "object") Object.values(x).forEach(disposeTensors);
}

function cloneTensors<T>(x: T): T {
  if (x instanceof tf.Tensor) return tf.clone(x) as T;
  if (Array.isArray(x)) return x.map(cloneTensors) as T;
  return x;
}

// ------------------------------------------------------------------ arrays in memory

/** A tensor-like read back as plain values: `{ values, shape, dtype }`. */
interface HostArray {
  values: Float32Array | Int32Array | Uint8Array | string[];
  shape: number[];
  dtype: "float32" | "int32" | "bool" | "string";
}

function toHost(x: TensorLike | string[], what: string): HostArray {
  if (Array.isArray(x) && x.length > 0 && typeof x[0] === "string") {
    return { values: x as string[], shape: [x.length], dtype: "string" };
  }
  const t = convertToTensor(x as TensorLike);
  try {
    if (t.rank === 0) throw new Error(`\`${what}\` must have a first (sample) dimension; got a scalar.`);
    const values = t.dtype === "string" ? (t.dataSync() as unknown as Uint8Array[]).map((b) => (typeof b === "string" ? b : Buffer.from(b).toString("utf8"))) : (t.dataSync() as Float32Array | Int32Array | Uint8Array).slice();
    return { values, shape: [...t.shape], dtype: t.dtype as HostArray["dtype"] };
  } finally {
    if (t !== x && !(x instanceof Variable)) t.dispose();
  }
}

/** Builds a tensor from rows `rows` of `a` (each row `a.shape.slice(1)`). */
function gatherHost(a: HostArray, rows: readonly number[], leading: number[] = [rows.length]): Tensor {
  const inner = a.shape.slice(1);
  const per = inner.reduce((p, d) => p * d, 1);
  if (a.dtype === "string") {
    const vals = a.values as string[];
    const out: string[] = [];
    for (const r of rows) for (let k = 0; k < per; k++) out.push(vals[r * per + k]!);
    return tf.tensor(out, [...leading, ...inner], "string");
  }
  const src = a.values as Float32Array | Int32Array | Uint8Array;
  const Ctor = src.constructor as new (n: number) => Float32Array | Int32Array | Uint8Array;
  const out = new Ctor(rows.length * per);
  rows.forEach((r, i) => out.set(src.subarray(r * per, (r + 1) * per), i * per));
  return tf.tensor(out, [...leading, ...inner], a.dtype);
}

// ------------------------------------------------------------------ timeseries

/** Options of {@link timeseriesDatasetFromArray} (Keras's keyword arguments). */
export interface TimeseriesDatasetOptions {
  /** Period between the starts of two successive sequences. Default 1. */
  sequenceStride?: number;
  /** Period between successive timesteps within a sequence. Default 1. */
  samplingRate?: number;
  /** Sequences per batch; null for single sequences. Default 128. */
  batchSize?: number | null;
  /** Shuffle the sequences (each pass anew). Default false. */
  shuffle?: boolean;
  /** The shuffling seed. */
  seed?: number | null;
  /** First timestep of `data` used (inclusive). Default 0. */
  startIndex?: number | null;
  /** Last timestep of `data` used (exclusive). Default: the end. */
  endIndex?: number | null;
}

function checkPositiveInt(v: number, what: string): void {
  if (!Number.isInteger(v) || v <= 0) throw new Error(`\`${what}\` must be a positive integer. Received: ${what}=${v}`);
}

/**
 * Sliding windows over a time series (Keras's
 * `timeseries_dataset_from_array`). Sequence `i` is
 * `data[start + p_i + k * samplingRate]` for `k < sequenceLength`, with
 * `p_i = i * sequenceStride`, and its target is `targets[start + p_i]`.
 * Batches are `[x, y]` (`x` `[batch, sequenceLength, ...features]`), or `x`
 * alone when `targets` is null.
 *
 * ```ts
 * const ds = keras.utils.timeseriesDatasetFromArray(series, targets, 10, { batchSize: 32 });
 * await model.fit(ds, { epochs: 5 });
 * ```
 */
export function timeseriesDatasetFromArray(
  data: TensorLike,
  targets: TensorLike | null,
  sequenceLength: number,
  options: TimeseriesDatasetOptions = {},
): BatchDataset<Tensor | [Tensor, Tensor]> {
  const stride = options.sequenceStride ?? 1;
  const rate = options.samplingRate ?? 1;
  const batchSize = options.batchSize === undefined ? 128 : options.batchSize;
  checkPositiveInt(sequenceLength, "sequence_length");
  checkPositiveInt(stride, "sequence_stride");
  checkPositiveInt(rate, "sampling_rate");
  if (batchSize !== null) checkPositiveInt(batchSize, "batch_size");
  const x = toHost(data, "data");
  const y = targets === null || targets === undefined ? null : toHost(targets, "targets");
  const n = x.shape[0]!;
  const start = options.startIndex ?? 0;
  const end = options.endIndex ?? n;
  if (!Number.isInteger(start) || start < 0 || start >= n) throw new Error(`\`start_index\` must be 0 <= start_index < ${n}. Received: start_index=${start}`);
  if (!Number.isInteger(end) || end <= start || end > n) throw new Error(`\`end_index\` must be ${start} < end_index <= ${n}. Received: end_index=${end}`);
  let numSeqs = end - start - (sequenceLength - 1) * rate;
  if (y) numSeqs = Math.min(numSeqs, y.shape[0]!);
  const positions: number[] = [];
  for (let p = 0; p < numSeqs; p += stride) positions.push(p);
  const shuffle = options.shuffle ?? false;
  const seed = options.seed ?? randomSeed();
  const per = batchSize ?? 1;
  const count = Math.ceil(positions.length / per);
  let order: number[] = positions;
  let orderPass = -1;
  return new BatchDataset(count, (b, pass) => {
    if (shuffle && orderPass !== pass) {
      order = shuffleInPlace([...positions], rng(seed + pass));
      orderPass = pass;
    }
    const chosen = order.slice(b * per, (b + 1) * per);
    const rows: number[] = [];
    for (const p of chosen) for (let k = 0; k < sequenceLength; k++) rows.push(start + p + k * rate);
    const leading = batchSize === null ? [sequenceLength] : [chosen.length, sequenceLength];
    const xs = gatherHost(x, rows, leading);
    if (!y) return xs;
    const targetRows = chosen.map((p) => start + p);
    const ys = batchSize === null ? gatherHost(y, targetRows, []) : gatherHost(y, targetRows);
    return [xs, ys] as [Tensor, Tensor];
  });
}

// ------------------------------------------------------------------ splitDataset

/** Options of {@link splitDataset}. */
export interface SplitDatasetOptions {
  /** Size of the left part: a fraction in (0, 1) or a number of samples. Default: the rest, or half when both are missing. */
  leftSize?: number | null;
  /** Size of the right part: a fraction in (0, 1) or a number of samples. Default: the rest. */
  rightSize?: number | null;
  /** Shuffle the samples before splitting. Default false. */
  shuffle?: boolean;
  /** The shuffling seed. */
  seed?: number | null;
}

/** Python's `round` (halves to even). */
function pyRound(x: number): number {
  const f = Math.floor(x);
  const d = x - f;
  if (d > 0.5) return f + 1;
  if (d < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}

function splitSizes(left: number | null | undefined, right: number | null | undefined, total: number): [number, number] {
  const isFrac = (v: number): boolean => !Number.isInteger(v);
  if (left === 0 && right === 0) throw new Error("Both `left_size` and `right_size` are zero. At least one of the split sizes must be non-zero.");
  for (const [v, side] of [
    [left, "left"],
    [right, "right"],
  ] as const) {
    if (v === null || v === undefined) continue;
    if (isFrac(v) ? v <= 0 || v >= 1 : v <= 0 || v >= total) {
      throw new Error(`\`${side}_size\` should be either a positive integer smaller than ${total}, or a float within the range \`[0, 1]\`. Received: ${side}_size=${v}`);
    }
  }
  if (left != null && right != null && isFrac(left) && isFrac(right) && left + right > 1) {
    throw new Error("The sum of `left_size` and `right_size` is greater than 1. It must be less than or equal to 1.");
  }
  let l = left == null ? null : isFrac(left) ? pyRound(left * total) : left;
  let r = right == null ? null : isFrac(right) ? pyRound(right * total) : right;
  if (l === null && r === null) l = pyRound(0.5 * total);
  if (l === null) l = total - r!;
  if (r === null) r = total - l;
  if (l + r > total) throw new Error(`The sum of \`left_size\` and \`right_size\` should be smaller than the ${total}. Received: left_size + right_size = ${l + r} and total_length = ${total}`);
  for (const [v, side] of [
    [l, "left"],
    [r, "right"],
  ] as const) {
    if (v === 0) throw new Error(`With \`dataset\` of length=${total}, \`left_size\`=${l} and \`right_size\`=${r}. Resulting ${side} side dataset split will be empty. Adjust any of the aforementioned parameters`);
  }
  return [l, r];
}

type Structure = TensorLike | string[] | readonly Structure[] | { readonly [k: string]: Structure };

function isLeaf(x: unknown): boolean {
  if (x instanceof tf.Tensor || x instanceof Variable || ArrayBuffer.isView(x)) return true;
  if (Array.isArray(x)) return x.length === 0 || typeof x[0] === "number" || typeof x[0] === "boolean" || typeof x[0] === "string" || Array.isArray(x[0]);
  return typeof x === "number" || typeof x === "boolean";
}

/**
 * Splits arrays of samples into a left and a right part (Keras's
 * `split_dataset`): `dataset` is a tensor or array, or a tuple / list /
 * record of them sharing the first dimension (e.g. `[x, y]`). Returns
 * `[left, right]` with the same structure: the first `leftSize` samples and
 * the last `rightSize` (after shuffling when asked).
 *
 * ```ts
 * const [[xTrain, yTrain], [xTest, yTest]] = keras.utils.splitDataset([x, y], { leftSize: 0.8 });
 * ```
 */
export function splitDataset<S extends Structure>(dataset: S, options: SplitDatasetOptions = {}): [S extends TensorLike ? Tensor : unknown, S extends TensorLike ? Tensor : unknown] {
  const leaves: HostArray[] = [];
  const collect = (x: unknown): void => {
    if (isLeaf(x)) leaves.push(toHost(x as TensorLike, "dataset"));
    else if (Array.isArray(x)) x.forEach(collect);
    else if (x && typeof x === "object") Object.values(x).forEach(collect);
    else throw new TypeError(`splitDataset: unsupported element ${String(x)}; pass tensors, arrays, or lists / records of them.`);
  };
  collect(dataset);
  if (leaves.length === 0) throw new Error("splitDataset: the dataset is empty.");
  const total = leaves[0]!.shape[0]!;
  if (leaves.some((l) => l.shape[0] !== total)) throw new Error(`splitDataset: every array must have the same number of samples; got ${leaves.map((l) => l.shape[0]).join(", ")}.`);
  const [l, r] = splitSizes(options.leftSize, options.rightSize, total);
  const idx = Array.from({ length: total }, (_, i) => i);
  if (options.shuffle) shuffleInPlace(idx, rng(options.seed ?? randomSeed()));
  const parts = [idx.slice(0, l), idx.slice(total - r)];
  return parts.map((rows) => {
    let k = 0;
    const rebuild = (x: unknown): unknown => {
      if (isLeaf(x)) return gatherHost(leaves[k++]!, rows);
      if (Array.isArray(x)) return x.map(rebuild);
      return Object.fromEntries(Object.entries(x as Record<string, unknown>).map(([key, v]) => [key, rebuild(v)]));
    };
    return rebuild(dataset);
  }) as never;
}

// ------------------------------------------------------------------ directories

const IMAGE_EXTENSIONS = [".bmp", ".gif", ".jpeg", ".jpg", ".png"];

async function isDir(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isDirectory();
  } catch {
    return false;
  }
}

async function walk(dir: string, extensions: readonly string[], followLinks: boolean): Promise<string[]> {
  const out: string[] = [];
  const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    const p = join(dir, e.name);
    const directory = e.isDirectory() || (followLinks && e.isSymbolicLink() && (await isDir(p)));
    if (directory) out.push(...(await walk(p, extensions, followLinks)));
    else if ((e.isFile() || e.isSymbolicLink()) && extensions.includes(extname(e.name).toLowerCase())) out.push(p);
  }
  return out;
}

/** Options shared by the directory datasets. */
export interface DirectoryDatasetOptions {
  /** `"inferred"` (from the subdirectories, default), null (no labels), or one label per file in sorted order. */
  labels?: "inferred" | null | readonly number[];
  /** `"int"` (default), `"categorical"` (one-hot), `"binary"` (float `[batch, 1]`, two classes) or null. */
  labelMode?: "int" | "categorical" | "binary" | null;
  /** The subdirectories to use, in label order. Default: all, sorted. */
  classNames?: readonly string[] | null;
  /** Samples per batch; null for single samples. Default 32. */
  batchSize?: number | null;
  /** Shuffle the files (each pass anew). Default true. */
  shuffle?: boolean;
  /** The shuffling seed (required with `validationSplit` and `shuffle`). */
  seed?: number | null;
  /** Fraction of the files kept for validation. */
  validationSplit?: number | null;
  /** `"training"`, `"validation"` or `"both"` (returns both datasets). */
  subset?: "training" | "validation" | "both" | null;
  /** Follow symbolic links to subdirectories. Default false. */
  followLinks?: boolean;
  /** Print how many files and classes were found. Default true. */
  verbose?: boolean;
}

interface Indexed {
  files: string[];
  labels: number[] | null;
  classNames: string[];
}

async function indexDirectory(directory: string, extensions: readonly string[], options: DirectoryDatasetOptions, what: string): Promise<Indexed> {
  if (!(await isDir(directory))) throw new Error(`Could not find directory ${directory}`);
  const labelsArg = options.labels === undefined ? "inferred" : options.labels;
  const followLinks = options.followLinks ?? false;
  let classNames: string[];
  let files: string[] = [];
  let labels: number[] | null = null;
  if (labelsArg === "inferred") {
    const subdirs: string[] = [];
    for (const e of (await readdir(directory, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (e.isDirectory() || (followLinks && e.isSymbolicLink() && (await isDir(join(directory, e.name))))) subdirs.push(e.name);
    }
    if (options.classNames) {
      const missing = options.classNames.filter((c) => !subdirs.includes(c));
      if (missing.length) throw new Error(`The \`classNames\` passed did not match the names of the subdirectories of the target directory. Expected: ${JSON.stringify(subdirs)}, but received: ${JSON.stringify(options.classNames)}`);
      classNames = [...options.classNames];
    } else classNames = subdirs;
    labels = [];
    for (let c = 0; c < classNames.length; c++) {
      const found = await walk(join(directory, classNames[c]!), extensions, followLinks);
      files.push(...found);
      labels.push(...found.map(() => c));
    }
  } else {
    files = await walk(directory, extensions, followLinks);
    classNames = [];
    if (labelsArg !== null) {
      if (labelsArg.length !== files.length) {
        throw new Error(`Expected the lengths of \`labels\` to match the number of files in the target directory. len(labels) is ${labelsArg.length} while we found ${files.length} files in directory ${directory}.`);
      }
      labels = [...labelsArg];
      const k = Math.max(-1, ...labels) + 1;
      classNames = Array.from({ length: k }, (_, i) => String(i));
    }
  }
  if (options.verbose ?? true) {
    process.stdout.write(labels ? `Found ${files.length} files belonging to ${classNames.length} classes.\n` : `Found ${files.length} files.\n`);
  }
  if (files.length === 0) throw new Error(`No ${what} found in directory ${directory}. Allowed file formats: ${extensions.join(", ")}`);
  return { files, labels, classNames };
}

function checkDirectoryOptions(options: DirectoryDatasetOptions): void {
  const mode = options.labelMode === undefined ? "int" : options.labelMode;
  if (mode !== null && mode !== "int" && mode !== "categorical" && mode !== "binary") {
    throw new Error(`\`labelMode\` argument must be one of "int", "categorical", "binary", or null. Received: labelMode=${String(mode)}`);
  }
  const split = options.validationSplit;
  if (split != null && !(split > 0 && split < 1)) throw new Error(`\`validationSplit\` must be between 0 and 1, received: ${split}`);
  if ((split == null) !== (options.subset == null)) {
    throw new Error("If `subset` is set, `validationSplit` must be set, and inversely.");
  }
  if (options.subset != null && !["training", "validation", "both"].includes(options.subset)) {
    throw new Error(`\`subset\` must be either "training", "validation" or "both", received: ${String(options.subset)}`);
  }
  if (split != null && (options.shuffle ?? true) && options.seed == null) {
    throw new Error("If using `validationSplit` and shuffling the data, you must provide a `seed` argument, to make sure that there is no overlap between the training and validation subset.");
  }
}

/** Splits the (shuffled) file list as Keras: validation takes the last `int(split * n)` files. */
function subsets(idx: Indexed, options: DirectoryDatasetOptions, seed: number): { name: "training" | "validation"; files: string[]; labels: number[] | null }[] {
  const order = Array.from({ length: idx.files.length }, (_, i) => i);
  if (options.shuffle ?? true) shuffleInPlace(order, rng(seed));
  const files = order.map((i) => idx.files[i]!);
  const labels = idx.labels ? order.map((i) => idx.labels![i]!) : null;
  if (options.validationSplit == null) return [{ name: "training", files, labels }];
  const numVal = Math.trunc(options.validationSplit * files.length);
  const train = { name: "training" as const, files: files.slice(0, files.length - numVal), labels: labels ? labels.slice(0, labels.length - numVal) : null };
  const val = { name: "validation" as const, files: files.slice(files.length - numVal), labels: labels ? labels.slice(labels.length - numVal) : null };
  const verbose = options.verbose ?? true;
  const wanted = options.subset === "both" ? [train, val] : options.subset === "validation" ? [val] : [train];
  for (const s of wanted) if (verbose) process.stdout.write(`Using ${s.files.length} files for ${s.name}.\n`);
  return wanted;
}

function labelTensor(labels: number[], mode: "int" | "categorical" | "binary", numClasses: number, batched: boolean): Tensor {
  const lead = batched ? [labels.length] : [];
  if (mode === "int") return tf.tensor(Int32Array.from(labels), lead, "int32");
  if (mode === "binary") return tf.tensor(Float32Array.from(labels), [...lead, 1], "float32");
  return tf.tidy(() => {
    const oh = tf.cast(tf.oneHot(tf.tensor1d(Int32Array.from(labels), "int32"), numClasses), "float32");
    return batched ? oh : tf.reshape(oh, [numClasses]);
  });
}

function makeDirectoryDataset(
  files: string[],
  labels: number[] | null,
  classNames: string[],
  options: DirectoryDatasetOptions,
  seed: number,
  load: (paths: string[]) => Promise<Tensor>,
): BatchDataset {
  const mode = options.labelMode === undefined ? "int" : options.labelMode;
  if (mode === "binary" && classNames.length !== 2) {
    throw new Error(`When passing \`labelMode="binary"\`, there must be exactly 2 classes. Found the following classes: ${JSON.stringify(classNames)}`);
  }
  const batchSize = options.batchSize === undefined ? 32 : options.batchSize;
  if (batchSize !== null) checkPositiveInt(batchSize, "batch_size");
  const per = batchSize ?? 1;
  const shuffle = options.shuffle ?? true;
  const base = Array.from({ length: files.length }, (_, i) => i);
  let order = base;
  let orderPass = -1;
  const ds = new BatchDataset(Math.ceil(files.length / per), async (b, pass) => {
    // The first pass keeps the order of the split; later passes reshuffle.
    if (shuffle && pass > 0 && orderPass !== pass) {
      order = shuffleInPlace([...base], rng(seed + pass));
      orderPass = pass;
    } else if (pass === 0) order = base;
    const chosen = order.slice(b * per, (b + 1) * per);
    let x = await load(chosen.map((i) => files[i]!));
    if (batchSize === null) {
      const single = tf.squeeze(x, [0]);
      x.dispose();
      x = single;
    }
    if (!labels || mode === null) return x;
    return [x, labelTensor(chosen.map((i) => labels[i]!), mode, classNames.length, batchSize !== null)];
  });
  ds.classNames = classNames;
  ds.filePaths = files;
  return ds;
}

/** Options of {@link imageDatasetFromDirectory}. */
export interface ImageDatasetOptions extends DirectoryDatasetOptions {
  /** `"rgb"` (default), `"grayscale"` or `"rgba"`. */
  colorMode?: "grayscale" | "rgb" | "rgba";
  /** `[height, width]` every image is resized to. Default `[256, 256]`. */
  imageSize?: readonly [number, number];
  /** `"bilinear"` (default) or `"nearest"`. */
  interpolation?: "bilinear" | "nearest";
  /** Crop the centered window with the target aspect ratio before resizing. Default false. */
  cropToAspectRatio?: boolean;
  /** `"channels_last"` or `"channels_first"`. Default: `keras.config.imageDataFormat()`. */
  dataFormat?: "channels_last" | "channels_first" | null;
}

/**
 * A dataset of images from class subdirectories (Keras's
 * `image_dataset_from_directory`): `directory/<class>/*.png` (PNG, JPEG;
 * also in nested folders) become batches `[images, labels]`, images float32
 * `[batch, height, width, channels]` with values 0..255. With
 * `validationSplit` and `subset: "both"` it returns `[train, validation]`.
 *
 * ```ts
 * const [train, val] = await keras.utils.imageDatasetFromDirectory("flowers", {
 *   validationSplit: 0.2, subset: "both", seed: 1337, imageSize: [180, 180],
 * });
 * await model.fit(train, { validationData: val, epochs: 5 });
 * ```
 */
export async function imageDatasetFromDirectory(directory: string, options: ImageDatasetOptions & { subset: "both" }): Promise<[BatchDataset, BatchDataset]>;
export async function imageDatasetFromDirectory(directory: string, options?: ImageDatasetOptions): Promise<BatchDataset>;
export async function imageDatasetFromDirectory(directory: string, options: ImageDatasetOptions = {}): Promise<BatchDataset | [BatchDataset, BatchDataset]> {
  checkDirectoryOptions(options);
  const colorMode = options.colorMode ?? "rgb";
  if (!["grayscale", "rgb", "rgba"].includes(colorMode)) throw new Error(`\`colorMode\` must be one of {"rgb", "rgba", "grayscale"}. Received: colorMode=${colorMode}`);
  const [h, w] = options.imageSize ?? [256, 256];
  const interpolation = options.interpolation ?? "bilinear";
  if (interpolation !== "bilinear" && interpolation !== "nearest") throw new Error(`interpolation must be "bilinear" or "nearest" in tskeras. Received: ${String(interpolation)}`);
  const channelsFirst = (options.dataFormat ?? imageDataFormat()) === "channels_first";
  const seed = options.seed ?? randomSeed();
  const idx = await indexDirectory(directory, IMAGE_EXTENSIONS, options, "images");
  const load = async (paths: string[]): Promise<Tensor> => {
    const images: Tensor[] = [];
    try {
      for (const p of paths) {
        const img = imageFromBytes(new Uint8Array(await readFile(p)), { colorMode });
        images.push(
          tf.tidy(() => {
            let t: Tensor = tf.tensor3d(Float32Array.from(img.pixels), [img.height, img.width, img.channels]);
            if (options.cropToAspectRatio) {
              const cw = Math.min(img.width, Math.floor((img.height * w) / h));
              const ch = Math.min(img.height, Math.floor((img.width * h) / w));
              t = tf.slice(t, [Math.floor((img.height - ch) / 2), Math.floor((img.width - cw) / 2), 0], [ch, cw, img.channels]);
            }
            if (t.shape[0] !== h || t.shape[1] !== w) {
              t = interpolation === "bilinear" ? tf.image.resizeBilinear(t as tf.Tensor3D, [h, w], false, true) : tf.image.resizeNearestNeighbor(t as tf.Tensor3D, [h, w], false, true);
            }
            return channelsFirst ? tf.transpose(t, [2, 0, 1]) : t;
          }),
        );
      }
      return tf.stack(images);
    } finally {
      images.forEach((t) => t.dispose());
    }
  };
  const made = subsets(idx, options, seed).map((s) => makeDirectoryDataset(s.files, s.labels, idx.classNames, options, seed, load));
  return options.subset === "both" ? [made[0]!, made[1]!] : made[0]!;
}

/** Options of {@link textDatasetFromDirectory}. */
export interface TextDatasetOptions extends DirectoryDatasetOptions {
  /** Keep at most this many characters of each text. */
  maxLength?: number | null;
}

/**
 * A dataset of texts from class subdirectories (Keras's
 * `text_dataset_from_directory`): `directory/<class>/*.txt` become batches
 * `[texts, labels]`, texts a string tensor `[batch]`. With
 * `validationSplit` and `subset: "both"` it returns `[train, validation]`.
 */
export async function textDatasetFromDirectory(directory: string, options: TextDatasetOptions & { subset: "both" }): Promise<[BatchDataset, BatchDataset]>;
export async function textDatasetFromDirectory(directory: string, options?: TextDatasetOptions): Promise<BatchDataset>;
export async function textDatasetFromDirectory(directory: string, options: TextDatasetOptions = {}): Promise<BatchDataset | [BatchDataset, BatchDataset]> {
  checkDirectoryOptions(options);
  const seed = options.seed ?? randomSeed();
  const idx = await indexDirectory(directory, [".txt"], options, "text files");
  const maxLength = options.maxLength ?? null;
  const load = async (paths: string[]): Promise<Tensor> => {
    const texts: string[] = [];
    for (const p of paths) {
      const s = await readFile(p, "utf8");
      texts.push(maxLength === null ? s : [...s].slice(0, maxLength).join(""));
    }
    return tf.tensor(texts, [texts.length], "string");
  };
  const made = subsets(idx, options, seed).map((s) => makeDirectoryDataset(s.files, s.labels, idx.classNames, options, seed, load));
  return options.subset === "both" ? [made[0]!, made[1]!] : made[0]!;
}
