/**
 * Progbar: Keras's progress bar (`keras/src/utils/progbar.py`), byte for byte.
 *
 * verbose=1 frame (dynamic display):
 * `"\b" * previousWidth + "\r"` then
 * `\x1b[1m{current:>nd}/{target}\x1b[0m \x1b[32m{━ * done}\x1b[0m\x1b[37m{━ * rest}\x1b[0m \x1b[1m{eta}\x1b[0m {timePerStep} - name: value ...`,
 * padded with spaces to the previous frame's visible width, and `"\n"` after
 * the final frame. verbose=2 prints one plain line when finalised.
 *
 * Also here: Python's float formatting (`{:.4f}`, `{:.4e}`, `{:.0f}`, `repr`)
 * with exact round-half-even on the binary value, as CPython does, and
 * {@link renderTerminalText}, which turns a raw byte stream into what a
 * terminal shows.
 */

/** Metric values given to {@link Progbar.update}: `[name, value]` pairs or a record. */
export type ProgbarValues = ReadonlyArray<readonly [string, number]> | Readonly<Record<string, number>>;

/** Options of {@link Progbar} (Keras's constructor arguments plus injectable I/O). */
export interface ProgbarOptions {
  /** Width of the bar in characters. Default 20. */
  width?: number;
  /** 0 (silent), 1 (the redrawn bar) or 2 (one line when finalised). Default 1. */
  verbose?: number;
  /** Minimum seconds between two redraws of a verbose=1 bar (the final update is always drawn). Default 0.05. */
  interval?: number;
  /** Names of metrics shown as they come (not averaged). Give this or `statelessMetrics`, not both. */
  statefulMetrics?: Iterable<string> | null;
  /**
   * Names of metrics averaged over the steps; all others are shown as they come.
   * `ProgbarLogger` passes an empty set, as Keras does, so every value is shown as-is.
   */
  statelessMetrics?: Iterable<string> | null;
  /** The unit of the time per unit, e.g. `"3ms/step"`. Default `"step"`. */
  unitName?: string;
  /** The clock, in seconds. Default `Date.now() / 1000` (Python's `time.time()`). */
  now?: () => number;
  /** Receives the output. Default: `process.stdout.write`. */
  write?: (text: string) => void;
  /**
   * Whether the output is a terminal that can redraw a line. When true, a
   * verbose=1 bar redraws in place with `\b`/`\r` as Keras does on Linux and
   * macOS. When false, only the final frame of each bar is written (one line
   * per bar, e.g. per epoch) so that logs stay readable.
   * Default: `process.stdout.isTTY`.
   */
  isTTY?: boolean;
}

import { isInteractiveLoggingEnabled, printMsg } from "./io-utils.js";

const BOLD = "\x1b[1m";
const RESET = "\x1b[0m";
const GREEN = "\x1b[32m";
const WHITE = "\x1b[37m";
const BAR_CHAR = "\u2501"; // ━

function defaultWrite(text: string): void {
  process.stdout.write(text);
}

function defaultNow(): number {
  return Date.now() / 1000;
}

/**
 * Writes a message to stdout (or `write`), with a newline unless `lineBreak`
 * is false; while interactive logging is off
 * (`keras.config.disableInteractiveLogging()`) the message goes to the
 * logging function instead (Keras's `io_utils.print_msg`).
 */
export { printMsg } from "./io-utils.js";

/** Displays a progress bar, exactly as Keras 3 does. */
export class Progbar {
  /** The number of steps expected, or null when unknown (then `%7d/Unknown` is shown). */
  target: number | null;
  readonly width: number;
  readonly verbose: number;
  readonly interval: number;
  readonly unitName: string;
  private readonly statefulMetrics: Set<string> | null;
  private readonly statelessMetrics: Set<string> | null;
  private readonly dynamicDisplay: boolean;
  private readonly now: () => number;
  private readonly write: (text: string) => void;
  private seenSoFar = 0;
  private readonly values = new Map<string, [number, number]>();
  private readonly valuesOrder: string[] = [];
  private readonly start: number;
  private lastUpdate = 0;
  private timeAfterFirstStep: number | null = null;
  private prevTotalWidth = 0;

