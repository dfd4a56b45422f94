/**
 * `up`, `contract` and `rollback`: discover the migrations, take the runner lock, refuse drift, lint-gate
 * the pending work (for rollback: the down parts to run), then run each phase in order with the executor.
 */
import { type FileResult, type LintOptions, lintMigrations, type RuleSetting } from "../analysis/lint.js";
import type { Config } from "../config/index.js";
import { partitionedTables, relationRows } from "../db/introspect.js";
import { discoverMigrations } from "../migrations/discover.js";
import { type LayoutName, type Migration, selectUpTo, sqlMigrations } from "../migrations/migration.js";
import { refuseDuplicates, refuseUnread } from "../migrations/unread.js";
import { rollbackWork, selectRollback } from "../plan/rollback.js";
import { phaseStates } from "../plan/select.js";
import { initParser } from "../sql/parse.js";
import { buildSteps } from "../steps/steps.js";
import { RunRefused, StepFailed } from "./errors.js";
import type { Reporter, RunStatus } from "./events.js";
import { Executor, type ExecutorSettings, type PhaseRun } from "./executor.js";
import { gateEvents, lintGate } from "./gate.js";
import { failureOf } from "./outcome.js";
import { driftedMigrations } from "./selection.js";
import { type Session, withSession } from "./session.js";

export interface RunOptions extends ExecutorSettings {
  command: RunCommand;
  dir: string;
  /** A directory without migrations, or a file that is not read, is a `UsageError` instead of a notice. */
  strict?: boolean;
  layout?: LayoutName;
  databaseUrl: string;
  searchPath?: readonly string[];
  historySchema: string;
  waitMs: number;
  rewrite: boolean;
  unsafe: boolean;
  to?: string;
  rules: Record<string, RuleSetting>;
  smallTableRows: number;
  report: Reporter;
  signal: AbortSignal;
  interruption: () => "SIGINT" | "SIGTERM";
}

/** The settings of a run that come from the configuration (durations in milliseconds). */
export function configuredRunSettings(
  config: Pick<
    Config,
    | "historySchema"
    | "wait"
    | "rules"
    | "smallTableRows"
    | "lockTimeout"
    | "statementTimeout"
    | "maxRetries"
    | "retryBaseDelay"
    | "retryMaxDelay"
    | "blockerWait"
    | "strict"
    | "searchPath"
  >,
) {
  return {
    ...(config.searchPath ? { searchPath: config.searchPath } : {}),
    historySchema: config.historySchema,
    waitMs: config.wait,
    rules: config.rules,
    smallTableRows: config.smallTableRows,
    lockTimeoutMs: config.lockTimeout,
    statementTimeoutMs: config.statementTimeout,
    maxRetries: config.maxRetries,
    retryBaseMs: config.retryBaseDelay,
    retryMaxMs: config.retryMaxDelay,
    blockerWaitMs: config.blockerWait,
    strict: config.strict,
  } satisfies Partial<RunOptions>;
}

export interface RunResult {
  /** Phases run to completion. */
  applied: number;
  /** Lint findings stopped the run before anything ran. */
  blocked: boolean;
}

/** `rollback` runs the down parts of applied migrations (docs/rollback.md). */
export type RunCommand = "up" | "contract" | "rollback";

type Runs = { runs: Array<{ run: PhaseRun; file: FileResult }>; goPending: Migration | null };

/**
 * Runs the command. Every run that fails, is stopped by the gate or is interrupted still ends with a
 * `run-done` event carrying its status and exit code (after the `error` or `interrupted` event), so a
 * pipeline reading the JSON log always sees how it ended. The error is rethrown for the caller's exit code.
 */
export async function runMigrations(options: RunOptions): Promise<RunResult> {
  const started = performance.now();
  const progress = { applied: 0 };
  const done = (status: RunStatus, exitCode: number) =>
    options.report({
      event: "run-done",
      command: options.command,
      applied: progress.applied,
      durationMs: performance.now() - started,
      status,
      exitCode,
    });
  try {
    const result = await run(options, progress);
    done(result.blocked ? "blocked" : "done", result.blocked ? 1 : 0);
    return result;
  } catch (error) {
    const failure = failureOf(error);
    if (failure) {
      options.report(failure.event);
      done(failure.event.event === "interrupted" ? "interrupted" : "failed", failure.exitCode);
    }
    throw error;
  }
}

