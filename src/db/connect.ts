/** Connections to the target database (postgres.js), with errors that name the server but never a password. */
import postgres from "postgres";
import { redact } from "../config/index.js";
import { errorMessage, UsageError } from "../errors.js";

export type Sql = postgres.Sql;
export type ReservedSql = postgres.ReservedSql;
export type TransactionSql = postgres.TransactionSql;

export interface Database {
  sql: Sql;
  /** host:port/database, for messages. */
  where: string;
  /** The server's major version (14, 18, ...). */
  major: number;
  close(): Promise<void>;
}

/** `host:port, database "name"` from a URL, without user or password. */
function describeTarget(url: string): string {
  try {
    const parsed = new URL(url);
    const database =
      decodeURIComponent(parsed.pathname.replace(/^\//, "")) || decodeURIComponent(parsed.username);
    return `${parsed.hostname || "localhost"}:${parsed.port || "5432"}, database "${database}"`;
  } catch {
    return "the configured server";
  }
}

/**
 * Opens a pool of `max` connections and checks that it can connect. A URL that cannot connect is a usage
 * error: one line naming host, port and database, and Postgres's (or the network's) reason.
 */
export async function connect(
  url: string,
  options: { max?: number; applicationName?: string } = {},
): Promise<Database> {
  const sql = postgres(url, {
    max: options.max ?? 3,
    onnotice: () => {},
    connect_timeout: 10,
    idle_timeout: 0,
    // A migration statement is sent as written; numbers and dates come back as text, which is all we read.
    prepare: false,
    connection: { application_name: options.applicationName ?? "safemigrate" },
  });
  const where = describeTarget(url);
  try {
    const [row] = await sql<{ v: string }[]>`SELECT current_setting('server_version_num') AS v`;
    return {
      sql,
      where,
      major: Math.floor(Number(row?.v) / 10_000),
      close: () => sql.end({ timeout: 1 }),
    };
  } catch (error) {
    await sql.end({ timeout: 0 }).catch(() => {});
    throw new UsageError(`cannot connect to ${where}: ${redact(connectionReason(error))}`);
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
