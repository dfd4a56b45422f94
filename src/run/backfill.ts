/**
 * A `-- safemigrate:backfill` step: the UPDATE run in batches along a single-column unique NOT NULL key
 * (the primary key unless key= names one), one short transaction per batch under the run's lock_timeout,
 * retried by the executor. Each batch is the next `batch` keys after the last one done, so the walk ends at
 * the key range's end as it is when it gets there (rows inserted meanwhile with higher keys are covered).
 * The batch's UPDATE and the new position in the history commit together: a run killed at any point
 * resumes after the last committed batch, and no row is updated twice.
 */
import type { ReservedSql } from "../db/connect.js";
import type { BackfillPosition, History, StepRecord } from "../db/history.js";
import { quoteIdent } from "../db/ident.js";
import type { Phase } from "../sql/directives.js";
import type { Step } from "../steps/step.js";
import { RunRefused } from "./errors.js";
import type { Reporter, StepRef } from "./events.js";
import { sleep } from "./retry.js";

export interface BackfillRun {
  conn: ReservedSql;
  history: History;
  report: Reporter;
  signal: AbortSignal;
  ref: StepRef;
  step: Step;
  record: { version: string; phase: Phase; step: number; hash: string };
  /** The step's record from an earlier run (with where it stopped); null on the first run. */
  earlier: StepRecord | null;
  /** `SET LOCAL lock_timeout ...; SET LOCAL statement_timeout ...` for each batch. */
  timeouts: string;
  /** The executor's retry loop around one attempt of a batch; resolves to the retries it took. */
  retrying(body: (attempt: number) => Promise<void>): Promise<number>;
  /** The executor's watcher: cancels the statement on SIGINT / SIGTERM, notes who blocks it. */
  watch<T>(query: Promise<T>): Promise<T>;
  /** Records the step (and, for the last step, its phase) done, inside the open transaction. */
  done(retries: number): Promise<void>;
}

/** Runs the backfill to its end; resolves to the retries its batches took in all. */
export async function runBackfill(run: BackfillRun): Promise<number> {
  const spec = run.step.backfill;
  if (!spec) throw new Error("a backfill step without its directive");
  const refuse = (why: string) =>
    new RunRefused(`${run.ref.file}:${run.step.line}: backfill of ${spec.relation}: ${why}`);
  const earlier = run.earlier?.backfill ?? null;
  if (earlier && run.earlier?.statementHash !== run.record.hash) {
    throw refuse(
      `an earlier run did part of it with a different directive (the file was edited); restore it, or start the backfill over by deleting its record: DELETE FROM ${run.history.stepsTable} WHERE version = '${run.record.version}' AND phase = '${run.record.phase}' AND step = ${run.record.step}`,
    );
  }
  const key = await walkKey(run.conn, spec.tableSql, spec.key, refuse);
  if (spec.assigns.includes(key)) throw refuse(`set= changes the key it walks (${key}); name another key=`);
  if (earlier && earlier.key !== key) {
    throw refuse(`an earlier run walked key ${earlier.key}, this one would walk ${key}`);
  }
  const rowsTotal = await estimateRows(run.conn, spec.tableSql);
  const position: BackfillPosition = earlier ?? { key, last: "", rows: 0, updated: 0, batches: 0 };
  const from = earlier ? earlier.last : null;
  run.report({ ...run.ref, event: "backfill-start", key, batch: spec.batch, rowsTotal, resumedAfter: from });

  const k = quoteIdent(key);
  const where = spec.where === null ? "" : ` AND (${spec.where})`;
  // The next `batch` keys after the last one done: its last key ends the range the UPDATE covers. (Ordered
  // rather than max(): every type with a btree order has one, not every type a max aggregate, e.g. uuid.)
  const range = (after: boolean) =>
    `SELECT ${k}::text AS hi, count(*) OVER () AS n FROM (SELECT ${k} FROM ${spec.tableSql}${after ? ` WHERE ${k} > $1` : ""} ORDER BY ${k} LIMIT ${spec.batch}) AS batch ORDER BY ${k} DESC LIMIT 1`;
  const update = (after: boolean) =>
    `UPDATE ${spec.tableSql} SET ${spec.set} WHERE ${after ? `${k} > $1 AND ${k} <= $2` : `${k} <= $1`}${where}`;

  const started = performance.now();
  const rowsBefore = position.rows;
  let retries = 0;
  let last: string | null = from;
  for (let finished = false; !finished; ) {
    retries += await run.retrying(async (attempt) => {
      await run.conn.unsafe("BEGIN");
      try {
        await run.conn.unsafe(run.timeouts).simple();
        const bound = last === null ? [] : [last];
        const [next] = await run.watch(run.conn.unsafe(range(last !== null), bound));
        const n = Number(next?.n ?? 0);
        if (n === 0 || next?.hi === null || next?.hi === undefined) {
          // The key range ends here, read now: the step is done, recorded in this transaction.
          await run.done(retries + attempt);
          await run.conn.unsafe("COMMIT");
          finished = true;
          return;
        }
        const hi = String(next.hi);
        const result = await run.watch(run.conn.unsafe(update(last !== null), [...bound, hi]));
        const reached: BackfillPosition = {
          key,
          last: hi,
          rows: position.rows + n,
          updated: position.updated + result.count,
          batches: position.batches + 1,
        };
        await run.history.backfillBatch(run.conn, run.record, reached);
        await run.conn.unsafe("COMMIT");
        Object.assign(position, reached);
        last = hi;
      } catch (error) {
        await run.conn.unsafe("ROLLBACK").catch(() => {});
        throw error;
      }
    });
    if (finished) break;
    const elapsedMs = performance.now() - started;
    const rate = elapsedMs > 0 ? ((position.rows - rowsBefore) * 1000) / elapsedMs : 0;
    const total = rowsTotal === null ? null : Math.max(rowsTotal, position.rows);
    run.report({
      ...run.ref,
      event: "backfill-progress",
      key,
      batches: position.batches,
      rowsDone: position.rows,
      rowsUpdated: position.updated,
      rowsTotal: total,
      rowsPerSecond: Math.round(rate),
      etaMs: total === null || rate <= 0 ? null : Math.round(((total - position.rows) * 1000) / rate),
      lastKey: position.last,
      elapsedMs,
    });
    // Between batches: a pause leaves the server to the application; SIGINT ends it at once.
    if (spec.pauseMs > 0) await sleep(spec.pauseMs, run.signal);
  }
  return retries;
}

