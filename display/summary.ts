/**
 * `model.summary()` in a notebook: an HTML table with Keras's columns and
 * totals, plus Keras's exact text as `text/plain`.
 */
import { summaryRows, renderSummary, type SummarizableModel, type SummaryData, type SummaryOptions } from "../lib/utils/summary-utils.js";
import type { MimeBundle } from "./sink.js";

/** Escapes text for HTML. */
export function escapeHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

const TABLE_STYLE = "border-collapse:collapse;font-family:var(--jp-code-font-family,monospace);font-size:12px;margin:4px 0";
const TH_STYLE = "border-bottom:2px solid #888;padding:4px 10px;text-align:left;font-weight:bold;white-space:nowrap";
const TD_STYLE = "border-bottom:1px solid #ddd;padding:3px 10px;vertical-align:top";

/** The HTML table of structured summary data (see `summaryRows`). */
export function summaryHtml(data: SummaryData): string {
  const align = (j: string | undefined): string => (j === "right" ? "right" : j === "center" ? "center" : "left");
  const head = data.columns
    .map((c) => `<th style="${TH_STYLE};text-align:${align(c.justify)}">${escapeHtml(c.header)}</th>`)
    .join("");
  const rows = data.rows
    .map((r) => {
      const indent = r.depth ? `padding-left:${10 + r.depth * 18}px;` : "";
      const marker = r.depth ? `<span style="color:#888">└ </span>` : "";
      const cells = [
        `<td style="${TD_STYLE};${indent}white-space:nowrap">${marker}<b>${escapeHtml(r.name)}</b> (${escapeHtml(r.className)})</td>`,
        `<td style="${TD_STYLE};white-space:nowrap">${escapeHtml(r.outputShape)}</td>`,
        `<td style="${TD_STYLE};text-align:right">${escapeHtml(r.paramsText)}</td>`,
      ];
      if (r.connectedTo !== null) {
        cells.push(`<td style="${TD_STYLE}">${r.connectedTo.length ? r.connectedTo.map(escapeHtml).join("<br>") : "-"}</td>`);
      }
      if (r.trainable !== null) {
        const color = r.trainable === "Y" ? "forestgreen" : r.trainable === "N" ? "firebrick" : "#888";
        cells.push(`<td style="${TD_STYLE};text-align:center;color:${color};font-weight:bold">${r.trainable}</td>`);
      }
      return `<tr class="tskeras-summary-row" data-depth="${r.depth}">${cells.join("")}</tr>`;
    })
    .join("");
  const totals = [data.totals.total, data.totals.trainable, data.totals.nonTrainable, data.totals.optimizer]
    .filter((t) => t !== undefined)
    .map(
      (t) =>
        `<tr><td style="padding:1px 10px 1px 0"><b>${escapeHtml(t.label)}:</b></td>` +
        `<td style="padding:1px 6px;text-align:right">${escapeHtml(t.text.slice(t.text.indexOf(":") + 2).replace(/ \(.*$/, ""))}</td>` +
        `<td style="padding:1px 0;color:#555">(${escapeHtml(t.sizeText)})</td></tr>`,
    )
    .join("");
  return (
    `<div class="tskeras-summary">` +
    `<div style="font-weight:bold;margin:4px 0">Model: "${escapeHtml(data.modelName)}"</div>` +
    `<table class="tskeras-summary-table" style="${TABLE_STYLE}"><thead><tr>${head}</tr></thead><tbody>${rows}</tbody></table>` +
    `<table class="tskeras-summary-totals" style="border-collapse:collapse;font-size:12px;margin-top:4px">${totals}</table>` +
    `</div>`
  );
}

/**
 * The bundle of a model's summary: `text/html` (the table) and `text/plain`
 * (Keras's text, exactly as `model.summary()` prints it in a terminal).
 */
export function summaryBundle(model: SummarizableModel, options: SummaryOptions = {}): MimeBundle {
  const data = summaryRows(model, options);
  return { "text/html": summaryHtml(data), "text/plain": renderSummary(data).replace(/\n$/, "") };
}
