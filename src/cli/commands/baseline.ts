/** `safemigrate baseline [dir] --to VERSION`: record existing migrations as applied without running them. */
import type { Command } from "commander";
import type { ConfigKey } from "../../config/index.js";
import { baselineMigrations } from "../../run/baseline.js";
import { trapSignals } from "../../run/signals.js";
import { addExamples } from "../examples.js";
import type { CliIO } from "../io.js";
import { addConfigOptions, commandConfig, migrationsDir } from "../options.js";
import { createRunReporter } from "../reporters/run-progress.js";
import { databaseUrl, reportFailure } from "../run-command.js";

const KEYS: ConfigKey[] = ["databaseUrl", "historySchema", "layout", "migrationsDir", "wait"];

export function register(program: Command, io: CliIO): void {
  const command = program
    .command("baseline")
    .description("record migrations up to a version as applied, without running them")
    .argument("[dir]", "migration directory (layout detected)")
    .requiredOption("--to <version>", "the last migration already applied to this database");
  addExamples(command, [
    [
      'safemigrate baseline db/migrations --to 20240115093000 --database-url "$DATABASE_URL"',
      "adopt a database whose migrations another tool applied, up to this version",
    ],
  ]);
  addConfigOptions(command, KEYS).action(async (dir: string | undefined) => {
    const config = commandConfig(command, io, KEYS);
    const { to } = command.opts() as { to: string };
    const trap = trapSignals();
    const report = createRunReporter(io, "text", {
      red: String,
      yellow: String,
      cyan: String,
      bold: String,
      dim: String,
    });
    try {
      const result = await baselineMigrations({
        dir: migrationsDir(dir, config, "baseline"),
        ...(config.layout ? { layout: config.layout } : {}),
        to,
        databaseUrl: databaseUrl(config),
        historySchema: config.historySchema,
        waitMs: config.wait,
        report,
        signal: trap.signal,
        interruption: trap.received,
      });
      const already = result.skipped.length > 0 ? ` (${result.skipped.length} already recorded)` : "";
      io.stdout(
        `baseline: recorded ${result.recorded.length} migration(s) up to ${to} as applied${already}\n`,
      );
      io.exitCode = 0;
    } catch (error) {
      io.exitCode = reportFailure(error, report);
    } finally {
      trap.dispose();
    }
  });
}
