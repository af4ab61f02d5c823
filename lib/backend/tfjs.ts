/**
 * The one place that imports tfjs-core. Everything in tskeras imports `tf`
 * from here, so the gradient and chained-op registrations that tfjs-core's
 * Node entry point leaves out are always loaded first.
 */
import * as tf from "@tensorflow/tfjs-core";
import { createRequire } from "node:module";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The root of the tskeras package (the folder holding its package.json). */
export const packageRoot: string = (() => {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, "package.json")) && existsSync(join(dir, "lib"))) return dir;
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
