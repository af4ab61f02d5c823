/**
 * Compiles a TypeScript cell into a script for `vm.runInThisContext`.
 *
 * The TypeScript compiler strips the types (with a source map); a custom
 * transformer then rewrites the cell so that its top-level declarations live
 * on across cells:
 *
 * - `const/let/var x = e` becomes the assignment `x = e` to a global binding
 *   (so re-running `const x = 1` works), destructuring included;
 * - `function f() {}` becomes `f = function f() {}`, hoisted to the top;
 * - `class C {}` becomes `C = class C {}`;
 * - `import ... from "m"` becomes an assignment from `await runtime.import("m")`,
 *   and `import(m)` calls go through the runtime's resolver;
 * - the value of a last expression statement is returned.
 *
 * The body is wrapped in a function (async when it awaits or imports) that
 * the script calls at once, so a busy synchronous loop runs inside
 * `runInThisContext` where SIGINT can stop it.
 */
import ts from "typescript";
import { SourceMap, type Segment } from "./sourcemap.js";

/** The parameter name through which cell code reaches the kernel runtime. */
export const RUNTIME_PARAM = "__tskeras";

/** The global symbol under which the runtime object is stored. */
export const RUNTIME_SYMBOL_KEY = "tskeras.runtime";

/** A compiled cell. */
export interface CompiledCell {
  /** The script text. */
  js: string;
  /** The script's file name, as it appears in stack traces. */
  filename: string;
  /** Maps script positions back to the cell. */
  map: SourceMap;
  /** The length of the wrapper prefix on the first script line. */
  prefixLength: number;
  /** Names the cell declares at top level (bound on the global object). */
  declared: string[];
  /** Whether the body runs in an async function. */
  isAsync: boolean;
  /** Whether the cell ends in an expression whose value is its result. */
  hasResult: boolean;
  /** Syntax errors, with the cell's 1-based line and column. */
  syntaxErrors: { line: number; col: number; message: string; code: number }[];
}

const TRANSPILE_OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  verbatimModuleSyntax: true,
  moduleDetection: ts.ModuleDetectionKind.Force,
  sourceMap: true,
  inlineSources: false,
  removeComments: false,
  newLine: ts.NewLineKind.LineFeed,
};

/** How many compiled cells are kept (the script does not depend on the cell's name, so a cell run again is not compiled again). */
const COMPILE_CACHE_SIZE = 64;
const compiled = new Map<string, Omit<CompiledCell, "filename">>();

/** Compiles cell `source`; `filename` names it in stack traces (e.g. "Cell[3]"). */
export function compileCell(source: string, filename: string): CompiledCell {
  let c = compiled.get(source);
  if (c) compiled.delete(source); // most recently used last
  else c = compileUncached(source);
  compiled.set(source, c);
  if (compiled.size > COMPILE_CACHE_SIZE) compiled.delete(compiled.keys().next().value!);
  return { ...c, filename, declared: [...c.declared], syntaxErrors: c.syntaxErrors.map((d) => ({ ...d })) };
}

function compileUncached(source: string): Omit<CompiledCell, "filename"> {
  return compilePlainJs(source) ?? compileTypeScript(source);
}

/** Syntax that the ES2022 target leaves as written (TransformFlags.ContainsES2022 ... ContainsES2015, ContainsGenerator). */
const ES2022_AND_OLDER_FLAGS = 8 | 16 | 32 | 64 | 128 | 256 | 512 | 1024 | 2048;
/** The bit TypeScript sets on every node whose flags are computed. */
const HAS_COMPUTED_FLAGS = 1 << 31;

/** Top-level statements the cell transformer leaves as they are. */
const PLAIN_STATEMENTS = new Set([
  ts.SyntaxKind.ExpressionStatement,
  ts.SyntaxKind.IfStatement,
  ts.SyntaxKind.ForStatement,
  ts.SyntaxKind.ForInStatement,
  ts.SyntaxKind.ForOfStatement,
  ts.SyntaxKind.WhileStatement,
  ts.SyntaxKind.DoStatement,
  ts.SyntaxKind.Block,
  ts.SyntaxKind.EmptyStatement,
  ts.SyntaxKind.TryStatement,
  ts.SyntaxKind.SwitchStatement,
  ts.SyntaxKind.ThrowStatement,
  ts.SyntaxKind.LabeledStatement,
]);

