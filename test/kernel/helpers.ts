/** Helpers for the kernel tests: start a kernel, find the Debian Jupyter tools, install a kernelspec into a temp prefix. */
import { existsSync, mkdtempSync, statSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { KernelClient, type StartOptions } from "../../kernel/client.js";
import { PACKAGE_ROOT } from "../../kernel/evaluator/paths.js";
import type { Message } from "../../kernel/protocol/message.js";

export { KernelClient, PACKAGE_ROOT };

/** The Python with Debian's Jupyter packages. */
export const SYSTEM_PYTHON = existsSync("/usr/bin/python3") ? "/usr/bin/python3" : "python3";

function newestMtime(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) t = Math.max(t, newestMtime(p));
    else if (e.name.endsWith(".ts")) t = Math.max(t, statSync(p).mtimeMs);
  }
  return t;
}

/** Throws a clear error unless dist/kernel is built and newer than kernel/. */
export function ensureBuilt(): void {
  const main = join(PACKAGE_ROOT, "dist", "kernel", "kernel.js");
  if (!existsSync(main)) throw new Error(`${main} is missing: run 'npm run build' before the kernel tests`);
  if (newestMtime(join(PACKAGE_ROOT, "kernel")) > statSync(main).mtimeMs + 1000 && !process.env.CI) {
    throw new Error("dist/kernel is older than kernel/: run 'npm run build' before the kernel tests");
  }
}

/** Starts a kernel from dist/ (see ensureBuilt). */
export async function startKernel(options: StartOptions = {}): Promise<KernelClient> {
  ensureBuilt();
  return KernelClient.start(options);
}

/** The Debian packages the real-client tests need, and whether each Python module imports. */
export function checkPython(modules: string[]): void {
  const r = spawnSync(SYSTEM_PYTHON, ["-c", modules.map((m) => `import ${m}`).join("; ")], { encoding: "utf8" });
  if (r.status !== 0) {
    throw new Error(
      `Python modules ${modules.join(", ")} are missing (${r.stderr.trim().split("\n").pop()}): ` +
        "run 'bash .ci/install-debian.sh' (Debian packages python3-jupyter-kernel-test, jupyter-client, python3-nbclient, jupyter-nbconvert, jupyter-server)",
    );
  }
}

/** Installs the kernelspec into a fresh temp prefix; returns the JUPYTER_PATH to use. */
export function installTempKernelspec(): { jupyterPath: string; prefix: string } {
  ensureBuilt();
  const prefix = mkdtempSync(join(tmpdir(), "tskeras-prefix-"));
  const r = spawnSync(process.execPath, [join(PACKAGE_ROOT, "bin", "tskeras.js"), "install", "--prefix", prefix], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`tskeras install failed: ${r.stderr}`);
  return { jupyterPath: join(prefix, "share", "jupyter"), prefix };
}

/** The text of all stream messages of one name. */
export function streamText(outputs: Message[], name: "stdout" | "stderr" = "stdout"): string {
  return outputs
    .filter((m) => m.header.msg_type === "stream" && m.content.name === name)
    .map((m) => String(m.content.text))
    .join("");
}

/** The text/plain of the execute_result, if any. */
export function resultText(outputs: Message[]): string | undefined {
  const r = outputs.find((m) => m.header.msg_type === "execute_result");
  return r ? String((r.content.data as Record<string, unknown>)["text/plain"]) : undefined;
}

/** The error message, if any. */
export function errorOf(outputs: Message[]): { ename: string; evalue: string; traceback: string[] } | undefined {
  const e = outputs.find((m) => m.header.msg_type === "error");
  return e ? (e.content as { ename: string; evalue: string; traceback: string[] }) : undefined;
}
