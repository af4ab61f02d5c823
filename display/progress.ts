/**
 * Live training display: what `fit`, `evaluate` and `predict` show in a
 * notebook instead of the terminal progress bar.
 *
 * - A progress area, displayed once per `fit` (or `evaluate` / `predict`)
 *   and redrawn in place with `update_display_data`: an HTML bar with the
 *   epoch, step, ETA and metrics, and Keras's own progress lines as
 *   `text/plain` (what a terminal would show at the end).
 * - During `fit`, a chart of every loss and metric (training and validation)
 *   as one Vega-Lite v5 spec plus a server-side SVG, displayed after the first
 *   epoch and updated after each epoch, and at most every `chartInterval`
 *   seconds within long epochs (the running epoch drawn at fractional x).
 *
 * It plugs into `progbarHooks` of lib/callbacks/progbar-logger.ts.
 */
import type { ProgbarFactoryArgs, ProgbarLike } from "../lib/callbacks/progbar-logger.js";
import { Progbar, formatEta, formatTimePerUnit, pyExp, pyFixed, renderTerminalText, type ProgbarValues } from "../lib/utils/progbar.js";
import { historyChartSpec, type CurvePoint } from "../lib/utils/history-plot.js";
import { chartBundleWithSvg } from "./chart.js";
import { escapeHtml } from "./summary.js";
import { newDisplayId, type DisplaySink, type MimeBundle } from "./sink.js";
import { VEGALITE_MIME } from "../lib/utils/history-plot.js";

/** Options of {@link LiveTraining}. */
export interface LiveTrainingOptions {
  /** The clock in seconds. Default: the wall clock. */
  now?: () => number;
  /** Minimum seconds between two redraws of a progress area (the last one of a bar is always drawn). Default 0.2. */
  progressInterval?: number;
  /** Minimum seconds between two chart redraws inside an epoch. Default 0.5. */
  chartInterval?: number;
  /** Seconds an epoch must have run before its running values are charted. Default 1. */
  chartAfter?: number;
  /** Render each chart to SVG in Node too (vega). Default true. */
  svg?: boolean;
}

/** Keras's metric formatting on the bar: `{:.4f}` above 1e-3 in magnitude, else `{:.4e}`. */
export function formatMetric(v: number): string {
  return Math.abs(v) > 1e-3 ? pyFixed(v, 4) : pyExp(v, 4);
}

function entriesOf(values: ProgbarValues | null | undefined): [string, number][] {
  if (!values) return [];
  return (Array.isArray(values) ? values : Object.entries(values as Record<string, number>)).map(([k, v]) => [k, Number(v)]);
}

/** One fit: its progress area and its chart. */
interface FitSession {
  readonly progressId: string;
  readonly chartId: string;
  readonly epochs: number;
  /** Lines of the finished bars, as a terminal shows them. */
  readonly lines: string[];
  /** Points of the finished epochs. */
  readonly points: CurvePoint[];
  /** Points of the running epoch (train only). */
  partial: CurvePoint[];
  progressShown: boolean;
  chartShown: boolean;
  lastEpoch: number;
  finished: boolean;
  lastChartAt: number;
}

/** The notebook display of progress bars and training charts. */
export class LiveTraining {
  private session: FitSession | null = null;
  private readonly now: () => number;
  private readonly progressInterval: number;
  private readonly chartInterval: number;
  private readonly chartAfter: number;
  private readonly svg: boolean;
  /** Chart renders run one at a time, in order; the newest pending spec replaces older pending ones. */
  private chartQueue: Promise<void> = Promise.resolve();
  private pendingChart: { session: FitSession; points: CurvePoint[] } | null = null;
  private chartRunning = false;
  private errors = 0;

  constructor(
    private readonly sink: DisplaySink,
    options: LiveTrainingOptions = {},
  ) {
    this.now = options.now ?? (() => Date.now() / 1000);
    this.progressInterval = options.progressInterval ?? 0.2;
    this.chartInterval = options.chartInterval ?? 0.5;
    this.chartAfter = options.chartAfter ?? 1;
    this.svg = options.svg ?? true;
  }

  /** The `progbarHooks.factory`: a bar that draws into the notebook. */
  readonly factory = (args: ProgbarFactoryArgs): ProgbarLike => {
    let session: FitSession | null = null;
    if (args.mode === "train") {
      const s = this.session;
      const fresh = !s || s.finished || args.epoch === null || args.epoch <= s.lastEpoch || args.epochs !== s.epochs;
      if (fresh) {
        this.session = {
          progressId: newDisplayId("progress"),
          chartId: newDisplayId("chart"),
          epochs: args.epochs,
          lines: [],
          points: [],
          partial: [],
          progressShown: false,
          chartShown: false,
          lastEpoch: args.epoch ?? 0,
          finished: false,
          lastChartAt: -Infinity,
        };
      }
      session = this.session as FitSession;
      session.lastEpoch = args.epoch ?? session.lastEpoch;
    }
    return new NotebookBar(this, args, session);
  };

