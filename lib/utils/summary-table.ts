/**
 * A plain-text table renderer that reproduces what the Python library `rich`
 * prints for `rich.table.Table(*columns, width=L, show_lines=True)` with its
 * default heavy-head box — the table of Keras's `model.summary()`.
 *
 * It follows rich's rules for the parts Keras uses: fixed-width columns shrunk
 * to fit the table width (`ratio_reduce` with Python's round-half-even) or
 * widened to it (`ratio_distribute`: a table with a width expands), one
 * space of padding on each side of a cell, word wrapping inside cells
 * (`divide_line`), the `"ellipsis"` overflow for words longer than a cell,
 * left / center / right justification, header cells aligned to the bottom and
 * body cells to the top, and a rule between every two body rows.
 * No colours or styles are produced.
 */

/** How a column's cells are justified. */
export type Justify = "left" | "center" | "right";

/** A column of the table: its header text, justification and requested width (without padding). */
export interface TableColumn {
  /** Header text. */
  header: string;
  /** Justification of the header and the cells. */
  justify: Justify;
  /** Requested width in terminal cells, without the 1-space padding on each side (rich's `Column(width=...)`). */
  width: number;
}

/** Padding rich puts left and right of each cell (`Table(padding=(0, 1))`). */
const PAD_LEFT = 1;
const PAD_RIGHT = 1;

/** Characters of rich's `box.HEAVY_HEAD`. */
const BOX = {
  top: { left: "┏", fill: "━", cross: "┳", right: "┓" },
  headRow: { left: "┃", divider: "┃", right: "┃" },
  headRule: { left: "┡", fill: "━", cross: "╇", right: "┩" },
  bodyRow: { left: "│", divider: "│", right: "│" },
  rowRule: { left: "├", fill: "─", cross: "┼", right: "┤" },
  bottom: { left: "└", fill: "─", cross: "┴", right: "┘" },
} as const;

/**
 * Python's `round()` on a float: round half to even.
 * Used where rich distributes widths.
 */
export function pyRound(x: number): number {
  const f = Math.floor(x);
  const diff = x - f;
  if (diff > 0.5) return f + 1;
  if (diff < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}

/** True for code points a terminal draws two cells wide (East Asian wide / fullwidth, most emoji). */
function isWide(cp: number): boolean {
  return (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x231a && cp <= 0x231b) ||
    (cp >= 0x2329 && cp <= 0x232a) ||
    (cp >= 0x2e80 && cp <= 0x303e) ||
    (cp >= 0x3041 && cp <= 0x33ff) ||
    (cp >= 0x3400 && cp <= 0x4dbf) ||
    (cp >= 0x4e00 && cp <= 0x9fff) ||
    (cp >= 0xa000 && cp <= 0xa4cf) ||
    (cp >= 0xa960 && cp <= 0xa97f) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe10 && cp <= 0xfe19) ||
    (cp >= 0xfe30 && cp <= 0xfe6f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x1f300 && cp <= 0x1f64f) ||
    (cp >= 0x1f900 && cp <= 0x1f9ff) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  );
}

/** True for code points that take no cell (combining marks, zero-width characters, controls). */
function isZeroWidth(cp: number): boolean {
  return (
    cp === 0 ||
    (cp < 32 && cp !== 9) ||
    (cp >= 0x7f && cp < 0xa0) ||
    (cp >= 0x0300 && cp <= 0x036f) ||
    (cp >= 0x200b && cp <= 0x200f) ||
    (cp >= 0x20d0 && cp <= 0x20ff) ||
    (cp >= 0xfe00 && cp <= 0xfe0f) ||
    cp === 0xfeff
  );
}

/** Width of one character in terminal cells (0, 1 or 2). */
function charCells(ch: string): number {
  const cp = ch.codePointAt(0) ?? 0;
  if (cp < 0x300 && cp >= 32 && cp !== 0x7f) return cp >= 0x80 && cp < 0xa0 ? 0 : 1;
  if (isZeroWidth(cp)) return 0;
  return isWide(cp) ? 2 : 1;
}

/** The width of `text` in terminal cells, as rich's `cell_len`. */
export function cellLength(text: string): number {
  let n = 0;
  for (const ch of text) n += charCells(ch);
  return n;
}

