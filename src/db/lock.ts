/**
 * One runner per history: a session-level advisory lock on the runner's own connection, so that it is
 * released when the session ends, whatever happens to the process.
 */

import { setTimeout as delay } from "node:timers/promises";
import type { ReservedSql } from "./connect.js";
import { advisoryKey } from "./ident.js";

export class LockWaitTimeout extends Error {
  override readonly name = "LockWaitTimeout";
}

/**
 * Waits up to `waitMs` for the lock, polling with pg_try_advisory_lock rather than blocking in
 * pg_advisory_lock: a session blocked in a statement holds a snapshot, and a CREATE INDEX CONCURRENTLY run
 * by the lock holder waits for every such snapshot to end, so a blocked waiter would deadlock with it.
 */
export async function acquireRunnerLock(
  conn: ReservedSql,
  schema: string,
  waitMs: number,
  signal: AbortSignal,
): Promise<void> {
  const key = advisoryKey(schema);
  const deadline = performance.now() + waitMs;
  for (let attempt = 0; ; attempt++) {
    const [row] = await conn<{ ok: boolean }[]>`SELECT pg_try_advisory_lock(${key}::bigint) AS ok`;
    if (row?.ok) return;
    if (signal.aborted) throw new LockWaitAborted("interrupted while waiting for the runner lock");
    const left = deadline - performance.now();
    if (left <= 0)
      throw new LockWaitTimeout(`another safemigrate run holds the lock on history schema "${schema}"`);
    await delay(Math.min(left, 100 * 2 ** Math.min(attempt, 3)), undefined, { signal }).catch(() => {});
  }
}

class LockWaitAborted extends Error {
  override readonly name = "LockWaitAborted";
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
