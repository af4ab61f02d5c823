import { describe, expect, it } from "vitest";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { TensorBoard, crc32c, maskedCrc32c, EventFileWriter } from "../../lib/callbacks/tensorboard.js";
import { FakeModel, fakeFit, tempDir } from "./helpers.js";

// ---- an independent reader: bitwise CRC32C, TFRecord framing, protobuf decoding

/** Bit-by-bit CRC-32C (no table), to check the library's table-driven one and the files. */
function refCrc32c(data: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of data) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0x82f63b78 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

function refMasked(data: Uint8Array): number {
  const c = refCrc32c(data);
  return (((c >>> 15) | (c << 17)) + 0xa282ead8) >>> 0;
}

function readRecords(buf: Uint8Array): Uint8Array[] {
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const out: Uint8Array[] = [];
  let pos = 0;
  while (pos < buf.length) {
    const len = Number(view.getBigUint64(pos, true));
    expect(view.getUint32(pos + 8, true)).toBe(refMasked(buf.subarray(pos, pos + 8)));
    const data = buf.subarray(pos + 12, pos + 12 + len);
    expect(view.getUint32(pos + 12 + len, true)).toBe(refMasked(data));
    out.push(data);
    pos += 12 + len + 4;
  }
  expect(pos).toBe(buf.length);
  return out;
}

type Field = { field: number; wire: number; value: bigint | Uint8Array | DataView };

function decodeProto(buf: Uint8Array): Field[] {
  const fields: Field[] = [];
  let pos = 0;
  const varint = (): bigint => {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      const b = buf[pos++];
      result |= BigInt(b & 0x7f) << shift;
      if (!(b & 0x80)) return result;
      shift += 7n;
    }
  };
  while (pos < buf.length) {
    const key = Number(varint());
    const field = key >> 3;
    const wire = key & 7;
    if (wire === 0) fields.push({ field, wire, value: varint() });
    else if (wire === 1) {
      fields.push({ field, wire, value: new DataView(buf.buffer, buf.byteOffset + pos, 8) });
      pos += 8;
    } else if (wire === 5) {
      fields.push({ field, wire, value: new DataView(buf.buffer, buf.byteOffset + pos, 4) });
      pos += 4;
    } else if (wire === 2) {
      const len = Number(varint());
      fields.push({ field, wire, value: buf.subarray(pos, pos + len) });
      pos += len;
    } else throw new Error(`wire type ${wire}`);
  }
  return fields;
}

interface DecodedEvent {
  wallTime: number;
  step: number;
  fileVersion?: string;
  values: { tag: string; simpleValue: number }[];
}

function decodeEvent(buf: Uint8Array): DecodedEvent {
  const ev: DecodedEvent = { wallTime: NaN, step: 0, values: [] };
  for (const f of decodeProto(buf)) {
    if (f.field === 1 && f.wire === 1) ev.wallTime = (f.value as DataView).getFloat64(0, true);
    else if (f.field === 2 && f.wire === 0) ev.step = Number(f.value as bigint);
    else if (f.field === 3 && f.wire === 2) ev.fileVersion = new TextDecoder().decode(f.value as Uint8Array);
    else if (f.field === 5 && f.wire === 2) {
      for (const v of decodeProto(f.value as Uint8Array)) {
        expect(v.field).toBe(1);
        let tag = "";
        let simpleValue = NaN;
        for (const g of decodeProto(v.value as Uint8Array)) {
          if (g.field === 1) tag = new TextDecoder().decode(g.value as Uint8Array);
          else if (g.field === 2 && g.wire === 5) simpleValue = (g.value as DataView).getFloat32(0, true);
        }
        ev.values.push({ tag, simpleValue });
      }
    } else throw new Error(`unexpected Event field ${f.field}`);
  }
  return ev;
}

function readEventsDir(dir: string): { file: string; events: DecodedEvent[] } {
  const files = readdirSync(dir).filter((f) => f.startsWith("events.out.tfevents."));
  expect(files.length).toBe(1);
  expect(files[0]).toMatch(/^events\.out\.tfevents\.\d+\..+\.\d+\.\d+\.v2$/);
  const buf = new Uint8Array(readFileSync(join(dir, files[0])));
  return { file: files[0], events: readRecords(buf).map(decodeEvent) };
}

/** tag → [[step, value], ...] */
function scalars(events: DecodedEvent[]): Record<string, [number, number][]> {
  const out: Record<string, [number, number][]> = {};
  for (const e of events) for (const v of e.values) (out[v.tag] ??= []).push([e.step, v.simpleValue]);
  return out;
}

const ascii = (s: string) => new TextEncoder().encode(s);

describe("CRC32C", () => {
  it("matches the standard test vectors (RFC 3720 B.4)", () => {
    const vectors: [Uint8Array, number][] = [
      [ascii("123456789"), 0xe3069283],
      [new Uint8Array(32), 0x8a9136aa],
      [new Uint8Array(32).fill(0xff), 0x62a8ab43],
      [Uint8Array.from({ length: 32 }, (_, i) => i), 0x46dd794e],
      [Uint8Array.from({ length: 32 }, (_, i) => 31 - i), 0x113fdb5c],
      [new Uint8Array(0), 0],
    ];
    for (const [data, crc] of vectors) {
      expect(refCrc32c(data)).toBe(crc);
      expect(crc32c(data)).toBe(crc);
    }
    const random = Uint8Array.from({ length: 1000 }, (_, i) => (i * 7919 + 13) & 0xff);
    expect(crc32c(random)).toBe(refCrc32c(random));
    expect(maskedCrc32c(random)).toBe(refMasked(random));
  });
});

