/**
 * The one executor: runs any phase's Step list the same way. A transactional step runs in a transaction
 * together with its history record, so it either happened and is recorded, or neither. A non-transactional
 * step (CONCURRENTLY) is recorded as started before and done right after it runs; its guards check the
 * catalog so that running it again after a crash is safe. Steps that block traffic get lock_timeout and
 * statement_timeout; lock timeouts and deadlocks are retried with backoff. A backfill step runs batch by
 * batch (src/run/backfill.ts), each batch a transaction with its position, through the same retry loop.
 */
import type { ReservedSql } from "../db/connect.js";
import type { History, StepRecord } from "../db/history.js";
import type { BuildProgress } from "../db/introspect.js";
import type { Migration } from "../migrations/migration.js";
import type { Phase } from "../sql/directives.js";
import { type Step, stepHash } from "../steps/step.js";
import { runBackfill } from "./backfill.js";
import { BlockerWait } from "./blockers.js";
import { Interrupted, pgErrorFields, RunRefused, StepFailed } from "./errors.js";
import type { Reporter, StepRef } from "./events.js";
import { cleanupAfterFailure, guardAfter, guardBefore } from "./guards.js";
import { backoffDelay, isRetryable, sleep } from "./retry.js";
import type { Session } from "./session.js";
import { Watcher } from "./watch.js";

export interface ExecutorSettings {
  lockTimeoutMs: number;
  statementTimeoutMs: number;
  maxRetries: number;
  retryBaseMs: number;
  retryMaxMs: number;
  /** Longest total wait, per step, for long transactions holding conflicting locks (0: do not look). */
  blockerWaitMs: number;
}

export interface ExecutorOptions extends ExecutorSettings {
  report: Reporter;
  signal: AbortSignal;
  interruption: () => "SIGINT" | "SIGTERM";
}

export interface PhaseRun {
  migration: Migration;
  phase: Phase;
  steps: Step[];
  /** The migration has no contract section: finishing expand completes it. */
  completesMigration: boolean;
}

export class Executor {
  private readonly watcher: Watcher;
  private readonly blockers: BlockerWait;
  private current = 0;

  private readonly conn: ReservedSql;
  private readonly history: History;
  private readonly settings: ExecutorSettings;
  private readonly report: Reporter;
  private readonly signal: AbortSignal;
  private readonly interruption: () => "SIGINT" | "SIGTERM";

  /** `session`: the runner's locked session (src/run/session.ts); `options`: the run's settings and hooks. */
  constructor(session: Pick<Session, "db" | "conn" | "pid" | "history">, options: ExecutorOptions) {
    this.conn = session.conn;
    this.history = session.history;
    this.settings = options;
    this.report = options.report;
    this.signal = options.signal;
    this.interruption = options.interruption;
    this.watcher = new Watcher(session.db.sql, session.pid, options.signal);
    this.blockers = new BlockerWait(session.db.sql, session.pid, options.signal, options.report);
  }

  async runPhase(run: PhaseRun): Promise<void> {
    const { migration, phase, steps } = run;
    const started = performance.now();
    const records = await this.history.readSteps(this.conn, migration.version, phase);
    this.report({ event: "migration-start", ...who(migration), phase, steps: steps.length });
    await this.history.phaseStarted(this.conn, { ...who(migration), checksum: migration.checksum }, phase);
    let finished = false;
    for (const [i, step] of steps.entries()) {
      this.checkInterrupted();
      const ref = stepRef(migration, phase, step, i, steps.length);
      const hash = stepHash(step);
      const record = records.get(i);
      if (record?.completedAt) {
        if (record.statementHash !== hash) {
          throw new RunRefused(
            `${migration.file.path}: step ${i + 1} of its ${phase} phase was completed by an earlier run with different SQL (the file was edited, or --no-rewrite or the server version changed); restore it, or undo what that run did and delete its record: DELETE FROM ${this.history.stepsTable} WHERE version = '${migration.version}'`,
          );
        }
        this.report({ ...ref, event: "step-skip", reason: "done in an earlier run" });
        continue;
      }
      const last = i === steps.length - 1;
      await this.runStep(run, step, i, ref, hash, record ?? null, last);
      finished = last;
    }
    // The last step records the phase's completion with itself; a phase without steps to run records it here.
    if (!finished) await this.finishPhase(run);
    this.report({
      event: "migration-done",
      ...who(migration),
      phase,
      durationMs: performance.now() - started,
    });
  }

