/**
 * `status`: each migration's state from the files and the history. States: pending (expand not done;
 * `partial` when an interrupted run left some steps done), failed (the last run of a phase stopped on a
 * failed statement: its error and when are kept), expanded (contract section not run yet), complete,
 * drifted (the file changed after it was applied), missing-file (recorded, no file any more).
 */
import { connect } from "../db/connect.js";
import { History, type MigrationRecord } from "../db/history.js";
import { discoverMigrations } from "../migrations/discover.js";
import type { LayoutName, Migration } from "../migrations/migration.js";

export type MigrationState = "pending" | "failed" | "expanded" | "complete" | "drifted" | "missing-file";

export interface StatusRow {
  version: string;
  name: string;
  file: string | null;
  state: MigrationState;
  /** Some steps of an unfinished phase are done (an interrupted or failed run): `up` resumes after them. */
  partial: boolean;
  /** State `failed`: when the last run stopped, and on what (`file:line: error`). */
  failedAt: string | null;
  error: string | null;
  /** A rollback of its expand started and did not finish: `rollback` resumes it. */
  rollingBack: boolean;
  baseline: boolean;
  /** A goose Go migration: safemigrate lists and records it but cannot run it (goose does). */
  go: boolean;
  /** When its last completed phase finished. */
  appliedAt: string | null;
  /** Time spent running its phases (ms). */
  durationMs: number | null;
}

export interface StatusOptions {
  dir: string;
  layout?: LayoutName;
  databaseUrl: string;
  historySchema: string;
}

export async function migrationStatus(options: StatusOptions): Promise<StatusRow[]> {
  const set = await discoverMigrations(options.dir, options.layout ? { layout: options.layout } : {});
  const db = await connect(options.databaseUrl, { max: 1 });
  try {
    const history = new History(options.historySchema);
    const records = await history.read(db.sql);
    return statusRows(set.migrations, records, await history.readStepHashes(db.sql));
  } finally {
    await db.close();
  }
}

function statusRows(
  migrations: Migration[],
  records: Map<string, MigrationRecord>,
  doneSteps: Map<string, string[]>,
): StatusRow[] {
  const stepsDone = (version: string, phase: string) =>
    (doneSteps.get(`${version}/${phase}`)?.length ?? 0) > 0;
  const rows: StatusRow[] = migrations.map((m) =>
    row(m.version, m.name, m.file.path, m, records.get(m.version), stepsDone),
  );
  const known = new Set(migrations.map((m) => m.version));
  for (const record of records.values()) {
    // A rolled-back migration whose file was then deleted left nothing applied behind: nothing is missing.
    const applied = record.expandStartedAt || record.contractStartedAt || record.rollbackStartedAt;
    if (!known.has(record.version) && applied) {
      rows.push(row(record.version, record.name, record.file, null, record, stepsDone));
    }
  }
  return rows;
}

function row(
  version: string,
  name: string,
  file: string | null,
  migration: Migration | null,
  record: MigrationRecord | undefined,
  stepsDone: (version: string, phase: string) => boolean,
): StatusRow {
  const failed = Boolean(record?.failedAt) && !record?.contractCompletedAt;
  const state: MigrationState = !migration
    ? "missing-file"
    : !record
      ? "pending"
      : record.expandCompletedAt && record.checksum !== migration.checksum
        ? "drifted"
        : failed
          ? "failed"
          : record.contractCompletedAt
            ? "complete"
            : record.expandCompletedAt
              ? "expanded"
              : "pending";
  const applied = record?.contractCompletedAt ?? record?.expandCompletedAt ?? null;
  const duration =
    record && (record.expandDurationMs !== null || record.contractDurationMs !== null)
      ? (record.expandDurationMs ?? 0) + (record.contractDurationMs ?? 0)
      : null;
  return {
    version,
    name,
    file,
    state,
    // A run that stopped before any step was done left nothing applied: not partial.
    partial:
      (Boolean(record?.expandStartedAt && !record.expandCompletedAt) && stepsDone(version, "expand")) ||
      (Boolean(record?.contractStartedAt && !record.contractCompletedAt && record.expandCompletedAt) &&
        stepsDone(version, "contract")),
    failedAt: failed && record?.failedAt ? record.failedAt.toISOString() : null,
    error: failed ? (record?.error ?? null) : null,
    rollingBack: Boolean(record?.rollbackStartedAt),
    baseline: record?.baseline ?? false,
    go: migration?.go ?? false,
    appliedAt: applied ? applied.toISOString() : null,
    durationMs: duration,
  };
}

/** `status --check`: migrations whose expand phase has not run (what `up` would do). */
export function pendingWork(rows: StatusRow[]): StatusRow[] {
  return rows.filter((r) => r.state === "pending" || (r.state === "failed" && r.appliedAt === null));
}
