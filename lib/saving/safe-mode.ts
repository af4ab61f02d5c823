/**
 * The global safe-mode switch of deserialization (Keras's
 * `keras.config.enable_unsafe_deserialization` and `in_safe_mode`). In safe
 * mode, code stored in a config (a Lambda layer's function) is never
 * evaluated. Kept free of imports so `keras.config` can re-export it.
 */

let unsafeDeserializationEnabled = false;

/**
 * Allows loading code stored in configs (the JavaScript source of Lambda
 * layers saved by tskeras) for the rest of the process, for every
 * `loadModel` / `deserializeKerasObject` call that does not pass
 * `safeMode` itself. Only do this for files you trust: loading one runs its code.
 */
export function enableUnsafeDeserialization(): void {
  unsafeDeserializationEnabled = true;
}

/** Turns safe mode back on globally (the default). */
export function disableUnsafeDeserialization(): void {
  unsafeDeserializationEnabled = false;
}

/**
 * Whether deserialization runs in safe mode: `explicit` when the caller
 * passed `safeMode`, else true unless `enableUnsafeDeserialization()` was called.
 */
export function inSafeMode(explicit?: boolean | null): boolean {
  if (explicit !== undefined && explicit !== null) return explicit;
  return !unsafeDeserializationEnabled;
}

/** The message of the error raised for code found in a config while in safe mode. */
export function unsafeCodeMessage(what: string): string {
  return (
    `Requested the deserialization of ${what}, which is stored as code. This carries a potential risk of ` +
    "arbitrary code execution and thus it is disallowed by default. If you trust the source of the file, you can " +
    "allow it by passing `safeMode: false` to the loading function (e.g. `keras.saving.loadModel(path, { safeMode: false })`), " +
    "or by calling `keras.config.enableUnsafeDeserialization()`."
  );
}
