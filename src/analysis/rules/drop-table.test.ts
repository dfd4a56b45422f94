import { describe, expect, it } from "vitest";
import { findingsOf } from "../../../test/support/lint.js";

const rule = "drop-table";

describe(rule, () => {
  it.each([
    ["DROP TABLE", "DROP TABLE users;"],
    ["DROP VIEW", "DROP VIEW active_users;"],
    ["DROP MATERIALIZED VIEW", "DROP MATERIALIZED VIEW user_stats;"],
    ["DROP SCHEMA", "DROP SCHEMA legacy CASCADE;"],
    ["DROP TYPE", "DROP TYPE mood;"],
    ["DROP FUNCTION", "DROP FUNCTION touch_updated_at();"],
    ["several tables, multi-line", "DROP TABLE IF EXISTS\n  users,\n  orders\n  CASCADE;"],
  ])("fires on %s", (_name, sql) => {
    expect(findingsOf(rule, sql)).toHaveLength(1);
  });

  it("fires on a table created by an earlier migration, naming it", () => {
    const findings = findingsOf(rule, ["CREATE TABLE users (id bigint);", "SELECT 1;\nDROP TABLE users;"]);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ file: "0002_test.sql", line: 2, column: 1 });
    expect(findings[0]?.message).toContain("table users");
  });

  it.each([
    ["the contract section", "-- safemigrate:contract\nDROP TABLE users;"],
    ["a table created in the same migration", "CREATE TABLE tmp (id bigint);\nDROP TABLE tmp;"],
    ["a type created in the same migration", "CREATE TYPE mood AS ENUM ('ok');\nDROP TYPE mood;"],
    [
      "a function created in the same migration",
      "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1';\nDROP FUNCTION f();",
    ],
    ["a schema created in the same migration", "CREATE SCHEMA scratch;\nDROP SCHEMA scratch CASCADE;"],
    ["DROP INDEX (another rule)", "DROP INDEX users_email_idx;"],
    ["ignored by directive", "-- safemigrate:ignore drop-table -- unused since v3\nDROP TABLE\n  old_users;"],
  ])("does not fire on %s", (_name, sql) => {
    expect(findingsOf(rule, sql)).toEqual([]);
  });
});