/**
 * The fast path for cells that are plain JavaScript statements (no types, no
 * top-level declarations, no imports: `model.summary()`, `x.shape`, `1+1`),
 * which the TypeScript emit would leave as written: the cell's own text, its
 * last expression statement turned into the returned value. Skips
 * `transpileModule` (a program, a checker and a printer per cell). Returns
 * undefined for any other cell (and for one with a syntax error, which the
 * full path reports); the node flags it reads are TypeScript's own, and a
 * TypeScript without them simply takes the full path.
 */
function compilePlainJs(source: string): Omit<CompiledCell, "filename"> | undefined {
  if (/\b(?:import|export)\b/.test(source)) return undefined;
  const sf = ts.createSourceFile("cell.ts", source, ts.ScriptTarget.ES2022, true);
  const internals = sf as unknown as { parseDiagnostics?: unknown[]; transformFlags?: number };
  if (!Array.isArray(internals.parseDiagnostics) || internals.parseDiagnostics.length > 0) return undefined;
  if (typeof internals.transformFlags !== "number" || (internals.transformFlags & ~(ES2022_AND_OLDER_FLAGS | HAS_COMPUTED_FLAGS)) !== 0) return undefined;
  if (!sf.statements.every((st) => PLAIN_STATEMENTS.has(st.kind))) return undefined;
  const isAsync = sf.statements.some((st) => hasTopLevelAwait(st));
  let last = sf.statements.length - 1;
  while (last >= 0 && ts.isEmptyStatement(sf.statements[last]!)) last--;
  const lastStmt = last >= 0 ? sf.statements[last]! : undefined;
  let body = source;
  // Identity mappings, line by line; the returned statement's line gets the shift of the text put before it.
  const lines: Segment[][] = source.split("\n").map((_, i) => [{ genCol: 0, line: i, col: 0 }]);
  let hasResult = false;
  if (lastStmt && ts.isExpressionStatement(lastStmt)) {
    hasResult = true;
    const start = lastStmt.getStart(sf);
    const open = "return { value: (";
    body = `${source.slice(0, start)}${open}${source.slice(start, lastStmt.expression.end)}) };${source.slice(lastStmt.end)}`;
    const { line, character } = sf.getLineAndCharacterOfPosition(start);
    lines[line] = [
      { genCol: 0, line, col: 0 },
      { genCol: character, line, col: character },
      { genCol: character + open.length, line, col: character },
    ];
  }
  return {
    ...wrapBody(body, isAsync),
    map: SourceMap.fromSegments(lines),
    declared: [],
    isAsync,
    hasResult,
    syntaxErrors: [],
  };
}

/** The script around a cell's body: a function (async when the cell awaits) called with the kernel runtime. */
function wrapBody(body: string, isAsync: boolean): { js: string; prefixLength: number } {
  const prefix = `(${isAsync ? "async " : ""}function (${RUNTIME_PARAM}) {"use strict"; `;
  const suffix = `\n})(globalThis[Symbol.for(${JSON.stringify(RUNTIME_SYMBOL_KEY)})])`;
  return { js: prefix + body + suffix, prefixLength: prefix.length };
}

