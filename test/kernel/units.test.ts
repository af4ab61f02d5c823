/** Unit tests of the kernel's pieces: signing, connection files, the cell compiler, is_complete, the kernelspec. */
import { describe, expect, it } from "vitest";
import { mkdtempSync, readFileSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inflateSync } from "node:zlib";
import { decode, encode, makeHeader, Signer, DecodeError } from "../../kernel/protocol/message.js";
import { endpoint, parseConnectionInfo } from "../../kernel/protocol/connection.js";
import { compileCell, compileTypeScript } from "../../kernel/evaluator/compile.js";
import vm from "node:vm";
import { isComplete } from "../../kernel/evaluator/is-complete.js";
import { TypeView } from "../../kernel/evaluator/types.js";
import { GLOBALS_DTS } from "../../kernel/evaluator/evaluator.js";
import { PACKAGE_ROOT } from "../../kernel/evaluator/paths.js";
import { install, kernelSpec, parseInstallArgs } from "../../kernel/install.js";
import { logoPng } from "../../kernel/png.js";
import { codePointsToOffset, offsetToCodePoints } from "../../kernel/kernel.js";

describe("protocol: messages", () => {
  const signer = new Signer("secret");
  it("round-trips a signed message with identities", () => {
    const h = makeHeader("execute_request", "s1");
    const frames = encode(signer, [Buffer.from("id1")], h, {}, { m: 1 }, { code: "1" }).map((f) => Buffer.from(f));
    const m = decode(signer, frames);
    expect(m.identities.map(String)).toEqual(["id1"]);
    expect(m.header.msg_type).toBe("execute_request");
    expect(m.content).toEqual({ code: "1" });
    expect(m.metadata).toEqual({ m: 1 });
  });
  it("rejects a wrong, a missing, and a foreign-key signature", () => {
    const frames = encode(signer, [], makeHeader("x", "s"), {}, {}, {}).map((f) => Buffer.from(f));
    const bad = [...frames];
    bad[1] = Buffer.from("0".repeat(64));
    expect(() => decode(signer, bad)).toThrow(DecodeError);
    bad[1] = Buffer.from("");
    expect(() => decode(signer, bad)).toThrow(/missing signature/);
    expect(() => decode(new Signer("other"), frames)).toThrow(/bad signature/);
    // A changed content invalidates the signature.
    const tampered = [...frames];
    tampered[5] = Buffer.from('{"code":"evil"}');
    expect(() => decode(signer, tampered)).toThrow(/bad signature/);
  });
  it("rejects malformed frames", () => {
    expect(() => decode(signer, [Buffer.from("x")])).toThrow(/delimiter/);
    expect(() => decode(signer, [Buffer.from("<IDS|MSG>"), Buffer.from("")])).toThrow(/too few/);
  });
  it("signs nothing with an empty key", () => {
    const s = new Signer("");
    const frames = encode(s, [], makeHeader("x", "s"), {}, {}, {});
    expect(frames[1]).toBe("");
    expect(decode(s, frames.map((f) => Buffer.from(f))).header.msg_type).toBe("x");
  });
  it("binds to the connection file's ip", () => {
    const c = parseConnectionInfo({ ip: "127.0.0.1", transport: "tcp", shell_port: 1, iopub_port: 2, stdin_port: 3, control_port: 4, hb_port: 5, key: "k" });
    expect(endpoint(c, "control")).toBe("tcp://127.0.0.1:4");
    expect(() => parseConnectionInfo({ shell_port: "x" })).toThrow(/shell_port/);
  });
  it("counts cursor positions in code points", () => {
    const s = "a😀b";
    expect(codePointsToOffset(s, 2)).toBe(3);
    expect(offsetToCodePoints(s, 3)).toBe(2);
  });
});

