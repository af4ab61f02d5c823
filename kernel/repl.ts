/**
 * `tskeras repl`: the kernel's evaluator in a terminal. Multi-line input is
 * decided by is_complete; `keras` is preloaded; displays print as text.
 */
import { createInterface, type Interface } from "node:readline";
import { Evaluator, type EvaluatorHost } from "./evaluator/evaluator.js";
import { bundleText } from "./display.js";

/** Options of the REPL. */
export interface ReplOptions {
  /** Type-check each input before running it (default true). */
  typeCheck?: boolean;
  /** Input stream (default stdin). */
  input?: NodeJS.ReadableStream;
  /** Output stream (default stdout). */
  output?: NodeJS.WritableStream;
}

/** Runs the REPL until end of input; resolves with the exit code. */
export async function runRepl(options: ReplOptions = {}): Promise<number> {
  const input = options.input ?? process.stdin;
  const output = options.output ?? process.stdout;
  const terminal = (output as { isTTY?: boolean }).isTTY === true;
  let rl: Interface;
  const print = (s: string): void => {
    output.write(s.endsWith("\n") ? s : s + "\n");
  };
  const host: EvaluatorHost = {
    display(bundle) {
      print(bundleText(bundle));
    },
    clearOutput() {
      if (terminal) output.write("\x1b[2J\x1b[H");
    },
    input(prompt) {
      return new Promise((resolve) => rl.question(prompt, resolve));
    },
  };
  const evaluator = new Evaluator(host, { typeCheck: options.typeCheck ?? process.env.TSKERAS_TYPECHECK !== "0" });
  process.on("SIGINT", () => evaluator.interrupt());
  const keras = evaluator.loadKeras().catch((e: unknown) => {
    print(`(tskeras did not load: ${(e as Error).message})`);
  });

  rl = createInterface({ input, output, terminal, prompt: "ts> " });
  print(`tskeras REPL: TypeScript cells, \`keras\` preloaded. Ctrl+D exits, Ctrl+C interrupts.`);
  let buffer = "";
  let count = 0;
  let busy = false;
  const queue: string[] = [];
  let closed = false;
  let done: () => void = () => undefined;
  const finished = new Promise<void>((r) => (done = r));

  const runCell = async (code: string): Promise<void> => {
    await keras;
    count++;
    const outcome = await evaluator.execute(code, count);
    if (outcome.status === "ok") {
      if (outcome.result) print(bundleText(outcome.result));
    } else {
      print(outcome.traceback.join("\n"));
    }
  };

  const pump = async (): Promise<void> => {
    if (busy) return;
    busy = true;
    while (queue.length) {
      const line = queue.shift()!;
      buffer = buffer ? buffer + "\n" + line : line;
      const verdict = evaluator.isComplete(buffer);
      if (verdict.status === "incomplete") {
        rl.setPrompt("... ");
        continue;
      }
      const code = buffer;
      buffer = "";
      rl.setPrompt("ts> ");
      if (code.trim()) await runCell(code);
    }
    busy = false;
    if (closed) done();
    else rl.prompt();
  };

  rl.on("line", (line) => {
    queue.push(line);
    void pump();
  });
  rl.on("SIGINT", () => {
    if (buffer) {
      buffer = "";
      output.write("\n");
      rl.setPrompt("ts> ");
      rl.prompt();
    } else {
      output.write("\n(To exit, press Ctrl+D)\n");
      rl.prompt();
    }
  });
  rl.on("close", () => {
    closed = true;
    if (!busy) done();
  });
  rl.prompt();
  await finished;
  return 0;
}
