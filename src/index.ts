/**
 * The programmatic API (docs/api.md): `lint` and `plan` return the JSON contracts of `--format json`; `up`,
 * `contract`, `rollback`, `status` and `baseline` run against a database, their progress as the runner's
 * events (the `--log-format json` lines) to an `onEvent` callback; `stats` returns the stats file. Bad
 * input throws a `UsageError`.
 */

import type { RuleSetting } from "./analysis/lint.js";
import { type LintReport, lintReport, lintSources } from "./api/lint.js";
import { loadConfig, type Runner } from "./config/index.js";
import { exportStats, type StatsFile } from "./db/stats.js";
import { UsageError } from "./errors.js";
import type { LayoutName } from "./migrations/migration.js";

export type { Finding, RuleSetting } from "./analysis/lint.js";
export type { Category, Rule, Severity } from "./analysis/rule.js";
export { RULES, ruleById } from "./analysis/rules/index.js";
export type { LintReport, LintSummary } from "./api/lint.js";
export {
  type Config,
  type ConfigKey,
  DEFAULTS,
  formatDuration,
  type LoadConfigOptions,
  loadConfig,
  parseDuration,
  type Runner,
  redact,
} from "./config/index.js";
export type { StatsFile, StatsHistory, StatsIndex, StatsMigration, StatsTable } from "./db/stats.js";
export { UsageError } from "./errors.js";
export type { DiscoveryNotice, LayoutName, Migration, MigrationSet } from "./migrations/migration.js";
export { type PlanApiOptions, plan } from "./plan/api.js";
export type { PlanReport, PlanSummary } from "./plan/report.js";
export {
  baseline,
  contract,
  type GateReason,
  type MigrationState,
  type RunApiOptions,
  type RunApiResult,
  type RunEvent,
  rollback,
  type StatusRow,
  type StepRef,
  status,
  up,
} from "./run/index.js";

export interface LintApiOptions {
  /** Postgres major version to lint for (default 14). */
  pgVersion?: number;
  /** Per-rule severity overrides; `off` disables a rule. Unknown rule ids throw a `UsageError`. */
  rules?: Record<string, RuleSetting>;
  /** Read directories as this layout instead of detecting it. */
  layout?: LayoutName;
  /** A directory without migrations, or a file in one that is not read, throws a `UsageError`. */
  strict?: boolean;
  /**
   * Who runs the migrations (default `other`): with `safemigrate`, a finding its safe rewrite resolves is
   * `info` and `missing-lock-timeout` is off.
   */
  runner?: Runner;
  /**
   * Report only the migrations git says were added, modified or renamed since the merge base of this ref
   * and HEAD, or are not committed yet; the others are still read for the schema context. Not a git
   * repository or an unknown ref throws a `UsageError`.
   */
  changedSince?: string;
  /**
   * A stats file (`safemigrate stats`): rules for its server's version, lock and rewrite findings on
   * tables with fewer rows than `smallTableRows` (default 1000) as `info`, the others with an estimated
   * duration. Older than `statsMaxAge` (ms or Postgres interval text, default 7 days), malformed or
   * missing: a `UsageError`.
   */
  statsFile?: string;
  statsMaxAge?: number | string;
  smallTableRows?: number;
  /** Relative paths (and a config file) are looked up here; default `process.cwd()`. */
  cwd?: string;
  /** The text linted for the path `-`. */
  stdin?: string;
  /**
   * Also apply a config file: `true` looks for safemigrate.config.json (or package.json) in `cwd`, a string
   * names the file. Default `false`: only the options given here count. The environment is never read.
   */
  configFile?: boolean | string;
}

/**
 * Lints migration files and directories (`-` reads `options.stdin`). Each directory is its own migration
 * history; loose files given together are one history, in the order given. Bad input (a missing path, an
 * unknown rule) throws a `UsageError`.
 */
export async function lint(paths: string[], options: LintApiOptions = {}): Promise<LintReport> {
  const cwd = options.cwd ?? process.cwd();
  const config = loadConfig({
    cwd,
    env: {},
    flags: {
      pgVersion: options.pgVersion,
      rules: options.rules,
      layout: options.layout,
      strict: options.strict,
      runner: options.runner,
      statsFile: options.statsFile,
      statsMaxAge: options.statsMaxAge,
      smallTableRows: options.smallTableRows,
    },
    configPath: options.configFile === true ? undefined : (options.configFile ?? false),
  });
  const run = await lintSources(paths, {
    pgVersion: config.pgVersion,
    rules: config.rules,
    cwd,
    readStdin: async () => options.stdin ?? "",
    strict: config.strict,
    runner: config.runner,
    ...(config.statsFile !== undefined ? { statsFile: config.statsFile } : {}),
    statsMaxAge: config.statsMaxAge,
    smallTableRows: config.smallTableRows,
    ...(options.changedSince !== undefined ? { changedSince: options.changedSince } : {}),
    ...(config.layout ? { layout: config.layout } : {}),
  });
  return lintReport(run);
}

/**
 * `safemigrate stats`: the database's table sizes, row estimates, indexes, partitions and history, read in
 * one READ ONLY transaction, as the stats file `plan` and `lint` take as `statsFile` (docs/stats.md). A URL
 * that cannot connect, or what the server refuses, throws a `UsageError`.
 */
export async function stats(options: { databaseUrl: string; historySchema?: string }): Promise<StatsFile> {
  const config = loadConfig({
    env: {},
    configPath: false,
    flags: { databaseUrl: options.databaseUrl, historySchema: options.historySchema },
  });
  if (!config.databaseUrl) throw new UsageError("stats: no databaseUrl given");
  return exportStats(config.databaseUrl, config.historySchema);
}
