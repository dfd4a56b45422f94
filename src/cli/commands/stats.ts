/**
 * `safemigrate stats`: exports the database's table sizes, row estimates and indexes, read-only, as the
 * stats file `plan --stats-file` and `lint --stats-file` read where there is no database (docs/stats.md).
 */
import { writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import type { Command } from "commander";
import type { ConfigKey } from "../../config/index.js";
import { exportStats } from "../../db/stats.js";
import { errorMessage, UsageError } from "../../errors.js";
import { addExamples } from "../examples.js";
import type { CliIO } from "../io.js";
import { addConfigOptions, commandConfig } from "../options.js";
import { databaseUrl } from "../run-command.js";

const KEYS: ConfigKey[] = ["databaseUrl", "historySchema"];

export function register(program: Command, io: CliIO): void {
  const command = program
    .command("stats")
    .description(
      "export table sizes, row estimates and indexes (read-only) for plan and lint --stats-file without a database",
    )
    .option("-o, --output <file>", "write the stats file here instead of standard output");
  addExamples(command, [
    [
      'safemigrate stats --database-url "$DATABASE_URL" -o safemigrate-stats.json',
      "export the sizes, read-only, for plan and lint --stats-file where there is no database",
    ],
    [
      "safemigrate stats --history-schema ops_migrations",
      "to standard output (DATABASE_URL from the environment), with the history kept in ops_migrations",
    ],
  ]);
  addConfigOptions(command, KEYS).action(async () => {
    const config = commandConfig(command, io, KEYS);
    const { output } = command.opts() as { output?: string };
    const stats = await exportStats(databaseUrl(config), config.historySchema);
    const text = `${JSON.stringify(stats, null, 2)}\n`;
    if (output === undefined) {
      io.stdout(text);
      return;
    }
    try {
      await writeFile(resolve(io.cwd, output), text);
    } catch (error) {
      throw new UsageError(`cannot write ${output}: ${errorMessage(error)}`);
    }
    const indexes = stats.tables.reduce((n, t) => n + t.indexes.length, 0);
    const summary = `${stats.tables.length} tables, ${indexes} indexes of database ${stats.database} (Postgres ${stats.serverVersion})`;
    io.stderr(`safemigrate: wrote ${output}: ${summary}\n`);
  });
}
