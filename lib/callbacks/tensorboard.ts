/**
 * TensorBoard: writes TensorBoard event files (Keras's `callbacks/tensorboard.py`),
 * with no dependency: the TFRecord framing, CRC32C and the `Event` /
 * `Summary` protocol buffers are encoded here.
 *
 * Layout, as Keras with TensorFlow writes it:
 * - `logDir/train/events.out.tfevents.<secs>.<host>.<pid>.<n>.v2`: per epoch
 *   `epoch_<metric>` (and `epoch_learning_rate`) at step = epoch index; per
 *   batch `batch_<metric>` at step = the global batch count (from 1) when
 *   `updateFreq` is a number of batches or `"batch"`.
 * - `logDir/validation/...`: `epoch_<metric>` from the `val_` logs, and
 *   `evaluation_<metric>_vs_iterations` at step = optimizer iterations after each evaluation.
 * - Each file starts with an `Event{wall_time, file_version: "brain.Event:2"}`.
 *
 * Scalars are written as `Summary.Value.simple_value` (TensorBoard reads them
 * as its scalars plugin data). Histograms, images, profiling and embeddings
 * are not written.
 */
import { closeSync, mkdirSync, openSync, writeSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { Callback, type Logs } from "./callback.js";
import { callbackModel, getLearningRate, warn, type CallbackOptimizer } from "./model-api.js";
import { registerBuiltin } from "../saving/object-registration.js";

// ---------------------------------------------------------------- CRC32C

const CRC32C_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
    t[i] = c >>> 0;
  }
  return t;
})();

