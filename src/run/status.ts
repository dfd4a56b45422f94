/**
 * `status`: each migration's state from the files and the history. States: pending (expand not done;
 * `partial` when an interrupted run left some steps done), expanded (contract section not run yet),
 * complete, drifted (the file changed after it was applied), missing-file (recorded, no file any more).
 */
import { connect } from "../db/connect.js";
import { History, type MigrationRecord } from "../db/history.js";
import { discoverMigrations } from "../migrations/discover.js";
import type { LayoutName, Migration } from "../migrations/migration.js";

export type MigrationState = "pending" | "expanded" | "complete" | "drifted" | "missing-file";

export interface StatusRow {
  version: string;
  name: string;
  file: string | null;
  state: MigrationState;
  /** Started but not finished (an interrupted or failed run): `up` resumes it. */
  partial: boolean;
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
    const records = await new History(options.historySchema).read(db.sql);
    return statusRows(set.migrations, records);
  } finally {
    await db.close();
  }
}

function statusRows(migrations: Migration[], records: Map<string, MigrationRecord>): StatusRow[] {
  const rows: StatusRow[] = migrations.map((m) =>
    row(m.version, m.name, m.file.path, m, records.get(m.version)),
  );
  const known = new Set(migrations.map((m) => m.version));
  for (const record of records.values()) {
    // A rolled-back migration whose file was then deleted left nothing applied behind: nothing is missing.
    const applied = record.expandStartedAt || record.contractStartedAt || record.rollbackStartedAt;
    if (!known.has(record.version) && applied)
      rows.push(row(record.version, record.name, record.file, null, record));
  }
  return rows;
}

function row(
  version: string,
  name: string,
  file: string | null,
  migration: Migration | null,
  record: MigrationRecord | undefined,
): StatusRow {
  const state: MigrationState = !migration
    ? "missing-file"
    : !record
      ? "pending"
      : record.expandCompletedAt && record.checksum !== migration.checksum
        ? "drifted"
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
    partial:
      Boolean(record?.expandStartedAt && !record.expandCompletedAt) ||
      Boolean(record?.contractStartedAt && !record.contractCompletedAt && record.expandCompletedAt),
    rollingBack: Boolean(record?.rollbackStartedAt),
    baseline: record?.baseline ?? false,
    go: migration?.go ?? false,
    appliedAt: applied ? applied.toISOString() : null,
    durationMs: duration,
  };
}

/** `status --check`: migrations whose expand phase has not run (what `up` would do). */
export function pendingWork(rows: StatusRow[]): StatusRow[] {
  return rows.filter((r) => r.state === "pending");
}