async function run(options: RunOptions, progress: { applied: number }): Promise<RunResult> {
  await initParser();
  const set = await discoverMigrations(options.dir, options.layout ? { layout: options.layout } : {});
  refuseDuplicates(set.notices);
  if (options.strict) refuseUnread(set.notices);
  for (const notice of set.notices) options.report({ event: "notice", ...notice });
  return withSession(options, async (session) => {
    const drifted = driftedMigrations(set.migrations, session.records);
    if (drifted.length > 0) {
      const names = drifted.map((m) => m.file.path).join(", ");
      throw new RunRefused(
        `${names}: changed since it was applied (checksum differs); restore the applied version and put the change in a new migration`,
      );
    }
    if (options.command !== "rollback") refuseInterruptedRollback(session);
    const lintOptions = {
      pgVersion: session.db.major,
      rules: options.rules,
      partitions: await partitionedTables(session.db.sql),
    };
    const { runs, goPending } =
      options.command === "rollback"
        ? await rollbackRuns(options, session, set.migrations, lintOptions)
        : planRuns(
            options,
            session,
            selectUpTo(set.migrations, options.to),
            lintMigrations(sqlMigrations(set.migrations), lintOptions).files,
          );
    options.report({
      event: "run-start",
      command: options.command,
      database: session.db.where,
      server: session.db.target,
      // A pending Go migration counts: it is where this run stops.
      pending: runs.length + (goPending ? 1 : 0),
    });
    const gate = await lintGate(
      runs.map((r) => ({ file: r.file, phase: r.run.phase, steps: r.run.steps })),
      {
        rowCounts: (names) => relationRows(session.db.sql, names, options.smallTableRows),
        smallTableRows: options.smallTableRows,
        unsafe: options.unsafe,
      },
    );
    for (const event of gateEvents(gate, options.unsafe)) options.report(event);
    if (gate.blocked.length > 0) return { applied: 0, blocked: true };
    const executor = new Executor(session, options);
    for (const { run } of runs) {
      await executor.runPhase(run).catch(async (error: unknown) => {
        // Kept in the history for status; through the pool, since the runner's own connection may be the
        // one that failed (terminated by the server). Recording must not hide the failure itself.
        if (error instanceof StepFailed) {
          await session.history
            .phaseFailed(session.db.sql, run.migration.version, error.message)
            .catch(() => {});
        }
        throw error;
      });
      progress.applied += 1;
    }
    if (goPending) {
      throw new RunRefused(
        `${goPending.file.path}: a goose Go migration is pending and safemigrate cannot run Go: run it with goose (or, once it has run, record it with safemigrate baseline --to ${goPending.version}), then run up again`,
      );
    }
    return { applied: runs.length, blocked: false };
  });
}

/**
 * The phases this command runs, in order, with their steps; refuses a contract whose expand has not run.
 * `up` runs nothing from a pending goose Go migration on (`goPending`): the migrations after it may depend
 * on it, and running them first would apply the history out of order.
 */
function planRuns(options: RunOptions, session: Session, selected: Migration[], files: FileResult[]): Runs {
  const phase = options.command === "up" ? "expand" : "contract";
  const byVersion = new Map(files.map((f) => [f.file.migration.version, f]));
  const runs: Array<{ run: PhaseRun; file: FileResult }> = [];
  for (const migration of selected) {
    const record = session.records.get(migration.version);
    if (migration.go) {
      if (phase === "expand" && !record?.expandCompletedAt) return { runs, goPending: migration };
      continue;
    }
    const file = byVersion.get(migration.version) as FileResult;
    const states = phaseStates(file, record);
    if (phase === "expand" && states.expand === "applied") continue;
    if (phase === "contract") {
      if (states.contract !== "pending") continue;
      if (states.expand !== "applied") {
        throw new RunRefused(
          `${migration.file.path}: its contract phase cannot run before its expand phase (run safemigrate up first)`,
        );
      }
    }
    const steps = buildSteps(file.file, { rewrite: options.rewrite, phase, pgVersion: session.db.major });
    runs.push({
      file,
      run: { migration, phase, steps, completesMigration: phase === "expand" && states.contract === null },
    });
  }
  return { runs, goPending: null };
}

/** The down parts of the migrations a rollback undoes, newest first; refusals come from selectRollback. */
async function rollbackRuns(
  options: RunOptions,
  session: Session,
  migrations: Migration[],
  lintOptions: LintOptions,
): Promise<Runs> {
  const { targets } = await selectRollback(migrations, session.records, {
    ...lintOptions,
    ...(options.to !== undefined ? { to: options.to } : {}),
  });
  const work = rollbackWork(targets, { rewrite: options.rewrite, pgVersion: session.db.major });
  const runs = work.map(({ file, phase, steps }) => ({
    file,
    run: { migration: file.file.migration, phase, steps, completesMigration: false },
  }));
  return { runs, goPending: null };
}

/** A rollback left half done must be finished first: `up` or `contract` on top of it would mix the two. */
function refuseInterruptedRollback(session: Session): void {
  for (const record of session.records.values()) {
    if (record.rollbackStartedAt) {
      throw new RunRefused(
        `${record.file ?? record.version}: its rollback was interrupted and is not finished; run safemigrate rollback to finish it first`,
      );
    }
  }
}
