/**
 * Scans the statement model claims on partitions that the catalogue comparison does not look at (it checks
 * scans only on relations locked ACCESS EXCLUSIVE or claimed scanned): a foreign key added to a partitioned
 * table whose partitions already have it, validated, is attached without reading a row; without them, every
 * partition is read.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { STATEMENT_CASES } from "../catalogue/statements.js";
import { createTestDatabase, type TestDatabase, testMajors } from "../support/postgres.js";
import { modelEffects } from "./compare.js";
import { resetDatabase, runSetup } from "./observe.js";

const PARTITIONS = ["e1", "e2"];

/** Sequential scans of each partition while `sql` runs, in its own (rolled back) transaction. */
async function partitionScans(db: TestDatabase, sql: string): Promise<Record<string, number>> {
  const conn = await db.sql.reserve();
  try {
    await conn`BEGIN`;
    const count = () =>
      conn<{ name: string; scans: number }[]>`
        SELECT relname AS name, pg_stat_get_xact_numscans(oid)::int AS scans FROM pg_class
        WHERE relname IN ${conn(PARTITIONS)} ORDER BY 1`;
    const before = await count();
    await conn.unsafe(sql);
    const after = await count();
    await conn`ROLLBACK`;
    return Object.fromEntries(after.map((r, i) => [r.name, r.scans - (before[i]?.scans ?? 0)]));
  } finally {
    conn.release();
  }
}

describe.each(testMajors())("foreign keys on a partitioned table on Postgres %s", (major) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(major);
  });
  afterAll(() => db?.drop());

  it.each([
    ["partitioned: add foreign key its partitions have", 0],
    ["partitioned: add foreign key", 1],
  ])("%s: scans each partition %i time(s), as the model says", async (name, expected) => {
    const testCase = STATEMENT_CASES.find((c) => c.name === name);
    if (!testCase) throw new Error(`no case ${name}`);
    await resetDatabase(db.sql);
    await runSetup(db.sql, testCase.setup);
    expect(await partitionScans(db, testCase.sql)).toEqual({ e1: expected, e2: expected });
    const claimed = modelEffects(testCase, Number(major)).scans;
    expect(PARTITIONS.filter((p) => claimed.includes(p))).toEqual(expected > 0 ? PARTITIONS : []);
  });
});