  private async runStep(
    run: PhaseRun,
    step: Step,
    index: number,
    ref: StepRef,
    hash: string,
    earlier: StepRecord | null,
    last: boolean,
  ): Promise<void> {
    const resumed = Boolean(earlier?.startedAt);
    // A backfill batch waits for the row locks the application holds, and holds its own: always timed out.
    const blocking = step.blocks !== "nothing" || step.kind === "backfill";
    const lockTimeoutMs = blocking ? this.settings.lockTimeoutMs : null;
    const statementTimeoutMs = blocking ? this.settings.statementTimeoutMs : null;
    this.report({ ...ref, event: "step-start", lockTimeoutMs, statementTimeoutMs });
    const record = { version: run.migration.version, phase: run.phase, step: index, hash };
    // SET LOCAL in a transaction; a session SET (reset afterwards) for a statement that runs alone.
    const scope = step.transactional ? "SET LOCAL" : "SET";
    const timeouts = `${scope} lock_timeout = ${lockTimeoutMs ?? 0}; ${scope} statement_timeout = ${statementTimeoutMs ?? 0}`;
    // Durations include the retries: the time the step took to get done.
    const started = performance.now();
    const done = async (retries: number) => {
      await this.history.stepDone(this.conn, { ...record, durationMs: performance.now() - started, retries });
      if (last) await this.finishPhase(run);
    };
    // Waiting outside the lock queue for old transactions that hold conflicting locks: only before a lock
    // that blocks traffic, and bounded over all the attempts of the step.
    const blockerBudget = { ms: step.blocks !== "nothing" ? this.settings.blockerWaitMs : 0 };
    let retries: number;
    if (step.kind === "backfill") {
      retries = await runBackfill({
        conn: this.conn,
        history: this.history,
        report: this.report,
        signal: this.signal,
        ref,
        step,
        record,
        earlier,
        timeouts,
        retrying: (body) => this.retrying(run.migration, step, ref, body, blockerBudget),
        watch: (query) => this.watcher.run(query),
        done,
      });
    } else {
      retries = await this.retrying(
        run.migration,
        step,
        ref,
        async (attempt) => {
          const finish = () => done(attempt);
          if (step.transactional) await this.inTransaction(timeouts, step, finish);
          else await this.alone(timeouts, step, ref, record, resumed || attempt > 0, finish);
        },
        blockerBudget,
      );
    }
    this.report({ ...ref, event: "step-done", durationMs: performance.now() - started, retries });
  }

  /**
   * Runs `body` until it succeeds: lock timeouts and deadlocks are retried with backoff (reported with who
   * blocked), anything else fails the step. Returns the number of retries it took.
   */
  private async retrying(
    migration: Migration,
    step: Step,
    ref: StepRef,
    body: (attempt: number) => Promise<void>,
    blockerBudget: { ms: number },
  ): Promise<number> {
    for (let attempt = 0; ; attempt++) {
      this.checkInterrupted();
      blockerBudget.ms -= await this.blockers.clear(step, ref, blockerBudget.ms);
      this.checkInterrupted();
      this.watcher.lastBlockers = [];
      this.current = 0;
      try {
        await body(attempt);
        return attempt;
      } catch (error) {
        if (this.signal.aborted) throw new Interrupted(this.interruption());
        if (error instanceof RunRefused) throw error;
        if (isRetryable(error) && attempt < this.settings.maxRetries) {
          const delayMs = backoffDelay(attempt, {
            baseMs: this.settings.retryBaseMs,
            maxMs: this.settings.retryMaxMs,
          });
          const { code, message } = pgErrorFields(error);
          const blockers = this.watcher.lastBlockers;
          this.report({
            ...ref,
            event: "step-retry",
            attempt: attempt + 1,
            delayMs,
            code: code ?? "",
            message,
            blockers,
          });
          await sleep(delayMs, this.signal);
          continue;
        }
        throw this.failure(migration, step, ref, error);
      }
    }
  }

