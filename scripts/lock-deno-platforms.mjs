#!/usr/bin/env node
// Adds Deno's other-platform packages to package-lock.json.
//
// The `deno` devDependency (the kernel benchmark's rival) lists one optional
// package per platform. The registry this project installs from serves only
// @deno/linux-x64-glibc, so `npm install` writes the lock without the others,
// and `npm ci` then refuses the lock ("Missing: @deno/darwin-arm64@ from lock
// file"). Entries with their os/cpu (and no tarball) satisfy `npm ci`, which
// skips them on a platform they do not match. Run after `npm install` changes
// the lock: `node scripts/lock-deno-platforms.mjs`.
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const lockPath = join(dirname(fileURLToPath(import.meta.url)), "..", "package-lock.json");
const lock = JSON.parse(readFileSync(lockPath, "utf8"));
const deno = lock.packages["node_modules/deno"];
if (!deno) throw new Error("package-lock.json has no node_modules/deno");
const PLATFORMS = {
  "@deno/darwin-arm64": { os: "darwin", cpu: "arm64" },
  "@deno/darwin-x64": { os: "darwin", cpu: "x64" },
  "@deno/linux-arm64-glibc": { os: "linux", cpu: "arm64", libc: "glibc" },
  "@deno/linux-x64-glibc": { os: "linux", cpu: "x64", libc: "glibc" },
  "@deno/win32-arm64": { os: "win32", cpu: "arm64" },
  "@deno/win32-x64": { os: "win32", cpu: "x64" },
};
const missing = {};
for (const [name, version] of Object.entries(deno.optionalDependencies ?? {})) {
  const key = `node_modules/${name}`;
  if (lock.packages[key]) continue;
  const p = PLATFORMS[name];
  if (!p) throw new Error(`unknown Deno platform package ${name}`);
  missing[key] = { version, cpu: [p.cpu], dev: true, ...(p.libc ? { libc: [p.libc] } : {}), license: "MIT", optional: true, os: [p.os] };
}
// Beside the @deno/ package that is there, in name order, leaving the rest of the lock as npm wrote it.
const entries = Object.entries(lock.packages);
const at = entries.findIndex(([k]) => k.startsWith("node_modules/@deno/"));
const denoBlock = [...entries.filter(([k]) => k.startsWith("node_modules/@deno/")), ...Object.entries(missing)].sort(([a], [b]) => (a < b ? -1 : 1));
const others = entries.filter(([k]) => !k.startsWith("node_modules/@deno/"));
lock.packages = Object.fromEntries([...others.slice(0, at), ...denoBlock, ...others.slice(at)]);
const added = Object.keys(missing).length;
writeFileSync(lockPath, JSON.stringify(lock, null, 2) + "\n");
process.stdout.write(`package-lock.json: ${added} Deno platform package(s) added\n`);
