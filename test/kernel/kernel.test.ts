/** The kernel over the real protocol (ZeroMQ), one kernel process shared by the tests of this file. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { errorOf, resultText, startKernel, streamText, type KernelClient } from "./helpers.js";

let k: KernelClient;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "tskeras-nb-"));
  // A local package beside the "notebook".
  mkdirSync(join(dir, "node_modules", "localpkg"), { recursive: true });
  writeFileSync(join(dir, "node_modules", "localpkg", "package.json"), JSON.stringify({ name: "localpkg", version: "1.0.0", main: "index.js" }));
  writeFileSync(join(dir, "node_modules", "localpkg", "index.js"), "exports.greet = (n) => `hello ${n}`;\n");
  writeFileSync(join(dir, "helper.mjs"), "export const answer = 42;\n");
  k = await startKernel({ cwd: dir });
});

afterAll(async () => {
  await k?.shutdown();
});

describe("kernel: cells", () => {
  it("keeps state across cells", async () => {
    await k.execute("let counter = 1;");
    await k.execute("counter += 41;");
    const { outputs } = await k.execute("counter");
    expect(resultText(outputs)).toBe("42");
  });

  it("re-runs a cell that declares const", async () => {
    const a = await k.execute("const rerun = 1;");
    const b = await k.execute("const rerun = 2;");
    expect(a.reply.content.status).toBe("ok");
    expect(b.reply.content.status).toBe("ok");
    expect(resultText((await k.execute("rerun")).outputs)).toBe("2");
  });

  it("keeps functions, classes, enums, interfaces and types across cells", async () => {
    const r = await k.execute(
      "interface P { x: number }\ntype Q = P & { y: number };\nenum Color { Red, Green }\nclass Pt implements P { constructor(public x: number) {} }\nfunction mk(x: number): Pt { return new Pt(x); }",
    );
    expect(r.reply.content.status).toBe("ok");
    const { outputs, reply } = await k.execute("const q: Q = { x: mk(3).x, y: Color.Green };\nq");
    expect(reply.content.status).toBe("ok");
    expect(resultText(outputs)).toBe("{ x: 3, y: 1 }");
  });

  it("supports top-level await", async () => {
    const { outputs } = await k.execute("const v = await new Promise<number>((r) => setTimeout(() => r(7), 10));\nv * 6");
    expect(resultText(outputs)).toBe("42");
  });

  it("imports node built-ins, a local package, a local module and require", async () => {
    const r = await k.execute(
      'import * as fs from "node:fs";\nimport { greet } from "localpkg";\nconst { answer } = await import("./helper.mjs");\nconst os = require("node:os");\n[typeof fs.readFileSync, greet("x"), answer, typeof os.cpus]',
    );
    expect(r.reply.content.status, JSON.stringify(r.reply.content)).toBe("ok");
    expect(resultText(r.outputs)).toBe("[ 'function', 'hello x', 42, 'function' ]");
    // Imports live on in later cells.
    expect(resultText((await k.execute("typeof fs.existsSync")).outputs)).toBe("'function'");
  });

  it("imports tskeras, and binds the global keras", async () => {
    const r = await k.execute('import * as tk from "tskeras";\n[typeof tk.Sequential, typeof keras.layers.Dense, tk === keras]');
    expect(r.reply.content.status, JSON.stringify(r.reply.content)).toBe("ok");
    expect(resultText(r.outputs)).toBe("[ 'function', 'function', true ]");
  });

  it("reports errors with the cell's own line numbers", async () => {
    const code = "// a comment\nconst a1: number = 1;\n\nfunction boom(): never {\n  throw new RangeError('bad');\n}\nboom();";
    const { reply, outputs } = await k.execute(code);
    expect(reply.content.status).toBe("error");
    const err = errorOf(outputs)!;
    expect(err.ename).toBe("RangeError");
    expect(err.evalue).toBe("bad");
    const count = reply.content.execution_count as number;
    expect(err.traceback.join("\n")).toContain(`Cell[${count}]:5:`);
    expect(err.traceback.join("\n")).toContain(`Cell[${count}]:7:`);
  });

  it("does not run a cell with type errors, and reports line:col", async () => {
    const { reply, outputs } = await k.execute('let typed: number = 1;\nconsole.log("ran");\ntyped = "str";');
    expect(reply.content.status).toBe("error");
    const err = errorOf(outputs)!;
    expect(err.ename).toBe("TypeScriptError");
    expect(err.traceback[0]).toMatch(/:3:1 - error TS2322/);
    expect(streamText(outputs)).toBe("");
    // @ts-nocheck skips the check.
    const r2 = await k.execute('// @ts-nocheck\nlet t2: number = 1;\nt2 = "str";\nt2');
    expect(resultText(r2.outputs)).toBe("'str'");
  });

  it("streams stdout and stderr in order, and 1 MB intact", async () => {
    const { outputs } = await k.execute('console.log("a"); console.error("b"); console.log("c");');
    const seq = outputs.filter((m) => m.header.msg_type === "stream").map((m) => [m.content.name, m.content.text]);
    expect(seq).toEqual([["stdout", "a\n"], ["stderr", "b\n"], ["stdout", "c\n"]]);
    const big = await k.execute('process.stdout.write("x".repeat(1 << 20) + "END")');
    const text = streamText(big.outputs);
    expect(text.length).toBe((1 << 20) + 3);
    expect(text.endsWith("xEND")).toBe(true);
  });

  it("reports a later exception from a timer on stderr and keeps running", async () => {
    await k.execute('setTimeout(() => { throw new Error("late"); }, 1); Promise.reject(new Error("unhandled"));');
    await new Promise((r) => setTimeout(r, 200));
    const { outputs } = await k.execute("1 + 1");
    expect(resultText(outputs)).toBe("2");
    const all = k.iopubLog.filter((m) => m.header.msg_type === "stream" && m.content.name === "stderr").map((m) => String(m.content.text)).join("");
    expect(all).toContain("late");
    expect(all).toContain("unhandled");
  });
});

describe("kernel: completion and inspection", () => {
  it("completes a cell's own names and members", async () => {
    await k.execute("const myObject = { alpha: 1, beta: 'b' };");
    const code = "myObject.al";
    const { reply } = await k.request("shell", "complete_request", { code, cursor_pos: code.length });
    expect(reply.content.matches).toEqual(["alpha"]);
    expect(reply.content.cursor_start).toBe(9);
  });

  it("completes a keras member and inspects it with docs", async () => {
    const code = "keras.layers.Den";
    const { reply } = await k.request("shell", "complete_request", { code, cursor_pos: code.length });
    expect(reply.content.matches).toContain("Dense");
    const ins = await k.request("shell", "inspect_request", { code: "keras.Sequential", cursor_pos: 16, detail_level: 0 });
    expect(ins.reply.content.found).toBe(true);
    expect(String((ins.reply.content.data as Record<string, string>)["text/plain"])).toContain("Sequential");
  });
});

describe("kernel: the keras global in types", () => {
  it("names keras's types through the global (keras.Tensor, keras.KerasTensor, keras.LayerArgs)", async () => {
    const { reply, outputs } = await k.execute(
      "const typed: keras.Tensor = keras.ops.ones([2, 3]);\nconst args: keras.LayerArgs = { name: 'x' };\nconst f = (t: keras.KerasTensor) => t.shape;\n`${typed.shape} ${args.name} ${typeof f}`",
    );
    expect(reply.content.status, JSON.stringify(errorOf(outputs))).toBe("ok");
    expect(resultText(outputs)).toBe("'2,3 x function'");
  });
});

describe("kernel: display and stdin", () => {
  it("displays, updates and clears by display id", async () => {
    const { outputs } = await k.execute('const h = display("one");\nh.update({ [Symbol.for("Jupyter.display")]() { return { "text/html": "<i>two</i>" }; } });\nh.clear();\nh.displayId');
    const types = outputs.map((m) => m.header.msg_type);
    expect(types).toEqual(["display_data", "update_display_data", "update_display_data", "execute_result"]);
    const id = (outputs[0]!.content.transient as { display_id: string }).display_id;
    expect((outputs[1]!.content.transient as { display_id: string }).display_id).toBe(id);
    expect((outputs[1]!.content.data as Record<string, string>)["text/html"]).toBe("<i>two</i>");
  });

  it("shows a cell value with a Jupyter.display method as a rich execute_result", async () => {
    const { outputs } = await k.execute('({ [Symbol.for("Jupyter.display")]: async () => ({ "image/svg+xml": "<svg/>", "text/plain": "an svg" }) })');
    const r = outputs.find((m) => m.header.msg_type === "execute_result")!;
    expect(r.content.data).toEqual({ "image/svg+xml": "<svg/>", "text/plain": "an svg" });
  });

  it("runs tslab's display API unchanged", async () => {
    const { outputs, reply } = await k.execute(
      'import * as tslab from "tslab";\ntslab.display.html("<b>x</b>");\nconst d = tslab.newDisplay();\nd.text("1");\nd.text("2");\ntslab.display.png(new Uint8Array([1, 2, 3]));',
    );
    expect(reply.content.status, JSON.stringify(reply.content)).toBe("ok");
    expect(outputs.map((m) => m.header.msg_type)).toEqual(["display_data", "display_data", "update_display_data", "display_data"]);
    expect((outputs[3]!.content.data as Record<string, string>)["image/png"]).toBe("AQID");
  });

  it("round-trips input_request on stdin", async () => {
    k.onInput = (prompt, password) => `${prompt}|${password}|Ada`;
    const { outputs } = await k.execute('const name = await input("Name? ");\nconst pw = await password("PW: ");\n[name, pw]', { allowStdin: true });
    expect(resultText(outputs)).toBe("[ 'Name? |false|Ada', 'PW: |true|Ada' ]");
  });

  it("gives a clear error when stdin is not allowed", async () => {
    const { outputs } = await k.execute('await input("x")', { allowStdin: false });
    expect(errorOf(outputs)!.evalue).toMatch(/allow_stdin is false/);
  });
});

describe("kernel: interrupts keep state", () => {
  it("interrupts a busy loop (control interrupt_request), heartbeat answers meanwhile", async () => {
    await k.execute("let spins = 0;");
    const running = k.execute("while (true) { spins++; }");
    await new Promise((r) => setTimeout(r, 500));
    expect(await k.heartbeat()).toBeLessThan(1000);
    await k.interrupt();
    const { reply, outputs } = await running;
    expect(reply.content.status).toBe("error");
    expect(errorOf(outputs)!.ename).toBe("KeyboardInterrupt");
    expect(resultText((await k.execute("spins > 0 && counter === 42")).outputs)).toBe("true");
  });

  it("interrupts a pending await", async () => {
    const running = k.execute("await new Promise(() => {});");
    await new Promise((r) => setTimeout(r, 300));
    await k.interrupt();
    const { reply } = await running;
    expect(reply.content.status).toBe("error");
    expect(resultText((await k.execute("counter")).outputs)).toBe("42");
  });

  for (const how of ["SIGINT", "interrupt_request"] as const) {
    it(`interrupts a busy loop that starts after the cell's first await (${how})`, async () => {
      await k.execute("let afterAwait = 0;");
      const running = k.execute("await new Promise((r) => setTimeout(r, 50));\nwhile (true) { afterAwait++; }");
      await new Promise((r) => setTimeout(r, 600));
      expect(await k.heartbeat()).toBeLessThan(1000);
      if (how === "SIGINT") k.proc.kill("SIGINT");
      else await k.interrupt();
      const { reply, outputs } = await running;
      expect(reply.content.status).toBe("error");
      expect(errorOf(outputs)!.ename).toBe("KeyboardInterrupt");
      // The kernel keeps its state and runs the next cells, timers and awaits included.
      expect(resultText((await k.execute("afterAwait > 0 && counter === 42")).outputs)).toBe("true");
      expect(resultText((await k.execute("await new Promise((r) => setTimeout(() => r(7), 20))")).outputs)).toBe("7");
    });
  }

  it("stops a loop that observes the cell's AbortSignal (as fit does)", async () => {
    const running = k.execute(
      'const sig = (globalThis as any)[Symbol.for("tskeras.cellSignal")] as AbortSignal;\nlet batches = 0;\nwhile (!sig.aborted) { batches++; await new Promise((r) => setTimeout(r, 5)); }\n"stopped"',
    );
    await new Promise((r) => setTimeout(r, 300));
    k.proc.kill("SIGINT"); // as Jupyter does with interrupt_mode "signal"
    const { reply } = await running;
    expect(reply.content.status).toBe("error");
    const n = Number(resultText((await k.execute("batches")).outputs));
    await new Promise((r) => setTimeout(r, 100));
    expect(Number(resultText((await k.execute("batches")).outputs))).toBe(n);
    expect(n).toBeGreaterThan(0);
  });
});

describe("kernel: protocol robustness", () => {
  it("ignores a badly signed message and executes nothing", async () => {
    const { frames } = k.frames("execute_request", { code: "globalThis.hacked = true", silent: false, store_history: true, user_expressions: {}, allow_stdin: false });
    const sigIndex = frames.indexOf("<IDS|MSG>") + 1;
    frames[sigIndex] = "0".repeat(64);
    await k.sendRaw("shell", frames);
    const unsigned = [...frames];
    unsigned[sigIndex] = "";
    await k.sendRaw("shell", unsigned);
    await new Promise((r) => setTimeout(r, 200));
    expect(resultText((await k.execute("typeof (globalThis as any).hacked")).outputs)).toBe("'undefined'");
  });

  it("survives 1,000 malformed messages", async () => {
    for (let i = 0; i < 1000; i++) {
      const kind = i % 4;
      const frames: (Buffer | string)[] =
        kind === 0 ? ["garbage"] : kind === 1 ? ["<IDS|MSG>", "sig", "{", "}", "x"] : kind === 2 ? ["<IDS|MSG>"] : [Buffer.from([0xff, 0, 1]), "<IDS|MSG>", "", "not json", "{}", "{}", "{}"];
      await k.sendRaw(i % 2 ? "shell" : "control", frames);
    }
    await new Promise((r) => setTimeout(r, 300));
    expect(resultText((await k.execute("6 * 7")).outputs)).toBe("42");
    expect(await k.heartbeat()).toBeLessThan(1000);
  });

  it("answers comm_info and closes unknown comms", async () => {
    const { reply } = await k.request("shell", "comm_info_request", {});
    expect(reply.content).toEqual({ status: "ok", comms: {} });
  });
});

describe("kernel: restart", () => {
  it("shuts down on request and a new kernel starts clean", async () => {
    const k2 = await startKernel({ cwd: dir });
    await k2.execute("const kept = 1;");
    await k2.shutdown(true);
    expect(await k2.exited).toBe(0);
    const k3 = await startKernel({ cwd: dir });
    const { outputs } = await k3.execute("typeof (globalThis as any).kept");
    expect(resultText(outputs)).toBe("'undefined'");
    await k3.shutdown();
  });

  it("exits on SIGTERM, its SIGINT thread included", async () => {
    {
      const k4 = await startKernel({ cwd: dir });
      await k4.execute("1+1");
      await new Promise((r) => setTimeout(r, 200));
      const t0 = Date.now();
      k4.proc.kill("SIGTERM");
      const code = await Promise.race([k4.exited, new Promise<string>((r) => setTimeout(() => r("still running"), 8000))]);
      if (code === "still running") k4.proc.kill("SIGKILL");
      expect(code).not.toBe("still running");
      expect(Date.now() - t0).toBeLessThan(8000);
      await k4.shutdown().catch(() => undefined);
    }
  });
});
