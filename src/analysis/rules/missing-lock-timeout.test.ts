import { describe, expect, it } from "vitest";
import { findingsOf } from "../../../test/support/lint.js";

const rule = "missing-lock-timeout";

describe(rule, () => {
  it.each([
    [
      "ALTER TABLE",
      "ALTER TABLE users ADD COLUMN n int;",
      "an ACCESS EXCLUSIVE lock on users",
      "reads and writes",
    ],
    ["CREATE INDEX", "CREATE INDEX i ON users (email);", "a SHARE lock on users", "the writes of users"],
    [
      "a new table's foreign key to an existing one",
      "CREATE TABLE orders (id bigint, user_id bigint REFERENCES users (id));",
      "a SHARE ROW EXCLUSIVE lock on users",
      "writes",
    ],
    [
      "a timeout set only after the statement, multi-line",
      "ALTER TABLE users\n  ADD COLUMN n int;\nSET lock_timeout = '1s';",
      "ACCESS EXCLUSIVE",
      "reads and writes",
    ],
  ])("fires on %s", (_name, sql, lock, blocked) => {
    const findings = findingsOf(rule, sql);
    expect(findings).toHaveLength(1);
    expect(findings[0]?.message).toContain(lock);
    expect(findings[0]?.message).toContain(blocked);
    expect(findings[0]?.message).toContain("safemigrate plan/up set one themselves");
  });

  it("reports once per file, on the first blocking statement, for each file", () => {
    const findings = findingsOf(rule, [
      "CREATE TABLE users (id bigint);\nALTER TABLE users ADD COLUMN n int;",
      "SELECT 1;\n  ALTER TABLE users ADD COLUMN m int;\nCREATE INDEX i ON users (m);",
    ]);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ file: "0002_test.sql", line: 2, column: 3 });
  });

  it.each([
    ["a lock_timeout set first", "SET lock_timeout = '2s';\nALTER TABLE users ADD COLUMN n int;"],
    [
      "SET LOCAL in the transaction",
      "BEGIN;\nSET LOCAL lock_timeout TO '2s';\nALTER TABLE users ADD COLUMN n int;\nCOMMIT;",
    ],
    [
      "locks that do not block traffic",
      "CREATE INDEX CONCURRENTLY i ON users (email);\nALTER TABLE users VALIDATE CONSTRAINT c;",
    ],
    ["DROP INDEX CONCURRENTLY", "DROP INDEX CONCURRENTLY users_email;"],
    [
      "a table created in the same migration",
      "CREATE TABLE users (id bigint);\nCREATE INDEX i ON users (id);",
    ],
    [
      "ignored by directive",
      "-- safemigrate:ignore missing-lock-timeout -- run by safemigrate only\nALTER TABLE users\n  ADD COLUMN n int;",
    ],
  ])("does not fire on %s", (_name, sql) => {
    expect(findingsOf(rule, sql)).toEqual([]);
  });
});