/** CRC-32C (Castagnoli), as TFRecord uses: `crc32c("123456789")` is `0xe3069283`. */
export function crc32c(data: Uint8Array): number {
  let crc = 0xffffffff;
  for (let i = 0; i < data.length; i++) crc = CRC32C_TABLE[(crc ^ data[i]) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** TFRecord's masked CRC: `((crc >>> 15) | (crc << 17)) + 0xa282ead8`, as uint32. */
export function maskedCrc32c(data: Uint8Array): number {
  const crc = crc32c(data);
  return ((((crc >>> 15) | (crc << 17)) >>> 0) + 0xa282ead8) >>> 0;
}

/** One TFRecord: uint64 length, masked CRC of the length bytes, data, masked CRC of the data (little-endian). */
export function tfRecord(data: Uint8Array): Uint8Array {
  const out = new Uint8Array(8 + 4 + data.length + 4);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(data.length), true);
  view.setUint32(8, maskedCrc32c(out.subarray(0, 8)), true);
  out.set(data, 12);
  view.setUint32(12 + data.length, maskedCrc32c(data), true);
  return out;
}

// ---------------------------------------------------------------- protobuf

/** A minimal protobuf writer (varints, fixed32/64, length-delimited fields). */
class ProtoWriter {
  private readonly bytes: number[] = [];

  private varint(value: number | bigint): void {
    let v = BigInt.asUintN(64, BigInt(value));
    while (v >= 0x80n) {
      this.bytes.push(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    this.bytes.push(Number(v));
  }

  private tag(field: number, wireType: number): void {
    this.varint((field << 3) | wireType);
  }

  int64(field: number, value: number): this {
    this.tag(field, 0);
    this.varint(BigInt(Math.trunc(value)));
    return this;
  }

  double(field: number, value: number): this {
    this.tag(field, 1);
    const b = new Uint8Array(8);
    new DataView(b.buffer).setFloat64(0, value, true);
    this.bytes.push(...b);
    return this;
  }

  float(field: number, value: number): this {
    this.tag(field, 5);
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, value, true);
    this.bytes.push(...b);
    return this;
  }

  bytesField(field: number, value: Uint8Array): this {
    this.tag(field, 2);
    this.varint(value.length);
    this.bytes.push(...value);
    return this;
  }

  string(field: number, value: string): this {
    return this.bytesField(field, new TextEncoder().encode(value));
  }

  finish(): Uint8Array {
    return Uint8Array.from(this.bytes);
  }
}

/** A scalar of a Summary. */
export interface ScalarValue {
  tag: string;
  value: number;
}

/**
 * Encodes a `tensorflow.Event`: wall_time = 1 (double), step = 2 (int64),
 * file_version = 3 (string) or summary = 5 (`Summary{value = 1: Value{tag = 1, simple_value = 2 (float)}}`).
 */
export function encodeEvent(event: { wallTime: number; step?: number; fileVersion?: string; scalars?: ScalarValue[] }): Uint8Array {
  const w = new ProtoWriter().double(1, event.wallTime);
  if (event.step) w.int64(2, event.step);
  if (event.fileVersion !== undefined) w.string(3, event.fileVersion);
  if (event.scalars) {
    const summary = new ProtoWriter();
    for (const s of event.scalars) {
      summary.bytesField(1, new ProtoWriter().string(1, s.tag).float(2, s.value).finish());
    }
    w.bytesField(5, summary.finish());
  }
  return w.finish();
}

let writerCount = 0;

/** Writes one events file (TensorFlow's `EventsWriter`): a file-version event, then scalar events. */
export class EventFileWriter {
  /** The path of the events file. */
  readonly path: string;
  private fd: number | null;
  private readonly now: () => number;

  /**
   * @param logDir The directory (created if missing).
   * @param now The clock in seconds. Default: the wall clock.
   */
  constructor(logDir: string, now: () => number = () => Date.now() / 1000) {
    mkdirSync(logDir, { recursive: true });
    this.now = now;
    const t = this.now();
    this.path = join(logDir, `events.out.tfevents.${Math.floor(t)}.${hostname()}.${process.pid}.${writerCount++}.v2`);
    this.fd = openSync(this.path, "w");
    this.writeRecord(encodeEvent({ wallTime: t, fileVersion: "brain.Event:2" }));
  }

  /** Writes these scalars at `step`, one event each (as `tf.summary.scalar` does). */
  scalars(step: number, values: ScalarValue[]): void {
    for (const v of values) this.writeRecord(encodeEvent({ wallTime: this.now(), step, scalars: [v] }));
  }

  /** Writes a single scalar. */
  scalar(tag: string, value: number, step: number): void {
    this.scalars(step, [{ tag, value }]);
  }

  private writeRecord(data: Uint8Array): void {
    if (this.fd === null) throw new Error(`The events file ${this.path} is closed.`);
    writeSync(this.fd, tfRecord(data));
  }

  /** Closes the file (further writes throw). */
  close(): void {
    if (this.fd !== null) {
      closeSync(this.fd);
      this.fd = null;
    }
  }

  get closed(): boolean {
    return this.fd === null;
  }
}

// ---------------------------------------------------------------- callback

/** Options of TensorBoard (Keras's arguments, camelCase). */
export interface TensorBoardOptions {
  /** The log directory; runs write to `train/` and `validation/` under it. Default `"logs"`. */
  logDir?: string;
  /** Weight histograms every N epochs: not supported yet (must be 0). Default 0. */
  histogramFreq?: number;
  /** Accepted for compatibility; the graph is not written. Default true. */
  writeGraph?: boolean;
  /** Accepted for compatibility; images are not written. Default false. */
  writeImages?: boolean;
  /** Also log `steps_per_second` per epoch (and per batch when batches are logged). Default false. */
  writeStepsPerSecond?: boolean;
  /** `"epoch"` (default), `"batch"` (every batch) or N: also log batch metrics every N batches. */
  updateFreq?: "epoch" | "batch" | number;
  /** Profiling is not available (must be 0). Default 0. */
  profileBatch?: number;
  /** Accepted for compatibility; embeddings are not written. Default 0. */
  embeddingsFreq?: number;
  embeddingsMetadata?: unknown;
  /** The clock in seconds for wall times (tests). Default: the wall clock. */
  now?: () => number;
}

/**
 * Enable visualizations for TensorBoard.
 *
 * ```ts
 * await model.fit(x, y, { epochs: 5, callbacks: [new keras.callbacks.TensorBoard({ logDir: "./logs" })] });
 * // then: tensorboard --logdir ./logs
 * ```
 */
export class TensorBoard extends Callback {
  logDir: string;
  histogramFreq: number;
  writeGraph: boolean;
  writeImages: boolean;
  writeStepsPerSecond: boolean;
  /** `"epoch"` or a number of batches (`"batch"` means 1). */
  updateFreq: "epoch" | number;
  embeddingsFreq: number;
  embeddingsMetadata: unknown;
  private globalTrainBatch = 0;
  private globalTestBatch = 0;
  private writers: { train?: EventFileWriter; val?: EventFileWriter } = {};
  private readonly now: () => number;
  private epochStartTime = 0;
  private epochBatches = 0;
  private batchStartTime = 0;

  constructor(options: TensorBoardOptions = {}) {
    super();
    this.logDir = String(options.logDir ?? "logs");
    this.histogramFreq = options.histogramFreq ?? 0;
    this.writeGraph = options.writeGraph ?? true;
    this.writeImages = options.writeImages ?? false;
    this.writeStepsPerSecond = options.writeStepsPerSecond ?? false;
    const uf = options.updateFreq ?? "epoch";
    this.updateFreq = uf === "batch" ? 1 : uf;
    if (this.updateFreq !== "epoch" && !(Number.isInteger(this.updateFreq) && this.updateFreq > 0)) {
      throw new Error(`TensorBoard: updateFreq must be "epoch", "batch" or a positive integer. Received: ${String(uf)}`);
    }
    this.embeddingsFreq = options.embeddingsFreq ?? 0;
    this.embeddingsMetadata = options.embeddingsMetadata ?? null;
    this.now = options.now ?? (() => Date.now() / 1000);
    if (options.profileBatch) {
      throw new Error(
        `Profiling is not yet available in tskeras. Received: profileBatch=${options.profileBatch} (must be 0)`,
      );
    }
    if (this.histogramFreq) warn("TensorBoard: histogramFreq is not supported yet; weight histograms are not written.");
    if (this.embeddingsFreq) warn("TensorBoard: embeddingsFreq is not supported yet; embeddings are not written.");
  }

  /** The directory of the training run. */
  get trainDir(): string {
    return join(this.logDir, "train");
  }

  /** The directory of the validation run. */
  get valDir(): string {
    return join(this.logDir, "validation");
  }

  private get trainWriter(): EventFileWriter {
    if (!this.writers.train || this.writers.train.closed) this.writers.train = new EventFileWriter(this.trainDir, this.now);
    return this.writers.train;
  }

  private get valWriter(): EventFileWriter {
    if (!this.writers.val || this.writers.val.closed) this.writers.val = new EventFileWriter(this.valDir, this.now);
    return this.writers.val;
  }

  private shouldRecord(step: number): boolean {
    return this.updateFreq !== "epoch" && step % this.updateFreq === 0;
  }

  override onTrainBegin(): void {
    this.globalTrainBatch = 0;
  }

  override onTrainEnd(): void {
    this.closeWriters();
  }

  override onTestEnd(logs?: Logs): void {
    const optimizer = (this.model as unknown as { optimizer?: CallbackOptimizer | null } | null)?.optimizer;
    if (!logs || !optimizer || optimizer.iterations === undefined) return;
    // Under a per-batch update frequency Keras records only when the step passes its record_if test.
    if (this.updateFreq !== "epoch" && !this.shouldRecord(this.globalTestBatch)) return;
    const step = readIterations(optimizer);
    this.valWriter.scalars(
      step,
      Object.entries(logs).map(([name, value]) => ({ tag: `evaluation_${name}_vs_iterations`, value })),
    );
  }

  override onTrainBatchBegin(): void {
    this.globalTrainBatch += 1;
    this.epochBatches += 1;
    if (this.writeStepsPerSecond) this.batchStartTime = this.now();
  }

  override onTrainBatchEnd(_batch: number, logs?: Logs): void {
    if (!this.shouldRecord(this.globalTrainBatch)) return;
    const values: { tag: string; value: number }[] = [];
    if (this.writeStepsPerSecond) {
      values.push({ tag: "batch_steps_per_second", value: 1.0 / (this.now() - this.batchStartTime) });
    }
    for (const [name, value] of Object.entries(logs ?? {})) values.push({ tag: `batch_${name}`, value });
    this.trainWriter.scalars(this.globalTrainBatch, values);
  }

  override onTestBatchBegin(): void {
    this.globalTestBatch += 1;
  }

  override onEpochBegin(): void {
    this.epochStartTime = this.now();
    this.epochBatches = 0;
  }

  override onEpochEnd(epoch: number, logs?: Logs): void {
    if (!logs || Object.keys(logs).length === 0) return;
    const train: ScalarValue[] = [];
    const val: ScalarValue[] = [];
    for (const [name, value] of Object.entries(logs)) {
      if (name.startsWith("val_")) val.push({ tag: `epoch_${name.slice(4)}`, value });
      else train.push({ tag: `epoch_${name}`, value });
    }
    const model = callbackModel(this, "TensorBoard");
    let optimizer = model.optimizer as (CallbackOptimizer & { innerOptimizer?: CallbackOptimizer }) | null | undefined;
    if (optimizer?.innerOptimizer) optimizer = optimizer.innerOptimizer;
    if (optimizer) {
      const lrKeys = new Set(train.map((t) => t.tag));
      if (Array.isArray(optimizer.optimizers)) {
        for (const opt of optimizer.optimizers) {
          const tag = `epoch_learning_rate_${opt.name}`;
          if (!lrKeys.has(tag)) train.push({ tag, value: getLearningRate(opt) });
        }
      } else if (typeof optimizer.learningRateValue === "function" || optimizer.learningRate !== undefined) {
        const tag = "epoch_learning_rate";
        const v = getLearningRate(optimizer);
        const existing = train.find((t) => t.tag === tag);
        if (existing) existing.value = v;
        else train.push({ tag, value: v });
      }
    }
    if (this.writeStepsPerSecond) {
      train.push({ tag: "epoch_steps_per_second", value: this.epochBatches / (this.now() - this.epochStartTime) });
    }
    if (train.length) this.trainWriter.scalars(epoch, train);
    if (val.length) this.valWriter.scalars(epoch, val);
  }

  private closeWriters(): void {
    for (const w of Object.values(this.writers)) w?.close();
  }
}
registerBuiltin("keras.callbacks", TensorBoard);

function readIterations(optimizer: CallbackOptimizer): number {
  const it = optimizer.iterations as unknown;
  if (typeof it === "number") return it;
  const holder = it as { value?: { dataSync?: () => ArrayLike<number> }; dataSync?: () => ArrayLike<number> };
  if (holder && typeof holder.dataSync === "function") return Number(holder.dataSync()[0]);
  if (holder?.value && typeof holder.value.dataSync === "function") return Number(holder.value.dataSync()[0]);
  return 0;
}
