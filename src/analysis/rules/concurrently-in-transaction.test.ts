import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DebugSession, debugSession } from "../../../test/support/debug-notices.js";
import { findingsOf } from "../../../test/support/lint.js";

const rule = "concurrently-in-transaction";
const wrapped = { runsInTransaction: true };

const STATEMENTS = [
  ["CREATE INDEX CONCURRENTLY", "CREATE INDEX CONCURRENTLY t_b_idx ON t (b);"],
  ["DROP INDEX CONCURRENTLY", "DROP INDEX CONCURRENTLY t_a_idx;"],
  ["REINDEX CONCURRENTLY", "REINDEX INDEX CONCURRENTLY t_a_idx;"],
  ["REINDEX (CONCURRENTLY on)", "REINDEX (CONCURRENTLY on) INDEX t_a_idx;"],
  ["DETACH PARTITION CONCURRENTLY", "ALTER TABLE p DETACH PARTITION p1 CONCURRENTLY;"],
];

describe(rule, () => {
  it.each(STATEMENTS)("fires on %s inside BEGIN ... COMMIT", (_name, sql) => {
    expect(findingsOf(rule, `BEGIN;\n${sql}\nCOMMIT;`)).toHaveLength(1);
  });

  it.each(STATEMENTS)("fires on %s in a file the tool runs in one transaction", (_name, sql) => {
    expect(findingsOf(rule, sql, wrapped)).toHaveLength(1);
  });

  it("says which transaction it is and where", () => {
    const sql =
      "SET lock_timeout = '1s';\nBEGIN;\n  CREATE INDEX CONCURRENTLY\n    idx ON users (email);\nCOMMIT;";
    const [explicit] = findingsOf(rule, sql);
    expect(explicit).toMatchObject({ line: 3, column: 3, endLine: 4 });
    expect(explicit?.message).toBe(
      "CREATE INDEX CONCURRENTLY is inside the transaction block opened by BEGIN on line 2, where Postgres rejects it",
    );
    const [byTool] = findingsOf(rule, "CREATE INDEX CONCURRENTLY idx ON users (email);", wrapped);
    expect(byTool?.message).toMatch(
      /^CREATE INDEX CONCURRENTLY is in a file that .* runs inside one transaction/,
    );
  });

  it.each([
    ["outside any transaction", "CREATE INDEX CONCURRENTLY idx ON users (email);", {}],
    ["REINDEX (CONCURRENTLY false) in a transaction", "REINDEX (CONCURRENTLY false) INDEX idx;", wrapped],
    [
      "after the block is committed",
      "BEGIN;\nALTER TABLE users ADD COLUMN a int;\nCOMMIT;\nDROP INDEX CONCURRENTLY idx;",
      {},
    ],
    [
      "a file that opts out in its tool's way",
      "CREATE INDEX CONCURRENTLY idx ON users (email);",
      { ...wrapped, noTransaction: true },
    ],
    [
      "a file that opts out with the directive",
      "-- safemigrate:no-transaction\nCREATE INDEX CONCURRENTLY idx ON users (email);",
      wrapped,
    ],
    ["a non-concurrent statement in a block", "BEGIN;\nCREATE INDEX idx ON users (email);\nCOMMIT;", {}],
    ["REINDEX SCHEMA, which is not CONCURRENTLY", "REINDEX SCHEMA app;", wrapped],
    [
      "ignored by directive",
      "BEGIN;\n-- safemigrate:ignore concurrently-in-transaction -- tested elsewhere\nCREATE INDEX CONCURRENTLY idx ON users (email);\nCOMMIT;",
      {},
    ],
  ])("does not fire on %s", (_name, sql, options) => {
    expect(findingsOf(rule, sql, options)).toEqual([]);
  });

  describe("on a real server", () => {
    let db: DebugSession;
    beforeAll(async () => {
      db = await debugSession();
      await db.run(
        "CREATE TABLE t (a int, b int); CREATE INDEX t_a_idx ON t (a);" +
          "CREATE TABLE p (k int) PARTITION BY LIST (k); CREATE TABLE p1 PARTITION OF p FOR VALUES IN (1);",
      );
    });
    afterAll(() => db.close());

    it.each(STATEMENTS)("Postgres rejects %s in a transaction block", async (_name, sql) => {
      expect(await db.errorInTransaction(sql)).toMatch(/cannot run inside a transaction block/);
    });
  });
});
