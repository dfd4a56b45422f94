import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readDuringTransaction } from "../../../test/model/reader.js";
import { findingsOf, lintSql, migrationFromSql } from "../../../test/support/lint.js";
import { createTestDatabase, type TestDatabase, testMajors } from "../../../test/support/postgres.js";
import { lintMigrations, type RuleSetting } from "../lint.js";

const rule = "drop-function";
const base = "CREATE FUNCTION f(a integer) RETURNS integer LANGUAGE sql AS 'SELECT 1';";

describe(rule, () => {
  it.each([
    ["DROP FUNCTION", "DROP FUNCTION touch_updated_at();"],
    ["DROP FUNCTION without an argument list", "DROP FUNCTION touch_updated_at;"],
    ["DROP PROCEDURE", "DROP PROCEDURE archive_orders(integer);"],
    ["DROP ROUTINE", "DROP ROUTINE archive_orders;"],
    ["several, multi-line", "DROP FUNCTION IF EXISTS\n  a(),\n  b(text)\n  CASCADE;"],
  ])("fires on %s", (_name, sql) => {
    expect(findingsOf(rule, sql)).toHaveLength(1);
  });

  it("says what was dropped, at the statement", () => {
    const [finding] = findingsOf(rule, [base, "SELECT 1;\n  DROP FUNCTION f(integer);"]);
    expect(finding).toMatchObject({ file: "0002_test.sql", line: 2, column: 3, severity: "error" });
    expect(finding?.message).toBe(
      "dropping function f in the expand phase breaks the running application version, which still calls it",
    );
    expect(findingsOf(rule, "DROP PROCEDURE p();")[0]?.message).toMatch(/^dropping procedure p /);
  });

  it.each([
    [
      "other argument types",
      "DROP FUNCTION f(integer);\nCREATE FUNCTION f(a bigint) RETURNS integer LANGUAGE sql AS 'SELECT 2';",
    ],
    [
      "fewer arguments",
      "DROP FUNCTION f(integer);\nCREATE FUNCTION f() RETURNS integer LANGUAGE sql AS 'SELECT 2';",
    ],
    [
      "a procedure of the same name",
      "DROP FUNCTION f(integer);\nCREATE PROCEDURE f(a integer) LANGUAGE sql AS 'SELECT 2';",
    ],
    [
      "CASCADE (it drops the triggers and defaults that use it)",
      "DROP FUNCTION f(integer) CASCADE;\nCREATE FUNCTION f(a integer) RETURNS integer LANGUAGE sql AS 'SELECT 2';",
    ],
    [
      "a commit between",
      "BEGIN;\nDROP FUNCTION f(integer);\nCOMMIT;\nCREATE FUNCTION f(a integer) RETURNS integer LANGUAGE sql AS 'SELECT 2';",
    ],
  ])("fires when it is created again with %s", (_name, sql) => {
    expect(findingsOf(rule, [base, sql])).toHaveLength(1);
  });

  it.each([
    [
      "the same argument types",
      "DROP FUNCTION f(integer);\nCREATE FUNCTION f(a integer) RETURNS integer LANGUAGE sql AS 'SELECT 2';",
    ],
    [
      "the same types spelled otherwise, OUT arguments, OR REPLACE, multi-line",
      "DROP FUNCTION IF EXISTS\n  public.f(int4);\nCREATE OR REPLACE FUNCTION f(a int, OUT b int)\n  LANGUAGE sql AS 'SELECT 2';",
    ],
    [
      "type modifiers, which Postgres ignores",
      "DROP FUNCTION g(varchar(10));\nCREATE FUNCTION g(v varchar) RETURNS int LANGUAGE sql AS 'SELECT 2';",
    ],
    [
      "any arguments after a DROP without a list",
      "DROP FUNCTION f;\nCREATE FUNCTION f(a text) RETURNS int LANGUAGE sql AS 'SELECT 2';",
    ],
    ["a procedure after DROP ROUTINE", "DROP ROUTINE p();\nCREATE PROCEDURE p() LANGUAGE sql AS 'SELECT 2';"],
    [
      "inside BEGIN ... COMMIT",
      "BEGIN;\nDROP PROCEDURE p();\nCREATE PROCEDURE p() LANGUAGE sql AS 'SELECT 2';\nCOMMIT;",
    ],
  ])("does not fire when it is created again in the same transaction with %s", (_name, sql) => {
    expect(findingsOf(rule, [base, sql])).toEqual([]);
  });

  it.each([
    ["the contract section", "-- safemigrate:contract\nDROP FUNCTION f(integer);"],
    [
      "a function created in the same migration",
      "CREATE FUNCTION g() RETURNS int LANGUAGE sql AS 'SELECT 1';\nDROP FUNCTION g();",
    ],
    [
      "a procedure created in the same migration, dropped as a routine",
      "CREATE PROCEDURE p() LANGUAGE sql AS 'SELECT 1';\nDROP ROUTINE p();",
    ],
    ["DROP TABLE (drop-table)", "DROP TABLE users;"],
    [
      "ignored by directive",
      "-- safemigrate:ignore drop-function -- unused since v3\nDROP FUNCTION\n  f(integer);",
    ],
  ])("does not fire on %s", (_name, sql) => {
    expect(findingsOf(rule, sql)).toEqual([]);
  });

  it("is silenced by an ignore naming drop-table, its former id, which is then used", () => {
    const sql = "-- safemigrate:ignore drop-table -- replaced by g()\nDROP FUNCTION f(integer);";
    expect(lintSql(sql)).toEqual([]);
  });

  it.each([
    [{ "drop-table": "off" }, []],
    [{ "drop-table": "warning" }, ["warning"]],
    [{ "drop-table": "off", "drop-function": "error" }, ["error"]],
    [{ "drop-function": "off" }, []],
  ] as Array<[Record<string, RuleSetting>, string[]]>)(
    "follows the drop-table setting unless it has its own: %o",
    (rules, severities) => {
      const result = lintMigrations([migrationFromSql("DROP FUNCTION f(integer);")], {
        pgVersion: 18,
        rules,
      });
      expect(result.findings.map((f) => f.severity)).toEqual(severities);
    },
  );

  // Several statements in one string run as one implicit transaction.
  describe.each(testMajors())("on Postgres %s", (major) => {
    let db: TestDatabase;
    beforeAll(async () => {
      db = await createTestDatabase(major);
    });
    afterAll(() => db.drop());

    it("a caller during a DROP and CREATE in one transaction gets the old function, without waiting", async () => {
      await db.sql.unsafe(base);
      const outcome = await readDuringTransaction(
        db.sql,
        [
          "DROP FUNCTION f(integer)",
          "CREATE FUNCTION f(a integer) RETURNS integer LANGUAGE sql AS 'SELECT 2'",
        ],
        "SELECT f(1) AS v",
      );
      expect(outcome).toMatchObject({ error: null, waited: false, rows: [{ v: 1 }] });
      expect(await db.sql.unsafe("SELECT f(1) AS v")).toEqual([{ v: 2 }]);
    });

    it("a caller of the old signature fails once the function is created with other argument types", async () => {
      await db.sql.unsafe(
        "DROP FUNCTION IF EXISTS h(integer); CREATE FUNCTION h(a integer) RETURNS integer LANGUAGE sql AS 'SELECT 1'",
      );
      await db.sql.unsafe(
        "DROP FUNCTION h(integer); CREATE FUNCTION h(a text) RETURNS integer LANGUAGE sql AS 'SELECT 2';",
      );
      await expect(db.sql.unsafe("SELECT h(1::integer)")).rejects.toThrow(/does not exist/);
    });

    it("DROP FUNCTION ... CASCADE drops the trigger that uses it, which CREATE FUNCTION does not bring back", async () => {
      await db.sql.unsafe(
        "CREATE TABLE t (a int); CREATE FUNCTION trg() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NEW; END';" +
          "CREATE TRIGGER t_trg BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION trg();",
      );
      await db.sql.unsafe(
        "DROP FUNCTION trg() CASCADE; CREATE FUNCTION trg() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NEW; END';",
      );
      expect(await db.sql`SELECT tgname FROM pg_trigger WHERE tgname = 't_trg'`).toEqual([]);
    });
  });
});
