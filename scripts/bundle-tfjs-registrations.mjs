// Builds generated/tfjs-registrations.cjs: the gradient and chained-op
// registrations that @tensorflow/tfjs-core ships as ES sources but does not run
// from its Node entry point. The bundle shares tfjs-core's global engine and
// registries (they live on globalThis), so loading it after tfjs-core makes
// tf.grad work for every kernel and adds the chained methods (t.flatten()).
import { build } from "esbuild";
import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const core = join(root, "node_modules/@tensorflow/tfjs-core/dist");
mkdirSync(join(root, "generated"), { recursive: true });
await build({
  stdin: {
    contents: [
      `import ${JSON.stringify(join(core, "register_all_gradients.js"))};`,
      `import ${JSON.stringify(join(core, "public/chained_ops/register_all_chained_ops.js"))};`,
    ].join("\n"),
    resolveDir: root,
    loader: "js",
  },
  bundle: true,
  platform: "node",
  format: "cjs",
  target: "node20",
  outfile: join(root, "generated/tfjs-registrations.cjs"),
  logLevel: "warning",
  // tfjs-core's browser-only optional imports.
  external: ["node-fetch"],
});
