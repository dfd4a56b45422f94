/**
 * The migration history: `<schema>.migrations` (one row per migration, its phases' times and durations)
 * and `<schema>.steps` (one row per step of a phase, so that an interrupted phase resumes at the step that
 * did not finish). Created on first use; every statement is idempotent.
 */
import { hostname } from "node:os";
import type { Phase } from "../sql/directives.js";
import type { ReservedSql, Sql, TransactionSql } from "./connect.js";
import { quoteIdent } from "./ident.js";

export interface MigrationRecord {
  version: string;
  name: string;
  checksum: string;
  file: string | null;
  expandStartedAt: Date | null;
  expandCompletedAt: Date | null;
  contractStartedAt: Date | null;
  contractCompletedAt: Date | null;
  expandDurationMs: number | null;
  contractDurationMs: number | null;
  appliedBy: string | null;
  baseline: boolean;
  /** A rollback of its expand started and has not finished (`rollback` resumes it). */
  rollbackStartedAt: Date | null;
  /** When its expand was last rolled back (it is pending again). */
  rolledBackAt: Date | null;
  /** The last run of a phase of it failed (cleared when a phase starts again): when, and the error. */
  failedAt: Date | null;
  error: string | null;
}

export interface StepRecord {
  step: number;
  statementHash: string;
  startedAt: Date | null;
  completedAt: Date | null;
  /** A backfill step: how far its committed batches went. */
  backfill: BackfillPosition | null;
}

/** Where a backfill stands: committed with each batch, in the batch's transaction. */
export interface BackfillPosition {
  /** The key column walked. */
  key: string;
  /** The last key of the last committed batch, as Postgres prints it (text). */
  last: string;
  /** Rows walked (keys covered) and rows the batches updated. */
  rows: number;
  updated: number;
  batches: number;
}

/** Any client: the pool, a reserved connection, or a transaction (plan reads the history in one). */
type Client = Sql | ReservedSql | TransactionSql;

export class History {
  readonly schema: string;
  private readonly migrations: string;
  /** The quoted steps table, for messages that tell how to repair a history by hand. */
  readonly stepsTable: string;

  constructor(schema: string) {
    this.schema = schema;
    this.migrations = `${quoteIdent(schema)}.migrations`;
    this.stepsTable = `${quoteIdent(schema)}.steps`;
  }

