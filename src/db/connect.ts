/** Connections to the target database (postgres.js), with errors that name the server but never a password. */
import postgres from "postgres";
import { redact } from "../config/index.js";
import { errorMessage, UsageError } from "../errors.js";
import { searchPathValue } from "../sql/search-path.js";

export type Sql = postgres.Sql;
export type ReservedSql = postgres.ReservedSql;
export type TransactionSql = postgres.TransactionSql;

/** The server a URL names, as structured fields for logs: never the password. */
export interface ServerTarget {
  host: string;
  port: number;
  database: string;
  user: string;
}

export interface Database {
  sql: Sql;
  /** host:port/database, for messages. */
  where: string;
  /** The same, as fields. */
  target: ServerTarget | null;
  /** The server's major version (14, 18, ...). */
  major: number;
  close(): Promise<void>;
}

/**
 * Host, port, database and user of a URL (Postgres's defaults where it leaves them out: localhost, 5432,
 * the user's name for the database); null when it does not parse as a URL.
 */
export function serverTarget(url: string): ServerTarget | null {
  try {
    const parsed = new URL(url);
    const user = decodeURIComponent(parsed.username);
    const database = decodeURIComponent(parsed.pathname.replace(/^\//, "")) || user;
    return { host: parsed.hostname || "localhost", port: Number(parsed.port || "5432"), database, user };
  } catch {
    return null;
  }
}

/** `host:port, database "name"` from a URL, without user or password. */
function describeTarget(target: ServerTarget | null): string {
  return target ? `${target.host}:${target.port}, database "${target.database}"` : "the configured server";
}

/**
 * Opens a pool of `max` connections and checks that it can connect. A URL that cannot connect is a usage
 * error: one line naming host, port and database, and Postgres's (or the network's) reason.
 */
export async function connect(
  url: string,
  options: { max?: number; applicationName?: string; searchPath?: readonly string[] } = {},
): Promise<Database> {
  const { searchPath } = options;
  const sql = postgres(searchPath ? withoutSearchPath(url) : url, {
    max: options.max ?? 3,
    onnotice: () => {},
    connect_timeout: 10,
    idle_timeout: 0,
    // A migration statement is sent as written; numbers and dates come back as text, which is all we read.
    prepare: false,
    // A startup parameter, so that every session of the pool has it from its first statement on.
    connection: {
      application_name: options.applicationName ?? "safemigrate",
      ...(searchPath ? { search_path: searchPathValue(searchPath) } : {}),
    },
  });
  const target = serverTarget(url);
  const where = describeTarget(target);
  try {
    const [row] = await sql<{ v: string }[]>`SELECT current_setting('server_version_num') AS v`;
    return {
      sql,
      where,
      target,
      major: Math.floor(Number(row?.v) / 10_000),
      close: () => sql.end({ timeout: 1 }),
    };
  } catch (error) {
    await sql.end({ timeout: 0 }).catch(() => {});
    throw new UsageError(`cannot connect to ${where}: ${redact(connectionReason(error))}`);
  }
}

/** The URL without its `search_path` parameter (postgres.js would let it win over the configured one). */
function withoutSearchPath(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.searchParams.delete("search_path");
    return parsed.toString();
  } catch {
    return url;
  }
}

function connectionReason(error: unknown): string {
  const code = (error as { code?: string }).code;
  if (code === "CONNECT_TIMEOUT") return "connection timed out";
  const message = errorMessage(error);
  // "connect ECONNREFUSED 127.0.0.1:5" repeats the address already named.
  if (code === "ECONNREFUSED") return "connection refused";
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") return "host not found";
  return message;
}

/** Errors after which a session is gone: the server ended it (FATAL, 57P01 terminate, 08xxx) or the socket closed. */
function sessionLost(error: unknown): boolean {
  const e = (error ?? {}) as { severity?: string; code?: string };
  const code = e.code ?? "";
  return (
    e.severity === "FATAL" ||
    e.severity === "PANIC" ||
    /^(08|57P0)/.test(code) ||
    code.startsWith("CONNECTION_") ||
    code === "ECONNRESET" ||
    code === "EPIPE"
  );
}

/**
 * A reserved connection that fails fast once its session is lost. postgres.js never settles a query sent on
 * a reserved connection whose socket has closed (it throws inside a timer instead), so after the server
 * terminated the runner's session, its ROLLBACK and its lock release would wait forever.
 */
export function failFast(conn: ReservedSql): ReservedSql {
  let lost: unknown = null;
  const gone = () => {
    const failed = Promise.reject(lost);
    return Object.assign(failed, { simple: () => failed });
  };
  // Watched a microtask later: the caller's `.simple()` must be set before the query starts executing.
  const watch = <Q extends PromiseLike<unknown>>(query: Q): Q => {
    queueMicrotask(() => {
      query.then(undefined, (error: unknown) => {
        if (sessionLost(error)) lost = error;
      });
    });
    return query;
  };
  return new Proxy(conn, {
    apply: (target, self, args) =>
      lost ? gone() : watch(Reflect.apply(target, self, args) as PromiseLike<unknown>),
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (property !== "unsafe" || typeof value !== "function") return value;
      return (...args: unknown[]) => (lost ? gone() : watch(value.apply(target, args)));
    },
  });
}
