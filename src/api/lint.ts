/**
 * Lint orchestration shared by the CLI and the programmatic API: paths -> migration sets -> findings.
 * Each directory is its own migration history (the schema context does not carry from one directory to
 * another); loose files and stdin, given together, form one set linted in the order given.
 */
import { stat } from "node:fs/promises";
import { isAbsolute, resolve } from "node:path";
import {
  contractFinding,
  type Finding,
  type LintOptions,
  type LintResult,
  lintMigrations,
  lintResultOf,
  type SeverityCounts,
  severityCounts,
} from "../analysis/lint.js";
import { SEVERITIES } from "../analysis/rule.js";
import { DEFAULTS, type Runner } from "../config/index.js";
import { UsageError } from "../errors.js";
import { discoverMigrations } from "../migrations/discover.js";
import { changedFiles, realPath } from "../migrations/git-changes.js";
import { cannotRead, displayFile } from "../migrations/listing.js";
import {
  type DiscoveryNotice,
  type LayoutName,
  type Migration,
  sqlMigrations,
} from "../migrations/migration.js";
import { readAllStdin, readMigrationFile, readMigrationPath, STDIN_PATH } from "../migrations/read-file.js";
import { refuseUnread } from "../migrations/unread.js";
import { loadStatsFile } from "../plan/stats-file.js";
import { initParser } from "../sql/parse.js";
import type { SourceText } from "../sql/source.js";
import { runnerLintOptions } from "../steps/resolution.js";
import { type LintStats, withStats } from "./stats-lint.js";

/** The path shown for standard input. */

export interface LintSourcesOptions extends LintOptions {
  /** Read directories as this layout instead of detecting it (lone files: read as this layout). */
  layout?: LayoutName;
  /** Relative paths start here; default `process.cwd()`. */
  cwd?: string;
  /** Text for the path `-`; default: all of the process's standard input. */
  readStdin?: () => Promise<string>;
  /** A directory without migrations, or a file that is not read, is a `UsageError` instead of a notice. */
  strict?: boolean;
  /**
   * Report only the files git says were added, modified or renamed since the merge base of this ref and
   * HEAD, or are not committed yet (docs/cli.md); every file is still linted, for the schema context.
   */
  changedSince?: string;
  /**
   * Who runs the migrations (default `other`): with `safemigrate`, a finding its safe rewrite resolves is
   * `info` and `missing-lock-timeout` is off.
   */
  runner?: Runner;
  /**
   * A stats file (`safemigrate stats`): rules for its server's version and partitioned tables, lock and
   * rewrite findings on small tables as `info`, the others with an estimated duration (docs/stats.md).
   */
  statsFile?: string;
  /** A stats file generated longer ago than this (ms) is refused (default 7 days). */
  statsMaxAge?: number;
  /** With a stats file: relations with fewer rows than this are small (default 1000). */
  smallTableRows?: number;
}

export interface LintSummary extends SeverityCounts {
  files: number;
  statements: number;
  /** Statements whose effects the model does not prove, and EXECUTEs of SQL built at run time. */
  unmodelled: number;
}

export interface LintRun {
  /** One result per migration set, in the order the paths were given. */
  sets: LintResult[];
  findings: Finding[];
  summary: LintSummary;
  /** The text of every linted file by the path its findings show, for code frames. */
  sources: Map<string, SourceText>;
  /** What discovery did not read or cannot analyse (warnings, not findings: no rule, line or column). */
  notices: DiscoveryNotice[];
}

/** The lint JSON contract, version 1. */
export interface LintReport {
  version: 1;
  findings: Finding[];
  summary: LintSummary;
  notices: DiscoveryNotice[];
}

/** A path given relative to `cwd`, as the user would like to see it (relative to the process's directory). */
function locate(path: string, cwd: string): string {
  return isAbsolute(path) || cwd === process.cwd() ? path : displayFile(resolve(cwd, path));
}

/**
 * The migration sets named by `paths`, in the order given, and what their directories hold that is not read.
 * Goose Go migrations are left out of the sets (there is no SQL to lint): their notices name them.
 */
