/**
 * Runs SQL on a real server with `client_min_messages = debug1` and returns what Postgres reported: it
 * says `verifying table "t"` when it scans a table to check a constraint, `validating foreign key
 * constraint "fk"` when it checks a foreign key, and that existing constraints are sufficient when a
 * validated CHECK lets it skip a scan (SET NOT NULL, ATTACH PARTITION).
 */
import postgres from "postgres";
import { createTestDatabase, type TestDatabase } from "./postgres.js";

export interface DebugSession {
  /** Runs the statements (one string, no parameters) and returns the notices they raised. */
  run(sql: string): Promise<string[]>;
  /** Runs each statement inside BEGIN ... ROLLBACK and returns Postgres's error message, or null. */
  errorInTransaction(sql: string): Promise<string | null>;
  close(): Promise<void>;
}

export async function debugSession(major?: string): Promise<DebugSession> {
  const db: TestDatabase = await createTestDatabase(major);
  let notices: string[] = [];
  const sql = postgres(db.url, { max: 1, onnotice: (n) => notices.push(String(n.message)) });
  await sql.unsafe("SET client_min_messages = debug1");
  return {
    async run(text) {
      notices = [];
      await sql.unsafe(text);
      return notices;
    },
    async errorInTransaction(text) {
      try {
        await sql.begin(async (tx) => {
          await tx.unsafe(text);
          throw new Error("rollback");
        });
        return null;
      } catch (error) {
        const message = (error as Error).message;
        return message === "rollback" ? null : message;
      }
    },
    async close() {
      await sql.end({ timeout: 5 });
      await db.drop();
    },
  };
}
