/**
 * keras.ops.rearrange: einops-style axis rearrangement (Keras's
 * `ops/einops.py`): transpose, merge axes with `( )` on the right, split
 * them with `( )` on the left (sizes from `axesLengths`, one may be
 * inferred), `...` for the axes in between, and `1` / `()` for axes of size 1.
 */
import { tf, type Tensor } from "../backend/tfjs.js";
import { convertToTensor, type OpInput, type OpResult, type TensorLike } from "./convert.js";
import { dispatch } from "./operation.js";

/** One side's axis: its atomic names (one for a plain axis, none for `1`), `...` standing for the ellipsis axes. */
type Entry = { names: string[]; ellipsis: boolean; group: boolean };

const ELLIPSIS = "\u2026";

function parseSide(side: string, pattern: string): Entry[] {
  const entries: Entry[] = [];
  const re = /\(([^()]*)\)|\.\.\.|[A-Za-z_][A-Za-z0-9_]*|\d+|(\S)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(side)) !== null) {
    if (m[2] !== undefined) throw new Error(`rearrange: unexpected character '${m[2]}' in pattern '${pattern}'.`);
    if (m[1] !== undefined) {
      const inner = m[1].trim() === "" ? [] : m[1].trim().split(/\s+/);
      for (const a of inner) {
        if (!/^([A-Za-z_][A-Za-z0-9_]*|1|\.\.\.)$/.test(a)) throw new Error(`rearrange: invalid axis '${a}' in pattern '${pattern}'.`);
      }
      entries.push({ names: inner.filter((a) => a !== "1"), ellipsis: inner.includes("..."), group: true });
    } else if (m[0] === "...") {
      entries.push({ names: ["..."], ellipsis: true, group: false });
    } else if (/^\d+$/.test(m[0])) {
      if (m[0] !== "1") throw new Error(`rearrange: only 1 is allowed as a number in a pattern (got ${m[0]} in '${pattern}').`);
      entries.push({ names: [], ellipsis: false, group: false });
    } else {
      entries.push({ names: [m[0]], ellipsis: false, group: false });
    }
  }
  return entries;
}

interface Plan {
  decomposed: number[];
  perm: number[];
  output: number[];
}

