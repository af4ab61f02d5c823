/**
 * One TypeScript language service over all cells so far.
 *
 * It sees two virtual modules: the history, which exports the declarations of
 * the earlier cells (the latest declaration of each name wins, so a cell that
 * re-declares `const x` replaces the older one), and the current cell, which
 * imports them. Only the cell's module is checked, so the cost of a check does
 * not grow with the notebook: the history's types are resolved only where the
 * cell uses them. Type errors, completions and inspections are reported for
 * the current cell with its own line and column.
 */
import ts from "typescript";
import { existsSync, statSync } from "node:fs";
import { dirname, join } from "node:path";

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

/** TypeScript's own lib files. */
const TS_LIB_DIR = dirname(ts.getDefaultLibFilePath({}));

/** How many composed texts' diagnostics are remembered (a re-run cell with the same history is not checked again). */
const CHECK_CACHE_SIZE = 64;

/** The TypeScript view of a notebook. */
export class TypeView {
  private readonly ls: ts.LanguageService;
  private readonly options: ts.CompilerOptions;
  private readonly notebookFile: string;
  private readonly historyFile: string;
  /** Bumped whenever the history module's text changes. */
  private historyVersion = 0;
  /** Names the history declares with `const` (an assignment to one in a cell is an error). */
  private historyConsts = new Set<string>();
  private readonly globalsFile: string;
  private readonly history: CommittedCell[] = [];
  private historyText = "";
  private text = "";
  private version = 0;
  private readonly diskCache = new Map<string, { version: string; snapshot: ts.IScriptSnapshot | undefined }>();
  /** Parsed files from disk, shared by the checking program and the language service. */
  private readonly registry = ts.createDocumentRegistry();
  private readonly parsed = new Map<string, { version: string; file: ts.SourceFile | undefined }>();
  /** Files of the notebook's own (outside node_modules and TypeScript's libs): their versions are their mtimes. */
  private readonly localFiles = new Set<string>();
  private readonly checkHost: ts.CompilerHost;
  private readonly resolutionCache: ts.ModuleResolutionCache;
  private readonly packageDir: string;
  private program: ts.Program | undefined;
  /** Diagnostics of recently checked composed texts (same text, same local files: same answer). */
  private readonly checked = new Map<string, CellDiagnostic[]>();

