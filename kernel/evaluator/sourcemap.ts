/** A small source map reader: decodes VLQ mappings and maps generated positions back to a cell's lines. */

const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const B64_INDEX = new Map([...B64].map((c, i) => [c, i]));

/** One mapping segment: generated column, original line and column (all 0-based). */
export interface Segment {
  genCol: number;
  line: number;
  col: number;
}

/** A decoded source map: segments per generated line (0-based). */
export class SourceMap {
  private constructor(readonly lines: Segment[][]) {}

  /** A map from its segments (per generated line, by increasing generated column). */
  static fromSegments(lines: Segment[][]): SourceMap {
    return new SourceMap(lines.map((l) => [...l]));
  }

  /** Decodes the `mappings` string of a version-3 source map. */
  static fromMappings(mappings: string): SourceMap {
    const lines: Segment[][] = [];
    let srcLine = 0;
    let srcCol = 0;
    let srcIdx = 0;
    for (const lineText of mappings.split(";")) {
      const segs: Segment[] = [];
      let genCol = 0;
      if (lineText) {
        for (const segText of lineText.split(",")) {
          if (!segText) continue;
          const v = decodeVlq(segText);
          genCol += v[0] ?? 0;
          if (v.length >= 4) {
            srcIdx += v[1]!;
            srcLine += v[2]!;
            srcCol += v[3]!;
            segs.push({ genCol, line: srcLine, col: srcCol });
          }
        }
      }
      void srcIdx;
      lines.push(segs);
    }
    return new SourceMap(lines);
  }

  /** Maps a 0-based generated line and column to the original; undefined when the line has no mapping. */
  map(line: number, col: number): { line: number; col: number } | undefined {
    const segs = this.lines[line];
    if (!segs || segs.length === 0) return undefined;
    let best = segs[0]!;
    for (const s of segs) {
      if (s.genCol <= col) best = s;
      else break;
    }
    return { line: best.line, col: best.col + Math.max(0, col - best.genCol) };
  }
}

function decodeVlq(text: string): number[] {
  const out: number[] = [];
  let value = 0;
  let shift = 0;
  for (const ch of text) {
    const digit = B64_INDEX.get(ch);
    if (digit === undefined) throw new Error(`bad VLQ character '${ch}'`);
    value += (digit & 31) << shift;
    if (digit & 32) {
      shift += 5;
    } else {
      const negative = value & 1;
      value >>>= 1;
      out.push(negative ? -value : value);
      value = 0;
      shift = 0;
    }
  }
  return out;
}
