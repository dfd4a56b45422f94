/**
 * `safemigrate stats`: the sizes of a database's tables, exported read-only, for `plan --stats-file` and
 * `lint --stats-file` where there is no database (CI). The file says where it came from by database name
 * and server version only: no user, password, host or port (docs/stats.md).
 */
import type { CatalogPartitionedTable } from "../analysis/model.js";
import { redact } from "../config/index.js";
import { errorMessage, UsageError } from "../errors.js";
import { connect, type Sql, type TransactionSql } from "./connect.js";
import { History } from "./history.js";
import { displayNameSql } from "./ident.js";
import { partitionedTables } from "./introspect.js";
import { type RelationSize, relationSizes } from "./sizes.js";

export const STATS_VERSION = 1;

export interface StatsIndex {
  /** Display name, as the model writes relations: schema-qualified only where the schema is not public. */
  name: string;
  /** pg_relation_size of the index (pg_class.relpages when that would wait for a lock). */
  bytes: number;
  /** pg_get_indexdef; null when reading it would have waited for a lock (its table locked ACCESS EXCLUSIVE). */
  definition: string | null;
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
 * Connects to `url`, reads the stats and disconnects. What the server refuses (a history table the role may
 * not read) is the user's to fix: a one-line `UsageError` naming the server, never the password.
 */
export async function exportStats(url: string, historySchema: string): Promise<StatsFile> {
  const db = await connect(url, { max: 1, applicationName: "safemigrate stats" });
  try {
    return await readStats(db.sql, historySchema);
  } catch (error) {
    if (typeof (error as { code?: unknown }).code === "string")
      throw new UsageError(`stats: ${db.where}: ${redact(errorMessage(error))}`);
    throw error;
  } finally {
    await db.close();
  }
}

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
    const oids = tables.map((t) => t.oid);
    const sizes = await relationSizes(tx, oids);
    const byTable = await indexes(tx, oids);
    const result: StatsTable[] = tables.map((table) => ({
      name: table.name,
      kind: KINDS[table.kind],
      parent: table.parent,
      ...(sizes.get(table.oid) ?? { rows: null, totalBytes: null, tableBytes: null }),
      indexes: byTable.get(table.oid) ?? [],
    }));
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

type IndexRow = { table: string; oid: string; name: string; valid: boolean; pages: string };

/** What reading an index's size and definition needs: an ACCESS SHARE lock on it and on its table. */
type Measured = { bytes: number; definition: string | null };

/**
 * The indexes of the tables `oids`, by table oid, their sizes and definitions read in one query; when a
 * table or index is locked ACCESS EXCLUSIVE (pg_relation_size and pg_get_indexdef wait for their ACCESS
 * SHARE), each is read on its own: a locked one gets pg_class.relpages × block_size and no definition.
 */
async function indexes(tx: TransactionSql, oids: string[]): Promise<Map<string, StatsIndex[]>> {
  const rows = await tx.unsafe<IndexRow[]>(
    `SELECT i.indrelid::int8::text AS table, ic.oid::int8::text AS oid, ${displayNameSql("ic", "ni")} AS name,
       i.indisvalid AS valid, (ic.relpages::int8 * current_setting('block_size')::int8)::text AS pages
     FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_namespace ni ON ni.oid = ic.relnamespace
     WHERE i.indrelid = ANY($1::oid[]) ORDER BY 3`,
    [oids],
  );
  const read = (what: string, list: string[]) =>
    tx.savepoint((sp) =>
      sp.unsafe<{ oid: string; value: string }[]>(
        `SELECT o::int8::text AS oid, ${what} AS value FROM unnest($1::oid[]) AS o`,
        [list],
      ),
    );
  const measured = new Map<string, Measured>();
  try {
    const sizes = await read(
      "pg_relation_size(o)::text",
      rows.map((r) => r.oid),
    );
    const definitions = new Map(
      (
        await read(
          "pg_get_indexdef(o)",
          rows.map((r) => r.oid),
        )
      ).map((d) => [d.oid, d.value]),
    );
    for (const s of sizes)
      measured.set(s.oid, { bytes: Number(s.value), definition: definitions.get(s.oid) ?? null });
  } catch {
    for (const row of rows) {
      const one = async (what: string) => (await read(what, [row.oid]).catch(() => []))[0]?.value ?? null;
      const bytes = await one("pg_relation_size(o)::text");
      measured.set(row.oid, {
        bytes: Number(bytes ?? row.pages),
        definition: await one("pg_get_indexdef(o)"),
      });
    }
  }
  const result = new Map<string, StatsIndex[]>();
  for (const row of rows) {
    const list = result.get(row.table) ?? [];
    const { bytes, definition } = measured.get(row.oid) ?? { bytes: Number(row.pages), definition: null };
    list.push({ name: row.name, bytes, definition, valid: row.valid });
    result.set(row.table, list);
  }
  return result;
}
