/** Which migrations a command considers: the applied ones whose file changed. */
import type { MigrationRecord } from "../db/history.js";
import type { Migration } from "../migrations/migration.js";

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
