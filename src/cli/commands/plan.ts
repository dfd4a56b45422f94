/**
 * `safemigrate plan [dir]`: what each pending migration will do, step by step, traced on an embedded
 * Postgres (or --shadow-url), with live context when a database is given. Exit 1 when a statement fails
 * on the shadow (up would fail there too), else 0: lint findings are lint's exit code, not plan's.
 */
import type { Command } from "commander";
import { severityCounts } from "../../analysis/lint.js";
import type { LintRun } from "../../api/lint.js";
import { type ConfigKey, parseDuration } from "../../config/index.js";
import { validateValue } from "../../config/schema.js";
import { UsageError } from "../../errors.js";
import { plan } from "../../plan/plan.js";
import { planFails, planReport } from "../../plan/report.js";
import { addExamples } from "../examples.js";
import { type CliIO, colorEnabled, palette } from "../io.js";
import { addConfigOptions, commandConfig, migrationsDir } from "../options.js";
import { REPORTERS } from "../reporters/index.js";
import { planPaint, renderPlanText } from "../reporters/plan-text.js";

const KEYS: ConfigKey[] = [
  "format",
  "pgVersion",
  "layout",
  "migrationsDir",
  "rules",
  "databaseUrl",
  "historySchema",
  "strict",
  "statsFile",
  "statsMaxAge",
  "searchPath",
];

interface PlanFlags {
  rewrite: boolean;
  rollback?: boolean;
  to?: string;
  shadow: boolean;
  shadowUrl?: string;
  oldTransaction: string;
}

export function register(program: Command, io: CliIO): void {
  const command = program
    .command("plan")
    .description(
      "show what each pending migration will do: steps, locks, rewrites (traced on an embedded Postgres)",
    )
    .argument("[dir]", "migration directory (layout detected), one migration file, or - for stdin")
    .option("--no-rewrite", "show the SQL as written, without the safe rewrites")
    .option("--shadow-url <url>", "trace on this empty, disposable database instead of the embedded one")
    .option("--no-shadow", "do not trace: show the static model only")
    .option("--rollback", "plan what rollback would run: the down parts, newest first")
    .option("--to <version>", "with --rollback: undo every applied migration after this one")
    .option(
      "--old-transaction <duration>",
      "with a database: list transactions open longer than this",
      "1min",
    );
  addExamples(command, [
    [
      "safemigrate plan db/migrations",
      "steps, locks and rewrites of each migration, traced on an embedded Postgres",
    ],
    [
      'safemigrate plan db/migrations --database-url "$DATABASE_URL" --format json',
      "only what is pending on that database, with its table sizes and long transactions, as JSON",
    ],
    [
      "safemigrate plan db/migrations --stats-file safemigrate-stats.json",
      "in CI without a database: production's sizes and history from safemigrate stats",
    ],
    ["safemigrate plan db/migrations --no-rewrite", "the SQL as written, without the safe rewrites"],
    [
      'safemigrate plan --rollback --to 20240115093000 --database-url "$DATABASE_URL"',
      "what rollback would run to get back to a version",
    ],
  ]);
  addConfigOptions(command, KEYS).action(async (dir: string | undefined) => {
    const config = commandConfig(command, io, KEYS);
    const flags = command.opts() as PlanFlags;
    if (flags.to !== undefined && !flags.rollback) throw new UsageError("--to: only with --rollback");
    const shadowUrl =
      flags.shadowUrl === undefined
        ? undefined
        : (validateValue("databaseUrl", flags.shadowUrl, "--shadow-url") as string);
    const result = await plan({
      path: migrationsDir(dir, config, "plan"),
      readStdin: io.readStdin,
      ...(config.layout ? { layout: config.layout } : {}),
      rewrite: flags.rewrite,
      pgVersion: config.pgVersion,
      rules: config.rules,
      ...(config.databaseUrl ? { databaseUrl: config.databaseUrl } : {}),
      historySchema: config.historySchema,
      ...(config.statsFile !== undefined ? { statsFile: config.statsFile } : {}),
      statsMaxAge: config.statsMaxAge,
      ...(shadowUrl ? { shadowUrl } : {}),
      trace: flags.shadow,
      strict: config.strict,
      ...(config.searchPath ? { searchPath: config.searchPath } : {}),
      ...(flags.rollback ? { rollback: true } : {}),
      ...(flags.to !== undefined ? { to: flags.to } : {}),
      oldTransactionMs: parseDuration(flags.oldTransaction, "--old-transaction"),
      env: io.env,
    });
    const rendering = performance.now();
    const enabled = config.format === "text" && colorEnabled(io);
    const paint = planPaint(palette(enabled), enabled);
    let output: string;
    if (config.format === "text") output = renderPlanText(result, paint);
    else if (config.format === "json") output = `${JSON.stringify(planReport(result))}\n`;
    else output = REPORTERS[config.format]({ run: findingsRun(result), paint, rules: config.rules });
    io.stdout(output);
    result.timings.render = performance.now() - rendering;
    if (io.env.SAFEMIGRATE_TIMINGS) {
      // For scripts/bench-plan.mjs: the split of the wall time, and the CPU time spent (all threads).
      const t = result.timings;
      const cpu = process.cpuUsage();
      const parts = [`start ${t.start}`, `replay ${t.replay}`, `trace ${t.trace}`, `render ${t.render}`];
      parts.push(`cpu ${(cpu.user + cpu.system) / 1000}`);
      io.stderr(`safemigrate timings: ${parts.map((p) => `${p.replace(/\.\d+$/, "")} ms`).join(", ")}\n`);
    }
    io.exitCode = planFails(result) ? 1 : 0;
  });
}

/** The plan's findings (lint and shadow failures) for the annotation formats shared with lint. */
function findingsRun(result: Awaited<ReturnType<typeof plan>>): LintRun {
  const findings = result.migrations.flatMap((m) => m.findings);
  return {
    sets: [],
    findings,
    sources: new Map(),
    notices: result.notices,
    summary: {
      files: new Set(result.migrations.map((m) => m.file)).size,
      statements: result.migrations.reduce((n, m) => n + m.steps.length, 0),
      ...severityCounts(findings),
      unmodelled: result.migrations.reduce((n, m) => n + m.unmodelled, 0),
    },
  };
}
