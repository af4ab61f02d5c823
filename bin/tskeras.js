#!/usr/bin/env node
// The tskeras command line. Subcommands load their module on demand.
import { pathToFileURL } from "node:url";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const main = join(root, "dist", "kernel", "cli.js");
try {
  const { runCli } = await import(pathToFileURL(main).href);
  process.exitCode = await runCli(process.argv.slice(2));
} catch (e) {
  if (e && e.code === "ERR_MODULE_NOT_FOUND" && String(e.message).includes(main)) {
    process.stderr.write(`tskeras: ${main} is missing; run 'npm run build' first.\n`);
    process.exitCode = 1;
  } else {
    throw e;
  }
}
