/**
 * The kernel with real Jupyter clients: Jupyter's own kernel test suite
 * (jupyter_kernel_test), `jupyter nbconvert --execute`, `tskeras run`, and a
 * @jupyterlab/services client through Debian's jupyter-server.
 * CI installs the Debian packages with .ci/install-debian.sh.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawn, spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { checkPython, installTempKernelspec, PACKAGE_ROOT, SYSTEM_PYTHON } from "./helpers.js";
import { freePorts } from "../../kernel/client.js";

const FIXTURES = join(PACKAGE_ROOT, "test", "kernel", "fixtures");
let jupyterPath: string;
let prefix: string;
let work: string;

beforeAll(() => {
  ({ jupyterPath, prefix } = installTempKernelspec());
  work = mkdtempSync(join(tmpdir(), "tskeras-real-"));
});

afterAll(() => {
  if (prefix) rmSync(prefix, { recursive: true, force: true });
  if (work) rmSync(work, { recursive: true, force: true });
});

function isolatedEnv(): NodeJS.ProcessEnv {
  return {
    ...process.env,
    JUPYTER_PATH: jupyterPath,
    JUPYTER_CONFIG_DIR: join(work, "config"),
    JUPYTER_RUNTIME_DIR: join(work, "runtime"),
    JUPYTER_DATA_DIR: join(work, "data"),
    JUPYTER_PLATFORM_DIRS: "1",
    PYTHONNOUSERSITE: "1",
  };
}

function run(cmd: string, args: string[], opts: { cwd?: string; timeout?: number } = {}): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const p = spawn(cmd, args, { cwd: opts.cwd, env: isolatedEnv() });
    let out = "";
    p.stdout.on("data", (d: Buffer) => (out += d.toString()));
    p.stderr.on("data", (d: Buffer) => (out += d.toString()));
    const t = setTimeout(() => p.kill("SIGKILL"), opts.timeout ?? 240_000);
    p.on("close", (code) => {
      clearTimeout(t);
      resolve({ code, out });
    });
  });
}

describe("real clients", () => {
  it("passes every test of jupyter_kernel_test", { timeout: 300_000 }, async () => {
    checkPython(["jupyter_kernel_test", "jupyter_client"]);
    const r = await run(SYSTEM_PYTHON, ["-m", "unittest", "-v", "test_tskeras_kernel"], { cwd: join(PACKAGE_ROOT, "test", "kernel") });
    expect(r.out).toMatch(/Ran 12 tests/);
    expect(r.out).not.toMatch(/skipped/);
    expect(r.code, r.out).toBe(0);
    expect(r.out).toMatch(/\nOK\s*$/);
  });

  it("runs a notebook with jupyter nbconvert --to notebook --execute", { timeout: 300_000 }, async () => {
    checkPython(["nbconvert", "nbclient"]);
    copyFileSync(join(FIXTURES, "small.ipynb"), join(work, "small.ipynb"));
    const r = await run(SYSTEM_PYTHON, ["-m", "nbconvert", "--to", "notebook", "--execute", "--output", "small.executed.ipynb", "small.ipynb"], { cwd: work });
    expect(r.code, r.out).toBe(0);
    type Out = { output_type: string; text?: string | string[]; data?: Record<string, string | string[]> };
    const nb = JSON.parse(readFileSync(join(work, "small.executed.ipynb"), "utf8")) as { cells: { outputs?: Out[] }[] };
    const joined = (v: string | string[] | undefined): string => (Array.isArray(v) ? v.join("") : String(v));
    expect(joined(nb.cells[1]!.outputs![0]!.text)).toBe("sum 6\n");
    expect(joined(nb.cells[2]!.outputs![0]!.data!["text/plain"])).toBe("'step 3'");
    expect(joined(nb.cells[3]!.outputs![0]!.data!["text/plain"])).toBe("[ 2, 4, 6 ]");
    expect(joined(nb.cells[4]!.outputs![0]!.data!["text/html"])).toBe("<b>rich</b>");
  });

  it("tskeras run executes a notebook written for tslab, unchanged", { timeout: 120_000 }, async () => {
    const out = join(work, "tslab.out.ipynb");
    const r = await run(process.execPath, [join(PACKAGE_ROOT, "bin", "tskeras.js"), "run", join(FIXTURES, "tslab-style.ipynb"), "--output", out]);
    expect(r.code, r.out).toBe(0);
    expect(r.out).toContain(`Wrote the executed notebook to ${out}`);
    const nb = JSON.parse(readFileSync(out, "utf8")) as { cells: { execution_count?: number; outputs?: { output_type: string; data?: Record<string, string> }[] }[] };
    expect(nb.cells[2]!.outputs!.map((o) => Object.keys(o.data!)[0])).toEqual(["text/html", "text/markdown"]);
    expect(nb.cells[3]!.outputs!.length).toBe(1);
    expect(nb.cells[3]!.outputs![0]!.data!["text/plain"]).toBe("second");
    expect(nb.cells[4]!.outputs!.map((o) => o.output_type)).toEqual(["display_data", "execute_result"]);
    expect(nb.cells[4]!.execution_count).toBe(4);
  });

  it("tskeras run exits non-zero on the first failing cell and names it", { timeout: 120_000 }, async () => {
    const out = join(work, "failing.out.ipynb");
    const r = await run(process.execPath, [join(PACKAGE_ROOT, "bin", "tskeras.js"), "run", join(FIXTURES, "failing.ipynb"), "--output", out]);
    expect(r.code).toBe(1);
    expect(r.out).toContain('cell 1 failed ("const b: number = a + 1;"): Error: cell two broke');
    const nb = JSON.parse(readFileSync(out, "utf8")) as { cells: { outputs?: { output_type: string }[] }[] };
    expect(nb.cells[1]!.outputs!.map((o) => o.output_type)).toEqual(["error"]);
    expect(nb.cells[2]!.outputs).toEqual([]);
  });

  it("tskeras run reports a cell that runs past --timeout and still writes the notebook", { timeout: 120_000 }, async () => {
    const nbPath = join(work, "slow.ipynb");
    const cell = (id: string, source: string) => ({ cell_type: "code", id, metadata: {}, execution_count: null, outputs: [], source });
    writeFileSync(nbPath, JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [cell("a", 'console.log("before")'), cell("b", "await new Promise((r) => setTimeout(r, 30_000));"), cell("c", "1")] }));
    const out = join(work, "slow.out.ipynb");
    const r = await run(process.execPath, [join(PACKAGE_ROOT, "bin", "tskeras.js"), "run", nbPath, "--output", out, "--timeout", "2"]);
    expect(r.code, r.out).toBe(1);
    expect(r.out).toContain("cell 1 failed");
    expect(r.out).toContain("TimeoutError");
    const nb = JSON.parse(readFileSync(out, "utf8")) as { cells: { outputs?: { output_type: string; ename?: string; text?: string }[] }[] };
    expect(nb.cells[0]!.outputs![0]!.text).toBe("before\n");
    expect(nb.cells[1]!.outputs!.map((o) => o.ename)).toEqual(["TimeoutError"]);
    expect(nb.cells[2]!.outputs).toEqual([]);
  });

  it("lists the kernelspec with jupyter kernelspec list", async () => {
    checkPython(["jupyter_client"]);
    const r = await run(SYSTEM_PYTHON, ["-m", "jupyter_client.kernelspecapp", "list"]);
    expect(r.out).toMatch(/tskeras\s+\S+kernels\/tskeras/);
    const spec = JSON.parse(readFileSync(join(jupyterPath, "kernels", "tskeras", "kernel.json"), "utf8")) as Record<string, unknown>;
    expect(spec.interrupt_mode).toBe("signal");
    expect(spec.display_name).toBe("TypeScript (Keras)");
    expect(readFileSync(join(jupyterPath, "kernels", "tskeras", "logo-64x64.png")).subarray(1, 4).toString()).toBe("PNG");
  });

  it("a @jupyterlab/services client starts the kernel through jupyter-server and executes a cell", { timeout: 180_000 }, async () => {
    checkPython(["jupyter_server"]);
    const [port] = await freePorts(1);
    const token = randomBytes(12).toString("hex");
    const server = spawn(
      SYSTEM_PYTHON,
      ["-m", "jupyter_server", "--ServerApp.ip=127.0.0.1", `--ServerApp.port=${port}`, "--ServerApp.port_retries=0", `--ServerApp.token=${token}`, "--ServerApp.open_browser=False", "--ServerApp.allow_root=True", `--ServerApp.root_dir=${work}`],
      { env: isolatedEnv() },
    );
    let log = "";
    server.stderr.on("data", (d: Buffer) => (log += d.toString()));
    server.stdout.on("data", (d: Buffer) => (log += d.toString()));
    try {
      const base = `http://127.0.0.1:${port}/`;
      const deadline = Date.now() + 60_000;
      for (;;) {
        try {
          const res = await fetch(`${base}api/status?token=${token}`);
          if (res.ok) break;
        } catch {
          /* not up yet */
        }
        if (Date.now() > deadline || server.exitCode !== null) throw new Error(`jupyter-server did not start:\n${log}`);
        await new Promise((r) => setTimeout(r, 250));
      }
      const services = await import("@jupyterlab/services");
      const serverSettings = services.ServerConnection.makeSettings({ baseUrl: base, wsUrl: `ws://127.0.0.1:${port}/`, token });
      const km = new services.KernelManager({ serverSettings });
      const kernel = await km.startNew({ name: "tskeras" });
      try {
        const info = await kernel.info;
        expect(info.language_info.name).toBe("typescript");
        const outputs: string[] = [];
        const future = kernel.requestExecute({ code: 'console.log("from services"); 20 + 22' });
        future.onIOPub = (msg) => {
          if (msg.header.msg_type === "stream") outputs.push(String((msg.content as { text: string }).text));
          if (msg.header.msg_type === "execute_result") outputs.push(String((msg.content as { data: Record<string, string> }).data["text/plain"]));
        };
        const reply = await future.done;
        expect(reply.content.status).toBe("ok");
        expect(outputs).toEqual(["from services\n", "42"]);
      } finally {
        await kernel.shutdown();
        km.dispose();
      }
    } finally {
      if (server.exitCode === null) {
        const closed = new Promise((r) => server.once("close", r));
        server.kill("SIGTERM");
        await closed;
      }
    }
  });
});
