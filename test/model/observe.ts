/**
 * Runs a catalogued statement on a real server and records what Postgres did: the relation locks its
 * backend held (pg_locks), which relations got a new relfilenode (rewrites), which were read by a
 * sequential scan (pg_stat_get_xact_numscans, in the statement's own transaction) and which indexes were
 * built. Relations are keyed by oid so that renames, drops and creations line up with the model's names.
 */
import type postgres from "postgres";
import type { StatementCase } from "../catalogue/statements.js";

export interface PgRelation {
  oid: number;
  /** Schema-qualified unless public, as the model spells relations. */
  name: string;
  relkind: string;
  /** pg_relation_filenode; null for relations without storage. */
  filenode: number | null;
  /** For an index: the oid of its table. */
  indexOf: number | null;
}

export interface PgLock {
  mode: string;
  granted: boolean;
}

export interface Observation {
  /** Committed state before the statement. */
  before: Map<number, PgRelation>;
  /** Committed state after the statement. */
  after: Map<number, PgRelation>;
  /** Relation locks of the statement's backend, every mode seen per relation oid. */
  locks: Map<number, PgLock[]>;
  /** Sequential scans per relation oid during the statement; null when not measurable (no transaction). */
  scans: Map<number, number> | null;
  /** A model relation name to its oid: resolved before the statement, else after it. */
  oidOf: Map<string, number | null>;
  /** SQLSTATE Postgres raised for the statement inside a transaction block (non-transactional cases). */
  rejectedInTransaction: string | null;
}

const USER_RELATIONS = `
  SELECT c.oid::int AS oid,
         CASE WHEN n.nspname = 'public' THEN c.relname ELSE n.nspname || '.' || c.relname END AS name,
         c.relkind::text AS relkind,
         pg_relation_filenode(c.oid)::int AS filenode,
         i.indrelid::int AS "indexOf"
  FROM pg_class c
  JOIN pg_namespace n ON n.oid = c.relnamespace
  LEFT JOIN pg_index i ON i.indexrelid = c.oid
  WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
    AND n.nspname NOT LIKE 'pg_toast%' AND n.nspname NOT LIKE 'pg_temp%'`;

const SCANS = `
  SELECT c.oid::int AS oid, pg_stat_get_xact_numscans(c.oid)::int AS scans
  FROM pg_class c
  JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE c.relkind IN ('r', 'm')
    AND n.nspname NOT IN ('pg_catalog', 'information_schema')
    AND n.nspname NOT LIKE 'pg_toast%' AND n.nspname NOT LIKE 'pg_temp%'`;

type Client = postgres.Sql | postgres.ReservedSql;

async function relations(sql: Client): Promise<Map<number, PgRelation>> {
  const rows = await sql.unsafe<PgRelation[]>(USER_RELATIONS);
  return new Map(rows.map((r) => [r.oid, { ...r }]));
}

async function scanCounts(sql: Client): Promise<Map<number, number>> {
  const rows = await sql.unsafe<{ oid: number; scans: number }[]>(SCANS);
  return new Map(rows.map((r) => [r.oid, r.scans]));
}

async function resolve(sql: Client, names: string[]): Promise<Map<string, number | null>> {
  if (names.length === 0) return new Map();
  const rows = await sql<{ name: string; oid: number | null }[]>`
    SELECT r AS name, to_regclass(r)::oid::int AS oid FROM unnest(${names}::text[]) AS r`;
  return new Map(rows.map((r) => [r.name, r.oid]));
}

async function locksOf(sql: Client, pid: number): Promise<Map<number, PgLock[]>> {
  const rows = await sql<{ oid: number; mode: string; granted: boolean }[]>`
    SELECT relation::int AS oid, mode, granted FROM pg_locks
    WHERE pid = ${pid} AND locktype = 'relation' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`;
  const locks = new Map<number, PgLock[]>();
  for (const { oid, mode, granted } of rows) locks.set(oid, [...(locks.get(oid) ?? []), { mode, granted }]);
  return locks;
}

/** Drops every user schema (and so every object of the previous case) and recreates an empty public. */
export async function resetDatabase(sql: postgres.Sql): Promise<void> {
  const schemas = await sql<{ nspname: string }[]>`
    SELECT nspname FROM pg_namespace
    WHERE nspname NOT IN ('pg_catalog', 'information_schema') AND nspname NOT LIKE 'pg\\_%'`;
  const drops = schemas.map((s) => `DROP SCHEMA "${s.nspname}" CASCADE;`).join(" ");
  await sql.unsafe(`${drops} CREATE SCHEMA public;`);
}

/** Runs each setup statement, committed, on one connection (a SET holds for the rest of the setup). */
export async function runSetup(sql: postgres.Sql, setup: string[]): Promise<void> {
  const conn = await sql.reserve();
  try {
    for (const statement of setup) await conn.unsafe(statement);
  } finally {
    await conn.unsafe("RESET ALL").catch(() => {});
    conn.release();
  }
}

