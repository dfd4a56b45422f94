import { describe, expect, it } from "vitest";
import { findingsOf } from "../../../test/support/lint.js";

const rule = "drop-index-non-concurrent";

describe(rule, () => {
  it.each([
    ["an index of an unknown table", "DROP INDEX users_email_idx;"],
    ["several indexes, if exists", "DROP INDEX IF EXISTS a_idx, b_idx;"],
    ["schema-qualified, multi-line", "DROP INDEX\n  app.users_email_idx\n  CASCADE;"],
  ])("fires on %s", (_name, sql) => {
    expect(findingsOf(rule, sql)).toHaveLength(1);
  });

  it("fires on an index created by an earlier migration, naming its table and lock", () => {
    const findings = findingsOf(rule, [
      "CREATE TABLE users (email text);\nCREATE INDEX users_email_idx ON users (email);",
      "SET lock_timeout = '1s';\n  DROP INDEX users_email_idx;",
    ]);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ file: "0002_test.sql", line: 2, column: 3 });
    expect(findings[0]?.message).toBe(
      "DROP INDEX users_email_idx takes an ACCESS EXCLUSIVE lock on users (blocks reads and writes) until the transaction ends",
    );
  });

  it.each([
    ["a concurrent drop", "DROP INDEX CONCURRENTLY users_email_idx;"],
    [
      "an index created earlier in the same migration",
      "CREATE INDEX tmp_idx ON users (email);\nDROP INDEX tmp_idx;",
    ],
    [
      "an index of a table created in the same migration",
      "CREATE TABLE t (a int);\nCREATE INDEX t_a_idx ON t (a);\nDROP INDEX t_a_idx;",
    ],
    ["another kind of object", "DROP TABLE users;"],
    [
      "ignored by directive",
      "-- safemigrate:ignore drop-index-non-concurrent -- tiny table\nDROP INDEX\n  users_email_idx;",
    ],
  ])("does not fire on %s", (_name, sql) => {
    expect(findingsOf(rule, sql)).toEqual([]);
  });
});
