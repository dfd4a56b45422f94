import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DebugSession, debugSession } from "../../../test/support/debug-notices.js";
import { findingsOf, lintSql, migrationFromSql } from "../../../test/support/lint.js";
import { testMajors } from "../../../test/support/postgres.js";
import { lintMigrations } from "../lint.js";

const rule = "syntax-error";

function statementCount(sql: string): number {
  return lintMigrations([migrationFromSql(sql)], { pgVersion: 14 }).summary.statements;
}

describe(rule, () => {
  it("reports a bad statement at the rejected token and still lints the statements after it", () => {
    const sql =
      "CREATE TABLE a (id bigint);\nALTER TABLE users ADD COLUMN x int NOT NULL FOO;\nDROP TABLE users;";
    const findings = lintSql(sql).filter((f) => f.rule === rule || f.rule === "drop-table");
    expect(findings).toMatchObject([
      {
        rule,
        severity: "error",
        line: 2,
        column: 45,
        endLine: 2,
        endColumn: 48,
        message: 'syntax error at or near "FOO"',
      },
      { rule: "drop-table", line: 3, column: 1 },
    ]);
    expect(statementCount(sql)).toBe(3);
  });

  it.each([
    ["a multi-line statement", "SELECT 1;\nALTER TABLE users\n  ADD COLUMN x int\n  NOT NUL;", 4, 7, "NUL"],
    [
      "non-ASCII text on earlier lines",
      "-- Grüße\nCREATE TABLE café (naïve text);\nSELECT * FRM café;",
      3,
      10,
      "FRM",
    ],
    ["a missing operand", "SELECT 1;\nSELECT 1 +;", 2, 11, 'near ";"'],
  ])("reports %s at its own line and column", (_name, sql, line, column, near) => {
    const findings = findingsOf(rule, sql);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ line, column });
    expect(findings[0]?.message).toContain(near);
  });

  it("counts characters, not bytes, before the error in the same statement", () => {
    expect(findingsOf(rule, "SELECT 'é' FRM t;")[0]).toMatchObject({ line: 1, column: 16 });
    expect(findingsOf(rule, "SELECT '𝄞' FRM t;")[0]).toMatchObject({ line: 1, column: 16 });
  });

  it("reports an unterminated string from its opening quote to the end of the file", () => {
    const findings = findingsOf(rule, "SELECT 1;\nINSERT INTO t VALUES ('oops);\nDROP TABLE users;");
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ line: 2, column: 23, endLine: 3, endColumn: 17 });
    expect(findings[0]?.message).toContain("unterminated quoted string");
  });

  it.each([
    ["an empty file", ""],
    ["a blank file", "  \n\t\n"],
    ["a comment-only file", "-- nothing yet\n/* still\n   nothing */\n"],
  ])("finds zero statements and no error in %s", (_name, sql) => {
    expect(statementCount(sql)).toBe(0);
    expect(lintSql(sql)).toEqual([]);
  });

  it.each([
    [
      "a dollar-quoted body",
      "CREATE FUNCTION f() RETURNS void LANGUAGE plpgsql AS $body$\nBEGIN\n  PERFORM 1;\n  PERFORM 2;\nEND\n$body$;\nSELEC 1;\nSELECT 2;",
    ],
    [
      "a BEGIN ATOMIC body",
      "CREATE FUNCTION g() RETURNS int LANGUAGE sql\nBEGIN ATOMIC\n  SELECT 1;\n  SELECT 2;\nEND;\nSELEC 1;\nSELECT 2;",
    ],
  ])("does not split %s at its semicolons", (_name, sql) => {
    const findings = findingsOf(rule, sql);
    expect(findings.map((f) => [f.line, f.column])).toEqual([[sql.split("\n").indexOf("SELEC 1;") + 1, 1]]);
    expect(statementCount(sql)).toBe(3);
  });

  it.each([
    ["a valid file", "CREATE TABLE t (id bigint);\nSELECT 'é; still a string';"],
    ["semicolons in strings and comments", "SELECT 'a;b'; -- c;d\nSELECT $$x;y$$ /* ; */;"],
    [
      "a bad statement ignored by directive",
      "-- safemigrate:ignore syntax-error -- psql meta-command\nSELEC\n  1;",
    ],
  ])("does not fire on %s", (_name, sql) => {
    expect(findingsOf(rule, sql)).toEqual([]);
  });

  describe("boolean options Postgres does not accept", () => {
    const BAD = [
      "REINDEX (CONCURRENTLY yes) INDEX t_a_idx",
      "REINDEX (\n  VERBOSE,\n  CONCURRENTLY no\n) TABLE t",
      "REINDEX (CONCURRENTLY 2) INDEX t_a_idx",
      "REINDEX (CONCURRENTLY 1.0) INDEX t_a_idx",
      "VACUUM (FULL 'yes') t",
    ];

    it.each(BAD)("reports %s at the statement", (sql) => {
      const findings = findingsOf(rule, `SELECT 1;\n${sql};`);
      expect(findings).toHaveLength(1);
      expect(findings[0]).toMatchObject({ line: 2, column: 1 });
      expect(findings[0]?.message).toMatch(
        /^(concurrently|full) requires a Boolean value \(Postgres accepts/,
      );
    });

    it.each([
      "REINDEX (CONCURRENTLY off) INDEX t_a_idx",
      "REINDEX (CONCURRENTLY 'TRUE') INDEX t_a_idx",
      "VACUUM (FULL 0, VERBOSE) t",
    ])("does not report %s", (sql) => {
      expect(findingsOf(rule, `${sql};`)).toEqual([]);
    });

    describe.each(testMajors())("on Postgres %s", (major) => {
      let db: DebugSession;
      beforeAll(async () => {
        db = await debugSession(major);
        await db.run("CREATE TABLE t (a int); CREATE INDEX t_a_idx ON t (a);");
      });
      afterAll(() => db.close());

      it.each(BAD)("Postgres rejects %s", async (sql) => {
        expect(await db.errorInTransaction(sql)).toMatch(/requires a Boolean value/);
      });
    });
  });
});
