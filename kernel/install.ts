/**
 * `tskeras install [--user | --sys-prefix | --prefix DIR] [--name tskeras] [--display-name NAME]`:
 * writes the Jupyter kernelspec (kernel.json and logos).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { homedir, platform } from "node:os";
import { join, resolve } from "node:path";
import { logoPng } from "./png.js";
import { PACKAGE_ROOT } from "./evaluator/paths.js";

/** Where to install. */
export interface InstallOptions {
  /** "user" (default), "sys-prefix" (sys.prefix of the running python, or $VIRTUAL_ENV/$CONDA_PREFIX) or "prefix". */
  scope?: "user" | "sys-prefix" | "prefix";
  /** The prefix for scope "prefix": the kernelspec goes to PREFIX/share/jupyter/kernels/NAME. */
  prefix?: string;
  /** The kernelspec name (default "tskeras"). */
  name?: string;
  /** The name front ends show (default "TypeScript (Keras)"). */
  displayName?: string;
  /** Extra environment for the kernel process. */
  env?: Record<string, string>;
}

/** The kernel.json this package registers. */
export function kernelSpec(displayName = "TypeScript (Keras)", env?: Record<string, string>): Record<string, unknown> {
  return {
    argv: [process.execPath, join(PACKAGE_ROOT, "bin", "tskeras.js"), "kernel", "{connection_file}"],
    display_name: displayName,
    language: "typescript",
    interrupt_mode: "signal",
    ...(env ? { env } : {}),
    metadata: { debugger: false, tskeras: { packageRoot: PACKAGE_ROOT } },
  };
}

function userDataDir(): string {
  if (process.env.JUPYTER_DATA_DIR) return process.env.JUPYTER_DATA_DIR;
  if (platform() === "darwin") return join(homedir(), "Library", "Jupyter");
  if (platform() === "win32") return join(process.env.APPDATA ?? join(homedir(), "AppData", "Roaming"), "jupyter");
  return join(process.env.XDG_DATA_HOME ?? join(homedir(), ".local", "share"), "jupyter");
}

/** The directory the kernelspec goes to. */
export function kernelDir(options: InstallOptions = {}): string {
  const name = options.name ?? "tskeras";
  switch (options.scope ?? "user") {
    case "user":
      return join(userDataDir(), "kernels", name);
    case "sys-prefix": {
      const prefix = process.env.VIRTUAL_ENV ?? process.env.CONDA_PREFIX ?? "/usr/local";
      return join(prefix, "share", "jupyter", "kernels", name);
    }
    case "prefix":
      if (!options.prefix) throw new Error("--prefix needs a directory");
      return join(resolve(options.prefix), "share", "jupyter", "kernels", name);
  }
}

/** Writes the kernelspec; returns its directory. */
export function install(options: InstallOptions = {}): string {
  const dir = kernelDir(options);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "kernel.json"), JSON.stringify(kernelSpec(options.displayName, options.env), null, 2) + "\n");
  writeFileSync(join(dir, "logo-32x32.png"), logoPng(32));
  writeFileSync(join(dir, "logo-64x64.png"), logoPng(64));
  return dir;
}

/** Parses `install` arguments. */
export function parseInstallArgs(args: string[]): InstallOptions {
  const o: InstallOptions = {};
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const value = (): string => {
      const eq = a.indexOf("=");
      if (eq >= 0) return a.slice(eq + 1);
      const v = args[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === "--user") o.scope = "user";
    else if (a === "--sys-prefix") o.scope = "sys-prefix";
    else if (a === "--prefix" || a.startsWith("--prefix=")) {
      o.scope = "prefix";
      o.prefix = value();
    } else if (a === "--name" || a.startsWith("--name=")) o.name = value();
    else if (a === "--display-name" || a.startsWith("--display-name=")) o.displayName = value();
    else throw new Error(`unknown option '${a}'`);
  }
  return o;
}
