/**
 * One TypeScript language service over all cells so far.
 *
 * The service sees one virtual module: the declarations of the earlier cells
 * (the latest declaration of each name wins, so a cell that re-declares
 * `const x` replaces the older one) followed by the current cell. Type
 * errors, completions and inspections are reported for the current cell with
 * its own line and column.
 */
import ts from "typescript";
import { existsSync } from "node:fs";
import { join } from "node:path";

/** A type error in a cell (1-based line and column). */
export interface CellDiagnostic {
  line: number;
  col: number;
  code: number;
  message: string;
}

/** A completion reply. */
export interface Completions {
  matches: string[];
  cursorStart: number;
  cursorEnd: number;
  types: { text: string; type: string; start: number; end: number }[];
}

/** An inspection: a signature and its documentation. */
export interface Inspection {
  signature: string;
  documentation: string;
}

/** Where the type view finds its surroundings. */
export interface TypeViewOptions {
  /** The notebook's directory: module resolution starts here. */
  cwd: string;
  /** The root of the tskeras package (for its .d.ts and @types/node). */
  packageRoot: string;
  /** Extra global declarations (the kernel's globals), as .d.ts text. */
  globals: string;
}

interface CommittedCell {
  source: string;
  statements: { text: string; names: string[]; decl: ts.Statement; keep: boolean }[];
  names: Set<string>;
}

const IGNORED_CODES = new Set([
  1375, // 'await' at top level only in modules (we are one)
  1378, // top-level await target
  2451, // redeclare block-scoped variable across the composed file (handled by replacement)
  7016, // untyped JavaScript packages are fine in a notebook (they are `any`)
  80005, // require call may be converted to an import
]);

/** The TypeScript view of a notebook. */
export class TypeView {
  private readonly ls: ts.LanguageService;
  private readonly options: ts.CompilerOptions;
  private readonly notebookFile: string;
  private readonly globalsFile: string;
  private readonly history: CommittedCell[] = [];
  private historyText = "";
  private text = "";
  private version = 0;
  private readonly diskCache = new Map<string, ts.IScriptSnapshot | undefined>();

  constructor(private readonly opts: TypeViewOptions) {
    this.notebookFile = join(opts.cwd, "__tskeras_notebook__.ts");
    this.globalsFile = join(opts.cwd, "__tskeras_globals__.d.ts");
    const root = opts.packageRoot;
    const dts = join(root, "dist", "lib", "index.d.ts");
    const tskeras = existsSync(dts) ? dts : join(root, "lib", "index.ts");
    const tslabDts = join(root, "dist", "kernel", "tslab.d.ts");
    const tslab = existsSync(tslabDts) ? tslabDts : join(root, "kernel", "tslab.ts");
    this.options = {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      moduleDetection: ts.ModuleDetectionKind.Force,
      lib: ["lib.es2023.d.ts"],
      types: ["node"],
      typeRoots: [join(opts.cwd, "node_modules", "@types"), join(root, "node_modules", "@types")],
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      esModuleInterop: true,
      allowSyntheticDefaultImports: true,
      resolveJsonModule: true,
      allowJs: true,
      checkJs: false,
      allowImportingTsExtensions: true,
      paths: { tskeras: [tskeras], tslab: [tslab] },
    };
    const host: ts.LanguageServiceHost = {
      getCompilationSettings: () => this.options,
      getScriptFileNames: () => [this.globalsFile, this.notebookFile],
      getScriptVersion: (f) => (f === this.notebookFile ? String(this.version) : "0"),
      getScriptSnapshot: (f) => {
        if (f === this.notebookFile) return ts.ScriptSnapshot.fromString(this.text);
        if (f === this.globalsFile) return ts.ScriptSnapshot.fromString(this.opts.globals);
        if (!this.diskCache.has(f)) {
          const t = ts.sys.readFile(f);
          this.diskCache.set(f, t === undefined ? undefined : ts.ScriptSnapshot.fromString(t));
        }
        return this.diskCache.get(f);
      },
      getCurrentDirectory: () => opts.cwd,
      getDefaultLibFileName: (o) => ts.getDefaultLibFilePath(o),
      fileExists: (f) => f === this.notebookFile || f === this.globalsFile || ts.sys.fileExists(f),
      readFile: (f) => (f === this.notebookFile ? this.text : f === this.globalsFile ? this.opts.globals : ts.sys.readFile(f)),
      readDirectory: ts.sys.readDirectory,
      directoryExists: ts.sys.directoryExists,
      getDirectories: ts.sys.getDirectories,
      realpath: ts.sys.realpath,
      useCaseSensitiveFileNames: () => ts.sys.useCaseSensitiveFileNames,
    };
    this.ls = ts.createLanguageService(host, ts.createDocumentRegistry());
  }

