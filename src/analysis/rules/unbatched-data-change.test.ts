import { describe, expect, it } from "vitest";
import { findingsOf } from "../../../test/support/lint.js";

const rule = "unbatched-data-change";

describe(rule, () => {
  it.each([
    [
      "UPDATE without WHERE",
      "UPDATE users SET active = true;",
      "UPDATE without WHERE changes every row of existing table users",
    ],
    [
      "EXPLAIN ANALYZE, which runs the UPDATE",
      "EXPLAIN (ANALYZE, COSTS off)\n  UPDATE users SET active = true;",
      "UPDATE without WHERE changes every row of existing table users",
    ],
    [
      "DELETE without WHERE",
      "DELETE FROM app.sessions;",
      "DELETE without WHERE changes every row of existing table app.sessions",
    ],
    [
      "an UPDATE after DDL on the same table",
      "ALTER TABLE users ADD COLUMN active bool;\nUPDATE users SET active = true WHERE id < 1000;",
      "after ALTER TABLE ADD COLUMN on it, so the ACCESS EXCLUSIVE lock",
    ],
    [
      "a DELETE before DDL on the same table, in a transaction block",
      "BEGIN;\nDELETE FROM users WHERE deleted;\nCREATE INDEX users_email ON users (email);\nCOMMIT;",
      "before CREATE INDEX on it, so its row locks are held until the SHARE lock",
    ],
    [
      "a multi-line UPDATE without WHERE after DDL",
      "ALTER TABLE users ADD COLUMN n int;\nUPDATE users\n  SET n = 0;",
      "UPDATE without WHERE on existing table users runs in the same transaction after",
    ],
  ])("fires on %s", (_name, sql, message) => {
    const findings = findingsOf(rule, sql);
    expect(findings).toHaveLength(1);
    expect(findings[0]?.message).toContain(message);
  });

  it("reports the data change, on a table created by an earlier migration", () => {
    const findings = findingsOf(rule, [
      "CREATE TABLE users (id bigint);",
      "ALTER TABLE users ADD COLUMN n int;\n\n  UPDATE users SET n = 0 WHERE id > 0;",
    ]);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ file: "0002_test.sql", line: 3, column: 3 });
  });

  it.each([
    ["UPDATE with WHERE", "UPDATE users SET active = true WHERE id BETWEEN 1 AND 1000;"],
    ["INSERT", "INSERT INTO users (id) SELECT id FROM old_users;"],
    ["DDL on another table", "ALTER TABLE orders ADD COLUMN n int;\nUPDATE users SET n = 0 WHERE id < 10;"],
    [
      "a later transaction",
      "BEGIN;\nALTER TABLE users ADD COLUMN n int;\nCOMMIT;\nUPDATE users SET n = 0 WHERE id < 10;",
    ],
    [
      "statements run one by one (no-transaction)",
      "-- safemigrate:no-transaction\nALTER TABLE users ADD COLUMN n int;\nUPDATE users SET n = 0 WHERE id < 10;",
    ],
    [
      "a table created in the same migration",
      "CREATE TABLE users (id bigint, n int);\nUPDATE users SET n = 0;\nDELETE FROM users;",
    ],
    [
      "ignored by directive",
      "-- safemigrate:ignore unbatched-data-change -- 12 rows\nUPDATE users\n  SET active = true;",
    ],
    ["EXPLAIN, which only plans it", "EXPLAIN UPDATE users SET active = true;"],
    ["EXPLAIN (ANALYZE false)", "EXPLAIN (ANALYZE false) DELETE FROM users;"],
  ])("does not fire on %s", (_name, sql) => {
    expect(findingsOf(rule, sql)).toEqual([]);
  });
});
