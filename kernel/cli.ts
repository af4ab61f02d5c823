/**
 * The `tskeras` command line: `npx tskeras <command>`.
 */
import { version } from "../lib/version.js";

const HELP = `Usage: tskeras <command>

Commands:
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
    default:
      process.stderr.write(`tskeras: unknown command '${command}'.\n\n${HELP}`);
      return 2;
  }
}