  /** Sets the current cell's text; returns the offset of the cell in the composed file. */
  private setCell(source: string): number {
    this.rebuildHistory(source);
    this.text = this.historyText + source;
    this.version++;
    return this.historyText.length;
  }

  /** The type errors of `source` as the next cell. */
  check(source: string): CellDiagnostic[] {
    const offset = this.setCell(source);
    const sf = ts.createSourceFile("cell.ts", source, ts.ScriptTarget.ES2022);
    const diags = [
      ...this.ls.getSyntacticDiagnostics(this.notebookFile),
      ...this.ls.getSemanticDiagnostics(this.notebookFile),
    ];
    const out: CellDiagnostic[] = [];
    for (const d of diags) {
      if (d.category !== ts.DiagnosticCategory.Error || IGNORED_CODES.has(d.code)) continue;
      if (d.file && d.file.fileName !== this.notebookFile) continue;
      const start = d.start ?? 0;
      if (start < offset) continue;
      const { line, character } = sf.getLineAndCharacterOfPosition(Math.min(start - offset, source.length));
      out.push({ line: line + 1, col: character + 1, code: d.code, message: ts.flattenDiagnosticMessageText(d.messageText, "\n") });
    }
    return out;
  }

  /** Adds a cell that ran to the history the next cells see. */
  commit(source: string): void {
    const sf = ts.createSourceFile("cell.ts", source, ts.ScriptTarget.ES2022, true);
    const statements: CommittedCell["statements"] = [];
    const names = new Set<string>();
    for (const s of sf.statements) {
      const declNames = declaredNames(s);
      const keep = declNames !== undefined || isTopLevelAssignment(s);
      if (!keep) continue;
      for (const n of declNames ?? []) names.add(n);
      statements.push({ text: s.getText(sf), names: declNames ?? [], decl: s, keep });
    }
    this.history.push({ source, statements, names });
  }

  private rebuildHistory(current: string): void {
    const currentNames = new Set<string>();
    const csf = ts.createSourceFile("cell.ts", current, ts.ScriptTarget.ES2022, true);
    for (const s of csf.statements) for (const n of declaredNames(s) ?? []) currentNames.add(n);
    const later = new Set(currentNames);
    const parts: string[] = [];
    for (let i = this.history.length - 1; i >= 0; i--) {
      const cell = this.history[i]!;
      const kept: string[] = [];
      for (const st of cell.statements) {
        const shadowed = st.names.filter((n) => later.has(n));
        if (shadowed.length === 0) kept.push(st.text);
        else if (shadowed.length < st.names.length && ts.isVariableStatement(st.decl)) {
          const remaining = st.decl.declarationList.declarations.filter(
            (d) => !bindingNames(d.name).some((n) => later.has(n)),
          );
          if (remaining.length) {
            const kw = st.decl.declarationList.flags & ts.NodeFlags.Const ? "const" : st.decl.declarationList.flags & ts.NodeFlags.Let ? "let" : "var";
            kept.push(`${kw} ${remaining.map((d) => d.getText()).join(", ")};`);
          }
        }
      }
      parts.unshift(kept.join("\n"));
      for (const n of cell.names) later.add(n);
    }
    this.historyText = parts.filter((p) => p).join("\n") + (parts.some((p) => p) ? "\n;\n" : "");
  }

