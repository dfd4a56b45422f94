import { describe, expect, it } from "vitest";
import { findingsOf } from "../../../test/support/lint.js";

const rule = "strong-lock-held";

describe(rule, () => {
  it.each([
    [
      "a statement after ACCESS EXCLUSIVE",
      "BEGIN;\nALTER TABLE users ADD COLUMN n int;\nCREATE TABLE audit (id bigint);\nCOMMIT;",
      "CREATE TABLE runs while the ACCESS EXCLUSIVE lock on users taken by ALTER TABLE ADD COLUMN",
    ],
    [
      "a statement after SHARE, in the runner's implicit transaction",
      "CREATE INDEX users_email ON users (email);\nCREATE TABLE audit (id bigint);",
      "the SHARE lock on users taken by CREATE INDEX",
    ],
    [
      "strong locks on two tables in one statement",
      "LOCK TABLE users, orders;",
      "strong locks on 2 existing tables (users, orders)",
    ],
    [
      "a multi-line TRUNCATE of two tables",
      "TRUNCATE\n  users,\n  orders;",
      "strong locks on 2 existing tables (users, orders)",
    ],
  ])("fires on %s", (_name, sql, message) => {
    const findings = findingsOf(rule, sql);
    expect(findings).toHaveLength(1);
    expect(findings[0]?.message).toContain(message);
  });

  it("reports once per transaction, on the first statement after the lock, naming both causes", () => {
    const findings = findingsOf(rule, [
      "CREATE TABLE users (id bigint);",
      "BEGIN;\nALTER TABLE users ADD COLUMN n int;\nALTER TABLE orders ADD COLUMN n int;\nALTER TABLE items ADD COLUMN n int;\nCOMMIT;",
    ]);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ file: "0002_test.sql", line: 3, column: 1 });
    expect(findings[0]?.message).toContain("lock on users taken by ALTER TABLE ADD COLUMN");
    expect(findings[0]?.message).toContain("strong locks on 2 existing tables (users, orders)");
  });

  it.each([
    [
      "one strong lock as the last step",
      "BEGIN;\nCREATE TABLE audit (id bigint);\nALTER TABLE users ADD COLUMN n int;\nCOMMIT;",
    ],
    [
      "only SET and COMMIT after the lock",
      "BEGIN;\nALTER TABLE users ADD COLUMN n int;\nRESET lock_timeout;\nCOMMIT;",
    ],
    [
      "DROP INDEX (the index and its table count once)",
      ["CREATE TABLE users (id bigint);\nCREATE INDEX users_email ON users (id);", "DROP INDEX users_email;"],
    ],
    [
      "weaker locks",
      "ALTER TABLE users VALIDATE CONSTRAINT c;\nCREATE INDEX CONCURRENTLY i ON users (email);",
    ],
    [
      "separate transactions",
      "-- safemigrate:no-transaction\nALTER TABLE users ADD COLUMN n int;\nALTER TABLE orders ADD COLUMN n int;",
    ],
    [
      "tables created in the same migration",
      "CREATE TABLE users (id bigint);\nALTER TABLE users ADD COLUMN n int;\nCREATE INDEX i ON users (n);",
    ],
    [
      "ignored by directive",
      "ALTER TABLE users ADD COLUMN n int;\n-- safemigrate:ignore strong-lock-held -- instant\nCOMMENT ON COLUMN users.n\n  IS 'count';",
    ],
  ])("does not fire on %s", (_name, sql) => {
    expect(findingsOf(rule, sql)).toEqual([]);
  });
});
