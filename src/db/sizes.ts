/**
 * Relations' row estimates and sizes, read the one way both `plan --database-url` and `safemigrate stats`
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
 * reltuples is -1 (Postgres 14 and later) before the first ANALYZE or VACUUM; before 14 it is 0 then, as for
 * an empty analysed table: unknown, not empty. relpages × block_size is the size without taking a lock.
 */
const ESTIMATES = `c.oid::int8::text AS oid,
  CASE WHEN c.reltuples < 0 OR (c.reltuples = 0 AND current_setting('server_version_num')::int < 140000)
    THEN NULL ELSE c.reltuples::float8 END AS rows,
  (c.relpages::int8 * current_setting('block_size')::int8)::text AS pages_bytes`;

interface SizeRow {
  oid: string;
  rows: number | null;
  pages_bytes: string;
  total?: string;
  table?: string;
}

function sizeOf(row: SizeRow, measured: boolean): RelationSize {
  const rows = row.rows === null ? null : Math.round(row.rows);
  if (!measured) return { rows, totalBytes: Number(row.pages_bytes), tableBytes: Number(row.pages_bytes) };
  return { rows, totalBytes: Number(row.total ?? 0), tableBytes: Number(row.table ?? 0) };
}

/**
 * Row estimates and sizes of the relations `oids`, by oid, inside a transaction that set a short
 * lock_timeout. pg_total_relation_size takes an AccessShareLock on each relation: all are read in one query,
 * and if someone holds an AccessExclusiveLock on one of them, the lock timeout fires and each is read on its
 * own, the locked ones from pg_class.relpages (no lock).
 */
export async function relationSizes(tx: TransactionSql, oids: string[]): Promise<Map<string, RelationSize>> {
  const sizes = new Map<string, RelationSize>();
  if (oids.length === 0) return sizes;
  try {
    const rows = await tx.savepoint((sp) =>
      sp.unsafe<SizeRow[]>(
        `SELECT ${ESTIMATES}, pg_total_relation_size(c.oid)::text AS total, pg_table_size(c.oid)::text AS table
         FROM pg_class c WHERE c.oid = ANY($1::oid[])`,
        [oids],
      ),
    );
    for (const row of rows) sizes.set(row.oid, sizeOf(row, true));
    return sizes;
  } catch {
    for (const oid of oids) {
      const size = await relationSize(tx, oid);
      if (size) sizes.set(oid, size);
    }
    return sizes;
  }
}

async function relationSize(tx: TransactionSql, oid: string): Promise<RelationSize | null> {
  const [row] = await tx.unsafe<SizeRow[]>(`SELECT ${ESTIMATES} FROM pg_class c WHERE c.oid = $1::oid`, [
    oid,
  ]);
  if (!row) return null;
  try {
    const [size] = await tx.savepoint((sp) =>
      sp.unsafe<{ total: string; table: string }[]>(
        "SELECT pg_total_relation_size($1::oid)::text AS total, pg_table_size($1::oid)::text AS table",
        [oid],
      ),
    );
    return sizeOf({ ...row, ...size }, true);
  } catch {
    return sizeOf(row, false);
  }
}
