/**
 * Nested structures (Keras's `keras.tree`): arrays and plain objects are
 * containers; everything else (tensors, numbers, class instances) is a leaf.
 */

/** A nested structure of leaves of type T. */
export type Nested<T> = T | Nested<T>[] | { [key: string]: Nested<T> };

/** True for a plain object used as a dict (not a class instance, not an array). */
export function isPlainObject(x: unknown): x is Record<string, unknown> {
  if (x === null || typeof x !== "object" || Array.isArray(x)) return false;
  const proto = Object.getPrototypeOf(x) as unknown;
  return proto === Object.prototype || proto === null;
}

/** True for the containers `flatten` looks into. */
export function isNested(x: unknown): boolean {
  return Array.isArray(x) || isPlainObject(x);
}

/** The leaves of `x` in order (object keys sorted, as Keras's tree sorts dict keys). */
export function flatten<T = unknown>(x: unknown): T[] {
  const out: T[] = [];
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(visit);
    else if (isPlainObject(v)) Object.keys(v).sort().forEach((k) => visit(v[k]));
    else out.push(v as T);
  };
  visit(x);
  return out;
}

/** Applies `fn` to every leaf, keeping the structure. */
export function mapStructure<R>(x: unknown, fn: (leaf: unknown) => R): Nested<R> {
  if (Array.isArray(x)) return x.map((v) => mapStructure(v, fn));
  if (isPlainObject(x)) {
    const out: Record<string, Nested<R>> = {};
    for (const k of Object.keys(x)) out[k] = mapStructure(x[k], fn);
    return out;
  }
  return fn(x);
}

/** Rebuilds `structure`'s shape with the leaves of `flat`, in `flatten` order. */
export function packSequenceAs(structure: unknown, flat: readonly unknown[]): unknown {
  let i = 0;
  const build = (s: unknown): unknown => {
    if (Array.isArray(s)) return s.map(build);
    if (isPlainObject(s)) {
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(s).sort()) out[k] = build(s[k]);
      // Keep the original key order for display.
      const ordered: Record<string, unknown> = {};
      for (const k of Object.keys(s)) ordered[k] = out[k];
      return ordered;
    }
    if (i >= flat.length) throw new Error(`packSequenceAs: the structure has more leaves than the ${flat.length} given.`);
    return flat[i++];
  };
  const result = build(structure);
  if (i !== flat.length) throw new Error(`packSequenceAs: ${flat.length} leaves given, the structure holds ${i}.`);
  return result;
}

/** True when any leaf satisfies `pred`. */
export function anyLeaf(x: unknown, pred: (leaf: unknown) => boolean): boolean {
  if (Array.isArray(x)) return x.some((v) => anyLeaf(v, pred));
  if (isPlainObject(x)) return Object.values(x).some((v) => anyLeaf(v, pred));
  return pred(x);
}
