/** The plan: what each pending migration will do, per phase and per step, as traced and as modelled. */
import type { Finding } from "../analysis/lint.js";
import type { Blocks, LockMode } from "../analysis/locks.js";
import type { RelationSize } from "../db/sizes.js";
import type { DiscoveryNotice } from "../migrations/migration.js";
import type { Phase } from "../sql/directives.js";
import type { StepKind } from "../steps/step.js";

export interface PlanLock {
  /** Display name: schema-qualified only where the schema is not `public`. */
  relation: string;
  mode: LockMode;
  /** False for a relation this migration creates: no traffic uses it yet, so its lock blocks nobody. */
  existing: boolean;
}

/** The size of a relation a step locks (with --database-url or --stats-file). */
export type { RelationSize } from "../db/sizes.js";

/** Estimated duration of a step that rewrites or scans (docs/plan.md explains the model). */
export interface DurationEstimate {
  seconds: number;
  /** In words: "rewrites orders (1.2 GB) at 40 MB/s". */
  basis: string;
}

/** What one statement of a step did on the shadow, traced inside the step's transaction. */
export interface PlannedStatement {
  sql: string;
  /** Locks on table-like relations it took that the transaction did not hold yet, or held weaker. */
  locks: Array<{ relation: string; mode: LockMode }>;
  rewrites: string[];
  created: string[];
  dropped: string[];
  createdObjects: string[];
  droppedObjects: string[];
}

export interface PlannedStep {
  kind: StepKind;
  sql: string;
  transaction: boolean;
  /** Table-like relations (tables, partitioned tables, views, materialized views) and their lock mode. */
  locks: PlanLock[];
  /** What the locks on existing relations block (a new relation has no traffic to block). */
  blocks: Blocks;
  rewrite: boolean;
  scan: boolean;
  rewrittenFrom: string | null;
  /** The step ran on the shadow database. */
  traced: boolean;
  /** Why the step was not traced (null when it was). */
  reason: string | null;
  /** Where the step's (first) statement stands in the migration file: 1-based. */
  line: number;
  column: number;
  /** Relations the step created and dropped on the shadow (empty when not traced). */
  created: string[];
  dropped: string[];
  /**
   * Other catalog objects it created and dropped (schemas, types, routines, extensions, triggers,
   * constraints, policies, rules, collations), as Postgres describes them: `function f(integer)`.
   */
  createdObjects: string[];
  droppedObjects: string[];
  /** Per statement, when traced in a transaction (empty otherwise). */
  statements: PlannedStatement[];
  /** Where the trace contradicted the static model (the trace is shown). */
  disagreements: string[];
  /** With a live database: an estimate for steps that rewrite, scan, or change data under a lock that blocks traffic. */
  estimate: DurationEstimate | null;
  /** A `-- safemigrate:backfill` step: how it runs (its batches take the step's lock, one batch at a time). */
  backfill?: PlannedBackfill;
}

export interface PlannedBackfill {
  table: string;
  /** The key column given with key=; null: the table's primary key, found when it runs. */
  key: string | null;
  batch: number;
  /** Postgres interval spelling (`0`, `200ms`). */
  pause: string;
  set: string;
  where: string | null;
  /** Rows in the table now (pg_class.reltuples with --database-url); null: unknown. */
  estimatedRows: number | null;
}

/** One phase of one migration. */
export interface PlannedMigration {
  version: string;
  name: string;
  file: string;
  phase: Phase;
  steps: PlannedStep[];
  /** Lint findings on this phase's statements, and shadow failures. */
  findings: Finding[];
  /** This phase's statements whose effects the model does not prove (lint's `summary.unmodelled`). */
  unmodelled: number;
}

/** A session that would block (or be blocked by) the plan right now. */
export interface BlockingSession {
  pid: number;
  state: string | null;
  /** Seconds since its transaction (or, outside one, its query) started. */
  ageSeconds: number;
  query: string;
  /** Why it is listed: an old transaction, or a lock on a relation the plan touches. */
  reason: "old-transaction" | "holds-lock";
  relation: string | null;
  mode: string | null;
}

export interface InvalidIndex {
  index: string;
  table: string;
}

export interface LiveContext {
  serverVersion: string;
  /** server_version_num / 10000: the version the rules were applied for. */
  major: number;
  /** Migrations the history table records as applied (expand and contract complete). */
  applied: number;
  relations: Record<string, RelationSize>;
  blockingSessions: BlockingSession[];
  invalidIndexes: InvalidIndex[];
}

/** With --stats-file: what the file says, in place of a live database. */
export interface StatsContext {
  /** The stats file, as given. */
  file: string;
  database: string;
  generatedAt: string;
  serverVersion: string;
  /** The server's major: the version the rules were applied for. */
  major: number;
  /** Migrations the file's history records as applied (expand and contract complete) when it was written. */
  applied: number;
  /** The sizes of the relations the planned steps lock; a relation the file does not list has none. */
  relations: Record<string, RelationSize>;
  /** INVALID indexes the file lists on those relations. */
  invalidIndexes: InvalidIndex[];
}

export interface ShadowInfo {
  engine: "pglite" | "postgres";
  serverVersion: string;
  /** Migrations (or phases) replayed before the first planned one. */
  replayed: number;
  /** Set when the shadow could not be used at all (plan then shows the model only). */
  unavailable: string | null;
  /**
   * Applied steps that failed to replay (`where` is `<file>:<line>`): the shadow then differs from the
   * database, and the planned steps that need what they built are untraced, naming the first as the cause.
   */
  replayFailures: Array<{ where: string; message: string }>;
}

export interface PlanTimings {
  /** Milliseconds from process start until the shadow was ready. */
  start: number;
  replay: number;
  trace: number;
  /** Filled in by the reporter. */
  render: number;
}

export interface PlanResult {
  migrations: PlannedMigration[];
  shadow: ShadowInfo | null;
  live: LiveContext | null;
  /** With --stats-file: the sizes (and the server version) come from it. */
  stats: StatsContext | null;
  /** The Postgres major the lint rules were applied for. */
  pgVersion: number;
  /** What the directory holds that is not read or cannot be planned (goose Go migrations). */
  notices: DiscoveryNotice[];
  timings: PlanTimings;
  /** `plan --rollback`: the migrations are the down parts `rollback` would run. */
  rollback?: boolean;
}
