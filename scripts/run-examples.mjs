// Runs every compiled example in dist/examples, in order, and fails on the first error.
import { readdirSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const dir = join(root, "dist", "examples");
let files;
try {
  files = readdirSync(dir).filter((f) => f.endsWith(".js")).sort();
} catch {
  console.error(`No compiled examples in ${dir}: run 'npm run build' first.`);
  process.exit(1);
}
for (const f of files) {
  console.log(`\n=== examples/${f.replace(/\.js$/, ".ts")}`);
  const r = spawnSync(process.execPath, [join(dir, f)], { stdio: "inherit" });
  if (r.status !== 0) {
    console.error(`examples/${f} failed with exit code ${r.status}`);
    process.exit(r.status ?? 1);
  }
}
console.log(`\nAll ${files.length} examples ran.`);
