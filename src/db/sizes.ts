/**
 * A relation's row estimate and size, read the one way both `plan --database-url` and `safemigrate stats`
 * read them, so that a stats file gives the estimates a live plan would.
 */
import type { TransactionSql } from "./connect.js";

/** Row estimate and sizes of a table-like relation. */
export interface RelationSize {
  /** pg_class.reltuples; null when the relation was never analysed or vacuumed, or does not exist yet. */
  rows: number | null;
  /** pg_total_relation_size: heap, indexes and TOAST. */
  totalBytes: number | null;
  /** pg_table_size: heap and TOAST, what a scan reads. */
  tableBytes: number | null;
}

/**
 * Row estimate and size of the relation `oid`, inside a transaction that set a short lock_timeout.
 * pg_total_relation_size takes an AccessShareLock on the relation: if someone holds an AccessExclusiveLock,
 * the lock timeout fires and the size falls back to pg_class.relpages (no lock).
 */
export async function relationSize(tx: TransactionSql, oid: string): Promise<RelationSize> {
  // reltuples is -1 (Postgres 14 and later) before the first ANALYZE or VACUUM; before 14 it is 0 then, as
  // for an empty analysed table: unknown, not empty.
  const [stats] = await tx<{ rows: number | null; pages_bytes: string }[]>`
    SELECT CASE WHEN reltuples < 0 OR (reltuples = 0 AND current_setting('server_version_num')::int < 140000)
        THEN NULL ELSE reltuples::float8 END AS rows, (relpages::int8 * current_setting('block_size')::int8)::text AS pages_bytes
    FROM pg_class WHERE oid = ${oid}::oid`;
  const rows = stats?.rows === null || stats?.rows === undefined ? null : Math.round(stats.rows);
  try {
    const [size] = await tx.savepoint(
      (sp) => sp<{ total: string; table: string }[]>`
        SELECT pg_total_relation_size(${oid}::oid)::text AS total, pg_table_size(${oid}::oid)::text AS table`,
    );
    return { rows, totalBytes: Number(size?.total ?? 0), tableBytes: Number(size?.table ?? 0) };
  } catch {
    const bytes = stats ? Number(stats.pages_bytes) : null;
    return { rows, totalBytes: bytes, tableBytes: bytes };
  }
}