  /** The `progbarHooks.write`: `Epoch i/N` lines are drawn in the progress area; other text goes to stdout. */
  readonly write = (text: string): void => {
    if (/^Epoch \d+\/\d+\n?$/.test(text)) return;
    process.stdout.write(text);
  };

  /** Resolves when every chart render started so far has been sent. */
  flush(): Promise<void> {
    return this.chartQueue;
  }

  /** @internal Sends a progress bundle: display the first time, update after. */
  sendProgress(target: { id: string; shown: boolean }, bundle: MimeBundle): boolean {
    try {
      if (!target.shown) this.sink.display(bundle, { displayId: target.id });
      else this.sink.update(target.id, bundle);
      return true;
    } catch (e) {
      this.report(e);
      return target.shown;
    }
  }

  /** @internal Charts the session's points (plus `partial`), rendering the SVG off the training loop. */
  chart(session: FitSession, final: boolean): void {
    const t = this.now();
    if (!final && t - session.lastChartAt < this.chartInterval) return;
    session.lastChartAt = t;
    this.pendingChart = { session, points: [...session.points, ...session.partial] };
    if (this.chartRunning) return;
    this.chartRunning = true;
    this.chartQueue = this.chartQueue.then(() => this.drainCharts());
  }

  private async drainCharts(): Promise<void> {
    try {
      while (this.pendingChart) {
        const { session, points } = this.pendingChart;
        this.pendingChart = null;
        const spec = historyChartSpec(points, { epochs: session.epochs });
        const done = points.filter((p) => p.split === "train" && Number.isInteger(p.epoch));
        const epochsDone = new Set(done.map((p) => p.epoch)).size;
        const text = `Training curves: ${epochsDone}/${session.epochs} epoch${session.epochs === 1 ? "" : "s"}`;
        const bundle: MimeBundle = this.svg ? await chartBundleWithSvg(spec, text) : { [VEGALITE_MIME]: spec, "text/plain": text };
        try {
          if (!session.chartShown) {
            this.sink.display(bundle, { displayId: session.chartId });
            session.chartShown = true;
          } else this.sink.update(session.chartId, bundle);
        } catch (e) {
          this.report(e);
        }
      }
    } finally {
      this.chartRunning = false;
    }
  }

  /** @internal */
  get clock(): () => number {
    return this.now;
  }

  /** @internal */
  get interval(): number {
    return this.progressInterval;
  }

  /** @internal The least time between two chart redraws within an epoch. */
  get chartEvery(): number {
    return this.chartInterval;
  }

  /** @internal */
  get chartDelay(): number {
    return this.chartAfter;
  }

  private report(e: unknown): void {
    if (this.errors++ < 3) process.stderr.write(`tskeras display: ${(e as Error)?.message ?? String(e)}\n`);
  }
}

/** One progress bar (an epoch of fit, or an evaluate / predict run) drawn in the notebook. */
class NotebookBar implements ProgbarLike {
  target: number | null;
  private readonly inner: Progbar;
  private frame = "";
  private readonly start: number;
  private timeAfterFirstStep: number | null = null;
  private lastSent = -Infinity;
  private current = 0;
  private values: [string, number][] = [];
  private readonly own: { id: string; shown: boolean };

  constructor(
    private readonly live: LiveTraining,
    private readonly args: ProgbarFactoryArgs,
    private readonly session: FitSession | null,
  ) {
    this.target = args.target;
    this.start = live.clock();
    this.inner = new Progbar(args.target, {
      verbose: args.verbose,
      unitName: args.unitName,
      statelessMetrics: [],
      interval: 0,
      isTTY: true,
      now: live.clock,
      write: (text) => {
        this.frame = text;
      },
    });
    this.own = session ? { id: session.progressId, shown: session.progressShown } : { id: newDisplayId("progress"), shown: false };
  }

  /** Whether an update now would send a frame or a chart point (else the logger skips reading the metrics). */
  willRender(finalize: boolean): boolean {
    if (finalize) return true;
    const now = this.live.clock();
    if (now - this.lastSent >= this.live.interval) return true;
    const s = this.session;
    return s !== null && this.args.mode === "train" && now - this.start >= this.live.chartDelay && now - s.lastChartAt >= this.live.chartEvery;
  }

  update(current: number, values?: ProgbarValues | null, finalize?: boolean): void {
    if (this.inner.target !== this.target) this.inner.target = this.target;
    this.inner.update(current, values, finalize);
    const now = this.live.clock();
    if (current && current !== this.current) {
      if (this.current === 0 && current >= 1) this.timeAfterFirstStep = now;
    }
    this.current = current;
    for (const [k, v] of entriesOf(values)) {
      const i = this.values.findIndex(([n]) => n === k);
      if (i >= 0) this.values[i] = [k, v];
      else this.values.push([k, v]);
    }
    const isFinal = finalize ?? (this.target !== null && current >= this.target);
    if (isFinal) this.finish(now);
    else {
      if (now - this.lastSent >= this.live.interval) this.send(now, false);
      if (this.session && this.args.mode === "train") this.chartPartial(now);
    }
  }