describe("evaluator: compiling cells", () => {
  it("turns top-level declarations into global assignments", () => {
    const c = compileCell("const x: number = 1;\nlet { a, b: [c] } = o;\nfunction f() { return x; }\nclass K {}\nenum E { A }\nf()", "Cell[1]");
    expect(c.declared.sort()).toEqual(["E", "K", "a", "c", "f", "x"]);
    expect(c.js).toMatch(/^\(function \(__tskeras\)/);
    expect(c.js).toContain("f = function f()");
    expect(c.js).toContain("return { value: f() }");
    expect(c.hasResult).toBe(true);
    expect(c.isAsync).toBe(false);
  });
  it("makes cells with await or imports async", () => {
    expect(compileCell("await 1", "C").isAsync).toBe(true);
    expect(compileCell('import * as fs from "node:fs"', "C").isAsync).toBe(true);
    expect(compileCell("async function g() { await 1 }", "C").isAsync).toBe(false);
  });
  it("has no result for a declaration or a type-only cell", () => {
    expect(compileCell("const y = 2;", "C").hasResult).toBe(false);
    expect(compileCell("interface I {}\ntype T = 1;", "C").hasResult).toBe(false);
  });
  it("reports syntax errors with the cell's line", () => {
    const c = compileCell("const a = 1;\nlet 1x = 2;", "C");
    expect(c.syntaxErrors[0]!.line).toBe(2);
  });
  it("runs plain JavaScript cells as written, with the same values as the TypeScript emit", async () => {
    const cells = [
      "1+1",
      "1, 2, 3",
      "const_like = 4;\nconst_like * 2",
      "let s = 0;", // a declaration: the full path
      "[1, 2, 3].map((v) => v * 2)",
      "if (true) { 'yes' } else { 'no' }\n7",
      "for (const v of [1, 2]) { void v; }\n({ a: 1 })",
      "await Promise.resolve(5)",
      "Math.max(1, 2) // a comment after the value",
      "a ?? 'fallback'",
      "",
      "// only a comment",
    ];
    Object.assign(globalThis, { a: undefined, const_like: 0, s: 0 });
    for (const code of cells) {
      const fast = compileCell(code, "Cell[1]");
      const full = compileTypeScript(code);
      expect(fast.hasResult, code).toBe(full.hasResult);
      expect(fast.isAsync, code).toBe(full.isAsync);
      expect(fast.declared, code).toEqual(full.declared);
      const run = async (js: string): Promise<unknown> => ((await vm.runInThisContext(js)) as { value?: unknown } | undefined)?.value;
      expect(await run(fast.js), code).toEqual(await run(full.js));
    }
    // Plain cells skip the TypeScript emit: their text is kept (spacing included).
    expect(compileCell("1+1", "C").js).toContain("return { value: (1+1) };");
    expect(compileCell("1, 2", "C").js).toContain("return { value: (1, 2) };");
    expect(compileCell("const t: number = 1;\nt", "C").js).not.toContain("(t)");
    expect(compileCell("x as number", "C").js).toContain("return { value: x }");
    // A syntax error takes the full path, which reports it.
    expect(compileCell("1 +* 2", "C").syntaxErrors).toHaveLength(1);
  });
  it("maps positions of a plain cell back to its lines", () => {
    const c = compileCell("Math.max(1, 2)\n  .toString()\nnull!", "C");
    const d = compileCell("1\n\n  undefinedName.length", "C");
    // Line 3, column 3 of the cell is where `undefinedName` starts; the script adds "return { value: (" before it.
    const genCol = "  return { value: (".length;
    expect(d.map.map(2, genCol)).toEqual({ line: 2, col: 2 });
    expect(d.map.map(0, 0)).toEqual({ line: 0, col: 0 });
    expect(c.hasResult).toBe(true);
  });
  it("compiles a cell run again once, under each run's own name", () => {
    const a = compileCell("const again = [1, 2].map((v) => v * 2);\nagain", "Cell[7]");
    const b = compileCell("const again = [1, 2].map((v) => v * 2);\nagain", "Cell[8]");
    expect(a.filename).toBe("Cell[7]");
    expect(b.filename).toBe("Cell[8]");
    expect(b.js).toBe(a.js);
    expect(b.map).toBe(a.map);
    b.declared.push("mutated");
    expect(compileCell("const again = [1, 2].map((v) => v * 2);\nagain", "Cell[9]").declared).toEqual(["again"]);
  });
});

describe("evaluator: type view", () => {
  it("sees a local module edited on disk, and answers a cell checked before from its cache", () => {
    const dir = mkdtempSync(join(tmpdir(), "tskeras-typeview-"));
    const view = new TypeView({ cwd: dir, packageRoot: PACKAGE_ROOT, globals: GLOBALS_DTS });
    const helper = join(dir, "helper.ts");
    writeFileSync(helper, "export const a: number = 1;\n");
    const cell = 'import { a } from "./helper.ts";\nconst s: string = a;';
    const first = view.check(cell);
    expect(first.map((d) => [d.line, d.code])).toEqual([[2, 2322]]);
    expect(view.check(cell)).toEqual(first);
    writeFileSync(helper, 'export const a: string = "x";\n');
    const later = new Date(Date.now() + 5000);
    utimesSync(helper, later, later);
    expect(view.check(cell)).toEqual([]);
    expect(view.check("const n: number = 1;\nn.toFixed(2)")).toEqual([]);
    const bad = view.check('const n: number = "one";');
    expect(bad).toHaveLength(1);
    expect(bad[0]!.message).toContain("not assignable to type 'number'");
  });
  it("answers a cell checked before without a new program, and finds a module created after a failed import", () => {
    const dir = mkdtempSync(join(tmpdir(), "tskeras-typeview-"));
    const view = new TypeView({ cwd: dir, packageRoot: PACKAGE_ROOT, globals: GLOBALS_DTS });
    const programOf = (): unknown => (view as unknown as { program: unknown }).program;
    const cell = 'import { later } from "./later.ts";\nlater.toFixed(1)';
    expect(view.check(cell).map((d) => d.code)).toEqual([2307]);
    const first = programOf();
    expect(view.check(cell).map((d) => d.code)).toEqual([2307]);
    expect(programOf()).toBe(first); // from the cache
    writeFileSync(join(dir, "later.ts"), "export const later: number = 2;\n");
    // The file is new, so the composed text is the same: the cache key holds the local files' versions.
    expect(view.check(cell + "\n")).toEqual([]);
    expect(programOf()).not.toBe(first);
  });
  it("checks a cell against the declarations of the cells that ran", () => {
    const view = new TypeView({ cwd: mkdtempSync(join(tmpdir(), "tskeras-typeview-")), packageRoot: PACKAGE_ROOT, globals: GLOBALS_DTS });
    expect(view.check("k.toUpperCase()").map((d) => d.code)).toEqual([2304]);
    view.commit('const k = "text";');
    expect(view.check("k.toUpperCase()")).toEqual([]);
    view.commit("const k = 3;");
    expect(view.check("k.toUpperCase()").map((d) => d.code)).toEqual([2339]);
  });
  it("lets a cell assign to an earlier cell's let but not to its const, and sees its imports, types and classes", () => {
    const view = new TypeView({ cwd: mkdtempSync(join(tmpdir(), "tskeras-typeview-")), packageRoot: PACKAGE_ROOT, globals: GLOBALS_DTS });
    for (const c of [
      'import * as path from "node:path";',
      "let count = 0;\nconst limit = 10;",
      "interface Point { x: number; y: number }\nclass Box { constructor(public p: Point) {} area(): number { return this.p.x * this.p.y; } }",
      "async function twice(n: number): Promise<number> { return 2 * n; }",
    ]) {
      expect(view.check(c)).toEqual([]);
      view.commit(c);
    }
    expect(view.check("count = count + 1;\ncount++;")).toEqual([]);
    const assign = view.check("\nlimit = 3;");
    expect(assign.map((d) => [d.line, d.col, d.code])).toEqual([[2, 1, 2588]]);
    expect(assign[0]!.message).toBe("Cannot assign to 'limit' because it is a constant.");
    expect(view.check('path.join("a", "b").length + new Box({ x: 2, y: 3 }).area() + (await twice(2))')).toEqual([]);
    const wrong = view.check("const q: Point = { x: 1 };\npath.join(1);");
    expect(wrong.map((d) => [d.line, d.code])).toEqual([
      [1, 2741],
      [2, 2345],
    ]);
    // A cell that declares a name again replaces the earlier declaration.
    expect(view.check('const limit = "ten";\nlimit.toUpperCase()')).toEqual([]);
  });
});

describe("evaluator: is_complete", () => {
  it.each([
    ["1 + 1", "complete"],
    ["function f() {", "incomplete"],
    ["const a = [1,", "incomplete"],
    ["`open template", "incomplete"],
    ["/* open comment", "incomplete"],
    ["let 1x = 2", "invalid"],
    ["}{", "invalid"],
  ])("%j is %s", (code, status) => {
    expect(isComplete(code).status).toBe(status);
  });
  it("suggests an indent", () => {
    expect(isComplete("if (x) {").indent).toBe("  ");
  });
});

describe("install", () => {
  it("writes kernel.json and logos into a prefix", () => {
    const prefix = mkdtempSync(join(tmpdir(), "tskeras-inst-"));
    const dir = install(parseInstallArgs(["--prefix", prefix, "--name", "tsk-test"]));
    expect(dir).toBe(join(prefix, "share", "jupyter", "kernels", "tsk-test"));
    const spec = JSON.parse(readFileSync(join(dir, "kernel.json"), "utf8")) as { argv: string[]; interrupt_mode: string; language: string };
    expect(spec.argv.slice(2)).toEqual(["kernel", "{connection_file}"]);
    expect(spec.argv[1]).toMatch(/bin\/tskeras\.js$/);
    expect(spec.interrupt_mode).toBe("signal");
    expect(spec.language).toBe("typescript");
    for (const size of [32, 64]) {
      const png = readFileSync(join(dir, `logo-${size}x${size}.png`));
      expect(png.readUInt32BE(16)).toBe(size);
      expect(png.readUInt32BE(20)).toBe(size);
    }
  });
  it("parses scopes", () => {
    expect(parseInstallArgs(["--user"]).scope).toBe("user");
    expect(parseInstallArgs(["--sys-prefix"]).scope).toBe("sys-prefix");
    expect(() => parseInstallArgs(["--bogus"])).toThrow(/unknown option/);
    expect(kernelSpec().display_name).toBe("TypeScript (Keras)");
  });
  it("draws a decodable PNG", () => {
    const png = logoPng(32);
    const idatLen = png.readUInt32BE(33);
    const raw = inflateSync(png.subarray(41, 41 + idatLen));
    expect(raw.length).toBe(32 * (32 * 4 + 1));
  });
});
