/**
 * Where Keras's messages go (Keras's `utils/io_utils.py`): with interactive
 * logging on (the default) progress bars, summaries and callback messages
 * are written to stdout; with it off they are handed, one message at a
 * time, to a logging function (Keras sends them to `absl.logging.info`).
 * Also the traceback-filtering flag of `keras.config`.
 */

let interactiveLogging = true;

/** Writes a message to stderr as one log line (the default logging function). */
function defaultLogger(message: string): void {
  const proc = (globalThis as { process?: { stderr?: { write?: (s: string) => unknown } } }).process;
  if (proc?.stderr?.write) proc.stderr.write(message.endsWith("\n") ? message : `${message}\n`);
  else console.info(message);
}

let logger: (message: string) => void = defaultLogger;

/**
 * Turns on interactive logging (the default): Keras writes progress bars,
 * summaries and messages to stdout, the best choice in a shell or notebook.
 */
export function enableInteractiveLogging(): void {
  interactiveLogging = true;
}

/**
 * Turns off interactive logging: every message goes to the logging function
 * instead of stdout (one call per message; see {@link setLoggingFunction}),
 * the best choice for jobs on a server. Progress bars then never redraw in
 * place.
 */
export function disableInteractiveLogging(): void {
  interactiveLogging = false;
}

/** Whether interactive logging is on (see {@link enableInteractiveLogging}). */
export function isInteractiveLoggingEnabled(): boolean {
  return interactiveLogging;
}

/**
 * Sets where messages go while interactive logging is off (tskeras's
 * stand-in for configuring absl logging). `null` restores the default,
 * which writes each message as a line to stderr.
 */
export function setLoggingFunction(fn: ((message: string) => void) | null): void {
  logger = fn ?? defaultLogger;
}

/** Sends a message to the logging function (used when interactive logging is off). */
export function logMessage(message: string): void {
  logger(message);
}

function stdoutWrite(text: string): void {
  const proc = (globalThis as { process?: { stdout?: { write?: (s: string) => unknown } } }).process;
  if (proc?.stdout?.write) proc.stdout.write(text);
  else console.log(text.replace(/\n$/, ""));
}

/**
 * Keras's `print_msg`: writes `message` (plus a newline unless `lineBreak`
 * is false) with `write` (default stdout) while interactive logging is on,
 * else hands the message alone to the logging function.
 */
export function printMsg(message: string, lineBreak = true, write: (text: string) => void = stdoutWrite): void {
  if (interactiveLogging) write(lineBreak ? `${message}\n` : message);
  else logger(message.replace(/\n$/, ""));
}

let tracebackFiltering = true;

/**
 * Turns on traceback filtering (the default). In Keras this hides Keras's
 * internal frames from the stack traces of the errors it raises. tskeras
 * stores the flag for code that reads it; its errors already name the
 * layer and what to do, and JavaScript stack traces are left as they are.
 */
export function enableTracebackFiltering(): void {
  tracebackFiltering = true;
}

/** Turns off traceback filtering (see {@link enableTracebackFiltering}). */
export function disableTracebackFiltering(): void {
  tracebackFiltering = false;
}

/** Whether traceback filtering is on (see {@link enableTracebackFiltering}). */
export function isTracebackFilteringEnabled(): boolean {
  return tracebackFiltering;
}
