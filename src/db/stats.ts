/**
 * `safemigrate stats`: the sizes of a database's tables, exported read-only, for `plan --stats-file` and
 * `lint --stats-file` where there is no database (CI). The file says where it came from by database name
 * and server version only: no user, password, host or port (docs/stats.md).
 */
import type { CatalogPartitionedTable } from "../analysis/model.js";
import type { Sql, TransactionSql } from "./connect.js";
import { History } from "./history.js";
import { displayNameSql } from "./ident.js";
import { partitionedTables } from "./introspect.js";
import { type RelationSize, relationSize } from "./sizes.js";

export const STATS_VERSION = 1;

export interface StatsIndex {
  /** Display name, as the model writes relations: schema-qualified only where the schema is not public. */
  name: string;
  /** pg_relation_size of the index (pg_class.relpages when that would wait for a lock). */
  bytes: number;
  /** pg_get_indexdef. */
  definition: string;
  /** pg_index.indisvalid: false for what a failed CREATE INDEX CONCURRENTLY leaves behind. */
  valid: boolean;
}

export interface StatsTable extends RelationSize {
  /** Display name: schema-qualified only where the schema is not public. */
  name: string;
  kind: "table" | "partitioned table" | "materialized view";
  /** The partitioned table this one is a partition of; null for others. */
  parent: string | null;
  indexes: StatsIndex[];
}

/** What the history says of a migration: enough for plan to tell pending phases from applied ones. */
export interface StatsMigration {
  version: string;
  name: string;
  /** ISO 8601 times, or null. */
  expandStartedAt: string | null;
  expandCompletedAt: string | null;
  contractCompletedAt: string | null;
  rollbackStartedAt: string | null;
}

/** The history `up` writes, as it stood when the file was written (empty: no history table there). */
export interface StatsHistory {
  schema: string;
  migrations: StatsMigration[];
  /** The hashes of the completed steps, by `version/phase`: how each applied phase ran. */
  steps: Record<string, string[]>;
}

/** The stats file, version 1 (fields may be added, never renamed or removed). */
export interface StatsFile {
  version: typeof STATS_VERSION;
  /** When it was read (ISO 8601, UTC); a file older than statsMaxAge is refused. */
  generatedAt: string;
  /** current_database(). */
  database: string;
  /** server_version, and its major (the version the rules are applied for). */
  serverVersion: string;
  major: number;
  tables: StatsTable[];
  /** The partitioned tables with their key and partitions, as the schema context reads them live. */
  partitionedTables: CatalogPartitionedTable[];
  history: StatsHistory;
}

const KINDS = { r: "table", p: "partitioned table", m: "materialized view" } as const;

/**
 * Reads the stats in one READ ONLY, REPEATABLE READ transaction (one snapshot). The only locks it takes
 * are the ACCESS SHARE that reading sizes needs, each under lock_timeout 200ms: a relation someone holds
 * ACCESS EXCLUSIVE on gets its size from pg_class.relpages instead, so the export never queues in front of
 * traffic.
 */
export async function readStats(
  sql: Sql,
  historySchema: string,
  now: () => Date = () => new Date(),
): Promise<StatsFile> {
  return sql.begin("isolation level repeatable read read only", async (tx) => {
    await tx`SET LOCAL lock_timeout = '200ms'`;
    const [server] = await tx<{ database: string; version: string; num: string }[]>`
      SELECT current_database() AS database, current_setting('server_version') AS version,
        current_setting('server_version_num') AS num`;
    const tables = await tx.unsafe<
      Array<{ oid: string; name: string; kind: keyof typeof KINDS; parent: string | null }>
    >(
      `SELECT c.oid::int8::text AS oid, ${displayNameSql("c", "n")} AS name, c.relkind AS kind,
         (SELECT ${displayNameSql("pc", "pn")} FROM pg_inherits i
            JOIN pg_class pc ON pc.oid = i.inhparent JOIN pg_namespace pn ON pn.oid = pc.relnamespace
           WHERE i.inhrelid = c.oid AND pc.relkind = 'p') AS parent
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE c.relkind IN ('r', 'p', 'm') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
         AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp\\_%'
       ORDER BY 2`,
    );
    const result: StatsTable[] = [];
    for (const table of tables) {
      result.push({
        name: table.name,
        kind: KINDS[table.kind],
        parent: table.parent,
        ...(await relationSize(tx, table.oid)),
        indexes: await indexes(tx, table.oid),
      });
    }
    return {
      version: STATS_VERSION,
      generatedAt: now().toISOString(),
      database: server?.database ?? "",
      serverVersion: server?.version ?? "unknown",
      major: Math.floor(Number(server?.num) / 10_000),
      tables: result,
      partitionedTables: await partitionedTables(tx),
      history: await history(tx, historySchema),
    };
  });
}

async function history(tx: TransactionSql, schema: string): Promise<StatsHistory> {
  const reader = new History(schema);
  const iso = (d: Date | null) => (d ? d.toISOString() : null);
  const records = [...(await reader.read(tx)).values()].sort((a, b) => (a.version < b.version ? -1 : 1));
  return {
    schema,
    migrations: records.map((r) => ({
      version: r.version,
      name: r.name,
      expandStartedAt: iso(r.expandStartedAt),
      expandCompletedAt: iso(r.expandCompletedAt),
      contractCompletedAt: iso(r.contractCompletedAt),
      rollbackStartedAt: iso(r.rollbackStartedAt),
    })),
    steps: Object.fromEntries(await reader.readStepHashes(tx)),
  };
}

/** The indexes of a table; a size that needs a lock someone else holds comes from pg_class.relpages. */
async function indexes(tx: TransactionSql, oid: string): Promise<StatsIndex[]> {
  const rows = await tx.unsafe<
    Array<{ oid: string; name: string; definition: string; valid: boolean; pages: string }>
  >(
    `SELECT ic.oid::int8::text AS oid, ${displayNameSql("ic", "ni")} AS name,
       pg_get_indexdef(ic.oid) AS definition, i.indisvalid AS valid,
       (ic.relpages::int8 * current_setting('block_size')::int8)::text AS pages
     FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_namespace ni ON ni.oid = ic.relnamespace
     WHERE i.indrelid = $1::oid ORDER BY 2`,
    [oid],
  );
  const result: StatsIndex[] = [];
  for (const row of rows) {
    let bytes: number;
    try {
      const [size] = await tx.savepoint(
        (sp) => sp<{ bytes: string }[]>`SELECT pg_relation_size(${row.oid}::oid)::text AS bytes`,
      );
      bytes = Number(size?.bytes ?? 0);
    } catch {
      bytes = Number(row.pages);
    }
    result.push({ name: row.name, bytes, definition: row.definition, valid: row.valid });
  }
  return result;
}
