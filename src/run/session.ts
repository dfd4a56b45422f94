/**
 * A runner session: the pool, the runner's own reserved connection (which holds the advisory lock and runs
 * every step), and the history. Everything that writes the history runs inside one.
 */
import { formatDuration } from "../config/index.js";
import { connect, type Database, failFast, type ReservedSql } from "../db/connect.js";
import { History, type MigrationRecord } from "../db/history.js";
import { acquireRunnerLock, LockWaitTimeout, releaseRunnerLock, runnerLockHolder } from "../db/lock.js";
import { Interrupted, RunRefused } from "./errors.js";
import type { Reporter } from "./events.js";

export interface Session {
  db: Database;
  conn: ReservedSql;
  pid: number;
  history: History;
  records: Map<string, MigrationRecord>;
}

export interface SessionOptions {
  databaseUrl: string;
  /** The search_path of every session the run opens (else the URL's, else the server's default). */
  searchPath?: readonly string[];
  historySchema: string;
  waitMs: number;
  report: Reporter;
  signal: AbortSignal;
  interruption: () => "SIGINT" | "SIGTERM";
}

/** Opens a session holding the runner lock, runs `body`, and always releases the lock and closes. */
export async function withSession<T>(
  options: SessionOptions,
  body: (session: Session) => Promise<T>,
): Promise<T> {
  // Three connections: the runner's, and two for watching it (blockers, progress, cancel).
  const db = await connect(options.databaseUrl, {
    max: 3,
    ...(options.searchPath ? { searchPath: options.searchPath } : {}),
  });
  let conn: ReservedSql | null = null;
  let locked = false;
  try {
    conn = failFast(await db.sql.reserve());
    const [row] = await conn<{ pid: number }[]>`SELECT pg_backend_pid() AS pid`;
    const pid = Number(row?.pid);
    // Should this process die (SIGKILL), the server notices within a second and aborts what the session was
    // running instead of finishing it orphaned while holding the runner lock (Postgres 14+).
    await conn.unsafe("SET client_connection_check_interval = 1000").catch(() => {});
    const history = new History(options.historySchema);
    await lock(conn, options);
    locked = true;
    await history.ensure(conn);
    const records = await history.read(conn);
    return await body({ db, conn, pid, history, records });
  } finally {
    if (conn && locked) await releaseRunnerLock(conn, options.historySchema).catch(() => {});
    conn?.release();
    await db.close().catch(() => {});
  }
}

async function lock(conn: ReservedSql, options: SessionOptions): Promise<void> {
  const holder = await runnerLockHolder(conn, options.historySchema).catch(() => null);
  if (holder !== null) options.report({ event: "lock-wait", holder, waitMs: options.waitMs });
  try {
    await acquireRunnerLock(conn, options.historySchema, options.waitMs, options.signal);
  } catch (error) {
    if (options.signal.aborted) throw new Interrupted(options.interruption());
    if (error instanceof LockWaitTimeout) {
      throw new RunRefused(`${error.message} (waited ${formatDuration(options.waitMs)}; see --wait)`);
    }
    throw error;
  }
  if (options.signal.aborted) throw new Interrupted(options.interruption());
}
