import { describe, expect, it } from "vitest";
import { findingsOf } from "../../../test/support/lint.js";

const rule = "rename-table";

describe(rule, () => {
  it.each([
    ["ALTER TABLE ... RENAME TO", "ALTER TABLE users RENAME TO customers;", "table users to customers"],
    ["a view", "ALTER VIEW active_users RENAME TO live_users;", "view active_users"],
    ["a materialized view", "ALTER MATERIALIZED VIEW stats RENAME TO user_stats;", "materialized view stats"],
    ["a multi-line statement", "ALTER TABLE IF EXISTS\n  app.users\n  RENAME TO customers;", "app.users"],
  ])("fires on %s", (_name, sql, text) => {
    const findings = findingsOf(rule, sql);
    expect(findings).toHaveLength(1);
    expect(findings[0]?.message).toContain(text);
  });

  it("fires on a table created by an earlier migration", () => {
    const findings = findingsOf(rule, [
      "CREATE TABLE users (id bigint);",
      "\n\nALTER TABLE users RENAME TO customers;",
    ]);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      file: "0002_test.sql",
      line: 3,
      column: 1,
      endLine: 3,
      endColumn: 38,
    });
  });

  it.each([
    ["the contract section", "-- safemigrate:contract\nALTER TABLE users RENAME TO customers;"],
    [
      "a table created in the same migration",
      "CREATE TABLE users (id bigint);\nALTER TABLE users RENAME TO customers;",
    ],
    ["an index rename", "ALTER INDEX users_email_idx RENAME TO users_email_key;"],
    ["a column rename (another rule)", "ALTER TABLE users RENAME COLUMN email TO mail;"],
    [
      "ignored by directive",
      "-- safemigrate:ignore rename-table -- view kept under the old name\nALTER TABLE users\n  RENAME TO customers;",
    ],
  ])("does not fire on %s", (_name, sql) => {
    expect(findingsOf(rule, sql)).toEqual([]);
  });
});
