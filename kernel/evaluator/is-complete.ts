/** Decides whether a cell's code is complete, needs more lines, or is invalid (for is_complete_request and the REPL). */
import ts from "typescript";

/** The is_complete verdict. */
export interface IsComplete {
  status: "complete" | "incomplete" | "invalid";
  /** The indent for the next line when incomplete. */
  indent?: string;
}

/** Classifies `code`: unclosed brackets, strings, templates or comments at the end make it incomplete. */
export function isComplete(code: string): IsComplete {
  if (code.trim() === "") return { status: "complete" };
  const sf = ts.createSourceFile("cell.ts", code, ts.ScriptTarget.ES2022, false, ts.ScriptKind.TS);
  const diags = (sf as unknown as { parseDiagnostics: ts.DiagnosticWithLocation[] }).parseDiagnostics ?? [];
  if (diags.length === 0) {
    // A trailing backslash or operator continues the statement in a REPL.
    if (/(\\|[+\-*/%&|^=<>?:,.]|=>)\s*$/.test(code) && !/(\+\+|--)\s*$/.test(code)) return incomplete(code);
    return { status: "complete" };
  }
  const end = code.trimEnd().length;
  // Errors only at the very end (an expected '}' or ')' or an unterminated literal) mean more input is coming.
  const atEnd = diags.every((d) => d.start >= end || isUnterminated(d.code));
  if (atEnd) return incomplete(code);
  return { status: "invalid" };
}

function isUnterminated(code: number): boolean {
  // 1160: Unterminated template literal; 1010: '*/' expected.
  return code === 1160 || code === 1010;
}

function incomplete(code: string): IsComplete {
  let depth = 0;
  for (const ch of code) {
    if (ch === "{" || ch === "(" || ch === "[") depth++;
    else if (ch === "}" || ch === ")" || ch === "]") depth = Math.max(0, depth - 1);
  }
  const lastIndent = /(^|\n)([ \t]*)[^\n]*$/.exec(code)?.[2] ?? "";
  return { status: "incomplete", indent: depth > 0 ? " ".repeat(2 * depth) : lastIndent };
}
