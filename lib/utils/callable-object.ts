/**
 * A base class whose instances are functions: `layer(x)` runs
 * `layer[CALL](x)`. Keras layers and models are called like functions;
 * this keeps that in TypeScript while `instanceof`, fields and methods work
 * as on any class instance.
 */

/** The method a callable instance runs when called. */
export const CALL: unique symbol = Symbol("tskeras.call");

/** Root of the callable classes (Operation, and so Layer and Model). */
export class CallableObject {
  constructor() {
    const self = ((...args: unknown[]) =>
      (self as unknown as { [CALL]: (...a: unknown[]) => unknown })[CALL](...args)) as unknown as Record<string, unknown>;
    // A function's own `name` and `length` are read-only; layers own a `name`.
    delete self.name;
    delete self.length;
    Object.setPrototypeOf(self, new.target.prototype);
    return self;
  }
}
