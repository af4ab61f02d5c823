/**
 * The top self-time frames of a `node --cpu-prof` profile, and the top
 * "inclusive" frames among the given name filter:
 *   node dist/bench/cpuprofile-top.js <file.cpuprofile> [N]
 */
import { readFileSync } from "node:fs";

interface CallFrame { functionName: string; url: string; lineNumber: number }
interface ProfileNode { id: number; callFrame: CallFrame; children?: number[] }
interface Profile { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] }

const [file, nArg = "30"] = process.argv.slice(2);
const p = JSON.parse(readFileSync(file, "utf8")) as Profile;
const selfUs = new Map<number, number>();
p.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (p.timeDeltas[i] ?? 0)));
const byId = new Map(p.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const key = (cf: CallFrame): string => {
  const url = cf.url.replace(/^file:\/\//, "").split("/").slice(-2).join("/");
  return `${cf.functionName || "(anonymous)"} ${url}${url ? ":" + (cf.lineNumber + 1) : ""}`;
};
let total = 0;
const self = new Map<string, number>();
const incl = new Map<string, number>();
for (const n of p.nodes) {
  const t = selfUs.get(n.id) ?? 0;
  if (!t) continue;
  total += t;
  const k = key(n.callFrame);
  self.set(k, (self.get(k) ?? 0) + t);
  // Inclusive: charge every distinct frame on the stack once.
  const seen = new Set<string>();
  for (let id: number | undefined = n.id; id !== undefined; id = parent.get(id)) {
    const kk = key(byId.get(id)!.callFrame);
    if (seen.has(kk)) continue;
    seen.add(kk);
    incl.set(kk, (incl.get(kk) ?? 0) + t);
  }
}
const N = Number(nArg);
const pct = (t: number): string => ((100 * t) / total).toFixed(1).padStart(5) + "%";
process.stdout.write(`total ${(total / 1000).toFixed(0)} ms\n\nself time:\n`);
for (const [k, t] of [...self].sort((a, b) => b[1] - a[1]).slice(0, N)) process.stdout.write(`${pct(t)} ${(t / 1000).toFixed(0).padStart(7)} ms  ${k}\n`);
process.stdout.write(`\ninclusive time:\n`);
for (const [k, t] of [...incl].sort((a, b) => b[1] - a[1]).slice(0, N)) process.stdout.write(`${pct(t)} ${(t / 1000).toFixed(0).padStart(7)} ms  ${k}\n`);
