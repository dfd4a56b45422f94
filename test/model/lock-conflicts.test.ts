/**
 * The lock conflict table (src/analysis/locks.ts `conflicts`) against real Postgres: for every pair of
 * table lock modes, one session holds the first and another asks for the second with NOWAIT.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { conflicts, LOCK_MODES, lockName } from "../../src/analysis/locks.js";
import { createTestDatabase, type TestDatabase, testMajors } from "../support/postgres.js";

describe.each(testMajors())("lock conflicts on Postgres %s", (major) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(major);
    await db.sql`CREATE TABLE t (id int)`;
  });
  afterAll(() => db?.drop());

  it("matches the conflict table for every pair of modes", async () => {
    const holder = await db.sql.reserve();
    const other = await db.sql.reserve();
    const differences: string[] = [];
    try {
      for (const held of LOCK_MODES) {
        await holder.unsafe(`BEGIN; LOCK TABLE t IN ${lockName(held)} MODE`);
        for (const wanted of LOCK_MODES) {
          await other.unsafe("BEGIN");
          const blocked = await other
            .unsafe(`LOCK TABLE t IN ${lockName(wanted)} MODE NOWAIT`)
            .then(() => false)
            .catch((error: { code?: string }) => {
              if (error.code !== "55P03") throw error;
              return true;
            });
          await other.unsafe("ROLLBACK");
          if (blocked !== conflicts(wanted, held)) differences.push(`${wanted} after ${held}: ${blocked}`);
        }
        await holder.unsafe("ROLLBACK");
      }
    } finally {
      holder.release();
      other.release();
    }
    expect(differences).toEqual([]);
  });
});
