import { beforeAll, describe, expect, it } from "vitest";
import { Analyzer } from "../analysis/analyze.js";
import { readMigrationFile } from "../migrations/read-file.js";
import { initParser } from "../sql/parse.js";
import type { Step } from "./step.js";
import { buildSteps } from "./steps.js";

beforeAll(() => initParser());

const BASE =
  "CREATE TABLE t (id int, a int, b text); CREATE TABLE u (id int PRIMARY KEY); CREATE INDEX t_b ON t (b);";

/** Steps of `sql` as migration 002, after a migration that created t, u and index t_b. */
function steps(
  sql: string,
  options: { rewrite?: boolean; phase?: "expand" | "contract"; path?: string } = {},
): Step[] {
  const analyzer = new Analyzer(18);
  analyzer.analyze(readMigrationFile("001_base.sql", BASE));
  const file = analyzer.analyze(readMigrationFile(options.path ?? "002_x.sql", sql));
  return buildSteps(file, { rewrite: options.rewrite ?? true, phase: options.phase ?? "expand" });
}

const shape = (list: Step[]) =>
  list.map((s) => ({ kind: s.kind, transactional: s.transactional, statements: s.statements }));

describe("buildSteps", () => {
  it("groups consecutive transactional statements and isolates non-transactional ones", () => {
    const list = steps(
      "INSERT INTO t VALUES (1);\nUPDATE t SET a = 1 WHERE id = 1;\nCREATE INDEX CONCURRENTLY t_a ON t (a);\nDELETE FROM t WHERE id = 2;",
    );
    expect(shape(list)).toEqual([
      {
        kind: "sql",
        transactional: true,
        statements: ["INSERT INTO t VALUES (1)", "UPDATE t SET a = 1 WHERE id = 1"],
      },
      {
        // Written CONCURRENTLY, it gets the same guards as a rewritten build.
        kind: "create-index-concurrently",
        transactional: false,
        statements: ["CREATE INDEX CONCURRENTLY t_a ON t (a)"],
      },
      { kind: "sql", transactional: true, statements: ["DELETE FROM t WHERE id = 2"] },
    ]);
    expect(list.map((s) => s.line)).toEqual([1, 3, 4]);
    expect(list[1]?.index).toEqual({ name: "t_a", schema: null });
    expect(list[0]?.origins?.map((o) => o.line)).toEqual([1, 2]);
  });

  it("drops ROLLBACK, and does not run the statements of a BEGIN ... ROLLBACK block", () => {
    const list = steps(
      "INSERT INTO t VALUES (1);\nBEGIN;\nALTER TABLE t ADD COLUMN c int;\nROLLBACK;\nINSERT INTO t VALUES (2);\nROLLBACK;\nINSERT INTO t VALUES (3);",
    );
    expect(list.map((s) => s.statements)).toEqual([
      ["INSERT INTO t VALUES (1)"],
      ["INSERT INTO t VALUES (2)", "INSERT INTO t VALUES (3)"],
    ]);
  });

  it("drops explicit BEGIN/COMMIT and keeps their grouping", () => {
    const list = steps(
      "INSERT INTO t VALUES (1);\nBEGIN;\nINSERT INTO t VALUES (2);\nINSERT INTO t VALUES (3);\nCOMMIT;\nINSERT INTO t VALUES (4);",
    );
    expect(list.map((s) => s.statements)).toEqual([
      ["INSERT INTO t VALUES (1)"],
      ["INSERT INTO t VALUES (2)", "INSERT INTO t VALUES (3)"],
      ["INSERT INTO t VALUES (4)"],
    ]);
  });

  it("runs each statement on its own under -- safemigrate:no-transaction", () => {
    const list = steps("-- safemigrate:no-transaction\nINSERT INTO t VALUES (1);\nINSERT INTO t VALUES (2);");
    expect(list.map((s) => s.statements.length)).toEqual([1, 1]);
    expect(list.every((s) => s.transactional)).toBe(true);
  });

  it("builds the steps of the requested phase only", () => {
    const sql =
      "-- safemigrate:expand\nALTER TABLE t ADD COLUMN c int;\n-- safemigrate:contract\nALTER TABLE t DROP COLUMN a;";
    expect(steps(sql).map((s) => s.statements)).toEqual([["ALTER TABLE t ADD COLUMN c int"]]);
    expect(steps(sql, { phase: "contract" }).map((s) => s.statements)).toEqual([
      ["ALTER TABLE t DROP COLUMN a"],
    ]);
  });

  it("rewrites a CREATE INDEX on an existing table into a named concurrent build", () => {
    const [step] = steps("CREATE INDEX ON t (lower(b), a);");
    expect(step).toMatchObject({
      kind: "create-index-concurrently",
      transactional: false,
      statements: ["CREATE INDEX CONCURRENTLY t_lower_a_idx ON t ((lower(b)), a)"],
      index: { name: "t_lower_a_idx", schema: null },
      rewrittenFrom: "CREATE INDEX ON t (lower(b), a)",
      resolves: ["create-index-non-concurrent"],
      blocks: "nothing",
    });
  });

  it("leaves statements on tables created in the same migration as written", () => {
    const list = steps(
      "CREATE TABLE n (id int, r int);\nCREATE INDEX ON n (r);\nALTER TABLE n ADD CHECK (r > 0);",
    );
    expect(list).toHaveLength(1);
    expect(list[0]?.rewrittenFrom).toBeNull();
  });

  it("turns constraints NOT VALID and validates them in a transaction of their own", () => {
    const list = steps(
      "ALTER TABLE t ADD COLUMN c int DEFAULT 1 REFERENCES u (id) DEFERRABLE INITIALLY DEFERRED, ADD CHECK (a > 0);\nINSERT INTO t VALUES (1);",
    );
    expect(shape(list)).toEqual([
      {
        kind: "sql",
        transactional: true,
        statements: [
          // The attribute clauses after an inline REFERENCES belong to it, and move with it.
          "ALTER TABLE t ADD COLUMN c int DEFAULT 1, ADD CONSTRAINT t_c_fkey FOREIGN KEY (c) REFERENCES u (id) NOT VALID DEFERRABLE INITIALLY DEFERRED, ADD CONSTRAINT t_a_check CHECK (a > 0) NOT VALID",
        ],
      },
      {
        kind: "sql",
        transactional: true,
        statements: ["ALTER TABLE t VALIDATE CONSTRAINT t_c_fkey, VALIDATE CONSTRAINT t_a_check"],
      },
      { kind: "sql", transactional: true, statements: ["INSERT INTO t VALUES (1)"] },
    ]);
    expect(list[1]?.blocks).toBe("nothing");
    expect(list[0]?.resolves).toEqual(["constraint-missing-not-valid"]);
  });

  it("keeps an inline REFERENCES that Postgres does not check (no default), or that is NOT ENFORCED", () => {
    for (const sql of [
      "ALTER TABLE t ADD COLUMN c int REFERENCES u (id) DEFERRABLE",
      "ALTER TABLE t ADD COLUMN c int DEFAULT 1 REFERENCES u (id) NOT ENFORCED",
    ]) {
      expect(steps(`${sql};`).map((s) => s.statements)).toEqual([[sql]]);
    }
  });

  it("splits every inline REFERENCES of a column, each with its own attributes", () => {
    const list = steps(
      "ALTER TABLE t ADD COLUMN c int DEFAULT 1 CONSTRAINT f1 REFERENCES u (id) DEFERRABLE UNIQUE REFERENCES u (id) ON DELETE CASCADE NOT DEFERRABLE;",
    );
    expect(list[0]?.statements).toEqual([
      "ALTER TABLE t ADD COLUMN c int DEFAULT 1 UNIQUE, ADD CONSTRAINT f1 FOREIGN KEY (c) REFERENCES u (id) NOT VALID DEFERRABLE, ADD CONSTRAINT t_c_fkey FOREIGN KEY (c) REFERENCES u (id) ON DELETE CASCADE NOT VALID",
    ]);
    // Two unnamed ones would need the names Postgres numbers (t_c_fkey, t_c_fkey1): left as written.
    const unnamed = "ALTER TABLE t ADD COLUMN d int DEFAULT 1 REFERENCES u (id) REFERENCES u (id)";
    expect(steps(`${unnamed};`)[0]?.statements).toEqual([unnamed]);
  });

  it("shares the NOT NULL route of SET NOT NULL and a PRIMARY KEY on the same column", () => {
    const list = steps("ALTER TABLE t ALTER COLUMN id SET NOT NULL, ADD PRIMARY KEY (id);");
    expect(list[0]?.statements).toEqual([
      "ALTER TABLE t ADD CONSTRAINT t_id_sm_not_null CHECK (id IS NOT NULL) NOT VALID",
    ]);
  });

  it("builds a unique index whose name needs quotes under a plain name the constraint adopts", () => {
    const list = steps('ALTER TABLE t ADD CONSTRAINT "T key" UNIQUE (a);');
    expect(list.map((s) => s.statements[0])).toEqual([
      "CREATE UNIQUE INDEX CONCURRENTLY sm_unique_c1856373b4c46481 ON t (a)",
      'ALTER TABLE t ADD CONSTRAINT "T key" UNIQUE USING INDEX sm_unique_c1856373b4c46481',
    ]);
  });

  it("names an unnamed index after its INCLUDE columns too, as Postgres does", () => {
    expect(steps("CREATE INDEX ON t (a) INCLUDE (b);")[0]?.statements).toEqual([
      "CREATE INDEX CONCURRENTLY t_a_b_idx ON t (a) INCLUDE (b)",
    ]);
  });

  it("runs the statement after a no-rewrite directive as written, and only that one", () => {
    const list = steps(
      "-- safemigrate:no-rewrite\nCREATE INDEX t_a ON t (a);\nCREATE INDEX t_a2 ON t (a);\nALTER TABLE t ADD CHECK (a > 0);",
    );
    expect(shape(list)).toEqual([
      { kind: "sql", transactional: true, statements: ["CREATE INDEX t_a ON t (a)"] },
      {
        kind: "create-index-concurrently",
        transactional: false,
        statements: ["CREATE INDEX CONCURRENTLY t_a2 ON t (a)"],
      },
      {
        kind: "sql",
        transactional: true,
        statements: ["ALTER TABLE t ADD CONSTRAINT t_a_check CHECK (a > 0) NOT VALID"],
      },
      { kind: "sql", transactional: true, statements: ["ALTER TABLE t VALIDATE CONSTRAINT t_a_check"] },
    ]);
    expect(list[0]?.resolves).toEqual([]);
  });

  it("records per statement which findings its pieces resolve", () => {
    const list = steps(
      "ALTER TABLE t ADD COLUMN c text COMPRESSION pglz, ADD CHECK (a > 0);\nALTER TABLE t ADD CHECK (id > 1);",
    );
    // The first rewrite does not print back (the printer drops COMPRESSION): it runs as written, in the
    // same transaction as the NOT VALID half of the second.
    expect(list[0]?.statements).toEqual([
      "ALTER TABLE t ADD COLUMN c text COMPRESSION pglz, ADD CHECK (a > 0)",
      "ALTER TABLE t ADD CONSTRAINT t_id_check CHECK (id > 1) NOT VALID",
    ]);
    expect(list[0]?.resolves).toEqual(["constraint-missing-not-valid"]);
    expect(list[0]?.origins?.map((o) => o.resolves)).toEqual([[], ["constraint-missing-not-valid"]]);
  });

  it("sets NOT NULL through a validated CHECK and drops the helper", () => {
    const list = steps("ALTER TABLE t ALTER COLUMN a SET NOT NULL;");
    expect(list.map((s) => s.statements[0])).toEqual([
      "ALTER TABLE t ADD CONSTRAINT t_a_sm_not_null CHECK (a IS NOT NULL) NOT VALID",
      "ALTER TABLE t VALIDATE CONSTRAINT t_a_sm_not_null",
      "ALTER TABLE t ALTER COLUMN a SET NOT NULL, DROP CONSTRAINT t_a_sm_not_null RESTRICT",
    ]);
    // The model sees that SET NOT NULL no longer scans once the CHECK is validated.
    expect(list[2]?.scan).toBe(false);
  });

  it("builds the index of a primary key concurrently and attaches it", () => {
    const list = steps("ALTER TABLE t ADD PRIMARY KEY (id);");
    expect(list.map((s) => [s.kind, s.statements[0]])).toEqual([
      ["sql", "ALTER TABLE t ADD CONSTRAINT t_id_sm_not_null CHECK (id IS NOT NULL) NOT VALID"],
      ["sql", "ALTER TABLE t VALIDATE CONSTRAINT t_id_sm_not_null"],
      ["sql", "ALTER TABLE t ALTER COLUMN id SET NOT NULL, DROP CONSTRAINT t_id_sm_not_null RESTRICT"],
      ["create-index-concurrently", "CREATE UNIQUE INDEX CONCURRENTLY t_pkey ON t (id)"],
      ["sql", "ALTER TABLE t ADD PRIMARY KEY USING INDEX t_pkey"],
    ]);
  });

  it("drops and rebuilds indexes concurrently, one index per statement", () => {
    const list = steps("DROP INDEX IF EXISTS t_b, other_idx;\nREINDEX INDEX t_b;");
    expect(list.map((s) => [s.statements[0], s.guard])).toEqual([
      ["DROP INDEX CONCURRENTLY IF EXISTS t_b", "drop-index"],
      ["DROP INDEX CONCURRENTLY IF EXISTS other_idx", "drop-index"],
      ["REINDEX (CONCURRENTLY) INDEX t_b", "reindex-index"],
    ]);
  });

  it("reads REINDEX's option list as Postgres does: CONCURRENTLY false is rewritten, CONCURRENTLY on kept", () => {
    const list = steps(
      "REINDEX (CONCURRENTLY false, VERBOSE) INDEX t_b;\nREINDEX (CONCURRENTLY on) INDEX t_b;",
    );
    expect(list.map((s) => [s.statements[0], s.rewrittenFrom !== null])).toEqual([
      ["REINDEX (VERBOSE, CONCURRENTLY) INDEX t_b", true],
      ["REINDEX (CONCURRENTLY on) INDEX t_b", false],
    ]);
  });

  it("runs SET NOT NULL as written after a valid CHECK (col IS NOT NULL) added in the same transaction", () => {
    const list = steps(
      "ALTER TABLE t ADD CONSTRAINT t_a_nn CHECK (a IS NOT NULL);\nALTER TABLE t ALTER COLUMN a SET NOT NULL;",
    );
    expect(list.at(-1)).toMatchObject({
      statements: ["ALTER TABLE t ALTER COLUMN a SET NOT NULL"],
      rewrittenFrom: null,
    });
  });

  it("keeps a DROP INDEX ... CASCADE as written (the concurrent form has no CASCADE)", () => {
    expect(steps("DROP INDEX t_b CASCADE;")[0]?.statements).toEqual(["DROP INDEX t_b CASCADE"]);
  });

  it("commits an added enum value before the statements that use it", () => {
    const list = steps("ALTER TYPE mood ADD VALUE 'meh';\nINSERT INTO t VALUES (1);");
    expect(list).toHaveLength(2);
    expect(list[0]?.resolves).toContain("enum-value-in-transaction");
  });

  it("runs the SQL as written with rewrite off", () => {
    const list = steps("CREATE INDEX t_a ON t (a);\nALTER TABLE t ALTER COLUMN a SET NOT NULL;", {
      rewrite: false,
    });
    expect(shape(list)).toEqual([
      {
        kind: "sql",
        transactional: true,
        statements: ["CREATE INDEX t_a ON t (a)", "ALTER TABLE t ALTER COLUMN a SET NOT NULL"],
      },
    ]);
  });
});