describe("TensorBoard", () => {
  it("writes per-epoch scalars to train/ and validation/ event files", async () => {
    const logDir = tempDir("tskeras-tb-");
    let t = 1_700_000_000.25;
    const cb = new TensorBoard({ logDir, now: () => (t += 0.5) });
    const model = new FakeModel(0.01);
    await fakeFit(model, [cb], {
      epochs: 3,
      steps: 4,
      valSteps: 2,
      logs: (e) => ({ accuracy: 0.61 + 0.1 * e, loss: 1.045 - 0.1 * e, val_accuracy: 0.35 + 0.1 * e, val_loss: 1.1 - 0.1 * e }),
    });

    const train = readEventsDir(join(logDir, "train"));
    expect(train.events[0].fileVersion).toBe("brain.Event:2");
    expect(train.events[0].step).toBe(0);
    expect(train.events[0].wallTime).toBeGreaterThan(1_700_000_000);
    const ts = scalars(train.events.slice(1));
    const f = Math.fround;
    expect(Object.keys(ts).sort()).toEqual(["epoch_accuracy", "epoch_learning_rate", "epoch_loss"]);
    expect(ts.epoch_loss).toEqual([
      [0, f(1.045)],
      [1, f(0.945)],
      [2, f(0.845)],
    ]);
    expect(ts.epoch_accuracy.map(([s]) => s)).toEqual([0, 1, 2]);
    expect(ts.epoch_learning_rate).toEqual([
      [0, f(0.01)],
      [1, f(0.01)],
      [2, f(0.01)],
    ]);
    // wall times increase
    const times = train.events.map((e) => e.wallTime);
    expect([...times].sort((a, b) => a - b)).toEqual(times);

    const val = readEventsDir(join(logDir, "validation"));
    expect(val.events[0].fileVersion).toBe("brain.Event:2");
    const vs = scalars(val.events.slice(1));
    expect(vs.epoch_loss).toEqual([
      [0, f(1.1)],
      [1, f(1.0)],
      [2, f(1.1 - 0.2)],
    ]);
    expect(vs.epoch_accuracy.map(([, v]) => v)).toEqual([f(0.35), f(0.35 + 0.1), f(0.35 + 0.2)]);
    // after each evaluation, at step = optimizer iterations (4 batches per epoch)
    expect(vs.evaluation_loss_vs_iterations).toEqual([
      [4, f(1.1)],
      [8, f(1.0)],
      [12, f(1.1 - 0.2)],
    ]);
  });

  it("writes batch scalars every updateFreq batches at the global batch step", async () => {
    const logDir = tempDir("tskeras-tb-");
    const cb = new TensorBoard({ logDir, updateFreq: 3 });
    await fakeFit(new FakeModel(), [cb], {
      epochs: 2,
      steps: 4,
      logs: (e) => ({ loss: 2 - e }),
    });
    const ts = scalars(readEventsDir(join(logDir, "train")).events);
    expect(ts.batch_loss).toEqual([
      [3, 2],
      [6, 1],
    ]);
    expect(ts.epoch_loss).toEqual([
      [0, 2],
      [1, 1],
    ]);

    const every = tempDir("tskeras-tb-");
    await fakeFit(new FakeModel(), [new TensorBoard({ logDir: every, updateFreq: "batch" })], {
      epochs: 1,
      steps: 3,
      logs: () => ({ loss: 0.5 }),
    });
    expect(scalars(readEventsDir(join(every, "train")).events).batch_loss.map(([s]) => s)).toEqual([1, 2, 3]);
  });

  it("EventFileWriter frames each record and closes", () => {
    const dir = tempDir("tskeras-tb-");
    const w = new EventFileWriter(dir, () => 1234.5);
    w.scalar("x", 0.25, 7);
    w.scalars(8, [
      { tag: "a", value: -1 },
      { tag: "b", value: 3.5 },
    ]);
    w.close();
    expect(w.closed).toBe(true);
    expect(() => w.scalar("x", 1, 1)).toThrow(/closed/);
    const { events } = readEventsDir(dir);
    expect(events.map((e) => [e.wallTime, e.step, e.fileVersion, e.values])).toEqual([
      [1234.5, 0, "brain.Event:2", []],
      [1234.5, 7, undefined, [{ tag: "x", simpleValue: 0.25 }]],
      [1234.5, 8, undefined, [{ tag: "a", simpleValue: -1 }]],
      [1234.5, 8, undefined, [{ tag: "b", simpleValue: 3.5 }]],
    ]);
  });

  it("rejects profiling and bad update frequencies", () => {
    expect(() => new TensorBoard({ profileBatch: 2 })).toThrow(/Profiling is not yet available/);
    expect(() => new TensorBoard({ updateFreq: 0 })).toThrow(/updateFreq/);
  });
});
