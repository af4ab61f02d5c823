#!/usr/bin/env node
// Kernel round trip benchmark: `npm run build && node bench/kernel-roundtrip.mjs [cells]`.
//
// Starts the tskeras kernel over the real protocol (ZeroMQ) and measures:
//  - the execute round trip of `1+1` (request sent → reply and idle received),
//    median and p95 over N cells (default 200), with type checking on (the default)
//    and off (TSKERAS_TYPECHECK=0);
//  - the type-check cost per cell: the difference of the medians, and the
//    in-process TypeView.check time of a few typical cells after 50 cells of history.
import { performance } from "node:perf_hooks";
import { KernelClient } from "../dist/kernel/client.js";
import { TypeView } from "../dist/kernel/evaluator/types.js";
import { GLOBALS_DTS, PACKAGE_ROOT } from "../dist/kernel/evaluator/evaluator.js";

const N = Number(process.argv[2] ?? 200);

function stats(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  return { p50: q(0.5), p95: q(0.95), min: s[0], max: s[s.length - 1] };
}
const fmt = (o) => Object.entries(o).map(([k, v]) => `${k} ${v.toFixed(2)} ms`).join(", ");

async function roundTrips(env) {
  const k = await KernelClient.start({ env });
  try {
    for (let i = 0; i < 10; i++) await k.execute("1+1"); // warm-up
    const times = [];
    for (let i = 0; i < N; i++) {
      const t0 = performance.now();
      const { reply } = await k.execute("1+1");
      times.push(performance.now() - t0);
      if (reply.content.status !== "ok") throw new Error(JSON.stringify(reply.content));
    }
    return stats(times);
  } finally {
    await k.shutdown();
  }
}

const withCheck = await roundTrips({});
const noCheck = await roundTrips({ TSKERAS_TYPECHECK: "0" });
console.log(`tskeras execute round trip of 1+1 over ${N} cells (protocol 5.4, ZeroMQ, node ${process.version}):`);
console.log(`  type check on : ${fmt(withCheck)}`);
console.log(`  type check off: ${fmt(noCheck)}`);
console.log(`  type check cost per cell (p50 difference): ${(withCheck.p50 - noCheck.p50).toFixed(2)} ms`);

// In-process type-check cost of typical cells with a history.
const view = new TypeView({ cwd: process.cwd(), packageRoot: PACKAGE_ROOT, globals: GLOBALS_DTS });
view.check("1");
for (let i = 0; i < 50; i++) {
  const c = `const v${i}: number[] = [${i}, ${i + 1}];\nfunction f${i}(x: number) { return x + v${i}.length; }`;
  view.check(c);
  view.commit(c);
}
const cells = {
  "1+1": "1+1",
  "arithmetic on history": "f10(v3[0]) + f49(2)",
  "keras model": 'const model = keras.Sequential([keras.layers.Dense(4, { activation: "relu" }), keras.layers.Dense(1)]);\nmodel',
  "node import": 'import * as fs from "node:fs";\nfs.readdirSync(".").length',
};
for (const [name, code] of Object.entries(cells)) {
  view.check(code); // first check loads what the cell needs
  const times = [];
  for (let i = 0; i < 20; i++) {
    const t0 = performance.now();
    view.check(code);
    times.push(performance.now() - t0);
  }
  console.log(`  TypeView.check "${name}" (50 cells of history): ${fmt(stats(times))}`);
}