/** Number of characters (code points), as Python's `len(str)`. */
function pyLen(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/** Crops or pads `text` to exactly `cells` cells (rich's `set_cell_size`). */
function setCellSize(text: string, cells: number): string {
  if (cells <= 0) return "";
  const len = cellLength(text);
  if (len === cells) return text;
  if (len < cells) return text + " ".repeat(cells - len);
  let out = "";
  let used = 0;
  for (const ch of text) {
    const w = charCells(ch);
    if (used + w > cells) break;
    out += ch;
    used += w;
  }
  // A wide character cut in half leaves a space, as in rich.
  return used < cells ? out + " ".repeat(cells - used) : out;
}

/** Truncates with an ellipsis when longer than `width` and optionally pads (rich's `Text.truncate`). */
function truncate(text: string, width: number, pad: boolean): string {
  const length = cellLength(text);
  let out = text;
  if (length > width) out = setCellSize(text, width - 1) + "…";
  if (pad && length < width) out = text + " ".repeat(width - length);
  return out;
}

/** Where to break `text` so its words fit `width` cells; words longer than a line are left whole (rich's `divide_line` with `fold=False`). */
function divideLine(text: string, width: number): number[] {
  const breaks: number[] = [];
  let cellOffset = 0;
  const re = /\s*\S+\s*/y;
  let pos = 0;
  for (;;) {
    re.lastIndex = pos;
    const m = re.exec(text);
    if (m === null) break;
    const start = m.index;
    const word = m[0];
    pos = start + word.length;
    const wordLength = cellLength(word.trimEnd());
    const remaining = width - cellOffset;
    if (remaining >= wordLength) {
      cellOffset += cellLength(word);
    } else if (wordLength > width) {
      if (start) breaks.push(start);
      cellOffset = cellLength(word);
    } else if (cellOffset && start) {
      breaks.push(start);
      cellOffset = cellLength(word);
    }
    if (word.length === 0) break;
  }
  return breaks;
}

/** Removes up to `size`-excess trailing whitespace when the line is longer than `size` (rich's `rstrip_end`). */
function rstripEnd(line: string, size: number): string {
  const length = pyLen(line);
  if (length <= size) return line;
  const excess = length - size;
  const m = /\s+$/.exec(line);
  if (!m) return line;
  const ws = Array.from(m[0]).length;
  const cut = Math.min(ws, excess);
  const chars = Array.from(line);
  return chars.slice(0, chars.length - cut).join("");
}

/**
 * Word-wraps `text` into lines of exactly `width` cells, justified as rich's
 * `Text.wrap(width, justify, overflow="ellipsis")` and rendered with padding
 * to the full width. Newlines in `text` start new lines.
 */
export function wrapText(text: string, width: number, justify: Justify): string[] {
  const out: string[] = [];
  if (width <= 0) return [""];
  for (const source of text.replace(/\t/g, "        ").split("\n")) {
    const offsets = divideLine(source, width);
    const bounds = [0, ...offsets, source.length];
    for (let i = 0; i + 1 < bounds.length; i++) {
      let line = rstripEnd(source.slice(bounds[i], bounds[i + 1]), width);
      if (justify === "left") {
        line = truncate(line, width, true);
      } else {
        line = truncate(line.trimEnd(), width, false);
        const len = cellLength(line);
        if (justify === "center") {
          const left = Math.floor((width - len) / 2);
          line = " ".repeat(left) + line;
          line = line + " ".repeat(Math.max(0, width - cellLength(line)));
        } else {
          line = " ".repeat(Math.max(0, width - len)) + line;
        }
      }
      out.push(setCellSize(truncate(line, width, false), width));
    }
  }
  return out;
}

/** Renders one cell (padding included) into lines of exactly `width` cells. */
function renderCell(text: string, width: number, justify: Justify): string[] {
  const inner = width - PAD_LEFT - PAD_RIGHT;
  if (inner <= 0) return [" ".repeat(Math.max(0, width))];
  return wrapText(text, inner, justify).map((l) => " ".repeat(PAD_LEFT) + l + " ".repeat(PAD_RIGHT));
}

/**
 * rich's `ratio_reduce`: takes `total` away from `values` in proportion to
 * `ratios`, taking at most `maximums[i]` from slot `i`.
 */
function ratioReduce(total: number, ratios: number[], maximums: number[], values: number[]): number[] {
  const r = ratios.map((ratio, i) => (maximums[i] ? ratio : 0));
  let totalRatio = r.reduce((a, b) => a + b, 0);
  if (!totalRatio) return [...values];
  let remaining = total;
  return values.map((value, i) => {
    if (r[i] && totalRatio > 0) {
      const distributed = Math.min(maximums[i], pyRound((r[i] * remaining) / totalRatio));
      remaining -= distributed;
      totalRatio -= r[i];
      return value - distributed;
    }
    return value;
  });
}

/** Number of border characters of a table with `nColumns` columns and edges. */
export function tableExtraWidth(nColumns: number): number {
  return 2 + Math.max(0, nColumns - 1);
}

/**
 * The rendered widths of the columns, padding included and borders excluded,
 * for a table of total width `tableWidth` (rich's `_calculate_column_widths`
 * for fixed-width columns in a table with a width, hence expanding).
 */
export function computeColumnWidths(columns: readonly TableColumn[], tableWidth: number): number[] {
  const padding = PAD_LEFT + PAD_RIGHT;
  const measure = (column: TableColumn, maxWidth: number): number =>
    maxWidth < 1 ? 0 : Math.min(column.width + padding, maxWidth);
  const maxWidth = tableWidth - tableExtraWidth(columns.length);
  let widths = columns.map((c) => measure(c, maxWidth) || 1);
  let total = widths.reduce((a, b) => a + b, 0);
  if (total > maxWidth) {
    // Fixed-width columns cannot wrap, so rich's collapse step leaves them;
    // its last resort reduces every column evenly.
    widths = ratioReduce(total - maxWidth, widths.map(() => 1), widths, widths);
    total = widths.reduce((a, b) => a + b, 0);
    widths = widths.map((w, i) => measure(columns[i], w) || 0);
  }
  // A table given a width expands to it: the spare width is shared in
  // proportion to the column widths.
  if (total < maxWidth) {
    const pad = ratioDistribute(maxWidth - total, widths);
    widths = widths.map((w, i) => w + pad[i]);
  }
  return widths;
}

/** rich's `ratio_distribute` without minimums: splits `total` in proportion to `ratios`, rounding up. */
function ratioDistribute(total: number, ratios: readonly number[]): number[] {
  let totalRatio = ratios.reduce((a, b) => a + b, 0);
  if (totalRatio <= 0) throw new Error("Sum of ratios must be > 0");
  let remaining = total;
  return ratios.map((ratio) => {
    const distributed = totalRatio > 0 ? Math.ceil((ratio * remaining) / totalRatio) : remaining;
    totalRatio -= ratio;
    remaining -= distributed;
    return distributed;
  });
}

function rule(widths: readonly number[], chars: { left: string; fill: string; cross: string; right: string }): string {
  return chars.left + widths.map((w) => chars.fill.repeat(w)).join(chars.cross) + chars.right;
}

function renderRow(
  cells: readonly string[],
  columns: readonly TableColumn[],
  widths: readonly number[],
  chars: { left: string; divider: string; right: string },
  vertical: "top" | "bottom",
): string[] {
  const rendered = cells.map((text, i) => renderCell(text, widths[i], columns[i].justify));
  const height = Math.max(1, ...rendered.map((r) => r.length));
  const shaped = rendered.map((lines, i) => {
    const blank = " ".repeat(widths[i]);
    const fill = Array<string>(height - lines.length).fill(blank);
    return vertical === "top" ? [...lines, ...fill] : [...fill, ...lines];
  });
  const out: string[] = [];
  for (let line = 0; line < height; line++) {
    out.push(chars.left + shaped.map((c) => c[line]).join(chars.divider) + chars.right);
  }
  return out;
}

/**
 * Renders the table as rich prints `Table(*columns, width=tableWidth,
 * show_lines=True)` with the heavy-head box: returns the lines, without
 * newline characters. Each row is an array of cell texts, one per column.
 */
export function renderTable(columns: readonly TableColumn[], rows: readonly (readonly string[])[], tableWidth: number): string[] {
  const widths = computeColumnWidths(columns, tableWidth);
  const lines: string[] = [rule(widths, BOX.top)];
  lines.push(...renderRow(columns.map((c) => c.header), columns, widths, BOX.headRow, "bottom"));
  lines.push(rule(widths, BOX.headRule));
  rows.forEach((row, i) => {
    const cells = columns.map((_, j) => row[j] ?? "");
    lines.push(...renderRow(cells, columns, widths, BOX.bodyRow, "top"));
    if (i < rows.length - 1) lines.push(rule(widths, BOX.rowRule));
  });
  lines.push(rule(widths, BOX.bottom));
  return lines;
}