  /**
   * @param target Total number of steps expected, or null if unknown.
   * @param options See {@link ProgbarOptions}.
   */
  constructor(target: number | null, options: ProgbarOptions = {}) {
    if (options.statefulMetrics != null && options.statelessMetrics != null) {
      throw new Error(
        "Only one of `statefulMetrics` or `statelessMetrics` can be provided. `statefulMetrics` is used to make " +
          "metrics stateless by default (with an exclusion list), while `statelessMetrics` is used to make metrics " +
          "stateful by default (with an exclusion list).",
      );
    }
    this.target = target;
    this.width = options.width ?? 20;
    this.verbose = options.verbose ?? 1;
    this.interval = options.interval ?? 0.05;
    this.unitName = options.unitName ?? "step";
    if (options.statefulMetrics != null) {
      this.statefulMetrics = new Set(options.statefulMetrics);
      this.statelessMetrics = null;
    } else if (options.statelessMetrics != null) {
      this.statefulMetrics = null;
      this.statelessMetrics = new Set(options.statelessMetrics);
    } else {
      this.statefulMetrics = new Set();
      this.statelessMetrics = null;
    }
    this.now = options.now ?? defaultNow;
    this.write = options.write ?? defaultWrite;
    // A log (interactive logging off) gets only final frames, never redraws.
    this.dynamicDisplay = options.isTTY ?? (Boolean(process.stdout.isTTY) && isInteractiveLoggingEnabled());
    this.start = this.now();
  }

  /**
   * Updates the bar.
   * @param current The index of the current step (1-based count of steps done).
   * @param values Metric values for the last step; stateless ones are averaged over the steps.
   * @param finalize Whether this is the last update. Default: `current >= target` (false when the target is unknown).
   */
  /** Whether `update` would draw now (the 50 ms redraw interval; the final update always draws). */
  willRender(finalize: boolean): boolean {
    if (finalize) return true;
    if (this.verbose !== 1 || !this.dynamicDisplay) return false;
    return this.now() - this.lastUpdate >= this.interval;
  }

