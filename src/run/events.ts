/**
 * What a run reports, as data: the CLI renders these as text lines or JSON lines (`--log-format json`),
 * and the programmatic API hands them to its caller. No event carries a password.
 */
import type { Finding } from "../analysis/lint.js";
import type { Blocks } from "../analysis/locks.js";
import type { Blocker, BuildProgress } from "../db/introspect.js";
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

export type RunEvent =
  | (DiscoveryNotice & { event: "notice" })
  | { event: "run-start"; command: "up" | "contract" | "rollback"; database: string; pending: number }
  | { event: "lock-wait"; holder: number | null; waitMs: number }
  | {
      event: "gate";
      blocked: Finding[];
      passed: Array<{ finding: Finding; reason: GateReason }>;
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
      code: string | null;
      detail: string | null;
      hint: string | null;
      sql: string | null;
    }
  | { event: "interrupted"; signal: "SIGINT" | "SIGTERM" }
  | { event: "run-done"; command: "up" | "contract" | "rollback"; applied: number; durationMs: number };

export type Reporter = (event: RunEvent) => void;
