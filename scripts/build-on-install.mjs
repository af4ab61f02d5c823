// Runs on `npm install` (npm's "prepare"): compiles lib/, display/ and kernel/
// to dist/ so `npx tskeras ...` works right after installing. Type errors are
// reported but do not fail the install (`npm test` fails on them instead).
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
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