  update(current: number, values?: ProgbarValues | null, finalize?: boolean): void {
    if (finalize === undefined) finalize = this.target === null ? false : current >= this.target;
    const entries: ReadonlyArray<readonly [string, number]> = !values
      ? []
      : Array.isArray(values)
        ? (values as ReadonlyArray<readonly [string, number]>)
        : Object.entries(values as Record<string, number>);
    for (const [k, v] of entries) {
      if (!this.valuesOrder.includes(k)) this.valuesOrder.push(k);
      const stateless = this.statefulMetrics !== null ? !this.statefulMetrics.has(k) : this.statelessMetrics!.has(k);
      if (stateless) {
        if (finalize) {
          this.values.set(k, [v, 1]);
        } else {
          const base = Math.max(current - this.seenSoFar, 1);
          const acc = this.values.get(k);
          if (!acc) this.values.set(k, [v * base, base]);
          else {
            acc[0] += v * base;
            acc[1] += base;
          }
        }
      } else {
        this.values.set(k, [v, 1]);
      }
    }
    this.seenSoFar = current;

    const now = this.now();
    const timePerUnit = this.estimateStepDuration(current, now);

    if (this.verbose === 1) {
      if (now - this.lastUpdate < this.interval && !finalize) return;
      if (!this.dynamicDisplay && !finalize) {
        this.lastUpdate = now;
        return;
      }
      let message = this.dynamicDisplay ? "\b".repeat(this.prevTotalWidth) + "\r" : "";
      let bar: string;
      let visibleBar: string;
      const known = this.target !== null && this.target > 0;
      if (known) {
        const target = this.target as number;
        const count = `${String(current).padStart(numDigits(target))}/${target}`;
        const done = Math.trunc(this.width * (current / target));
        const doneBar = done > 0 ? `${GREEN}${BAR_CHAR.repeat(done)}${RESET}` : "";
        const rest = BAR_CHAR.repeat(Math.max(0, this.width - done));
        bar = `${BOLD}${count}${RESET} ${doneBar}${WHITE}${rest}${RESET}`;
        visibleBar = `${count} ${BAR_CHAR.repeat(Math.max(0, done))}${rest}`;
      } else {
        bar = `${String(current).padStart(7)}/Unknown`;
        visibleBar = bar;
      }
      message += bar;

      let timeText: string;
      if (known && !finalize) {
        timeText = formatEta(timePerUnit * ((this.target as number) - current));
      } else {
        timeText = `${pyFixed(now - this.start, 0)}s`;
      }
      let tail = formatTimePerUnit(timePerUnit, this.unitName);
      for (const k of this.valuesOrder) tail += ` - ${k}: ${this.formatValue(k, true)}`;
      const info = ` ${BOLD}${timeText}${RESET}${tail}`;
      message += info;

      const totalWidth = visibleLength(visibleBar) + visibleLength(` ${timeText}${tail}`);
      if (this.prevTotalWidth > totalWidth) message += " ".repeat(this.prevTotalWidth - totalWidth);
      if (finalize) message += "\n";
      printMsg(message, false, this.write);
      this.prevTotalWidth = totalWidth;
    } else if (this.verbose === 2) {
      if (finalize && this.target !== null && this.target > 0) {
        const count = `${String(current).padStart(numDigits(this.target))}/${this.target}`;
        let info = `${count} - ${pyFixed(now - this.start, 0)}s`;
        info += ` -${formatTimePerUnit(timePerUnit, this.unitName)}`;
        for (const k of this.valuesOrder) info += ` - ${k}: ${this.formatValue(k, false)}`;
        printMsg(`${info}\n`, false, this.write);
      }
    }
    this.lastUpdate = now;
  }

  /** Moves the bar `n` steps forward. */
  add(n: number, values?: ProgbarValues | null): void {
    this.update(this.seenSoFar + n, values);
  }

  private formatValue(k: string, useAbs: boolean): string {
    const [total, count] = this.values.get(k)!;
    const avg = total / Math.max(1, count);
    // Keras's verbose=2 branch compares `avg > 1e-3` without `abs`.
    const big = useAbs ? Math.abs(avg) > 1e-3 : avg > 1e-3;
    return big ? pyFixed(avg, 4) : pyExp(avg, 4);
  }

  private estimateStepDuration(current: number, now: number): number {
    if (!current) return 0;
    let timePerUnit: number;
    if (this.timeAfterFirstStep !== null && current > 1) {
      timePerUnit = (now - this.timeAfterFirstStep) / (current - 1);
    } else {
      timePerUnit = (now - this.start) / current;
    }
    if (current === 1) this.timeAfterFirstStep = now;
    return timePerUnit;
  }
}

function numDigits(target: number): number {
  if (Number.isInteger(target) && target >= 1) return String(target).length;
  return Math.trunc(Math.log10(target)) + 1;
}

