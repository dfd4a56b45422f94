import { describe, expect, it } from "vitest";
import { shape, steps } from "../../test/support/steps.js";

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

  it("leaves statements on tables created in the same migration as written", () => {
    const list = steps(
      "CREATE TABLE n (id int, r int);\nCREATE INDEX ON n (r);\nALTER TABLE n ADD CHECK (r > 0);",
    );
    expect(list).toHaveLength(1);
    expect(list[0]?.rewrittenFrom).toBeNull();
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