  private finish(now: number): void {
    const line = this.lineText();
    const s = this.session;
    if (s) {
      const epoch = this.args.epoch ?? 0;
      if (this.args.epochs > 1 && this.args.verbose) s.lines.push(`Epoch ${epoch + 1}/${this.args.epochs}`);
      if (line) s.lines.push(line);
      s.partial = [];
      for (const [k, v] of this.values) {
        if (!Number.isFinite(v)) continue;
        const validation = k.startsWith("val_");
        s.points.push({ metric: validation ? k.slice(4) : k, split: validation ? "validation" : "train", epoch: epoch + 1, value: v });
      }
      if (epoch + 1 >= this.args.epochs) s.finished = true;
    }
    this.send(now, true, line);
    if (s) this.live.chart(s, true);
  }

  private chartPartial(now: number): void {
    const s = this.session as FitSession;
    if (now - this.start < this.live.chartDelay || !this.target) return;
    const x = (this.args.epoch ?? 0) + Math.min(1, this.current / this.target);
    s.partial = this.values
      .filter(([k, v]) => !k.startsWith("val_") && Number.isFinite(v))
      .map(([k, v]) => ({ metric: k, split: "train" as const, epoch: x, value: v }));
    this.live.chart(s, false);
  }

  /** The bar's current line as a terminal shows it (Keras's text, colours dropped). */
  private lineText(): string {
    const lines = renderTerminalText(this.frame).split("\n").map((l) => l.trimEnd());
    for (let i = lines.length - 1; i >= 0; i--) if (lines[i]) return lines[i];
    return "";
  }

  private send(now: number, final: boolean, finalLine?: string): void {
    this.lastSent = now;
    const s = this.session;
    const line = finalLine ?? this.lineText();
    let textLines: string[];
    if (s) {
      textLines = [...s.lines];
      if (!final) {
        if (this.args.epochs > 1 && this.args.verbose) textLines.push(`Epoch ${(this.args.epoch ?? 0) + 1}/${this.args.epochs}`);
        if (line) textLines.push(line);
      }
    } else textLines = line ? [line] : [];
    const bundle: MimeBundle = { "text/html": this.html(now, final), "text/plain": textLines.join("\n") };
    const shown = this.live.sendProgress(this.own, bundle);
    this.own.shown = shown;
    if (s) s.progressShown = shown;
  }

  private html(now: number, final: boolean): string {
    const a = this.args;
    const target = this.target;
    const current = this.current;
    const frac = target ? Math.min(1, current / target) : final ? 1 : 0;
    const elapsed = now - this.start;
    let timePerStep = 0;
    if (current) {
      timePerStep =
        this.timeAfterFirstStep !== null && current > 1 ? (now - this.timeAfterFirstStep) / (current - 1) : elapsed / current;
    }
    const title =
      a.mode === "train"
        ? a.epochs > 1
          ? `Epoch ${(a.epoch ?? 0) + 1}/${a.epochs}`
          : "Training"
        : a.mode === "test"
          ? "Evaluating"
          : "Predicting";
    const count = target ? `${current}/${target}` : `${current}/Unknown`;
    const time = final || !target ? `${pyFixed(elapsed, 0)}s` : `ETA ${formatEta(timePerStep * (target - current))}`;
    const speed = current ? formatTimePerUnit(timePerStep, a.unitName).trim() : "";
    const metrics = this.values
      .map(([k, v]) => `<span style="margin-right:12px"><span style="color:#555">${escapeHtml(k)}:</span> <b>${formatMetric(v)}</b></span>`)
      .join("");
    const color = final ? "#2e7d32" : "#1976d2";
    const overall =
      a.mode === "train" && a.epochs > 1
        ? `<div style="height:3px;width:320px;background:#eee;margin-top:3px"><div class="tskeras-progress-overall" style="height:3px;width:${(
            (((a.epoch ?? 0) + frac) / a.epochs) *
            100
          ).toFixed(1)}%;background:#999"></div></div>`
        : "";
    return (
      `<div class="tskeras-progress" data-mode="${a.mode}" data-step="${current}" data-target="${target ?? ""}" data-final="${final}" ` +
      `style="font-family:var(--jp-ui-font-family,sans-serif);font-size:13px;line-height:1.5">` +
      `<div style="display:flex;align-items:center;gap:10px;flex-wrap:wrap">` +
      `<b style="min-width:90px">${escapeHtml(title)}</b>` +
      `<div style="width:320px"><div style="height:12px;width:320px;background:#e0e0e0;border-radius:3px;overflow:hidden">` +
      `<div class="tskeras-progress-bar" style="height:12px;width:${(frac * 100).toFixed(1)}%;background:${color}"></div></div>${overall}</div>` +
      `<span style="font-family:var(--jp-code-font-family,monospace)">${escapeHtml(count)}</span>` +
      `<span>${escapeHtml(time)}</span>` +
      (speed ? `<span style="color:#555">${escapeHtml(speed)}</span>` : "") +
      `</div>` +
      (metrics ? `<div style="font-family:var(--jp-code-font-family,monospace);font-size:12px">${metrics}</div>` : "") +
      `</div>`
    );
  }
}
