/**
 * What a run reports, as data: the CLI renders these as text lines or JSON lines (`--log-format json`),
 * and the programmatic API hands them to its caller. No event carries a password.
 */
import type { Finding } from "../analysis/lint.js";
import type { Blocks } from "../analysis/locks.js";
import type { ServerTarget } from "../db/connect.js";
import type { Blocker, BuildProgress, HeldLockSession } from "../db/introspect.js";
import type { DiscoveryNotice } from "../migrations/migration.js";
import type { Phase } from "../sql/directives.js";
import type { StepKind } from "../steps/step.js";

/** Which step an event is about. `step` counts from 1 within the phase. */
export interface StepRef {
  version: string;
  name: string;
  file: string;
  phase: Phase;
  step: number;
  steps: number;
  kind: StepKind;
  sql: string;
  transactional: boolean;
  locks: Array<{ relation: string; mode: string }>;
  blocks: Blocks;
  rewrittenFrom: string | null;
}

/** Why an error finding did not stop the run. */
export type GateReason = "rewrite" | "small-table" | "unsafe";

/** How a run ended, with its exit code: 0 done, 1 blocked by the gate or failed, 130/143 interrupted. */
export type RunStatus = "done" | "blocked" | "failed" | "interrupted";

export type RunEvent =
  | (DiscoveryNotice & { event: "notice" })
  | {
      event: "run-start";
      command: "up" | "contract" | "rollback";
      /** `host:port, database "name"`, for people; `server` has the same as fields. */
      database: string;
      server: ServerTarget | null;
      pending: number;
    }
  | { event: "lock-wait"; holder: number | null; waitMs: number }
  /** One per error finding of the pending work: it stops the run (`blocked`) or does not, and why. */
  | { event: "gate-finding"; outcome: "blocked" | "passed"; reason: GateReason | null; finding: Finding }
  /** After the gate's findings: how many stop the run and how many pass, by reason. */
  | {
      event: "gate";
      blocked: number;
      passed: number;
      byReason: Record<GateReason, number>;
      unsafe: boolean;
    }
  | { event: "migration-start"; version: string; name: string; file: string; phase: Phase; steps: number }
  | (StepRef & { event: "step-start"; lockTimeoutMs: number | null; statementTimeoutMs: number | null })
  | (StepRef & { event: "step-skip"; reason: string })
  | (StepRef & { event: "step-cleanup"; dropped: string[] })
  | (StepRef & {
      event: "step-retry";
      attempt: number;
      delayMs: number;
      code: string;
      message: string;
      blockers: Blocker[];
    })
  /** Long transactions hold locks the step's conflict with: it waits outside the lock queue (src/run/blockers.ts). */
  | (StepRef & { event: "step-wait"; blockers: HeldLockSession[]; waitedMs: number; limitMs: number })
  | (StepRef & { event: "step-wait-done"; waitedMs: number; exhausted: boolean })
  | (StepRef & { event: "progress"; elapsedMs: number; progress: BuildProgress })
  | (StepRef & {
      event: "backfill-start";
      /** The key column walked. */
      key: string;
      batch: number;
      /** Rows in the table (pg_class.reltuples, or a count); null when unknown. */
      rowsTotal: number | null;
      /** The last key an earlier run finished, when this run resumes; null otherwise. */
      resumedAfter: string | null;
    })
  | (StepRef & {
      event: "backfill-progress";
      key: string;
      /** Batches committed, rows walked (keys covered) and rows updated, earlier runs included. */
      batches: number;
      rowsDone: number;
      rowsUpdated: number;
      rowsTotal: number | null;
      /** Rows walked per second in this run. */
      rowsPerSecond: number;
      etaMs: number | null;
      lastKey: string;
      elapsedMs: number;
    })
  | (StepRef & { event: "step-done"; durationMs: number; retries: number })
  | { event: "migration-done"; version: string; name: string; file: string; phase: Phase; durationMs: number }
  | {
      event: "error";
      message: string;
      file: string | null;
      line: number | null;
      version: string | null;
      /** The migration, phase and step (from 1, of `steps`) that failed; null for a failure outside a step. */
      name: string | null;
      phase: Phase | null;
      step: number | null;
      steps: number | null;
      code: string | null;
      detail: string | null;
      hint: string | null;
      sql: string | null;
    }
  | { event: "interrupted"; signal: "SIGINT" | "SIGTERM" }
  /** The last event of every run that started, whatever its end. */
  | {
      event: "run-done";
      command: "up" | "contract" | "rollback";
      applied: number;
      durationMs: number;
      status: RunStatus;
      exitCode: number;
    };

export type Reporter = (event: RunEvent) => void;
