/** What the fault tests share: the multi-step migration, its end state and history, read for comparison. */

import { migrationDir, runnerSessions, waitFor } from "../run/helpers.js";
import type { TestDatabase } from "../support/postgres.js";

/**
 * `001` creates two tables with data; `002` is rewritten into six steps: FK NOT VALID, VALIDATE, the index
 * built concurrently, CHECK NOT VALID, VALIDATE, SET NOT NULL with the helper check dropped.
 */
export function multiStepDir(): string {
  return migrationDir({
    "001_base.sql": `CREATE TABLE accounts (id bigint PRIMARY KEY);
CREATE TABLE orders (id bigint PRIMARY KEY, account_id bigint, total int);
INSERT INTO accounts SELECT g FROM generate_series(1, 100) g;
INSERT INTO orders SELECT g, g % 100 + 1, g FROM generate_series(1, 5000) g;
`,
    "002_multi.sql": `ALTER TABLE orders ADD CONSTRAINT orders_account_fk FOREIGN KEY (account_id) REFERENCES accounts (id);
CREATE INDEX orders_account_idx ON orders (account_id);
ALTER TABLE orders ALTER COLUMN total SET NOT NULL;
`,
  });
}

export const MULTI_STEPS = 6;

/**
 * The schema of `orders` (constraints other than Postgres 18's NOT NULL entries, with their validity, indexes with theirs, NOT NULL columns) and the
 * history (each step once, with its hash; the migration's phases), without times: equal after any fault.
 */
export async function endState(db: TestDatabase, schema = "safemigrate") {
  const constraints = await db.sql`
    SELECT conname AS name, contype AS type, convalidated AS valid FROM pg_constraint
    WHERE conrelid = 'orders'::regclass AND contype <> 'n' ORDER BY conname`;
  const indexes = await db.sql`
    SELECT c.relname AS name, i.indisvalid AS valid, i.indisready AS ready FROM pg_index i
    JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indrelid = 'orders'::regclass ORDER BY c.relname`;
  const notNull = await db.sql`
    SELECT attname FROM pg_attribute WHERE attrelid = 'orders'::regclass AND attnum > 0 AND attnotnull
    ORDER BY attname`;
  const steps = await db.sql.unsafe(
    `SELECT version, phase, step, statement_hash, completed_at IS NOT NULL AS done FROM ${schema}.steps
     ORDER BY version, phase, step`,
  );
  const migrations = await db.sql.unsafe(
    `SELECT version, expand_completed_at IS NOT NULL AS expanded, contract_completed_at IS NOT NULL AS complete,
       failed_at IS NULL AS not_failed FROM ${schema}.migrations ORDER BY version`,
  );
  return {
    constraints: [...constraints],
    indexes: [...indexes],
    notNull: notNull.map((r) => r.attname),
    steps: [...steps],
    migrations: [...migrations],
  };
}

/** Anything of the runner still on the server: sessions, advisory locks, INVALID indexes. */
export async function leftovers(db: TestDatabase) {
  const sessions = await runnerSessions(db);
  const advisory = await db.sql`
    SELECT pid FROM pg_locks WHERE locktype = 'advisory'
    AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`;
  const invalid = await db.sql`
    SELECT c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE NOT i.indisvalid`;
  return { sessions: sessions.length, advisory: advisory.length, invalid: invalid.map((r) => r.relname) };
}

/** Waits until the runner's sessions are gone (the server notices a killed client within a second). */
export function runnerGone(db: TestDatabase): Promise<boolean> {
  return waitFor(async () => (await runnerSessions(db)).length === 0, 15_000, "the runner's session to end");
}

/**
 * Waits until a session of the runner waits for a lock held by `holder` (a backend pid): not just any lock
 * wait, since autovacuum on a freshly filled table can make a step wait briefly for its own lock.
 */
export function runnerBlockedBy(db: TestDatabase, holder: number, what: string): Promise<boolean> {
  return waitFor(
    async () => {
      const [row] = await db.sql`
        SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'safemigrate'
        AND ${holder}::int = ANY(pg_blocking_pids(pid))`;
      return row !== undefined;
    },
    30_000,
    what,
  );
}
