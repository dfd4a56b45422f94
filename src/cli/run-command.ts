/** What the runner commands share: `up`, `contract` and `rollback` options and action, the database URL, failures. */
import { type Command, Option } from "commander";
import type { Config, ConfigKey } from "../config/index.js";
import { UsageError } from "../errors.js";
import type { Reporter } from "../run/events.js";
import { failureOf } from "../run/outcome.js";
import { configuredRunSettings, type RunCommand, runMigrations } from "../run/runner.js";
import { trapSignals } from "../run/signals.js";
import { addExamples, type Example } from "./examples.js";
import { type CliIO, colorEnabled, palette } from "./io.js";
import { addConfigOptions, commandConfig, migrationsDir } from "./options.js";
import { createRunReporter, type LogFormat } from "./reporters/run-progress.js";

const RUN_KEYS: ConfigKey[] = [
  "databaseUrl",
  "historySchema",
  "layout",
  "migrationsDir",
  "lockTimeout",
  "statementTimeout",
  "maxRetries",
  "retryBaseDelay",
  "retryMaxDelay",
  "blockerWait",
  "wait",
  "smallTableRows",
  "rules",
  "strict",
  "searchPath",
];

/** The database a runner command works on: --database-url or DATABASE_URL; without one, a usage error. */
export function databaseUrl(config: Config): string {
  if (!config.databaseUrl) throw new UsageError("no database: pass --database-url or set DATABASE_URL");
  return config.databaseUrl;
}

export function registerRunCommand(
  program: Command,
  io: CliIO,
  name: RunCommand,
  description: string,
  examples: Example[],
): void {
  const command = program
    .command(name)
    .description(description)
    .argument("[dir]", "migration directory (layout detected)")
    .option(
      "--to <version>",
      name === "rollback"
        ? "undo every applied migration after this one (it stays)"
        : "stop after this migration",
    )
    .option("--no-rewrite", "run the SQL as written, without the safe rewrites")
    .option("--unsafe", "run despite error findings (bootstrapping an empty database)")
    .addOption(
      new Option("--log-format <format>", "output: text or json lines")
        .choices(["text", "json"])
        .default("text"),
    );
  addExamples(command, examples);
  addConfigOptions(command, RUN_KEYS).action(async (dir: string | undefined) => {
    const config = commandConfig(command, io, RUN_KEYS);
    const opts = command.opts() as { to?: string; rewrite: boolean; unsafe?: boolean; logFormat: LogFormat };
    const report = createRunReporter(
      io,
      opts.logFormat,
      palette(opts.logFormat === "text" && colorEnabled(io)),
    );
    const trap = trapSignals();
    try {
      const result = await runMigrations({
        command: name,
        dir: migrationsDir(dir, config, name),
        ...(config.layout ? { layout: config.layout } : {}),
        databaseUrl: databaseUrl(config),
        ...configuredRunSettings(config),
        rewrite: opts.rewrite,
        unsafe: opts.unsafe === true,
        ...(opts.to !== undefined ? { to: opts.to } : {}),
        report,
        signal: trap.signal,
        interruption: trap.received,
      });
      io.exitCode = result.blocked ? 1 : 0;
    } catch (error) {
      // The runner reported the failure and the run-done event; usage errors go to main (exit 2).
      const failure = failureOf(error);
      if (!failure) throw error;
      io.exitCode = failure.exitCode;
    } finally {
      trap.dispose();
    }
  });
}

/** The exit code of a run that ended early, after reporting it; usage errors go to main (exit 2). */
export function reportFailure(error: unknown, report: Reporter): number {
  const failure = failureOf(error);
  if (!failure) throw error;
  report(failure.event);
  return failure.exitCode;
}