  constructor(private readonly opts: TypeViewOptions) {
    this.notebookFile = join(opts.cwd, "__tskeras_notebook__.ts");
    this.historyFile = join(opts.cwd, "__tskeras_history__.ts");
    this.globalsFile = join(opts.cwd, "__tskeras_globals__.d.ts");
    const root = opts.packageRoot;
    this.packageDir = join(root, "dist") + "/";
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
      getScriptFileNames: () => [this.globalsFile, this.historyFile, this.notebookFile],
      getScriptVersion: (f) =>
        f === this.notebookFile ? String(this.version) : f === this.historyFile ? String(this.historyVersion) : f === this.globalsFile ? "0" : this.diskVersion(f),
      getScriptSnapshot: (f) => {
        if (f === this.notebookFile) return ts.ScriptSnapshot.fromString(this.text);
        if (f === this.historyFile) return ts.ScriptSnapshot.fromString(this.historyText);
        if (f === this.globalsFile) return ts.ScriptSnapshot.fromString(this.opts.globals);
        return this.diskSnapshot(f);
      },
      getCurrentDirectory: () => opts.cwd,
      getDefaultLibFileName: (o) => ts.getDefaultLibFilePath(o),
      fileExists: (f) => f === this.notebookFile || f === this.historyFile || f === this.globalsFile || ts.sys.fileExists(f),
      readFile: (f) =>
        f === this.notebookFile ? this.text : f === this.historyFile ? this.historyText : f === this.globalsFile ? this.opts.globals : ts.sys.readFile(f),
      readDirectory: ts.sys.readDirectory,
      directoryExists: ts.sys.directoryExists,
      getDirectories: ts.sys.getDirectories,
      realpath: ts.sys.realpath,
      useCaseSensitiveFileNames: () => ts.sys.useCaseSensitiveFileNames,
    };
    this.ls = ts.createLanguageService(host, this.registry);
    this.checkHost = {
      getSourceFile: (f, languageVersionOrOptions) => this.sourceFile(f, languageVersionOrOptions),
      getDefaultLibFileName: (o) => ts.getDefaultLibFilePath(o),
      writeFile: () => undefined,
      getCurrentDirectory: () => opts.cwd,
      getCanonicalFileName: (f) => (ts.sys.useCaseSensitiveFileNames ? f : f.toLowerCase()),
      useCaseSensitiveFileNames: () => ts.sys.useCaseSensitiveFileNames,
      getNewLine: () => "\n",
      fileExists: host.fileExists,
      readFile: (f) => host.readFile!(f),
      directoryExists: ts.sys.directoryExists,
      getDirectories: ts.sys.getDirectories,
      realpath: ts.sys.realpath,
      // One resolution cache across checks (package.json lookups and resolutions are not redone
      // for every program); it is cleared when a check cannot find a module, so a file or package
      // added since is found on the next check.
      getModuleResolutionCache: () => this.resolutionCache,
      resolveModuleNameLiterals: (literals, containingFile, redirected, options, containingSourceFile) =>
        literals.map((l) =>
          ts.resolveModuleName(
            l.text,
            containingFile,
            options,
            this.checkHost,
            this.resolutionCache,
            redirected,
            ts.getModeForUsageLocation(containingSourceFile, l, options),
          ),
        ),
    };
    this.resolutionCache = ts.createModuleResolutionCache(opts.cwd, this.checkHost.getCanonicalFileName, this.options);
  }

  /**
   * The version of a file on disk: packages (tskeras's own declarations, those in
   * node_modules, TypeScript's libs) do not change under a running kernel; the
   * notebook's own files are versioned by their mtime.
   */
  private diskVersion(f: string): string {
    if (f.includes("/node_modules/") || f.startsWith(TS_LIB_DIR) || f.startsWith(this.packageDir)) return "0";
    this.localFiles.add(f);
    try {
      return String(statSync(f).mtimeMs);
    } catch {
      return "missing";
    }
  }

  private diskSnapshot(f: string): ts.IScriptSnapshot | undefined {
    const version = this.diskVersion(f);
    let entry = this.diskCache.get(f);
    if (!entry || entry.version !== version) {
      const t = ts.sys.readFile(f);
      entry = { version, snapshot: t === undefined ? undefined : ts.ScriptSnapshot.fromString(t) };
      this.diskCache.set(f, entry);
    }
    return entry.snapshot;
  }

  /** Source files for the checking program: the cell file fresh, the others parsed once per version (through the language service's registry, so both share them). */
  private sourceFile(f: string, languageVersionOrOptions: ts.ScriptTarget | ts.CreateSourceFileOptions): ts.SourceFile | undefined {
    if (f === this.notebookFile) return ts.createSourceFile(f, this.text, languageVersionOrOptions);
    const version = f === this.globalsFile ? "0" : f === this.historyFile ? String(this.historyVersion) : this.diskVersion(f);
    const cached = this.parsed.get(f);
    if (cached && cached.version === version) return cached.file;
    const snapshot =
      f === this.globalsFile
        ? ts.ScriptSnapshot.fromString(this.opts.globals)
        : f === this.historyFile
          ? ts.ScriptSnapshot.fromString(this.historyText)
          : this.diskSnapshot(f);
    const file =
      snapshot &&
      (cached?.file
        ? this.registry.updateDocument(f, this.options, snapshot, version, undefined, languageVersionOrOptions)
        : this.registry.acquireDocument(f, this.options, snapshot, version, undefined, languageVersionOrOptions));
    this.parsed.set(f, { version, file });
    return file;
  }

  /** Sets the current cell's text; returns the offset of the cell in the cell module (after its import of the history). */
  private setCell(source: string): number {
    const names = this.rebuildHistory(source);
    const head = names.length ? `import { ${names.join(", ")} } from "./__tskeras_history__";\n` : "";
    this.text = head + source;
    this.version++;
    return head.length;
  }

  /** The type errors of `source` as the next cell. */
  check(source: string): CellDiagnostic[] {
    const offset = this.setCell(source);
    let key = `${this.historyText}\0${this.text}`;
    for (const f of this.localFiles) key += `\0${f}\0${this.diskVersion(f)}`;
    const known = this.checked.get(key);
    if (known) {
      // Most recently used last.
      this.checked.delete(key);
      this.checked.set(key, known);
      return known.map((d) => ({ ...d }));
    }
    // A program of its own for checking (cheaper than a language service update): it reuses
    // the parsed and bound files of the previous one and reparses only the cell file.
    this.program = ts.createProgram({
      rootNames: [this.globalsFile, this.historyFile, this.notebookFile],
      options: this.options,
      host: this.checkHost,
      oldProgram: this.program,
    });
    const file = this.program.getSourceFile(this.notebookFile)!;
    const diags = [...this.program.getSyntacticDiagnostics(file), ...this.program.getSemanticDiagnostics(file)];
    if (diags.some((d) => d.code === 2307 || d.code === 2792)) this.resolutionCache.clear();
    // The cell module is the import of the history (one line, when there are names) and the cell.
    const headLines = offset > 0 ? 1 : 0;
    const out: CellDiagnostic[] = [];
    for (const d of diags) {
      if (d.category !== ts.DiagnosticCategory.Error || IGNORED_CODES.has(d.code)) continue;
      if (d.file && d.file.fileName !== this.notebookFile) continue;
      const start = d.start ?? 0;
      if (start < offset) continue;
      // The history's names are imports in the cell module: assigning to a `let` or `var` of an
      // earlier cell is fine, to a `const` it is not.
      let code = d.code;
      let message = ts.flattenDiagnosticMessageText(d.messageText, "\n");
      if (code === 2632) {
        const name = /'([^']+)'/.exec(message)?.[1] ?? "";
        if (!this.historyConsts.has(name)) continue;
        code = 2588;
        message = `Cannot assign to '${name}' because it is a constant.`;
      }
      const { line, character } = file.getLineAndCharacterOfPosition(Math.min(start, file.text.length));
      out.push({ line: line - headLines + 1, col: character + 1, code, message });
    }
    this.checked.set(key, out);
    if (this.checked.size > CHECK_CACHE_SIZE) this.checked.delete(this.checked.keys().next().value!);
    return out.map((d) => ({ ...d }));
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

  /**
   * Composes the history module for `current` as the next cell: every kept
   * declaration exported, the names the current cell does not declare itself.
   * Returns the names the cell imports.
   */
  private rebuildHistory(current: string): string[] {
    const currentNames = new Set<string>();
    const csf = ts.createSourceFile("cell.ts", current, ts.ScriptTarget.ES2022, true);
    for (const s of csf.statements) for (const n of declaredNames(s) ?? []) currentNames.add(n);
    const later = new Set(currentNames);
    const exported = new Set<string>();
    const consts = new Set<string>();
    const parts: string[] = [];
    for (let i = this.history.length - 1; i >= 0; i--) {
      const cell = this.history[i]!;
      const kept: string[] = [];
      for (const st of cell.statements) {
        const shadowed = st.names.filter((n) => later.has(n));
        let names = st.names;
        let text = st.text;
        if (shadowed.length === st.names.length && st.names.length > 0) continue;
        if (shadowed.length > 0) {
          if (!ts.isVariableStatement(st.decl)) continue;
          const remaining = st.decl.declarationList.declarations.filter((d) => !bindingNames(d.name).some((n) => later.has(n)));
          if (!remaining.length) continue;
          const kw = st.decl.declarationList.flags & ts.NodeFlags.Const ? "const" : st.decl.declarationList.flags & ts.NodeFlags.Let ? "let" : "var";
          text = `${kw} ${remaining.map((d) => d.getText()).join(", ")};`;
          names = remaining.flatMap((d) => bindingNames(d.name));
        }
        for (const n of names) exported.add(n);
        if (ts.isVariableStatement(st.decl) && st.decl.declarationList.flags & ts.NodeFlags.Const) for (const n of names) consts.add(n);
        if (ts.isImportDeclaration(st.decl)) kept.push(names.length ? `${text}\nexport { ${names.join(", ")} };` : text);
        else if (st.names.length > 0 || ts.isImportEqualsDeclaration(st.decl)) kept.push(`export ${text}`);
        else kept.push(text);
      }
      parts.unshift(kept.join("\n"));
      for (const n of cell.names) later.add(n);
    }
    const text = parts.filter((p) => p).join("\n") + "\nexport {};\n";
    if (text !== this.historyText) {
      this.historyText = text;
      this.historyVersion++;
    }
    this.historyConsts = consts;
    return [...exported];
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
  if (ts.isModuleDeclaration(s)) return ts.isIdentifier(s.name) && !(s.flags & ts.NodeFlags.GlobalAugmentation) ? [s.name.text] : [];
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
