/**
 * Replays a migration history the way its owning tool does, without safemigrate's runner: each migration's
 * up part, statement by statement, inside one transaction when the tool wraps the file in one, each
 * statement on its own (autocommit) when the file opts out. The baseline the runner's results are compared
 * with.
 */
import type { Sql } from "postgres";
import { discoverMigrations } from "../../src/migrations/discover.js";
import { initParser, parseSql } from "../../src/sql/parse.js";

export async function replayAsWritten(sql: Sql, dir: string): Promise<number> {
  await initParser();
  const { migrations } = await discoverMigrations(dir);
  const connection = await sql.reserve();
  try {
    for (const migration of migrations) {
      const { statements } = parseSql(migration.file.upText);
      const inTransaction = migration.file.runsInTransaction && !migration.file.noTransaction;
      if (inTransaction) await connection.unsafe("BEGIN");
      for (const statement of statements) {
        try {
          await connection.unsafe(statement.text);
        } catch (error) {
          throw new Error(`${migration.file.path}: ${String(error)}\n${statement.text}`);
        }
      }
      if (inTransaction) await connection.unsafe("COMMIT");
    }
  } finally {
    connection.release();
  }
  return migrations.length;
}
