/** Axis and shape helpers shared by the ops. */

/** Resolves a possibly negative `axis` against `rank`; throws a clear error when out of range. */
export function normalizeAxis(axis: number, rank: number, what = "axis"): number {
  if (!Number.isInteger(axis)) throw new Error(`\`${what}\` must be an integer. Received: ${what}=${axis}`);
  const a = axis < 0 ? axis + rank : axis;
  if (a < 0 || a >= Math.max(rank, 1) || (rank === 0 && axis !== 0 && axis !== -1)) {
    throw new Error(`\`${what}\` ${axis} is out of bounds for a tensor of rank ${rank}.`);
  }
  return a;
}

/** Resolves `axis` (a number, a list, or null/undefined for all axes) to sorted non-negative axes. */
export function normalizeAxes(axis: number | readonly number[] | null | undefined, rank: number): number[] {
  if (axis == null) return Array.from({ length: rank }, (_, i) => i);
  const list = typeof axis === "number" ? [axis] : [...axis];
  const out = list.map((a) => normalizeAxis(a, rank));
  if (new Set(out).size !== out.length) throw new Error(`Repeated axis in axis=${JSON.stringify(axis)}.`);
  return out.sort((a, b) => a - b);
}

/** NumPy broadcasting of two shapes; throws naming both shapes when they do not broadcast. */
export function broadcastShapes(a: readonly number[], b: readonly number[]): number[] {
  const n = Math.max(a.length, b.length);
  const out: number[] = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const da = a[a.length - n + i] ?? 1;
    const db = b[b.length - n + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new Error(`Cannot broadcast shapes [${a}] and [${b}].`);
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}
