/** `safemigrate lint [paths...]`: static analysis of migration files, directories or stdin. */
import type { Command } from "commander";
import { lintSources } from "../../api/lint.js";
import type { ConfigKey } from "../../config/index.js";
import { UsageError } from "../../errors.js";
import { addExamples } from "../examples.js";
import { type CliIO, colorEnabled, palette } from "../io.js";
import { addConfigOptions, commandConfig } from "../options.js";
import { REPORTERS } from "../reporters/index.js";

const KEYS: ConfigKey[] = [
  "format",
  "pgVersion",
  "layout",
  "maxWarnings",
  "rules",
  "strict",
  "runner",
  "statsFile",
  "statsMaxAge",
  "smallTableRows",
];

export function register(program: Command, io: CliIO): void {
  const command = program
    .command("lint")
    .description("check migration SQL for locking, rewriting and compatibility hazards")
    .argument("[paths...]", "migration files, directories (layout detected) or - for stdin")
    .option(
      "--changed-since <ref>",
      "report only migrations git says were added, modified or renamed since the merge base of <ref> and HEAD, or are not committed (the others still give the schema)",
    );
  addExamples(command, [
    ["safemigrate lint db/migrations", "lint a migration directory (its layout is detected)"],
    [
      "safemigrate lint db/migrations --changed-since origin/main --format github",
      "in CI: only what the branch changes, as GitHub annotations",
    ],
    [
      "safemigrate lint 001_create.sql 002_index.sql --pg-version 16",
      "two files as one history, for Postgres 16",
    ],
    ["safemigrate lint - < migration.sql", "standard input"],
    [
      "safemigrate lint db/migrations --stats-file safemigrate-stats.json",
      "with production's sizes (safemigrate stats): durations, small tables as info",
    ],
    [
      "safemigrate lint --rule prefer-text=off --max-warnings 0",
      "migrationsDir from the config file; fail on any warning",
    ],
  ]);
  addConfigOptions(command, KEYS).action(async (paths: string[]) => {
    const config = commandConfig(command, io, KEYS);
    const { changedSince } = command.opts() as { changedSince?: string };
    const targets = paths.length > 0 ? paths : config.migrationsDir ? [config.migrationsDir] : [];
    if (targets.length === 0) {
      throw new UsageError("lint: no paths given (pass files, directories or -, or set migrationsDir)");
    }
    const run = await lintSources(targets, {
      pgVersion: config.pgVersion,
      rules: config.rules,
      cwd: io.cwd,
      readStdin: io.readStdin,
      strict: config.strict,
      runner: config.runner,
      ...(config.statsFile !== undefined ? { statsFile: config.statsFile } : {}),
      statsMaxAge: config.statsMaxAge,
      smallTableRows: config.smallTableRows,
      ...(changedSince !== undefined ? { changedSince } : {}),
      ...(config.layout ? { layout: config.layout } : {}),
    });
    const paint = palette(config.format === "text" && colorEnabled(io));
    io.stdout(REPORTERS[config.format]({ run, paint, rules: config.rules }));
    const { errors, warnings } = run.summary;
    const tooManyWarnings = config.maxWarnings !== undefined && warnings > config.maxWarnings;
    if (tooManyWarnings) {
      io.stderr(`safemigrate: ${warnings} warnings, more than --max-warnings ${config.maxWarnings}\n`);
    }
    io.exitCode = errors > 0 || tooManyWarnings ? 1 : 0;
  });
}
