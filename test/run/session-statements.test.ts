/**
 * Statements whose way of running the model decides: DISCARD ALL, which Postgres refuses inside a
 * transaction block, runs on its own in `up`; a DO block's statements are what the lint gate judges.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Analyzer } from "../../src/analysis/analyze.js";
import { lintSql, migrationFromSql } from "../support/lint.js";
import { createTestDatabase, type TestDatabase, testMajors } from "../support/postgres.js";
import { cli, migrationDir } from "./helpers.js";

describe.each(testMajors())("session statements on Postgres %s", (major) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(major);
  });
  afterAll(() => db?.drop());

  it("refuses DISCARD ALL in a transaction block, and the model runs it outside one", async () => {
    const error = await db.sql
      .begin((tx) => tx.unsafe("DISCARD ALL"))
      .then(
        () => null,
        (e: { code?: string; message: string }) => e,
      );
    expect(error?.code).toBe("25001");
    expect(error?.message).toMatch(/DISCARD ALL cannot run inside a transaction block/);
    // The other forms run in one.
    await db.sql.begin((tx) => tx.unsafe("DISCARD TEMP"));
    const file = new Analyzer(Number(major)).analyze(migrationFromSql("DISCARD ALL;\nDISCARD TEMP;\n"));
    expect(file.statements.map((s) => s.effects.transactional)).toEqual([false, true]);
  });

  it("up runs DISCARD ALL outside the migration's transaction", async () => {
    const dir = migrationDir({
      "001_t.sql": "CREATE TABLE ss_t (id bigint);\nDISCARD ALL;\nINSERT INTO ss_t VALUES (1);\n",
    });
    const result = await cli(["up", dir, "--history-schema", "ss_discard"], db.url);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(await db.sql`SELECT count(*)::int AS n FROM ss_t`).toEqual([{ n: 1 }]);
  });

  it("stops at the gate on a CREATE INDEX inside a DO block, at its line, and runs one on a new table", async () => {
    await db.sql.unsafe(
      "CREATE TABLE ss_users (id bigint, email text); INSERT INTO ss_users VALUES (1, 'a')",
    );
    const blocked = migrationDir({
      "001_index.sql": "DO $$\nBEGIN\n  CREATE INDEX ss_users_email ON ss_users (email);\nEND\n$$;\n",
    });
    // --small-table-rows 0: the one-row table counts as one that serves traffic.
    const stop = await cli(
      ["up", blocked, "--history-schema", "ss_do_stop", "--small-table-rows", "0"],
      db.url,
    );
    expect(stop.code).toBe(1);
    expect(stop.stderr).toMatch(/001_index\.sql:3:3 +error +create-index-non-concurrent/);
    const fine = migrationDir({
      "001_new.sql": [
        "CREATE TABLE ss_new (id bigint, email text);",
        "DO $$",
        "BEGIN",
        "  CREATE INDEX ss_new_email ON ss_new (email);",
        "END",
        "$$;",
      ].join("\n"),
    });
    const run = await cli(["up", fine, "--history-schema", "ss_do_run", "--small-table-rows", "0"], db.url);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(await db.sql`SELECT count(*)::int AS n FROM pg_indexes WHERE indexname = 'ss_new_email'`).toEqual([
      { n: 1 },
    ]);
  });

  it("refuses CREATE INDEX CONCURRENTLY inside a DO block, as lint says", async () => {
    await db.sql.unsafe("CREATE TABLE ss_cic (a int)");
    const sql = "DO $$ BEGIN CREATE INDEX CONCURRENTLY ss_cic_a ON ss_cic (a); END $$";
    const error = await db.sql.unsafe(sql).then(
      () => null,
      (e: { message: string }) => e,
    );
    expect(error?.message).toMatch(/CREATE INDEX CONCURRENTLY cannot be executed from a function/);
    const findings = lintSql(`${sql};`).filter((f) => f.rule === "concurrently-in-transaction");
    expect(findings.map((f) => [f.line, f.column, f.message])).toEqual([
      [
        1,
        13,
        "CREATE INDEX CONCURRENTLY is inside a DO block, which runs as a function, where Postgres rejects it",
      ],
    ]);
  });
});
