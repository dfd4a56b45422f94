/**
 * `plan`: pending migrations -> safe steps -> shadow trace -> findings (-> live context). The one
 * orchestration shared by the CLI and the programmatic API.
 */
import { stat } from "node:fs/promises";
import type { AnalyzedFile } from "../analysis/analyze.js";
import {
  type Finding,
  findingsOfPhase,
  lintMigrations,
  type RuleSetting,
  unmodelledCount,
} from "../analysis/lint.js";
import { DEFAULTS } from "../config/index.js";
import type { StatsFile } from "../db/stats.js";
import { UsageError } from "../errors.js";
import { discoverMigrations } from "../migrations/discover.js";
import { cannotRead } from "../migrations/listing.js";
import {
  type DiscoveryNotice,
  type LayoutName,
  type Migration,
  sqlMigrations,
} from "../migrations/migration.js";
import { readAllStdin, readMigrationFile, readMigrationPath, STDIN_PATH } from "../migrations/read-file.js";
import { refuseUnread } from "../migrations/unread.js";
import { extensionsIn } from "../shadow/extensions.js";
import type { Shadow } from "../shadow/shadow.js";
import { initParser } from "../sql/parse.js";
import { parseSearchPath, searchPathOfUrl, searchPathValue } from "../sql/search-path.js";
import { runnerLintOptions } from "../steps/resolution.js";
import type { Step } from "../steps/step.js";
import { type ShadowStarter, startEmbeddedShadow } from "../trace/worker-client.js";
import { workEstimate } from "./estimate.js";
import { withFailureSetting } from "./findings.js";
import type { LiveSession } from "./live.js";
import { unusedNoRewrites } from "./no-rewrite.js";
import type {
  LiveContext,
  PlannedMigration,
  PlannedStep,
  PlanResult,
  RelationSize,
  StatsContext,
} from "./result.js";
import { rollbackPhases } from "./rollback.js";
import { type PhaseWork, selectPhases } from "./select.js";
import { discardOpening, type Opening, runOnShadow, startOpening } from "./shadow-run.js";
import { loadStatsFile, statsInvalidIndexes, statsRecords, statsSizes } from "./stats-file.js";

export interface PlanOptions {
  /** A migration directory (layout detected), one migration file, or `-`: one migration read with `readStdin`. */
  path: string;
  /** The text of the migration `-` names (default: the process's standard input). */
  readStdin?: () => Promise<string>;
  layout?: LayoutName;
  /** Apply the safe rewrites (default true). */
  rewrite?: boolean;
  /** The Postgres major to apply the rules for when there is no database (default 14). */
  pgVersion?: number;
  rules?: Record<string, RuleSetting>;
  /** Live context: plan only what is pending there, with sizes and blocking sessions. */
  databaseUrl?: string;
  historySchema?: string;
  /**
   * A stats file (`safemigrate stats`): sizes for the estimates, the server version, the partitioned tables
   * and the history, in place of a live database (docs/stats.md). Not with `databaseUrl`.
   */
  statsFile?: string;
  /** A stats file generated longer ago than this (ms) is refused (default: DEFAULTS.statsMaxAge, 7 days). */
  statsMaxAge?: number;
  /** Trace on this disposable database instead of the embedded one. */
  shadowUrl?: string;
  /** Run the shadow trace at all (default true). */
  trace?: boolean;
  /** Live context lists transactions open longer than this (ms; default 60 s). */
  oldTransactionMs?: number;
  /** Opens the shadow instead of the default (tests reuse one embedded shadow). */
  openShadow?: (extensions: string[]) => Promise<Shadow>;
  env?: Record<string, string | undefined>;
  /** A directory without migrations, or a file that is not read, is a `UsageError` instead of a notice. */
  strict?: boolean;
  /** Plan what `rollback` would run instead of what `up` and `contract` would (docs/rollback.md). */
  rollback?: boolean;
  /** With `rollback`: undo every applied migration after this version. */
  to?: string;
  /** The shadow's search_path (else the one `databaseUrl` sets, else the default), as `up`'s sessions get it. */
  searchPath?: readonly string[];
}

/** The migrations to plan (goose Go migrations left out: no SQL) and the directory's notices. */
async function readMigrations(
  options: PlanOptions,
): Promise<{ migrations: Migration[]; notices: DiscoveryNotice[] }> {
  const { path, layout } = options;
  const reading = layout ? { layout } : {};
  if (path === "-") {
    const text = await (options.readStdin ?? readAllStdin)();
    return { migrations: [readMigrationFile(STDIN_PATH, text, reading)], notices: [] };
  }
  const info = await stat(path).catch((error: unknown) => {
    throw cannotRead(path, error);
  });
  if (!info.isDirectory()) return { migrations: [await readMigrationPath(path, reading)], notices: [] };
  const set = await discoverMigrations(path, reading);
  if (options.strict) refuseUnread(set.notices);
  return { migrations: sqlMigrations(set.migrations), notices: set.notices };
}