/**
 * The column the walk follows: key= when given, else the primary key. It must be one column, NOT NULL
 * (a NULL key would never be visited) and unique through a valid, non-partial index (so that a batch is at
 * most `batch` rows, found by an index range scan).
 */
async function walkKey(
  conn: ReservedSql,
  tableSql: string,
  given: string | null,
  refuse: (why: string) => RunRefused,
): Promise<string> {
  const [table] = await conn<{ oid: number | null }[]>`SELECT to_regclass(${tableSql})::oid AS oid`;
  if (!table?.oid) throw refuse("the table does not exist");
  if (given === null) {
    const [pk] = await conn<{ columns: string[] | null }[]>`
      SELECT array_agg(a.attname::text ORDER BY k.ord) AS columns
      FROM pg_index i CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
      JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
      WHERE i.indrelid = ${table.oid} AND i.indisprimary`;
    const columns = pk?.columns ?? null;
    if (!columns) throw refuse("the table has no primary key; name a unique NOT NULL column with key=");
    if (columns.length !== 1) {
      throw refuse(
        `its primary key has ${columns.length} columns (${columns.join(", ")}); name a single unique NOT NULL column with key=`,
      );
    }
    return columns[0] as string;
  }
  const [column] = await conn<{ notnull: boolean; unique: boolean }[]>`
    SELECT a.attnotnull AS notnull, EXISTS (
      SELECT 1 FROM pg_index i WHERE i.indrelid = a.attrelid AND i.indisunique AND i.indisvalid
        AND i.indpred IS NULL AND i.indnkeyatts = 1 AND i.indkey[0] = a.attnum) AS unique
    FROM pg_attribute a WHERE a.attrelid = ${table.oid} AND a.attname = ${given} AND NOT a.attisdropped`;
  if (!column) throw refuse(`key= names column ${given}, which the table does not have`);
  if (!column.notnull || !column.unique) {
    const missing = [
      !column.notnull && "NOT NULL",
      !column.unique && "unique (no valid unique index on it alone)",
    ]
      .filter(Boolean)
      .join(" and ");
    throw refuse(`key= column ${given} is not ${missing}; the walk needs a unique NOT NULL key`);
  }
  return given;
}

/**
 * Rows in the table, for progress: pg_class.reltuples of the table, or of its partitions, when analysed;
 * else a count (a table never analysed is usually new and small).
 */
async function estimateRows(conn: ReservedSql, tableSql: string): Promise<number | null> {
  const [estimate] = await conn<{ rows: number | null; unknown: boolean }[]>`
    SELECT sum(greatest(c.reltuples, 0))::float8 AS rows, bool_or(c.reltuples < 0) AS unknown
    FROM pg_partition_tree(to_regclass(${tableSql})) AS t JOIN pg_class c ON c.oid = t.relid
    WHERE t.isleaf`.catch(() => []); // pg_partition_tree is Postgres 12+: older servers count.
  if (estimate && !estimate.unknown && estimate.rows !== null) return Math.round(Number(estimate.rows));
  const [counted] = await conn.unsafe(`SELECT count(*)::float8 AS rows FROM ${tableSql}`);
  return counted ? Number(counted.rows) : null;
}
