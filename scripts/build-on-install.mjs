// Runs on `npm install` (npm's "prepare"): compiles lib/, display/ and kernel/
// to dist/ so `npx tskeras ...` works right after installing, and points
// node_modules/.bin/tsc back at this project's TypeScript (see the end). Type errors are
// reported but do not fail the install (`npm test` fails on them instead).
import { spawnSync } from "node:child_process";
import { existsSync, lstatSync, readlinkSync, symlinkSync, unlinkSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
let tsc;
try {
  tsc = createRequire(join(root, "package.json")).resolve("typescript/bin/tsc");
} catch {
  console.warn("tskeras: typescript is not installed; skipping the build (run 'npm run build' later).");
  process.exit(0);
}
const r = spawnSync(process.execPath, [tsc, "-p", join(root, "tsconfig.build.json")], { stdio: "inherit" });
if (r.status !== 0) console.warn("tskeras: the build reported errors (see above); dist/ was written anyway.");

// The `tslab` devDependency (the kernel benchmark's rival) ships a TypeScript
// 5.0 fork whose `tsc` and `tsserver` take node_modules/.bin, so a bare
// `npx tsc` would check this project with the wrong compiler. Point them back
// at the `typescript` this project depends on.
for (const bin of ["tsc", "tsserver"]) {
  const link = join(root, "node_modules", ".bin", bin);
  const target = join(dirname(tsc), bin);
  if (!existsSync(target)) continue;
  const want = relative(dirname(link), target);
  try {
    if (lstatSync(link).isSymbolicLink() && readlinkSync(link) === want) continue;
    unlinkSync(link);
  } catch {
    /* no link yet */
  }
  symlinkSync(want, link);
}
