/** Catalog and activity queries the runner needs: index state, blockers, build progress, relation sizes. */
import type { CatalogPartitionedTable } from "../analysis/model.js";
import type { ReservedSql, Sql, TransactionSql } from "./connect.js";
import { displayNameSql, qualified } from "./ident.js";

type Client = Sql | ReservedSql | TransactionSql;

export interface IndexState {
  exists: boolean;
  valid: boolean;
}

export async function indexState(sql: Client, schema: string | null, name: string): Promise<IndexState> {
  const [row] = await sql<{ valid: boolean | null }[]>`
    SELECT i.indisvalid AS valid FROM pg_index i WHERE i.indexrelid = to_regclass(${qualified(schema, name)})`;
  return { exists: row !== undefined, valid: row?.valid === true };
}

/** Drops the index if it exists and is INVALID (what a failed or killed concurrent build leaves). */
export async function dropInvalidIndex(sql: Client, schema: string | null, name: string): Promise<boolean> {
  const state = await indexState(sql, schema, name);
  if (!state.exists || state.valid) return false;
  await sql.unsafe(`DROP INDEX CONCURRENTLY IF EXISTS ${qualified(schema, name)}`);
  return true;
}

/**
 * Drops the INVALID `<name>_ccnew` / `<name>_ccnewN` copies a killed REINDEX CONCURRENTLY leaves on the
 * index's table (and the `_ccold` ones it leaves when killed while swapping).
 */
export async function dropReindexLeftovers(
  sql: Client,
  schema: string | null,
  name: string,
): Promise<string[]> {
  const rows = await sql<{ name: string; schema: string }[]>`
    SELECT c.relname AS name, n.nspname AS schema
    FROM pg_index target
    JOIN pg_index i ON i.indrelid = target.indrelid AND NOT i.indisvalid
    JOIN pg_class c ON c.oid = i.indexrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE target.indexrelid = to_regclass(${qualified(schema, name)})`;
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const leftover = new RegExp(`^${escaped}_cc(new|old)[0-9]*$`);
  const dropped = rows.filter((r) => leftover.test(r.name));
  for (const row of dropped)
    await sql.unsafe(`DROP INDEX CONCURRENTLY IF EXISTS ${qualified(row.schema, row.name)}`);
  return dropped.map((r) => r.name);
}

export interface Blocker {
  pid: number;
  query: string;
  state: string | null;
  /** How long its transaction has been open (ms). */
  ageMs: number | null;
}

/** The sessions `pid` is waiting for (pg_blocking_pids), with what they run. */
export async function blockersOf(sql: Client, pid: number): Promise<Blocker[]> {
  const rows = await sql<{ pid: number; query: string | null; state: string | null; age: string | null }[]>`
    SELECT a.pid, a.query, a.state,
      (extract(epoch FROM (clock_timestamp() - coalesce(a.xact_start, a.query_start))) * 1000)::bigint AS age
    FROM pg_stat_activity a WHERE a.pid = ANY(pg_blocking_pids(${pid}))`;
  return rows.map(blockerOf);
}

/** A session holding a granted lock on a relation, with its transaction's age. */
export interface HeldLockSession extends Blocker {
  /** The relation as the statement model names it. */
  relation: string;
  mode: string;
}

/**
 * Granted relation locks that other sessions hold on `relations` (named as the statement model names them),
 * in transactions open for longer than `olderThanMs`. Relations that do not exist yet hold no locks.
 * Autovacuum workers are left out unless they prevent wraparound: Postgres cancels the others as soon as
 * a conflicting lock request waits for them (after deadlock_timeout).
 */
export async function heldLocks(
  sql: Client,
  relations: string[],
  olderThanMs: number,
  excludePid: number,
): Promise<HeldLockSession[]> {
  const rows = await sql<
    {
      pid: number;
      query: string | null;
      state: string | null;
      age: string | null;
      relation: string;
      mode: string;
    }[]
  >`
    SELECT a.pid, a.query, a.state, r.name AS relation, l.mode,
      (extract(epoch FROM (clock_timestamp() - coalesce(a.xact_start, a.query_start))) * 1000)::bigint AS age
    FROM unnest(${relations}::text[], ${relations.map(displayToSql)}::text[]) AS r(name, regname)
    JOIN pg_locks l ON l.locktype = 'relation' AND l.granted AND l.relation = to_regclass(r.regname)
      AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
    JOIN pg_stat_activity a ON a.pid = l.pid
    WHERE l.pid <> pg_backend_pid() AND l.pid <> ${excludePid}
      AND (a.backend_type IS DISTINCT FROM 'autovacuum worker' OR a.query LIKE '%(to prevent wraparound)%')
      AND clock_timestamp() - coalesce(a.xact_start, a.query_start) > ${olderThanMs} * interval '1 millisecond'
    ORDER BY a.pid`;
  return rows.map((r) => ({ ...blockerOf(r), relation: r.relation, mode: r.mode }));
}

