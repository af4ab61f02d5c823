/** Name scopes: the `outer/inner` prefixes of variable paths, as in Keras. */

interface Scope {
  name: string;
  caller: unknown;
}

const stack: Scope[] = [];

/** The current scope path, e.g. `model/dense`, or `""` outside any scope. */
export function currentNameScope(): string {
  return stack.map((s) => s.name).join("/");
}

/**
 * Runs `fn` with `name` pushed on the name scope stack. When `caller` is given
 * and the innermost scope was opened by the same caller, no new level is
 * added (a layer's `build` inside its own call stays `dense/kernel`).
 */
export function withNameScope<T>(name: string, fn: () => T, caller?: unknown): T {
  const top = stack[stack.length - 1];
  if (caller !== undefined && top !== undefined && top.caller === caller) return fn();
  stack.push({ name, caller });
  try {
    return fn();
  } finally {
    stack.pop();
  }
}

/** Empties the stack (used by `clearSession`). */
export function resetNameScopes(): void {
  stack.length = 0;
}
