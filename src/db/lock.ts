/**
 * One runner per history: a session-level advisory lock on the runner's own connection, so that it is
 * released when the session ends, whatever happens to the process.
 */
import type { ReservedSql } from "./connect.js";
import { advisoryKey } from "./ident.js";

export class LockWaitTimeout extends Error {
  override readonly name = "LockWaitTimeout";
}

/**
 * Waits up to `waitMs` for the lock. The wait is a plain lock wait bounded by lock_timeout, so that a
 * cancel (SIGINT) interrupts it like any statement.
 */
export async function acquireRunnerLock(conn: ReservedSql, schema: string, waitMs: number): Promise<void> {
  const key = advisoryKey(schema);
  const [free] = await conn<{ ok: boolean }[]>`SELECT pg_try_advisory_lock(${key}::bigint) AS ok`;
  if (free?.ok) return;
  await conn.unsafe(`SET lock_timeout = ${Math.max(1, Math.round(waitMs))}`);
  try {
    await conn`SELECT pg_advisory_lock(${key}::bigint)`;
  } catch (error) {
    if ((error as { code?: string }).code === "55P03") {
      throw new LockWaitTimeout(`another safemigrate run holds the lock on history schema "${schema}"`);
    }
    throw error;
  } finally {
    await conn.unsafe("RESET lock_timeout").catch(() => {});
  }
}

export async function releaseRunnerLock(conn: ReservedSql, schema: string): Promise<void> {
  await conn`SELECT pg_advisory_unlock(${advisoryKey(schema)}::bigint)`;
}

/** Whether another session holds (or waits for) the runner lock: for the message of a second runner. */
export async function runnerLockHolder(sql: ReservedSql, schema: string): Promise<number | null> {
  const key = BigInt(advisoryKey(schema));
  const unsigned = key < 0n ? key + (1n << 64n) : key;
  const [row] = await sql<{ pid: number }[]>`
    SELECT pid FROM pg_locks
    WHERE locktype = 'advisory' AND granted AND classid = ${Number(unsigned >> 32n)}::oid
      AND objid = ${Number(unsigned & 0xffffffffn)}::oid AND objsubid = 1 AND pid <> pg_backend_pid()`;
  return row?.pid ?? null;
}