/** The full path: the TypeScript emit with the cell transformer (exported for tests that compare both paths). */
export function compileTypeScript(source: string): Omit<CompiledCell, "filename"> {
  const filename = "Cell";
  const state = { declared: new Set<string>(), isAsync: false, hasResult: false };
  const out = ts.transpileModule(source, {
    compilerOptions: TRANSPILE_OPTIONS,
    fileName: filename + ".ts",
    reportDiagnostics: true,
    transformers: { after: [cellTransformer(state)] },
  });
  const sf = ts.createSourceFile(filename + ".ts", source, ts.ScriptTarget.ES2022);
  const syntaxErrors = (out.diagnostics ?? [])
    .filter((d) => d.category === ts.DiagnosticCategory.Error)
    .map((d) => {
      const { line, character } = sf.getLineAndCharacterOfPosition(d.start ?? 0);
      return { line: line + 1, col: character + 1, message: ts.flattenDiagnosticMessageText(d.messageText, "\n"), code: d.code };
    });
  const body = out.outputText.replace(/\n?\/\/# sourceMappingURL=.*\s*$/, "");

  const mappings = out.sourceMapText ? (JSON.parse(out.sourceMapText) as { mappings: string }).mappings : "";
  return {
    ...wrapBody(body, state.isAsync),
    map: SourceMap.fromMappings(mappings),
    declared: [...state.declared],
    isAsync: state.isAsync,
    hasResult: state.hasResult,
    syntaxErrors,
  };
}

interface TransformState {
  declared: Set<string>;
  isAsync: boolean;
  hasResult: boolean;
}

function cellTransformer(state: TransformState): ts.TransformerFactory<ts.SourceFile> {
  return (context) => (sf) => {
    const f = context.factory;
    const rt = (): ts.Identifier => f.createIdentifier(RUNTIME_PARAM);
    const rtCall = (method: string, args: ts.Expression[]): ts.CallExpression =>
      f.createCallExpression(f.createPropertyAccessExpression(rt(), method), undefined, args);
    const awaitImport = (spec: ts.Expression): ts.Expression => {
      state.isAsync = true;
      return f.createAwaitExpression(rtCall("import", [spec]));
    };

    // import(x) anywhere → runtime.import(x)
    const rewriteDynamicImports = <T extends ts.Node>(node: T): T => {
      const visit = (n: ts.Node): ts.Node => {
        if (ts.isCallExpression(n) && n.expression.kind === ts.SyntaxKind.ImportKeyword) {
          const args = n.arguments.map((a) => ts.visitNode(a, visit) as ts.Expression);
          return ts.setTextRange(rtCall("import", args), n);
        }
        return ts.visitEachChild(n, visit, context);
      };
      return ts.visitNode(node, visit) as T;
    };

    const declare = (name: ts.BindingName): void => {
      if (ts.isIdentifier(name)) state.declared.add(name.text);
      else for (const el of name.elements) if (!ts.isOmittedExpression(el)) declare(el.name);
    };

    // A binding pattern as an assignment target.
    const toTarget = (name: ts.BindingName): ts.Expression => {
      if (ts.isIdentifier(name)) return f.createIdentifier(name.text);
      if (ts.isArrayBindingPattern(name)) {
        return f.createArrayLiteralExpression(
          name.elements.map((el) => {
            if (ts.isOmittedExpression(el)) return f.createOmittedExpression();
            const target = toTarget(el.name);
            if (el.dotDotDotToken) return f.createSpreadElement(target);
            return el.initializer ? f.createAssignment(target, el.initializer) : target;
          }),
        );
      }
      return f.createObjectLiteralExpression(
        name.elements.map((el) => {
          const target = toTarget(el.name);
          if (el.dotDotDotToken) return f.createSpreadAssignment(target);
          const value = el.initializer ? f.createAssignment(target, el.initializer) : target;
          if (!el.propertyName && ts.isIdentifier(el.name)) {
            return el.initializer
              ? f.createShorthandPropertyAssignment(el.name.text, el.initializer)
              : f.createShorthandPropertyAssignment(el.name.text);
          }
          return f.createPropertyAssignment(el.propertyName ?? f.createIdentifier((el.name as ts.Identifier).text), value);
        }),
      );
    };

    const exprStmt = (e: ts.Expression, range: ts.TextRange): ts.Statement =>
      ts.setTextRange(f.createExpressionStatement(e), range);

    const hoisted: ts.Statement[] = [];
    const body: ts.Statement[] = [];

    // Which statement's value is the result: the last non-empty one, if it was an expression statement in the cell.
    const stmts = sf.statements;
    let lastIdx = stmts.length - 1;
    const ignorable = (s: ts.Statement): boolean =>
      ts.isEmptyStatement(s) || ts.isExportDeclaration(s) || s.kind === ts.SyntaxKind.NotEmittedStatement;
    while (lastIdx >= 0 && ignorable(stmts[lastIdx]!)) lastIdx--;

    stmts.forEach((stmt0, i) => {
      const stmt = rewriteDynamicImports(stmt0);
      if (hasTopLevelAwait(stmt)) state.isAsync = true;
      if (ts.isImportDeclaration(stmt)) {
        const spec = stmt.moduleSpecifier;
        const clause = stmt.importClause;
        if (!clause) {
          body.push(exprStmt(awaitImport(spec), stmt));
          return;
        }
        if (clause.isTypeOnly) return;
        const props: ts.ObjectLiteralElementLike[] = [];
        if (clause.name) {
          declare(clause.name);
          props.push(f.createPropertyAssignment("default", f.createIdentifier(clause.name.text)));
        }
        const nb = clause.namedBindings;
        if (nb && ts.isNamespaceImport(nb)) {
          declare(nb.name);
          body.push(exprStmt(f.createAssignment(f.createIdentifier(nb.name.text), awaitImport(spec)), stmt));
          if (props.length) {
            body.push(exprStmt(f.createAssignment(f.createObjectLiteralExpression(props), f.createIdentifier(nb.name.text)), stmt));
          }
          return;
        }
        if (nb && ts.isNamedImports(nb)) {
          for (const el of nb.elements) {
            if (el.isTypeOnly) continue;
            declare(el.name);
            const imported = el.propertyName ?? el.name;
            props.push(
              f.createPropertyAssignment(
                ts.isIdentifier(imported) ? f.createIdentifier(imported.text) : f.createStringLiteral(imported.text),
                f.createIdentifier(el.name.text),
              ),
            );
          }
        }
        body.push(
          exprStmt(f.createParenthesizedExpression(f.createAssignment(f.createObjectLiteralExpression(props), awaitImport(spec))), stmt),
        );
        return;
      }
      if (ts.isExportDeclaration(stmt)) return;
      if (ts.isExportAssignment(stmt)) {
        body.push(exprStmt(stmt.expression, stmt));
        return;
      }
      if (ts.isVariableStatement(stmt)) {
        const isVar = !(stmt.declarationList.flags & (ts.NodeFlags.Let | ts.NodeFlags.Const));
        for (const d of stmt.declarationList.declarations) {
          declare(d.name);
          if (d.initializer) {
            const target = toTarget(d.name);
            const assign = f.createAssignment(target, d.initializer);
            body.push(exprStmt(ts.isIdentifier(d.name) ? assign : f.createParenthesizedExpression(assign), d));
          } else if (!isVar && ts.isIdentifier(d.name)) {
            body.push(exprStmt(f.createAssignment(f.createIdentifier(d.name.text), f.createVoidZero()), d));
          }
        }
        return;
      }
      if (ts.isFunctionDeclaration(stmt) && stmt.body) {
        const mods = stmt.modifiers?.filter((m) => m.kind === ts.SyntaxKind.AsyncKeyword) as ts.Modifier[] | undefined;
        const name = stmt.name?.text;
        const fe = f.createFunctionExpression(mods, stmt.asteriskToken, name, undefined, stmt.parameters, undefined, stmt.body);
        ts.setTextRange(fe, stmt);
        if (name) {
          state.declared.add(name);
          hoisted.push(exprStmt(f.createAssignment(f.createIdentifier(name), fe), stmt));
        } else {
          body.push(exprStmt(fe, stmt));
        }
        return;
      }
      if (ts.isClassDeclaration(stmt)) {
        const mods = stmt.modifiers?.filter(
          (m) => m.kind !== ts.SyntaxKind.ExportKeyword && m.kind !== ts.SyntaxKind.DefaultKeyword,
        );
        const name = stmt.name?.text;
        const ce = f.createClassExpression(mods, stmt.name, undefined, stmt.heritageClauses, stmt.members);
        ts.setTextRange(ce, stmt);
        if (name) {
          state.declared.add(name);
          body.push(exprStmt(f.createAssignment(f.createIdentifier(name), ce), stmt));
        } else {
          body.push(exprStmt(ce, stmt));
        }
        return;
      }
      if (i === lastIdx && ts.isExpressionStatement(stmt) && isOriginallyExpression(stmt0)) {
        state.hasResult = true;
        const ret = f.createReturnStatement(
          f.createObjectLiteralExpression([f.createPropertyAssignment("value", stmt.expression)]),
        );
        body.push(ts.setTextRange(ret, stmt));
        return;
      }
      body.push(stmt);
    });
    return f.updateSourceFile(sf, [...hoisted, ...body]);
  };
}

function isOriginallyExpression(stmt: ts.Statement): boolean {
  const orig = ts.getOriginalNode(stmt);
  return ts.isExpressionStatement(orig);
}

/** True when `node` has an `await` (or `for await`) outside any nested function. */
export function hasTopLevelAwait(node: ts.Node): boolean {
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isAwaitExpression(n) || (ts.isForOfStatement(n) && n.awaitModifier)) {
      found = true;
      return;
    }
    if (ts.isFunctionLike(n) || ts.isClassStaticBlockDeclaration(n)) return;
    if (ts.isPropertyDeclaration(n)) return;
    ts.forEachChild(n, visit);
  };
  visit(node);
  return found;
}
