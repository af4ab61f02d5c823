/** Name scopes: the `outer/inner` prefixes of variable paths, as in Keras. */

const stack: string[] = [];

/** The current scope path, e.g. `model/dense`, or `""` outside any scope. */
export function currentNameScope(): string {
  return stack.join("/");
}

/** Runs `fn` with `name` pushed on the name scope stack. */
export function withNameScope<T>(name: string, fn: () => T): T {
  stack.push(name);
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
