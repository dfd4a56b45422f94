/**
 * What running application code sees while a migration's transaction is open: one session runs the
 * migration's statements in a transaction, another runs a query meanwhile; then the transaction commits.
 */
import type postgres from "postgres";

export interface ReaderOutcome {
  /** The query's rows, or null when it failed. */
  rows: Record<string, unknown>[] | null;
  /** Postgres's message when the query failed. */
  error: string | null;
  /** The query waited for a lock until the migration's transaction ended. */
  waited: boolean;
}

/** `sql` needs a pool of at least 3 connections (migration, reader, lock check). */
export async function readDuringTransaction(
  sql: postgres.Sql,
  migration: string[],
  query: string,
): Promise<ReaderOutcome> {
  const writer = await sql.reserve();
  const reader = await sql.reserve();
  try {
    const [backend] = await reader<{ pid: number }[]>`SELECT pg_backend_pid() AS pid`;
    await writer.unsafe("BEGIN");
    for (const statement of migration) await writer.unsafe(statement);
    let settled = false;
    const outcome = reader.unsafe(query).then(
      (rows) => ({ rows: [...rows] as Record<string, unknown>[], error: null }),
      (error: Error) => ({ rows: null, error: error.message }),
    );
    void outcome.then(() => {
      settled = true;
    });
    let waited = false;
    const deadline = Date.now() + 2_000;
    while (!settled && Date.now() < deadline) {
      const [blocked] = await sql<{ n: number }[]>`
        SELECT count(*)::int AS n FROM pg_locks WHERE pid = ${backend?.pid ?? -1} AND NOT granted`;
      if ((blocked?.n ?? 0) > 0) {
        waited = true;
        break;
      }
      await new Promise((r) => setTimeout(r, 10));
    }
    await writer.unsafe("COMMIT");
    return { ...(await outcome), waited };
  } finally {
    await writer.unsafe("ROLLBACK").catch(() => {});
    writer.release();
    reader.release();
  }
}