function blockerOf(r: {
  pid: number;
  query: string | null;
  state: string | null;
  age: string | null;
}): Blocker {
  return {
    pid: Number(r.pid),
    query: (r.query ?? "").replace(/\s+/g, " ").trim().slice(0, 200),
    state: r.state,
    ageMs: r.age === null ? null : Number(r.age),
  };
}

export interface BuildProgress {
  phase: string;
  blocksDone: number;
  blocksTotal: number;
  tuplesDone: number;
  tuplesTotal: number;
  lockersDone: number;
  lockersTotal: number;
}

/** pg_stat_progress_create_index for the backend `pid`; null when it is not building an index. */
export async function buildProgress(sql: Client, pid: number): Promise<BuildProgress | null> {
  const [row] = await sql<Record<string, string>[]>`
    SELECT phase, blocks_done, blocks_total, tuples_done, tuples_total, lockers_done, lockers_total
    FROM pg_stat_progress_create_index WHERE pid = ${pid}`;
  if (!row) return null;
  return {
    phase: String(row.phase),
    blocksDone: Number(row.blocks_done),
    blocksTotal: Number(row.blocks_total),
    tuplesDone: Number(row.tuples_done),
    tuplesTotal: Number(row.tuples_total),
    lockersDone: Number(row.lockers_done),
    lockersTotal: Number(row.lockers_total),
  };
}

/**
 * Approximate row counts, for the lint gate's small-table threshold: pg_class.reltuples where the relation
 * has been analysed or vacuumed, else a count bounded by `limit` (cheap on the small tables it is about).
 * An index counts as its table. Relations that do not exist yet (created by a pending migration) are absent
 * from the result.
 */
export async function relationRows(sql: Sql, names: string[], limit: number): Promise<Map<string, number>> {
  const result = new Map<string, number>();
  for (const name of names) {
    const [row] = await sql<{ oid: number; table: string; tuples: number }[]>`
      SELECT coalesce(i.indrelid, c.oid)::regclass::text AS table, t.reltuples::float8 AS tuples, t.oid::int8 AS oid
      FROM pg_class c
      LEFT JOIN pg_index i ON i.indexrelid = c.oid
      JOIN pg_class t ON t.oid = coalesce(i.indrelid, c.oid)
      WHERE c.oid = to_regclass(${displayToSql(name)})`;
    if (!row) continue;
    if (row.tuples > 0) {
      result.set(name, row.tuples);
      continue;
    }
    try {
      const [counted] = await sql.begin(async (tx) => {
        await tx.unsafe("SET LOCAL lock_timeout = '1s'");
        return tx.unsafe(`SELECT count(*)::int8 AS n FROM (SELECT 1 FROM ${row.table} LIMIT ${limit + 1}) s`);
      });
      result.set(name, Number(counted?.n));
    } catch {
      result.set(name, Number.POSITIVE_INFINITY);
    }
  }
  return result;
}

/** The model's display name (`schema.name`, or `name` for public / search_path) as a quoted SQL name. */
function displayToSql(name: string): string {
  const dot = name.indexOf(".");
  return dot === -1 ? qualified(null, name) : qualified(name.slice(0, dot), name.slice(dot + 1));
}

/**
 * The partitioned tables of the database with their key columns (null when the key has an expression),
 * their partitions and their NOT NULL columns, named as the statement model names relations, for the schema context.
 */
export async function partitionedTables(sql: Client): Promise<CatalogPartitionedTable[]> {
  return sql.unsafe<CatalogPartitionedTable[]>(
    `SELECT ${displayNameSql("c", "n")} AS table,
       CASE WHEN 0 = ANY (pt.partattrs::int2[]) THEN NULL ELSE ARRAY(
         SELECT a.attname::text FROM unnest(pt.partattrs::int2[]) WITH ORDINALITY AS u(attnum, i)
         JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = u.attnum ORDER BY u.i) END AS key,
       ARRAY(
         SELECT ${displayNameSql("pc", "pn")} FROM pg_inherits i
         JOIN pg_class pc ON pc.oid = i.inhrelid JOIN pg_namespace pn ON pn.oid = pc.relnamespace
         WHERE i.inhparent = c.oid ORDER BY 1) AS partitions,
       ARRAY(SELECT a.attname::text FROM pg_attribute a
         WHERE a.attrelid = c.oid AND a.attnum > 0 AND a.attnotnull AND NOT a.attisdropped ORDER BY a.attnum) AS "notNull"
     FROM pg_partitioned_table pt
     JOIN pg_class c ON c.oid = pt.partrelid JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
     ORDER BY 1`,
  );
}
