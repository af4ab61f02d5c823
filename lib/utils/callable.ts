/**
 * Lets a class be used with and without `new`, as Keras's API reads:
 * `layers.Dense(64)` and `new layers.Dense(64)` both give a Dense, and
 * `class MyLayer extends layers.Dense` still works.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyClass = abstract new (...args: any[]) => object;

/** A class that can also be called as a function to construct it. */
export type Callable<C extends AnyClass> = C &
  (C extends new (...args: infer A) => infer I ? (...args: A) => I : never);

/** Wraps `cls` so that calling it without `new` constructs it. */
export function callable<C extends AnyClass>(cls: C): Callable<C> {
  return new Proxy(cls, {
    apply(target, _thisArg, args: unknown[]) {
      return Reflect.construct(target as unknown as new (...a: unknown[]) => object, args);
    },
  }) as Callable<C>;
}
