import { createHash } from "node:crypto";
import type { Blocks } from "../analysis/locks.js";
import type { RelationLock } from "../analysis/model.js";
import type { RuleId } from "../analysis/rules/index.js";
import type { BackfillDirective } from "../sql/backfill.js";
import type { Phase } from "../sql/directives.js";

/**
 * What a step is for, so the executor knows which checks to run around it. Steps are data: the
 * executor runs every kind the same way and only consults `kind` for its guards.
 */
export type StepKind =
  /** SQL as written (or as rewritten) run in one transaction, or alone when it cannot be in one. */
  | "sql"
  /** CREATE [UNIQUE] INDEX CONCURRENTLY: drop an INVALID leftover of the same name first, check validity after. */
  | "create-index-concurrently"
  /** DROP INDEX CONCURRENTLY / REINDEX CONCURRENTLY and other non-transactional statements safe to repeat. */
  | "concurrent"
  /**
   * `-- safemigrate:backfill`: its statement is the whole-table UPDATE (what plan traces); the executor runs
   * it in batches along the key, one transaction per batch, recording the last key with each.
   */
  | "backfill";

/** A lock a step takes, with what it does to application traffic. */
export interface StepLock extends RelationLock {
  blocks: Blocks;
}

/** One unit of execution: statements that run in one transaction, or one statement run on its own. */
export interface Step {
  kind: StepKind;
  /** The statements, each without a trailing semicolon. */
  statements: string[];
  transactional: boolean;
  phase: Phase;
  locks: StepLock[];
  /** The worst of the locks' effect on traffic. */
  blocks: Blocks;
  rewrite: boolean;
  scan: boolean;
  /** The SQL as written, when this step comes from a safe rewrite of it; null otherwise. */
  rewrittenFrom: string | null;
  /** Where the (first) statement stands in the migration file: 1-based. */
  line: number;
  column: number;
  /**
   * For create-index-concurrently: the index name and its schema, to find INVALID leftovers. Also set on
   * concurrent index drops and rebuilds that carry a `guard`.
   */
  index?: { name: string; schema: string | null };
  /** How a non-transactional index step other than a build is made safe to repeat (see IndexGuard). */
  guard?: IndexGuard;
  /** Per statement: where the statement it comes from stands in the migration file. */
  origins?: StepOrigin[];
  /** Lint findings this step's rewrite resolves (rule ids). */
  resolves: RuleId[];
  /** For a backfill: the directive. */
  backfill?: BackfillDirective;
}

/**
 * drop-index: a DROP INDEX CONCURRENTLY interrupted after it finished is done when the index is gone.
 * reindex-index: a REINDEX CONCURRENTLY interrupted midway leaves INVALID `<name>_ccnew` indexes, dropped
 * before the next attempt.
 */
export type IndexGuard = "drop-index" | "reindex-index";

/** The source statement a step's statement comes from: 1-based position and string offsets in the file. */
export interface StepOrigin {
  line: number;
  column: number;
  start: number;
  end: number;
  /** What the step's statement does, in SQL words (`CREATE INDEX CONCURRENTLY`). */
  action: string;
  /** Lint findings of that statement that its pieces in this step resolve (rule ids). */
  resolves: RuleId[];
}

/** Identifies a step's content, so that a resumed phase notices when its steps are not the same any more. */
export function stepHash(step: Step): string {
  return (
    createHash("sha256")
      // A backfill resumed along another key would skip or repeat rows: the key is part of what it is.
      .update(
        `${step.kind}\n${step.statements.join(";\n")}${step.backfill?.key ? `\nkey ${step.backfill.key}` : ""}`,
      )
      .digest("hex")
      .slice(0, 32)
  );
}
