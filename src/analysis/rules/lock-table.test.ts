import { describe, expect, it } from "vitest";
import { findingsOf } from "../../../test/support/lint.js";

const rule = "lock-table";

describe(rule, () => {
  it.each([
    ["the default mode", "LOCK TABLE users;", "an ACCESS EXCLUSIVE lock on users", "reads and writes"],
    ["LOCK without TABLE", "LOCK users IN SHARE MODE;", "a SHARE lock on users", "blocking writes"],
    [
      "several tables, multi-line",
      "LOCK TABLE users,\n  app.orders\n  IN EXCLUSIVE MODE NOWAIT;",
      "an EXCLUSIVE lock on users, app.orders",
      "writes",
    ],
    ["a weak mode", "LOCK TABLE users IN ROW SHARE MODE;", "a ROW SHARE lock", "other DDL"],
  ])("fires on %s", (_name, sql, lock, blocked) => {
    const findings = findingsOf(rule, sql);
    expect(findings).toHaveLength(1);
    expect(findings[0]?.message).toContain(lock);
    expect(findings[0]?.message).toContain(blocked);
  });

  it("fires on a table created by an earlier migration, inside a transaction block", () => {
    const findings = findingsOf(rule, [
      "CREATE TABLE users (id bigint);",
      "BEGIN;\nLOCK TABLE users IN ACCESS EXCLUSIVE MODE;\nCOMMIT;",
    ]);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      file: "0002_test.sql",
      line: 2,
      column: 1,
      endLine: 2,
      endColumn: 42,
    });
  });

  it.each([
    ["a table created in the same migration", "CREATE TABLE users (id bigint);\nLOCK TABLE users;"],
    ["a statement's own lock", "ALTER TABLE users ADD COLUMN note text;"],
    ["SELECT ... FOR UPDATE", "SELECT * FROM users FOR UPDATE;"],
    [
      "ignored by directive",
      "-- safemigrate:ignore lock-table -- serialise the backfill\nLOCK TABLE\n  users;",
    ],
  ])("does not fire on %s", (_name, sql) => {
    expect(findingsOf(rule, sql)).toEqual([]);
  });
});