  /** Completions at `cursor` (a character offset) in `source`. */
  complete(source: string, cursor: number): Completions {
    const offset = this.setCell(source);
    const prefix = /[\w$]*$/.exec(source.slice(0, cursor))![0];
    const suffix = /^[\w$]*/.exec(source.slice(cursor))![0];
    const start = cursor - prefix.length;
    const info = this.ls.getCompletionsAtPosition(this.notebookFile, offset + cursor, {
      includeCompletionsWithInsertText: true,
      includeCompletionsForModuleExports: false,
    });
    const entries = (info?.entries ?? []).filter((e) => e.name.startsWith(prefix) && !e.name.startsWith("__tskeras"));
    entries.sort((a, b) => (a.sortText === b.sortText ? a.name.localeCompare(b.name) : a.sortText < b.sortText ? -1 : 1));
    const seen = new Set<string>();
    const matches: string[] = [];
    const types: Completions["types"] = [];
    for (const e of entries) {
      if (seen.has(e.name)) continue;
      seen.add(e.name);
      matches.push(e.name);
      types.push({ text: e.name, type: e.kind, start, end: cursor + suffix.length });
    }
    return { matches, cursorStart: start, cursorEnd: cursor + suffix.length, types };
  }

  /** The signature and documentation of the name at (or just before) `cursor`. */
  inspect(source: string, cursor: number): Inspection | undefined {
    const offset = this.setCell(source);
    const candidates = [cursor, cursor - 1];
    // Inside a call `f(|`: look at the callee.
    const before = source.slice(0, cursor);
    const call = /([\w$]+)\s*\(\s*[^()]*$/.exec(before);
    if (call) candidates.push(call.index + call[1]!.length - 1);
    for (const pos of candidates) {
      if (pos < 0 || pos > source.length) continue;
      const info = this.ls.getQuickInfoAtPosition(this.notebookFile, offset + pos);
      if (!info) continue;
      const signature = ts.displayPartsToString(info.displayParts);
      const doc = ts.displayPartsToString(info.documentation);
      const tags = (info.tags ?? [])
        .map((t) => `@${t.name}${t.text ? " " + ts.displayPartsToString(t.text) : ""}`)
        .join("\n");
      return { signature, documentation: [doc, tags].filter((s) => s).join("\n\n") };
    }
    return undefined;
  }

  /** Number of cells in the history. */
  get size(): number {
    return this.history.length;
  }
}

function bindingNames(name: ts.BindingName): string[] {
  if (ts.isIdentifier(name)) return [name.text];
  const out: string[] = [];
  for (const el of name.elements) if (!ts.isOmittedExpression(el)) out.push(...bindingNames(el.name));
  return out;
}

/** The names a top-level statement declares, or undefined when it is not a declaration. */
function declaredNames(s: ts.Statement): string[] | undefined {
  if (ts.isVariableStatement(s)) return s.declarationList.declarations.flatMap((d) => bindingNames(d.name));
  if (
    ts.isFunctionDeclaration(s) ||
    ts.isClassDeclaration(s) ||
    ts.isInterfaceDeclaration(s) ||
    ts.isTypeAliasDeclaration(s) ||
    ts.isEnumDeclaration(s)
  ) {
    return s.name ? [s.name.text] : [];
  }
  if (ts.isModuleDeclaration(s)) return ts.isIdentifier(s.name) ? [s.name.text] : [];
  if (ts.isImportEqualsDeclaration(s)) return [s.name.text];
  if (ts.isImportDeclaration(s)) {
    const c = s.importClause;
    if (!c) return [];
    const out: string[] = [];
    if (c.name) out.push(c.name.text);
    if (c.namedBindings) {
      if (ts.isNamespaceImport(c.namedBindings)) out.push(c.namedBindings.name.text);
      else for (const el of c.namedBindings.elements) out.push(el.name.text);
    }
    return out;
  }
  return undefined;
}

function isTopLevelAssignment(s: ts.Statement): boolean {
  return (
    ts.isExpressionStatement(s) &&
    ts.isBinaryExpression(s.expression) &&
    s.expression.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
    ts.isIdentifier(s.expression.left)
  );
}
