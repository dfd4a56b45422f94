/** Entry point: runs one command and turns every failure into one line on stderr and an exit code. */
import { type Command, CommanderError } from "commander";
import { redact } from "../config/index.js";
import { errorMessage, Refused, UsageError } from "../errors.js";
import { type CliIO, processIO } from "./io.js";
import { createProgram } from "./program.js";

/** Exit codes of the CLI contract. */
const EXIT = { ok: 0, findings: 1, failed: 1, usage: 2 } as const;

/** Commander's error texts start with `error: ` and may carry a suggestion on a second line. */
function oneLine(text: string): string {
  return text
    .replace(/^error: /, "")
    .split("\n")
    .map((s) => s.trim())
    .filter(Boolean)
    .join(" ");
}

/**
 * Commander's suggestion for a mistyped command or option, `unknown command 'lnt' (Did you mean lint?)`, in
 * the product's spelling: `unknown command 'lnt'; did you mean 'lint'?`.
 */
function suggestion(text: string): string {
  const match = /^(.*?) \(Did you mean (?:one of )?(.+)\?\)$/.exec(text);
  if (!match) return text;
  const names = (match[2] as string).split(", ").map((name) => `'${name}'`);
  return `${match[1]}; did you mean ${names.join(" or ")}?`;
}

function fail(io: CliIO, text: string, code: number = EXIT.usage): number {
  io.stderr(`safemigrate: ${redact(oneLine(text))}\n`);
  return code;
}

/**
 * `help <name>` where the name is no command is read as `<name>`, so that its error suggests the closest
 * command (commander would print the program's help instead).
 */
function helpOfUnknown(args: string[], program: Command): string[] {
  const at = args.findIndex((a) => !a.startsWith("-"));
  const name = args[at + 1];
  if (args[at] !== "help" || name === undefined || program.commands.some((c) => c.name() === name)) {
    return args;
  }
  return [...args.slice(0, at), ...args.slice(at + 1)];
}

/** `argv` as in `process.argv` (node, script, arguments...). Resolves to the exit code; never rejects. */
export async function main(argv: string[], overrides: Partial<CliIO> = {}): Promise<number> {
  const io = processIO(overrides);
  // Help that commander shows on an error (a missing command) is replaced by one line below.
  let helpOnError = "";
  const args = argv.slice(2);
  try {
    const program = await createProgram(
      io,
      (text) => {
        helpOnError += text;
      },
      args,
    );
    await program.parseAsync(helpOfUnknown(args, program), { from: "user" });
    io.stderr(helpOnError);
    return io.exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.exitCode === 0) return EXIT.ok; // --help, --version
      if (error.code === "commander.help") return fail(io, "missing command (see safemigrate --help)");
      return fail(io, suggestion(oneLine(error.message)));
    }
    if (error instanceof UsageError) return fail(io, error.message);
    if (error instanceof Refused) return fail(io, error.message, EXIT.failed);
    if (io.env.SAFEMIGRATE_DEBUG && error instanceof Error && error.stack) io.stderr(`${error.stack}\n`);
    return fail(io, `internal error: ${errorMessage(error)}`);
  }
}