/**
 * Runs the statement in a transaction that is committed: locks are read from another session while the
 * transaction is open, scan counters before and after the statement inside it, relfilenodes before and
 * after the commit.
 */
export async function observeInTransaction(
  sql: postgres.Sql,
  testCase: StatementCase,
  modelNames: string[],
): Promise<Observation> {
  const conn = await sql.reserve();
  try {
    for (const setting of testCase.session ?? []) await conn.unsafe(setting);
    const before = await relations(conn);
    const resolvedBefore = await resolve(conn, modelNames);
    const [backend] = await conn<{ pid: number }[]>`SELECT pg_backend_pid() AS pid`;
    const pid = backend?.pid ?? -1;
    await conn.unsafe("BEGIN");
    let locks: Map<number, PgLock[]>;
    let scans: Map<number, number>;
    try {
      for (const statement of testCase.earlierInTransaction ?? []) await conn.unsafe(statement);
      const scansBefore = await scanCounts(conn);
      await conn.unsafe(testCase.sql);
      const scansAfter = await scanCounts(conn);
      locks = await locksOf(sql, pid);
      scans = new Map(
        [...scansAfter].map(([oid, n]) => [oid, n - (scansBefore.get(oid) ?? 0)] as [number, number]),
      );
    } catch (error) {
      await conn.unsafe("ROLLBACK").catch(() => {});
      throw error;
    }
    await conn.unsafe("COMMIT");
    const after = await relations(conn);
    const resolvedAfter = await resolve(conn, modelNames);
    return {
      before,
      after,
      locks,
      scans,
      oidOf: merge(resolvedBefore, resolvedAfter),
      rejectedInTransaction: null,
    };
  } finally {
    await conn.unsafe("RESET ALL").catch(() => {});
    conn.release();
  }
}

function merge(
  before: Map<string, number | null>,
  after: Map<string, number | null>,
): Map<string, number | null> {
  const merged = new Map(after);
  for (const [name, oid] of before) if (oid !== null) merged.set(name, oid);
  return merged;
}

/** The SQLSTATE Postgres raises when the statement runs inside a transaction block, or null. */
async function rejectionInTransaction(sql: postgres.Sql, statement: string): Promise<string | null> {
  const conn = await sql.reserve();
  try {
    await conn.unsafe("BEGIN");
    try {
      await conn.unsafe(statement);
      return null;
    } catch (error) {
      return (error as { code?: string }).code ?? "unknown";
    } finally {
      await conn.unsafe("ROLLBACK").catch(() => {});
    }
  } finally {
    conn.release();
  }
}

/**
 * For statements that cannot run in a transaction block: checks that Postgres rejects them there, then
 * runs them for real while a second session holds `blocker` open, so that the statement blocks part-way;
 * its locks (granted, and the one it waits for) are read from pg_locks while it waits.
 */
export async function observeBlocked(
  sql: postgres.Sql,
  testCase: StatementCase,
  modelNames: string[],
): Promise<Observation> {
  const rejectedInTransaction = await rejectionInTransaction(sql, testCase.sql);
  const before = await relations(sql);
  const resolvedBefore = await resolve(sql, modelNames);
  const blocker = await sql.reserve();
  const conn = await sql.reserve();
  let locks = new Map<number, PgLock[]>();
  try {
    await blocker.unsafe("BEGIN");
    if (testCase.blocker) await blocker.unsafe(testCase.blocker);
    const [backend] = await conn<{ pid: number }[]>`SELECT pg_backend_pid() AS pid`;
    const pid = backend?.pid ?? -1;
    let settled = false;
    const running = conn.unsafe(testCase.sql).then(
      () => null,
      (error: unknown) => error,
    );
    void running.then(() => {
      settled = true;
    });
    if (testCase.blocker) {
      const deadline = Date.now() + 10_000;
      for (;;) {
        const [waiting] = await sql<{ n: number }[]>`
          SELECT count(*)::int AS n FROM pg_locks WHERE pid = ${pid} AND NOT granted`;
        if ((waiting?.n ?? 0) > 0) break;
        if (settled) {
          const failure = await running;
          if (failure) throw failure;
          throw new Error(`"${testCase.sql}" finished without blocking behind "${testCase.blocker}"`);
        }
        if (Date.now() > deadline)
          throw new Error(`"${testCase.sql}" did not block behind "${testCase.blocker}"`);
        await new Promise((r) => setTimeout(r, 10));
      }
      locks = await locksOf(sql, pid);
    }
    await blocker.unsafe("ROLLBACK");
    const failure = await running;
    if (failure) throw failure;
  } finally {
    await blocker.unsafe("ROLLBACK").catch(() => {});
    blocker.release();
    conn.release();
  }
  const after = await relations(sql);
  const resolvedAfter = await resolve(sql, modelNames);
  return {
    before,
    after,
    locks,
    scans: null,
    oidOf: merge(resolvedBefore, resolvedAfter),
    rejectedInTransaction,
  };
}