async function collectMigrationSets(
  paths: string[],
  options: Omit<LintSourcesOptions, keyof LintOptions> = {},
): Promise<{ sets: Migration[][]; notices: DiscoveryNotice[] }> {
  const cwd = options.cwd ?? process.cwd();
  const sets: Migration[][] = [];
  const notices: DiscoveryNotice[] = [];
  let loose: Migration[] | null = null;
  let stdinUsed = false;
  for (const given of paths) {
    let migration: Migration;
    if (given === "-") {
      if (stdinUsed) throw new UsageError("'-' (standard input) given more than once");
      stdinUsed = true;
      const text = await (options.readStdin ?? readAllStdin)();
      migration = readMigrationFile(STDIN_PATH, text, options.layout ? { layout: options.layout } : {});
    } else {
      const path = locate(given, cwd);
      const info = await stat(path).catch((error: unknown) => {
        throw cannotRead(given, error);
      });
      if (info.isDirectory()) {
        const set = await discoverMigrations(path, options.layout ? { layout: options.layout } : {});
        sets.push(sqlMigrations(set.migrations));
        notices.push(...set.notices);
        continue;
      }
      migration = await readMigrationPath(path, options.layout ? { layout: options.layout } : {});
    }
    if (!loose) {
      loose = [];
      sets.push(loose);
    }
    loose.push(migration);
  }
  if (options.strict) refuseUnread(notices);
  return { sets, notices };
}

/** Merges the results of the sets (findings stay in set, then file, then position order). */
function mergeResults(results: LintResult[], notices: DiscoveryNotice[]): LintRun {
  const summary: LintSummary = { files: 0, statements: 0, unmodelled: 0, ...severityCounts([]) };
  const sources = new Map<string, SourceText>();
  const findings: Finding[] = [];
  for (const result of results) {
    summary.files += result.summary.files;
    summary.statements += result.summary.statements;
    for (const s of SEVERITIES) summary[`${s}s`] += result.summary[`${s}s`];
    summary.unmodelled += result.summary.unmodelled;
    for (const file of result.files) sources.set(file.file.migration.file.path, file.source);
    for (const finding of result.findings) findings.push(finding);
  }
  return { sets: results, findings, summary, sources, notices };
}

/** Reads and lints `paths` (files, directories, `-` for stdin). Input problems throw `UsageError`s. */
export async function lintSources(paths: string[], options: LintSourcesOptions): Promise<LintRun> {
  if (paths.length === 0) throw new UsageError("no paths to lint");
  await initParser();
  const { sets, notices } = await collectMigrationSets(paths, options);
  const stats = await lintStats(options);
  const given: LintOptions = { pgVersion: stats?.stats.major ?? options.pgVersion };
  if (options.rules) given.rules = options.rules;
  if (stats) given.partitions = stats.stats.partitionedTables;
  const lintOptions = options.runner === "safemigrate" ? runnerLintOptions(given, true) : given;
  const linted = sets.map((migrations) => lintMigrations(migrations, lintOptions));
  const results = stats ? linted.map((r) => lintResultOf(r.files.map((f) => withStats(f, stats)))) : linted;
  if (options.changedSince === undefined) return mergeResults(results, notices);
  const changed = await changedFiles(options.changedSince, options.cwd ?? process.cwd());
  // Paths are shown relative to the process's directory (see `locate`); standard input is always new.
  const isChanged = (path: string) => path === STDIN_PATH || changed.has(realPath(path, process.cwd()));
  return mergeResults(
    results.map((result) => lintResultOf(result.files.filter((f) => isChanged(f.file.migration.file.path)))),
    notices.filter((n) => n.kind === "no-migrations" || isChanged(n.file)),
  );
}

/** The stats file of the options, read and checked; null without one. */
async function lintStats(options: LintSourcesOptions): Promise<LintStats | null> {
  if (options.statsFile === undefined) return null;
  const file = locate(options.statsFile, options.cwd ?? process.cwd());
  return {
    file,
    stats: await loadStatsFile(file, { maxAgeMs: options.statsMaxAge ?? DEFAULTS.statsMaxAge }),
    smallTableRows: options.smallTableRows ?? DEFAULTS.smallTableRows,
  };
}

export function lintReport(run: Pick<LintRun, "findings" | "summary" | "notices">): LintReport {
  const { files, statements, errors, warnings, unmodelled, infos, notes } = run.summary;
  return {
    version: 1,
    findings: run.findings.map(contractFinding),
    // The version 1 fields in their order, then the counts added since.
    summary: { files, statements, errors, warnings, unmodelled, infos, notes },
    notices: run.notices,
  };
}
