/**
 * The `tskeras` command line: `npx tskeras <command>`.
 */
import { version } from "../lib/version.js";

const HELP = `Usage: tskeras <command>

Commands:
  install [--user | --sys-prefix | --prefix DIR] [--name NAME] [--display-name NAME]
              register the Jupyter kernelspec "TypeScript (Keras)"
  kernel CONNECTION_FILE [--no-typecheck]
              run the Jupyter kernel (what the kernelspec runs)
  run NOTEBOOK.ipynb [--output OUT.ipynb] [--timeout SECONDS]
              execute every code cell through the kernel and write the outputs
  repl [--no-typecheck]
              the same TypeScript evaluator in a terminal, keras preloaded
  info        print the tskeras version and the tfjs backend in use (and why)
  help        print this help
  --version   print the version
`;

async function info(): Promise<number> {
  const { backendChoice } = await import("../lib/backend/engine.js");
  const { tf } = await import("../lib/backend/tfjs.js");
  const choice = backendChoice();
  const lines = [
    `tskeras ${version}`,
    `node ${process.version}`,
    `tfjs-core ${tf.version_core}`,
    `backend ${choice.name}`,
    ...choice.skipped.map((s) => `  skipped ${s.name}: ${s.reason}`),
  ];
  process.stdout.write(lines.join("\n") + "\n");
  return 0;
}

/** Runs the command line with `argv` (without node and the script); returns the exit code. */
export async function runCli(argv: string[]): Promise<number> {
  const [command] = argv;
  switch (command) {
    case undefined:
    case "help":
    case "--help":
    case "-h":
      process.stdout.write(HELP);
      return 0;
    case "--version":
    case "-v":
      process.stdout.write(version + "\n");
      return 0;
    case "info":
      return info();
    case "install": {
      const { install, parseInstallArgs } = await import("./install.js");
      let dir: string;
      try {
        dir = install(parseInstallArgs(argv.slice(1)));
      } catch (e) {
        process.stderr.write(`tskeras install: ${(e as Error).message}\n`);
        return 2;
      }
      process.stdout.write(`Installed the kernelspec "TypeScript (Keras)" in ${dir}\n`);
      return 0;
    }
    case "kernel": {
      const file = argv.slice(1).find((a) => !a.startsWith("--"));
      if (!file) {
        process.stderr.write("Usage: tskeras kernel CONNECTION_FILE\n");
        return 2;
      }
      const { runKernel } = await import("./kernel.js");
      return runKernel(file, { typeCheck: argv.includes("--no-typecheck") ? false : undefined });
    }
    case "run": {
      const { runNotebookCli } = await import("./run-notebook.js");
      return runNotebookCli(argv.slice(1));
    }
    case "repl": {
      const { runRepl } = await import("./repl.js");
      return runRepl({ typeCheck: argv.includes("--no-typecheck") ? false : undefined });
    }
    default:
      process.stderr.write(`tskeras: unknown command '${command}'.\n\n${HELP}`);
      return 2;
  }
}
