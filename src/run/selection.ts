/** Which migrations a command considers: `--to VERSION`, and the applied ones whose file changed. */
import type { MigrationRecord } from "../db/history.js";
import { UsageError } from "../errors.js";
import type { Migration } from "../migrations/migration.js";

/** The migrations up to and including `to` (all when not given); an unknown version is a usage error. */
export function selectUpTo(migrations: Migration[], to: string | undefined): Migration[] {
  if (to === undefined) return migrations;
  const index = migrations.findIndex((m) => m.version === to);
  if (index === -1) throw new UsageError(`--to ${to}: no migration with that version`);
  return migrations.slice(0, index + 1);
}

/**
 * Applied migrations (expand done, or baselined) whose up part differs from the file's now. One that failed
 * or was interrupted before its expand finished may be fixed and rerun: the steps it completed are checked
 * one by one when it resumes.
 */
export function driftedMigrations(
  migrations: Migration[],
  records: Map<string, MigrationRecord>,
): Migration[] {
  return migrations.filter((m) => {
    const record = records.get(m.version);
    return Boolean(record?.expandCompletedAt) && record?.checksum !== m.checksum;
  });
}
