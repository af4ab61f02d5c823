/** A tiny PNG encoder (RGBA, no filtering) for the kernel logos; no downloads, no dependencies. */
import { deflateSync } from "node:zlib";

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(buf: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, "latin1"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}

/** Encodes `rgba` (width*height*4 bytes) as a PNG file. */
export function encodePng(width: number, height: number, rgba: Uint8Array): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  const raw = Buffer.alloc(height * (width * 4 + 1));
  for (let y = 0; y < height; y++) {
    raw[y * (width * 4 + 1)] = 0;
    Buffer.from(rgba.buffer, rgba.byteOffset + y * width * 4, width * 4).copy(raw, y * (width * 4 + 1) + 1);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("IDAT", deflateSync(raw)),
    chunk("IEND", new Uint8Array(0)),
  ]);
}

/** The kernel logo at `size` pixels: a red rounded square with a white "K" and a small "TS". */
export function logoPng(size: number): Buffer {
  const px = new Uint8Array(size * size * 4);
  const r = size * 0.18;
  const inside = (x: number, y: number): boolean => {
    const cx = Math.min(Math.max(x, r), size - r);
    const cy = Math.min(Math.max(y, r), size - r);
    return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
  };
  const s = size / 32;
  // The K: a vertical bar and two diagonals, in 32-unit coordinates.
  const onK = (u: number, v: number): boolean => {
    if (u >= 7 && u <= 11 && v >= 6 && v <= 26) return true;
    const d1 = Math.abs(u - 11 - (16 - v) * 0.9);
    const d2 = Math.abs(u - 11 - (v - 16) * 0.9);
    return (v <= 16.5 && v >= 6 && d1 <= 2.2) || (v >= 15.5 && v <= 26 && d2 <= 2.2);
  };
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const i = (y * size + x) * 4;
      if (!inside(x + 0.5, y + 0.5)) continue;
      const u = (x + 0.5) / s;
      const v = (y + 0.5) / s;
      const white = onK(u, v);
      const blueBar = v >= 27.5 && v <= 29.5 && u >= 5 && u <= 27;
      const [cr, cg, cb] = white ? [255, 255, 255] : blueBar ? [49, 120, 198] : [208, 0, 0];
      px[i] = cr;
      px[i + 1] = cg;
      px[i + 2] = cb;
      px[i + 3] = 255;
    }
  }
  return encodePng(size, size, px);
}