function visibleLength(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/** Keras's ETA text: `%ds`, `%d:%02d` over 60 s, `%d:%02d:%02d` over 3600 s. */
export function formatEta(eta: number): string {
  const pad2 = (v: number): string => String(Math.trunc(v)).padStart(2, "0");
  if (eta > 3600) {
    return `${Math.trunc(Math.floor(eta / 3600))}:${pad2(Math.floor((eta % 3600) / 60))}:${pad2(eta % 60)}`;
  }
  if (eta > 60) return `${Math.trunc(Math.floor(eta / 60))}:${pad2(eta % 60)}`;
  return `${Math.trunc(eta)}s`;
}

/** Keras's time per unit: ` 1s/step` (≥ 1 s or exactly 0), ` 3ms/step` (≥ 1 ms), else ` 98us/step`. */
export function formatTimePerUnit(timePerUnit: number, unitName: string): string {
  if (timePerUnit >= 1 || timePerUnit === 0) return ` ${pyFixed(timePerUnit, 0)}s/${unitName}`;
  if (timePerUnit >= 1e-3) return ` ${pyFixed(timePerUnit * 1000.0, 0)}ms/${unitName}`;
  return ` ${pyFixed(timePerUnit * 1000000.0, 0)}us/${unitName}`;
}

// ---------------------------------------------------------------------------
// Python float formatting, exact (CPython rounds the binary value half-even).

const f64 = new Float64Array(1);
const u64 = new BigUint64Array(f64.buffer);

/** |x| as the exact fraction num / den (den a power of two). x must be finite. */
function exactFraction(x: number): { num: bigint; den: bigint } {
  f64[0] = Math.abs(x);
  const bits = u64[0];
  const e = Number((bits >> 52n) & 0x7ffn);
  const f = bits & ((1n << 52n) - 1n);
  const mant = e === 0 ? f : f | (1n << 52n);
  const exp = e === 0 ? -1074 : e - 1075;
  return exp >= 0 ? { num: mant << BigInt(exp), den: 1n } : { num: mant, den: 1n << BigInt(-exp) };
}

/** round(num / den) with ties to even. */
function roundHalfEven(num: bigint, den: bigint): bigint {
  const q = num / den;
  const r2 = (num % den) * 2n;
  if (r2 > den || (r2 === den && q % 2n === 1n)) return q + 1n;
  return q;
}

function isNegative(x: number): boolean {
  return x < 0 || Object.is(x, -0);
}

function nonFinite(x: number, upper = false): string | null {
  if (Number.isNaN(x)) return upper ? "NAN" : "nan";
  if (x === Infinity) return upper ? "INF" : "inf";
  if (x === -Infinity) return upper ? "-INF" : "-inf";
  return null;
}

/** Python's `format(x, ".{precision}f")`: `pyFixed(0.03125, 4)` is `"0.0312"`. */
export function pyFixed(x: number, precision: number): string {
  const nf = nonFinite(x);
  if (nf !== null) return nf;
  const { num, den } = exactFraction(x);
  const q = roundHalfEven(num * 10n ** BigInt(precision), den);
  let digits = q.toString();
  if (precision > 0) {
    digits = digits.padStart(precision + 1, "0");
    digits = `${digits.slice(0, digits.length - precision)}.${digits.slice(digits.length - precision)}`;
  }
  return (isNegative(x) ? "-" : "") + digits;
}

/** The decimal digits and exponent of |x| rounded to `precision + 1` significant digits (x finite, nonzero). */
function sciDigits(x: number, precision: number): { digits: string; exp10: number } {
  const { num, den } = exactFraction(x);
  let exp10 = Math.floor(Math.log10(Math.abs(x)));
  for (let attempt = 0; attempt < 4; attempt++) {
    const shift = precision - exp10;
    const q =
      shift >= 0 ? roundHalfEven(num * 10n ** BigInt(shift), den) : roundHalfEven(num, den * 10n ** BigInt(-shift));
    const s = q.toString();
    if (s.length === precision + 2) {
      exp10 += 1; // e.g. 9.99995 rounded up to 10.0000: redo one decade higher
      continue;
    }
    if (s.length < precision + 1) {
      exp10 -= 1;
      continue;
    }
    return { digits: s, exp10 };
  }
  throw new Error(`Cannot format ${x}`);
}

function expSuffix(exp10: number, upper: boolean): string {
  const sign = exp10 < 0 ? "-" : "+";
  return `${upper ? "E" : "e"}${sign}${String(Math.abs(exp10)).padStart(2, "0")}`;
}

/** Python's `format(x, ".{precision}e")`: `pyExp(5e-5, 4)` is `"5.0000e-05"`. */
export function pyExp(x: number, precision: number, upper = false): string {
  const nf = nonFinite(x, upper);
  if (nf !== null) return nf;
  const sign = isNegative(x) ? "-" : "";
  if (x === 0) return `${sign}${precision > 0 ? "0." + "0".repeat(precision) : "0"}${expSuffix(0, upper)}`;
  const { digits, exp10 } = sciDigits(x, precision);
  const mant = precision > 0 ? `${digits[0]}.${digits.slice(1)}` : digits;
  return `${sign}${mant}${expSuffix(exp10, upper)}`;
}

/**
 * Python's `format(x, ".{precision}g")` (general format); `alternate` keeps
 * trailing zeros as the `#` flag does.
 */
export function pyGeneral(x: number, precision = 6, upper = false, alternate = false): string {
  const nf = nonFinite(x, upper);
  if (nf !== null) return nf;
  const p = precision === 0 ? 1 : precision;
  const sign = isNegative(x) ? "-" : "";
  let exp10 = 0;
  if (x !== 0) exp10 = sciDigits(x, p - 1).exp10;
  let body: string;
  if (-4 <= exp10 && exp10 < p) {
    body = pyFixed(Math.abs(x), p - 1 - exp10);
  } else {
    body = pyExp(Math.abs(x), p - 1, upper);
  }
  if (!alternate) {
    const [m, e] = body.split(/(?=[eE])/);
    let mm = m;
    if (mm.includes(".")) mm = mm.replace(/0+$/, "").replace(/\.$/, "");
    body = mm + (e ?? "");
  }
  return sign + body;
}

/** Python's `repr(float)` / `str(float)`: `pyRepr(1)` is `"1.0"`, `pyRepr(1e-5)` is `"1e-05"`. */
export function pyRepr(x: number): string {
  const nf = nonFinite(x);
  if (nf !== null) return nf;
  if (x === 0) return isNegative(x) ? "-0.0" : "0.0";
  const sign = x < 0 ? "-" : "";
  const [mant, expText] = Math.abs(x).toExponential().split("e");
  const exp10 = Number(expText);
  const digits = mant.replace(".", "");
  if (exp10 < -4 || exp10 >= 16) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return `${sign}${m}${expSuffix(exp10, false)}`;
  }
  if (exp10 < 0) return `${sign}0.${"0".repeat(-exp10 - 1)}${digits}`;
  if (digits.length <= exp10 + 1) return `${sign}${digits}${"0".repeat(exp10 + 1 - digits.length)}.0`;
  return `${sign}${digits.slice(0, exp10 + 1)}.${digits.slice(exp10 + 1)}`;
}

// ---------------------------------------------------------------------------

/** Removes ANSI escape sequences (colours, bold). */
export function stripAnsi(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, "");
}

/**
 * What a terminal shows for a raw output stream: ANSI codes dropped, `\b`
 * moves the cursor one column left (not past the line start), `\r` to the line
 * start, `\n` to a new line, and other characters overwrite the cell under the
 * cursor. Lines are joined with `\n`; trailing spaces of each line are kept.
 */
export function renderTerminalText(raw: string): string {
  const lines: string[][] = [[]];
  let row = 0;
  let col = 0;
  for (const ch of stripAnsi(raw)) {
    if (ch === "\n") {
      row++;
      col = 0;
      if (lines.length <= row) lines.push([]);
    } else if (ch === "\r") {
      col = 0;
    } else if (ch === "\b") {
      if (col > 0) col--;
    } else {
      const line = lines[row];
      while (line.length < col) line.push(" ");
      line[col] = ch;
      col++;
    }
  }
  return lines.map((l) => l.join("")).join("\n");
}