/** Works out the reshape → transpose → reshape of `pattern` for an input of `shape`. */
function plan(shape: readonly number[], pattern: string, axesLengths: Readonly<Record<string, number>>): Plan {
  const sides = pattern.split("->");
  if (sides.length !== 2) throw new Error(`rearrange: the pattern must have one '->'. Received: '${pattern}'`);
  const left = parseSide(sides[0]!, pattern);
  const right = parseSide(sides[1]!, pattern);
  const ellipsisLeft = left.filter((e) => e.ellipsis).length;
  if (ellipsisLeft > 1) throw new Error(`rearrange: '...' may appear once on the left of '${pattern}'.`);
  if (left.some((e) => e.ellipsis && e.names.length > 1)) throw new Error(`rearrange: '...' cannot be inside parentheses on the left of '${pattern}'.`);
  if (right.some((e) => e.ellipsis) && ellipsisLeft === 0) throw new Error(`rearrange: '...' on the right of '${pattern}' needs one on the left.`);
  const fixed = left.length - ellipsisLeft;
  if (ellipsisLeft ? shape.length < fixed : shape.length !== fixed) {
    throw new Error(`rearrange: the pattern '${pattern}' expects ${ellipsisLeft ? "at least " : ""}${fixed} dimension(s); the tensor has shape [${shape}].`);
  }
  const ellipsisNames = Array.from({ length: shape.length - fixed }, (_, i) => `${ELLIPSIS}${i}`);
  const expand = (names: string[]): string[] => names.flatMap((n) => (n === "..." ? ellipsisNames : [n]));

  const lengths = new Map<string, number>();
  const decomposedNames: string[] = [];
  const decomposed: number[] = [];
  let dim = 0;
  for (const entry of left) {
    if (entry.ellipsis) {
      for (const n of ellipsisNames) {
        lengths.set(n, shape[dim]!);
        decomposedNames.push(n);
        decomposed.push(shape[dim++]!);
      }
      continue;
    }
    const d = shape[dim++]!;
    const unknown = entry.names.filter((n) => axesLengths[n] === undefined);
    if (entry.names.length === 1 && unknown.length === 1) {
      lengths.set(entry.names[0]!, d);
    } else {
      if (unknown.length > 1) throw new Error(`rearrange: cannot infer the sizes of ${unknown.join(", ")} in '${pattern}'; give them in axesLengths.`);
      const known = entry.names.filter((n) => axesLengths[n] !== undefined).reduce((p, n) => p * axesLengths[n]!, 1);
      if (unknown.length === 1) {
        if (known === 0 || d % known !== 0) throw new Error(`rearrange: cannot split an axis of size ${d} into (${entry.names.join(" ")}) with ${JSON.stringify(axesLengths)}.`);
        lengths.set(unknown[0]!, d / known);
      } else if (known !== d) {
        throw new Error(`rearrange: the axis (${entry.names.join(" ") || "1"}) of '${pattern}' has size ${d}, expected ${known}.`);
      }
      for (const n of entry.names) if (axesLengths[n] !== undefined) lengths.set(n, axesLengths[n]!);
    }
    for (const n of entry.names) {
      if (decomposedNames.includes(n)) throw new Error(`rearrange: axis '${n}' appears twice on the left of '${pattern}'.`);
      decomposedNames.push(n);
      decomposed.push(lengths.get(n)!);
    }
  }
  const outNames = right.flatMap((e) => expand(e.names));
  for (const n of outNames) {
    if (!lengths.has(n)) throw new Error(`rearrange: axis '${n}' is on the right of '${pattern}' but not on the left.`);
  }
  if (new Set(outNames).size !== outNames.length) throw new Error(`rearrange: an axis appears twice on the right of '${pattern}'.`);
  for (const n of decomposedNames) {
    if (!outNames.includes(n)) throw new Error(`rearrange: axis '${n.startsWith(ELLIPSIS) ? "..." : n}' is on the left of '${pattern}' but not on the right (rearrange cannot reduce).`);
  }
  return {
    decomposed,
    perm: outNames.map((n) => decomposedNames.indexOf(n)),
    // A bare `...` keeps its axes; a group multiplies its axes into one.
    output: right.flatMap((e) =>
      e.ellipsis && !e.group ? ellipsisNames.map((n) => lengths.get(n)!) : [expand(e.names).reduce((p, n) => p * lengths.get(n)!, 1)],
    ),
  };
}

/**
 * Rearranges the axes of `tensor` by an einops pattern, e.g.
 * `"b h w c -> b c h w"` (transpose), `"b h w c -> b (h w) c"` (merge),
 * `"b (h1 h) w c -> (b h1) h w c"` with `{ h1: 2 }` (split; one size of a
 * group may be inferred), `"b ... c -> b c ..."`, `"h w -> 1 h w"`.
 *
 * @param tensor The input.
 * @param pattern `"<input axes> -> <output axes>"`; every axis on one side
 *   must be on the other.
 * @param axesLengths Sizes of the axes that split an input axis.
 */
export function rearrange<A extends OpInput>(tensor: A, pattern: string, axesLengths: Readonly<Record<string, number>> = {}): OpResult<A> {
  return dispatch("rearrange", [tensor, pattern, { ...axesLengths }], (v: TensorLike, p: string, lens: Record<string, number>) =>
    tf.tidy(() => {
      const t = convertToTensor(v);
      const { decomposed, perm, output } = plan(t.shape, p, lens);
      let r: Tensor = tf.reshape(t, decomposed);
      if (perm.some((a, i) => a !== i)) r = tf.transpose(r, perm);
      r = tf.reshape(r, output);
      return r === v ? tf.clone(r) : r;
    }),
  ) as OpResult<A>;
}
