/**
 * Helpers for tests that need a real Postgres server. The servers are started once per run by
 * ./global-setup.ts; see docs/testing.md.
 */
import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { inject } from "vitest";

export interface TestDatabase {
  /** Name of the database, unique to this call. */
  name: string;
  /** Connection URL of the database (contains a password: do not print it). */
  url: string;
  /** A postgres.js client connected to the database. */
  sql: postgres.Sql;
  /** Ends `sql` and drops the database, disconnecting any other session still in it. */
  drop(): Promise<void>;
}

export interface HeldLock {
  /** Relation name, schema-qualified unless the schema is public (the oid if the name is unknown). */
  relation: string;
  /** pg_class.relkind: "r" table, "i" index, "S" sequence, "v" view, "p" partitioned table, ... */
  relkind: string;
  /** Lock mode as pg_locks shows it, e.g. "AccessExclusiveLock". */
  mode: string;
}

/** The Postgres majors this run has servers for, lowest first. */
export function testMajors(): string[] {
  return Object.keys(inject("pgUrls")).sort((a, b) => Number(a) - Number(b));
}

/** Connection URL of the server for `major` (default: the run's default major). Contains a password. */
export function testDatabaseUrl(major: string = inject("pgDefaultMajor")): string {
  const url = inject("pgUrls")[major];
  if (!url) {
    throw new Error(
      `no Postgres ${major} server in this run (have: ${testMajors().join(", ")}); ` +
        `run with SAFEMIGRATE_TEST_PG_MAJORS=${major} or add it to the list`,
    );
  }
  return url;
}

function adminClient(major?: string): postgres.Sql {
  return postgres(testDatabaseUrl(major), { max: 1, onnotice: () => {} });
}

/**
 * Creates a fresh, uniquely named database on the server for `major`, so that test files are isolated from
 * each other and can run in parallel. Call `drop()` when done (e.g. in afterAll).
 */
export async function createTestDatabase(major?: string): Promise<TestDatabase> {
  const name = `sm_test_${process.pid}_${randomBytes(4).toString("hex")}`;
  const admin = adminClient(major);
  try {
    await admin.unsafe(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(testDatabaseUrl(major));
  url.pathname = `/${name}`;
  const sql = postgres(url.toString(), { onnotice: () => {} });
  let dropped = false;
  return {
    name,
    url: url.toString(),
    sql,
    async drop() {
      if (dropped) return;
      dropped = true;
      await sql.end({ timeout: 5 });
      const admin = adminClient(major);
      try {
        await admin.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await admin.end();
      }
    },
  };
}

type RelationInfo = { relation: string; relkind: string };

async function describeRelations(sql: postgres.Sql, oids: number[]): Promise<Map<number, RelationInfo>> {
  const rows = await sql<{ oid: number; nspname: string; relname: string; relkind: string }[]>`
    SELECT c.oid, n.nspname, c.relname, c.relkind
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.oid = ANY(${oids}::oid[])`;
  return new Map(
    rows.map((r) => [
      r.oid,
      { relation: r.nspname === "public" ? r.relname : `${r.nspname}.${r.relname}`, relkind: r.relkind },
    ]),
  );
}

/**
 * Runs `statement` (one or more SQL statements, no parameters) in a transaction on a dedicated connection
 * of `sql`, returns the relation locks that transaction then holds, and rolls it back. The locks are read
 * from another connection, so the inspecting query's own locks are not included. `sql` needs a pool of at
 * least 2 connections. Statements that cannot run in a transaction (CREATE INDEX CONCURRENTLY) are rejected
 * by Postgres.
 */
export async function lockSnapshot(sql: postgres.Sql, statement: string): Promise<HeldLock[]> {
  if (sql.options.max < 2) throw new Error("lockSnapshot needs a postgres.js client with max >= 2");
  const conn = await sql.reserve();
  try {
    const [backend] = await conn<{ pid: number }[]>`SELECT pg_backend_pid() AS pid`;
    await conn.unsafe("BEGIN");
    let locks: HeldLock[];
    try {
      await conn.unsafe(statement);
      const held = await sql<{ oid: number; mode: string }[]>`
        SELECT relation AS oid, mode FROM pg_locks
        WHERE pid = ${backend?.pid ?? -1} AND locktype = 'relation' AND granted`;
      const oids = [...new Set(held.map((l) => l.oid))];
      // Committed catalog state knows relations the statement dropped; the transaction's own view knows the
      // ones it created. Prefer the latter (it also has renames).
      const names = new Map([
        ...(await describeRelations(sql, oids)),
        ...(await describeRelations(conn, oids)),
      ]);
      locks = held.map(({ oid, mode }) => ({
        ...(names.get(oid) ?? { relation: String(oid), relkind: "" }),
        mode,
      }));
    } catch (error) {
      await conn.unsafe("ROLLBACK").catch(() => {});
      throw error;
    }
    await conn.unsafe("ROLLBACK");
    return locks.sort((a, b) => a.relation.localeCompare(b.relation) || a.mode.localeCompare(b.mode));
  } finally {
    conn.release();
  }
}

/**
 * The current relfilenode of each relation (name as in SQL, resolved with the search_path): it changes
 * when a statement rewrites the relation. Null for relations without storage (views, partitioned tables).
 * Throws if a relation does not exist. Only committed rewrites are visible to other connections.
 */
export async function relfilenodes(
  sql: postgres.Sql,
  relations: string[],
): Promise<Record<string, number | null>> {
  const rows = await sql<{ relation: string; found: boolean; filenode: number | null }[]>`
    SELECT r AS relation, to_regclass(r) IS NOT NULL AS found, pg_relation_filenode(to_regclass(r)) AS filenode
    FROM unnest(${relations}::text[]) AS r`;
  const missing = rows.filter((r) => !r.found).map((r) => r.relation);
  if (missing.length > 0) throw new Error(`relfilenodes: no such relation: ${missing.join(", ")}`);
  return Object.fromEntries(rows.map((r) => [r.relation, r.filenode]));
}
