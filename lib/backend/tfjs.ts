/**
 * The one place that imports tfjs-core. Everything in tskeras imports `tf`
 * from here, so the gradient and chained-op registrations that tfjs-core's
 * Node entry point leaves out are always loaded first.
 */
import * as tf from "@tensorflow/tfjs-core";
// Types only: the chained-method declarations (t.flatten()) that the bundle below registers.
import type {} from "@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops.js";
import { createRequire } from "node:module";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The root of the tskeras package (the folder holding its package.json). */
export const packageRoot: string = (() => {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, "package.json");
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, "utf8")) as { name?: string }).name === "tskeras") return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error("tskeras: cannot find the package root from " + import.meta.url);
    dir = parent;
  }
})();

const registrations = join(packageRoot, "generated", "tfjs-registrations.cjs");
if (!existsSync(registrations)) {
  throw new Error(
    `tskeras: ${registrations} is missing. It is built by 'npm install' (script 'prepare'); ` +
      "run 'node scripts/bundle-tfjs-registrations.mjs' to build it by hand.",
  );
}
createRequire(import.meta.url)(registrations);

export { tf };
export type Tensor = tf.Tensor;
export type Rank = tf.Rank;
export type DataType = tf.DataType;
