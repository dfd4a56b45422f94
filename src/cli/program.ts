/** The commander program: one module per command, registered from the list below. */
import { Command } from "commander";
import * as baseline from "./commands/baseline.js";
import * as contract from "./commands/contract.js";
import * as explain from "./commands/explain.js";
import * as lint from "./commands/lint.js";
import * as plan from "./commands/plan.js";
import * as rules from "./commands/rules.js";
import * as status from "./commands/status.js";
import * as up from "./commands/up.js";
import type { CliIO } from "./io.js";
import { packageVersion } from "./package.js";

interface CommandModule {
  register(program: Command, io: CliIO): void;
}

/** Every command; a new command is a new file in commands/ plus one entry here. */
export const COMMANDS: CommandModule[] = [lint, plan, rules, explain, up, contract, status, baseline];

/**
 * Commander never prints errors or exits on its own here: `main` turns its errors into one line and an
 * exit code. Help and version output go through `io`.
 */
export function createProgram(io: CliIO, writeErr: (text: string) => void): Command {
  const program = new Command("safemigrate")
    .description(
      "Zero-downtime Postgres migrations: lint, plan and run schema changes without stalling traffic",
    )
    .version(packageVersion(), "-V, --version")
    .showSuggestionAfterError(true)
    .configureOutput({ writeOut: io.stdout, writeErr, outputError: () => {} })
    .exitOverride();
  for (const command of COMMANDS) command.register(program, io);
  for (const command of program.commands) {
    command.exitOverride().configureOutput({ writeOut: io.stdout, writeErr, outputError: () => {} });
  }
  return program;
}