interface LoadedStats {
  file: string;
  stats: StatsFile;
}

/** The stats file of the options, read and checked; null without one. Refused together with a database. */
async function loadStats(options: PlanOptions): Promise<LoadedStats | null> {
  const file = options.statsFile;
  if (file === undefined) return null;
  if (options.databaseUrl) {
    throw new UsageError(
      "plan: a stats file and a database were both given: the sizes come from one (drop --stats-file or --database-url)",
    );
  }
  const maxAgeMs = options.statsMaxAge ?? DEFAULTS.statsMaxAge;
  return { file, stats: await loadStatsFile(file, { maxAgeMs }) };
}

/**
 * The search_path `up` would run the migrations with: the configured one, else the database URL's. A URL's
 * that does not parse is left to the server to refuse, as `up` would.
 */
function shadowSearchPath(options: PlanOptions): readonly string[] | null {
  if (options.searchPath) return options.searchPath;
  const fromUrl = options.databaseUrl ? searchPathOfUrl(options.databaseUrl) : null;
  if (fromUrl === null) return null;
  const parsed = parseSearchPath(fromUrl);
  return "schemas" in parsed ? parsed.schemas : null;
}

/** The shadow with its session's search_path set before anything replays or traces on it. */
async function withSearchPath(
  opening: Promise<Shadow>,
  searchPath: readonly string[] | null,
): Promise<Shadow> {
  const shadow = await opening;
  if (searchPath) {
    try {
      await shadow.exec(`SET search_path TO ${searchPathValue(searchPath)}`);
    } catch (error) {
      await shadow.close();
      throw error;
    }
  }
  return shadow;
}

/** How this plan gets its shadow; the embedded one starts booting right away. Null: no tracing. */
function shadowStarter(options: PlanOptions): ShadowStarter | null {
  if (options.trace === false) return null;
  const none = async () => {};
  if (options.openShadow) return { open: options.openShadow, discard: none };
  const { shadowUrl } = options;
  if (shadowUrl)
    return {
      // The database driver loads only when a database is given.
      open: async () => (await import("../shadow/server.js")).openServerShadow(shadowUrl),
      discard: none,
    };
  return startEmbeddedShadow(options.env);
}

export async function plan(options: PlanOptions): Promise<PlanResult> {
  const starter = shadowStarter(options);
  let opening: Opening | null = null;
  let migrations: Migration[];
  let notices: DiscoveryNotice[];
  try {
    [, { migrations, notices }] = await Promise.all([initParser(), readMigrations(options)]);
    // The shadow opens now (it needs the extensions) and boots while the migrations are analysed.
    if (starter) {
      const searchPath = shadowSearchPath(options);
      opening = startOpening(() => withSearchPath(starter.open(extensionsIn(migrations)), searchPath));
    }
  } catch (error) {
    await starter?.discard();
    throw error;
  }
  let live: LiveSession | null = null;
  try {
    const stats = await loadStats(options);
    if (options.databaseUrl) {
      const { openLive } = await import("./live.js");
      live = await openLive(options.databaseUrl, options.historySchema ?? "safemigrate");
    }
    const partitions = live?.partitions ?? stats?.stats.partitionedTables;
    const pgVersion = live?.major ?? stats?.stats.major ?? options.pgVersion ?? 14;
    // Plan shows what safemigrate runs: the findings its steps resolve are info.
    const lintOptions = runnerLintOptions(
      {
        pgVersion,
        ...(options.rules ? { rules: options.rules } : {}),
        ...(partitions ? { partitions } : {}),
      },
      options.rewrite ?? true,
    );
    const stepHashes =
      live?.stepHashes ?? (stats ? new Map(Object.entries(stats.stats.history.steps)) : null);
    const selectOptions = {
      rewrite: options.rewrite ?? true,
      pgVersion,
      records: live?.records ?? (stats ? statsRecords(stats.stats) : null),
      ...(stepHashes ? { stepHashes } : {}),
    };
    const selection = options.rollback
      ? await rollbackPhases(migrations, selectOptions, {
          ...lintOptions,
          ...(options.to !== undefined ? { to: options.to } : {}),
        })
      : selectPhases(lintMigrations(migrations, lintOptions).files, selectOptions);
    const analysed = performance.now();
    const handed = opening;
    opening = null;
    const run = await runOnShadow(selection, handed);
    const entries = selection.planned.map((work, index) => ({
      work,
      steps: run.steps[index] ?? [],
      failures: [
        ...unusedNoRewrites(work.file, work.phase, pgVersion, options.rules),
        ...withFailureSetting(run.failures[index] ?? [], options.rules),
      ],
    }));
    const result: PlanResult = {
      migrations: plannedMigrations(entries),
      shadow: run.shadow,
      live: null,
      stats: null,
      pgVersion,
      notices,
      timings: {
        start: Math.max(run.marks.ready, analysed),
        replay: run.marks.replayed - Math.max(run.marks.ready, analysed),
        trace: run.marks.traced - run.marks.replayed,
        render: 0,
      },
    };
    if (options.rollback) result.rollback = true;
    if (live) result.live = await liveContext(live, entries, options.oldTransactionMs ?? 60_000);
    if (stats) result.stats = statsContext(stats, entries);
    return result;
  } finally {
    if (opening) {
      // Failed before tracing: stop a booting embedded shadow at once rather than wait for it.
      await starter?.discard();
      await discardOpening(opening);
    }
    await live?.db.close();
  }
}

