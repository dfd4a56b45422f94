import { describe, expect, it } from "vitest";
import { findingsOf } from "../../../test/support/lint.js";

const rule = "table-rewrite-maintenance";

describe(rule, () => {
  it.each([
    ["VACUUM FULL", "VACUUM FULL users;", "VACUUM FULL rewrites existing table users"],
    ["VACUUM (FULL, ANALYZE)", "VACUUM (FULL, ANALYZE) users;", "VACUUM FULL rewrites existing table users"],
    ...["true", "ON", "1", "'on'"].map((value) => [
      `VACUUM (FULL ${value})`,
      `VACUUM (FULL ${value}) users;`,
      "VACUUM FULL rewrites existing table users",
    ]),
    ["VACUUM FULL of the whole database", "VACUUM FULL;", "every table in the database"],
    ["CLUSTER", "CLUSTER users USING users_pkey;", "CLUSTER rewrites existing table users"],
    ["CLUSTER of every clustered table", "CLUSTER;", "every previously clustered table"],
    [
      "SET TABLESPACE",
      "ALTER TABLE users SET TABLESPACE fast_ssd;",
      "SET TABLESPACE rewrites existing table users",
    ],
    ["SET LOGGED", "ALTER TABLE users SET LOGGED;", "SET LOGGED rewrites existing table users"],
    [
      "SET UNLOGGED, multi-line",
      "ALTER TABLE\n  users\n  SET UNLOGGED;",
      "SET UNLOGGED rewrites existing table users",
    ],
    [
      "SET ACCESS METHOD (Postgres 15+)",
      "ALTER TABLE users SET ACCESS METHOD heap2;",
      "SET ACCESS METHOD rewrites existing table users",
    ],
    [
      "ALTER MATERIALIZED VIEW SET ACCESS METHOD",
      "ALTER MATERIALIZED VIEW stats SET ACCESS METHOD heap2;",
      "existing materialized view stats",
    ],
    [
      "ALTER INDEX SET TABLESPACE",
      "ALTER INDEX users_pkey SET TABLESPACE fast_ssd;",
      "existing index users_pkey",
    ],
  ])("fires on %s", (_name, sql, message) => {
    const findings = findingsOf(rule, sql);
    expect(findings).toHaveLength(1);
    expect(findings[0]?.message).toContain(message);
    expect(findings[0]?.message).toContain("ACCESS EXCLUSIVE");
  });

  it("fires on a table created by an earlier migration, once per rewriting sub-command", () => {
    const findings = findingsOf(rule, [
      "CREATE TABLE users (id bigint);",
      "ALTER TABLE users ADD COLUMN note text;\nALTER TABLE users SET LOGGED, SET TABLESPACE fast_ssd;",
    ]);
    expect(findings.map((f) => [f.file, f.line, f.column])).toEqual([
      ["0002_test.sql", 2, 1],
      ["0002_test.sql", 2, 1],
    ]);
  });

  it("does not fire on SET ACCESS METHOD of a partitioned table (it sets the method of later partitions)", () => {
    const findings = findingsOf(rule, [
      "CREATE TABLE e (k int) PARTITION BY RANGE (k);\nCREATE TABLE e1 PARTITION OF e FOR VALUES FROM (0) TO (9);",
      "ALTER TABLE e SET ACCESS METHOD heap2;\nALTER TABLE e1 SET ACCESS METHOD heap2;",
    ]);
    expect(findings.map((f) => f.line)).toEqual([2]);
  });

  it.each([
    ["plain VACUUM", "VACUUM users;"],
    ["VACUUM ANALYZE", "VACUUM (ANALYZE) users;"],
    ...["FALSE", "off", "0", "'false'"].map((value) => [
      `VACUUM (FULL ${value})`,
      `VACUUM (FULL ${value}) users;`,
    ]),
    ["FULL turned off by a later mention, multi-line", "VACUUM (\n  FULL,\n  FULL false\n) users;"],
    ["VACUUM (FULL false) of the whole database", "VACUUM (FULL false);"],
    ["other ALTER TABLE storage settings", "ALTER TABLE users SET (fillfactor = 70);"],
    [
      "a table created in the same migration",
      "CREATE TABLE users (id bigint);\nALTER TABLE users SET UNLOGGED;\nCLUSTER users USING users_pkey;",
    ],
    [
      "ignored by directive",
      "-- safemigrate:ignore table-rewrite-maintenance -- maintenance window\nVACUUM FULL\n  users;",
    ],
  ])("does not fire on %s", (_name, sql) => {
    expect(findingsOf(rule, sql)).toEqual([]);
  });
});