  /** The step's statements and its history record in one transaction. */
  private async inTransaction(timeouts: string, step: Step, done: () => Promise<void>): Promise<void> {
    await this.conn.unsafe("BEGIN");
    try {
      await this.conn.unsafe(timeouts).simple();
      for (const [j, sql] of step.statements.entries()) {
        this.current = j;
        this.checkInterrupted();
        await this.watcher.run(this.conn.unsafe(sql).simple());
      }
      await done();
      await this.conn.unsafe("COMMIT");
    } catch (error) {
      await this.conn.unsafe("ROLLBACK").catch(() => {});
      throw error;
    }
  }

  /** One statement outside a transaction, between the catalog checks that make it safe to repeat. */
  private async alone(
    timeouts: string,
    step: Step,
    ref: StepRef,
    record: { version: string; phase: Phase; step: number; hash: string },
    resumed: boolean,
    done: () => Promise<void>,
  ): Promise<void> {
    await this.history.stepStarted(this.conn, record.version, record.phase, record.step, record.hash);
    const before = await guardBefore(this.conn, step, resumed);
    if (before.dropped.length > 0) this.report({ ...ref, event: "step-cleanup", dropped: before.dropped });
    if (before.skip) {
      this.report({ ...ref, event: "step-skip", reason: before.skip });
    } else {
      await this.conn.unsafe(timeouts).simple();
      try {
        const progress =
          step.kind === "create-index-concurrently"
            ? (p: BuildProgress, elapsedMs: number) =>
                this.report({ ...ref, event: "progress", elapsedMs, progress: p })
            : undefined;
        await this.watcher.run(this.conn.unsafe(step.statements[0] as string).simple(), progress);
      } catch (error) {
        // Not when interrupted: the next run cleans up, and the exit must not wait for a concurrent drop.
        if (!this.signal.aborted) await cleanupAfterFailure(this.conn, step);
        throw error;
      } finally {
        await this.conn
          .unsafe("RESET lock_timeout; RESET statement_timeout")
          .simple()
          .catch(() => {});
      }
      await guardAfter(this.conn, step);
    }
    await this.conn.unsafe("BEGIN");
    try {
      await done();
      await this.conn.unsafe("COMMIT");
    } catch (error) {
      await this.conn.unsafe("ROLLBACK").catch(() => {});
      throw error;
    }
  }

  private async finishPhase(run: PhaseRun): Promise<void> {
    await this.history.phaseDone(this.conn, run.migration.version, run.phase, run.completesMigration);
  }

  private checkInterrupted(): void {
    if (this.signal.aborted) throw new Interrupted(this.interruption());
  }

  private failure(migration: Migration, step: Step, ref: StepRef, error: unknown): StepFailed {
    const origin = step.origins?.[this.current];
    const sql = step.statements[this.current] ?? null;
    return new StepFailed({
      file: migration.file.path,
      line: origin?.line ?? step.line,
      version: migration.version,
      migrationName: migration.name,
      phase: ref.phase,
      step: ref.step,
      steps: ref.steps,
      pg: pgErrorFields(error),
      sql: step.rewrittenFrom ? sql : null,
    });
  }
}

function who(migration: Migration) {
  return { version: migration.version, name: migration.name, file: migration.file.path };
}

function stepRef(migration: Migration, phase: Phase, step: Step, index: number, count: number): StepRef {
  return {
    ...who(migration),
    phase,
    step: index + 1,
    steps: count,
    kind: step.kind,
    sql: step.statements.join(";\n"),
    transactional: step.transactional,
    locks: step.locks.map((l) => ({ relation: l.relation, mode: l.mode })),
    blocks: step.blocks,
    rewrittenFrom: step.rewrittenFrom,
  };
}