  /** Creates the schema and tables if missing (run under the advisory lock, so runners do not race). */
  async ensure(sql: Client): Promise<void> {
    await sql.unsafe(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(this.schema)}`);
    await sql.unsafe(`CREATE TABLE IF NOT EXISTS ${this.migrations} (
      version text PRIMARY KEY,
      name text NOT NULL,
      checksum text NOT NULL,
      file text,
      expand_started_at timestamptz,
      expand_completed_at timestamptz,
      contract_started_at timestamptz,
      contract_completed_at timestamptz,
      expand_duration_ms bigint,
      contract_duration_ms bigint,
      applied_by text,
      baseline boolean NOT NULL DEFAULT false,
      rollback_started_at timestamptz,
      rolled_back_at timestamptz,
      failed_at timestamptz,
      error text
    )`);
    // Histories made before rollback and failure records existed get their columns.
    await this.addMissing(sql, this.migrations, {
      rollback_started_at: "timestamptz",
      rolled_back_at: "timestamptz",
      failed_at: "timestamptz",
      error: "text",
    });
    await sql.unsafe(`CREATE TABLE IF NOT EXISTS ${this.stepsTable} (
      version text NOT NULL,
      phase text NOT NULL,
      step integer NOT NULL,
      statement_hash text NOT NULL,
      started_at timestamptz,
      completed_at timestamptz,
      duration_ms bigint,
      retries integer NOT NULL DEFAULT 0,
      backfill jsonb,
      PRIMARY KEY (version, phase, step)
    )`);
    // Histories made before backfills existed get the column for their position.
    await this.addMissing(sql, this.stepsTable, { backfill: "jsonb" });
  }

  /** Adds the columns a table made by an earlier version lacks (only then: ALTER TABLE locks the table). */
  private async addMissing(sql: Client, table: string, columns: Record<string, string>): Promise<void> {
    const names = Object.keys(columns);
    const [row] = await sql.unsafe(
      `SELECT count(*)::int AS n FROM pg_attribute WHERE attrelid = $1::regclass
         AND attname = ANY($2::text[]) AND NOT attisdropped`,
      [table, names],
    );
    if (Number(row?.n) === names.length) return;
    const adds = names.map((name) => `ADD COLUMN IF NOT EXISTS ${quoteIdent(name)} ${columns[name]}`);
    await sql.unsafe(`ALTER TABLE ${table} ${adds.join(", ")}`);
  }

  /** Every recorded migration; empty when the history does not exist yet. */
  async read(sql: Client): Promise<Map<string, MigrationRecord>> {
    const [exists] = await sql<
      { found: boolean }[]
    >`SELECT to_regclass(${this.migrations}) IS NOT NULL AS found`;
    if (!exists?.found) return new Map();
    const rows = await sql.unsafe(`SELECT * FROM ${this.migrations}`);
    return new Map(rows.map((r) => [String(r.version), toRecord(r)]));
  }

  /**
   * The hash of each completed step of every phase, by `version/phase`, in step order: what ran (as
   * written or rewritten), for plan to replay applied phases as they were applied.
   */
  async readStepHashes(sql: Client): Promise<Map<string, string[]>> {
    const [exists] = await sql<
      { found: boolean }[]
    >`SELECT to_regclass(${this.stepsTable}) IS NOT NULL AS found`;
    if (!exists?.found) return new Map();
    const rows = await sql.unsafe(
      `SELECT version, phase, statement_hash FROM ${this.stepsTable} WHERE completed_at IS NOT NULL ORDER BY version, phase, step`,
    );
    const hashes = new Map<string, string[]>();
    for (const r of rows) {
      const key = `${r.version}/${r.phase}`;
      const list = hashes.get(key) ?? [];
      list.push(String(r.statement_hash));
      hashes.set(key, list);
    }
    return hashes;
  }

  async readSteps(sql: Client, version: string, phase: Phase): Promise<Map<number, StepRecord>> {
    const rows = await sql.unsafe(
      `SELECT step, statement_hash, started_at, completed_at, backfill FROM ${this.stepsTable} WHERE version = $1 AND phase = $2`,
      [version, phase],
    );
    return new Map(
      rows.map((r) => [
        Number(r.step),
        {
          step: Number(r.step),
          statementHash: String(r.statement_hash),
          startedAt: r.started_at ?? null,
          completedAt: r.completed_at ?? null,
          backfill: (r.backfill as BackfillPosition | null) ?? null,
        },
      ]),
    );
  }

  /** Records that a phase started (first attempt only: a resumed phase keeps its start time). */
  async phaseStarted(
    sql: Client,
    m: { version: string; name: string; checksum: string; file: string },
    phase: Phase,
  ) {
    // A rollback undoes an applied migration, whose row exists: it keeps naming the up file.
    if (phase === "rollback") {
      await sql.unsafe(
        `UPDATE ${this.migrations} SET rollback_started_at = coalesce(rollback_started_at, now()) WHERE version = $1`,
        [m.version],
      );
      return;
    }
    await sql.unsafe(
      `INSERT INTO ${this.migrations} (version, name, checksum, file, ${phase}_started_at, applied_by)
       VALUES ($1, $2, $3, $4, now(), current_user || '@' || $5)
       ON CONFLICT (version) DO UPDATE SET ${phase}_started_at = coalesce(${this.migrations}.${phase}_started_at, now()),
         name = excluded.name, file = excluded.file, failed_at = NULL, error = NULL,
         -- A migration that failed before it was applied may be fixed and run again: its new text counts.
         checksum = CASE WHEN ${this.migrations}.expand_completed_at IS NULL THEN excluded.checksum
           ELSE ${this.migrations}.checksum END`,
      [m.version, m.name, m.checksum, m.file, hostname()],
    );
  }

  /** A phase stopped on a failed statement: kept until the phase is started again. */
  async phaseFailed(sql: Client, version: string, error: string): Promise<void> {
    await sql.unsafe(`UPDATE ${this.migrations} SET failed_at = now(), error = $2 WHERE version = $1`, [
      version,
      error,
    ]);
  }

  /** A non-transactional step is about to run: remembered so that a rerun knows to check the catalog. */
  async stepStarted(sql: Client, version: string, phase: Phase, step: number, hash: string): Promise<void> {
    await sql.unsafe(
      `INSERT INTO ${this.stepsTable} (version, phase, step, statement_hash, started_at) VALUES ($1, $2, $3, $4, now())
       ON CONFLICT (version, phase, step) DO UPDATE SET statement_hash = excluded.statement_hash,
         started_at = coalesce(${this.stepsTable}.started_at, now())`,
      [version, phase, step, hash],
    );
  }

  /** A backfill batch is done: recorded in the batch's own transaction, so the two commit together. */
  async backfillBatch(
    sql: Client,
    s: { version: string; phase: Phase; step: number; hash: string },
    position: BackfillPosition,
  ): Promise<void> {
    await sql.unsafe(
      `INSERT INTO ${this.stepsTable} (version, phase, step, statement_hash, started_at, backfill)
       VALUES ($1, $2, $3, $4, now(), $5::jsonb)
       ON CONFLICT (version, phase, step) DO UPDATE SET statement_hash = excluded.statement_hash,
         started_at = coalesce(${this.stepsTable}.started_at, now()), backfill = excluded.backfill`,
      [s.version, s.phase, s.step, s.hash, { ...position }],
    );
  }

  /** A step finished (inside the step's own transaction when it has one). */
  async stepDone(
    sql: Client,
    s: { version: string; phase: Phase; step: number; hash: string; durationMs: number; retries: number },
  ): Promise<void> {
    await sql.unsafe(
      `INSERT INTO ${this.stepsTable} (version, phase, step, statement_hash, started_at, completed_at, duration_ms, retries)
       VALUES ($1, $2, $3, $4, now(), now(), $5, $6)
       ON CONFLICT (version, phase, step) DO UPDATE SET statement_hash = excluded.statement_hash,
         completed_at = now(), duration_ms = excluded.duration_ms, retries = excluded.retries`,
      [s.version, s.phase, s.step, s.hash, Math.round(s.durationMs), s.retries],
    );
  }

  /**
   * A phase finished. The phase's duration is the sum of its steps' (a resumed phase counts only the time
   * spent running). A migration without a contract section is complete once its expand phase is.
   */
  async phaseDone(sql: Client, version: string, phase: Phase, alsoContract: boolean): Promise<void> {
    if (phase === "rollback") return this.rolledBack(sql, version);
    const contract = alsoContract
      ? ", contract_started_at = coalesce(contract_started_at, now()), contract_completed_at = now(), contract_duration_ms = 0"
      : "";
    await sql.unsafe(
      `UPDATE ${this.migrations} SET ${phase}_completed_at = now(),
         ${phase}_duration_ms = (SELECT coalesce(sum(duration_ms), 0) FROM ${this.stepsTable} WHERE version = $1 AND phase = $2)
         ${contract}
       WHERE version = $1`,
      [version, phase],
    );
  }

  /**
   * A migration's down part finished: it is pending again. Its phases' times and its recorded steps (expand,
   * contract and rollback) are cleared, so that `up` runs it from its first step; the row stays, with
   * `rolled_back_at`, as the record that it was applied once.
   */
  private async rolledBack(sql: Client, version: string): Promise<void> {
    await sql.unsafe(
      `UPDATE ${this.migrations} SET expand_started_at = NULL, expand_completed_at = NULL,
         contract_started_at = NULL, contract_completed_at = NULL, expand_duration_ms = NULL,
         contract_duration_ms = NULL, baseline = false, rollback_started_at = NULL, rolled_back_at = now()
       WHERE version = $1`,
      [version],
    );
    await sql.unsafe(`DELETE FROM ${this.stepsTable} WHERE version = $1`, [version]);
  }

  /**
   * Records a migration as applied without running it (adopting safemigrate on an existing database); a
   * recorded one is left alone unless it was rolled back (its row then records nothing applied).
   */
  async baseline(
    sql: Client,
    m: { version: string; name: string; checksum: string; file: string },
  ): Promise<boolean> {
    const rows = await sql.unsafe(
      `INSERT INTO ${this.migrations} (version, name, checksum, file, expand_completed_at, contract_completed_at,
         applied_by, baseline)
       VALUES ($1, $2, $3, $4, now(), now(), current_user || '@' || $5, true)
       ON CONFLICT (version) DO UPDATE SET name = excluded.name, checksum = excluded.checksum,
         file = excluded.file, expand_completed_at = now(), contract_completed_at = now(),
         applied_by = excluded.applied_by, baseline = true
         -- Only the row of a rolled-back migration, which records nothing applied.
         WHERE ${this.migrations}.expand_started_at IS NULL AND ${this.migrations}.expand_completed_at IS NULL
       RETURNING version`,
      [m.version, m.name, m.checksum, m.file, hostname()],
    );
    return rows.length > 0;
  }
}

function date(value: unknown): Date | null {
  return value instanceof Date ? value : value ? new Date(String(value)) : null;
}

function toRecord(r: Record<string, unknown>): MigrationRecord {
  const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  return {
    version: String(r.version),
    name: String(r.name),
    checksum: String(r.checksum),
    file: (r.file as string | null) ?? null,
    expandStartedAt: date(r.expand_started_at),
    expandCompletedAt: date(r.expand_completed_at),
    contractStartedAt: date(r.contract_started_at),
    contractCompletedAt: date(r.contract_completed_at),
    expandDurationMs: num(r.expand_duration_ms),
    contractDurationMs: num(r.contract_duration_ms),
    appliedBy: (r.applied_by as string | null) ?? null,
    baseline: r.baseline === true,
    rollbackStartedAt: date(r.rollback_started_at),
    rolledBackAt: date(r.rolled_back_at),
    failedAt: date(r.failed_at),
    error: (r.error as string | null) ?? null,
  };
}
