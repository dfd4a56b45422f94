/** The commander program: one module per command, registered from the list below. */
import { Command } from "commander";
import { addExamples } from "./examples.js";
import type { CliIO } from "./io.js";
import { packageVersion } from "./package.js";

interface CommandModule {
  register(program: Command, io: CliIO): void;
}

/**
 * Every command, by name; a new command is a new file in commands/ plus one entry here. Modules load only
 * when their command runs, so that `lint` does not pay for loading the database driver or the embedded
 * Postgres of the runner commands (a third of lint's start-up time).
 */
const COMMANDS: Record<string, () => Promise<CommandModule>> = {
  init: () => import("./commands/init.js"),
  lint: () => import("./commands/lint.js"),
  plan: () => import("./commands/plan.js"),
  rules: () => import("./commands/rules.js"),
  explain: () => import("./commands/explain.js"),
  up: () => import("./commands/up.js"),
  contract: () => import("./commands/contract.js"),
  status: () => import("./commands/status.js"),
  baseline: () => import("./commands/baseline.js"),
  new: () => import("./commands/new.js"),
  rollback: () => import("./commands/rollback.js"),
  stats: () => import("./commands/stats.js"),
};

/**
 * The commands `args` (the user's arguments) can run: the named one, or all of them for the program's own
 * help, `help` without a command, and unknown commands (whose error suggests the closest name).
 */
function needed(args: string[]): string[] {
  const at = args.findIndex((a) => !a.startsWith("-"));
  const first = args[at];
  const name = first === "help" ? args[at + 1] : first;
  return name !== undefined && Object.hasOwn(COMMANDS, name) ? [name] : Object.keys(COMMANDS);
}

/**
 * Commander never prints errors or exits on its own here: `main` turns its errors into one line and an
 * exit code. Help and version output go through `io`.
 */
export async function createProgram(
  io: CliIO,
  writeErr: (text: string) => void,
  args: string[],
): Promise<Command> {
  const program = new Command("safemigrate")
    .description(
      "Zero-downtime Postgres migrations: lint, plan and run schema changes without stalling traffic",
    )
    .version(packageVersion(), "-V, --version")
    .showSuggestionAfterError(true)
    .configureOutput({ writeOut: io.stdout, writeErr, outputError: () => {} })
    .exitOverride();
  addExamples(program, [
    ["safemigrate init", "write a config file for the project's migrations, print CI set-ups"],
    ["safemigrate lint db/migrations", "check the migrations for locking and compatibility hazards"],
    ["safemigrate plan db/migrations", "what each migration will do: steps, locks, rewrites"],
    ['safemigrate up db/migrations --database-url "$DATABASE_URL"', "run the pending expand phases"],
    ["safemigrate lint --help", "a command's options and examples"],
  ]);
  const names = needed(args);
  const modules = await Promise.all(names.map((name) => (COMMANDS[name] as () => Promise<CommandModule>)()));
  for (const module of modules) module.register(program, io);
  for (const command of program.commands) {
    command.exitOverride().configureOutput({ writeOut: io.stdout, writeErr, outputError: () => {} });
  }
  return program;
}