interface Entry {
  work: PhaseWork;
  steps: PlannedStep[];
  failures: Finding[];
}

/**
 * One entry per planned phase, with the lint findings of its own section (a phase that is not planned has
 * been applied: its findings are history).
 */
function plannedMigrations(entries: Entry[]): PlannedMigration[] {
  return entries.map(({ work, steps, failures }) => {
    const { migration } = work.file.file;
    const findings = findingsOfPhase(work.file, work.phase);
    return {
      version: migration.version,
      name: migration.name,
      file: migration.file.path,
      phase: work.phase,
      steps,
      findings: [...findings, ...failures.filter((f) => !alreadyReported(findings, f))].sort(
        (a, b) => a.line - b.line || a.column - b.column,
      ),
      unmodelled: unmodelledCount(work.file.file.statements.filter((s) => s.phase === work.phase)),
    };
  });
}

/** Lint reported the statement under the same rule (a rejection it knows from the target version). */
function alreadyReported(findings: Finding[], failure: Finding): boolean {
  return findings.some(
    (f) => f.rule === failure.rule && f.line <= failure.line && failure.line <= (f.endLine ?? f.line),
  );
}

/** The statements of the file a step comes from (by their start offset). */
function sourceStatements(file: AnalyzedFile, step: Step) {
  const starts = new Set((step.origins ?? []).map((o) => o.start));
  return file.statements.filter((s) => starts.has(s.sql.start));
}

/** Sets the estimate of each planned step (and a backfill's row estimate) from the sizes read for them. */
function applyEstimates(entries: Entry[], sizes: Record<string, RelationSize>): void {
  for (const { work, steps } of entries) {
    work.steps.forEach((step, index) => {
      const planned = steps[index];
      if (!planned) return;
      if (planned.backfill) {
        planned.backfill.estimatedRows = sizes[planned.backfill.table]?.rows ?? null;
        return;
      }
      const effects = sourceStatements(work.file.file, step).map((s) => s.effects);
      const concurrentBuild = step.kind === "create-index-concurrently";
      planned.estimate = workEstimate(planned, effects, concurrentBuild, sizes);
    });
  }
}

/** The relations the planned steps lock: those whose sizes the estimates need. */
function lockedRelations(entries: Entry[]): string[] {
  return entries.flatMap((e) => e.steps.flatMap((s) => s.locks.map((l) => l.relation)));
}

async function liveContext(
  live: LiveSession,
  entries: Entry[],
  oldTransactionMs: number,
): Promise<LiveContext> {
  const { liveDetails } = await import("./live.js");
  const details = await liveDetails(live.db.sql, { relations: lockedRelations(entries), oldTransactionMs });
  applyEstimates(entries, details.relations);
  return {
    serverVersion: live.serverVersion,
    major: live.major,
    applied: [...live.records.values()].filter((r) => r.contractCompletedAt).length,
    ...details,
  };
}

/** The stats file's sizes in place of the live database's: the same estimates, from the same code. */
function statsContext(stats: LoadedStats, entries: Entry[]): StatsContext {
  const relations = lockedRelations(entries);
  const sizes = statsSizes(stats.stats, relations);
  applyEstimates(entries, sizes);
  const { database, generatedAt, serverVersion, major, history } = stats.stats;
  return {
    file: stats.file,
    database,
    generatedAt,
    serverVersion,
    major,
    applied: history.migrations.filter((m) => m.contractCompletedAt).length,
    relations: sizes,
    invalidIndexes: statsInvalidIndexes(stats.stats, relations),
  };
}
