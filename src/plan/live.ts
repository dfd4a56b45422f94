/**
 * Live context (--database-url): what the target database says about the plan right now. Everything runs
 * in READ ONLY transactions, and the only table-level lock taken is the AccessShareLock that reading a
 * relation's size needs, under a short lock_timeout: plan never queues behind, or in front of, traffic.
 */

import type { CatalogPartitionedTable } from "../analysis/model.js";
import { connect, type Database, type Sql } from "../db/connect.js";
import { History, type MigrationRecord } from "../db/history.js";
import { displayNameSql, qualified } from "../db/ident.js";
import { partitionedTables } from "../db/introspect.js";
import { relationSizes } from "../db/sizes.js";
import type { BlockingSession, InvalidIndex, RelationSize } from "./result.js";

/** Display names as the model spells them: schema-qualified only where the schema is not public. */

export interface LiveSession {
  db: Database;
  serverVersion: string;
  major: number;
  records: Map<string, MigrationRecord>;
  /** The hashes of the steps `up` completed, by `version/phase` (History.readStepHashes). */
  stepHashes: Map<string, string[]>;
  /** The database's partitioned tables, for the schema context. */
  partitions: CatalogPartitionedTable[];
}

export async function openLive(url: string, historySchema: string): Promise<LiveSession> {
  const db = await connect(url, { max: 1, applicationName: "safemigrate plan" });
  try {
    return await db.sql.begin("read only", async (tx) => {
      const [row] = await tx<{ v: string }[]>`SELECT current_setting('server_version') AS v`;
      // History.read only selects; it takes any client, a transaction included.
      const history = new History(historySchema);
      const records = await history.read(tx as unknown as Sql);
      const stepHashes = await history.readStepHashes(tx as unknown as Sql);
      const partitions = await partitionedTables(tx as unknown as Sql);
      return { db, serverVersion: row?.v ?? "unknown", major: db.major, records, stepHashes, partitions };
    });
  } catch (error) {
    await db.close();
    throw error;
  }
}

/** A display name (`schema.name` or `name`) as regclass text. */
function regclassText(name: string): string {
  const dot = name.indexOf(".");
  return dot === -1 ? qualified(null, name) : qualified(name.slice(0, dot), name.slice(dot + 1));
}

export interface LiveDetails {
  relations: Record<string, RelationSize>;
  blockingSessions: BlockingSession[];
  invalidIndexes: InvalidIndex[];
}

export interface DetailOptions {
  /** Display names of the relations the planned steps lock. */
  relations: string[];
  /** Transactions open longer than this are listed (ms). */
  oldTransactionMs: number;
}

export async function liveDetails(sql: Sql, options: DetailOptions): Promise<LiveDetails> {
  return sql.begin("read only", async (tx) => {
    await tx`SET LOCAL lock_timeout = '200ms'`;
    const names = [...new Set(options.relations)];
    const oids = await tx<{ oid: string | null }[]>`
      SELECT to_regclass(r)::oid::int8::text AS oid
      FROM unnest(${names.map(regclassText)}::text[]) WITH ORDINALITY AS u(r, i) ORDER BY i`;
    const present = names.flatMap((name, i) => (oids[i]?.oid ? [{ name, oid: oids[i].oid as string }] : []));
    const relations: Record<string, RelationSize> = {};
    for (const name of names) relations[name] = { rows: null, totalBytes: null, tableBytes: null };
    const oidList = present.map((p) => p.oid);
    const sizes = await relationSizes(tx, oidList);
    for (const { name, oid } of present) {
      const size = sizes.get(oid);
      if (size) relations[name] = size;
    }
    return {
      relations,
      blockingSessions: await blockingSessions(tx, oidList, options.oldTransactionMs),
      invalidIndexes: await invalidIndexes(tx, oidList),
    };
  });
}

type Tx = Parameters<Parameters<Sql["begin"]>[1]>[0];

const AGE = "extract(epoch FROM clock_timestamp() - coalesce(a.xact_start, a.query_start))::float8";
const QUERY = "left(regexp_replace(coalesce(a.query, ''), '\\s+', ' ', 'g'), 200)";

async function blockingSessions(tx: Tx, oids: string[], oldMs: number): Promise<BlockingSession[]> {
  const rows = await tx.unsafe<
    Array<{
      pid: number;
      state: string | null;
      age: number;
      query: string;
      relation: string | null;
      mode: string | null;
    }>
  >(
    `SELECT a.pid, a.state, ${AGE} AS age, ${QUERY} AS query, NULL AS relation, NULL AS mode, 1 AS rank
       FROM pg_stat_activity a
      WHERE a.pid <> pg_backend_pid() AND a.datname = current_database() AND a.xact_start IS NOT NULL
        AND a.xact_start < clock_timestamp() - make_interval(secs => $1::float8 / 1000)
     UNION ALL
     SELECT a.pid, a.state, ${AGE}, ${QUERY}, ${displayNameSql("c", "n")}, l.mode, 2
       FROM pg_locks l
       JOIN pg_stat_activity a ON a.pid = l.pid
       JOIN pg_class c ON c.oid = l.relation
       JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE l.locktype = 'relation' AND l.granted AND l.pid <> pg_backend_pid()
        AND l.relation = ANY($2::oid[])
     ORDER BY rank, age DESC`,
    [oldMs, oids],
  );
  return rows.map((r) => ({
    pid: Number(r.pid),
    state: r.state,
    ageSeconds: Math.round(Number(r.age) * 10) / 10,
    query: r.query,
    reason: r.relation === null ? "old-transaction" : "holds-lock",
    relation: r.relation,
    mode: r.mode,
  }));
}

async function invalidIndexes(tx: Tx, oids: string[]): Promise<InvalidIndex[]> {
  return tx.unsafe<InvalidIndex[]>(
    `SELECT ${displayNameSql("ic", "ni")} AS index, ${displayNameSql("tc", "nt")} AS table
       FROM pg_index i
       JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_namespace ni ON ni.oid = ic.relnamespace
       JOIN pg_class tc ON tc.oid = i.indrelid JOIN pg_namespace nt ON nt.oid = tc.relnamespace
      WHERE NOT i.indisvalid AND i.indrelid = ANY($1::oid[])
      ORDER BY 2, 1`,
    [oids],
  );
}
